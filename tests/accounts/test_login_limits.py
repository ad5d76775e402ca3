"""Login limits behind the TLS proxy: counted per real client and per account, and a
named staff member is never locked out by someone else's failures (issue 15, item 7)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client, RequestFactory

from accounts.client_ip import client_ip
from tests.accounts.test_login import TOO_MANY, WRONG, non_field_errors
from tests.conftest import PASSWORD

PROXY = "10.0.0.2"
BAD = "fout-wachtwoord"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    settings.TRUSTED_PROXY_COUNT = 1
    return settings


def via_proxy(client_address: str) -> Client:
    """A browser at client_address, reaching the app through the TLS proxy."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address)


def attempt(client: Client, email: str, password: str = BAD):
    return client.post("/account/login/", {"login": email, "password": password})


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# --- Which address counts -------------------------------------------------------------


def request_from(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []

    assert client_ip(request_from(PROXY, "203.0.113.7")) == PROXY


def test_behind_a_trusted_proxy_the_client_is_the_address_the_proxy_added(
    behind_proxy,
):
    # The client put a forged address first; the proxy appended the real one.
    request = request_from(PROXY, "198.51.100.66, 203.0.113.7")

    assert client_ip(request) == "203.0.113.7"


def test_a_forwarded_header_from_an_untrusted_peer_is_ignored(behind_proxy):
    assert client_ip(request_from("203.0.113.9", "198.51.100.66")) == "203.0.113.9"


def test_two_trusted_proxies_skip_the_inner_one(behind_proxy):
    behind_proxy.TRUSTED_PROXY_COUNT = 2

    request = request_from(PROXY, "198.51.100.66, 203.0.113.7, 10.0.0.3")

    assert client_ip(request) == "203.0.113.7"


@pytest.mark.parametrize("header", ["", "niet-een-adres", " , "])
def test_a_missing_or_garbled_forwarded_header_falls_back_to_the_proxy(
    behind_proxy, header
):
    assert client_ip(request_from(PROXY, header)) == PROXY


def test_a_bad_trusted_proxies_value_stops_the_start():
    from tests.test_settings import manage

    result = manage("check", env={"TRUSTED_PROXIES": "de-proxy"})

    assert result.returncode != 0
    assert "TRUSTED_PROXIES must list IP addresses or networks" in result.stderr


# --- Failed logins behind the proxy ---------------------------------------------------


def test_failures_of_one_client_do_not_block_another_client_behind_the_proxy(
    behind_proxy, bewoner, wijk
):
    from tests.factories import UserFactory

    UserFactory(email="buurman@example.nl", wijk=wijk)
    stuffer = via_proxy("198.51.100.66")
    # Trying many accounts from one address hits allauth's limit per client ...
    for number in range(10):
        attempt(stuffer, f"iemand{number}@example.nl")
    assert non_field_errors(attempt(stuffer, "nog.iemand@example.nl")) == [TOO_MANY]

    # ... but everyone else behind the same proxy still logs in.
    neighbour = via_proxy("203.0.113.7")
    response = attempt(neighbour, "buurman@example.nl", PASSWORD)

    assert response.status_code == 302
    assert logged_in(neighbour)


def test_five_failures_from_elsewhere_do_not_lock_out_a_staff_member(
    behind_proxy, professional
):
    attacker = via_proxy("198.51.100.66")
    for _ in range(5):
        assert non_field_errors(attempt(attacker, "professional@example.nl")) == [WRONG]
    assert non_field_errors(attempt(attacker, "professional@example.nl")) == [TOO_MANY]

    own = via_proxy("203.0.113.7")
    response = attempt(own, "professional@example.nl", PASSWORD)

    # Right password: on to the second factor, not refused.
    assert response.status_code == 302
    assert response["Location"] == "/account/2fa/authenticate/"


def test_one_client_is_blocked_for_one_account_even_with_the_right_password(
    behind_proxy, bewoner
):
    same = via_proxy("203.0.113.7")
    for _ in range(5):
        attempt(same, "bewoner@example.nl")

    response = attempt(same, "Bewoner@Example.nl", PASSWORD)

    assert non_field_errors(response) == [TOO_MANY]
    assert not logged_in(same)


def test_a_successful_login_does_not_count_as_a_failure(behind_proxy, bewoner):
    same = via_proxy("203.0.113.7")
    for _ in range(4):
        attempt(same, "bewoner@example.nl")
    assert attempt(same, "bewoner@example.nl", PASSWORD).status_code == 302
    same.logout()

    # The successful login took no place in the count: one more failure is allowed.
    assert non_field_errors(attempt(same, "bewoner@example.nl")) == [WRONG]


def test_an_account_under_attack_from_many_places_is_slowed_down_not_locked(
    behind_proxy, professional
):
    behind_proxy.LOGIN_FAILED_LIMITS = {
        "pair": "5/15m/key",
        "account": "6/h/key",
        "pair_slow": "1/5m/key",
    }
    for number in range(1, 7):  # six attackers, one try each: the ceiling is reached
        attempt(via_proxy(f"198.51.100.{number}"), "professional@example.nl")

    # A seventh attacker gets one more try, then waits.
    late = via_proxy("198.51.100.99")
    assert non_field_errors(attempt(late, "professional@example.nl")) == [WRONG]
    assert non_field_errors(attempt(late, "professional@example.nl")) == [TOO_MANY]

    # The owner, from their own address, still gets in.
    own = via_proxy("203.0.113.7")
    response = attempt(own, "professional@example.nl", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/account/2fa/authenticate/"


# --- The API limit uses the same client address ------------------------------------


def test_the_api_limit_counts_per_real_client_behind_the_trusted_proxy(
    behind_proxy, db
):
    behind_proxy.API_RATE_LIMIT = "2/minute"
    busy = via_proxy("198.51.100.66")
    for _ in range(2):
        assert busy.get("/api/v1/gemeenten/").status_code == 200
    assert busy.get("/api/v1/gemeenten/").status_code == 429

    assert via_proxy("203.0.113.7").get("/api/v1/gemeenten/").status_code == 200


def test_the_api_limit_ignores_a_forged_header_from_outside_the_proxy(behind_proxy, db):
    behind_proxy.API_RATE_LIMIT = "2/minute"
    direct = Client(REMOTE_ADDR="203.0.113.9")
    for number in range(2):
        direct.get("/api/v1/gemeenten/", HTTP_X_FORWARDED_FOR=f"1.2.3.{number}")

    response = direct.get("/api/v1/gemeenten/", HTTP_X_FORWARDED_FOR="1.2.3.99")

    assert response.status_code == 429


def test_a_password_reset_lifts_the_block_of_the_owners_own_client(
    behind_proxy, bewoner, django_capture_on_commit_callbacks
):
    own = via_proxy("203.0.113.7")
    for _ in range(5):
        attempt(own, "bewoner@example.nl")
    assert non_field_errors(attempt(own, "bewoner@example.nl", PASSWORD)) == [TOO_MANY]

    with django_capture_on_commit_callbacks(execute=True):
        own.post("/account/password/reset/", {"email": "bewoner@example.nl"})
    link = re.search(
        r"http://testserver(/account/password/reset/key/\S+/)", mail.outbox[-1].body
    )
    assert link is not None
    # allauth moves the key from the link into the session, then shows the form.
    form_url = own.get(link.group(1), follow=True).redirect_chain[-1][0]
    new_password = "Nieuw-en-lang-wachtwoord-77"
    done = own.post(form_url, {"password1": new_password, "password2": new_password})
    assert done.status_code == 302

    response = attempt(own, "bewoner@example.nl", new_password)

    assert response.status_code == 302
    assert logged_in(own)
