"""Taxonomy seed, model rules and the admin's read-only side."""

from __future__ import annotations

import re

import pytest
from django.db import IntegrityError
from django.db.models import ProtectedError
from django.utils import timezone

from signalen.models import AuditEntry, Bron, Categorie, Doelgroep, Signaal
from tests.signalen.helpers import make_signaal

pytestmark = pytest.mark.django_db


def test_the_data_migration_seeds_the_taxonomy_with_stable_codes():
    categories = set(Categorie.objects.values_list("code", flat=True))
    assert {
        "eenzaamheid",
        "geldzorgen-schulden",
        "gezondheid",
        "psychische-klachten",
        "wonen-woonoverlast",
        "veiligheid",
        "jeugd-opvoeding",
        "mantelzorg",
        "taal-meedoen",
        "werk-dagbesteding",
        "verslaving",
        "huiselijk-geweld-zorgen",
        "digitale-vaardigheden",
        "overig",
    } <= categories
    assert {
        "ouderen",
        "jongeren",
        "kinderen",
        "gezinnen-met-kinderen",
        "alleenstaanden",
        "nieuwkomers",
        "mantelzorgers",
        "mensen-met-een-beperking",
    } <= set(Doelgroep.objects.values_list("code", flat=True))
    assert {
        "huisbezoek",
        "straat-ontmoeting",
        "partner-huisarts",
        "partner-school",
        "partner-woningcorporatie",
        "partner-overig",
        "bewoner-zelf",
        "eigen-waarneming",
    } <= set(Bron.objects.values_list("code", flat=True))
    assert not Categorie.objects.filter(is_active=False).exists()


def test_the_seed_mentions_veilig_thuis_for_acute_worries_about_home():
    entry = Categorie.objects.get(code="huiselijk-geweld-zorgen")
    assert "Veilig Thuis" in entry.description


def test_a_used_category_cannot_be_deleted(signaal):
    with pytest.raises(ProtectedError):
        signaal.categorie.delete()


def test_a_retired_category_stays_on_old_signals(signaal):
    Categorie.objects.filter(pk=signaal.categorie_id).update(is_active=False)
    signaal.refresh_from_db()
    assert signaal.categorie.code == "eenzaamheid"


def test_deleting_the_author_keeps_the_signal_without_a_name(signaal, professional):
    professional.delete()
    signaal.refresh_from_db()
    assert signaal.author is None


def test_the_database_refuses_a_household_estimate_out_of_range(signaal):
    with pytest.raises(IntegrityError):
        Signaal.objects.filter(pk=signaal.pk).update(households_estimate=0)


def test_signal_admin_list_shows_no_text(client, beheerder, signaal):
    client.force_login(beheerder)
    response = client.get("/beheer/signalen/signaal/")
    assert response.status_code == 200
    assert signaal.text not in response.content.decode()
    detail = client.get(f"/beheer/signalen/signaal/{signaal.pk}/change/")
    assert detail.status_code == 200
    assert signaal.text not in detail.content.decode()


def test_signal_admin_offers_no_add_change_or_delete(client, beheerder, signaal):
    client.force_login(beheerder)
    assert client.get("/beheer/signalen/signaal/add/").status_code == 403
    response = client.post(f"/beheer/signalen/signaal/{signaal.pk}/delete/")
    assert response.status_code == 403
    assert Signaal.objects.filter(pk=signaal.pk).exists()


def test_audit_admin_is_append_only(client, beheerder, signaal):
    entry = AuditEntry.objects.create(actor=beheerder, action="view", signaal=signaal)
    client.force_login(beheerder)
    assert client.get("/beheer/signalen/auditentry/").status_code == 200
    assert client.get("/beheer/signalen/auditentry/add/").status_code == 403
    response = client.post(
        f"/beheer/signalen/auditentry/{entry.pk}/change/", {"action": "list"}
    )
    assert response.status_code == 403
    response = client.post(f"/beheer/signalen/auditentry/{entry.pk}/delete/")
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.action == "view"


def test_beheerders_manage_the_taxonomy_but_cannot_delete_used_entries(
    client, beheerder, signaal
):
    client.force_login(beheerder)
    assert client.get("/beheer/signalen/categorie/").status_code == 200
    used = signaal.categorie
    response = client.post(f"/beheer/signalen/categorie/{used.pk}/delete/")
    assert response.status_code == 403
    unused = Categorie.objects.get(code="overig")
    response = client.post(
        f"/beheer/signalen/categorie/{unused.pk}/change/",
        {
            "code": "overig",
            "name": "Iets anders",
            "description": "",
            "is_active": "",
            "order": "999",
        },
    )
    assert response.status_code == 302
    unused.refresh_from_db()
    assert unused.name == "Iets anders"
    assert not unused.is_active


def test_the_code_of_a_used_entry_is_read_only_in_the_admin(client, beheerder, signaal):
    client.force_login(beheerder)
    used = signaal.categorie
    client.post(
        f"/beheer/signalen/categorie/{used.pk}/change/",
        {"code": "iets-nieuws", "name": used.name, "is_active": "on", "order": "5"},
    )
    used.refresh_from_db()
    assert used.code == "eenzaamheid"


def test_a_signal_without_author_still_renders_as_text(professional, team):
    item = make_signaal(author=None, team=team)
    assert str(item) == f"Signaal {item.pk}"


def test_demo_signals_are_realistic_scrubbed_and_idempotent(gemeente, wijk):
    from accounts.demo import demo_users_load
    from signalen.demo import DEMO_SIGNALEN, demo_signalen_load

    demo_users_load(gemeente=gemeente, team_wijken=[wijk])
    assert demo_signalen_load(rollup=False) == len(DEMO_SIGNALEN)
    assert 110 <= Signaal.objects.count() <= 130
    assert demo_signalen_load(rollup=False) == 0
    assert Signaal.objects.count() == len(DEMO_SIGNALEN)
    assert Signaal.objects.values("author").distinct().count() == 2
    oldest = Signaal.objects.order_by("observed_on").first()
    assert (timezone.localdate() - oldest.observed_on).days <= 20 * 7
    # No demo text carries structured personal data.
    for signaal in Signaal.objects.all():
        assert "@" not in signaal.text
        assert not re.search(r"\d{4,}", signaal.text), signaal.text


def test_demo_signals_need_the_demo_users(db):
    from signalen.demo import demo_signalen_load

    assert demo_signalen_load() == 0
