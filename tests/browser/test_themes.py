"""A professional works through the wijk themes on a phone: MFA login, the list, one
theme confirmed, renamed and shared with the gemeente, another dismissed with a
reason; axe-core clean on every page."""

from __future__ import annotations

from playwright.sync_api import expect

from signalen.models import (
    Categorie,
    ThemaGebeurtenis,
    ThemaLid,
    WijkThema,
)
from tests.browser.conftest import assert_accessible
from tests.browser.test_foundation import log_in
from tests.conftest import TOTP_SECRET
from tests.signalen.helpers import make_signaal

PHONE = {"width": 375, "height": 812}


def make_thema(*, wijk, team, author, label, text, count=5, observed_on=None):
    extra = {"observed_on": observed_on} if observed_on else {}
    signalen = [
        make_signaal(author=author, team=team, text=text, **extra)
        for _i in range(count)
    ]
    thema = WijkThema.objects.create(
        wijk=wijk,
        label=label,
        keywords=label.split(", "),
        categorie=Categorie.objects.get(code="eenzaamheid"),
        size=count,
        authors=2,
        trend="rising",
        recent_count=5,
        last_observed_on=signalen[0].observed_on,
    )
    for signaal in signalen:
        ThemaLid.objects.create(thema=thema, signaal=signaal)
    return thema


def test_a_professional_confirms_renames_shares_and_dismisses_themes_on_a_phone(
    page, professional, team, wijk, taxonomy
):
    first = make_thema(
        wijk=wijk,
        team=team,
        author=professional,
        label="ouderen, flat, buurthuis",
        text="Ouderen in de flat zijn alleen sinds het buurthuis dicht is.",
    )
    second = make_thema(
        wijk=wijk,
        team=team,
        author=professional,
        label="fiets, stalling, station",
        text="Fietsen staan overal bij het station.",
    )
    page.set_viewport_size(PHONE)
    log_in(page, professional, totp_secret=TOTP_SECRET)

    page.get_by_role("link", name="Thema's", exact=True).click()
    expect(page.locator("h1")).to_have_text("Thema's in uw wijken")
    expect(page.locator(".bw-thema-item")).to_have_count(2)
    expect(page.get_by_text("nog niet samengevat")).to_be_visible()
    assert_accessible(page, context="theme list (phone)")

    page.get_by_role("link", name="ouderen, flat, buurthuis").click()
    expect(page.locator("h1")).to_have_text("ouderen, flat, buurthuis")
    expect(page.locator(".bw-thema-examples .bw-signaal-item")).to_have_count(5)
    assert_accessible(page, context="theme detail (phone)")

    page.get_by_role("button", name="Thema erkennen").click()
    expect(page.locator(".bw-messages")).to_contain_text("Het thema is erkend.")
    expect(page.locator(".bw-thema-status")).to_have_text("erkend")
    assert_accessible(page, context="theme confirmed (phone)")

    # A name that is too long is refused, and what was typed stays.
    name_field = page.get_by_label("Naam van het thema")
    name_field.evaluate("el => el.removeAttribute('maxlength')")
    name_field.fill("x" * 121)
    page.get_by_role("button", name="Naam opslaan").click()
    expect(page.locator(".bw-error-summary")).to_contain_text("De naam is te lang")
    expect(page.get_by_label("Naam van het thema")).to_have_value("x" * 121)
    assert_accessible(page, context="rename with an error (phone)")

    page.get_by_label("Naam van het thema").fill("Eenzame ouderen in de flats")
    page.get_by_role("button", name="Naam opslaan").click()
    expect(page.locator("h1")).to_have_text("Eenzame ouderen in de flats")
    expect(page.locator(".bw-messages")).to_contain_text(
        "De nieuwe naam is opgeslagen."
    )
    assert_accessible(page, context="theme renamed (phone)")

    page.get_by_label("ook de gemeente (alleen aantallen)").check()
    page.get_by_role("button", name="Zichtbaarheid opslaan").click()
    expect(page.locator(".bw-thema-visibility")).to_have_text(
        "ook de gemeente (alleen aantallen)"
    )
    expect(page.locator(".bw-thema-history")).to_contain_text("zichtbaarheid gewijzigd")
    assert_accessible(page, context="theme shared with the gemeente (phone)")

    # The second theme: dismissing without a reason is refused, then done with one.
    page.get_by_role("link", name="Terug naar de thema's").click()
    page.get_by_role("link", name="fiets, stalling, station").click()
    page.get_by_role("button", name="Thema verwerpen").click()
    expect(page.locator(".bw-error-summary")).to_contain_text(
        "Schrijf op waarom u dit thema verwerpt."
    )
    assert_accessible(page, context="dismiss without a reason (phone)")
    page.get_by_role("link", name="Naar het formulier met de fout").click()
    page.get_by_label("Waarom verwerpt u dit thema?").fill(
        "Dit gaat over verschillende dingen, niet één thema."
    )
    page.get_by_role("button", name="Thema verwerpen").click()
    expect(page.locator(".bw-thema-status")).to_have_text("verworpen")
    expect(page.get_by_text("Toch erkennen (verwerpen terugdraaien)")).to_be_visible()
    assert_accessible(page, context="theme dismissed (phone)")

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "erkend"
    assert first.name == "Eenzame ouderen in de flats"
    assert first.visibility == "gemeente"
    assert first.status_changed_by == professional
    assert second.status == "verworpen"
    assert second.status_reason.startswith("Dit gaat over verschillende dingen")
    assert ThemaGebeurtenis.objects.filter(thema=first).count() == 3
    assert ThemaGebeurtenis.objects.filter(thema=second).count() == 1
