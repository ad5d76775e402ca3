"""Issue 18 items 10 and 12 in the browser, on a phone (390 x 844): the menu leads
to Mijn Buurtwijs, the dashboard and the moderation queue; the texts are the site's
own; the API documentation passes axe-core. No page scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from initiatieven.models import Melding, Thema
from tests.browser.conftest import assert_accessible
from tests.browser.test_foundation import go, log_in
from tests.conftest import TOTP_SECRET
from tests.factories import UserFactory
from tests.initiatieven.factories import InitiatiefFactory

PHONE = {"width": 390, "height": 844}


def assert_no_sideways_scroll(page, context: str) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{context} scrolls sideways: {width} px"


def open_menu_link(page, name: str) -> None:
    page.locator("nav.bw-nav").get_by_role("link", name=name, exact=True).click()


@pytest.fixture
def own_initiative(bewoner, wijk):
    initiatief = InitiatiefFactory(
        wijk=wijk, owner=bewoner, title="Repair café Centrum"
    )
    initiatief.themas.add(Thema.objects.get(code="klussen-repair"))
    return initiatief


def test_a_resident_on_a_phone_finds_mijn_buurtwijs_and_their_own_initiative(
    page, bewoner, own_initiative
):
    page.set_viewport_size(PHONE)
    # A wrong password: the site's own words, "u", no "en/of".
    go(page, "/account/login/")
    page.fill("input[name=login]", bewoner.email)
    page.fill("input[name=password]", "niet-goed")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("main")).to_contain_text(
        "Het e-mailadres of het wachtwoord klopt niet."
    )
    expect(page.locator("main")).not_to_contain_text("en/of")
    assert_accessible(page, context="login error on a phone")

    log_in(page, bewoner)
    open_menu_link(page, "Mijn Buurtwijs")
    expect(page.locator("h1")).to_have_text("Mijn Buurtwijs")
    assert_accessible(page, context="Mijn Buurtwijs on a phone")
    assert_no_sideways_scroll(page, "Mijn Buurtwijs")

    page.get_by_role("link", name="Repair café Centrum").first.click()
    main = page.locator("main")
    expect(main).to_contain_text("U organiseert dit initiatief.")
    expect(page.get_by_role("button", name="Ik doe mee")).to_have_count(0)
    assert_accessible(page, context="own initiative on a phone")
    assert_no_sideways_scroll(page, "own initiative")

    # In English the topic tag is English too.
    page.select_option("#bw-language", "en")
    page.locator("form.bw-lang button[type=submit]").click()
    expect(page.locator(".bw-tags")).to_contain_text("Odd jobs and repairs")
    expect(page.locator(".bw-tags")).not_to_contain_text("Klussen en repareren")
    assert_accessible(page, context="own initiative in English")


def test_an_officer_finds_the_dashboard_in_the_menu(page, ambtenaar, wijk):
    page.set_viewport_size(PHONE)
    log_in(page, ambtenaar, totp_secret=TOTP_SECRET)
    open_menu_link(page, "Dashboard")
    # The dashboard opens on the officer's own gemeente.
    expect(page).to_have_url(page.base_url + f"/dashboard/{wijk.gemeente.code}/")
    assert_accessible(page, context="officer dashboard from the menu")


def test_a_beheerder_sees_new_reports_in_the_menu(page, beheerder, wijk, bewoner):
    initiatief = InitiatiefFactory(wijk=wijk, owner=bewoner, title="Koop nu goedkoop")
    reporter = UserFactory(wijk=wijk, email="melder@example.nl")
    Melding.objects.create(reporter=reporter, initiatief=initiatief, reason="spam")
    page.set_viewport_size(PHONE)
    log_in(page, beheerder, totp_secret=TOTP_SECRET)
    open_menu_link(page, "Meldingen (1 open)")
    expect(page.locator("h1")).to_have_text("Moderatie: meldingen")
    expect(page.locator("main")).to_contain_text("Koop nu goedkoop")
    assert_accessible(page, context="moderation queue from the menu")


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 900}])
def test_the_api_documentation_passes_axe(page, viewport):
    from opendata.api.docs import api_docs

    api_docs()  # built once per process: not inside the page's 10 s under load
    page.set_viewport_size(viewport)
    go(page, "/api/v1/docs/")
    expect(page.locator("h1")).to_have_text("API voor ontwikkelaars")
    expect(page.locator("main")).to_contain_text("/api/v1/wijken/{code}/signalen/")
    assert_accessible(page, context="API docs")
    if viewport == PHONE:
        assert_no_sideways_scroll(page, "API docs")


def test_the_favicon_is_linked_and_served(page):
    go(page, "/")
    href = page.locator("link[rel=icon]").get_attribute("href")
    assert href
    assert href.endswith(".svg")
    response = page.request.get(page.base_url + href)
    assert response.status == 200
    assert "<svg" in response.text()
