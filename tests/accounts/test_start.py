"""The start page after logging in shows each role its own work."""

from __future__ import annotations

from django.utils import timezone

from tests.accounts.conftest import check_page
from tests.conftest import mfa_client
from tests.factories import WijkFactory


def test_anonymous_users_are_sent_to_login(client, db):
    response = client.get("/account/start/")

    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/account/start/"


def test_a_resident_sees_their_own_wijk(client, bewoner):
    page = mfa_client(client, bewoner).get("/account/start/")

    check_page(page)
    text = page.content.decode()
    assert "Welkom, Bea Bewoner" in text
    assert "Bekijk uw wijk Purmerend Centrum" in text
    assert "/account/uitnodigingen/" not in text


def test_a_resident_without_wijk_is_helped_to_find_one(client, bewoner):
    bewoner.wijk = None
    bewoner.save()

    text = mfa_client(client, bewoner).get("/account/start/").content.decode()

    assert "U heeft nog geen wijk gekozen." in text
    assert 'href="/gemeenten/"' in text


def test_a_professional_sees_the_wijken_of_their_team_only(
    client, professional, other_wijk, outsider_professional
):
    page = mfa_client(client, professional).get("/account/start/")

    check_page(page)
    text = page.content.decode()
    assert "Wijkteam Centrum" in text
    assert "Purmerend Centrum" in text
    assert "Overwhere" not in text
    assert "Hoorn Binnenstad" not in text
    assert "Wijkteam Hoorn" not in text


def test_a_professional_does_not_see_inactive_wijken_of_their_team(
    client, professional, team, gemeente
):
    team.wijken.add(
        WijkFactory(
            code="WK043998", name="Opgeheven", gemeente=gemeente, is_active=False
        )
    )

    text = mfa_client(client, professional).get("/account/start/").content.decode()

    assert "Opgeheven" not in text
    assert "Purmerend Centrum" in text


def test_the_professional_start_page_has_a_fixed_number_of_queries(
    client, professional, team, other_wijk, django_assert_num_queries
):
    team.wijken.add(other_wijk)
    mfa_client(client, professional)

    # session, user, 2FA check, teams, their wijken: not one query per wijk.
    with django_assert_num_queries(5):
        client.get("/account/start/")


def test_an_ambtenaar_sees_their_own_gemeente(client, ambtenaar, outsider_gemeente):
    page = mfa_client(client, ambtenaar).get("/account/start/")

    check_page(page)
    text = page.content.decode()
    assert "U werkt voor de gemeente Purmerend." in text
    assert "Hoorn" not in text


def test_a_beheerder_sees_the_invite_link(client, beheerder, make_invitation):
    make_invitation()
    make_invitation(email="verlopen@example.nl", expires_at=timezone.now())
    make_invitation(email="ingetrokken@example.nl", revoked_at=timezone.now())

    page = mfa_client(client, beheerder).get("/account/start/")

    check_page(page)
    text = page.content.decode()
    assert 'href="/account/uitnodigingen/"' in text
    assert "1 open uitnodiging" in text
    assert 'href="/beheer/"' in text


def test_every_role_finds_the_account_links(client, bewoner):
    text = mfa_client(client, bewoner).get("/account/start/").content.decode()

    assert 'href="/account/password/change/"' in text
    assert 'href="/account/2fa/"' in text
    assert 'href="/account/email/"' in text
