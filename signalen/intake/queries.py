"""Reads of signals and their counts (the team's lists, the officer's tables)."""

from __future__ import annotations

import datetime
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext_noop

from accounts.models import User
from accounts.permissions import wijken_of_user
from signalen.kanon import (
    CHART_TOP_CATEGORIES,
    BlockSplit,
    Change,
    KCount,
    KTable,
    Period,
    _hidden_cells_derivable,
    block_start,
    change_between,
    chart_columns,
    k_anonymous_counts,
    k_threshold,
    merge_splits,
    monday_of,
    split_block,
    top_categories,
)
from signalen.models import (
    AuditAction,
    AuditEntry,
    Categorie,
    Doelgroep,
    Signaal,
    SignaalFeit,
    SignaalTelling,
)
from wijken.models import Buurt, Wijk


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
    """k-anonymous signal counts per category for one wijk, with a total: the signals
    logged in the weeks from the one holding `since` to the one holding `until` (the
    frozen facts, signalen.intake.facts). Every active category is listed, so the
    list itself does not tell which categories have signals."""
    facts = SignaalFeit.objects.filter(wijk=wijk)
    if since is not None:
        facts = facts.filter(week__gte=monday_of(since))
    if until is not None:
        facts = facts.filter(week__lte=monday_of(until))
    found = dict(
        facts.values("categorie_id")
        .annotate(n=Count("pk"))
        .values_list("categorie_id", "n")
        .order_by()
    )
    rows = (
        Categorie.objects.filter(Q(is_active=True) | Q(pk__in=list(found)))
        .order_by("order", "name")
        .values_list("pk", "code", "name")
    )
    names: dict[str, str] = {}
    cells: dict[str, int] = {}
    for pk, code, name in rows:
        names[code] = name
        cells[code] = int(found.get(pk, 0))
    table = k_anonymous_counts(cells, k=k)
    return (
        [CategorieCount(code, names[code], count) for code, count in table.cells],
        table.total,
    )


def categories_active() -> QuerySet[Categorie]:
    return Categorie.objects.filter(is_active=True).order_by("order", "name")


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


OVERIGE = "overige"


@dataclass(frozen=True)
class ChartColumn:
    """One column of the officer's chart: a block of four weeks, or three blocks.

    `values` follow the chart's series; None is "not on its own in this column" (it
    counts in "overige"), or, when `total` is hidden, nothing shown at all."""

    first_day: datetime.date
    last_day: datetime.date
    total: KCount
    values: tuple[int | None, ...]

    @property
    def is_hidden(self) -> bool:
        return self.total.is_hidden


@dataclass(frozen=True)
class CategoryChart:
    """Signals per column and category for the officer's chart (see the grain in
    signalen.kanon). `series` are (code, name); the code OVERIGE is the merged rest."""

    series: tuple[tuple[str, str], ...]
    columns: tuple[ChartColumn, ...]
    blocks_per_column: int

    @property
    def hidden_columns(self) -> int:
        return sum(1 for column in self.columns if column.is_hidden)


