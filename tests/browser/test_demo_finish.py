"""Issue #18, items 8, 13 and 14, in the browser against the demo (load_demo, DEBUG on):
a team shares its report and only then its officer reads it; the open-data page lists
the files load_demo built and the scheduler runs once; a wrong address shows the site's
own 404 page; the bulk page offers the template and the valid codes for download."""

from __future__ import annotations

import csv
import io
import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.demo import DEMO_TEAM_NAME
from accounts.models import Team
from tests.browser.conftest import assert_accessible
from tests.browser.test_foundation import go
from tests.browser.test_phone import _log_in_demo

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
WIJK = "WK990101"
REPORT = f"/signalen/rapport/{WIJK}/"


@pytest.fixture
def demo_site(settings, tmp_path):
    """The embedded demo: DEBUG on, Demostad loaded (which also builds open data)."""
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())
    Team.objects.filter(name=DEMO_TEAM_NAME).update(report_shared=False)


def _no_sideways_scroll(page, where: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{where}: {width}px wide"


def test_the_officer_reads_the_team_report_only_after_the_team_shares_it(
    page, demo_site
):
    officer = page.context.browser.new_context(locale="nl-NL", viewport=PHONE)
    officer_page = officer.new_page()
    officer_page.base_url = page.base_url
    try:
        _log_in_demo(officer_page, "ambtenaar")
        assert go(officer_page, REPORT).status == 403
        expect(officer_page.locator("h1")).to_have_text(
            "U heeft geen toegang tot deze pagina"
        )

        page.set_viewport_size(DESKTOP)
        _log_in_demo(page, "professional")
        go(page, REPORT)
        expect(page.locator("#rapport-delen-uitleg")).to_contain_text(
            "Alleen het team kan dit rapport lezen."
        )
        page.get_by_role("button", name="Dit rapport delen met de gemeente").click()
        expect(page.locator("main")).to_contain_text(
            "De gemeente kan het rapport nu lezen"
        )
        expect(page.locator("#rapport-delen-uitleg")).to_contain_text(
            "Het team deelt dit rapport met de gemeente"
        )
        assert_accessible(page, context="team report, shared (desktop)")

        response = go(officer_page, REPORT)
        assert response.status == 200
        expect(officer_page.locator("h1")).to_be_visible()
        # The officer has no share switch: the choice is the team's.
        expect(
            officer_page.get_by_role("button", name=re.compile("delen met de gemeente"))
        ).to_have_count(0)
        _no_sideways_scroll(officer_page, "shared report, officer (phone)")
        assert_accessible(officer_page, context="shared report, officer (phone)")

        # The team stops sharing: the officer is out again.
        page.get_by_role("button", name="Niet meer delen met de gemeente").click()
        expect(page.locator("main")).to_contain_text(
            "Alleen het team kan het rapport nu lezen"
        )
        assert go(officer_page, REPORT).status == 403
    finally:
        officer.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_demos_open_data_page_lists_the_files_load_demo_built(
    page, demo_site, viewport
):
    page.set_viewport_size(viewport)
    go(page, "/open-data/")
    expect(page.locator("main")).not_to_contain_text("nog geen bestanden")
    links = page.locator("main table a[download]")
    assert links.count() >= 3
    names = links.all_inner_texts()
    assert any(name.endswith(".csv") for name in names), names
    assert any(name.endswith(".geojson") for name in names), names
    href = links.first.get_attribute("href")
    assert href is not None
    assert href.startswith("/open-data/GM9901/")
    download = page.request.get(page.base_url + href)
    assert download.status == 200
    assert download.body()
    _no_sideways_scroll(page, "open data")
    assert_accessible(page, context=f"open data ({viewport['width']})")


def test_the_demos_scheduler_runs_what_is_due_once_and_stops(demo_site):
    out = StringIO()
    call_command("run_schedule", "--once", stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert text.strip()
    assert "mislukt" not in text, text


def test_the_demos_scheduler_runs_every_job_once_without_failing(demo_site):
    out = StringIO()
    call_command("run_schedule", "--all", stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "klaar (done)" in text, text
    assert "mislukt" not in text, text


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_wrong_address_in_the_demo_shows_the_sites_own_404_page(
    page, settings, viewport
):
    settings.DEBUG = True
    page.set_viewport_size(viewport)
    response = go(page, "/dit-adres-bestaat-niet/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Deze pagina bestaat niet")
    expect(page.get_by_role("link", name="Naar de startpagina")).to_be_visible()
    html = page.content()
    assert "URLconf" not in html
    assert "DEBUG = True" not in html
    _no_sideways_scroll(page, "404")
    assert_accessible(page, context=f"404 ({viewport['width']})")

    # An object that does not exist (a view's Http404) gets the same page.
    assert go(page, "/initiatieven/999999/").status == 404
    expect(page.locator("h1")).to_have_text("Deze pagina bestaat niet")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_bulk_page_offers_the_template_and_the_valid_codes_for_download(
    page, demo_site, viewport
):
    page.set_viewport_size(viewport)
    _log_in_demo(page, "professional")
    go(page, "/signalen/bulk/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Leeg sjabloon downloaden (CSV)").click()
    template = info.value
    assert template.suggested_filename == "signalen-sjabloon.csv"
    header = next(csv.reader(io.StringIO(_text(template))))
    assert header, "the template has a header row"

    with page.expect_download() as info:
        page.get_by_role("link", name="Alle geldige codes downloaden (CSV)").click()
    codes = info.value
    assert codes.suggested_filename == "signalen-codes.csv"
    rows = list(csv.reader(io.StringIO(_text(codes))))
    assert len(rows) > 10
    assert any(WIJK in cell for row in rows for cell in row), rows[:5]
    _no_sideways_scroll(page, "bulk")
    assert_accessible(page, context=f"bulk ({viewport['width']})")


def _text(download) -> str:
    with open(download.path(), encoding="utf-8-sig") as handle:
        return handle.read()
