"""A beheerder looking at signals in the Django admin leaves the same trace in the
audit log as a professional on the team's pages (issue 15, item 7)."""

from __future__ import annotations

import pytest

from signalen.models import AuditEntry
from tests.factories import UserFactory
from tests.signalen.helpers import make_signaal


@pytest.fixture
def admin_client(client, beheerder):
    client.force_login(beheerder)
    return client


@pytest.fixture
def item(professional, team):
    return make_signaal(author=professional, team=team)


def test_opening_the_signal_list_in_the_admin_writes_a_list_entry(
    admin_client, beheerder, item
):
    response = admin_client.get(
        f"/beheer/signalen/signaal/?bron__id__exact={item.bron_id}"
    )

    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="list")
    assert entry.actor == beheerder
    assert entry.detail["source"] == "admin"
    assert entry.detail["filters"] == {"bron__id__exact": str(item.bron_id)}
    assert entry.detail["rows"] == 1
    assert entry.detail["total"] == 1


def test_opening_one_signal_in_the_admin_writes_a_view_entry(
    admin_client, beheerder, item
):
    response = admin_client.get(f"/beheer/signalen/signaal/{item.pk}/change/")

    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="view")
    assert entry.actor == beheerder
    assert entry.signaal == item
    assert entry.wijk == item.wijk
    assert entry.detail == {"source": "admin", "page": "change"}


def test_opening_a_signals_history_in_the_admin_writes_a_view_entry(admin_client, item):
    response = admin_client.get(f"/beheer/signalen/signaal/{item.pk}/history/")

    assert response.status_code == 200
    assert AuditEntry.objects.get(action="view").detail["page"] == "history"


def test_a_staff_member_who_may_not_see_signals_leaves_no_entry(client, item, wijk):
    staff = UserFactory(email="staf@example.nl", is_staff=True)
    client.force_login(staff)

    assert client.get("/beheer/signalen/signaal/").status_code == 403
    assert client.get(f"/beheer/signalen/signaal/{item.pk}/change/").status_code in (
        302,
        403,
    )
    assert not AuditEntry.objects.exists()


def test_an_unknown_signal_in_the_admin_writes_no_entry(admin_client, item):
    admin_client.get("/beheer/signalen/signaal/999999/change/")

    assert not AuditEntry.objects.filter(action="view").exists()
