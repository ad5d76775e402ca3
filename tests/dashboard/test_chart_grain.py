"""The officer's chart per block of four weeks (or three blocks) and the largest
categories plus "overige": it says something for a quiet wijk, and still never shows a
count under K nor lets one view be subtracted from another (#18 item 5)."""

from __future__ import annotations

import datetime
import random

import pytest
from django.utils import timezone

from signalen.intake import queries as signal_queries
from signalen.intake.queries import OVERIGE
from signalen.kanon import (
    BLOCK_EPOCH,
    BlockSplit,
    Period,
    _hidden_cells_derivable,
    chart_columns,
    merge_splits,
    split_block,
)
from tests.conftest import mfa_client
from tests.dashboard.conftest import telling

K = 5
BLOCK = [BLOCK_EPOCH + datetime.timedelta(weeks=i) for i in range(4)]
CODES = ["a", "b", "c", "d", "e", "f"]


def _counts(rows: dict[str, list[int]]) -> dict[tuple[datetime.date, str], int]:
    return {
        (BLOCK[i], code): n
        for code, weekly in rows.items()
        for i, n in enumerate(weekly)
        if n
    }


def test_small_categories_are_merged_into_overige_before_anything_is_hidden():
    # Per week and category every cell is "< 5"; per block "a" shows, and the two
    # others together.
    counts = _counts({"a": [2, 1, 2, 1], "b": [1, 0, 1, 0], "c": [0, 2, 0, 1]})
    split = split_block(counts, weeks=BLOCK, codes=CODES, k=K)
    assert split.total == 11
    assert split.alone == {"a": 6}
    assert split.rest == 5


def test_a_block_under_k_shows_nothing():
    counts = _counts({"a": [1, 1, 1, 0]})
    assert split_block(counts, weeks=BLOCK, codes=CODES, k=K).total is None


def test_a_category_whose_other_weeks_are_empty_is_not_shown_on_its_own():
    # 12 in one week shows in the week table; 12 for the block would say that its
    # three other weeks are 0. Then "overige" (a and the empty ones, 12) would say the
    # same, so "b" joins it: the block shows as one part.
    counts = _counts({"a": [12, 0, 0, 0], "b": [1, 2, 1, 2]})
    split = split_block(counts, weeks=BLOCK, codes=CODES, k=K)
    assert split.alone == {}
    assert split.rest == split.total == 18


def test_overige_under_k_takes_in_the_smallest_category_until_it_shows():
    # The rest would be 2 next to a shown total: 20 - 8 - 10 = 2.
    counts = _counts({"a": [2, 2, 2, 2], "b": [3, 3, 2, 2], "c": [1, 1, 0, 0]})
    split = split_block(counts, weeks=BLOCK, codes=CODES, k=K)
    assert split.total == 20
    assert split.alone == {"b": 10}
    assert split.rest == 10


def _random_block(rng: random.Random) -> dict[tuple[datetime.date, str], int]:
    return {
        (w, c): rng.choice([0, 0, 0, 1, 1, 2, 3, 4, 5, 7, 12])
        for w in BLOCK
        for c in CODES
        if rng.random() < 0.6
    }


def test_every_part_shown_is_at_least_k_and_its_hidden_weeks_cannot_be_pinned():
    rng = random.Random(18)
    for _ in range(3000):
        counts = _random_block(rng)
        split = split_block(counts, weeks=BLOCK, codes=CODES, k=K)
        if split.total is None:
            continue
        rest = [c for c in CODES if c not in split.alone]
        assert split.total == sum(split.alone.values()) + split.rest
        for group in [[c] for c in split.alone] + ([rest] if rest else []):
            value = sum(counts.get((w, c), 0) for w in BLOCK for c in group)
            assert value >= K
            hidden = [
                counts.get((w, c), 0)
                for w in BLOCK
                for c in group
                if counts.get((w, c), 0) < K
            ]
            # What a reader learns (the part minus its shown week cells) pins nothing.
            assert not _hidden_cells_derivable(hidden, K)


def test_a_column_of_three_blocks_only_adds_up_parts_of_its_blocks():
    one = BlockSplit(20, {"a": 8, "b": 6}, 6)
    two = BlockSplit(15, {"a": 9}, 6)
    three = BlockSplit(12, {"a": 5, "b": 7}, 0)
    merged = merge_splits([one, two, three])
    assert merged == BlockSplit(47, {"a": 22}, 25)
    assert merge_splits([one, BlockSplit(None, {}, 0)]).total is None


