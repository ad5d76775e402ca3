"""Three kinds of run: which one a wijk needs, and the reads and writes of the
incremental one (the engine side is signalen/themes/rollup/incremental.py).

- skipped: nothing the roll-up depends on changed since the last run that computed
  (no signal new, changed, withdrawn or scrubbed, none left the window, the team did
  nothing, same settings, same day): a few cheap queries, nothing written but the
  run's record;
- incremental: a big wijk (``Params.incremental_min_signals``) whose changes are new
  signals, withdrawn ones, members that left the window, signals the team attached,
  or just a new day (trends): the new signals join the themes or form new ones, the
  touched themes get their figures from SQL aggregates, the counts of the touched
  weeks are rebuilt. The window itself is not read;
- full: everything else (the first run, ``recluster``, the team moved, split, merged
  or dismissed, other settings, a theme that would fall below the thresholds, a small
  wijk, or drift: what was taken in incrementally since the last full run reached
  ``Params.full_after_fraction`` of the window).

"Since" is the start of the last run that computed, minus ``MARGIN``: a signal saved
in a transaction that committed while that run read is seen again, never missed
(taking it in twice changes nothing).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Count, F, Max, Min, Q, Sum
from django.utils import timezone

from signalen.kanon import k_threshold
from signalen.models import (
    Categorie,
    RollupRun,
    Signaal,
    SignaalVector,
    ThemaActie,
    ThemaGebeurtenis,
    ThemaLid,
    ThemaStatus,
    WijkThema,
)
from signalen.themes.bulk import members_insert
from signalen.themes.keywords import shared_keywords
from signalen.themes.rollup import InputSignal, Params
from signalen.themes.rollup import text as dutch
from signalen.themes.rollup.data import Constraints
from signalen.themes.rollup.engine import classify_trend
from signalen.themes.rollup.incremental import Increment, ThemeSample, run_increment
from wijken.models import Wijk

MARGIN = datetime.timedelta(minutes=5)
Mode = RollupRun.Mode


@dataclass
class Plan:
    """What a run will do, and why (recorded in the run's params as "plan")."""

    mode: str
    reason: str
    since: datetime.datetime | None = None
    new_ids: list[int] = field(default_factory=list)
    # Members to drop per theme: withdrawn, sealed again or out of the window.
    removed: dict[int, set[int]] = field(default_factory=dict)
    touched: set[int] = field(default_factory=set)  # themes to refigure
    weeks: set[datetime.date] = field(default_factory=set)  # counts to rebuild
    window_size: int = 0
    changed: int = 0


def params_record(params: Params, as_of: datetime.date) -> dict[str, object]:
    return {**dataclasses.asdict(params), "as_of": as_of.isoformat()}


def _basis(wijk: Wijk) -> RollupRun | None:
    """The last successful run that computed (a skipped run only looked)."""
    return (
        RollupRun.objects.filter(wijk=wijk, status=RollupRun.Status.SUCCESS)
        .exclude(mode=Mode.SKIPPED)
        .order_by("-started_at", "-pk")
        .first()
    )


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def run_plan(
    wijk: Wijk, *, as_of: datetime.date, params: Params, recluster: bool
) -> Plan:
    """Decide the kind of run (see the module text) with a few indexed queries."""
    if recluster:
        return Plan(Mode.FULL, "recluster")
    basis = _basis(wijk)
    if basis is None:
        return Plan(Mode.FULL, "first run")
    if basis.params != params_record(
        params,
        datetime.date.fromisoformat(str(basis.params.get("as_of", as_of.isoformat()))),
    ):
        return Plan(Mode.FULL, "settings changed")
    since = basis.started_at - MARGIN
    actions = ThemaActie.objects.filter(thema__wijk=wijk, created_at__gte=since)
    if actions.exclude(soort=ThemaActie.Soort.ATTACH).exists():
        return Plan(Mode.FULL, "the team moved, merged or split signals")
    themes = WijkThema.objects.filter(wijk=wijk, is_current=True)
    # A theme changed after the run that last wrote it finished: by the team (its
    # status, a dismissal, a name).
    by_team = themes.filter(updated_at__gte=since).exclude(
        last_run__finished_at__gte=F("updated_at")
    )
    if by_team.exists():
        return Plan(Mode.FULL, "the team changed a theme")
    plan = Plan(Mode.INCREMENTAL, "new or changed signals", since=since)
    plan.touched = set(actions.values_list("thema_id", flat=True))
    start = as_of - datetime.timedelta(days=params.window_days)
    fields = ("pk", "observed_on", "withdrawn_at", "scrub_pending")
    # One query: each kind of change is an index range of the wijk (signaal_wijk_*
    # indexes), and the vectors stored since (the worker embeds after intake) one of
    # signaalvector_created.
    changed = set(
        Signaal.objects.filter(wijk=wijk)
        .filter(
            Q(created_at__gte=since)
            | Q(updated_at__gte=since)
            | Q(withdrawn_at__gte=since)
            | Q(text_wiped_at__gte=since)
        )
        .order_by()
        .values_list(*fields)
        .union(
            Signaal.objects.filter(
                pk__in=SignaalVector.objects.filter(
                    created_at__gte=since, signaal__wijk=wijk
                ).values("signaal_id")
            )
            .order_by()
            .values_list(*fields)
        )
    )
    plan.weeks = {_monday(observed) for _, observed, _, _ in changed}
    member_of = (
        dict(
            ThemaLid.objects.filter(
                thema__in=themes, signaal_id__in=[pk for pk, *_ in changed]
            ).values_list("signaal_id", "thema_id")
        )
        if changed
        else {}
    )
    gone = {
        pk
        for pk, observed, withdrawn, pending in changed
        if withdrawn is not None or pending or not start < observed <= as_of
    }
    for pk, thema_id in member_of.items():
        if pk in gone:
            plan.removed.setdefault(thema_id, set()).add(pk)
    plan.new_ids = sorted(
        pk for pk, *_ in changed if pk not in gone and pk not in member_of
    )
    # Members that left the window at its edge since the last run (it dropped those
    # that had left before).
    basis_start = datetime.date.fromisoformat(
        str(basis.params["as_of"])
    ) - datetime.timedelta(days=params.window_days)
    left_window = (
        ThemaLid.objects.filter(
            thema__in=themes,
            signaal__wijk=wijk,
            signaal__observed_on__gt=basis_start,
            signaal__observed_on__lte=start,
        ).values_list("thema_id", "signaal_id")
        if basis_start < start  # the same day (or an earlier one): nobody left
        else []
    )
    for thema_id, pk in left_window:
        plan.removed.setdefault(thema_id, set()).add(pk)
    plan.touched |= set(plan.removed)
    as_of_moved = basis.params.get("as_of") != as_of.isoformat()
    plan.changed = len(plan.new_ids) + sum(len(v) for v in plan.removed.values())
    if not plan.changed and not plan.touched and not plan.weeks and not as_of_moved:
        return Plan(Mode.SKIPPED, "nothing changed", since=since)
    if as_of_moved:  # trends move with the day
        plan.touched |= set(themes.values_list("pk", flat=True))
    plan.window_size = Signaal.objects.filter(
        wijk=wijk,
        withdrawn_at__isnull=True,
        observed_on__gt=start,
        observed_on__lte=as_of,
    ).count()
    if plan.window_size < params.incremental_min_signals:
        return _full(plan, "small wijk: a full run is cheap")
    taken_in = (
        RollupRun.objects.filter(
            wijk=wijk,
            status=RollupRun.Status.SUCCESS,
            mode=Mode.INCREMENTAL,
            started_at__gt=_last_full_start(wijk),
        ).aggregate(n=Sum("signals_changed"))["n"]
        or 0
    )
    if taken_in + plan.changed > params.full_after_fraction * plan.window_size:
        return _full(plan, "drift: much taken in since the last full run")
    if plan.removed and _would_fail(plan.removed, params):
        return _full(plan, "a theme would fall below the thresholds")
    return plan


def _full(plan: Plan, reason: str) -> Plan:
    plan.mode = Mode.FULL
    plan.reason = reason
    return plan


def _last_full_start(wijk: Wijk) -> datetime.datetime:
    started = (
        RollupRun.objects.filter(
            wijk=wijk, status=RollupRun.Status.SUCCESS, mode=Mode.FULL
        )
        .order_by("-started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    return started or datetime.datetime.min.replace(tzinfo=datetime.UTC)


def _would_fail(removed: dict[int, set[int]], params: Params) -> bool:
    """Whether a theme, without its removed members, has fewer than K signals or
    fewer than the authors it needs (then only a full run can say where the rest
    goes). One query."""
    gone = {pk for ids in removed.values() for pk in ids}
    rest = (
        ThemaLid.objects.filter(thema_id__in=list(removed))
        .exclude(signaal_id__in=gone)
        .order_by()
        .values("thema_id")
        .annotate(
            n=Count("signaal_id"), authors=Count("signaal__author", distinct=True)
        )
    )
    left = {row["thema_id"]: row for row in rest}
    for thema_id in removed:
        row = left.get(thema_id)
        if row is None or row["n"] < params.k:
            return True
        if row["authors"] and row["authors"] < params.min_authors:
            return True
    return False


# --- The incremental run's reads ------------------------------------------------------


def increment_compute(
    wijk: Wijk,
    plan: Plan,
    *,
    as_of: datetime.date,
    params: Params,
    constraints: Constraints,
    load: Callable[..., list[InputSignal]],
) -> tuple[Increment, list[InputSignal]]:
    """Read what the engine needs (new signals, a sample per theme, a sample of the
    window, the noise) and run it. ``load`` is runs._load_signals."""
    start = as_of - datetime.timedelta(days=params.window_days)
    themes = dict(
        WijkThema.objects.filter(wijk=wijk, is_current=True).values_list("pk", "status")
    )
    removed = {pk for ids in plan.removed.values() for pk in ids}
    members: dict[int, list[int]] = defaultdict(list)
    for thema_id, signaal_id in (
        ThemaLid.objects.filter(thema_id__in=list(themes))
        .order_by("signaal_id")
        .values_list("thema_id", "signaal_id")
    ):
        if signaal_id not in removed:
            members[thema_id].append(signaal_id)
    window = list(
        Signaal.objects.filter(
            wijk=wijk,
            withdrawn_at__isnull=True,
            scrub_pending=False,
            observed_on__gt=start,
            observed_on__lte=as_of,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rng = np.random.default_rng(params.seed)
    sampled = {
        thema_id: _sample(ids, params.incremental_sample, rng)
        for thema_id, ids in sorted(members.items())
    }
    background = _sample(window, params.incremental_background, rng)
    in_theme = {pk for ids in members.values() for pk in ids}
    new = set(plan.new_ids)
    # The most recent noise first: it is what new signals most likely gather with.
    noise = [pk for pk in reversed(window) if pk not in in_theme and pk not in new]
    noise = noise[: params.incremental_noise]
    wanted = set(plan.new_ids) | set(background) | set(noise)
    for ids in sampled.values():
        wanted |= set(ids)
    loaded = {s.id: s for s in load(wijk, as_of, params.window_days, ids=wanted)}

    def signals(ids: Iterable[int]) -> list[InputSignal]:
        return [loaded[pk] for pk in ids if pk in loaded]

    increment = run_increment(
        wijk.code,
        signals(plan.new_ids),
        [
            ThemeSample(
                id=thema_id,
                members=tuple(signals(ids)),
                dismissed=themes[thema_id] == ThemaStatus.VERWORPEN,
            )
            for thema_id, ids in sampled.items()
        ],
        signals(background),
        signals(sorted(noise)),
        params,
        as_of=as_of,
        window_size=len(window),
        constraints=constraints,
    )
    return increment, list(loaded.values())


def _sample(ids: list[int], size: int, rng: np.random.Generator) -> list[int]:
    if len(ids) <= size:
        return list(ids)
    return sorted(int(i) for i in rng.choice(ids, size=size, replace=False))


# --- The incremental run's writes -----------------------------------------------------


def themes_refigure(
    thema_ids: Iterable[int], *, as_of: datetime.date, params: Params
) -> dict[int, dict[str, object]]:
    """The engine's figures of these themes from their members, by SQL aggregates:
    size, authors, trend counts, first and last day, dominant category; the stored
    keywords kept as far as K members of two professionals still use them."""
    ids = sorted(set(thema_ids))
    if not ids:
        return {}
    recent_start = as_of - datetime.timedelta(weeks=params.recent_weeks)
    baseline_start = recent_start - datetime.timedelta(weeks=params.baseline_weeks)
    # One pass over the members: per theme, category and author (a few hundred rows
    # per theme at most); size, authors, dates and trend counts are summed from them.
    rows = (
        ThemaLid.objects.filter(thema_id__in=ids)
        .order_by()
        .values_list("thema_id", "signaal__categorie__code", "signaal__author_id")
        .annotate(
            n=Count("signaal_id"),
            first=Min("signaal__observed_on"),
            last=Max("signaal__observed_on"),
            recent=Count(
                "signaal_id",
                filter=Q(
                    signaal__observed_on__gt=recent_start,
                    signaal__observed_on__lte=as_of,
                ),
            ),
            baseline=Count(
                "signaal_id",
                filter=Q(
                    signaal__observed_on__gt=baseline_start,
                    signaal__observed_on__lte=recent_start,
                ),
            ),
        )
    )
    totals: dict[int, dict[str, Any]] = {}
    categories: dict[int, Counter[str]] = defaultdict(Counter)
    for thema_id, code, author, n, first, last, recent, baseline in rows:
        total = totals.setdefault(
            thema_id,
            {
                "size": 0,
                "authors": set(),
                "first": first,
                "last": last,
                "recent": 0,
                "baseline": 0,
            },
        )
        total["size"] += n
        if author is not None:
            total["authors"].add(author)
        total["first"] = min(total["first"], first)
        total["last"] = max(total["last"], last)
        total["recent"] += recent
        total["baseline"] += baseline
        if code:
            categories[thema_id][code] += n
    category_pk = dict(Categorie.objects.values_list("code", "pk"))
    figures: dict[int, dict[str, object]] = {}
    for thema_id, row in sorted(totals.items()):
        counts = categories.get(thema_id, Counter())
        dominant = (
            min(counts.items(), key=lambda item: (-item[1], item[0]))[0]
            if counts
            else ""
        )
        figures[thema_id] = {
            "size": row["size"],
            "authors": len(row["authors"]),
            "trend": classify_trend(row["recent"], row["baseline"], params),
            "recent_count": row["recent"],
            "baseline_count": row["baseline"],
            "first_observed_on": row["first"],
            "last_observed_on": row["last"],
            "categorie_id": category_pk.get(dominant),
        }
    return figures


def keywords_still_shared(
    themes: dict[int, WijkThema], thema_ids: Iterable[int]
) -> dict[int, list[str]]:
    """The stored keywords of these themes that K members of two professionals still
    use (after members left), from stored stems."""
    ids = [pk for pk in sorted(set(thema_ids)) if themes[pk].keywords]
    if not ids:
        return {}
    per_theme: dict[int, list[InputSignal]] = defaultdict(list)
    rows = ThemaLid.objects.filter(thema_id__in=ids).values_list(
        "thema_id", "signaal_id", "signaal__author_id", "signaal__text"
    )
    listed = list(rows)
    stems = dict(
        SignaalVector.objects.filter(
            signaal_id__in=[pk for _, pk, _, _ in listed]
        ).values_list("signaal_id", "stems")
    )
    for thema_id, pk, author, text in listed:
        kept = stems.get(pk)
        per_theme[thema_id].append(
            InputSignal(
                id=pk,
                wijk="",
                text=text or "",
                author=str(author) if author is not None else None,
                stems=tuple(kept) if kept is not None else tuple(dutch.stems(text)),
            )
        )
    return {
        pk: list(
            shared_keywords(
                list(themes[pk].keywords), per_theme.get(pk, []), k=k_threshold()
            )
        )
        for pk in ids
    }


def increment_write(
    wijk: Wijk,
    run: RollupRun,
    plan: Plan,
    increment: Increment,
    *,
    as_of: datetime.date,
    params: Params,
) -> int:
    """Write an incremental run's changes to existing themes: members that left go,
    new signals join, the touched themes get their figures again; an event per theme
    that changed, as a full run writes them. Returns the number of themes updated.
    Runs inside the run's transaction."""
    themes = {t.pk: t for t in WijkThema.objects.filter(wijk=wijk, is_current=True)}
    for thema_id, ids in sorted(plan.removed.items()):
        ThemaLid.objects.filter(thema_id=thema_id, signaal_id__in=ids).delete()
    joining = [
        (int(str(thema_id)), int(str(pk)))
        for thema_id, ids in sorted(increment.joined.items(), key=lambda i: str(i[0]))
        for pk in ids
    ]
    members_insert(joining)
    added = Counter(thema_id for thema_id, _ in joining)
    touched = (plan.touched | set(added)) & set(themes)
    figures = themes_refigure(touched, as_of=as_of, params=params)
    words = keywords_still_shared(themes, set(plan.removed) & set(themes))
    # Saved and logged in bulk, without a model signal per theme: the run renews
    # what the pages show of the wijk's themes once at its end (rollup_finished).
    saved: list[tuple[int, dict[str, object]]] = []
    events: list[ThemaGebeurtenis] = []
    now = timezone.now()
    for pk in sorted(touched):
        thema, new = themes[pk], figures.get(pk)
        if new is None:  # no members left (the plan runs a full run then)
            continue
        if pk in words:
            new["keywords"] = words[pk]
            new["label"] = ", ".join(words[pk])[:200]
        changed = {key: v for key, v in new.items() if getattr(thema, key) != v}
        gone = len(plan.removed.get(pk, ()))
        if not changed and not added[pk] and not gone:
            continue
        if changed:
            changed["last_run"] = run
            changed["updated_at"] = now
            for key, value in changed.items():
                setattr(thema, key, value)
            saved.append((pk, changed))
        events.append(
            ThemaGebeurtenis(
                thema=thema,
                soort=ThemaGebeurtenis.Soort.GREW,
                detail={
                    "size": new["size"],
                    "added": added[pk],
                    "removed": gone,
                    "run": run.pk,
                },
            )
        )
    for pk, changed in saved:
        WijkThema.objects.filter(pk=pk).update(**changed)
    ThemaGebeurtenis.objects.bulk_create(events)
    return len(events)
