"""Issue #20 item 2, the bewonersagenda, end to end on a phone (390 px) for every role:
a resident raises a concern, a neighbour co-signs it to the threshold, the wijkteam
links a public theme ("wij zien dit ook"), the officer answers, the resident reads the
answer; in Dutch and in English. axe-core finds no serious or critical violation on any
page, and no page scrolls sideways."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from bewonersagenda import services
from bewonersagenda.models import AgendaInstelling, Agendapunt, AgendapuntStatus
from signalen.models import ThemaZichtbaarheid
from tests.browser.phone_crawl import PHONE_VIEWPORT
from tests.browser.test_foundation import go, log_in
from tests.browser.test_peilingen import check, log_in_resident
from tests.conftest import TOTP_SECRET
from tests.factories import UserFactory
from tests.signalen.helpers import EXAMPLE, make_signaal, make_thema


@pytest.fixture(autouse=True)
def _phone(page):
    page.set_viewport_size(PHONE_VIEWPORT)


@pytest.fixture
def instelling(gemeente):
    return AgendaInstelling.objects.create(gemeente=gemeente, minimum=2, per_thousand=0)


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


def test_raise_co_sign_link_and_answer_on_a_phone(
    page,
    browser,
    live_server,
    instelling,
    bewoner,
    neighbour,
    professional,
    ambtenaar,
    public_theme,
    wijk,
):
    # The resident raises a concern from the wijk page.
    log_in_resident(page, bewoner)
    go(page, f"/wijk/{wijk.code}/")
    page.get_by_role("link", name="Naar de bewonersagenda van deze wijk").click()
    check(page, "agenda of the wijk, resident")
    page.get_by_role("link", name="Punt aandragen").click()
    check(page, "raise form")
    page.get_by_label("Titel", exact=True).fill("<b>Zebrapad</b>")
    page.get_by_role("button", name="Op de agenda zetten").click()
    expect(page.locator(".bw-error-summary")).to_be_visible()
    check(page, "raise form with errors")
    page.get_by_label("Titel", exact=True).fill("Een zebrapad bij de school")
    page.get_by_label("Toelichting", exact=True).fill(
        "Kinderen steken over op een drukke weg."
    )
    page.get_by_role("button", name="Op de agenda zetten").click()
    expect(page.locator("h1")).to_have_text("Een zebrapad bij de school")
    expect(page.get_by_text("U hebt dit punt aangedragen.")).to_be_visible()
    check(page, "concern page, author")
    agendapunt = Agendapunt.objects.get()

    # A neighbour co-signs and reaches the threshold (2).
    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="nl-NL")
    other = context.new_page()
    other.base_url = live_server.url
    log_in_resident(other, neighbour)
    go(other, agendapunt.get_absolute_url())
    check(other, "concern page, neighbour")
    other.get_by_role("button", name="Ik steun dit punt").click()
    expect(other.get_by_text("genoeg steun")).to_be_visible()
    check(other, "concern page after co-signing")
    context.close()
    agendapunt.refresh_from_db()
    assert agendapunt.status == AgendapuntStatus.DREMPEL

    # The wijkteam links a public theme.
    page.context.clear_cookies()
    log_in(page, professional, totp_secret=TOTP_SECRET)
    go(page, agendapunt.get_absolute_url())
    check(page, "concern page, professional")
    page.get_by_label("Openbaar thema").select_option(label="Veilig naar school")
    page.get_by_role("button", name="Thema koppelen").click()
    expect(page.get_by_role("link", name="Veilig naar school")).to_be_visible()
    check(page, "concern page with a theme, professional")

    # The officer sees it on the list and answers.
    page.context.clear_cookies()
    log_in(page, ambtenaar, totp_secret=TOTP_SECRET)
    go(page, "/bewonersagenda/")
    check(page, "agenda list, officer")
    page.get_by_role("link", name="Een zebrapad bij de school").click()
    page.get_by_role("button", name="Antwoord plaatsen").click()  # empty: refused
    expect(page.locator(".bw-error-summary")).to_be_visible()
    check(page, "answer form with errors")
    page.get_by_role("textbox", name="Antwoord van de gemeente").fill(
        "Wij leggen het zebrapad aan."
    )
    page.get_by_role("button", name="Antwoord plaatsen").click()
    expect(page.get_by_text("Uw antwoord staat bij het punt.")).to_be_visible()
    check(page, "concern page, answered, officer")

    # The resident reads the answer, and only the theme's public name.
    page.context.clear_cookies()
    log_in_resident(page, bewoner)
    go(page, agendapunt.get_absolute_url())
    expect(page.get_by_text("Wij leggen het zebrapad aan.")).to_be_visible()
    expect(page.get_by_text(EXAMPLE)).to_have_count(0)
    check(page, "concern page, answered, resident")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_agenda_pages_in_both_languages(
    page, instelling, bewoner, neighbour, wijk, language
):
    agendapunt = services.agendapunt_create(
        author=neighbour,
        wijk=wijk,
        title="Meer bankjes",
        text="Ouderen willen kunnen rusten.",
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
    log_in_resident(page, bewoner)
    go(page, f"/bewonersagenda/wijk/{wijk.code}/")
    heading = "Bewonersagenda" if language == "nl" else "Residents' agenda"
    expect(page.locator("h1")).to_contain_text(heading)
    check(page, f"agenda of the wijk, {language}")
    go(page, agendapunt.get_absolute_url())
    button = "Ik steun dit punt" if language == "nl" else "I support this point"
    expect(page.get_by_role("button", name=button)).to_be_visible()
    check(page, f"concern page, {language}")
    go(page, f"/bewonersagenda/wijk/{wijk.code}/nieuw/")
    check(page, f"raise form, {language}")
