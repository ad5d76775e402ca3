"""A beleidssignaal in a real browser: the professional sends a theme to the gemeente;
the officer, in another browser, finds it in the inbox, marks it received and answers;
the team reads the answer. axe-core clean on every page."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from signalen.kanon import block_start
from signalen.models import (
    Escalatie,
    EscalatieStatus,
    ThemaStatus,
)
from tests.browser.conftest import assert_accessible
from tests.browser.test_foundation import go, log_in
from tests.browser.test_themes import make_thema
from tests.conftest import TOTP_SECRET

SECRET = "Meneer Klaverblad op driehoog belt niemand meer (UNIEK-B9)."


@pytest.fixture
def thema(professional, team, wijk, taxonomy):
    thema = make_thema(
        wijk=wijk,
        team=team,
        author=professional,
        label="ouderen, flat, buurthuis",
        text=SECRET,
        count=12,
        # Outside the team a theme's size counts whole 4-week blocks that are over.
        observed_on=block_start(timezone.localdate()) - datetime.timedelta(days=1),
    )
    thema.status = ThemaStatus.ERKEND
    thema.save(update_fields=["status"])
    return thema


def test_a_team_sends_a_theme_and_the_officer_answers(
    page, browser, live_server, professional, ambtenaar, thema
):
    log_in(page, professional, totp_secret=TOTP_SECRET)
    go(page, f"/signalen/themas/{thema.pk}/")
    assert_accessible(page, context="theme detail")
    page.get_by_role("link", name="Naar de gemeente sturen").click()
    expect(page.locator("h1")).to_have_text("Naar de gemeente sturen")
    expect(page.locator(".bw-escalatie-snapshot")).to_contain_text("12")
    expect(page.locator("main")).not_to_contain_text("UNIEK-B9")
    assert_accessible(page, context="send form with the snapshot preview")

    # Without an argument: refused with a clear message, nothing sent.
    page.get_by_role("button", name="Naar de gemeente sturen").click()
    expect(page.locator(".bw-error-summary")).to_contain_text(
        "Schrijf op waarom de gemeente hier iets mee moet."
    )
    assert_accessible(page, context="send form with an error")
    assert not Escalatie.objects.exists()

    # The theme has no name yet: the team writes one (never the engine's keywords).
    expect(page.get_by_label("Titel")).to_have_value("")
    page.get_by_label("Naam van het thema").fill("Eenzame ouderen in de flats")
    page.get_by_label("Titel").fill("Eenzaamheid bij ouderen in de flats")
    page.get_by_label("Waarom moet de gemeente hier iets mee?").fill(
        "Steeds meer ouderen zijn alleen sinds het buurthuis dicht is."
    )
    page.get_by_role("button", name="Naar de gemeente sturen").click()
    expect(page.locator(".bw-messages")).to_contain_text("naar de gemeente gestuurd")
    expect(page.locator(".bw-escalatie-status")).to_have_text("verstuurd")
    assert_accessible(page, context="escalation sent (team view)")
    page.get_by_role("link", name="Beleidssignalen", exact=True).click()
    expect(page.locator(".bw-escalatie-list")).to_contain_text("Eenzaamheid")
    assert_accessible(page, context="team's escalations")

    # The officer, in a browser of their own.
    context = browser.new_context(
        locale="nl-NL", viewport={"width": 1280, "height": 900}
    )
    officer = context.new_page()
    officer.set_default_timeout(10_000)
    officer.base_url = live_server.url  # type: ignore[attr-defined]
    try:
        log_in(officer, ambtenaar, totp_secret=TOTP_SECRET)
        officer.get_by_role("link", name="Beleidssignalen", exact=True).click()
        expect(officer.locator("h1")).to_have_text("Beleidssignalen")
        assert_accessible(officer, context="officer inbox")
        officer.get_by_role("link", name="Eenzaamheid bij ouderen in de flats").click()
        main = officer.locator("main")
        expect(main).to_contain_text("Steeds meer ouderen zijn alleen")
        expect(main).not_to_contain_text("UNIEK-B9")
        expect(main).not_to_contain_text(professional.display_name)
        expect(officer.locator(".bw-escalatie-snapshot")).to_contain_text("verborgen")
        assert_accessible(officer, context="officer detail")

        officer.get_by_role("button", name="Markeren als ontvangen").click()
        expect(officer.locator(".bw-escalatie-status")).to_have_text("ontvangen")
        assert_accessible(officer, context="officer detail, received")

        officer.get_by_role("button", name="Antwoord versturen").click()
        expect(officer.locator(".bw-error-summary")).to_contain_text(
            "Schrijf het antwoord van de gemeente."
        )
        assert_accessible(officer, context="answer with an error")
        officer.get_by_label("Antwoord van de gemeente").fill(
            "We openen het buurthuis weer op dinsdag."
        )
        officer.get_by_role("button", name="Antwoord versturen").click()
        expect(officer.locator(".bw-escalatie-status")).to_have_text("beantwoord")
        expect(officer.locator(".bw-escalatie-answer")).to_contain_text(
            "We openen het buurthuis weer"
        )
        assert_accessible(officer, context="officer detail, answered")
    finally:
        context.close()

    # The team sees the answer and the whole timeline.
    page.reload()
    page.get_by_role("link", name="Eenzaamheid bij ouderen in de flats").click()
    expect(page.locator(".bw-escalatie-answer")).to_contain_text(
        "We openen het buurthuis weer"
    )
    expect(page.locator(".bw-escalatie-timeline li")).to_have_count(3)
    assert_accessible(page, context="team detail, answered")
    escalatie = Escalatie.objects.get()
    assert escalatie.status == EscalatieStatus.BEANTWOORD
    assert escalatie.handled_by == ambtenaar
