"""Logging in and out with allauth's forms."""

from __future__ import annotations

from django.test import Client

from tests.accounts.conftest import check_page, is_logged_in, login_with_password
from tests.conftest import mfa_client
from tests.factories import UserFactory

TOO_MANY = "Te veel inlogpogingen. Probeer het later nogmaals."
# In the site's own "u", at B1 (issue 18): not allauth's "jou" and "en/of".
WRONG = "Het e-mailadres of het wachtwoord klopt niet. Probeer het opnieuw."


def non_field_errors(response) -> list[str]:
    return list(response.context["form"].non_field_errors())


def test_the_login_page_links_to_signup_and_password_reset(client, db):
    page = client.get("/account/login/")

    check_page(page)
    text = page.content.decode()
    assert 'href="/account/signup/"' in text
    assert 'href="/account/password/reset/"' in text
    assert 'autocomplete="email"' in text
    assert 'autocomplete="current-password"' in text
    assert "uitnodiging" in text


def test_a_resident_logs_in_with_email_and_password(client, bewoner):
    response = login_with_password(client, "Bewoner@Example.nl")

    assert response.status_code == 302
    assert response["Location"] == "/account/start/"
    assert is_logged_in(client)


def test_a_wrong_password_is_refused_with_an_error_in_the_form(client, bewoner):
    response = login_with_password(client, "bewoner@example.nl", "fout-wachtwoord")

    check_page(response)
    assert non_field_errors(response) == [WRONG]
    assert 'role="alert"' in response.content.decode()
    assert not is_logged_in(client)


def test_an_unknown_address_gets_the_same_answer_as_a_wrong_password(client, db):
    response = login_with_password(client, "niemand@example.nl", "fout-wachtwoord")

    assert non_field_errors(response) == [WRONG]


def test_repeated_failed_logins_block_the_account_even_for_the_right_password(
    client, bewoner
):
    # ACCOUNT_RATE_LIMITS["login_failed"] allows 5 failures per account in 5
    # minutes. allauth answers the 6th attempt with a form error (HTTP 200), not 429.
    for _ in range(5):
        response = login_with_password(client, "bewoner@example.nl", "fout-wachtwoord")
        assert non_field_errors(response) == [WRONG]

    blocked = login_with_password(client, "bewoner@example.nl", "fout-wachtwoord")
    assert blocked.status_code == 200
    assert non_field_errors(blocked) == [TOO_MANY]

    right = login_with_password(client, "bewoner@example.nl")
    assert right.status_code == 200
    assert non_field_errors(right) == [TOO_MANY]
    assert not is_logged_in(client)


def test_the_block_is_per_account_so_others_can_still_log_in(client, bewoner, wijk):
    UserFactory(email="buurvrouw@example.nl", wijk=wijk)
    for _ in range(6):
        login_with_password(client, "bewoner@example.nl", "fout-wachtwoord")

    response = login_with_password(client, "buurvrouw@example.nl")

    assert response.status_code == 302
    assert is_logged_in(client)


def test_the_block_covers_other_spellings_of_the_address(client, bewoner):
    for _ in range(6):
        login_with_password(client, "bewoner@example.nl", "fout-wachtwoord")

    response = login_with_password(client, "BEWONER@example.nl")

    assert non_field_errors(response) == [TOO_MANY]
    assert not is_logged_in(client)


def test_logout_asks_for_confirmation_on_get(client, bewoner):
    mfa_client(client, bewoner)

    page = client.get("/account/logout/")

    check_page(page)
    assert 'method="post"' in page.content.decode()
    assert is_logged_in(client)
    assert client.get("/account/start/").status_code == 200


def test_logout_happens_on_post(client, bewoner):
    mfa_client(client, bewoner)

    response = client.post("/account/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not is_logged_in(client)
    assert client.get("/account/start/").status_code == 302


def test_logout_needs_the_csrf_token(bewoner):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(bewoner)

    response = csrf_client.post("/account/logout/")

    assert response.status_code == 403
    assert is_logged_in(csrf_client)
