"""Issue #18, items 6, 7 and 11, in the browser: one theme's number is the same for the
team and the officer when counted the same way, and each page says what it counts; every
theme in the demo has a name a professional wrote, and an unnamed theme's send form asks
for a name; the privacy statement and the offers page say the same about who sees what a
resident can give. At 390 pixels wide (and 1366 where layout matters), axe-core clean."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from accounts.demo import DEMO_TEAM_NAME
from accounts.models import Team
from signalen.models import Escalatie, WijkThema
from tests.browser.conftest import assert_accessible
from tests.browser.test_foundation import go, log_in
from tests.browser.test_phone import _log_in_demo
from tests.conftest import TOTP_SECRET
from tests.signalen.test_one_number import (  # noqa: F401 (a fixture)
    OUTSIDE_SIZE,
    TEAM_SIZE,
    fixture_theme,
)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
VIEWPORTS = pytest.mark.parametrize(
    "viewport", [PHONE, DESKTOP], ids=["phone", "desktop"]
)
WHO_SEES = (
    "Wat u kunt geven ziet alleen u. Organisatoren en andere bewoners zien het niet. "
    "Alleen de beheerder kan het zien, als dat nodig is voor het werk."
)


@pytest.fixture(autouse=True)
def _taxonomy(taxonomy):
    """The fixture theme's signals are about a seeded target group."""


def _no_sideways_scroll(page, where: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{where}: {width}px wide"


def _first_number(text: str) -> str:
    match = re.match(r"\s*(\d+)", text)
    assert match, text
    return match.group(1)


# --- Item 6: one number, and each page says what it counts -------------------------------


@VIEWPORTS
def test_the_team_and_the_officer_see_the_same_outside_number_for_a_theme(
    page,
    professional,
    ambtenaar,
    wijk,
    fixture_theme,  # noqa: F811 (the imported fixture)
    viewport,
):
    page.set_viewport_size(viewport)
    log_in(page, professional, totp_secret=TOTP_SECRET)
    go(page, reverse("signalen:thema_detail", args=[fixture_theme.pk]))
    team = page.locator("dd.bw-size-team")
    outside = page.locator("dd.bw-size-outside")
    assert _first_number(team.inner_text()) == str(TEAM_SIZE)
    expect(team).to_contain_text("(alle signalen tot nu)")
    assert _first_number(outside.inner_text()) == str(OUTSIDE_SIZE)
    expect(outside).to_contain_text("alleen hele blokken van 4 weken, tot en met")
    _no_sideways_scroll(page, "theme page")
    assert_accessible(page, context=f"team theme page ({viewport['width']})")

    go(page, reverse("signalen:thema_list"))
    item = page.locator(".bw-thema-item", has_text=fixture_theme.name)
    assert _first_number(item.locator("dd.bw-size-team").inner_text()) == str(TEAM_SIZE)
    assert _first_number(item.locator("dd.bw-size-outside").inner_text()) == str(
        OUTSIDE_SIZE
    )
    assert_accessible(page, context=f"team theme list ({viewport['width']})")

    officer = page.context.browser.new_context(locale="nl-NL", viewport=viewport)
    officer_page = officer.new_page()
    officer_page.base_url = page.base_url
    try:
        log_in(officer_page, ambtenaar, totp_secret=TOTP_SECRET)
        go(officer_page, f"/dashboard/wijk/{wijk.code}/")
        row = officer_page.locator("tr", has_text=fixture_theme.name)
        expect(row).to_have_count(1)
        expect(row.locator("td").last).to_have_text(str(OUTSIDE_SIZE))
        expect(officer_page.locator("#themas-telling")).to_contain_text(
            "Signalen: alleen hele blokken van 4 weken, tot en met"
        )
        # The officer never sees the team's own (higher) number for this theme.
        expect(row).not_to_contain_text(str(TEAM_SIZE))
        _no_sideways_scroll(officer_page, "officer dashboard")
        assert_accessible(
            officer_page, context=f"officer wijk dashboard ({viewport['width']})"
        )
    finally:
        officer.close()


# --- Item 7: themes carry a name a professional wrote -------------------------------------


@pytest.fixture
def demo_site(settings, tmp_path):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())


