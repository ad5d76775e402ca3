"""Browser test of the officers' dashboard: MFA login, gemeente overview with map and
filters, a wijk dashboard with its chart and data table, the CSV export and the printed
report; axe-core on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_foundation import go, log_in
from tests.conftest import TOTP_SECRET
from tests.dashboard.conftest import (  # noqa: F401 (fixtures)
    SECRET_TEXT,
    buurten,
    dash_data,
    kerncijfers,
    other_buurten,
)
from tests.dashboard.test_loop import ARGUMENT, PUBLIC_TEXT, _escalation, _goal, _theme


@pytest.fixture(autouse=True)
def _taxonomy(taxonomy):
    """Every test here reads the seeded taxonomy."""


def test_officer_reads_the_dashboard(
    page,
    ambtenaar,
    professional,
    team,
    gemeente,
    wijk,
    dash_data,  # noqa: F811
):
    escalatie = _escalation(_theme(wijk, "Vocht in huurwoningen"), team, professional)
    _goal(wijk, team, professional, ambtenaar)
    log_in(page, ambtenaar, totp_secret=TOTP_SECRET)
    page.get_by_role("link", name="Dashboard", exact=True).first.click()
    page.wait_for_url(re.compile(rf"/dashboard/{gemeente.code}/$"))
    expect(page.locator("h1")).to_contain_text("Dashboard gemeente Purmerend")
    # The choropleth: both wijken drawn, the one with < 5 signals as "no data".
    expect(page.locator("path.bw-choro")).to_have_count(2)
    expect(page.locator("path.bw-choro--geen")).to_have_count(1)
    assert_accessible(page, context="gemeente overview")

    # Filter: the last 6 months; the address carries the filter.
    page.locator("summary", has_text="Filteren").click()
    page.select_option("select[name=periode]", "6m")
    page.get_by_role("button", name="Filter toepassen").click()
    page.wait_for_url(re.compile(r"periode=6m"))
    assert_accessible(page, context="gemeente overview, filtered")

    # Sort by signals per 1,000 inhabitants (server side), highest first.
    page.get_by_role("link", name="Signalen per 1.000 inwoners").click()
    page.wait_for_url(re.compile(r"sort=-per1000"))
    first_row = page.locator("table.bw-dash-table tbody tr").first
    expect(first_row).to_contain_text("Purmerend Centrum")
    # 63 signals in the 24 weeks (dash_data), 8,000 inhabitants.
    expect(first_row).to_contain_text("7,9")

    # Open the wijk: the filter goes along.
    first_row.get_by_role("link", name="Purmerend Centrum").click()
    page.wait_for_url(re.compile(rf"/dashboard/wijk/{wijk.code}/\?periode=6m"))
    expect(page.locator("h1")).to_contain_text("Dashboard wijk Purmerend Centrum")
    expect(page.locator("canvas#dash-chart")).to_be_visible()
    assert page.evaluate(
        "() => Chart.getChart(document.getElementById('dash-chart')) !== undefined"
    )
    expect(page.get_by_text("Nog geen gezamenlijke aanpak").first).to_be_visible()
    assert SECRET_TEXT not in page.content()
    assert_accessible(page, context="wijk dashboard")

    # Beleidssignalen and goals, in words (not colour alone), without any person.
    section = page.locator("section[aria-labelledby=beleidssignalen-kop]")
    expect(section).to_contain_text(escalatie.title)
    expect(section).to_contain_text("verstuurd")
    expect(section).to_contain_text("Wijkteam Centrum")
    goals = page.locator("section[aria-labelledby=doelen-kop]")
    expect(goals).to_contain_text("Vijftig ouderen doen vrijwilligerswerk")
    expect(goals).to_contain_text("20 van 50 (40%)")
    expect(goals).to_contain_text("van de tijd is voorbij")
    expect(goals.locator("svg.bw-goal-bar")).to_have_count(1)
    key = page.locator(".bw-key-figure", has_text="Open beleidssignalen")
    expect(key.locator(".bw-key-figure__value")).to_have_text("1")
    content = page.content()
    assert professional.display_name not in content
    assert ARGUMENT not in content

    # The officer opens the beleidssignaal from the dashboard, and comes back.
    section.get_by_role("link", name=escalatie.title).click()
    page.wait_for_url(re.compile(rf"/signalen/beleidssignalen/{escalatie.pk}/$"))
    expect(page.locator("h1")).to_contain_text(escalatie.title)
    assert_accessible(page, context="beleidssignaal from the wijk dashboard")
    page.go_back()
    page.wait_for_url(re.compile(rf"/dashboard/wijk/{wijk.code}/"))

    # The chart's data table, for screen readers and anyone else.
    page.locator("summary", has_text="Tabel met de cijfers van de grafiek").click()
    table = page.locator("#grafiek-tabel table")
    expect(table).to_be_visible()
    # Per block of four weeks (dash_data puts each category in one week of its
    # block, which per block would pin the empty weeks): everything is "overige".
    expect(table.locator("thead th").nth(1)).to_have_text("Overige categorieën")
    cells = table.locator("tbody td").all_inner_texts()
    assert sorted(int(c) for c in cells) == sorted([7, 7, 12, 7, 7, 23] * 2)
    assert_accessible(page, context="wijk dashboard, data table open")

    # CSV export of what is on screen.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download als CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"buurtwijs-{wijk.code}-")
    content = open(download.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    assert "Signalen per week" in content
    assert "verborgen" in content
    assert SECRET_TEXT not in content

    # The printed report: no navigation, no controls, folded tables and the method
    # printed open.
    page.locator("summary", has_text="Tabel met de cijfers van de grafiek").click()
    expect(page.locator("#grafiek-tabel table")).to_be_hidden()
    page.emulate_media(media="print")
    expect(page.get_by_text("Hoe wij blinde vlekken vinden")).to_be_visible()
    expect(page.get_by_text("Let op: CBS-cijfers zijn vaak")).to_be_visible()
    expect(page.locator(".bw-header")).to_be_hidden()
    expect(page.locator(".bw-dash-filters")).to_be_hidden()
    expect(page.get_by_role("button", name="Afdrukken als rapport")).to_be_hidden()
    expect(page.locator("#grafiek-tabel table")).to_be_visible()
    expect(page.locator("h1")).to_be_visible()
    assert_accessible(page, context="wijk dashboard, print")
    page.emulate_media(media="screen")


def test_other_gemeente_is_not_found(page, outsider_ambtenaar, gemeente, dash_data):  # noqa: F811
    log_in(page, outsider_ambtenaar, totp_secret=TOTP_SECRET)
    response = go(page, f"/dashboard/{gemeente.code}/")
    assert response.status == 404


def test_visitor_sees_the_calls_on_the_wijk_page(page, wijk, professional, team):
    from django.utils import timezone

    from signalen.models import ThemaLid
    from tests.signalen.helpers import make_signaal

    call = _theme(
        wijk,
        "Eenzaam flat",
        status="opgepakt",
        visibility="publiek",
        size=3,
        public_title="Samen koffie in de flat",
        public_text=PUBLIC_TEXT,
        is_call=True,
        public_approved_at=timezone.now(),
        public_approved_by=professional,
    )
    ThemaLid.objects.create(
        thema=call,
        signaal=make_signaal(author=professional, team=team, text=SECRET_TEXT),
    )
    go(page, f"/wijk/{wijk.code}/")
    section = page.locator("section[aria-labelledby=wat-speelt-kop]")
    expect(section).to_contain_text("Samen koffie in de flat")
    expect(section).to_contain_text(PUBLIC_TEXT)
    expect(section).to_contain_text("Oproep aan bewoners")
    expect(section).to_contain_text("Signalen van professionals: verborgen.")
    assert SECRET_TEXT not in page.content()
    assert_accessible(page, context="public wijk page with a call")
    section.get_by_role("link", name="Doe mee of trek dit thema").click()
    page.wait_for_url(re.compile(rf"/themas/{call.pk}/$"))
    expect(page.locator("h1")).to_contain_text("Samen koffie in de flat")
    assert_accessible(page, context="public theme page from the wijk page")
