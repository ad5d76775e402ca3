"""Staff sign-in through the gemeente's provider, on a phone (390 px), with axe-core.

The provider is the tiny OpenID Connect server of tests/accounts/oidc_provider.py,
started in the test run; the browser really goes there and back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from accounts.models import ProviderSignIn, SignInOutcome
from tests.accounts.oidc_provider import LocalOIDCProvider
from tests.accounts.test_oidc import make_provider
from tests.browser.conftest import assert_accessible
from tests.browser.phone_crawl import visit_all
from tests.browser.test_foundation import fresh_totp_code, go
from tests.conftest import TOTP_SECRET

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def oidc() -> Iterator[LocalOIDCProvider]:
    server = LocalOIDCProvider().start()
    yield server
    server.stop()


@pytest.fixture
def providers(oidc, gemeente, outsider_gemeente):
    return (
        make_provider(oidc, gemeente, "gemeente-purmerend", "Gemeente Purmerend"),
        make_provider(oidc, outsider_gemeente, "gemeente-elders", "Gemeente Elders"),
    )


def fits_the_screen(page) -> bool:
    return bool(
        page.evaluate(
            "() => document.documentElement.scrollWidth <= window.innerWidth + 1"
        )
    )


def press_provider_button(page, label: str) -> None:
    page.get_by_role("button", name=f"Inloggen via {label}").click()


def test_the_login_page_with_provider_buttons_on_a_phone(page, providers):
    page.set_viewport_size(PHONE)
    go(page, "/account/login/")

    expect(
        page.get_by_role("heading", name="Inloggen via uw organisatie")
    ).to_be_visible()
    expect(
        page.get_by_role("button", name="Inloggen via Gemeente Purmerend")
    ).to_be_visible()
    assert fits_the_screen(page)
    assert_accessible(page, context="login page with provider buttons, phone")

    page.context.add_cookies(
        [{"name": "django_language", "value": "en", "url": page.base_url}]
    )
    go(page, "/account/login/")
    expect(
        page.get_by_role("button", name="Sign in via Gemeente Purmerend")
    ).to_be_visible()
    assert_accessible(page, context="login page in English, phone")


def test_an_officer_signs_in_through_the_gemeente_with_mfa_there(
    page, oidc, providers, ambtenaar
):
    page.set_viewport_size(PHONE)
    oidc.next_claims = {"email": ambtenaar.email, "amr": ["pwd", "mfa"]}
    go(page, "/account/login/")

    press_provider_button(page, "Gemeente Purmerend")

    page.wait_for_url(re.compile(r"/account/start/"))
    assert_accessible(page, context="start after provider sign-in, phone")
    go(page, f"/dashboard/{ambtenaar.gemeente.code}/")
    expect(page.locator("h1")).to_contain_text("Purmerend")
    assert ProviderSignIn.objects.get().outcome == SignInOutcome.OK


def test_a_professional_without_mfa_claim_types_their_code(
    page, oidc, providers, professional
):
    page.set_viewport_size(PHONE)
    oidc.next_claims = {"email": professional.email, "amr": ["pwd"]}
    go(page, "/account/login/")

    press_provider_button(page, "Gemeente Purmerend")

    page.wait_for_url(re.compile(r"/account/2fa/authenticate/"))
    assert_accessible(page, context="code step after provider sign-in, phone")
    page.fill("input[name=code]", fresh_totp_code(TOTP_SECRET))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/account/start/"))
    assert fits_the_screen(page)


def test_a_resident_is_refused_with_a_clear_message(page, oidc, providers, bewoner):
    page.set_viewport_size(PHONE)
    oidc.next_claims = {"email": bewoner.email, "amr": ["mfa"]}
    go(page, "/account/login/")

    press_provider_button(page, "Gemeente Purmerend")

    page.wait_for_url(re.compile(r"/account/login/"))
    expect(page.get_by_text("Woont u in de wijk? Log dan in")).to_be_visible()
    assert fits_the_screen(page)
    assert_accessible(page, context="refused provider sign-in, phone")


def test_the_provider_of_another_gemeente_is_refused(page, oidc, providers, ambtenaar):
    page.set_viewport_size(PHONE)
    oidc.next_claims = {"email": ambtenaar.email, "amr": ["mfa"]}
    go(page, "/account/login/")

    press_provider_button(page, "Gemeente Elders")

    page.wait_for_url(re.compile(r"/account/login/"))
    expect(page.get_by_text("niet de organisatie van uw account")).to_be_visible()


def test_allauths_provider_pages_fit_a_phone_and_pass_axe(
    page, oidc, providers, ambtenaar
):
    """The pages allauth.socialaccount adds (linked accounts, cancelled, error), as the
    phone crawl of test_phone.py measures them, plus axe-core."""
    page.set_viewport_size(PHONE)
    paths = {"socialaccount_login_cancelled": "/account/3rdparty/login/cancelled/"}
    visits = visit_all(page, page.base_url, role="anoniem", paths=paths)
    oidc.next_claims = {"email": ambtenaar.email, "amr": ["mfa"]}
    go(page, "/account/login/")
    press_provider_button(page, "Gemeente Purmerend")
    page.wait_for_url(re.compile(r"/account/start/"))
    paths["socialaccount_connections"] = "/account/3rdparty/"
    visits += visit_all(page, page.base_url, role="ambtenaar", paths=paths)

    assert [v.status for v in visits] == [200] * 3
    assert [
        (v.path, v.scroll_width, v.wide, v.problems)
        for v in visits
        if v.scrolls_sideways or v.problems
    ] == []
    for path in [*paths.values(), "/account/3rdparty/login/error/"]:
        go(page, path)
        assert_accessible(page, context=f"{path} on a phone")
    go(page, "/account/3rdparty/")
    expect(page.locator("main")).to_contain_text("Gemeente Purmerend")
