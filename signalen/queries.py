# mypy: disallow-untyped-defs, disallow-any-generics, disallow-incomplete-defs, warn-return-any, no-implicit-reexport, strict-equality
"""Reads of signals, and the one k-anonymity helper every count that leaves the team
goes through.

k-anonymity here means: a count below settings.K_ANONYMITY is never shown, and no
shown figure lets a reader work it out. A reader knows that each hidden cell lies
between 0 and K-1, and that the shown total is the sum of all cells; from that
alone a hidden cell must never be pinned to one value. So:

- every cell below K (zero included) is hidden and reads "< K";
- a total below K is hidden;
- a total is also hidden when, with it, the hidden cells could be derived: when
  exactly one cell is hidden (total minus the shown parts), or when the hidden cells
  sum to 0 or to their maximum (every one of them 0, or every one K-1). We hide the
  total rather than a second cell, so that "< K" is never shown on a cell that is
  not below K (a false label would itself tell a careful reader something);
- hidden cells sort as one block after the shown ones, in key order, so the order
  of the table says nothing about their values.

Counts combined across several tables (a week table and a category table over the
same signals) are out of reach of one call: dashboards take each figure from one
table only.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext

from accounts.models import User
from accounts.permissions import wijken_of_user
from signalen.models import (
    AuditAction,
    AuditEntry,
    Categorie,
    Doelgroep,
    RollupRun,
    Signaal,
    SignaalTelling,
    ThemaLid,
    ThemaStatus,
    ThemaZichtbaarheid,
    WijkThema,
)
from wijken import generations
from wijken.models import Buurt, Wijk

if TYPE_CHECKING:
    from signalen import goals as goal_reads

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
    suppressed: bool = False

    @property
    def is_hidden(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        if self.value is None:
            if self.suppressed:
                return gettext("verborgen")
            return "< " + number_format(self.threshold)
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


# --- Reads of signals ------------------------------------------------------------


def signalen_for_user(*, user: User) -> QuerySet[Signaal]:
    """The signals a user may read: those of the wijken of their own teams, not
    withdrawn. Everyone else gets none."""
    return (
        Signaal.objects.filter(
            wijk__in=wijken_of_user(user).values("pk"), withdrawn_at__isnull=True
        )
        .select_related("wijk", "buurt", "categorie", "bron", "author")
        .prefetch_related(
            Prefetch("doelgroepen", queryset=Doelgroep.objects.order_by("order"))
        )
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class CategorieCount:
    code: str
    name: str
    count: KCount


def signal_counts_for_wijk(
    *,
    wijk: Wijk,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    k: int | None = None,
) -> tuple[list[CategorieCount], KCount | None]:
    """k-anonymous signal counts per category for one wijk (observed between since and
    until, both inclusive), with a total. Every active category is listed, so the
    list itself does not tell which categories have signals."""
    condition = Q(signalen__wijk=wijk, signalen__withdrawn_at__isnull=True)
    if since is not None:
        condition &= Q(signalen__observed_on__gte=since)
    if until is not None:
        condition &= Q(signalen__observed_on__lte=until)
    rows = (
        Categorie.objects.annotate(n=Count("signalen", filter=condition))
        .filter(Q(is_active=True) | Q(n__gt=0))
        .values_list("code", "name", "n")
    )
    names: dict[str, str] = {}
    cells: dict[str, int] = {}
    for code, name, n in rows:
        names[code] = name
        cells[code] = n
    table = k_anonymous_counts(cells, k=k)
    return (
        [CategorieCount(code, names[code], count) for code, count in table.cells],
        table.total,
    )


def categories_active() -> QuerySet[Categorie]:
    return Categorie.objects.filter(is_active=True).order_by("order", "name")


# --- Dashboard reads for municipal officers (issue 6) ----------------------------------
#
# Every figure below comes from the pre-aggregated SignaalTelling rows, never from signal
# text. A "canonical table" is, for one wijk (or buurt, or doelgroep) and one period, the
# table of counts per week and category over every week of the period and every active
# category (plus any retired category that has counts). Every total an officer sees is
# the total of exactly such a table, through k_anonymous_counts, so the same figure
# reads the same on the overview, the wijk page, the blind spots and the exports, and a
# total is hidden whenever its shown cells would give a hidden cell away. Column totals
# (per category) and row totals (per week) are never shown: they would be a second
# table over the same cells (see the module docstring).

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


def _category_names() -> dict[str, str]:
    """Active categories in their display order (code -> name)."""
    return dict(
        Categorie.objects.filter(is_active=True)
        .order_by("order", "name")
        .values_list("code", "name")
    )


def _canonical_table(
    counts: Mapping[tuple[datetime.date, str], int],
    *,
    weeks: list[datetime.date],
    active_codes: list[str],
    k: int | None = None,
) -> tuple[list[str], KTable[tuple[datetime.date, str]]]:
    """The k-anonymous table of one grouping over one period (see above)."""
    codes = list(active_codes)
    for _week, code in counts:
        if code not in codes:
            codes.append(code)
    cells = {
        (week, code): counts.get((week, code), 0) for week in weeks for code in codes
    }
    return codes, k_anonymous_counts(cells, k=k)


def _single_total(
    counts: Mapping[tuple[datetime.date, str], int],
    *,
    weeks: list[datetime.date],
    codes: set[str],
    k: int | None,
) -> KCount:
    """The total of the k-anonymous table over these weeks, without building its
    cells. Exactly the same KCount, because the helper's test on the hidden cells
    depends on the zero cells only through "is there none, one, or more than one": with
    at least one zero the hidden cells can never all be K-1, and one zero is "one hidden
    cell" only when it is the only one. So at most two zero cells are passed on."""
    in_period = set(weeks)
    cells: dict[Hashable, int] = {
        key: n for key, n in counts.items() if n and key[0] in in_period
    }
    zeros = len(weeks) * len(codes) - len(cells)
    for i in range(min(zeros, 2)):
        cells[("zero", i)] = 0
    total = k_anonymous_counts(cells, k=k).total
    assert total is not None
    return total