def wijk_category_chart(
    *,
    wijk: Wijk,
    period: Period,
    categorie_code: str | None = None,
    k: int | None = None,
) -> CategoryChart:
    """The officer's chart of one wijk: per block (or three blocks) the largest
    categories on their own plus "overige", every part k-anonymous on its own block
    (signalen.kanon.split_block), so no filter or period can be subtracted from
    another. With a category, only that category (its column of the same parts)."""
    threshold = k_threshold() if k is None else k
    rows = (
        _telling_rows(wijk_ids=[wijk.pk], period=period)
        .values("week", "categorie__code")
        .annotate(n=Sum("count"))
        .values_list("week", "categorie__code", "n")
    )
    counts = {(week, code): int(n) for week, code, n in rows}
    names = _category_names()
    codes = list(names)
    for _week, code in counts:
        if code not in codes:
            codes.append(code)
    missing = [code for code in codes if code not in names]
    if missing:
        names.update(
            Categorie.objects.filter(code__in=missing).values_list("code", "name")
        )
    columns = chart_columns(period)
    splits: list[BlockSplit] = []
    totals: list[KCount] = []
    for blocks in columns:
        splits.append(
            merge_splits(
                [
                    split_block(counts, weeks=block, codes=codes, k=threshold)
                    for block in blocks
                ]
            )
        )
        weeks = [week for block in blocks for week in block]
        totals.append(
            _canonical_total(counts, weeks=weeks, active_codes=codes, k=threshold)
        )
    if categorie_code:
        series = [code for code in codes if code == categorie_code]
    else:
        series = top_categories(splits, limit=CHART_TOP_CATEGORIES)
    chart_columns_: list[ChartColumn] = []
    for blocks, split, total in zip(columns, splits, totals, strict=True):
        if split.total is None:
            # The same test as the canonical block total: both hide, or both show.
            values: list[int | None] = [None] * len(series)
            if not categorie_code:
                values.append(None)
        else:
            values = [split.alone.get(code) for code in series]
            if not categorie_code:
                values.append(split.total - sum(v for v in values if v is not None))
        chart_columns_.append(
            ChartColumn(
                first_day=blocks[0][0],
                last_day=blocks[-1][-1] + datetime.timedelta(days=6),
                total=total,
                values=tuple(values),
            )
        )
    named = [(code, names[code]) for code in series]
    if not categorie_code:
        named.append((OVERIGE, gettext_noop("Overige categorieën")))
    return CategoryChart(
        series=tuple(named),
        columns=tuple(chart_columns_),
        blocks_per_column=max(len(blocks) for blocks in columns) if columns else 1,
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


def last_wijk_of_author(
    *, author: User, wijken: Iterable[Wijk] | QuerySet[Wijk]
) -> Wijk | None:
    """The wijk of the author's latest signal, if it is still one of `wijken`.

    The form opens on the wijk someone worked in last, also after logging in again
    (the session forgets it): a professional in Oosterpark should not have to change
    the wijk for every signal. Pass the wijken already loaded (a list) and this costs
    one small query.
    """
    by_pk = {wijk.pk: wijk for wijk in wijken}
    if not by_pk:
        return None
    wijk_id = (
        Signaal.objects.filter(author=author, wijk_id__in=list(by_pk))
        .order_by("-created_at", "-pk")
        .values_list("wijk_id", flat=True)
        .first()
    )
    return by_pk.get(wijk_id) if wijk_id is not None else None


@dataclass(frozen=True)
class ShownBlockSums:
    """Signals of a period counted from whole blocks whose total shows on its own:
    the wijk's, and per target group (a signal with two groups counts in each)."""

    blocks: int
    total: int
    per_doelgroep: dict[str, int]


def doelgroep_shown_block_sums(
    *, wijk: Wijk, period: Period, codes: Iterable[str], k: int | None = None
) -> ShownBlockSums:
    """Per target group, the sum of its block totals that show ("wie horen we
    niet?", dashboard/representation.py); the wijk's total the same way.

    Each block total is `_canonical_total` over that block alone: exactly what the
    officer's wijk dashboard shows for a period of that one block with that doelgroep
    filter (or none). A block below K counts as nothing. So each sum is a sum of
    figures shown anyway: it is 0 or at least K, and the difference of two such
    sums, or of one and a dashboard period, is again a sum of shown block totals;
    none pins a hidden block."""
    wanted = list(codes)
    active_codes = list(_category_names())
    threshold = k_threshold() if k is None else k
    grouped: dict[str, dict[tuple[datetime.date, str], int]] = {"": {}}
    grouped.update({code: {} for code in wanted})
    for week, code, n in (
        _telling_rows(wijk_ids=[wijk.pk], period=period)
        .values("week", "categorie__code")
        .annotate(n=Sum("count"))
        .values_list("week", "categorie__code", "n")
    ):
        grouped[""][(week, code)] = int(n)
    for group, week, code, n in (
        _telling_rows(wijk_ids=[wijk.pk], period=period, grouping="doelgroepen")
        .filter(doelgroep__code__in=wanted)
        .values("doelgroep__code", "week", "categorie__code")
        .annotate(n=Sum("count"))
        .values_list("doelgroep__code", "week", "categorie__code", "n")
    ):
        grouped[group][(week, code)] = int(n)
    sums: dict[str, int] = {}
    for group, counts in grouped.items():
        value = 0
        for block in period.blocks:
            in_block = set(block)
            block_counts = {key: n for key, n in counts.items() if key[0] in in_block}
            shown = _canonical_total(
                block_counts, weeks=block, active_codes=active_codes, k=threshold
            )
            value += shown.value or 0
        sums[group] = value
    total = sums.pop("")
    return ShownBlockSums(blocks=len(period.blocks), total=total, per_doelgroep=sums)
