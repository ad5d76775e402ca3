"""Every list, view, create, edit, withdraw and export is written to the audit log."""

from __future__ import annotations

import pytest
from django.utils import timezone

from signalen.models import AuditEntry, Bron, Categorie
from tests.signalen.helpers import make_signaal


@pytest.fixture
def pro_client(client, professional):
    client.force_login(professional)
    return client


def test_listing_is_audited_with_filters_and_row_counts(
    pro_client, professional, team, wijk
):
    make_signaal(author=professional, team=team)
    pro_client.get(f"/signalen/?wijk={wijk.pk}&auteur=mijn")
    entry = AuditEntry.objects.get(action="list")
    assert entry.actor == professional
    assert entry.detail["filters"] == {"wijk": str(wijk.pk), "auteur": "mijn"}
    assert entry.detail["rows"] == 1
    assert entry.detail["total"] == 1


def test_viewing_is_audited(pro_client, professional, team):
    item = make_signaal(author=professional, team=team)
    pro_client.get(f"/signalen/{item.pk}/")
    entry = AuditEntry.objects.get(action="view")
    assert entry.signaal == item
    assert entry.wijk == item.wijk


def test_creating_editing_and_withdrawing_are_audited(
    pro_client, wijk, django_capture_on_commit_callbacks
):
    today = timezone.localdate().isoformat()
    data = {
        "wijk": str(wijk.pk),
        "categorie": str(Categorie.objects.get(code="gezondheid").pk),
        "bron": str(Bron.objects.get(code="eigen-waarneming").pk),
        "text": "Veel mensen mijden de huisarts.",
        "observed_on": today,
    }
    with django_capture_on_commit_callbacks(execute=True):  # scrubbed, as by the worker
        pro_client.post("/signalen/nieuw/", data)
    entry = AuditEntry.objects.get(action="create")
    pro_client.post(f"/signalen/{entry.signaal_id}/wijzigen/", data)
    pro_client.post(
        f"/signalen/{entry.signaal_id}/intrekken/", {"reason": "vergissing"}
    )
    actions = list(
        AuditEntry.objects.filter(signaal_id=entry.signaal_id)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "edit", "withdraw"]


def test_exporting_is_audited(pro_client, professional, team):
    make_signaal(author=professional, team=team)
    pro_client.get("/signalen/export.csv")
    entry = AuditEntry.objects.get(action="export")
    assert entry.detail["rows"] == 1


def test_refused_requests_write_nothing_to_the_audit_log(client, ambtenaar, signaal):
    client.force_login(ambtenaar)
    client.get("/signalen/")
    client.get(f"/signalen/{signaal.pk}/")
    client.get("/signalen/export.csv")
    assert not AuditEntry.objects.exists()


def test_audit_entries_hold_no_signal_text(pro_client, professional, team):
    item = make_signaal(
        author=professional, team=team, text="tekst die niet in de log hoort"
    )
    pro_client.get(f"/signalen/{item.pk}/")
    pro_client.get("/signalen/export.csv")
    for entry in AuditEntry.objects.all():
        assert "niet in de log" not in str(entry.detail)