def _canonical_total(
    counts: Mapping[tuple[datetime.date, str], int],
    *,
    weeks: list[datetime.date],
    active_codes: list[str],
    k: int | None = None,
) -> KCount:
    """The total of a period: shown only when the total of every block in it shows
    (each the total of that block's own table), and then their sum. Every total an
    officer can get is then a sum of block totals that show anyway, so no two periods
    can be subtracted to pin a hidden count. An empty block hides the period too:
    showing it would tell an empty block from one with a few signals. A quiet wijk
    therefore shows fewer totals; that is the price of never showing a small count."""
    threshold = k_threshold() if k is None else k
    codes = set(active_codes) | {code for _week, code in counts}
    grouped: dict[datetime.date, list[datetime.date]] = {}
    for week in weeks:
        grouped.setdefault(block_start(week), []).append(week)
    values: list[int] = []
    for block_weeks in grouped.values():
        block = _single_total(counts, weeks=block_weeks, codes=codes, k=threshold)
        if block.value is None:
            raw = sum(n for (week, _c), n in counts.items() if week in set(weeks))
            return KCount(None, threshold, suppressed=raw >= threshold)
        values.append(block.value)
    return (
        KCount(sum(values), threshold)
        if sum(values) >= threshold
        else KCount(None, threshold)
    )


@dataclass(frozen=True)
class WeekTable:
    """Signals per week and category for one wijk, k-anonymous.

    `categories` are the columns shown (one when filtered on a category); `total` is the
    total of the whole canonical table, so it is the same with or without that filter.
    """

    weeks: tuple[datetime.date, ...]
    categories: tuple[tuple[str, str], ...]
    cells: Mapping[tuple[datetime.date, str], KCount]
    total: KCount
    grouping: str
    # True with a buurt or doelgroep filter: then only the total is shown.
    cells_withheld: bool = False

    def rows(self) -> list[tuple[datetime.date, list[KCount]]]:
        return [
            (week, [self.cells[(week, code)] for code, _name in self.categories])
            for week in self.weeks
        ]

    @property
    def hidden_count(self) -> int:
        return sum(
            1
            for week in self.weeks
            for code, _name in self.categories
            if self.cells[(week, code)].is_hidden
        )

    @property
    def shown_count(self) -> int:
        return len(self.weeks) * len(self.categories) - self.hidden_count


def _telling_rows(
    *,
    wijk_ids: list[int],
    period: Period,
    grouping: str = "wijk",
    doelgroep_code: str | None = None,
    buurt_code: str | None = None,
) -> QuerySet[SignaalTelling]:
    qs = SignaalTelling.objects.filter(
        wijk_id__in=wijk_ids,
        week__gte=period.first_week,
        week__lte=period.last_week,
    )
    if grouping == "doelgroep":
        qs = qs.filter(buurt__isnull=True, doelgroep__code=doelgroep_code)
    elif grouping == "buurt":
        qs = qs.filter(doelgroep__isnull=True, buurt__code=buurt_code)
    elif grouping == "buurten":
        qs = qs.filter(doelgroep__isnull=True, buurt__isnull=False)
    elif grouping == "doelgroepen":
        qs = qs.filter(buurt__isnull=True, doelgroep__isnull=False)
    else:
        qs = qs.filter(buurt__isnull=True, doelgroep__isnull=True)
    return qs


def wijk_week_table(
    *,
    wijk: Wijk,
    period: Period,
    categorie_code: str | None = None,
    doelgroep_code: str | None = None,
    buurt_code: str | None = None,
    k: int | None = None,
) -> WeekTable:
    """k-anonymous signals per week and category of one wijk. The counts table has no
    buurt x doelgroep cells: with a buurt, a doelgroep is not used (the caller says so)."""
    if buurt_code:
        grouping = "buurt"
        doelgroep_code = None
    elif doelgroep_code:
        grouping = "doelgroep"
    else:
        grouping = "wijk"
    rows = (
        _telling_rows(
            wijk_ids=[wijk.pk],
            period=period,
            grouping=grouping,
            doelgroep_code=doelgroep_code,
            buurt_code=buurt_code,
        )
        .values("week", "categorie__code")
        .annotate(n=Sum("count"))
        .values_list("week", "categorie__code", "n")
    )
    counts = {(week, code): int(n) for week, code, n in rows}
    names = _category_names()
    weeks = period.weeks
    codes, table = _canonical_table(counts, weeks=weeks, active_codes=list(names), k=k)
    missing = [code for code in codes if code not in names]
    if missing:
        names.update(
            Categorie.objects.filter(code__in=missing).values_list("code", "name")
        )
    shown_codes = codes
    if categorie_code:
        shown_codes = [code for code in codes if code == categorie_code]
    threshold = k_threshold() if k is None else k
    total = _canonical_total(counts, weeks=weeks, active_codes=list(names), k=k)
    cells = table.as_dict()
    withheld = grouping != "wijk"
    if withheld:
        # A buurt's or doelgroep's cells could be subtracted from the wijk's cells of
        # the same week: with such a filter only the total is shown.
        cells = {key: KCount(None, threshold) for key in cells}
        parts = "buurten" if grouping == "buurt" else "doelgroepen"
        # Always asked (also for a hidden total): the same queries whatever the data.
        unsafe = _split_unsafe(wijk_ids=[wijk.pk], period=period, grouping=parts, k=k)
        if not total.is_hidden and wijk.pk in unsafe:
            total = KCount(None, threshold, suppressed=True)
    return WeekTable(
        weeks=tuple(weeks),
        categories=tuple((code, names[code]) for code in shown_codes),
        cells=cells,
        total=total,
        grouping=grouping,
        cells_withheld=withheld,
    )