def test_long_periods_get_columns_of_three_blocks_on_the_fixed_grid():
    as_of = timezone.localdate()
    short = Period.of_blocks(blocks=6, as_of=as_of)
    assert [len(c) for c in chart_columns(short)] == [1] * 6
    long = Period.of_blocks(blocks=13, as_of=as_of)
    columns = chart_columns(long)
    assert sum(len(c) for c in columns) == 13
    assert all(len(c) <= 3 for c in columns)
    # The same three blocks make a column whatever period holds them.
    longer = Period.of_blocks(blocks=20, as_of=as_of)
    shared = {tuple(b[0] for b in c) for c in chart_columns(longer) if len(c) == 3}
    assert {tuple(b[0] for b in c) for c in columns if len(c) == 3} <= shared


# --- Through the database and the page ------------------------------------------------


@pytest.fixture
def quiet_wijk(wijk):
    """A quiet wijk: 3 blocks, many categories with 1-3 signals a week."""
    rng = random.Random(5)
    codes = [
        "eenzaamheid",
        "geldzorgen-schulden",
        "gezondheid",
        "veiligheid",
        "mantelzorg",
        "wonen-woonoverlast",
    ]
    for weeks_ago in range(12):
        for code in codes:
            n = rng.choice([0, 1, 1, 2, 3])
            if n:
                telling(wijk, weeks_ago, code, n)
    return wijk


def _period() -> Period:
    return Period.of_blocks(blocks=3, as_of=timezone.localdate())


def test_a_quiet_wijk_shows_every_block_with_categories(quiet_wijk):
    table = signal_queries.wijk_week_table(wijk=quiet_wijk, period=_period())
    assert table.shown_count == 0  # per week nothing shows
    chart = signal_queries.wijk_category_chart(wijk=quiet_wijk, period=_period())
    assert len(chart.columns) == 3
    assert chart.series[-1][0] == OVERIGE
    assert len(chart.series) > 2
    for column in chart.columns:
        assert not column.is_hidden
        shown = [v for v in column.values if v is not None]
        assert all(v >= K or v == 0 for v in shown)
        assert sum(shown) == column.total.value
    # The chart's parts add up to the total of the canonical table.
    assert sum(c.total.value for c in chart.columns) == table.total.value


def test_the_same_block_shows_the_same_parts_in_every_period_and_filter(quiet_wijk):
    three = signal_queries.wijk_category_chart(wijk=quiet_wijk, period=_period())
    codes = [code for code, _name in three.series if code != OVERIGE]
    for index, weeks in enumerate(_period().blocks):
        alone = signal_queries.wijk_category_chart(
            wijk=quiet_wijk, period=Period(weeks[0], weeks[-1])
        )
        assert alone.columns[0].total == three.columns[index].total
        by_code = dict(
            zip([c for c, _ in alone.series], alone.columns[0].values, strict=True)
        )
        for position, code in enumerate(codes):
            value = three.columns[index].values[position]
            if code in by_code:
                assert by_code[code] == value
            # A narrow filter on one category shows the same value, or nothing.
            narrow = signal_queries.wijk_category_chart(
                wijk=quiet_wijk, period=Period(weeks[0], weeks[-1]), categorie_code=code
            )
            assert narrow.columns[0].values == (value,)


def test_a_narrow_filter_on_a_small_category_shows_no_number_under_k(quiet_wijk):
    for code in ["mantelzorg", "wonen-woonoverlast", "opvoeding"]:
        chart = signal_queries.wijk_category_chart(
            wijk=quiet_wijk, period=_period(), categorie_code=code
        )
        assert [code_ for code_, _ in chart.series] == [code] or code == "opvoeding"
        for column in chart.columns:
            assert all(v is None or v >= K for v in column.values)


def test_the_wijk_dashboard_table_is_the_twin_of_the_chart(
    client, ambtenaar, quiet_wijk
):
    response = mfa_client(client, ambtenaar).get(f"/dashboard/wijk/{quiet_wijk.code}/")
    html = response.content.decode()
    assert "Signalen per 4 weken en categorie" in html
    assert "Overige categorieën" in html
    chart = response.context["chart"]
    rows = response.context["chart_rows"]
    assert len(chart["labels"]) == len(rows) == 3
    for index, (_label, cells, _total) in enumerate(rows):
        for dataset, cell in zip(chart["datasets"], cells, strict=True):
            value = dataset["data"][index]
            assert cell == (dataset["notes"][index] or str(value))
            assert value == 0 or value >= K


def test_the_export_carries_the_same_blocks_as_the_page(client, ambtenaar, quiet_wijk):
    client = mfa_client(client, ambtenaar)
    page = client.get(f"/dashboard/wijk/{quiet_wijk.code}/")
    csv_text = client.get(
        f"/dashboard/wijk/{quiet_wijk.code}/export.csv"
    ).content.decode("utf-8-sig")
    assert "Signalen per blok" in csv_text
    for label, cells, total in page.context["chart_rows"]:
        assert (
            ";".join([label, *cells, total]) in csv_text
            or ",".join([label, *cells, total]) in csv_text
        )
