"""A professional puts the wijkteam's contact and a place on the wijk page: MFA login,
from the themes page to the wijk's contact and places, a place with its point picked on
the map (a point far outside the wijk refused first), then a visitor sees both on the
public wijk page, in the list and as a numbered pin whose popup opens from the
keyboard; axe-core clean on every page."""

from __future__ import annotations

import re

from django.urls import resolve
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_foundation import go, log_in
from tests.conftest import TOTP_SECRET
from tests.factories import BuurtFactory
from wijken.models import Plek, WijkteamContact


def test_a_professional_adds_contact_and_a_place_and_a_visitor_sees_them(
    page, professional, team, wijk
):
    BuurtFactory(code="BU04390101", name="Binnenstad", wijk=wijk)
    # The first request imports every URL module (the roll-up engine brings scikit-learn,
    # seconds on a busy machine): do that before the page's 10-second clock runs.
    resolve("/account/login/")
    log_in(page, professional, totp_secret=TOTP_SECRET)

    go(page, "/signalen/themas/")
    page.get_by_role("link", name="Wijkteam en plekken op de wijkpagina").click()
    expect(page.locator("h1")).to_have_text("Wijkteam en plekken")
    assert_accessible(page, context="places index")
    page.get_by_role("link", name=wijk.name).click()
    expect(page.locator("h1")).to_have_text(f"Wijkteam en plekken in {wijk.name}")
    assert_accessible(page, context="places of the wijk, empty")

    # The contact: a bad phone number first, then a good one.
    page.get_by_role("link", name="Contact toevoegen").click()
    assert_accessible(page, context="contact form")
    page.get_by_label("Naam van het team").fill("Sociaal wijkteam Centrum")
    page.get_by_label("Telefoonnummer").fill("bel ons")
    page.get_by_label("E-mailadres").fill("wijkteam@purmerend.example.nl")
    page.get_by_label("Inloopspreekuur").fill(
        "Dinsdag 9.00 - 12.00 uur in het buurthuis"
    )
    page.locator("#id_address").fill("Marktplein 4, 1441 AB Purmerend")
    page.get_by_role("button", name="Contact opslaan").click()
    expect(page.locator(".bw-error-summary")).to_contain_text(
        "Dit is geen Nederlands telefoonnummer"
    )
    expect(page.get_by_label("Naam van het team")).to_have_value(
        "Sociaal wijkteam Centrum"
    )
    assert not WijkteamContact.objects.exists()
    assert_accessible(page, context="contact form with an error")
    page.get_by_label("Telefoonnummer").fill("0299 123 456")
    page.get_by_role("button", name="Contact opslaan").click()
    expect(page.locator(".bw-messages")).to_contain_text("Het contact van het wijkteam")
    assert WijkteamContact.objects.get().phone == "0299 123 456"

    # A place: typed far away first, then picked on the map.
    page.get_by_role("link", name="Plek toevoegen").click()
    expect(page.locator("h1")).to_have_text(f"Nieuwe plek in {wijk.name}")
    assert_accessible(page, context="new place form")
    page.get_by_label("Soort plek").select_option(label="Bibliotheek")
    page.get_by_label("Naam", exact=True).fill("Bibliotheek Centrum")
    page.get_by_label("Wat is hier te doen?").fill("Taalhuis en hulp bij de computer.")
    page.locator("#id_address").fill("Marktstraat 21, 1441 BM Purmerend")
    page.get_by_label("Buurt").select_option(label="Binnenstad")
    page.get_by_label("Openingstijden").fill("Dinsdag 10.00 - 17.00 uur")
    page.get_by_label("Breedtegraad (noord)").fill("52,5")
    page.get_by_label("Lengtegraad (oost)").fill("4,9")
    page.get_by_role("button", name="Plek opslaan").click()
    expect(page.locator(".bw-error-summary")).to_contain_text("km buiten de wijk")
    assert not Plek.objects.exists()
    assert_accessible(page, context="new place with an error")
    page.locator("#plek-picker").click()
    expect(page.get_by_label("Breedtegraad (noord)")).to_have_value(
        re.compile(r"^52\.0\d+$")
    )
    page.get_by_role("button", name="Plek opslaan").click()
    expect(page.locator(".bw-messages")).to_contain_text(
        "De plek Bibliotheek Centrum is opgeslagen."
    )
    plek = Plek.objects.get()
    assert 52.0 < plek.latitude < 52.02
    assert 5.0 < plek.longitude < 5.02
    assert_accessible(page, context="places of the wijk, filled")

    # A visitor, not logged in, on the public wijk page.
    visitor = page.context.browser.new_context(
        locale="nl-NL", viewport={"width": 1280, "height": 900}
    )
    public = visitor.new_page()
    errors: list[str] = []
    public.on("pageerror", lambda exc: errors.append(str(exc)))
    public.goto(page.base_url + wijk.get_absolute_url())
    team_section = public.locator(".bw-wijkteam")
    expect(team_section).to_contain_text("Sociaal wijkteam Centrum")
    expect(team_section.get_by_role("link", name="0299 123 456")).to_have_attribute(
        "href", "tel:+31299123456"
    )
    expect(team_section).to_contain_text("Dinsdag 9.00 - 12.00 uur in het buurthuis")
    expect(public.locator(".bw-plekken")).to_contain_text("Bibliotheek Centrum")
    expect(public.locator(".bw-plekken")).to_contain_text("Dinsdag 10.00 - 17.00 uur")
    expect(
        team_section.get_by_role("link", name="Wijkteam en plekken aanpassen")
    ).to_have_count(0)

    # The pin on the map: reached with Tab, opened with Enter, closed with Escape.
    pin = public.locator(".bw-map-pin")
    expect(pin).to_have_count(1)
    expect(pin).to_contain_text("1")
    pin.focus()
    public.keyboard.press("Enter")
    popup = public.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Bibliotheek Centrum")
    more = popup.get_by_role("link", name="Meer in de lijst")
    expect(more).to_be_focused()
    assert_accessible(public, context="public wijk page, popup open")
    public.keyboard.press("Escape")
    expect(popup).to_have_count(0)
    expect(pin).to_be_focused()
    assert_accessible(public, context="public wijk page")
    assert not errors, errors
    visitor.close()