@dataclass(frozen=True)
class PeriodTotals:
    current: KCount
    previous: KCount

    @property
    def change(self) -> Change:
        return change_between(self.current, self.previous)


def _totals_by_key(
    rows: list[tuple[int, datetime.date, str, int]],
    *,
    keys: list[int],
    period: Period,
    active_codes: list[str],
    k: int | None,
) -> dict[int, PeriodTotals]:
    previous = period.previous()
    current_counts: dict[int, dict[tuple[datetime.date, str], int]] = {
        key: {} for key in keys
    }
    previous_counts: dict[int, dict[tuple[datetime.date, str], int]] = {
        key: {} for key in keys
    }
    for key, week, code, n in rows:
        if key not in current_counts:
            continue
        target = current_counts if week >= period.first_week else previous_counts
        target[key][(week, code)] = int(n)
    result: dict[int, PeriodTotals] = {}
    weeks, previous_weeks = period.weeks, previous.weeks
    for key in keys:
        result[key] = PeriodTotals(
            _canonical_total(
                current_counts[key], weeks=weeks, active_codes=active_codes, k=k
            ),
            _canonical_total(
                previous_counts[key],
                weeks=previous_weeks,
                active_codes=active_codes,
                k=k,
            ),
        )
    return result


def wijk_signal_totals(
    *, wijk_ids: list[int], period: Period, k: int | None = None
) -> dict[int, PeriodTotals]:
    """Per wijk: the k-anonymous signal total of this period and of the one before,
    each the total of the wijk's canonical table (so equal to the wijk page's)."""
    both = Period(period.previous().first_week, period.last_week)
    rows = list(
        _telling_rows(wijk_ids=wijk_ids, period=both)
        .values("wijk_id", "week", "categorie__code")
        .annotate(n=Sum("count"))
        .values_list("wijk_id", "week", "categorie__code", "n")
    )
    return _totals_by_key(
        rows, keys=wijk_ids, period=period, active_codes=list(_category_names()), k=k
    )


def wijk_block_totals(
    *, wijk_ids: list[int], period: Period, k: int | None = None
) -> dict[int, list[KCount]]:
    """Per wijk: the k-anonymous total of each block of the period, read in one pass.
    Each is exactly ``wijk_signal_totals(period=block)[wijk].current`` (and the total of
    the wijk's week table of that block alone): the same `_canonical_total` over that
    block's own counts and the categories they hold, nothing else."""
    counts: dict[int, dict[tuple[datetime.date, str], int]] = {w: {} for w in wijk_ids}
    for wijk_id, week, code, n in (
        _telling_rows(wijk_ids=wijk_ids, period=period)
        .values("wijk_id", "week", "categorie__code")
        .annotate(n=Sum("count"))
        .values_list("wijk_id", "week", "categorie__code", "n")
    ):
        counts[wijk_id][(week, code)] = int(n)
    active_codes = list(_category_names())
    result: dict[int, list[KCount]] = {}
    for wijk_id in wijk_ids:
        totals = []
        for block in period.blocks:
            in_block = set(block)
            block_counts = {
                key: n for key, n in counts[wijk_id].items() if key[0] in in_block
            }
            totals.append(
                _canonical_total(
                    block_counts, weeks=block, active_codes=active_codes, k=k
                )
            )
        result[wijk_id] = totals
    return result


