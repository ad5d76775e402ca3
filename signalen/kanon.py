"""k-anonymity and the 4-week grid: pure functions, the only way a count leaves the team.

One definition per number (#18 item 6). Every page that shows one of these says which
it is: the team's own number, or the number as it leaves the team.

=====================  ===============================================  =========================================
number                 what it counts                                   where it shows
=====================  ===============================================  =========================================
theme, team view       the theme's signals that still count (not        the team's theme list and theme page, the
                       withdrawn), every date up to now                 team report, the escalation form's preview
                       (signalen.themes.queries.theme_team_sizes)       ("in het team, alle signalen tot nu")
theme, outside view    the same signals, but only those logged up       the officer's dashboard, the escalation
                       to the end of the last whole block of four       snapshot, the public theme page and wijk
                       weeks, k-anonymous as the total of the theme's   page, the API; the team's theme pages show
                       table per block (theme_outside_sizes);           it beside the team's number ("buiten het
                       hidden when that table would give a block away   team, hele blokken van 4 weken tot en met
                                                                        <date>")
theme per doelgroep    the outside view's signals per target group      the escalation snapshot
                       (a signal with two groups counts in both),
                       k-anonymous, no total
wijk, per period       signals of the wijk logged in the period's       the officer's overview, wijk dashboard,
                       whole blocks: the sum of the block totals, each  exports, the API
                       the total of that block's week x category table
                       (intake.queries._canonical_total); hidden when
                       one block total is hidden
wijk chart cell        one block (or three) x one category or           the officer's wijk chart and its table
                       "overige", from the same block counts
                       (`split_block` below)
=====================  ===============================================  =========================================

The outside numbers never count the block that is still running, so a theme of 17
signals for the team can be 14 outside it: the three of this block count once the
block is over. `outside_until` is the last day they count.

Outside the team "in a block" means LOGGED in it (#15 item 4): every outside number
counts a signal in the block of the day it was logged (its `created_at`), never the
day it was seen (`observed_on`, up to a year back), and reads the frozen facts of
signalen.intake.facts (SignaalFeit, and the SignaalTelling counts kept from them): once
a block is over, nothing it counts changes again, not a signal dated back, an edit, a
withdrawal, a deletion, the retention job or an account that goes. The team's own
numbers may keep counting by the day seen.
"""

from __future__ import annotations

import datetime
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext

K = TypeVar("K", bound=Hashable)


def k_threshold() -> int:
    return int(settings.K_ANONYMITY)


