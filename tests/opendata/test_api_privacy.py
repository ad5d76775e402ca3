"""Privacy of the public API: no signal text, no professional, no hidden thing or
name, and no count below K_ANONYMITY, from any endpoint, with narrow filters, or by
subtracting two answers."""

from __future__ import annotations

import datetime
import json

import pytest

from signalen.models import Categorie, SignaalTelling
from tests.dashboard.conftest import telling, week
from tests.factories import BuurtFactory, WijkFactory
from tests.opendata import api_data as fixtures
from tests.opendata.api_data import FORBIDDEN, small_counts

API = "/api/v1"
api_data = fixtures.api_data


def _urls(data) -> list[str]:
    tuin, call, small = data["tuin"], data["call"], data["small"]
    one_block = week(3)
    older_block = week(7)
    urls = [
        "/gemeenten/",
        "/gemeenten/GM0439/",
        "/gemeenten/GM0439/wijken/",
        "/gemeenten/GM0439/wijken/?format=geojson",
        "/wijken/WK043901/",
        "/wijken/WK043901/buurten/",
        "/wijken/WK043901/buurten/?format=geojson",
        "/buurten/BU04390103/",
        "/initiatieven/",
        "/initiatieven/?wijk=WK043901",
        f"/initiatieven/{tuin.pk}/",
        "/themas/",
        "/themas/?wijk=WK043901&call=false",
        f"/themas/{call.pk}/",
        f"/themas/{small.pk}/",
    ]
    for blocks in (1, 2, 3, 6, 13):
        urls.append(f"/wijken/WK043901/signalen/?blocks={blocks}")
        urls.append(f"/wijken/WK043902/signalen/?blocks={blocks}")
        urls.append(f"/gemeenten/GM0439/signalen/?blocks={blocks}")
    for start in (one_block, older_block):
        span = f"start={start}&end={start}"
        urls.append(f"/wijken/WK043901/signalen/?{span}")
        urls.append(f"/gemeenten/GM0439/signalen/?{span}")
        for code in ("BU04390101", "BU04390102", "BU04390103"):
            urls.append(f"/wijken/WK043901/signalen/?{span}&buurt={code}")
    for code in ("eenzaamheid", "geldzorgen-schulden", "gezondheid", "mantelzorg"):
        urls.append(f"/wijken/WK043901/signalen/?category={code}")
        urls.append(f"/wijken/WK043901/signalen/?category={code}&blocks=1")
    for code in ("BU04390101", "BU04390102", "BU04390103"):
        urls.append(f"/wijken/WK043901/signalen/?buurt={code}")
        urls.append(f"/wijken/WK043901/signalen/?buurt={code}&category=eenzaamheid")
    return urls


def test_nothing_private_leaves_through_any_endpoint(client, api_data, kerncijfers):
    for url in _urls(api_data):
        response = client.get(API + url)
        assert response.status_code == 200, (url, response.content[:300])
        text = response.content.decode()
        for secret in FORBIDDEN:
            assert secret not in text, (url, secret)
        body = json.loads(text)
        assert small_counts(body) == [], url


def test_no_small_count_with_a_lower_threshold_either(client, api_data, settings):
    """With K = 10 the same answers hide more, and still show nothing below K."""
    settings.K_ANONYMITY = 10
    for url in _urls(api_data):
        body = client.get(API + url).json()
        assert small_counts(body, k=10) == [], url


def test_small_signals_are_hidden_in_narrow_filters(client, api_data):
    """Grijze Hoek has 2 signals, geldzorgen 3 in one week: never shown."""
    data = client.get(API + "/wijken/WK043901/signalen/?buurt=BU04390103").json()
    assert data["total"]["count"] is None
    assert data["cells_withheld"] is True
    assert all(block["weeks"] == [] for block in data["blocks"])
    assert all(block["total"]["count"] is None for block in data["blocks"])
    geld = client.get(API + "/wijken/WK043901/signalen/?category=geldzorgen-schulden")
    cells = [
        c
        for block in geld.json()["blocks"]
        for w in block["weeks"]
        for c in w["categories"]
    ]
    assert cells
    assert all(c["count"] is None and c["hidden"] for c in cells)


def test_period_totals_are_sums_of_block_totals(client, api_data):
    """Two overlapping periods can only be subtracted into block totals that show
    anyway: a period's total is shown only when every block's total shows, and then it
    is their sum."""
    for blocks in (1, 2, 3, 6):
        data = client.get(API + f"/wijken/WK043901/signalen/?blocks={blocks}").json()
        totals = [b["total"]["count"] for b in data["blocks"]]
        if None in totals:
            assert data["total"]["count"] is None, blocks
        else:
            assert data["total"]["count"] == sum(totals), blocks
    for blocks in (1, 2, 3):
        data = client.get(API + f"/gemeenten/GM0439/signalen/?blocks={blocks}").json()
        for row in data["wijken"]:
            totals = [b["total"]["count"] for b in row["blocks"]]
            if None in totals:
                assert row["total"]["count"] is None
            else:
                assert row["total"]["count"] == sum(totals)