def _split_unsafe(
    *,
    wijk_ids: list[int],
    period: Period,
    grouping: str = "buurten",
    k: int | None = None,
) -> set[int]:
    """Wijken whose buurt (or doelgroep) totals must stay hidden in this period.

    Per block: the wijk total (shown on its own) minus the part totals a reader can
    collect (one per filter) leaves the hidden parts plus the signals in no part (no
    buurt, or no doelgroep). When those left-over cells could be pinned (the helper's
    own rule: one cell, or all at their maximum), every part total of that wijk is
    hidden. One exception: when no part is hidden and the rest is 0, the totals may
    show: that only says that every signal has a buurt (or a doelgroep). Doelgroepen overlap (a signal can have two),
    so for them the left-over is an upper bound: hiding more than needed, never less.
    """
    threshold = k_threshold() if k is None else k
    codes = set(_category_names())
    wijk_counts: dict[int, dict[tuple[datetime.date, str], int]] = {
        w: {} for w in wijk_ids
    }
    for wijk_id, week, code, n in (
        _telling_rows(wijk_ids=wijk_ids, period=period)
        .values("wijk_id", "week", "categorie__code")
        .annotate(n=Sum("count"))
        .values_list("wijk_id", "week", "categorie__code", "n")
    ):
        wijk_counts[wijk_id][(week, code)] = int(n)
        codes.add(code)
    part_field = "buurt_id" if grouping == "buurten" else "doelgroep_id"
    rows = _telling_rows(wijk_ids=wijk_ids, period=period, grouping=grouping)
    part_counts: dict[tuple[int, int], dict[tuple[datetime.date, str], int]] = {}
    for wijk_id, part_id, week, code, n in (
        rows.values("wijk_id", part_field, "week", "categorie__code")
        .annotate(n=Sum("count"))
        .values_list("wijk_id", part_field, "week", "categorie__code", "n")
    ):
        part_counts.setdefault((wijk_id, part_id), {})[(week, code)] = int(n)
        codes.add(code)
    parts_of: dict[int, list[int]] = {w: [] for w in wijk_ids}
    if grouping == "buurten":
        for buurt_id, wijk_id in Buurt.objects.filter(wijk_id__in=wijk_ids).values_list(
            "pk", "wijk_id"
        ):
            parts_of[wijk_id].append(buurt_id)
    else:
        doelgroep_ids = list(Doelgroep.objects.values_list("pk", flat=True))
        for wijk_id in wijk_ids:
            parts_of[wijk_id] = doelgroep_ids
    unsafe: set[int] = set()
    for wijk_id in wijk_ids:
        counts = wijk_counts[wijk_id]
        for block in period.blocks:
            in_block = set(block)
            wijk_total = _single_total(counts, weeks=block, codes=codes, k=threshold)
            if wijk_total.is_hidden:
                continue  # nothing shown to subtract from
            raw_total = sum(n for (week, _c), n in counts.items() if week in in_block)
            left: list[int] = []
            in_parts = 0
            for part_id in parts_of[wijk_id]:
                cells = part_counts.get((wijk_id, part_id), {})
                raw = sum(n for (week, _c), n in cells.items() if week in in_block)
                in_parts += raw
                shown = _single_total(cells, weeks=block, codes=codes, k=threshold)
                if shown.is_hidden:
                    left.append(raw)
            left.append(max(0, raw_total - in_parts))  # signals in no part
            only_rest_zero = len(left) == 1 and left[0] == 0
            if not only_rest_zero and _hidden_cells_derivable(left, threshold):
                unsafe.add(wijk_id)
                break
    return unsafe


def buurt_signal_totals(
    *, wijk_ids: list[int], buurt_ids: list[int], period: Period, k: int | None = None
) -> dict[int, PeriodTotals]:
    """Per buurt: like wijk_signal_totals, from the per-buurt counts; hidden for every
    buurt of a wijk where the buurt totals would give away the rest
    (see _split_unsafe)."""
    threshold = k_threshold() if k is None else k
    both = Period(period.previous().first_week, period.last_week)
    rows = list(
        _telling_rows(wijk_ids=wijk_ids, period=both, grouping="buurten")
        .filter(buurt_id__in=buurt_ids)
        .values("buurt_id", "week", "categorie__code")
        .annotate(n=Sum("count"))
        .values_list("buurt_id", "week", "categorie__code", "n")
    )
    totals = _totals_by_key(
        rows,
        keys=buurt_ids,
        period=period,
        active_codes=list(_category_names()),
        k=threshold,
    )
    unsafe_now = _split_unsafe(wijk_ids=wijk_ids, period=period, k=threshold)
    unsafe_before = _split_unsafe(
        wijk_ids=wijk_ids, period=period.previous(), k=threshold
    )
    # Always the same queries, whatever the data (the query count is pinned in tests).
    wijk_of = dict(Buurt.objects.filter(pk__in=buurt_ids).values_list("pk", "wijk_id"))
    hidden = KCount(None, threshold, suppressed=True)
    for buurt_id, wijk_id in wijk_of.items():
        if wijk_id in unsafe_now or wijk_id in unsafe_before:
            current, previous = totals[buurt_id].current, totals[buurt_id].previous
            if wijk_id in unsafe_now:
                current = hidden
            if wijk_id in unsafe_before:
                previous = hidden
            totals[buurt_id] = PeriodTotals(current, previous)
    return totals


GEMEENTE_VISIBLE = (ThemaZichtbaarheid.GEMEENTE, ThemaZichtbaarheid.PUBLIEK)
# A theme has a collective answer once the team took it up (or finished it).
ANSWERED = (ThemaStatus.OPGEPAKT, ThemaStatus.AFGEROND)


def _themes_for_gemeente() -> QuerySet[WijkThema]:
    return WijkThema.objects.filter(is_current=True, visibility__in=GEMEENTE_VISIBLE)


@dataclass(frozen=True)
class ThemeCounts:
    active: int
    unanswered: int


def theme_counts_for_wijken(*, wijk_ids: list[int]) -> dict[int, ThemeCounts]:
    """Per wijk: current themes the team shares with the gemeente, and how many of
    them have no collective answer yet (not dismissed ones)."""
    rows = (
        _themes_for_gemeente()
        .filter(wijk_id__in=wijk_ids)
        .exclude(status=ThemaStatus.VERWORPEN)
        .values("wijk_id")
        .annotate(
            active=Count("pk"),
            unanswered=Count("pk", filter=~Q(status__in=ANSWERED)),
        )
        .values_list("wijk_id", "active", "unanswered")
    )
    found = {wijk_id: ThemeCounts(a, u) for wijk_id, a, u in rows}
    return {wijk_id: found.get(wijk_id, ThemeCounts(0, 0)) for wijk_id in wijk_ids}


