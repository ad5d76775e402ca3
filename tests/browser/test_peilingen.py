"""Issue #19 item 1, wijkpeilingen, end to end on a phone (390 px) for every role:
the officer writes a survey for the gemeente; a resident answers it online; a
professional runs a door round and answers with people one after another, a volunteer
too, and ticks off streets; the team reads the open answers and publishes a summary
(four eyes); the officer and a resident read the k-anonymous results, in Dutch and in
English. axe-core finds no serious or critical violation on any page, and no page
scrolls sideways."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from peilingen.models import (
    Bezoek,
    Peiling,
    PeilingDeelname,
    PeilingSamenvatting,
    PeilingStatus,
    Respons,
    SamenvattingStatus,
)
from tests.browser.conftest import assert_accessible
from tests.browser.phone_crawl import PHONE_VIEWPORT
from tests.browser.test_foundation import go, log_in
from tests.conftest import TOTP_SECRET
from tests.factories import BuurtFactory, UserFactory
from tests.peilingen.conftest import add_response, fake_scrub, make_peiling


@pytest.fixture(autouse=True)
def _phone(page):
    page.set_viewport_size(PHONE_VIEWPORT)


@pytest.fixture(autouse=True)
def _stand_in_scrubber(monkeypatch):
    """The scrubber itself is tested in tests/peilingen/test_scrubbing.py; here the
    journeys must not wait a minute for deduce to load."""
    from peilingen import services
    from signalen.intake import staff_text

    monkeypatch.setattr(services, "text_scrub", fake_scrub)
    monkeypatch.setattr(staff_text, "text_scrub", fake_scrub)


@pytest.fixture
def buurten(wijk):
    return [
        BuurtFactory(code="BU04390101", name="Aalmarkt", wijk=wijk),
        BuurtFactory(code="BU04390102", name="Beemster", wijk=wijk),
    ]


def log_in_resident(page, user) -> None:
    log_in(page, user)
    page.wait_for_url(lambda url: "/account/login/" not in url)


def check(page, context: str) -> None:
    assert_accessible(page, context=context)
    wide = page.evaluate(
        "() => document.documentElement.scrollWidth - window.innerWidth"
    )
    assert wide <= 1, f"{context} scrolls sideways by {wide}px"


def test_an_officer_writes_a_survey_and_a_resident_answers_it_online(
    page, browser, live_server, ambtenaar, bewoner, wijk, buurten
):
    log_in(page, ambtenaar, totp_secret=TOTP_SECRET)
    go(page, "/peilingen/")
    check(page, "survey list, officer")
    page.get_by_role("link", name="Nieuwe peiling").click()
    check(page, "new survey form")
    page.get_by_role("button", name="Opslaan").click()  # no title: refused
    expect(page.locator(".bw-error-summary")).to_be_visible()
    check(page, "new survey form with errors")
    page.get_by_label("Wijk", exact=True).select_option(label=wijk.name)
    page.get_by_label("Titel", exact=True).fill("Groen in de wijk")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("h1")).to_have_text("Groen in de wijk")
    check(page, "survey page, concept")

    page.get_by_label("Eén keuze").check()
    page.get_by_label("Vraag", exact=True).fill("Wilt u meer bomen in de straat?")
    page.get_by_label(re.compile("^Antwoorden om uit te kiezen")).fill(
        "Ja\nNee\nWeet ik niet"
    )
    page.get_by_role("button", name="Vraag toevoegen").click()
    page.get_by_label("Open vraag").check()
    page.get_by_label("Vraag", exact=True).fill("Waar mist u groen?")
    page.get_by_role("button", name="Vraag toevoegen").click()
    expect(page.get_by_text("Duurt ongeveer 1 minuut.")).to_be_visible()
    page.get_by_role("button", name="Peiling openen").click()
    expect(page.get_by_role("button", name="Peiling sluiten")).to_be_visible()
    check(page, "survey page, open, officer")
    peiling = Peiling.objects.get()
    assert peiling.by_gemeente
    assert peiling.status == PeilingStatus.OPEN

    # The resident, in another browser.
    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="nl-NL")
    resident = context.new_page()
    resident.base_url = live_server.url
    log_in_resident(resident, bewoner)
    go(resident, "/peilingen/")
    resident.get_by_role("link", name="Groen in de wijk").click()
    resident.get_by_role("link", name="Vul de peiling in").click()
    check(resident, "answer form, online")
    resident.get_by_label("Ja", exact=True).check()
    resident.get_by_role("button", name="Versturen").click()  # no consent yet
    expect(resident.locator(".bw-error-summary")).to_contain_text(
        "Zonder toestemming slaan we niets op."
    )
    check(resident, "answer form with errors")
    resident.get_by_label(re.compile("^Ik doe mee")).check()
    resident.get_by_label("Waar mist u groen?").fill("Bij de speeltuin, zegt Jansen.")
    resident.get_by_label(re.compile("^Buurt")).select_option(label="Aalmarkt")
    resident.get_by_label("65 of ouder").check()
    resident.get_by_role("button", name="Versturen").click()
    expect(
        resident.get_by_text("Dank u wel! Uw antwoorden zijn bewaard")
    ).to_be_visible()
    check(resident, "survey page after answering")
    respons = Respons.objects.get()
    assert respons.channel == "online"
    assert respons.age_band == "65-plus"
    assert "Jansen" not in respons.antwoorden.get(vraag__kind="open").text
    assert PeilingDeelname.objects.filter(user=bewoner).exists()
    context.close()


def test_a_professional_and_a_volunteer_ask_at_the_door_one_person_after_another(
    page, browser, live_server, professional, bewoner, wijk, team, buurten
):
    # The professional writes the team's survey on the phone.
    log_in(page, professional, totp_secret=TOTP_SECRET)
    go(page, "/peilingen/nieuw/")
    page.get_by_label("Wijk", exact=True).select_option(label=wijk.name)
    page.get_by_label("Titel", exact=True).fill("Veilig in de straat")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_label("Eén keuze").check()
    page.get_by_label("Vraag", exact=True).fill("Voelt u zich veilig?")
    page.get_by_label(re.compile("^Antwoorden om uit te kiezen")).fill(
        "Ja\nMeestal\nNee"
    )
    page.get_by_role("button", name="Vraag toevoegen").click()
    page.get_by_label("Schaal van 1 tot 5").check()
    page.get_by_label("Vraag", exact=True).fill("Hoe goed kent u uw buren?")
    page.get_by_role("button", name="Vraag toevoegen").click()
    page.get_by_role("button", name="Peiling openen").click()
    expect(page.get_by_role("heading", name="Een ronde starten")).to_be_visible()
    peiling = Peiling.objects.get()
    assert peiling.team == team
    check(page, "survey page, team")
    page.get_by_label(re.compile("^Buurt")).select_option(label="Aalmarkt")
    page.get_by_label(re.compile("^Straten")).fill("Dijkstraat, Molenweg")
    page.get_by_role("button", name="Ronde starten").click()
    expect(page.get_by_role("heading", name="Volgende persoon")).to_be_visible()
    check(page, "round page")
    for answer in ("Ja", "Nee"):
        page.get_by_label(re.compile("^De bewoner doet mee")).check()
        page.get_by_label(answer, exact=True).check()
        page.get_by_label("4", exact=True).check()
        page.get_by_role("button", name="Opslaan en volgende persoon").click()
        expect(
            page.get_by_text("Opgeslagen. Klaar voor de volgende persoon.")
        ).to_be_visible()
        # The form is empty again for the next person.
        expect(
            page.get_by_label(re.compile("^De bewoner doet mee"))
        ).not_to_be_checked()
    page.get_by_label("Straat", exact=True).fill("Dijkstraat")
    page.get_by_label(re.compile("^Van huisnummer")).fill("1")
    page.get_by_label(re.compile("^Tot en met huisnummer")).fill("21")
    page.get_by_label("Niet thuis").check()
    page.get_by_role("button", name="Bezoek noteren").click()
    expect(page.get_by_text("Het bezoek is genoteerd.")).to_be_visible()
    page.get_by_label("E-mailadres van de vrijwilliger").fill(bewoner.email)
    page.get_by_role("button", name="Vrijwilliger toevoegen").click()
    expect(page.get_by_text(f"{bewoner.display_name} helpt mee")).to_be_visible()
    check(page, "round page after a visit")
    assert Respons.objects.filter(peiling=peiling, channel="deur").count() == 2
    assert Bezoek.objects.get().buurt == buurten[0]

    go(page, f"/peilingen/{peiling.pk}/")
    expect(page.get_by_role("heading", name="Waar zijn we geweest?")).to_be_visible()
    expect(page.get_by_text("Dijkstraat (1-21)")).to_be_visible()
    expect(page.locator("table").get_by_text("nog niet")).to_be_visible()  # Beemster
    check(page, "survey page with coverage map")

    # The volunteer, on their own phone.
    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="nl-NL")
    helper = context.new_page()
    helper.base_url = live_server.url
    log_in_resident(helper, bewoner)
    go(helper, f"/peilingen/{peiling.pk}/")
    helper.get_by_role("link", name=re.compile("^Ronde van")).click()
    check(helper, "round page, volunteer")
    helper.get_by_label("Op straat", exact=True).check()
    helper.get_by_label(re.compile("^De bewoner doet mee")).check()
    helper.get_by_label("Meestal").check()
    helper.get_by_role("button", name="Opslaan en volgende persoon").click()
    expect(helper.get_by_text("Opgeslagen.")).to_be_visible()
    assert Respons.objects.filter(peiling=peiling, channel="straat").count() == 1
    context.close()


def test_the_team_reads_open_answers_and_publishes_a_summary_with_four_eyes(
    page, browser, live_server, professional, wijk, team
):
    colleague = UserFactory(
        email="collega@example.nl", display_name="Carla Collega", role="professional"
    )
    team.members.add(colleague)
    from accounts.mfa import totp_activate

    totp_activate(user=colleague, secret=TOTP_SECRET)
    peiling = make_peiling(wijk, status=PeilingStatus.GESLOTEN, team=team)
    for _i in range(6):
        add_response(
            peiling, een=1, schaal=4, open="Er is te weinig plek om te zitten."
        )
    log_in(page, professional, totp_secret=TOTP_SECRET)
    go(page, f"/peilingen/{peiling.pk}/open-antwoorden/")
    expect(page.get_by_text("Er is te weinig plek om te zitten.").first).to_be_visible()
    check(page, "open answers, team")
    page.get_by_label("Samenvatting van de open antwoorden").fill(
        "Bewoners missen bankjes."
    )
    page.get_by_role("button", name="Samenvatting voorstellen").click()
    expect(
        page.get_by_text("Een collega moet dit goedkeuren, niet u zelf.")
    ).to_be_visible()
    check(page, "open answers with a pending summary")

    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="nl-NL")
    other = context.new_page()
    other.base_url = live_server.url
    log_in(other, colleague, totp_secret=TOTP_SECRET)
    go(other, f"/peilingen/{peiling.pk}/open-antwoorden/")
    other.get_by_role("button", name="Goedkeuren en openbaar maken").click()
    expect(other.get_by_text("De samenvatting is openbaar.")).to_be_visible()
    context.close()
    assert PeilingSamenvatting.objects.get().status == SamenvattingStatus.PUBLISHED


@pytest.mark.parametrize("language", ["nl", "en"])
def test_officer_and_resident_read_k_anonymous_results(
    page, ambtenaar, bewoner, wijk, team, buurten, language
):
    peiling = make_peiling(wijk, status=PeilingStatus.GESLOTEN, team=team)
    for i in range(14):
        add_response(
            peiling,
            buurt=buurten[i % 2],
            age_band="65-plus" if i < 3 else "25-44",
            een=0 if i < 11 else 2,
            schaal=4,
            meer=[0],
            open="Meer bankjes.",
        )
    for user, secret in ((ambtenaar, TOTP_SECRET), (bewoner, None)):
        page.context.clear_cookies()
        page.context.add_cookies(
            [
                {
                    "name": settings.LANGUAGE_COOKIE_NAME,
                    "value": language,
                    "url": page.base_url,
                }
            ]
        )
        if secret:
            log_in(page, user, totp_secret=secret)
        else:
            log_in_resident(page, user)
        go(page, f"/peilingen/{peiling.pk}/resultaten/")
        heading = "Uitkomsten" if language == "nl" else "Results"
        expect(page.locator("h1")).to_contain_text(heading)
        hidden = "verborgen" if language == "nl" else "hidden"
        expect(page.locator("table").get_by_text(hidden).first).to_be_visible()
        expect(page.get_by_text("Meer bankjes.")).to_have_count(0)
        check(page, f"results, {user.role}, {language}")
        label = "Buurt" if language == "nl" else "Neighbourhood"
        page.get_by_label(label, exact=True).select_option(label="Aalmarkt")
        page.get_by_role("button", name="Toon" if language == "nl" else "Show").click()
        expect(page.locator("h1")).to_contain_text(heading)
        expect(page.get_by_label(label, exact=True)).to_have_value(buurten[0].code)
        check(page, f"results filtered, {user.role}, {language}")
