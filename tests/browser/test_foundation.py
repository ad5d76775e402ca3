"""The foundation's journeys in a real browser, with axe-core on every page on the way."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.mfa import totp_code_now
from accounts.models import Role, User
from tests.browser.conftest import assert_accessible
from tests.conftest import PASSWORD, TOTP_SECRET
from tests.factories import BuurtFactory, KerncijfersFactory


@pytest.fixture
def buurten(wijk):
    from tests.factories import square

    return [
        BuurtFactory(
            code="BU04390101", name="Binnenstad", wijk=wijk, geometry=square(5.0, 52.0)
        ),
        BuurtFactory(
            code="BU04390102", name="Wagenweg", wijk=wijk, geometry=square(5.01, 52.0)
        ),
    ]


@pytest.fixture
def figures(wijk, buurten):
    KerncijfersFactory(code=wijk.code, level="wijk", inhabitants=8123, households=4010)
    KerncijfersFactory(code="BU04390101", level="buurt", inhabitants=4000)


def go(page, path: str):
    response = page.goto(page.base_url + path)
    assert response is not None
    return response


def fresh_totp_code(secret: str, margin: float = 6.0) -> str:
    """A code with at least `margin` seconds left in its 30-second window.

    A code read before the axe-core checks of the login page could expire before it is
    typed; this waits for the next window instead when the current one is nearly over.
    """
    import time

    left = 30 - time.time() % 30
    if left < margin:
        time.sleep(left + 0.2)
    return totp_code_now(secret)


def log_in(
    page,
    user: User,
    *,
    totp_secret: str | None = None,
    code: str | None = None,
    expect_success: bool = True,
) -> None:
    """Log in through the pages; with `totp_secret` the code is computed just in time."""
    if totp_secret is not None:
        code = ""
    go(page, "/account/login/")
    assert_accessible(page, context="login")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    if code is not None:
        page.wait_for_url(re.compile(r"/account/2fa/authenticate/"))
        assert_accessible(page, context="2FA code at login")
        if totp_secret is not None:
            code = fresh_totp_code(totp_secret)
        page.fill("input[name=code]", code)
        page.locator("main form button[type=submit]").first.click()
        if expect_success:
            # Let the login finish before the test navigates elsewhere.
            page.wait_for_url(re.compile(r"/account/start/"))


def test_public_pages_are_accessible_and_show_maps(
    page, wijk, other_wijk, buurten, figures
):
    go(page, "/")
    expect(page.locator("h1")).to_contain_text("Samen werken aan uw wijk")
    expect(page.locator(".leaflet-container")).to_have_count(1)
    expect(page.locator("path.leaflet-interactive")).to_have_count(2)
    assert_accessible(page, context="home")

    go(page, "/gemeenten/")
    assert_accessible(page, context="gemeente list")
    page.get_by_role("link", name="Purmerend").first.click()
    expect(page.locator("h1")).to_contain_text("Purmerend")
    assert_accessible(page, context="gemeente page")

    page.get_by_role("link", name=wijk.name).first.click()
    expect(page.locator("h1")).to_contain_text(wijk.name)
    expect(page.locator("path.leaflet-interactive")).to_have_count(2)
    expect(page.get_by_text("8.123")).to_be_visible()
    assert_accessible(page, context="wijk page")

    for path in ("/account/signup/", "/account/password/reset/"):
        go(page, path)
        assert_accessible(page, context=path)

    response = go(page, "/wijk/WK999999/")
    assert response.status == 404
    assert_accessible(page, context="404 page")


def test_the_language_switch_turns_the_site_english(page, wijk):
    go(page, "/")
    page.select_option("#bw-language", "en")
    page.get_by_role("button", name="Kies").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page, context="home in English")


def test_a_resident_signs_up_confirms_the_email_and_lands_in_their_wijk(page, wijk):
    go(page, "/account/signup/")
    page.fill("input[name=email]", "nieuwe.bewoner@example.nl")
    page.fill("input[name=display_name]", "Nora")
    page.select_option("select[name=wijk]", str(wijk.pk))
    page.fill("input[name=password1]", "een-lang-wachtwoord-42")
    page.fill("input[name=password2]", "een-lang-wachtwoord-42")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/account/confirm-email/"))
    assert_accessible(page, context="verification sent")

    user = User.objects.get(email="nieuwe.bewoner@example.nl")
    assert user.role == Role.BEWONER
    assert user.wijk == wijk
    link = re.search(r"https?://\S+/account/confirm-email/\S+", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    page.goto(link.group(0))
    assert_accessible(page, context="confirm e-mail")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("h1")).to_contain_text("Welkom, Nora")
    assert_accessible(page, context="resident start page")
    page.get_by_role("link", name=f"Bekijk uw wijk {wijk.name}").click()
    expect(page.locator("h1")).to_contain_text(wijk.name)

    go(page, "/account/gegevens/")
    assert_accessible(page, context="profile")
    page.fill("input[name=display_name]", "")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Vul uw naam in.").first).to_be_visible()
    assert_accessible(page, context="profile with an error")


def test_a_professional_logs_in_with_2fa_and_opens_a_team_wijk(
    page, professional, wijk, outsider_professional, buurten
):
    log_in(page, professional, totp_secret=TOTP_SECRET)
    expect(page.locator("h1")).to_contain_text("Welkom, Piet Professional")
    assert_accessible(page, context="professional start page")
    expect(page.get_by_text("Hoorn Binnenstad")).to_have_count(0)
    page.get_by_role("link", name=wijk.name).first.click()
    expect(page.locator("h1")).to_contain_text(wijk.name)
    expect(page.locator(".leaflet-container")).to_have_count(1)
    assert_accessible(page, context="wijk page as professional")


def test_a_wrong_2fa_code_keeps_the_professional_out(page, professional):
    log_in(page, professional, code="000000", expect_success=False)
    expect(page).to_have_url(re.compile(r"/account/2fa/authenticate/"))
    assert_accessible(page, context="2FA error")
    go(page, "/account/start/")
    # Still not logged in: sent back to the login (or the pending 2FA step).
    expect(page).to_have_url(re.compile(r"/account/(login|2fa/authenticate)/"))
    expect(page.locator("h1")).not_to_contain_text("Welkom")


def test_a_new_professional_must_set_up_2fa_first(page, professional_without_mfa):
    from allauth.mfa.models import Authenticator

    log_in(page, professional_without_mfa)
    page.wait_for_url(re.compile(r"/account/2fa/totp/activate"))
    assert_accessible(page, context="2FA setup")
    secret = page.locator("#authenticator_secret").input_value()
    page.fill("input[name=code]", fresh_totp_code(secret))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/account/2fa/"))
    assert_accessible(page, context="after 2FA setup")
    assert Authenticator.objects.filter(user=professional_without_mfa).exists()
    go(page, "/account/start/")
    expect(page.locator("h1")).to_contain_text("Welkom, Nina Nieuw")


def test_a_beheerder_invites_an_officer_who_then_sets_up_2fa(
    page, browser, beheerder, gemeente
):
    log_in(page, beheerder, totp_secret=TOTP_SECRET)
    go(page, "/account/uitnodigingen/")
    assert_accessible(page, context="invitations")
    page.fill("input[name=email]", "nieuwe.ambtenaar@example.nl")
    page.select_option("select[name=role]", Role.AMBTENAAR)
    page.select_option("select[name=gemeente]", str(gemeente.pk))
    page.get_by_role("button", name="Uitnodiging versturen").click()
    expect(page.get_by_text("De uitnodiging is verstuurd")).to_be_visible()
    assert_accessible(page, context="invitation sent")

    link = re.search(r"https?://\S+/account/uitnodiging/\S+/", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    context = browser.new_context(locale="nl-NL")
    officer_page = context.new_page()
    officer_page.goto(link.group(0))
    assert_accessible(officer_page, context="accept invitation")
    officer_page.fill("input[name=display_name]", "Olga")
    officer_page.fill("input[name=password1]", "een-lang-wachtwoord-42")
    officer_page.fill("input[name=password2]", "een-lang-wachtwoord-42")
    officer_page.locator("main form button[type=submit]").first.click()
    officer_page.wait_for_url(re.compile(r"/account/2fa/totp/activate"))
    officer = User.objects.get(email="nieuwe.ambtenaar@example.nl")
    assert officer.role == Role.AMBTENAAR
    assert officer.gemeente == gemeente
    context.close()


def test_public_and_account_pages_are_accessible_on_a_phone(
    page, wijk, buurten, figures, bewoner
):
    page.set_viewport_size({"width": 375, "height": 812})
    for path in ("/", "/gemeenten/?q=centrum", wijk.get_absolute_url()):
        go(page, path)
        assert_accessible(page, context=f"{path} on a phone")
    for path in ("/account/signup/", "/account/login/", "/account/password/reset/"):
        go(page, path)
        assert_accessible(page, context=f"{path} on a phone")
    log_in(page, bewoner)
    go(page, "/account/gegevens/")
    assert_accessible(page, context="profile on a phone")