def rollup_freshness(*, wijk_ids: list[int]) -> dict[int, datetime.datetime | None]:
    """Per wijk: when the last successful roll-up run finished (None: never)."""
    rows = (
        RollupRun.objects.filter(wijk_id__in=wijk_ids, status=RollupRun.Status.SUCCESS)
        .values("wijk_id")
        .annotate(last=Max("finished_at"))
        .values_list("wijk_id", "last")
    )
    found = dict(rows)
    return {wijk_id: found.get(wijk_id) for wijk_id in wijk_ids}


SPARK_BUCKETS = 6
SPARK_BUCKET_WEEKS = BLOCK_WEEKS


def spark_starts(as_of: datetime.date) -> list[datetime.date]:
    """First Mondays of the last SPARK_BUCKETS complete blocks before as_of's block
    (fixed grid: the blocks do not slide along week by week)."""
    last = block_start(as_of) - BLOCK_SPAN
    return [last - BLOCK_SPAN * (SPARK_BUCKETS - 1 - i) for i in range(SPARK_BUCKETS)]


@dataclass(frozen=True)
class ThemeRow:
    """A theme as an officer sees it: never its signals, only k-anonymous counts."""

    pk: int
    name: str
    keywords: tuple[str, ...]
    categorie: str
    status: str
    status_label: str
    trend: str
    trend_label: str
    has_answer: bool
    # Signals in the theme: the total of the spark table below (hidden when the buckets
    # would give a hidden bucket away).
    size: KCount
    # Signals per 4-week block, oldest first, from the theme's first block with
    # signals; the first of the SPARK_BUCKETS blocks holds everything older.
    spark: tuple[KCount, ...]
    spark_starts: tuple[datetime.date, ...]


THEME_BLOCKS_CACHE_TIMEOUT = 60 * 60


def _theme_block_counts(
    themes: list[tuple[int, int, datetime.datetime]],
    *,
    starts: list[datetime.date],
) -> dict[int, list[int]]:
    """Per theme (pk, wijk id, updated_at): its members that are not withdrawn, per
    block of `starts` (the first block also holds everything older).

    Cached per wijk. Membership changes only in a roll-up run and a withdrawn signal
    leaves at once, so the key holds the wijk's generation of its theme members
    (``"leden"``, renewed by every run and every withdrawal, see
    wijken/generations.py; reading it costs no query), the block grid's current
    block, the themes asked for and their latest `updated_at`: any of these changing
    gives another key."""
    buckets: dict[int, list[int]] = {pk: [0] * SPARK_BUCKETS for pk, _w, _u in themes}
    if not themes:
        return buckets
    by_wijk: dict[int, list[tuple[int, datetime.datetime]]] = {}
    for pk, wijk_id, updated_at in themes:
        by_wijk.setdefault(wijk_id, []).append((pk, updated_at))
    keys: dict[str, int] = {}
    for wijk_id, rows in by_wijk.items():
        ids = ",".join(str(pk) for pk in sorted(pk for pk, _u in rows))
        updated = max(u for _pk, u in rows)
        key = "bw:theme-blocks:{}:{}:{}:{}:{}".format(
            wijk_id,
            starts[-1].isoformat(),
            generations.stamp(wijk_ids=[wijk_id], domain="leden"),
            updated.isoformat() if updated else "-",
            hashlib.sha256(f"{starts!r}:{ids}".encode()).hexdigest()[:24],
        )
        keys[key] = wijk_id
    found = cache.get_many(list(keys))
    for counts in found.values():
        buckets.update(counts)
    missing = [wijk_id for key, wijk_id in keys.items() if key not in found]
    if not missing:
        return buckets
    missing_ids = [pk for wijk_id in missing for pk, _u in by_wijk[wijk_id]]
    for thema_id, observed_on, n in (
        ThemaLid.objects.filter(
            thema_id__in=missing_ids,
            signaal__withdrawn_at__isnull=True,
            signaal__observed_on__lte=starts[-1] + BLOCK_SPAN - datetime.timedelta(1),
        )
        .values("thema_id", "signaal__observed_on")
        .annotate(n=Count("pk"))
        .values_list("thema_id", "signaal__observed_on", "n")
    ):
        index = 0
        for i, start in enumerate(starts):
            if observed_on >= start:
                index = i
        buckets[thema_id][index] += n
    cache.set_many(
        {
            key: {pk: buckets[pk] for pk, _u in by_wijk[wijk_id]}
            for key, wijk_id in keys.items()
            if key not in found
        },
        THEME_BLOCKS_CACHE_TIMEOUT,
    )
    return buckets


def themes_for_officer(
    *, wijk: Wijk, as_of: datetime.date, k: int | None = None
) -> list[ThemeRow]:
    """Current, not dismissed themes of a wijk that its team shares with the gemeente,
    those without a collective answer first."""
    themes = list(
        _themes_for_gemeente()
        .filter(wijk=wijk)
        .exclude(status=ThemaStatus.VERWORPEN)
        .select_related("categorie")
        .order_by("-size", "pk")
    )
    if not themes:
        return []
    starts = spark_starts(as_of)
    buckets = _theme_block_counts(
        [(t.pk, t.wijk_id, t.updated_at) for t in themes], starts=starts
    )
    rows: list[ThemeRow] = []
    for thema in themes:
        # The table starts at the theme's first block with signals: blocks before it
        # are no cells (the theme did not exist yet), so a new theme is not hidden
        # merely because its empty past would read as "every hidden block is 0".
        counts = buckets[thema.pk]
        first = next((i for i, n in enumerate(counts) if n), SPARK_BUCKETS - 1)
        table = k_anonymous_counts(
            {i: counts[i] for i in range(first, SPARK_BUCKETS)}, k=k
        )
        cells = table.as_dict()
        assert table.total is not None
        rows.append(
            ThemeRow(
                pk=thema.pk,
                name=thema.display_name,
                keywords=tuple(str(word) for word in (thema.keywords or [])[:8]),
                categorie=thema.categorie.name if thema.categorie else "",
                status=thema.status,
                status_label=str(thema.get_status_display()),
                trend=thema.trend,
                trend_label=str(thema.get_trend_display()),
                has_answer=thema.status in ANSWERED,
                size=table.total,
                spark=tuple(cells[i] for i in range(first, SPARK_BUCKETS)),
                spark_starts=tuple(starts[first:]),
            )
        )
    rows.sort(key=lambda row: (row.has_answer, -row.size.sort_value, row.name))
    return rows