@VIEWPORTS
def test_every_theme_on_the_demo_teams_list_has_a_written_name(
    page, demo_site, viewport
):
    page.set_viewport_size(viewport)
    _log_in_demo(page, "professional")
    go(page, reverse("signalen:thema_list"))
    titles = page.locator(".bw-thema-item h3").all_inner_texts()
    closed = page.locator(".bw-thema-closed li a").all_inner_texts()
    names = [t.strip() for t in titles + closed]
    assert titles, "the demo team has current themes"
    for name in names:
        assert name, names
        assert "," not in name, f"a keyword list as title: {name!r}"
        assert name[0].isupper(), name
    _no_sideways_scroll(page, "demo theme list")
    assert_accessible(page, context=f"demo theme list ({viewport['width']})")


def test_the_send_form_of_an_unnamed_demo_theme_asks_for_a_name(page, demo_site):
    team = Team.objects.get(name=DEMO_TEAM_NAME)
    thema = (
        WijkThema.objects.filter(wijk__in=team.wijken.all())
        .exclude(escalaties__isnull=False)
        .order_by("pk")
        .first()
    )
    assert thema is not None
    keywords = ", ".join(thema.keywords or [])
    WijkThema.objects.filter(pk=thema.pk).update(name="")

    page.set_viewport_size(PHONE)
    _log_in_demo(page, "professional")
    go(page, f"/signalen/themas/{thema.pk}/gemeente/")
    name_field = page.locator("input[name=thema_name]")
    expect(name_field).to_be_visible()
    expect(name_field).to_have_value("")
    title = page.locator("input[name=title]")
    if keywords:
        assert title.input_value() != keywords
        assert keywords not in title.input_value()
    _no_sideways_scroll(page, "send form")
    assert_accessible(page, context="send form of an unnamed theme (phone)")

    title.fill("Ouderen missen het buurthuis")
    page.locator("textarea[name=argument]").fill(
        "Steeds meer ouderen raken alleen; het buurthuis is dicht."
    )
    page.get_by_role("button", name="Naar de gemeente sturen").click()
    expect(page.locator("main")).to_contain_text("Geef het thema een naam")
    expect(page).to_have_title(re.compile("^Fout:"))
    assert_accessible(page, context="send form, name missing (phone)")
    assert not Escalatie.objects.filter(thema=thema).exists()
    thema.refresh_from_db()
    assert thema.name == ""


# --- Item 11: the privacy statement and the offers page agree ------------------------------


@VIEWPORTS
def test_the_privacy_statement_and_the_offers_page_say_who_sees_what_you_can_give(
    page, bewoner, viewport
):
    page.set_viewport_size(viewport)
    go(page, reverse("privacy:statement"))
    statement = page.locator("main")
    expect(statement).to_contain_text(WHO_SEES)
    expect(statement).to_contain_text("U zoekt zelf contact met de organisatoren.")
    expect(statement).not_to_contain_text("Zo kunnen organisatoren u vinden")
    _no_sideways_scroll(page, "privacy statement")
    assert_accessible(page, context=f"privacy statement ({viewport['width']})")

    log_in(page, bewoner)
    go(page, reverse("initiatieven:aanbod"))
    expect(page.locator("h1")).to_contain_text("Wat ik kan geven")
    offers = page.locator("main")
    expect(offers).to_contain_text(WHO_SEES)
    expect(offers).to_contain_text("U zoekt zelf contact met de organisatoren.")
    expect(offers).not_to_contain_text("Niemand anders ziet deze gegevens")
    _no_sideways_scroll(page, "offers page")
    assert_accessible(page, context=f"offers page ({viewport['width']})")
