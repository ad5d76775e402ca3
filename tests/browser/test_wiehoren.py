""" "Wie horen we niet?" (issue #19 item 2) on a phone (390 px), in Dutch and English:
the officer reads the under-represented groups on the wijk dashboard and opens the
comparison; the team reads it in its team report and on its own page. axe-core finds
no serious or critical violation, and no page scrolls sideways."""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import expect

from peilingen.models import PeilingStatus
from tests.browser.conftest import assert_accessible
from tests.browser.phone_crawl import PHONE_VIEWPORT
from tests.browser.test_foundation import go, log_in
from tests.conftest import TOTP_SECRET
from tests.dashboard.conftest import telling
from tests.factories import KerncijfersFactory
from tests.peilingen.conftest import add_response, make_peiling


@pytest.fixture(autouse=True)
def _phone(page):
    page.set_viewport_size(PHONE_VIEWPORT)


def check(page, context: str) -> None:
    assert_accessible(page, context=context)
    wide = page.evaluate(
        "() => document.documentElement.scrollWidth - window.innerWidth"
    )
    assert wide <= 1, f"{context} scrolls sideways by {wide}px"


@pytest.fixture
def wijk_data(wijk, team):
    KerncijfersFactory(
        code=wijk.code,
        pct_age_0_15=20.0,
        pct_age_15_25=10.0,
        pct_age_25_45=30.0,
        pct_age_45_65=20.0,
        pct_age_65_plus=20.0,
        pct_single_person_households=40.0,
        extra={"p_hh_li": 20.0},
    )
    # A year of signals, none about ouderen: under-represented.
    for b in range(13):
        telling(wijk, 4 * b, "eenzaamheid", 19)
        telling(wijk, 4 * b + 1, "eenzaamheid", 1)
    peiling = make_peiling(wijk, status=PeilingStatus.GESLOTEN, team=team)
    for i in range(30):
        add_response(peiling, age_band="65-plus" if i < 20 else "25-44")


def set_language(page, language: str) -> None:
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


@pytest.mark.parametrize("language", ["nl", "en"])
def test_officer_and_team_see_who_we_do_not_hear(
    page, ambtenaar, professional, wijk, team, wijk_data, language
):
    heading = "Wie horen we niet?" if language == "nl" else "Who are we not hearing?"
    under = "Ondervertegenwoordigd" if language == "nl" else "Under-represented"
    elderly = (
        "Ouderen (65 of ouder)" if language == "nl" else "Older people (65 or older)"
    )

    set_language(page, language)
    log_in(page, ambtenaar, totp_secret=TOTP_SECRET)
    go(page, f"/dashboard/wijk/{wijk.code}/")
    section = page.locator("#wie-horen-we-niet").locator("..")
    expect(section).to_contain_text(elderly)
    check(page, f"wijk dashboard, officer, {language}")
    section.get_by_role("link").click()
    expect(page.locator("h1")).to_contain_text(heading.rstrip("?"))
    expect(page.locator("table").get_by_text(under).first).to_be_visible()
    page.get_by_text(
        "Hoe we dit berekenen" if language == "nl" else "How we work this out"
    ).click()
    check(page, f"comparison, officer, {language}")

    set_language(page, language)
    log_in(page, professional, totp_secret=TOTP_SECRET)
    go(page, f"/signalen/rapport/{wijk.code}/")
    expect(page.locator("#wie-horen-we-niet")).to_have_text(heading)
    check(page, f"team report, {language}")
    go(page, f"/dashboard/wijk/{wijk.code}/wie-horen-we-niet/")
    expect(page.locator("table").get_by_text(under).first).to_be_visible()
    check(page, f"comparison, team, {language}")