def theme_outside_sizes(
    thema_ids: list[int], *, as_of: datetime.date | None = None, k: int | None = None
) -> dict[int, KCount]:
    """The size of each theme as anyone outside the team may see it: the total of the
    theme's table of signals per 4-week block, through the k-anonymity helper — the
    same table the officer's sparkline shows. The escalation snapshot, the public
    theme page and the public wijk page take the size from here, and nowhere show
    more figures of the theme that could be subtracted from it."""
    as_of = as_of or timezone.localdate()
    starts = spark_starts(as_of)
    buckets = _theme_block_counts(
        list(
            WijkThema.objects.filter(pk__in=thema_ids).values_list(
                "pk", "wijk_id", "updated_at"
            )
        ),
        starts=starts,
    )
    sizes: dict[int, KCount] = {}
    for pk in thema_ids:
        counts = buckets.get(pk, [0] * SPARK_BUCKETS)
        first = next((i for i, n in enumerate(counts) if n), SPARK_BUCKETS - 1)
        table = k_anonymous_counts(
            {i: counts[i] for i in range(first, SPARK_BUCKETS)}, k=k
        )
        assert table.total is not None
        sizes[pk] = table.total
    return sizes


def doelgroepen_active() -> QuerySet[Doelgroep]:
    return Doelgroep.objects.filter(is_active=True).order_by("order", "name")


def record_export(
    *, actor: User, wijk: Wijk | None, detail: Mapping[str, object]
) -> None:
    """Write the audit entry for a dashboard export.

    A write in the queries module, on purpose: the dashboard may import signalen only
    through this module (import-linter), and this one-row append belongs with the
    dashboard reads it audits. It never changes signal data.
    """
    AuditEntry.objects.create(
        actor=actor, action=AuditAction.EXPORT, wijk=wijk, detail=dict(detail)
    )


# --- Public themes of a wijk (the collective loop; signalen/answers.py) ------------------


@dataclass(frozen=True)
class PublicThemeRow:
    """A public theme as anyone may see it: the team's own public words, never signal
    text or engine keywords, and a k-anonymous size."""

    pk: int
    title: str
    text: str
    is_call: bool
    status: str
    status_label: str
    size: KCount
    initiatives: int
    trekkers: int
    url: str


def _public(themes: QuerySet[WijkThema]) -> QuerySet[WijkThema]:
    """The rule of the public theme page: visibility publiek, recognised, current or
    finished, with an approved public title."""
    return (
        themes.filter(
            visibility=ThemaZichtbaarheid.PUBLIEK,
            status__in=(ThemaStatus.ERKEND, ThemaStatus.OPGEPAKT, ThemaStatus.AFGEROND),
            public_approved_at__isnull=False,
        )
        .filter(Q(is_current=True) | Q(status=ThemaStatus.AFGEROND))
        .exclude(public_title="")
    )


def _public_theme_rows(themes: list[WijkThema]) -> dict[int, PublicThemeRow]:
    """Per theme its public row: the team's public words, the k-anonymous size
    (theme_outside_sizes), the visible initiatives linked and the trekkers."""
    from django.urls import reverse

    from signalen.models import ThemaInitiatief, ThemaTrekker

    ids = [thema.pk for thema in themes]
    sizes = theme_outside_sizes(ids)
    initiatives = dict(
        ThemaInitiatief.objects.filter(thema_id__in=ids, initiatief__is_hidden=False)
        .values("thema_id")
        .annotate(n=Count("pk"))
        .values_list("thema_id", "n")
    )
    trekkers = dict(
        ThemaTrekker.objects.filter(thema_id__in=ids)
        .values("thema_id")
        .annotate(n=Count("pk"))
        .values_list("thema_id", "n")
    )
    return {
        thema.pk: PublicThemeRow(
            pk=thema.pk,
            title=thema.public_title,
            text=thema.public_text,
            is_call=thema.is_call,
            status=thema.status,
            status_label=str(thema.get_status_display()),
            size=sizes[thema.pk],
            initiatives=int(initiatives.get(thema.pk, 0)),
            trekkers=int(trekkers.get(thema.pk, 0)),
            url=reverse("themas:detail", kwargs={"pk": thema.pk}),
        )
        for thema in themes
    }


def _shown_order(row: PublicThemeRow) -> tuple[bool, int, int]:
    # Calls first, then by the size as shown (hidden sizes last, by id), never by the
    # real size: the order would tell which of two hidden themes is bigger.
    return (not row.is_call, -row.size.sort_value, row.pk)


def public_themes_for_wijk(wijk: Wijk) -> list[PublicThemeRow]:
    """The wijk's public themes (the same rule as the public theme page), calls first,
    then by size."""
    if not wijk.is_active:
        return []
    themes = list(_public(WijkThema.objects.filter(wijk=wijk)).order_by("pk"))
    return sorted(_public_theme_rows(themes).values(), key=_shown_order)