@dataclass(frozen=True)
class KCount:
    """A count that may be shown, or is hidden.

    `value` is None when hidden: the real number never leaves this module in a
    KCount, so a template or export cannot print it by mistake.
    """

    value: int | None
    threshold: int
    # True when hidden although not below K (a total hidden to protect its cells).
    # Internal only: nothing outside the team may tell the two apart.
    suppressed: bool = False

    @property
    def is_hidden(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        # Every hidden count reads the same, whatever the reason: a label that told
        # "below K" from "hidden to protect the others" would tell readers which
        # cells are small (and, beside a total, that the rest are zero).
        if self.value is None:
            return gettext("verborgen")
        return number_format(self.value, force_grouping=True)

    @property
    def sort_value(self) -> int:
        """For sorting: hidden counts as -1, below every shown count."""
        return -1 if self.value is None else self.value


@dataclass(frozen=True)
class KTable(Generic[K]):
    """k-anonymous cells in display order (shown by size, then hidden by key)."""

    cells: tuple[tuple[K, KCount], ...]
    total: KCount | None

    def __getitem__(self, key: K) -> KCount:
        for cell_key, count in self.cells:
            if cell_key == key:
                return count
        raise KeyError(key)

    def __len__(self) -> int:
        return len(self.cells)

    def as_dict(self) -> dict[K, KCount]:
        return dict(self.cells)


def k_count(value: int, *, k: int | None = None) -> KCount:
    """One count on its own (no total beside it)."""
    threshold = k_threshold() if k is None else k
    return KCount(None if value < threshold else value, threshold)


def _hidden_cells_derivable(hidden: list[int], k: int) -> bool:
    """Could a reader pin a hidden cell, knowing only their sum and 0 <= each < k?"""
    if not hidden:
        return False
    if len(hidden) == 1:
        return True
    total = sum(hidden)
    return total in (0, len(hidden) * (k - 1))


def _sort_key(key: Hashable) -> str:
    return str(key)


def k_anonymous_counts(
    cells: Mapping[K, int], *, total: bool = True, k: int | None = None
) -> KTable[K]:
    """Make a table of counts k-anonymous (see the module docstring)."""
    threshold = k_threshold() if k is None else k
    if threshold < 1:
        raise ValueError("K must be at least 1.")
    for value in cells.values():
        if value < 0:
            raise ValueError("Counts cannot be negative.")

    shown = {key: value for key, value in cells.items() if value >= threshold}
    hidden_keys = [key for key, value in cells.items() if value < threshold]

    total_count: KCount | None = None
    if total:
        grand = sum(cells.values())
        if grand < threshold:
            total_count = KCount(None, threshold)
        elif _hidden_cells_derivable([cells[key] for key in hidden_keys], threshold):
            total_count = KCount(None, threshold, suppressed=True)
        else:
            total_count = KCount(grand, threshold)

    ordered_shown = sorted(
        shown.items(), key=lambda item: (-item[1], _sort_key(item[0]))
    )
    ordered: list[tuple[K, KCount]] = [
        (key, KCount(value, threshold)) for key, value in ordered_shown
    ]
    ordered += [
        (key, KCount(None, threshold)) for key in sorted(hidden_keys, key=_sort_key)
    ]
    return KTable(cells=tuple(ordered), total=total_count)


PERIOD_MAX_WEEKS = 156


# Outside the team, time is cut into fixed blocks of four weeks counted from a fixed
# Monday, and only whole blocks that are over are shown: a period is a run of blocks,
# and its total shows only when every block total in it shows. Otherwise two periods
# (or the same period a week later) could be subtracted to pin a small count.
BLOCK_WEEKS = 4


BLOCK_EPOCH = datetime.date(2024, 1, 1)  # a Monday


BLOCK_SPAN = datetime.timedelta(weeks=BLOCK_WEEKS)


def block_start(day: datetime.date) -> datetime.date:
    """The first Monday of the block that holds `day`."""
    blocks = (day - BLOCK_EPOCH).days // (7 * BLOCK_WEEKS)
    return BLOCK_EPOCH + BLOCK_SPAN * blocks


def block_text(day: datetime.date) -> str:
    """A date as it may leave the team: only its 4-week block ("13 oktober - 9
    november 2026"), so it cannot pin one signal beside a count."""
    from django.utils.formats import date_format

    start = block_start(day)
    end = start + BLOCK_SPAN - datetime.timedelta(days=1)
    return gettext("%(start)s - %(end)s") % {
        "start": date_format(start, "j F"),
        "end": date_format(end, "j F Y"),
    }


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


@dataclass(frozen=True)
class Period:
    """Whole weeks, from the Monday of first_week to the Monday of last_week."""

    first_week: datetime.date
    last_week: datetime.date

    @classmethod
    def of_blocks(cls, *, blocks: int, as_of: datetime.date) -> Period:
        """The last `blocks` whole blocks that are over on `as_of`."""
        last = block_start(as_of) - BLOCK_SPAN
        first = last - BLOCK_SPAN * (blocks - 1)
        return cls(first, last + datetime.timedelta(weeks=BLOCK_WEEKS - 1))

    @classmethod
    def snapped(
        cls, first: datetime.date, last: datetime.date, *, as_of: datetime.date
    ) -> Period | None:
        """From the block holding `first` to the block holding `last`, but only
        blocks that are over on `as_of`; None when no whole block is left."""
        start = block_start(first)
        end = min(block_start(last), block_start(as_of) - BLOCK_SPAN)
        if end < start:
            return None
        return cls(start, end + datetime.timedelta(weeks=BLOCK_WEEKS - 1))

    @property
    def blocks(self) -> list[list[datetime.date]]:
        """The weeks of the period, per block of the fixed grid."""
        grouped: dict[datetime.date, list[datetime.date]] = {}
        for week in self.weeks:
            grouped.setdefault(block_start(week), []).append(week)
        return [grouped[key] for key in sorted(grouped)]

    @classmethod
    def between(cls, first: datetime.date, last: datetime.date) -> Period:
        return cls(monday_of(first), monday_of(last))

    @property
    def weeks(self) -> list[datetime.date]:
        count = (self.last_week - self.first_week).days // 7 + 1
        return [self.first_week + datetime.timedelta(weeks=i) for i in range(count)]

    @property
    def week_count(self) -> int:
        return (self.last_week - self.first_week).days // 7 + 1

    @property
    def last_day(self) -> datetime.date:
        return self.last_week + datetime.timedelta(days=6)

    def previous(self) -> Period:
        span = datetime.timedelta(weeks=self.week_count)
        return Period(self.first_week - span, self.last_week - span)


@dataclass(frozen=True)
class Change:
    """The change of a total against the previous period; None when either is hidden."""

    difference: int | None
    percent: float | None

    @property
    def is_known(self) -> bool:
        return self.difference is not None

    def __str__(self) -> str:
        if self.difference is None:
            return "—"
        sign = "+" if self.difference > 0 else ""
        text = sign + number_format(self.difference)
        if self.percent is not None:
            text += f" ({sign}{number_format(round(self.percent))} %)"
        return text


def change_between(current: KCount, previous: KCount) -> Change:
    if current.value is None or previous.value is None:
        return Change(None, None)
    difference = current.value - previous.value
    percent = difference / previous.value * 100 if previous.value else None
    return Change(difference, percent)


def per_thousand(count: KCount, inhabitants: int | None) -> float | None:
    """Signals per 1,000 inhabitants, only from a shown count."""
    if count.value is None or not inhabitants:
        return None
    return round(count.value / inhabitants * 1000, 1)


SPARK_BUCKETS = 6


SPARK_BUCKET_WEEKS = BLOCK_WEEKS


def spark_starts(as_of: datetime.date) -> list[datetime.date]:
    """First Mondays of the last SPARK_BUCKETS complete blocks before as_of's block
    (fixed grid: the blocks do not slide along week by week)."""
    last = block_start(as_of) - BLOCK_SPAN
    return [last - BLOCK_SPAN * (SPARK_BUCKETS - 1 - i) for i in range(SPARK_BUCKETS)]


# --- The chart grain: blocks (or three blocks) x the largest categories + "overige" -----
#
# A week x category table of a quiet wijk is nearly all hidden. The officer's chart
# therefore counts per block of four weeks (per three blocks for long periods), shows
# the largest categories on their own and merges the rest into "overige" BEFORE
# anything is hidden, so the merged cell is usually K or more.
#
# Every number it shows is a sum of parts that each pass the same test, decided per
# block from that block's own counts (never from the period asked for), so two periods,
# two filters or the week table of the API cannot be subtracted to pin a small count:
# - a category shows on its own in a block when its block count is at least K and its
#   hidden week cells in that block (each < K) cannot be pinned from their sum
#   (`_hidden_cells_derivable`); the week cells that do show are published anyway;
# - all other categories of the block form its "overige" part, under the same test;
#   when that part fails, the smallest category shown on its own joins it, until it
#   passes (or holds every category: then it is the block total);
# - a block whose total does not show (the canonical block total of
#   signalen.intake.queries) shows nothing at all.
# A column of three blocks adds its blocks' parts: a category shows there on its own
# only when it does in each of the three blocks; everything else is "overige".

CHART_TOP_CATEGORIES = 5
# More blocks than this in the period: columns of three blocks (12 weeks).
CHART_MAX_BLOCK_COLUMNS = 9
CHART_BLOCKS_PER_LONG_COLUMN = 3


@dataclass(frozen=True)
class BlockSplit:
    """One block's (or column's) signals in parts that may all be shown.

    `total` is None when the block is hidden; then `alone` is empty and `rest` 0.
    `alone` holds the categories shown on their own (each >= K); `rest` is the sum of
    all other categories (>= K, or 0 when every category shows on its own).
    """

    total: int | None
    alone: Mapping[str, int]
    rest: int


HIDDEN_SPLIT = BlockSplit(None, {}, 0)


def split_block(
    counts: Mapping[tuple[datetime.date, str], int],
    *,
    weeks: list[datetime.date],
    codes: list[str],
    k: int | None = None,
) -> BlockSplit:
    """Split one block's week x category counts into parts that may be shown (see
    above). `codes` must hold every category of the canonical table (the active ones
    and any with counts), `weeks` the weeks of one block of the fixed grid."""
    threshold = k_threshold() if k is None else k
    cell = {(w, c): counts.get((w, c), 0) for w in weeks for c in codes}
    per_code = {c: sum(cell[(w, c)] for w in weeks) for c in codes}

    def passes(group: list[str]) -> bool:
        if sum(per_code[c] for c in group) < threshold:
            return False
        hidden = [
            cell[(w, c)] for w in weeks for c in group if cell[(w, c)] < threshold
        ]
        return not _hidden_cells_derivable(hidden, threshold)

    alone = [c for c in codes if passes([c])]
    rest = [c for c in codes if c not in alone]
    while rest and not passes(rest):
        if not alone:
            return HIDDEN_SPLIT
        smallest = min(alone, key=lambda c: (per_code[c], c))
        alone.remove(smallest)
        rest.append(smallest)
    return BlockSplit(
        total=sum(per_code.values()),
        alone={c: per_code[c] for c in alone},
        rest=sum(per_code[c] for c in rest),
    )


def merge_splits(splits: list[BlockSplit]) -> BlockSplit:
    """The parts of a column of blocks: a category is on its own only when it is in
    every block; a hidden block hides the column."""
    if not splits or any(s.total is None for s in splits):
        return HIDDEN_SPLIT
    common = set(splits[0].alone).intersection(*(s.alone for s in splits[1:]))
    alone = {c: sum(s.alone[c] for s in splits) for c in sorted(common)}
    total = sum(s.total or 0 for s in splits)
    return BlockSplit(total=total, alone=alone, rest=total - sum(alone.values()))


def chart_columns(period: Period) -> list[list[list[datetime.date]]]:
    """The chart's columns: each a list of blocks (each a list of weeks). One block per
    column, or three for a long period; the columns follow the fixed grid, so a column
    of three always holds the same blocks."""
    blocks = period.blocks
    if len(blocks) <= CHART_MAX_BLOCK_COLUMNS:
        return [[block] for block in blocks]
    columns: dict[int, list[list[datetime.date]]] = {}
    for block in blocks:
        index = (block_start(block[0]) - BLOCK_EPOCH).days // (7 * BLOCK_WEEKS)
        columns.setdefault(index // CHART_BLOCKS_PER_LONG_COLUMN, []).append(block)
    return [columns[key] for key in sorted(columns)]


def top_categories(splits: list[BlockSplit], *, limit: int) -> list[str]:
    """The categories with the most signals shown on their own (ties by code)."""
    sums: dict[str, int] = {}
    for split in splits:
        for code, value in split.alone.items():
            sums[code] = sums.get(code, 0) + value
    ordered = sorted(sums, key=lambda c: (-sums[c], c))
    return ordered[:limit]


def outside_until(as_of: datetime.date) -> datetime.date:
    """The last day that counts outside the team: the end of the last whole block."""
    return block_start(as_of) - datetime.timedelta(days=1)
