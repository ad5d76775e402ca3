"""Issue #19 item 4, the wijkgesprek, on a phone (390 px): a resident says they want
to chair, the wijkteam plans a meeting from the wijk page (the agenda drafted from
public themes and the bewonersagenda, the resident proposed as chair), the chair
orders the agenda and adds a point, the gemeente's officer reads it, then the chair
publishes the minutes of a held meeting with an agreement; an anonymous visitor reads
them. In Dutch and in English. axe-core finds
no serious or critical violation on any page, and no page scrolls sideways."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from bewonersagenda.models import Agendapunt
from signalen.models import ThemaZichtbaarheid
from tests.browser.helpers_publish import warm_scrubber
from tests.browser.phone_crawl import PHONE_VIEWPORT
from tests.browser.test_foundation import go, log_in
from tests.browser.test_peilingen import check, log_in_resident
from tests.conftest import TOTP_SECRET
from tests.factories import UserFactory
from tests.signalen.helpers import EXAMPLE, make_signaal, make_thema
from wijkgesprek.models import Voorzitter, Wijkgesprek


@pytest.fixture(autouse=True)
def _phone(page):
    page.set_viewport_size(PHONE_VIEWPORT)


@pytest.fixture
def neighbour(wijk):
    return UserFactory(email="buur@example.nl", display_name="Bram Buur", wijk=wijk)


@pytest.fixture
def public_theme(wijk, professional, team, taxonomy):
    signals = [make_signaal(author=professional, team=team, wijk=wijk, text=EXAMPLE)]
    return make_thema(
        wijk,
        signalen=signals,
        visibility=ThemaZichtbaarheid.PUBLIEK,
        public_title="Veilig naar school",
        public_text="Wij zoeken ouders die mee willen denken.",
        public_approved_at=timezone.now(),
    )


@pytest.fixture
def concern(wijk, neighbour):
    return Agendapunt.objects.create(
        wijk=wijk, title="Meer bankjes", text="Om te rusten.", author=neighbour
    )


def _titles(page):
    return page.locator("#agenda ol > li h3").all_inner_texts()


def test_plan_order_and_publish_on_a_phone(
    page, bewoner, neighbour, professional, ambtenaar, public_theme, concern, wijk
):
    warm_scrubber()  # points and minutes are scrubbed: load deduce first
    # The resident says they want to chair.
    log_in_resident(page, bewoner)
    go(page, f"/wijk/{wijk.code}/")
    page.get_by_role("link", name="Naar het wijkgesprek van deze wijk").click()
    check(page, "wijkgesprek list, resident")
    page.get_by_role("button", name="Ik wil voorzitter zijn").click()
    expect(page.get_by_text("U staat op de lijst.")).to_be_visible()

    # The team plans the meeting; the resident is proposed as chair.
    page.context.clear_cookies()
    log_in(page, professional, totp_secret=TOTP_SECRET)
    go(page, f"/wijkgesprek/wijk/{wijk.code}/")
    check(page, "wijkgesprek list, professional")
    page.get_by_role("link", name="Wijkgesprek plannen").click()
    check(page, "plan form")
    page.get_by_role("button", name="Plannen").click()  # nothing filled: refused
    expect(page.locator(".bw-error-summary")).to_be_visible()
    check(page, "plan form with errors")
    day = timezone.localdate() + datetime.timedelta(days=14)
    page.get_by_label("Datum", exact=True).fill(day.isoformat())
    page.get_by_label("Begintijd", exact=True).fill("19:30")
    page.get_by_label("Plaats", exact=True).fill("Buurthuis De Ster")
    expect(page.locator("#id_chair")).to_have_value(str(bewoner.pk))
    page.get_by_role("button", name="Plannen").click()
    expect(page.get_by_text("Het wijkgesprek is gepland.")).to_be_visible()
    check(page, "planned meeting, professional")
    assert _titles(page) == [
        "1. Van de bewonersagenda: Meer bankjes",
        "2. Thema: Veilig naar school",
    ]
    expect(page.get_by_text(EXAMPLE)).to_have_count(0)
    gesprek = Wijkgesprek.objects.get()

    # The chair orders the agenda and adds a point.
    page.context.clear_cookies()
    log_in_resident(page, bewoner)
    go(page, gesprek.get_absolute_url())
    expect(page.get_by_text("U bent de voorzitter.")).to_be_visible()
    check(page, "planned meeting, chair")
    theme_point = page.locator("#agenda ol > li", has_text="Thema: Veilig naar school")
    theme_point.get_by_role("button", name="Omhoog").click()
    expect(page.get_by_text("De volgorde is aangepast.")).to_be_visible()
    assert _titles(page) == [
        "1. Thema: Veilig naar school",
        "2. Van de bewonersagenda: Meer bankjes",
    ]
    page.get_by_role("button", name="Punt toevoegen").click()  # empty: refused
    expect(page.locator(".bw-error-summary")).to_be_visible()
    check(page, "planned meeting, chair, with errors")
    page.get_by_label("Nieuw agendapunt").fill("Rondvraag")
    page.get_by_role("button", name="Punt toevoegen").click()
    expect(page.get_by_text("Het punt staat op de agenda.")).to_be_visible()
    assert _titles(page)[-1] == "3. Rondvraag"

    # The gemeente's officer reads the planned meeting and its agenda.
    page.context.clear_cookies()
    log_in(page, ambtenaar, totp_secret=TOTP_SECRET)
    go(page, f"/wijkgesprek/wijk/{wijk.code}/")
    check(page, "wijkgesprek list, officer")
    go(page, gesprek.get_absolute_url())
    expect(page.get_by_role("heading", name="3. Rondvraag")).to_be_visible()
    check(page, "planned meeting, officer")

    # A meeting held last week: the chair publishes its minutes with an agreement.
    page.context.clear_cookies()
    log_in_resident(page, bewoner)
    held = Wijkgesprek.objects.create(
        wijk=wijk,
        starts_at=timezone.now() - datetime.timedelta(days=7),
        place="Buurthuis De Ster",
        chair=bewoner,
    )
    go(page, held.get_absolute_url())
    page.get_by_role("textbox", name="Verslag").fill("We spraken over de bankjes.")
    page.get_by_role("button", name="Publiceren").click()
    expect(page.get_by_text("Het verslag is gepubliceerd.")).to_be_visible()
    page.get_by_role("textbox", name="Wat is afgesproken?").fill(
        "Twee bankjes bij de vijver"
    )
    page.get_by_role("combobox", name="Wie doet het?").select_option(label="Gemeente")
    due = timezone.localdate(held.starts_at) + datetime.timedelta(days=30)
    page.get_by_role("textbox", name="Klaar op").fill(due.isoformat())
    page.get_by_role("button", name="Afspraak opslaan").click()
    expect(page.get_by_text("De afspraak is opgeslagen.")).to_be_visible()
    check(page, "held meeting, chair")

    # Anyone reads the minutes; the planned meeting stays with the wijk.
    page.context.clear_cookies()
    go(page, f"/wijkgesprek/wijk/{wijk.code}/")
    check(page, "wijkgesprek list, anonymous")
    planned_link = page.locator(f'a[href="{gesprek.get_absolute_url()}"]')
    expect(planned_link).to_have_count(0)
    go(page, held.get_absolute_url())
    expect(page.get_by_text("We spraken over de bankjes.")).to_be_visible()
    expect(page.get_by_text("Twee bankjes bij de vijver")).to_be_visible()
    check(page, "held meeting, anonymous")
    assert page.goto(page.base_url + gesprek.get_absolute_url()).status == 404


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_wijkgesprek_pages_in_both_languages(
    page, bewoner, neighbour, public_theme, wijk, language
):
    Voorzitter.objects.create(wijk=wijk, user=bewoner)
    planned = Wijkgesprek.objects.create(
        wijk=wijk,
        starts_at=timezone.now() + datetime.timedelta(days=5),
        place="Buurthuis De Ster",
        chair=bewoner,
        facilitator="Buurtbemiddeling",
    )
    from wijkgesprek.services import agenda_fill

    agenda_fill(gesprek=planned)
    held = Wijkgesprek.objects.create(
        wijk=wijk,
        starts_at=timezone.now() - datetime.timedelta(days=5),
        place="Buurthuis De Ster",
        chair=neighbour,
        minutes="Een goed gesprek.",
        minutes_published_at=timezone.now(),
    )
    page.context.add_cookies(
        [
            {
                "name": settings.LANGUAGE_COOKIE_NAME,
                "value": language,
                "url": page.base_url,
            }
        ]
    )
    go(page, held.get_absolute_url())  # anonymous
    heading = "Wijkgesprek" if language == "nl" else "Neighbourhood meeting"
    expect(page.locator("h1")).to_contain_text(heading)
    check(page, f"held meeting, anonymous, {language}")
    log_in_resident(page, bewoner)
    go(page, f"/wijkgesprek/wijk/{wijk.code}/")
    check(page, f"wijkgesprek list, chair, {language}")
    go(page, planned.get_absolute_url())
    button = "Punt toevoegen" if language == "nl" else "Add point"
    expect(page.get_by_role("button", name=button)).to_be_visible()
    check(page, f"planned meeting, chair, {language}")
    go(page, f"/wijk/{wijk.code}/")
    check(page, f"wijk page with the panel, {language}")
