"""Beheerders invite professionals, officers and other beheerders by e-mail."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone

from accounts.models import Invitation, Role, User
from accounts.services import invitation_create
from tests.accounts.conftest import check_page, is_logged_in, login_with_password
from tests.conftest import mfa_client
from tests.factories import TeamFactory

NEW_PASSWORD = "Fietsen-door-de-polder-42"
ACCOUNT_EXISTS = (
    "Er bestaat al een account met dit e-mailadres. Nodig de persoon uit op een "
    "ander e-mailadres, of pas de rol van dat account aan in het beheer."
)


def invite_data(**changes) -> dict[str, str]:
    data = {"email": "nieuwe.collega@example.nl", "role": Role.PROFESSIONAL}
    data.update(changes)
    return data


def form_errors(response) -> dict[str, list[str]]:
    return {
        name: list(errors) for name, errors in response.context["form"].errors.items()
    }


# --- Who may invite -------------------------------------------------------------------


def test_anonymous_users_are_sent_to_login_for_the_invitation_page(client, db):
    response = client.get("/account/uitnodigingen/")

    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/account/uitnodigingen/"


def test_anonymous_users_cannot_post_an_invitation(client, team):
    response = client.post("/account/uitnodigingen/", invite_data(team=team.pk))

    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("role_fixture", ["bewoner", "professional", "ambtenaar"])
def test_only_a_beheerder_may_open_or_post_the_invitation_page(
    client, request, team, role_fixture
):
    mfa_client(client, request.getfixturevalue(role_fixture))

    assert client.get("/account/uitnodigingen/").status_code == 403
    response = client.post("/account/uitnodigingen/", invite_data(team=team.pk))
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_a_beheerder_sees_the_invitation_form(client, beheerder):
    page = mfa_client(client, beheerder).get("/account/uitnodigingen/")

    check_page(page)
    assert "Iemand uitnodigen" in page.content.decode()


# --- Creating ---------------------------------------------------------------------------


def test_inviting_a_professional_mails_a_link_with_the_token(
    client, beheerder, team, django_capture_on_commit_callbacks
):
    mfa_client(client, beheerder)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/uitnodigingen/", invite_data(team=team.pk))

    assert response.status_code == 302
    assert response["Location"] == "/account/uitnodigingen/"
    invitation = Invitation.objects.get()
    assert invitation.email == "nieuwe.collega@example.nl"
    assert invitation.role == Role.PROFESSIONAL
    assert invitation.team == team
    assert invitation.gemeente == team.gemeente
    assert invitation.invited_by == beheerder
    assert invitation.is_open
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nieuwe.collega@example.nl"]
    assert message.subject == "Uw uitnodiging voor Buurtwijs"
    assert f"http://testserver/account/uitnodiging/{invitation.token}/" in message.body
    assert "Wijkteam Centrum" in message.body


def test_the_mail_goes_out_only_after_the_invitation_is_saved(
    client, beheerder, team, django_capture_on_commit_callbacks
):
    mfa_client(client, beheerder)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post("/account/uitnodigingen/", invite_data(team=team.pk))

    assert mail.outbox == []
    assert len(callbacks) == 1


def test_inviting_an_ambtenaar_stores_the_gemeente(
    client, beheerder, gemeente, django_capture_on_commit_callbacks
):
    mfa_client(client, beheerder)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/account/uitnodigingen/",
            invite_data(role=Role.AMBTENAAR, gemeente=gemeente.pk),
        )

    invitation = Invitation.objects.get()
    assert invitation.role == Role.AMBTENAAR
    assert invitation.gemeente == gemeente
    assert invitation.team is None
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"team": ""}, "team"),
        ({"role": Role.AMBTENAAR, "team": ""}, "gemeente"),
        ({"role": Role.BEWONER}, "role"),
        ({"role": "superuser"}, "role"),
        ({"email": "geen-e-mailadres"}, "email"),
        ({"email": ""}, "email"),
        ({"email": "<script>alert(1)</script>@example.nl"}, "email"),
        ({"email": '"<b>hoi</b>"@example.nl'}, "email"),
        ({"email": "BEWONER@example.nl"}, "email"),
        ({"team": "999999"}, "team"),
    ],
)
def test_bad_invitation_input_gives_an_error_and_sends_nothing(
    client, beheerder, bewoner, team, django_capture_on_commit_callbacks, changes, field
):
    mfa_client(client, beheerder)
    data = invite_data(team=team.pk)
    data.update(changes)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/uitnodigingen/", data)

    assert response.status_code == 200
    assert field in form_errors(response)
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_professional_invitation_without_team_says_to_choose_one(client, beheerder):
    response = mfa_client(client, beheerder).post(
        "/account/uitnodigingen/", invite_data()
    )

    assert form_errors(response)["team"] == ["Kies het wijkteam van deze professional."]


def test_an_ambtenaar_invitation_without_gemeente_says_to_choose_one(client, beheerder):
    response = mfa_client(client, beheerder).post(
        "/account/uitnodigingen/", invite_data(role=Role.AMBTENAAR)
    )

    assert form_errors(response)["gemeente"] == ["Kies de gemeente van deze ambtenaar."]


def test_a_team_from_another_gemeente_is_refused(
    client, beheerder, gemeente, outsider_gemeente
):
    hoorn_team = TeamFactory(name="Wijkteam Hoorn", gemeente=outsider_gemeente)

    response = mfa_client(client, beheerder).post(
        "/account/uitnodigingen/",
        invite_data(gemeente=gemeente.pk, team=hoorn_team.pk),
    )

    assert form_errors(response)["team"] == [
        "Dit wijkteam hoort niet bij de gekozen gemeente."
    ]
    assert not Invitation.objects.exists()


def test_an_address_that_already_has_an_account_is_refused(client, beheerder, bewoner):
    response = mfa_client(client, beheerder).post(
        "/account/uitnodigingen/",
        invite_data(role=Role.BEHEERDER, email="Bewoner@Example.nl"),
    )

    assert form_errors(response)["email"] == [ACCOUNT_EXISTS]


def test_an_address_that_is_a_confirmed_second_address_of_an_account_is_refused(
    client, beheerder, bewoner
):
    EmailAddress.objects.create(user=bewoner, email="tweede@example.nl", verified=True)

    response = mfa_client(client, beheerder).post(
        "/account/uitnodigingen/",
        invite_data(role=Role.BEHEERDER, email="Tweede@example.nl"),
    )

    assert form_errors(response)["email"] == [ACCOUNT_EXISTS]
    assert not Invitation.objects.exists()


def test_an_unconfirmed_second_address_of_a_resident_does_not_block_an_invitation(
    client, beheerder, bewoner, team, django_capture_on_commit_callbacks
):
    # A resident typed a colleague's work address into their profile and never
    # confirmed it (issue 15, item 7).
    EmailAddress.objects.create(user=bewoner, email="nieuwe.collega@example.nl")
    mfa_client(client, beheerder)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/uitnodigingen/", invite_data(team=team.pk))

    assert response.status_code == 302
    assert Invitation.objects.get().email == "nieuwe.collega@example.nl"
    assert len(mail.outbox) == 1


def test_accepting_takes_the_address_from_an_unconfirmed_second_address(
    client, bewoner, make_invitation
):
    invitation = make_invitation()
    EmailAddress.objects.create(user=bewoner, email="Nieuwe.Collega@example.nl")

    response = client.post(f"/account/uitnodiging/{invitation.token}/", accept_data())

    assert response.status_code == 302
    user = User.objects.get(email="nieuwe.collega@example.nl")
    assert user.role == Role.PROFESSIONAL
    assert list(EmailAddress.objects.filter(email__iexact=user.email)) == [
        EmailAddress.objects.get(user=user)
    ]
    assert not EmailAddress.objects.filter(user=bewoner, email__iexact=user.email)


def test_a_confirmed_second_address_made_after_the_invitation_blocks_accepting(
    client, bewoner, make_invitation
):
    invitation = make_invitation()
    EmailAddress.objects.create(
        user=bewoner, email="nieuwe.collega@example.nl", verified=True
    )

    response = client.post(f"/account/uitnodiging/{invitation.token}/", accept_data())

    assert response.status_code == 410
    assert not User.objects.filter(email="nieuwe.collega@example.nl").exists()


def test_a_second_invitation_revokes_the_first(
    client, beheerder, team, django_capture_on_commit_callbacks
):
    mfa_client(client, beheerder)

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/account/uitnodigingen/", invite_data(team=team.pk))
        client.post(
            "/account/uitnodigingen/",
            invite_data(email="Nieuwe.Collega@example.nl", team=team.pk),
        )

    first, second = Invitation.objects.order_by("created_at", "pk")
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert not first.is_open
    assert second.is_open
    assert len(mail.outbox) == 2
    # The first link no longer works, the second does.
    assert client.logout() is None
    assert client.get(f"/account/uitnodiging/{first.token}/").status_code == 410
    assert client.get(f"/account/uitnodiging/{second.token}/").status_code == 200


def test_the_service_never_invites_a_resident(beheerder):
    with pytest.raises(ValueError, match="bewoner"):
        invitation_create(
            email="x@example.nl",
            role=Role.BEWONER,
            gemeente=None,
            team=None,
            invited_by=beheerder,
            base_url="http://testserver/",
        )


# --- Revoking ---------------------------------------------------------------------------


def test_revoking_needs_post(client, beheerder, make_invitation):
    invitation = make_invitation()

    response = mfa_client(client, beheerder).get(
        f"/account/uitnodigingen/{invitation.pk}/intrekken/"
    )

    assert response.status_code == 405
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_anonymous_users_cannot_revoke(client, make_invitation):
    invitation = make_invitation()

    response = client.post(f"/account/uitnodigingen/{invitation.pk}/intrekken/")

    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


@pytest.mark.parametrize("role_fixture", ["bewoner", "professional", "ambtenaar"])
def test_only_a_beheerder_may_revoke(client, request, make_invitation, role_fixture):
    invitation = make_invitation()
    mfa_client(client, request.getfixturevalue(role_fixture))

    response = client.post(f"/account/uitnodigingen/{invitation.pk}/intrekken/")

    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_a_beheerder_revokes_an_invitation(client, beheerder, make_invitation):
    invitation = make_invitation()

    response = mfa_client(client, beheerder).post(
        f"/account/uitnodigingen/{invitation.pk}/intrekken/"
    )

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_revoking_an_unknown_invitation_is_404(client, beheerder):
    response = mfa_client(client, beheerder).post(
        "/account/uitnodigingen/999/intrekken/"
    )

    assert response.status_code == 404


# --- Accepting --------------------------------------------------------------------------


def accept_data(**changes: str) -> dict[str, str]:
    data = {
        "display_name": "Noor de Vries",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    data.update(changes)
    return data


def test_the_invitation_page_shows_role_team_and_address(client, make_invitation):
    invitation = make_invitation()

    page = client.get(f"/account/uitnodiging/{invitation.token}/")

    check_page(page)
    text = page.content.decode()
    assert "nieuwe.collega@example.nl" in text
    assert "Wijkteam Centrum" in text
    assert 'autocomplete="new-password"' in text


def test_accepting_creates_a_professional_in_the_team_logs_in_and_asks_for_2fa(
    client, make_invitation, team
):
    invitation = make_invitation()

    response = client.post(f"/account/uitnodiging/{invitation.token}/", accept_data())

    assert response.status_code == 302
    assert response["Location"] == "/account/start/"
    user = User.objects.get(email="nieuwe.collega@example.nl")
    assert user.role == Role.PROFESSIONAL
    assert user.display_name == "Noor de Vries"
    assert list(user.teams.all()) == [team]
    assert user.gemeente is None
    assert not user.is_staff
    assert user.check_password(NEW_PASSWORD)
    assert EmailAddress.objects.get(user=user).verified
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert invitation.accepted_user == user
    assert is_logged_in(client)

    start = client.get("/account/start/")
    assert start.status_code == 302
    assert start["Location"] == "/account/2fa/totp/activate/"
    # Just set a password: the 2FA setup does not ask for it again.
    setup = client.get("/account/2fa/totp/activate/")
    check_page(setup)
    assert "data:image/svg+xml;base64," in setup.content.decode()


def test_accepting_an_ambtenaar_invitation_sets_the_gemeente(
    client, make_invitation, gemeente
):
    invitation = make_invitation(role=Role.AMBTENAAR, team=None)

    client.post(f"/account/uitnodiging/{invitation.token}/", accept_data())

    user = User.objects.get(email="nieuwe.collega@example.nl")
    assert user.role == Role.AMBTENAAR
    assert user.gemeente == gemeente
    assert not user.teams.exists()


def test_accepting_a_beheerder_invitation_gives_access_to_the_admin(
    client, make_invitation
):
    invitation = make_invitation(role=Role.BEHEERDER, team=None, gemeente=None)

    client.post(f"/account/uitnodiging/{invitation.token}/", accept_data())

    user = User.objects.get(email="nieuwe.collega@example.nl")
    assert user.role == Role.BEHEERDER
    assert user.is_staff


def test_the_new_account_can_log_in_with_the_chosen_password_spaces_and_all(
    client, make_invitation
):
    invitation = make_invitation()
    password = "  met spaties eromheen 2026  "
    client.post(
        f"/account/uitnodiging/{invitation.token}/",
        accept_data(password1=password, password2=password),
    )
    client.logout()

    response = login_with_password(client, "nieuwe.collega@example.nl", password)

    assert response.status_code == 302
    assert is_logged_in(client)


def invitation_in_state(make_invitation, state: str) -> str:
    if state == "unknown":
        make_invitation()
        return "dit-bestaat-niet"
    if state == "expired":
        return make_invitation(expires_at=timezone.now() - timedelta(minutes=1)).token
    if state == "revoked":
        return make_invitation(revoked_at=timezone.now()).token
    return make_invitation(accepted_at=timezone.now()).token


@pytest.mark.parametrize("state", ["expired", "revoked", "used", "unknown"])
def test_a_link_that_no_longer_works_gives_410_and_creates_nothing(
    client, make_invitation, state
):
    token = invitation_in_state(make_invitation, state)
    users_before = User.objects.count()

    page = client.get(f"/account/uitnodiging/{token}/")
    posted = client.post(f"/account/uitnodiging/{token}/", accept_data())

    assert page.status_code == 410
    assert posted.status_code == 410
    assert "Deze uitnodiging werkt niet meer" in posted.content.decode()
    assert User.objects.count() == users_before
    assert not is_logged_in(client)


def test_an_invitation_can_be_used_only_once(client, make_invitation):
    invitation = make_invitation()
    client.post(f"/account/uitnodiging/{invitation.token}/", accept_data())
    client.logout()

    again = client.post(
        f"/account/uitnodiging/{invitation.token}/",
        accept_data(display_name="Iemand anders"),
    )

    assert again.status_code == 410
    assert User.objects.filter(email="nieuwe.collega@example.nl").count() == 1


def test_an_address_registered_after_the_invitation_cannot_accept_it(
    client, make_invitation
):
    invitation = make_invitation(email="bewoner@example.nl")
    User.objects.create_user(email="bewoner@example.nl", display_name="Bea")

    response = client.post(f"/account/uitnodiging/{invitation.token}/", accept_data())

    assert response.status_code == 410
    assert User.objects.get(email="bewoner@example.nl").role == Role.BEWONER
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"password2": NEW_PASSWORD + "!"}, "password2"),
        ({"password1": "kort", "password2": "kort"}, "password1"),
        ({"password1": "12345678901", "password2": "12345678901"}, "password1"),
        ({"password1": "qwertyuiop", "password2": "qwertyuiop"}, "password1"),
        ({"password2": ""}, "password2"),
        ({"display_name": ""}, "display_name"),
        ({"display_name": "<img src=x onerror=alert(1)>"}, "display_name"),
        ({"display_name": "x" * 81}, "display_name"),
    ],
)
def test_bad_input_on_accepting_shows_errors_and_creates_nothing(
    client, make_invitation, changes, field
):
    invitation = make_invitation()

    response = client.post(
        f"/account/uitnodiging/{invitation.token}/", accept_data(**changes)
    )

    check_page(response)
    assert field in form_errors(response)
    assert not User.objects.filter(email="nieuwe.collega@example.nl").exists()
    invitation.refresh_from_db()
    assert invitation.is_open
    assert not is_logged_in(client)


def test_a_logged_in_user_cannot_accept_an_invitation_for_someone_else(
    client, bewoner, make_invitation
):
    invitation = make_invitation()
    mfa_client(client, bewoner)

    response = client.post(f"/account/uitnodiging/{invitation.token}/", accept_data())

    assert response.status_code == 302
    assert not User.objects.filter(email="nieuwe.collega@example.nl").exists()


def test_the_link_in_the_mail_leads_to_the_accept_page(
    client, beheerder, team, django_capture_on_commit_callbacks
):
    mfa_client(client, beheerder)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/account/uitnodigingen/", invite_data(team=team.pk))
    client.logout()
    path = re.search(
        r"http://testserver(/account/uitnodiging/\S+/)", mail.outbox[0].body
    )
    assert path is not None

    assert client.get(path.group(1)).status_code == 200
