"""Reads of themes for the officer's dashboard: sizes, freshness, block counts."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from signalen.kanon import (
    BLOCK_SPAN,
    BLOCK_WEEKS,
    SPARK_BUCKETS,
    KCount,
    k_anonymous_counts,
    k_threshold,
    spark_starts,
)
from signalen.models import (
    RollupRun,
    ThemaLid,
    ThemaStatus,
    ThemaTrend,
    ThemaZichtbaarheid,
    WijkThema,
)
from signalen.themes.published import members_per_block, themes_publish
from signalen.themes.rollup.data import Params
from signalen.themes.rollup.engine import classify_trend
from wijken.models import Wijk

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


def _theme_block_counts(
    themes: list[tuple[int, int, datetime.datetime]],
    *,
    starts: list[datetime.date],
) -> dict[int, list[int]]:
    blocks = _theme_blocks(themes, starts=starts)
    return {pk: _fold(found, starts=starts) for pk, found in blocks.items()}


def _theme_blocks(
    themes: list[tuple[int, int, datetime.datetime]],
    *,
    starts: list[datetime.date],
) -> dict[int, dict[str, int]]:
    """Per theme (pk, wijk id, updated_at): its members per block of `starts` (the
    first block also holds everything older), as fixed when each block was first
    shown after it was over (signalen.themes.published): a later run or correction
    never moves a block that is over. Blocks of the grid that are not over yet (only
    when `starts` reaches past today) are counted from the members now. One query
    when every block is fixed already."""
    buckets: dict[int, dict[str, int]] = {pk: {} for pk, _w, _u in themes}
    if not themes:
        return buckets
    end = starts[-1] + BLOCK_SPAN
    ids = [pk for pk, _w, _u in themes]
    rows = themes_publish(ids, until=end)
    unfixed = [pk for pk in ids if pk not in rows or rows[pk].through < end]
    live = {}
    if unfixed:
        live = members_per_block(
            unfixed,
            since=min((rows[pk].through for pk in unfixed if pk in rows), default=None),
            before=end,
        )
    for pk in ids:
        row = rows.get(pk)
        blocks: dict[str, int] = dict(row.counts) if row else {}
        if pk in live:
            through = row.through.isoformat() if row else ""
            blocks.update({b: n for b, n in live[pk].items() if b >= through})
        buckets[pk] = blocks
    return buckets


def released_total(blocks: dict[str, int], *, before: datetime.date, k: int) -> int:
    """A theme's size as it may grow outside the team: its blocks (first Monday, ISO)
    before `before`, oldest first, released in steps of at least K. Small blocks wait
    in a pool until the pool reaches K, so the size shown after one block minus the
    size shown after the block before is 0 or at least K: comparing the public theme
    page at two block edges never pins fewer than K signals."""
    shown = pending = 0
    last = before.isoformat()
    for start in sorted(blocks):
        if start >= last:
            break
        pending += blocks[start]
        if pending >= k:
            shown, pending = shown + pending, 0
    return shown


# Outside the team a theme's trend comes from its fixed figures too: the last block
# that is over against the two before it, with the engine's rule (rates per week, too
# few signals is "stable"), so the label moves only when a new block is fixed.
_TREND_PARAMS = Params(recent_weeks=BLOCK_WEEKS, baseline_weeks=2 * BLOCK_WEEKS)
_TREND_LABELS = dict(ThemaTrend.choices)


def outside_trend(counts: list[int]) -> str:
    """A theme's trend outside the team from its fixed members per block (oldest
    first): "rising", "stable" or "falling"."""
    recent = counts[-1] if counts else 0
    baseline = sum(counts[-3:-1])
    return classify_trend(recent, baseline, _TREND_PARAMS)


def outside_trend_label(trend: str) -> str:
    return str(_TREND_LABELS.get(trend, trend))


def theme_outside_trends(
    thema_ids: list[int], *, as_of: datetime.date | None = None
) -> dict[int, str]:
    """The trend of each theme as anyone outside the team may see it (outside_trend
    of the same fixed blocks as theme_outside_sizes)."""
    starts = spark_starts(as_of or timezone.localdate())
    buckets = _theme_block_counts(
        list(
            WijkThema.objects.filter(pk__in=thema_ids).values_list(
                "pk", "wijk_id", "updated_at"
            )
        ),
        starts=starts,
    )
    return {pk: outside_trend(buckets.get(pk, [0] * SPARK_BUCKETS)) for pk in thema_ids}


def _fold(blocks: dict[str, int], *, starts: list[datetime.date]) -> list[int]:
    """Stored members per block (first Monday, ISO) into the buckets of `starts`: the
    first bucket also holds everything older; blocks after the last are left out."""
    buckets = [0] * SPARK_BUCKETS
    last = starts[-1].isoformat()
    firsts = [start.isoformat() for start in starts]
    for start, n in blocks.items():
        if start > last:
            continue
        index = 0
        for i, first in enumerate(firsts):
            if start >= first:
                index = i
        buckets[index] += n
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
                # Outside the team: only a name a professional wrote, never the
                # engine's words (signalen.naming).
                name=thema.outside_name,
                keywords=(),
                categorie=thema.categorie.name if thema.categorie else "",
                status=thema.status,
                status_label=str(thema.get_status_display()),
                # From the fixed blocks, not the engine's days (outside_trend).
                trend=(trend := outside_trend(counts)),
                trend_label=outside_trend_label(trend),
                has_answer=thema.status in ANSWERED,
                size=table.total,
                spark=tuple(cells[i] for i in range(first, SPARK_BUCKETS)),
                spark_starts=tuple(starts[first:]),
            )
        )
    rows.sort(key=lambda row: (row.has_answer, -row.size.sort_value, row.name))
    return rows


def theme_team_sizes(thema_ids: list[int]) -> dict[int, int]:
    """The team's number of a theme: its signals that still count (not withdrawn),
    every date up to now (see the table in signalen.kanon). One query."""
    found = dict(
        ThemaLid.objects.filter(
            thema_id__in=thema_ids, signaal__withdrawn_at__isnull=True
        )
        .values("thema_id")
        .annotate(n=Count("pk"))
        .values_list("thema_id", "n")
    )
    return {pk: int(found.get(pk, 0)) for pk in thema_ids}


def theme_outside_sizes(
    thema_ids: list[int], *, as_of: datetime.date | None = None, k: int | None = None
) -> dict[int, KCount]:
    """The size of each theme as anyone outside the team may see it: the total of the
    theme's table of signals per 4-week block, through the k-anonymity helper — the
    same table the officer's sparkline shows — released in steps of at least K
    (`released_total`). The escalation snapshot, the public
    theme page and the public wijk page take the size from here, and nowhere show
    more figures of the theme that could be subtracted from it."""
    as_of = as_of or timezone.localdate()
    starts = spark_starts(as_of)
    threshold = k_threshold() if k is None else k
    blocks = _theme_blocks(
        list(
            WijkThema.objects.filter(pk__in=thema_ids).values_list(
                "pk", "wijk_id", "updated_at"
            )
        ),
        starts=starts,
    )
    sizes: dict[int, KCount] = {}
    for pk in thema_ids:
        found = blocks.get(pk, {})
        counts = _fold(found, starts=starts)
        first = next((i for i, n in enumerate(counts) if n), SPARK_BUCKETS - 1)
        table = k_anonymous_counts(
            {i: counts[i] for i in range(first, SPARK_BUCKETS)}, k=threshold
        )
        assert table.total is not None
        if table.total.is_hidden:
            sizes[pk] = table.total
        else:
            # The table's total may show; what shows is the size released in steps
            # of K, so two block edges never differ by fewer than K.
            released = released_total(
                found, before=starts[-1] + BLOCK_SPAN, k=threshold
            )
            sizes[pk] = KCount(released if released >= threshold else None, threshold)
    return sizes


def after_run_prepare(prepare: Callable[[int], None]) -> None:
    """Have `prepare(wijk_id)` called after every successful roll-up run of a wijk, in
    the worker (the dashboard makes its wijk page ahead this way): the one door for
    the apps above signalen, which read signalen through its queries modules."""
    from signalen.themes import blocks

    if prepare not in blocks.AFTER_RUN:
        blocks.AFTER_RUN.append(prepare)
