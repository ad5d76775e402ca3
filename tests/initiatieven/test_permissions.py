"""Who may read, start, edit and run initiatives, per role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from initiatieven.models import Behoefte, Deelname, Initiatief
from tests.conftest import mfa_client
from tests.factories import UserFactory
from tests.initiatieven.factories import BehoefteFactory, InitiatiefFactory

pytestmark = pytest.mark.django_db


def test_anonymous_can_read_the_list_and_the_detail(client, initiatief):
    assert client.get(reverse("initiatieven:list")).status_code == 200
    response = client.get(initiatief.get_absolute_url())
    assert response.status_code == 200
    assert "Wandelclub De Wagenweg" in response.content.decode()


def test_anonymous_cannot_start_an_initiative(client, wijk):
    response = client.get(reverse("initiatieven:create"))
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]
    response = client.post(
        reverse("initiatieven:create"),
        {"title": "x", "summary": "y", "wijk": wijk.pk, "status": "idee"},
    )
    assert response.status_code == 302
    assert Initiatief.objects.count() == 0


def test_anonymous_cannot_join_or_follow(client, initiatief):
    response = client.post(
        reverse("initiatieven:deelname", args=[initiatief.pk]), {"kind": "doe_mee"}
    )
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]
    assert Deelname.objects.count() == 0


@pytest.mark.parametrize("role", ["professional", "ambtenaar", "beheerder"])
def test_only_residents_start_initiatives(client, request, role):
    mfa_client(client, request.getfixturevalue(role))
    assert client.get(reverse("initiatieven:create")).status_code == 403


def test_a_resident_starts_an_initiative_in_their_own_wijk_by_default(
    client, bewoner, wijk
):
    client.force_login(bewoner)
    response = client.get(reverse("initiatieven:create"))
    assert response.status_code == 200
    assert f'<option value="{wijk.pk}" selected>' in response.content.decode()
    response = client.post(
        reverse("initiatieven:create"),
        {
            "title": "Repair Café",
            "summary": "Samen spullen repareren.",
            "wijk": wijk.pk,
            "status": "idee",
        },
    )
    initiatief = Initiatief.objects.get()
    assert response.status_code == 302
    assert response["Location"] == initiatief.get_absolute_url()
    assert initiatief.owner == bewoner


def test_only_organisers_edit(client, initiatief, buurman, beheerder):
    url = reverse("initiatieven:update", args=[initiatief.pk])
    assert client.get(url).status_code == 302  # anonymous: log in first
    client.force_login(buurman)
    assert client.get(url).status_code == 403
    response = client.post(
        url,
        {
            "title": "Gekaapt",
            "summary": "x",
            "wijk": initiatief.wijk_id,
            "status": "idee",
        },
    )
    assert response.status_code == 403
    initiatief.refresh_from_db()
    assert initiatief.title == "Wandelclub De Wagenweg"
    mfa_client(client, beheerder)
    assert client.get(url).status_code == 403


def test_a_co_organiser_edits(client, initiatief, buurman):
    initiatief.co_organisers.add(buurman)
    client.force_login(buurman)
    response = client.post(
        reverse("initiatieven:update", args=[initiatief.pk]),
        {
            "title": "Wandelclub Wagenweg",
            "summary": "Nieuwe tekst.",
            "wijk": initiatief.wijk_id,
            "status": "actief",
        },
    )
    assert response.status_code == 302
    initiatief.refresh_from_db()
    assert (initiatief.title, initiatief.status) == ("Wandelclub Wagenweg", "actief")


def test_hidden_initiatives_are_invisible_to_others(
    client, hidden_initiatief, buurman, professional
):
    url = hidden_initiatief.get_absolute_url()
    assert client.get(url).status_code == 404
    assert (
        "Verborgen plan"
        not in client.get(reverse("initiatieven:list")).content.decode()
    )
    assert (
        "Verborgen plan"
        not in client.get(reverse("initiatieven:map-data")).content.decode()
    )
    client.force_login(buurman)
    assert client.get(url).status_code == 404
    assert (
        client.post(
            reverse("initiatieven:deelname", args=[hidden_initiatief.pk]),
            {"kind": "doe_mee"},
        ).status_code
        == 404
    )
    mfa_client(client, professional)
    assert client.get(url).status_code == 404


def test_hidden_initiatives_are_visible_to_owner_co_organisers_and_beheerders(
    client, hidden_initiatief, buurman, beheerder, bewoner
):
    hidden_initiatief.co_organisers.add(buurman)
    for user in (bewoner, buurman):
        client.force_login(user)
        response = client.get(hidden_initiatief.get_absolute_url())
        assert response.status_code == 200
        assert "Dit initiatief is verborgen." in response.content.decode()
        assert (
            "Verborgen plan"
            in client.get(reverse("initiatieven:list")).content.decode()
        )
    mfa_client(client, beheerder)
    assert client.get(hidden_initiatief.get_absolute_url()).status_code == 200


def test_needs_of_another_initiative_cannot_be_reached_by_changing_ids(
    client, initiatief, buurman
):
    theirs = InitiatiefFactory(owner=buurman, wijk=initiatief.wijk)
    their_need = BehoefteFactory(initiatief=theirs)
    client.force_login(initiatief.owner)
    # My initiative's URL with their need's id: not found, and nothing changes.
    response = client.post(
        reverse("initiatieven:behoefte-met", args=[initiatief.pk, their_need.pk])
    )
    assert response.status_code == 404
    response = client.post(
        reverse("initiatieven:behoefte-delete", args=[initiatief.pk, their_need.pk])
    )
    assert response.status_code == 404
    # Their initiative's URL: I am not an organiser there.
    response = client.post(
        reverse("initiatieven:behoefte-met", args=[theirs.pk, their_need.pk])
    )
    assert response.status_code == 403
    their_need.refresh_from_db()
    assert not their_need.is_met
    assert Behoefte.objects.filter(pk=their_need.pk).exists()


def test_only_the_owner_invites_co_organisers_and_hands_over(
    client, initiatief, buurman, bewoner
):
    third = UserFactory(email="derde@example.nl")
    initiatief.co_organisers.add(buurman)
    client.force_login(buurman)
    url = reverse("initiatieven:organisers", args=[initiatief.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "add", "add-email": third.email})
    assert response.status_code == 403
    response = client.post(
        url, {"action": "transfer", "transfer-new_owner": buurman.pk}
    )
    assert response.status_code == 403
    initiatief.refresh_from_db()
    assert initiatief.owner == bewoner
    assert third not in initiatief.co_organisers.all()
    assert not initiatief.organiser_invitations.exists()


def test_the_owner_hands_over_to_a_co_organiser_chosen_from_the_list(
    client, initiatief, buurman, bewoner
):
    initiatief.co_organisers.add(buurman)
    client.force_login(bewoner)
    url = reverse("initiatieven:organisers", args=[initiatief.pk])
    response = client.post(
        url, {"action": "transfer", "transfer-new_owner": buurman.pk}
    )
    assert response.status_code == 302
    initiatief.refresh_from_db()
    assert initiatief.owner == buurman
    assert list(initiatief.co_organisers.all()) == [bewoner]


def test_handing_over_to_someone_who_does_not_organise_along_is_refused(
    client, initiatief, buurman, bewoner
):
    client.force_login(bewoner)
    url = reverse("initiatieven:organisers", args=[initiatief.pk])
    response = client.post(
        url, {"action": "transfer", "transfer-new_owner": buurman.pk}
    )
    assert response.status_code == 400
    assert "Kies iemand uit de lijst." in response.content.decode()
    initiatief.refresh_from_db()
    assert initiatief.owner == bewoner


def test_removing_a_user_who_is_not_a_co_organiser_is_not_found(
    client, initiatief, bewoner, buurman
):
    client.force_login(bewoner)
    response = client.post(
        reverse("initiatieven:organisers", args=[initiatief.pk]),
        {"action": "remove", "user": buurman.pk},
    )
    assert response.status_code == 404


def test_mijn_and_aanbod_need_a_resident(client, professional):
    for name in ("initiatieven:mijn", "initiatieven:aanbod"):
        assert client.get(reverse(name)).status_code == 302
    mfa_client(client, professional)
    for name in ("initiatieven:mijn", "initiatieven:aanbod"):
        assert client.get(reverse(name)).status_code == 403
