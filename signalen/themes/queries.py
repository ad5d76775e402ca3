"""Reads of themes for the officer's dashboard: sizes, freshness, block counts."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from signalen.kanon import (
    BLOCK_SPAN,
    SPARK_BUCKETS,
    KCount,
    k_anonymous_counts,
    spark_starts,
)
from signalen.models import (
    RollupRun,
    ThemaBlokTelling,
    ThemaLid,
    ThemaStatus,
    ThemaZichtbaarheid,
    WijkThema,
)
from wijken import generations
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


THEME_BLOCKS_CACHE_TIMEOUT = 60 * 60


def _theme_block_counts(
    themes: list[tuple[int, int, datetime.datetime]],
    *,
    starts: list[datetime.date],
) -> dict[int, list[int]]:
    """Per theme (pk, wijk id, updated_at): its members that are not withdrawn, per
    block of `starts` in which they were logged (the first block also holds
    everything older).

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
    # What the last run stored (signalen.themes.blocks): one query, no join.
    for wijk_id, stored in ThemaBlokTelling.objects.filter(
        wijk_id__in=list(by_wijk)
    ).values_list("wijk_id", "counts"):
        wanted = [pk for pk, _u in by_wijk[wijk_id]]
        if any(str(pk) not in stored for pk in wanted):
            continue  # a theme the row does not know: count live
        for pk in wanted:
            buckets[pk] = _fold(stored[str(pk)], starts=starts)
        del by_wijk[wijk_id]
    if not by_wijk:
        return buckets
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
    # Each signal in the block in which it was LOGGED (its frozen fact, see
    # signalen.intake.facts), never the day it was seen: a signal dated back a year
    # must not move a block that was published long ago.
    for thema_id, logged_week, n in (
        ThemaLid.objects.filter(
            thema_id__in=missing_ids,
            signaal__withdrawn_at__isnull=True,
            signaal__feit__week__lte=starts[-1] + BLOCK_SPAN - datetime.timedelta(1),
        )
        .values("thema_id", "signaal__feit__week")
        .annotate(n=Count("pk"))
        .values_list("thema_id", "signaal__feit__week", "n")
    ):
        index = 0
        for i, start in enumerate(starts):
            if logged_week >= start:
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


def after_run_prepare(prepare: Callable[[int], None]) -> None:
    """Have `prepare(wijk_id)` called after every successful roll-up run of a wijk, in
    the worker (the dashboard makes its wijk page ahead this way): the one door for
    the apps above signalen, which read signalen through its queries modules."""
    from signalen.themes import blocks

    if prepare not in blocks.AFTER_RUN:
        blocks.AFTER_RUN.append(prepare)
