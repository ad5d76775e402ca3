"""The dashboard reads: the signalen queries modules, initiatieven.queries additions and
the blind spots."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from dashboard.blind_spots import blind_spots
from initiatieven import queries as initiatieven_queries
from signalen.intake import queries as signal_queries
from signalen.kanon import KCount, Period, change_between, k_count, per_thousand
from signalen.models import AuditEntry, RollupRun, SignaalTelling, ThemaLid, WijkThema
from signalen.themes import queries as theme_queries
from tests.dashboard.conftest import telling, week
from tests.initiatieven.factories import (
    BehoefteFactory,
    DeelnameFactory,
    InitiatiefFactory,
)
from tests.signalen.helpers import make_signaal

# Dates here are reckoned from today (blocks, weeks, deadlines): pin the clock.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def current() -> Period:
    return Period.of_blocks(blocks=3, as_of=timezone.localdate())


def test_period_weeks_and_previous():
    period = Period.between(datetime.date(2026, 3, 4), datetime.date(2026, 3, 18))
    assert period.first_week == datetime.date(2026, 3, 2)
    assert period.weeks == [
        datetime.date(2026, 3, 2),
        datetime.date(2026, 3, 9),
        datetime.date(2026, 3, 16),
    ]
    assert period.last_day == datetime.date(2026, 3, 22)
    assert period.previous() == Period(
        datetime.date(2026, 2, 9), datetime.date(2026, 2, 23)
    )


def test_change_only_between_shown_values():
    assert str(change_between(k_count(12), k_count(10))) == "+2 (+20 %)"
    assert str(change_between(k_count(8), k_count(10))) == "-2 (-20 %)"
    assert str(change_between(k_count(3), k_count(10))) == "—"
    assert str(change_between(k_count(10), k_count(4))) == "—"
    assert str(change_between(k_count(10), KCount(None, 5, suppressed=True))) == "—"


def test_per_thousand_only_from_a_shown_count():
    assert per_thousand(k_count(23), 8000) == 2.9
    assert per_thousand(k_count(4), 8000) is None
    assert per_thousand(k_count(23), None) is None
    assert per_thousand(k_count(23), 0) is None


def test_week_table(wijk, dash_data):
    table = signal_queries.wijk_week_table(wijk=wijk, period=current())
    assert table.grouping == "wijk"
    # Three whole blocks of four weeks that are over.
    assert len(table.weeks) == 12
    assert table.weeks[0] == week(11)
    assert table.weeks[-1] == week(0)
    assert not table.cells_withheld
    assert table.cells[(week(1), "eenzaamheid")].value == 12
    assert table.cells[(week(1), "geldzorgen-schulden")].is_hidden
    # 23 (weeks 0-3) + 7 (weeks 4-7) + 7 (weeks 8-11).
    assert table.total.value == 37
    assert table.categories[0] == ("eenzaamheid", "Eenzaamheid")


def test_week_table_with_category_keeps_the_whole_total(wijk, dash_data):
    table = signal_queries.wijk_week_table(
        wijk=wijk, period=current(), categorie_code="geldzorgen-schulden"
    )
    assert table.categories == (("geldzorgen-schulden", "Geldzorgen en schulden"),)
    assert table.total.value == 37


def _all_cells_withheld(table: signal_queries.WeekTable) -> bool:
    return (
        table.cells_withheld
        and table.shown_count == 0
        and all(count.value is None for count in table.cells.values())
    )


def test_week_table_groupings(wijk, every_block):
    by_group = signal_queries.wijk_week_table(
        wijk=wijk, period=current(), doelgroep_code="ouderen"
    )
    assert by_group.grouping == "doelgroep"
    # 13 + 6 + 6; the cells are withheld, even the 9 (week 1) that is not below K.
    assert by_group.total.value == 25
    assert _all_cells_withheld(by_group)
    assert by_group.cells[(week(1), "eenzaamheid")].is_hidden
    by_buurt = signal_queries.wijk_week_table(
        wijk=wijk, period=current(), buurt_code="BU04390101", doelgroep_code="ouderen"
    )
    assert by_buurt.grouping == "buurt"
    assert by_buurt.total.value == 24
    assert _all_cells_withheld(by_buurt)
    assert by_buurt.cells[(week(1), "eenzaamheid")].is_hidden  # 11
    small = signal_queries.wijk_week_table(
        wijk=wijk, period=current(), buurt_code="BU04390103"
    )
    assert small.total.is_hidden
    assert _all_cells_withheld(small)


def test_doelgroep_or_buurt_with_an_empty_block_shows_no_total(wijk, dash_data):
    """Without every_block, ouderen and Binnenstad have no signals in the blocks of
    weeks 4-7 and 8-11: their totals hide (an empty block hides the period), and the
    cells stay withheld."""
    for table in (
        signal_queries.wijk_week_table(
            wijk=wijk, period=current(), doelgroep_code="ouderen"
        ),
        signal_queries.wijk_week_table(
            wijk=wijk, period=current(), buurt_code="BU04390101"
        ),
    ):
        assert table.total.is_hidden
        assert table.total.suppressed  # 13 and 12 are not below K
        assert _all_cells_withheld(table)
    # Over the one block that has them, both show.
    block = Period(week(3), week(0))
    assert (
        signal_queries.wijk_week_table(
            wijk=wijk, period=block, doelgroep_code="ouderen"
        ).total.value
        == 13
    )
    assert (
        signal_queries.wijk_week_table(
            wijk=wijk, period=block, buurt_code="BU04390101"
        ).total.value
        == 12
    )


def test_wijk_totals_equal_the_wijk_table(wijk, other_wijk, dash_data):
    totals = signal_queries.wijk_signal_totals(
        wijk_ids=[wijk.pk, other_wijk.pk], period=current()
    )
    assert (
        totals[wijk.pk].current
        == signal_queries.wijk_week_table(wijk=wijk, period=current()).total
    )
    # 12 + 7 + 7 in the three blocks before; 37 now.
    assert totals[wijk.pk].previous.value == 26
    assert str(totals[wijk.pk].change) == "+11 (+42 %)"
    assert totals[other_wijk.pk].current.is_hidden
    assert str(totals[other_wijk.pk].change) == "—"


def test_totals_hidden_when_hidden_cells_all_zero(other_wijk, dash_data):
    telling(other_wijk, 3, "veiligheid", 6)  # 4 + 6, the 4 is the only hidden >0
    for weeks_ago in (5, 9):  # the other two blocks: 6 + 1
        telling(other_wijk, weeks_ago, "veiligheid", 6)
        telling(other_wijk, weeks_ago, "mantelzorg", 1)
    totals = signal_queries.wijk_signal_totals(
        wijk_ids=[other_wijk.pk], period=current()
    )
    assert totals[other_wijk.pk].current.value == 24
    # A stored 0 is no different from no row.
    telling(other_wijk, 1, "gezondheid", 0)
    totals = signal_queries.wijk_signal_totals(
        wijk_ids=[other_wijk.pk], period=current()
    )
    assert totals[other_wijk.pk].current.value == 24


def test_a_block_with_only_zero_hidden_cells_hides_the_period(other_wijk, dash_data):
    """Weeks 0-3: 4 + 6 (shown: the 4 is a hidden cell above 0); weeks 8-11: 6 + 1.
    Weeks 4-7 hold only a 6: its total would tell that every hidden cell there is 0,
    so it hides, and so does every period that holds it, although over the whole
    period the hidden cells (4 and 1) are not all 0."""
    telling(other_wijk, 3, "veiligheid", 6)
    telling(other_wijk, 5, "veiligheid", 6)
    telling(other_wijk, 9, "veiligheid", 6)
    telling(other_wijk, 9, "mantelzorg", 1)
    totals = signal_queries.wijk_signal_totals(
        wijk_ids=[other_wijk.pk], period=current()
    )
    assert totals[other_wijk.pk].current == KCount(None, 5, suppressed=True)
    table = signal_queries.wijk_week_table(wijk=other_wijk, period=current())
    assert table.total == KCount(None, 5, suppressed=True)
    # The cells still show (6 in weeks 3, 5 and 9), the total does not.
    assert table.cells[(week(5), "veiligheid")].value == 6
    # The blocks on either side show on their own.
    for first, last, value in ((3, 0, 10), (11, 8, 7)):
        alone = signal_queries.wijk_week_table(
            wijk=other_wijk, period=Period(week(first), week(last))
        )
        assert alone.total.value == value
    middle = signal_queries.wijk_week_table(
        wijk=other_wijk, period=Period(week(7), week(4))
    )
    assert middle.total == KCount(None, 5, suppressed=True)


def test_a_period_one_block_shorter_cannot_pin_a_hidden_block(wijk, dash_data):
    """Custom periods of weeks 15-0 (four blocks) and weeks 11-0 (three blocks): their
    difference is the block of weeks 12-15. With only the 2 gezondheid left in that
    block, one table over the longer period would show 39 (its hidden cells 3, 2, 1
    and 1 cannot be pinned), and 39 - 37 would give the 2 away. Now the block's own
    total is below K, so no period that holds it shows a total."""
    SignaalTelling.objects.filter(wijk=wijk, week=week(14)).delete()
    today = timezone.localdate()
    longer = Period.snapped(week(15), week(0), as_of=today)
    shorter = Period.snapped(week(11), week(0), as_of=today)
    assert longer is not None
    assert shorter is not None
    assert longer.week_count == shorter.week_count + 4
    long_total = signal_queries.wijk_week_table(wijk=wijk, period=longer).total
    short_total = signal_queries.wijk_week_table(wijk=wijk, period=shorter).total
    assert short_total.value == 37
    # 37 + 2 would give the 2 away: the longer period shows no total at all.
    assert long_total.is_hidden
    assert signal_queries.wijk_signal_totals(wijk_ids=[wijk.pk], period=longer)[
        wijk.pk
    ].current.is_hidden
    # Nor does any other period that holds that block.
    for start in (15, 19, 23):
        period = Period.snapped(week(start), week(12), as_of=today)
        assert period is not None
        assert signal_queries.wijk_week_table(wijk=wijk, period=period).total.is_hidden


def test_buurt_totals(wijk, buurten, every_block):
    totals = signal_queries.buurt_signal_totals(
        wijk_ids=[wijk.pk], buurt_ids=[b.pk for b in buurten], period=current()
    )
    assert totals[buurten[0].pk].current.value == 24
    # Wagenweg: 7 in weeks 0-3, but nothing in weeks 8-11 (an empty block).
    assert totals[buurten[1].pk].current.is_hidden
    assert totals[buurten[2].pk].current.is_hidden
    # The period before: no buurt has signals in each of its blocks.
    assert all(totals[b.pk].previous.is_hidden for b in buurten)


def test_buurt_total_hidden_with_an_empty_block(wijk, buurten, dash_data):
    """Binnenstad has 12 in weeks 0-3 and nothing in the other two blocks."""
    totals = signal_queries.buurt_signal_totals(
        wijk_ids=[wijk.pk], buurt_ids=[b.pk for b in buurten], period=current()
    )
    assert totals[buurten[0].pk].current.is_hidden
    block = signal_queries.buurt_signal_totals(
        wijk_ids=[wijk.pk],
        buurt_ids=[b.pk for b in buurten],
        period=Period(week(3), week(0)),
    )
    assert block[buurten[0].pk].current.value == 12


def test_theme_counts_only_shared_current_not_dismissed(wijk, other_wijk, dash_data):
    WijkThema.objects.create(
        wijk=wijk,
        label="verworpen",
        status="verworpen",
        status_reason="dubbel",
        visibility="gemeente",
    )
    counts = theme_queries.theme_counts_for_wijken(wijk_ids=[wijk.pk, other_wijk.pk])
    assert counts[wijk.pk] == theme_queries.ThemeCounts(active=2, unanswered=1)
    assert counts[other_wijk.pk] == theme_queries.ThemeCounts(active=0, unanswered=0)


def test_freshness_is_the_last_success(wijk, other_wijk, dash_data):
    last = RollupRun.objects.get(wijk=wijk).finished_at
    RollupRun.objects.create(
        wijk=wijk,
        trigger="manual",
        status="failed",
        started_at=timezone.now(),
        finished_at=timezone.now() + datetime.timedelta(hours=1),
    )
    fresh = theme_queries.rollup_freshness(wijk_ids=[wijk.pk, other_wijk.pk])
    assert fresh == {wijk.pk: last, other_wijk.pk: None}


def _members(thema, weeks_ago, professional, team, wijk):
    """Signals observed on the Monday `n` weeks before the last week of the last block
    that is over (conftest.week): the sparkline's blocks are weeks 0-3, 4-7, ..., on
    every day, so the test does not depend on the day it runs."""
    for n in weeks_ago:
        signaal = make_signaal(
            author=professional,
            team=team,
            wijk=wijk,
            observed_on=week(n),
        )
        ThemaLid.objects.create(thema=thema, signaal=signaal)


def test_themes_for_officer(wijk, dash_data, professional, team):
    thema = WijkThema.objects.get(label="eenzaam flat lift")
    # Blocks of 4 weeks, oldest first: 2 (weeks 8-11), 1 (weeks 4-7), 5 (weeks 0-3).
    _members(thema, (0, 0, 0, 1, 1, 5, 9, 9), professional, team, wijk)
    rows = theme_queries.themes_for_officer(wijk=wijk, as_of=timezone.localdate())
    assert [r.name for r in rows] == ["Eenzaam in de flat", "Schulden jonge gezinnen"]
    first = rows[0]
    assert not first.has_answer
    assert first.size.value == 8
    # From the theme's first block with signals on; no earlier, empty blocks.
    assert [c.value for c in first.spark] == [None, None, 5]
    assert rows[1].has_answer
    assert rows[1].size.is_hidden
    assert rows[1].spark == (KCount(None, 5, suppressed=False),)


def test_theme_size_hidden_when_blocks_would_give_one_away(
    wijk, dash_data, professional, team
):
    thema = WijkThema.objects.get(label="eenzaam flat lift")
    # 5, 0, 5: with the size 10 the single hidden block would read 0.
    _members(thema, (0, 0, 0, 1, 1, 9, 9, 9, 9, 9), professional, team, wijk)
    row = theme_queries.themes_for_officer(wijk=wijk, as_of=timezone.localdate())[0]
    assert row.size == KCount(None, 5, suppressed=True)
    assert str(row.size) == "verborgen"


def test_record_export(ambtenaar, wijk):
    signal_queries.record_export(actor=ambtenaar, wijk=wijk, detail={"format": "csv"})
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.wijk) == ("export", ambtenaar, wijk)


def test_initiative_figures(wijk, other_wijk, buurten):
    running = InitiatiefFactory(wijk=wijk, buurt=buurten[0], status="actief")
    InitiatiefFactory(wijk=wijk, status="idee")
    InitiatiefFactory(wijk=wijk, status="afgerond")
    InitiatiefFactory(wijk=wijk, status="actief", is_hidden=True)
    person = DeelnameFactory(initiatief=running).user
    DeelnameFactory(initiatief=running, kind="steun")
    DeelnameFactory(
        initiatief=InitiatiefFactory(wijk=wijk, status="actief"), user=person
    )
    BehoefteFactory(initiatief=running)
    BehoefteFactory(initiatief=running, is_met=True)
    figures = initiatieven_queries.initiative_figures_for_wijken(
        wijk_ids=[wijk.pk, other_wijk.pk]
    )
    assert figures[wijk.pk] == {"active": 3, "participants": 2}
    assert figures[other_wijk.pk] == {"active": 0, "participants": 0}
    per_buurt = initiatieven_queries.initiative_counts_for_buurten(
        buurt_ids=[b.pk for b in buurten]
    )
    assert per_buurt == {buurten[0].pk: 1, buurten[1].pk: 0, buurten[2].pk: 0}
    overview = initiatieven_queries.initiative_overview_for_wijk(wijk=wijk)
    assert dict(overview["by_status"])["Actief"] == 2
    assert dict(overview["by_status"])["Afgerond"] == 1
    assert overview["open_needs"] == 1
    assert overview["needs"][0]["initiatief"] == running.title


def test_blind_spots_rank_vulnerable_quiet_buurten(
    gemeente, wijk, other_wijk, dash_data
):
    spots = blind_spots(gemeente=gemeente, period=current())
    assert [s.buurt_name for s in spots] == ["Grijze Hoek"]
    spot = spots[0]
    assert spot.signals.is_hidden
    assert "veel 65-plussers: 38,0% (gemiddeld 19,4%)" in spot.reasons
    assert "weinig signalen: minder dan 5 in deze periode" in spot.reasons
    assert "geen lopende initiatieven" in spot.reasons
    assert blind_spots(gemeente=gemeente, period=current(), wijk=other_wijk) == []


def test_blind_spot_drops_out_with_activity(gemeente, wijk, buurten, dash_data):
    for _n in range(4):
        InitiatiefFactory(wijk=wijk, buurt=buurten[2], status="actief")
    telling(wijk, 4, "eenzaamheid", 40, buurt=buurten[2])
    assert blind_spots(gemeente=gemeente, period=current()) == []


def test_blind_spots_without_figures(gemeente, wijk):
    assert blind_spots(gemeente=gemeente, period=current()) == []


def test_canonical_total_equals_the_full_table():
    """The totals-only path gives exactly the full table's total, on random data."""
    import random

    rng = random.Random(6)
    period = Period.of_blocks(blocks=3, as_of=datetime.date(2026, 11, 23))
    codes = ["a", "b", "c", "d"]
    for _ in range(2000):
        density = rng.choice([0.0, 0.05, 0.3, 1.0])
        counts = {
            (w, c): rng.choice([0, 1, 2, 3, 4, 4, 5, 6, 9, 20])
            for w in period.weeks
            for c in rng.sample([*codes, "oud"], rng.randint(1, 5))
            if rng.random() < density
        }
        active = codes[: rng.randint(0, 4)]
        all_codes = set(active) | {c for _w, c in counts}
        # The totals-only path of one table gives exactly that table's total ...
        for weeks in [period.weeks, *period.blocks]:
            _codes, table = signal_queries._canonical_table(
                counts, weeks=weeks, active_codes=active
            )
            assert (
                signal_queries._single_total(counts, weeks=weeks, codes=all_codes, k=5)
                == table.total
            )
        # ... and a period's total is the sum of its block tables' totals, shown
        # only when every one of them shows.
        blocks = [
            signal_queries._canonical_table(counts, weeks=weeks, active_codes=active)[
                1
            ].total
            for weeks in period.blocks
        ]
        total = signal_queries._canonical_total(
            counts, weeks=period.weeks, active_codes=active
        )
        raw = sum(counts.values())
        values = [b.value for b in blocks if b is not None]
        if None not in values and len(values) == len(blocks):
            assert total == KCount(sum(v for v in values if v is not None), 5)
            assert total.value == raw
        else:
            assert total == KCount(None, 5, suppressed=raw >= 5)
    # Also a table of only K-1 values, where the total must hide.
    full = {(w, c): 4 for w in period.weeks for c in codes}
    assert signal_queries._canonical_total(
        full, weeks=period.weeks, active_codes=codes
    ) == KCount(None, 5, suppressed=True)
