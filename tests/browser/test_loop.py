"""The collective loop of issue #7, end to end, over all roles in their own browsers.

Signals of two professionals roll up into two themes. The professional confirms one
and publishes it as a call; a resident sees the call on the wijk page, adopts it,
starts an initiative and links it to the theme. A colleague in the team sends the
second theme to the gemeente; the officer answers. The professional reads the answer
and what became of their signals; the team exports its report. axe-core clean on every
page on the way, and no signal text outside the team.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, expect

from accounts.mfa import totp_activate
from accounts.models import Role
from initiatieven.models import Initiatief
from signalen.models import (
    Escalatie,
    EscalatieStatus,
    RollupRun,
    ThemaInitiatief,
    ThemaStatus,
    ThemaTrekker,
    WijkThema,
)
from signalen.themes import runs as rollup_runs
from tests.browser.conftest import assert_accessible
from tests.browser.helpers_publish import (
    colleague_approves,
    preview_and_send,
    warm_scrubber,
)
from tests.browser.test_foundation import go, log_in
from tests.conftest import TOTP_SECRET
from tests.factories import UserFactory
from tests.signalen.test_rollup_runs import EENZAAM, SCHIMMEL, add_signals

PUBLIC_TITLE = "Ouderen zoeken een plek om elkaar te zien"
PUBLIC_TEXT = (
    "Het wijkteam hoort vaak dat oudere buren weinig mensen zien, nu er geen vaste "
    "plek meer is om samen te komen. Wilt u helpen? Begin iets of doe mee."
)
INITIATIEF_TITLE = "Koffietafel voor buren op woensdag"
ESCALATIE_TITLE = "Schimmel in huurwoningen met kinderen"
ARGUMENT = (
    "Veel gezinnen in huurwoningen hebben last van vocht. "
    "Het team kan dit niet alleen oplossen."
)
ANSWER = "De gemeente praat volgende maand met de corporatie over een aanpak."


@pytest.fixture
def colleague(team):
    """A second professional in the standing team."""
    user = UserFactory(
        email="collega@example.nl", display_name="Carla Collega", role=Role.PROFESSIONAL
    )
    team.members.add(user)
    totp_activate(user=user, secret=TOTP_SECRET)
    return user


@pytest.fixture
def role_page(
    browser, browser_context_args, live_server
) -> Iterator[Callable[[], Page]]:
    """A new page in a browser context of its own (one per role), set up like the
    `page` fixture: it fails the test on a CSP violation or a JavaScript error."""
    contexts = []
    problems: list[str] = []

    def make() -> Page:
        context = browser.new_context(**browser_context_args)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda msg: (
                problems.append(msg.text)
                if msg.type == "error"
                and ("Content Security Policy" in msg.text or "Refused" in msg.text)
                else None
            ),
        )
        page.on("pageerror", lambda exc: problems.append(f"JavaScript error: {exc}"))
        page.set_default_timeout(10_000)
        page.base_url = live_server.url  # type: ignore[attr-defined]
        return page

    yield make
    for context in contexts:
        context.close()
    assert not problems, "Browser problems:\n" + "\n".join(problems)


def test_the_collective_loop_over_all_roles(
    page,
    role_page,
    professional,
    colleague,
    bewoner,
    ambtenaar,
    team,
    wijk,
    taxonomy,
):
    # --- Signals roll up into themes (the live server shares the committed data) ---
    authors = [professional, colleague]
    mould = add_signals(SCHIMMEL, team=team, authors=authors)
    lonely = add_signals(EENZAAM, team=team, authors=authors, categorie="eenzaamheid")
    run = rollup_runs.rollup_wijk(wijk)
    assert run.status == RollupRun.Status.SUCCESS
    assert run.themes_created == 2
    lonely_theme = WijkThema.objects.get(leden__signaal=lonely[0])
    mould_theme = WijkThema.objects.get(leden__signaal=mould[0])
    assert lonely_theme != mould_theme
    secrets = [lonely[0].text, mould[0].text]

    def assert_no_signal_text(where: Page) -> None:
        content = where.content()
        for secret in secrets:
            assert secret not in content, where.url

    # --- The professional confirms the first theme and publishes it as a call ---
    log_in(page, professional, totp_secret=TOTP_SECRET)
    page.get_by_role("link", name="Thema's", exact=True).click()
    expect(page.locator("h1")).to_have_text("Thema's in uw wijken")
    expect(page.locator(".bw-thema-item")).to_have_count(2)
    assert_accessible(page, context="theme list after the roll-up")

    page.get_by_role("link", name=lonely_theme.display_name, exact=True).click()
    expect(page.locator("h1")).to_have_text(lonely_theme.display_name)
    expect(page.locator(".bw-thema-status")).to_have_text("gesignaleerd")
    assert_accessible(page, context="theme found by the roll-up")
    page.get_by_role("button", name="Thema erkennen").click()
    expect(page.locator(".bw-messages")).to_contain_text("Het thema is erkend.")
    expect(page.locator(".bw-thema-status")).to_have_text("erkend")
    assert_accessible(page, context="theme confirmed")

    warm_scrubber()
    page.get_by_label("Openbare titel", exact=True).fill(PUBLIC_TITLE)
    page.get_by_label("Openbare tekst", exact=True).fill(PUBLIC_TEXT)
    page.get_by_label("Oproep aan bewoners", exact=False).check()
    preview_and_send(page)
    assert_accessible(page, context="call sent, waiting for a colleague")
    colleague_approves(lonely_theme, author=professional)

    # --- A resident sees the call on the wijk page, adopts it, links an initiative ---
    resident = role_page()
    log_in(resident, bewoner)
    resident.wait_for_url(re.compile(r"/account/start/"))
    resident.get_by_role("link", name="Mijn wijk", exact=True).click()
    expect(resident.locator("h1")).to_contain_text(wijk.name)
    calls = resident.locator("section[aria-labelledby=wat-speelt-kop]")
    expect(calls).to_contain_text(PUBLIC_TITLE)
    expect(calls).to_contain_text("Oproep aan bewoners")
    assert_no_signal_text(resident)
    assert_accessible(resident, context="wijk page with the call (resident)")

    calls.get_by_role("link", name="Doe mee of trek dit thema").click()
    resident.wait_for_url(re.compile(rf"/themas/{lonely_theme.pk}/$"))
    expect(resident.locator("h1")).to_have_text(PUBLIC_TITLE)
    assert_no_signal_text(resident)
    assert_accessible(resident, context="public theme (resident)")

    resident.get_by_label("Toon mijn naam bij dit thema").check()
    resident.get_by_role("button", name="Ik wil dit trekken").click()
    expect(resident.locator(".bw-messages")).to_contain_text("U bent nu trekker")
    expect(resident.locator(".bw-trekkers")).to_contain_text(bewoner.display_name)
    assert_accessible(resident, context="theme adopted")

    resident.get_by_role("link", name="Zelf een initiatief beginnen").click()
    resident.wait_for_url(re.compile(r"/initiatieven/nieuw/"))
    assert_accessible(resident, context="new initiative form")
    resident.fill("input[name=title]", INITIATIEF_TITLE)
    resident.fill(
        "textarea[name=summary]",
        "Elke woensdag staat de koffie klaar. Iedereen is welkom.",
    )
    resident.get_by_role("button", name="Initiatief starten").click()
    resident.wait_for_url(re.compile(r"/initiatieven/\d+/$"))
    expect(resident.locator("h1")).to_contain_text(INITIATIEF_TITLE)
    assert_accessible(resident, context="new initiative")
    initiatief = Initiatief.objects.get(title=INITIATIEF_TITLE)
    assert initiatief.owner == bewoner

    go(resident, f"/themas/{lonely_theme.pk}/")
    resident.get_by_label("Uw initiatief").select_option(label=INITIATIEF_TITLE)
    resident.get_by_role("button", name="Koppelen aan dit thema").click()
    expect(resident.locator(".bw-messages")).to_contain_text(
        "is gekoppeld aan dit thema"
    )
    expect(resident.locator(".bw-public-initiatives")).to_contain_text(INITIATIEF_TITLE)
    assert_no_signal_text(resident)
    assert_accessible(resident, context="initiative linked to the theme")
    assert ThemaTrekker.objects.filter(thema=lonely_theme, user=bewoner).exists()
    assert ThemaInitiatief.objects.filter(
        thema=lonely_theme, initiatief=initiatief
    ).exists()
    resident.context.close()

    # --- A colleague in the team sends the second theme to the gemeente ---
    team_page = role_page()
    log_in(team_page, colleague, totp_secret=TOTP_SECRET)
    team_page.get_by_role("link", name="Thema's", exact=True).click()
    team_page.get_by_role("link", name=mould_theme.display_name, exact=True).click()
    expect(team_page.locator("h1")).to_have_text(mould_theme.display_name)
    team_page.get_by_role("button", name="Thema erkennen").click()
    expect(team_page.locator(".bw-thema-status")).to_have_text("erkend")
    assert_accessible(team_page, context="second theme confirmed")
    team_page.get_by_role("link", name="Naar de gemeente sturen").click()
    expect(team_page.locator("h1")).to_have_text("Naar de gemeente sturen")
    assert_accessible(team_page, context="escalation form")
    team_page.get_by_label("Naam van het thema").fill("Schimmel in huurwoningen")
    team_page.get_by_label("Titel").fill(ESCALATIE_TITLE)
    team_page.get_by_label("Waarom moet de gemeente hier iets mee?").fill(ARGUMENT)
    team_page.get_by_role("button", name="Naar de gemeente sturen").click()
    expect(team_page.locator(".bw-messages")).to_contain_text(
        "naar de gemeente gestuurd"
    )
    expect(team_page.locator(".bw-escalatie-status")).to_have_text("verstuurd")
    assert_accessible(team_page, context="escalation sent")
    team_page.context.close()

    # --- The officer acknowledges and answers ---
    officer = role_page()
    log_in(officer, ambtenaar, totp_secret=TOTP_SECRET)
    officer.get_by_role("link", name="Beleidssignalen", exact=True).click()
    expect(officer.locator("h1")).to_have_text("Beleidssignalen")
    assert_accessible(officer, context="officer inbox")
    officer.get_by_role("link", name=ESCALATIE_TITLE).click()
    expect(officer.locator("main")).to_contain_text(ARGUMENT)
    assert_no_signal_text(officer)
    assert_accessible(officer, context="officer reads the escalation")
    officer.get_by_role("button", name="Markeren als ontvangen").click()
    expect(officer.locator(".bw-escalatie-status")).to_have_text("ontvangen")
    assert_accessible(officer, context="escalation received")
    officer.get_by_label("Antwoord van de gemeente").fill(ANSWER)
    officer.get_by_role("button", name="Antwoord versturen").click()
    expect(officer.locator(".bw-escalatie-status")).to_have_text("beantwoord")
    assert_accessible(officer, context="escalation answered")
    officer.context.close()
    escalatie = Escalatie.objects.get()
    assert escalatie.thema == mould_theme
    mould_theme.refresh_from_db()  # named by the team when it was sent
    assert mould_theme.name == "Schimmel in huurwoningen"
    assert escalatie.status == EscalatieStatus.BEANTWOORD

    # --- The professional sees the answer and what became of their signals ---
    page.get_by_role("link", name="Beleidssignalen", exact=True).click()
    page.get_by_role("link", name=ESCALATIE_TITLE).click()
    expect(page.locator(".bw-escalatie-answer")).to_contain_text(ANSWER)
    assert_accessible(page, context="team reads the answer")

    page.get_by_role("link", name="Signalen", exact=True).click()
    page.get_by_role("link", name="Wat werd er van mijn signalen?").click()
    expect(page.locator("h1")).to_have_text("Wat er met uw signalen gebeurde")
    feedback = page.locator(".bw-feedback tbody tr")
    expect(feedback).to_have_count(2)
    lonely_row = feedback.filter(has_text=lonely_theme.display_name)
    expect(lonely_row).to_contain_text(INITIATIEF_TITLE)
    expect(lonely_row).to_contain_text("oproep aan bewoners")
    expect(lonely_row).to_contain_text("opgepakt")
    mould_row = feedback.filter(has_text=mould_theme.display_name)
    expect(mould_row).to_contain_text("antwoord ontvangen")
    assert_accessible(page, context="feedback on own signals")

    # --- The team exports its report ---
    page.get_by_role("link", name="Doelen", exact=True).click()
    page.get_by_role("link", name=f"Teamrapport van {wijk.name}").click()
    expect(page.locator("h1")).to_have_text(f"Teamrapport {wijk.name}")
    main = page.locator("main")
    expect(main).to_contain_text(lonely_theme.display_name)
    expect(main).to_contain_text(INITIATIEF_TITLE)
    expect(page.locator(".bw-report-escalation")).to_contain_text(ESCALATIE_TITLE)
    expect(page.locator(".bw-report-answer")).to_contain_text(ANSWER)
    assert_no_signal_text(page)
    assert_accessible(page, context="team report")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tabellen downloaden (CSV)").click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"teamrapport-{wijk.code}-")
    with open(download.path(), encoding="utf-8-sig") as handle:
        csv_text = handle.read()
    for expected in (ESCALATIE_TITLE, ANSWER, INITIATIEF_TITLE):
        assert expected in csv_text
    for secret in secrets:
        assert secret not in csv_text

    lonely_theme.refresh_from_db()
    mould_theme.refresh_from_db()
    assert lonely_theme.status == ThemaStatus.OPGEPAKT
    assert lonely_theme.is_call
    assert mould_theme.status == ThemaStatus.ERKEND