# --- Wijk goals for the officer's wijk dashboard (issue 7, item 4) ---------------------


@dataclass(frozen=True)
class WijkGoalRow:
    """A wijk goal as plain data. Its figures count residents the team and the gemeente
    agreed on as a target (not signals), so they are shown as they are: the
    k-anonymity rule for signal counts does not apply to them."""

    pk: int
    title: str
    team: str
    doelgroep: str
    indicator: str
    start_value: int
    target_value: int
    current_value: int
    start_date: datetime.date
    deadline: datetime.date
    share_done: float
    share_time: float
    days_left: int
    on_track: bool
    state: str
    state_label: str
    last_update: datetime.date | None
    agreed_with: str
    is_closed: bool
    # omhoog or omlaag, and the progress bar with its texts: the same as on the
    # team's goal pages (signalen.goals.progress_bar)
    direction: str
    counts_down: bool
    bar: goal_reads.Bar


def goals_for_wijk(
    wijk: Wijk, *, as_of: datetime.date | None = None, include_closed: bool = False
) -> list[WijkGoalRow]:
    """The goals of a wijk (of every team in it), open ones by deadline. The caller
    checks that the reader may see the wijk (an officer of its gemeente)."""
    from signalen import goals as goal_reads  # goals does not import this module
    from signalen.models import WijkDoel

    doelen = (
        WijkDoel.objects.filter(wijk=wijk)
        .select_related("team", "doelgroep", "thema", "agreed_by", "wijk")
        .order_by("is_closed", "deadline", "pk")
    )
    if not include_closed:
        doelen = doelen.filter(is_closed=False)
    return [
        WijkGoalRow(
            pk=row.pk,
            title=row.title,
            team=row.team_name,
            doelgroep=row.doelgroep,
            indicator=row.indicator,
            start_value=row.start_value,
            target_value=row.target_value,
            current_value=row.current_value,
            start_date=row.start_date,
            deadline=row.deadline,
            share_done=row.progress.share_done,
            share_time=row.progress.share_time,
            days_left=row.progress.days_left,
            on_track=row.progress.on_track,
            state=row.progress.state,
            state_label=row.progress.state_label,
            last_update=row.last_update,
            agreed_with=row.agreed_with,
            is_closed=row.is_closed,
            direction=row.direction,
            counts_down=row.counts_down,
            bar=row.bar,
        )
        for row in goal_reads.goal_rows(list(doelen), today=as_of)
    ]


# --- Beleidssignalen for the officer's dashboard (issue 7, item 3) ----------------------


def open_escalations_for_wijken(wijk_ids: list[int]) -> dict[int, int]:
    """Per wijk: escalations (beleidssignalen) that are not answered yet. These count
    what teams sent, not signals or people, so they are shown as they are."""
    from signalen.models import Escalatie, EscalatieStatus

    rows = (
        Escalatie.objects.filter(wijk_id__in=wijk_ids)
        .exclude(status=EscalatieStatus.BEANTWOORD)
        .order_by()
        .values("wijk_id")
        .annotate(n=Count("pk"))
        .values_list("wijk_id", "n")
    )
    found = dict(rows)
    return {wijk_id: int(found.get(wijk_id, 0)) for wijk_id in wijk_ids}


@dataclass(frozen=True)
class EscalationRow:
    """A beleidssignaal as plain data for the officer's wijk dashboard: the title the
    team gave it, its status and dates, and the team's name. Never signal text, never
    the name of a professional."""

    pk: int
    title: str
    status: str
    status_label: str
    is_open: bool
    sent_at: datetime.datetime
    received_at: datetime.datetime | None
    answered_at: datetime.datetime | None
    team: str
    url: str


def escalations_for_wijk(wijk: Wijk) -> list[EscalationRow]:
    """The beleidssignalen of a wijk, open ones first, newest first. The caller checks
    that the reader may see the wijk (an officer of its gemeente)."""
    from django.urls import reverse

    from signalen.models import Escalatie, EscalatieStatus

    rows = (
        Escalatie.objects.filter(wijk=wijk)
        .select_related("team")
        .only(
            "pk",
            "title",
            "status",
            "sent_at",
            "received_at",
            "answered_at",
            "team__name",
        )
        .order_by("-sent_at", "-pk")
    )
    result = [
        EscalationRow(
            pk=row.pk,
            title=row.title,
            status=row.status,
            status_label=str(EscalatieStatus(row.status).label),
            is_open=row.status != EscalatieStatus.BEANTWOORD,
            sent_at=row.sent_at,
            received_at=row.received_at,
            answered_at=row.answered_at,
            team=row.team.name,
            url=reverse("signalen:escalatie_detail", kwargs={"pk": row.pk}),
        )
        for row in rows
    ]
    result.sort(key=lambda r: not r.is_open)  # stable: newest first within each
    return result


# --- The public API and open data (issue 10) ----------------------------------------------


@dataclass(frozen=True)
class PublicThemeListRow:
    """A public theme with the wijk it belongs to (public_themes_for_wijk's row)."""

    wijk_code: str
    wijk_name: str
    gemeente_code: str
    theme: PublicThemeRow


