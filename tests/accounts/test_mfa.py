"""Two-step verification: who must have it, setting it up, and logging in with it."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator

from accounts.mfa import totp_code_now
from tests.accounts.conftest import (
    check_page,
    is_logged_in,
    login_with_password,
    login_with_totp,
    recovery_codes_of,
)
from tests.conftest import PASSWORD, mfa_client

MFA_ROLES = ["professional", "ambtenaar", "beheerder"]


@pytest.fixture
def without_mfa(request):
    """Standing users of a role, with their authenticator app taken away."""

    def make(role_fixture: str):
        user = request.getfixturevalue(role_fixture)
        Authenticator.objects.filter(user=user).delete()
        user._has_mfa = None
        return user

    return make


# --- Who is sent to set it up ---------------------------------------------------------


@pytest.mark.parametrize("path", ["/account/start/", "/", "/gemeenten/"])
def test_a_resident_is_never_asked_for_2fa(client, bewoner, path):
    response = mfa_client(client, bewoner).get(path)

    assert response.status_code == 200


@pytest.mark.parametrize("role_fixture", MFA_ROLES)
@pytest.mark.parametrize(
    "path", ["/account/start/", "/", "/gemeenten/", "/account/password/change/"]
)
def test_roles_with_sensitive_data_are_sent_to_2fa_setup_first(
    client, without_mfa, role_fixture, path
):
    client.force_login(without_mfa(role_fixture))

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == "/account/2fa/totp/activate/"


def test_a_beheerder_without_2fa_cannot_reach_invitations_or_the_admin(
    client, without_mfa
):
    client.force_login(without_mfa("beheerder"))

    assert client.get("/account/uitnodigingen/")["Location"] == (
        "/account/2fa/totp/activate/"
    )
    assert client.get("/beheer/")["Location"] == "/account/2fa/totp/activate/"


def test_the_setup_pages_and_logout_stay_reachable_without_2fa(
    client, professional_without_mfa
):
    client.force_login(professional_without_mfa)

    assert client.get("/account/2fa/").status_code == 200
    assert client.get("/account/logout/").status_code == 200
    assert client.get("/health/").status_code in (200, 503)


def test_htmx_requests_get_a_full_page_redirect_to_the_setup(
    client, professional_without_mfa
):
    client.force_login(professional_without_mfa)

    response = client.get("/account/start/", headers={"HX-Request": "true"})

    assert response.status_code == 204
    assert response["HX-Redirect"] == "/account/2fa/totp/activate/"


@pytest.mark.parametrize("role_fixture", MFA_ROLES)
def test_roles_with_2fa_reach_their_pages(client, request, role_fixture):
    response = mfa_client(client, request.getfixturevalue(role_fixture)).get(
        "/account/start/"
    )

    assert response.status_code == 200


# --- Setting it up after logging in ---------------------------------------------------


def test_a_professional_without_2fa_logs_in_sets_up_the_app_and_gets_recovery_codes(
    client, professional_without_mfa
):
    response = login_with_password(client, "nieuw@example.nl")
    assert response.status_code == 302
    assert response["Location"] == "/account/start/"

    response = client.get("/account/start/")
    assert response["Location"] == "/account/2fa/totp/activate/"

    # Right after logging in, no second password prompt.
    setup = client.get("/account/2fa/totp/activate/")
    page = check_page(setup)
    secret = setup.context["form"].secret
    text = setup.content.decode()
    assert re.search(
        r'<img[^>]+src="data:image/svg\+xml;base64,[^"]+"[^>]+alt="QR', text
    )
    assert f'value="{secret}"' in text
    assert "authenticator_secret" in page.label_fors
    assert "Stel eerst tweestapsverificatie in" in text

    response = client.post("/account/2fa/totp/activate/", {"code": "000000"})
    assert response.status_code == 200
    assert "code" in response.context["form"].errors

    response = client.post(
        "/account/2fa/totp/activate/", {"code": totp_code_now(secret)}
    )
    assert response.status_code == 302
    assert response["Location"] == "/account/2fa/recovery-codes/"
    assert Authenticator.objects.filter(
        user=professional_without_mfa, type=Authenticator.Type.TOTP
    ).exists()

    codes_page = client.get("/account/2fa/recovery-codes/")
    check_page(codes_page)
    codes = recovery_codes_of(professional_without_mfa)
    assert len(codes) == 10
    for code in codes:
        assert code in codes_page.content.decode()
    assert 'href="/account/start/"' in codes_page.content.decode()

    download = client.get("/account/2fa/recovery-codes/download/")
    assert download.status_code == 200
    assert codes[0] in download.content.decode()

    start = client.get("/account/start/")
    assert start.status_code == 200
    assert "Nina Nieuw" in start.content.decode()


def test_a_wrong_setup_code_says_so_in_dutch(client, professional_without_mfa):
    login_with_password(client, "nieuw@example.nl")

    response = client.post("/account/2fa/totp/activate/", {"code": "123"})

    check_page(response)
    assert response.context["form"].errors["code"] == ["Ongeldige code."]
    assert not Authenticator.objects.filter(user=professional_without_mfa).exists()


def test_changing_2fa_later_still_asks_for_the_password_again(client, professional):
    # Logged in long ago (force_login records no fresh authentication).
    mfa_client(client, professional)

    response = client.get("/account/2fa/totp/deactivate/")

    assert response.status_code == 302
    assert response["Location"].startswith("/account/reauthenticate/")
    check_page(client.get(response["Location"]))


def test_switching_the_app_off_after_reauthenticating_sends_a_professional_back_to_setup(
    client, professional
):
    mfa_client(client, professional)
    client.post(
        "/account/reauthenticate/?next=/account/2fa/totp/deactivate/",
        {"password": PASSWORD},
    )
    check_page(client.get("/account/2fa/totp/deactivate/"))

    response = client.post("/account/2fa/totp/deactivate/")

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=professional).exists()
    assert client.get("/account/start/")["Location"] == "/account/2fa/totp/activate/"


# --- Logging in with a code -----------------------------------------------------------


def test_a_professional_with_2fa_is_asked_for_a_code_after_the_password(
    client, professional
):
    response = login_with_password(client, "professional@example.nl")

    assert response.status_code == 302
    assert response["Location"] == "/account/2fa/authenticate/"
    assert not is_logged_in(client)
    page = client.get("/account/2fa/authenticate/")
    check_page(page)
    assert 'autocomplete="one-time-code"' in page.content.decode()
    # Nothing of the role is reachable yet.
    assert client.get("/account/start/")["Location"].startswith("/account/login/")


def test_the_right_code_logs_the_professional_in(client, professional):
    response = login_with_totp(client, "professional@example.nl")

    assert response.status_code == 302
    assert response["Location"] == "/account/start/"
    assert is_logged_in(client)
    start = client.get("/account/start/")
    assert start.status_code == 200
    assert "Wijkteam Centrum" in start.content.decode()


def test_a_wrong_code_gives_a_clear_error_and_no_login(client, professional):
    login_with_password(client, "professional@example.nl")

    response = client.post("/account/2fa/authenticate/", {"code": "000000"})

    check_page(response)
    assert response.context["form"].errors["code"] == ["Ongeldige code."]
    assert "Ongeldige code." in response.content.decode()
    assert not is_logged_in(client)


def test_an_empty_code_is_an_error_too(client, professional):
    login_with_password(client, "professional@example.nl")

    response = client.post("/account/2fa/authenticate/", {"code": ""})

    assert "code" in response.context["form"].errors
    assert not is_logged_in(client)


def test_the_code_step_cannot_be_skipped(client, professional):
    login_with_password(client, "professional@example.nl")

    response = client.get("/account/start/")

    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")
    assert not is_logged_in(client)


def test_a_code_works_only_once(client, professional):
    code = totp_code_now("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    login_with_password(client, "professional@example.nl")
    client.post("/account/2fa/authenticate/", {"code": code})
    assert is_logged_in(client)
    client.post("/account/logout/")

    login_with_password(client, "professional@example.nl")
    response = client.post("/account/2fa/authenticate/", {"code": code})

    assert response.status_code == 200
    assert not is_logged_in(client)


@pytest.mark.parametrize("role_fixture", ["ambtenaar", "beheerder"])
def test_officers_and_beheerders_log_in_with_a_code_too(client, request, role_fixture):
    user = request.getfixturevalue(role_fixture)

    response = login_with_totp(client, user.email)

    assert response["Location"] == "/account/start/"
    assert client.get("/account/start/").status_code == 200


def test_a_recovery_code_logs_in_once(client, professional):
    code = recovery_codes_of(professional)[0]

    login_with_password(client, "professional@example.nl")
    response = client.post("/account/2fa/authenticate/", {"code": code})
    assert response.status_code == 302
    assert is_logged_in(client)
    assert code not in recovery_codes_of(professional)
    client.post("/account/logout/")

    login_with_password(client, "professional@example.nl")
    again = client.post("/account/2fa/authenticate/", {"code": code})
    assert again.status_code == 200
    assert again.context["form"].errors["code"] == ["Ongeldige code."]
    assert not is_logged_in(client)


def test_cancelling_the_code_step_logs_nobody_in(client, professional):
    login_with_password(client, "professional@example.nl")

    response = client.post("/account/logout/", {"next": "/account/login/"})

    assert response.status_code == 302
    assert not is_logged_in(client)
    assert client.get("/account/2fa/authenticate/").status_code == 302


def test_the_admin_login_form_cannot_be_used_to_skip_the_code(client, beheerder):
    page = client.get("/beheer/login/")
    assert page.status_code == 302
    assert page["Location"].startswith("/account/login/")

    response = client.post(
        "/beheer/login/?next=/beheer/",
        {"username": "beheerder@example.nl", "password": PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")
    assert not is_logged_in(client)


def test_a_beheerder_reaches_the_admin_after_password_and_code(client, beheerder):
    login_with_totp(client, "beheerder@example.nl")

    assert client.get("/beheer/").status_code == 200


def test_a_fresh_login_does_not_unlock_changes_to_an_existing_app(client, professional):
    login_with_totp(client, "professional@example.nl")

    response = client.get("/account/2fa/totp/deactivate/")

    assert response.status_code == 302
    assert response["Location"].startswith("/account/reauthenticate/")


def test_the_setup_asks_for_the_password_again_once_the_login_is_old(
    client, professional_without_mfa
):
    login_with_password(client, "nieuw@example.nl")
    session = client.session
    records = session["account_authentication_methods"]
    records[-1]["at"] -= 301
    session["account_authentication_methods"] = records
    session.save()

    response = client.get("/account/2fa/totp/activate/")

    assert response.status_code == 302
    assert response["Location"].startswith("/account/reauthenticate/")


def _code_at(secret: str, counter: int) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, counter))


def test_a_code_from_the_previous_window_still_works(client, professional):
    """Typing slowly on an old phone: the code that just expired is still accepted."""
    import time

    from tests.conftest import TOTP_SECRET

    previous = _code_at(TOTP_SECRET, int(time.time()) // 30 - 1)
    login_with_password(client, "professional@example.nl")
    client.post("/account/2fa/authenticate/", {"code": previous})

    assert is_logged_in(client)


def test_a_code_from_two_windows_ago_is_refused(client, professional):
    import time

    from tests.conftest import TOTP_SECRET

    old = _code_at(TOTP_SECRET, int(time.time()) // 30 - 3)
    login_with_password(client, "professional@example.nl")
    response = client.post("/account/2fa/authenticate/", {"code": old})

    assert response.status_code == 200
    assert not is_logged_in(client)