def test_overlapping_custom_periods_snap_to_the_same_blocks(client, api_data):
    """A period a week later is the same run of blocks: no week-by-week difference."""
    start = week(11)
    end = week(0)
    first = client.get(
        API + f"/wijken/WK043901/signalen/?start={start}&end={end}"
    ).json()
    shifted = client.get(
        API
        + f"/wijken/WK043901/signalen/?start={start + datetime.timedelta(days=3)}"
        + f"&end={end + datetime.timedelta(days=3)}"
    ).json()
    assert first["period"] == shifted["period"]
    assert first["total"] == shifted["total"]


def test_category_filter_gives_no_category_total(client, api_data):
    """The total with a category is the total of all categories, so no per-category
    total can be subtracted from it."""
    everything = client.get(API + "/wijken/WK043901/signalen/").json()
    for code in ("eenzaamheid", "geldzorgen-schulden"):
        data = client.get(API + f"/wijken/WK043901/signalen/?category={code}").json()
        assert data["total"] == everything["total"]
        assert [b["total"] for b in data["blocks"]] == [
            b["total"] for b in everything["blocks"]
        ]


@pytest.fixture
def pinned_buurt(gemeente):
    """A wijk where every signal of one block has a buurt, and one buurt has none: the
    wijk total minus the two shown buurt totals would say "0 in Leeg"."""
    wijk = WijkFactory(code="WK043909", name="Rekenwijk", gemeente=gemeente)
    vol = BuurtFactory(code="BU04390901", name="Vol", wijk=wijk)
    half = BuurtFactory(code="BU04390902", name="Half", wijk=wijk)
    BuurtFactory(code="BU04390903", name="Leeg", wijk=wijk)
    # A small cell in each table, so that the totals themselves may show.
    telling(wijk, 1, "eenzaamheid", 12)
    telling(wijk, 1, "gezondheid", 1)
    telling(wijk, 2, "eenzaamheid", 7)
    telling(wijk, 2, "gezondheid", 1)
    telling(wijk, 1, "eenzaamheid", 12, buurt=vol)
    telling(wijk, 1, "gezondheid", 1, buurt=vol)
    telling(wijk, 2, "eenzaamheid", 7, buurt=half)
    telling(wijk, 2, "gezondheid", 1, buurt=half)
    return wijk


def test_wijk_total_minus_buurt_totals_pins_nothing(client, pinned_buurt):
    span = f"start={week(3)}&end={week(3)}"
    url = API + "/wijken/WK043909/signalen/?" + span
    wijk_total = client.get(url).json()["total"]["count"]
    parts = {
        code: client.get(url + f"&buurt={code}").json()["total"]
        for code in ("BU04390901", "BU04390902", "BU04390903")
    }
    assert wijk_total == 21
    assert parts["BU04390903"]["count"] is None
    # Were both others shown, 21 - 13 - 8 would pin the empty buurt at 0 (and the
    # rest without a buurt at 0): so they are hidden too.
    shown = [p["count"] for p in parts.values() if p["count"] is not None]
    assert shown == []
    # One reason for every hidden count: it does not say which cells are small.
    assert parts["BU04390901"]["reason"] == "k_anonymity"


def test_gemeente_totals_cannot_be_split_by_wijk(client, api_data, other_wijk):
    """The small wijk (4 signals) is hidden in the gemeente answer and in its own."""
    rows = {
        r["wijk"]: r
        for r in client.get(API + "/gemeenten/GM0439/signalen/").json()["wijken"]
    }
    assert rows["WK043902"]["total"]["count"] is None
    own = client.get(API + "/wijken/WK043902/signalen/").json()
    assert own["total"]["count"] is None
    assert rows["WK043902"]["per_1000_inhabitants"] is None


def test_withdrawn_and_retired_categories_follow_the_helper(client, api_data):
    """A retired category with counts still sits in the table, hidden when small."""
    cat = Categorie.objects.get(code="mantelzorg")
    cat.is_active = False
    cat.save()
    assert SignaalTelling.objects.filter(categorie=cat).exists()
    data = client.get(API + "/wijken/WK043901/signalen/").json()
    assert small_counts(data) == []
    codes = [c["code"] for c in data["categories"]]
    assert "mantelzorg" in codes