def public_themes(
    *,
    gemeente_id: int | None = None,
    wijk_id: int | None = None,
    is_call: bool | None = None,
) -> list[PublicThemeListRow]:
    """The public themes of many wijken at once, by the same rule and with the same
    rows and order per wijk as public_themes_for_wijk (tested to agree), wijken by
    code. The sizes come from theme_outside_sizes: k-anonymous."""
    qs = _public(WijkThema.objects.filter(wijk__is_active=True))
    if gemeente_id is not None:
        qs = qs.filter(wijk__gemeente_id=gemeente_id)
    if wijk_id is not None:
        qs = qs.filter(wijk_id=wijk_id)
    if is_call is not None:
        qs = qs.filter(is_call=is_call)
    themes = list(
        qs.select_related("wijk", "wijk__gemeente")
        .only(
            "pk",
            "wijk_id",
            "wijk__code",
            "wijk__name",
            "wijk__gemeente__code",
            "public_title",
            "public_text",
            "is_call",
            "status",
            "updated_at",
        )
        .order_by("pk")
    )
    rows = _public_theme_rows(themes)
    themes.sort(key=lambda t: (t.wijk.code, *_shown_order(rows[t.pk])))
    return [
        PublicThemeListRow(
            wijk_code=thema.wijk.code,
            wijk_name=thema.wijk.name,
            gemeente_code=thema.wijk.gemeente.code,
            theme=rows[thema.pk],
        )
        for thema in themes
    ]


@dataclass(frozen=True)
class PublicProgressRow:
    """An update on a public theme, with its author in public words."""

    text: str
    author: str
    created_at: datetime.datetime


@dataclass(frozen=True)
class PublicThemeDetail:
    """What the public theme page (/themas/<pk>/) shows, for anyone: never signal
    text, engine keywords or a small count; trekkers by name only when they chose so."""

    row: PublicThemeListRow
    status_text: str
    initiatives: tuple[tuple[int, str], ...]
    trekker_names: tuple[str, ...]
    progress: tuple[PublicProgressRow, ...]


def public_theme_detail(pk: int) -> PublicThemeDetail | None:
    """The public theme page's content as data; None when the theme is not public."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import Http404

    from signalen import answers

    try:
        thema = answers.public_theme(pk)
    except Http404:
        return None
    view = answers.public_theme_view(thema, AnonymousUser())
    return PublicThemeDetail(
        row=PublicThemeListRow(
            wijk_code=thema.wijk.code,
            wijk_name=thema.wijk.name,
            gemeente_code=thema.wijk.gemeente.code,
            theme=_public_theme_rows([thema])[thema.pk],
        ),
        status_text=str(view.status_text),
        initiatives=tuple((i.pk, i.title) for i in view.initiatives),
        trekker_names=tuple(view.trekker_names),
        progress=tuple(
            PublicProgressRow(
                text=item.text,
                author=str(answers.progress_author_label(item, view.shown_ids)),
                created_at=item.created_at,
            )
            for item in view.progress
        ),
    )


# --- AVG: what this app holds about one person ------------------------------------------


def personal_data(user: User) -> dict[str, object]:
    """What signalen holds of this person.

    A resident: the public themes they adopted and the progress they wrote there. Staff:
    only how much they did (signals logged, themes and goals worked on, escalations).
    Signals are the team's work about the wijk, not about the professional, and never
    hold a resident's personal data; their text is never part of an export, and
    nothing here reads what colleagues wrote.
    """
    from signalen.models import (
        AuditEntry,
        DoelVoortgang,
        Escalatie,
        Signaal,
        ThemaGebeurtenis,
        ThemaTrekker,
        ThemaVoortgang,
        WijkDoel,
    )

    def iso(moment: datetime.datetime | None) -> str | None:
        return moment.isoformat() if moment is not None else None

    data: dict[str, object] = {
        "themes_adopted": [
            {
                "theme": t.thema.public_title or str(t.thema.display_name),
                "wijk": t.thema.wijk.name,
                "show_name": t.show_name,
                "since": iso(t.created_at),
            }
            for t in ThemaTrekker.objects.filter(user_id=user.pk)
            .select_related("thema__wijk")
            .order_by("pk")
        ],
        "theme_progress_written": [
            {
                "theme": v.thema.public_title or str(v.thema.display_name),
                "text": v.text,
                "is_hidden": v.is_hidden,
                "created_at": iso(v.created_at),
            }
            for v in ThemaVoortgang.objects.filter(author_id=user.pk)
            .select_related("thema")
            .order_by("pk")
        ],
    }
    if user.role != "bewoner":
        data["work_counts"] = {
            "signals_logged": Signaal.objects.filter(author_id=user.pk).count(),
            "signals_withdrawn": Signaal.objects.filter(
                author_id=user.pk, withdrawn_at__isnull=False
            ).count(),
            "audit_log_entries": AuditEntry.objects.filter(actor_id=user.pk).count(),
            "theme_changes": ThemaGebeurtenis.objects.filter(actor_id=user.pk).count(),
            "escalations_sent": Escalatie.objects.filter(sent_by_id=user.pk).count(),
            "escalations_handled": Escalatie.objects.filter(
                handled_by_id=user.pk
            ).count(),
            "goals_created": WijkDoel.objects.filter(created_by_id=user.pk).count(),
            "goal_progress_entries": DoelVoortgang.objects.filter(
                author_id=user.pk
            ).count(),
        }
    return data


def personal_data_size(user: User) -> int:
    """About how many rows personal_data(user) reads (counts count as one each)."""
    from signalen.models import ThemaTrekker, ThemaVoortgang

    return (
        ThemaTrekker.objects.filter(user_id=user.pk).count()
        + ThemaVoortgang.objects.filter(author_id=user.pk).count()
        + 8
    )
