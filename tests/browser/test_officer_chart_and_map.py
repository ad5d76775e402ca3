"""Browser tests for #18 items 5 and 9: the officer's wijk chart says something for a
quiet wijk at 1366 and 390 pixels wide (and its table is its twin), and every
initiative is reachable from the initiatives map, which shows the wijk and buurt
outlines and a count per place. axe-core on every page."""

from __future__ import annotations

import random
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_foundation import go, log_in
from tests.conftest import TOTP_SECRET
from tests.dashboard.conftest import telling
from tests.factories import BuurtFactory, square
from tests.initiatieven.factories import InitiatiefFactory

SIZES = [(1366, 900), (390, 844)]


@pytest.fixture(autouse=True)
def _taxonomy(taxonomy):
    """Every test here reads the seeded taxonomy."""


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


@pytest.fixture
def quiet_data(wijk):
    """Three blocks of a quiet wijk: six categories with 0-3 signals a week."""
    rng = random.Random(5)
    for weeks_ago in range(12):
        for code in (
            "eenzaamheid",
            "geldzorgen-schulden",
            "gezondheid",
            "veiligheid",
            "mantelzorg",
            "wonen-woonoverlast",
        ):
            n = rng.choice([0, 1, 1, 2, 3])
            if n:
                telling(wijk, weeks_ago, code, n)


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_officer_reads_a_quiet_wijk_per_block_and_category(
    page, ambtenaar, wijk, quiet_data, width, height
):
    page.set_viewport_size({"width": width, "height": height})
    log_in(page, ambtenaar, totp_secret=TOTP_SECRET)
    go(page, f"/dashboard/wijk/{wijk.code}/")
    expect(page.locator("#grafiek-kop")).to_have_text(
        "Signalen per 4 weken en categorie"
    )
    expect(page.locator("canvas#dash-chart")).to_be_visible()
    bars = page.evaluate(
        """() => Chart.getChart(document.getElementById('dash-chart'))
                 .data.datasets.map(d => d.data)"""
    )
    assert len(bars) >= 3  # at least two categories and "overige"
    values = [v for series in bars for v in series]
    assert sum(1 for v in values if v) >= 6
    assert all(v == 0 or v >= 5 for v in values)
    _no_sideways_scroll(page)
    assert_accessible(page, context=f"wijk dashboard at {width}px")

    page.locator("summary", has_text="Tabel met de cijfers van de grafiek").click()
    table = page.locator("#grafiek-tabel table")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(3)
    headers = table.locator("thead th").all_inner_texts()
    assert headers[-2:] == ["Overige categorieën", "Totaal"]
    for text in table.locator("tbody td").all_inner_texts():
        assert text == "bij overige" or int(text.replace(".", "")) >= 5, text
    _no_sideways_scroll(page)
    assert_accessible(page, context=f"wijk dashboard table at {width}px")


@pytest.fixture
def spread(wijk):
    """Nine initiatives at three places: five in one buurt, three on the wijk only
    (its middle), one in another buurt."""
    noord = BuurtFactory(
        code="BU04390101", name="Noordhoek", wijk=wijk, geometry=square(5.0, 52.0)
    )
    oost = BuurtFactory(
        code="BU04390102", name="Oostkant", wijk=wijk, geometry=square(5.01, 52.0)
    )
    titles = []
    for i in range(5):
        titles.append(
            InitiatiefFactory(wijk=wijk, buurt=noord, title=f"Noord {i}").title
        )
    for i in range(3):
        titles.append(InitiatiefFactory(wijk=wijk, title=f"Wijkbreed {i}").title)
    titles.append(InitiatiefFactory(wijk=wijk, buurt=oost, title="Oost 0").title)
    return titles


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_every_initiative_is_reachable_from_the_map(page, wijk, spread, width, height):
    page.set_viewport_size({"width": width, "height": height})
    go(page, "/initiatieven/")
    map_el = page.locator("#initiatieven-map")
    expect(map_el).to_have_attribute("data-ready", "true")
    # The outlines: the wijk and its two buurten, with the wijk's name on it.
    expect(map_el.locator(".leaflet-overlay-pane path")).to_have_count(3)
    expect(map_el.locator(".bw-map-area-label")).to_have_text("Purmerend Centrum")
    # One marker per place, with the number of initiatives there.
    markers = map_el.locator(".bw-map-pin--count")
    expect(markers).to_have_count(3)
    assert sorted(markers.all_inner_texts()) == ["1", "3", "5"]
    expect(page.locator("#kaart-samenvatting")).to_have_text(
        re.compile(r"^9 initiatieven op 3 plekken\.")
    )
    reached = set()
    for index in range(3):
        marker = markers.nth(index)
        # By keyboard, as anyone can: Tab reaches it, Enter opens its list.
        marker.focus()
        page.keyboard.press("Enter")
        popup = map_el.locator(".leaflet-popup")
        expect(popup).to_be_visible()
        links = popup.locator(".bw-map-popup-list a")
        assert links.count() == int(marker.inner_text())
        reached |= set(links.all_inner_texts())
        if index == 0:
            assert_accessible(page, context=f"initiatives map popup at {width}px")
        page.keyboard.press("Escape")
        expect(popup).to_have_count(0)
    assert reached == set(spread)
    # And by mouse: the link in a popup leads to the initiative.
    markers.filter(has_text="1").click()
    map_el.locator(".bw-map-popup-list a", has_text="Oost 0").click()
    page.wait_for_url(re.compile(r"/initiatieven/\d+/$"))
    expect(page.locator("h1")).to_contain_text("Oost 0")
    page.go_back()
    expect(page.locator("#initiatieven-map")).to_have_attribute("data-ready", "true")
    _no_sideways_scroll(page)
    assert_accessible(page, context=f"initiatives list and map at {width}px")
