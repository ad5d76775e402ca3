"""Roll-up runs: load a wijk's signals, run the pure engine (signalen/themes/rollup/), write
the themes, their members and the pre-aggregated counts, and record the run.

Rules (ARCHITECTURE.md, "The roll-up engine"):
- one run per wijk at a time: a lock with a time to live, so a crashed worker's lock
  expires by itself; the run that takes the lock next marks the crashed run as
  abandoned. With REDIS_URL it is redis-py's Lock (extend and release are atomic Lua
  scripts); without (the embedded demo) a lock in Django's cache;
- everything a run writes goes in one transaction: a crash leaves nothing half-written;
- a re-run on the same data writes nothing (no event, no timestamp changes);
- the engine owns the figures; the name, status and visibility chosen by professionals
  are never overwritten, except that a dismissed theme that grew markedly comes back
  as "gesignaleerd" (with an event saying so).
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import logging
import threading
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import redis
import redis.exceptions
import redis.lock
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone

from signalen.intake.schedule import lock_ttl
from signalen.kanon import k_threshold
from signalen.models import (
    Categorie,
    RollupRun,
    Signaal,
    SignaalTelling,
    ThemaGebeurtenis,
    ThemaLid,
    ThemaStatus,
    WijkThema,
)
from signalen.themes.blocks import rollup_finished
from signalen.themes.corrections import stored_vectors, wijk_actions
from signalen.themes.keywords import shared_keywords
from signalen.themes.rollup import ExistingTheme, InputSignal, Params, Theme, run_wijk
from signalen.themes.rollup.constraints import constraints_from_actions
from wijken.models import Wijk

log = logging.getLogger(__name__)


LOCK_PREFIX = "signalen:rollup:lock:"


class RollupBusy(Exception):
    """Another run holds the lock for this wijk."""


class RollupLockLost(RollupBusy):
    """The run's lock expired and another run may have taken the wijk over: this run
    wrote nothing (the other run, or a retry, does the work)."""


LOCK_LOST = "lock lost"


def params_from_settings() -> Params:
    overrides = dict(getattr(settings, "ROLLUP_PARAMS", {}) or {})
    return dataclasses.replace(Params(k=int(settings.K_ANONYMITY)), **overrides)


@dataclass
class WijkLock:
    """The wijk's lock in Django's cache: the fallback when there is no Redis (the
    embedded demo, the tests on SQLite). The cache has no compare-and-delete, so
    extend and release check the token first; a lock that expires between the check
    and the act is the (small) risk of this fallback."""

    wijk_id: int
    token: str

    @property
    def key(self) -> str:
        return f"{LOCK_PREFIX}{self.wijk_id}"

    def extend(self) -> bool:
        """Give the lock a fresh time to live, if it is still ours. False when it
        expired or another run holds it now."""
        if cache.get(self.key) != self.token:
            return False
        return bool(cache.touch(self.key, lock_ttl())) and (
            cache.get(self.key) == self.token
        )

    def release(self) -> None:
        # Only the holder releases; an expired lock taken over by another run stays.
        if cache.get(self.key) == self.token:
            cache.delete(self.key)


@dataclass
class RedisWijkLock:
    """The wijk's lock as redis-py's Lock (with REDIS_URL, as in production): extend
    and release compare the token and act in one Lua script on the server, so a run
    whose lock expired never extends or deletes the lock another run took over."""

    wijk_id: int
    token: str
    lock: redis.lock.Lock

    @property
    def key(self) -> str:
        return f"{LOCK_PREFIX}{self.wijk_id}"

    def extend(self) -> bool:
        """Give the lock a fresh time to live, if it is still ours. False when it
        expired, another run holds it now, or Redis cannot say (then the run must
        not write: it cannot know it still owns the wijk)."""
        try:
            return bool(self.lock.extend(lock_ttl(), replace_ttl=True))
        except redis.exceptions.LockError:
            return False
        except redis.exceptions.RedisError:
            log.warning("lock of wijk %s could not be extended", self.wijk_id)
            return False

    def release(self) -> None:
        """Release the lock if it is still ours; an expired lock taken over by another
        run stays. With Redis away the lock expires by itself."""
        try:
            self.lock.release()
        except redis.exceptions.LockError:
            pass
        except redis.exceptions.RedisError:
            log.warning("lock of wijk %s could not be released", self.wijk_id)


RollupLock = WijkLock | RedisWijkLock


@functools.lru_cache(maxsize=4)
def _redis(url: str) -> redis.Redis:
    # One client (and connection pool) per URL; short timeouts, so a Redis that is
    # away fails a run quickly instead of holding a worker.
    return redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=5)


def _redis_url() -> str:
    return str(getattr(settings, "REDIS_URL", "") or "")


def lock_acquire(wijk_id: int) -> RollupLock | None:
    """Take the wijk's lock for lock_ttl() seconds, or None when another run holds it.
    On Redis (REDIS_URL set) as redis-py's Lock, else in Django's cache. Raises
    redis.RedisError when REDIS_URL is set and Redis cannot be reached."""
    token = uuid.uuid4().hex
    url = _redis_url()
    if url:
        lock = _redis(url).lock(
            f"{LOCK_PREFIX}{wijk_id}",
            timeout=lock_ttl(),
            blocking=False,
            thread_local=False,
        )
        if lock.acquire(token=token):
            return RedisWijkLock(wijk_id, token, lock)
        return None
    cached = WijkLock(wijk_id, token)
    if cache.add(cached.key, cached.token, timeout=lock_ttl()):
        return cached
    return None


def lock_is_held(wijk_id: int) -> bool:
    key = f"{LOCK_PREFIX}{wijk_id}"
    url = _redis_url()
    if url:
        return bool(_redis(url).exists(key))
    return cache.get(key) is not None


def _load_signals(
    wijk: Wijk, as_of: datetime.date, window_days: int
) -> list[InputSignal]:
    start = as_of - datetime.timedelta(days=window_days)
    rows = list(
        Signaal.objects.filter(
            wijk=wijk,
            withdrawn_at__isnull=True,
            scrub_pending=False,  # its text is still sealed; it joins once scrubbed
            observed_on__gt=start,
            observed_on__lte=as_of,
        )
        .order_by("pk")
        .values_list("pk", "text", "categorie__code", "author_id", "observed_on")
    )
    targets: dict[int, list[str]] = defaultdict(list)
    through = Signaal.doelgroepen.through
    for signaal_id, code in (
        through.objects.filter(signaal_id__in=[r[0] for r in rows])
        .order_by("signaal_id", "doelgroep__code")
        .values_list("signaal_id", "doelgroep__code")
        .iterator(chunk_size=5000)
    ):
        targets[signaal_id].append(code)
    # Stored at intake by the worker (signalen.themes.embedding): a run never embeds.
    stored = stored_vectors([r[0] for r in rows])
    return [
        InputSignal(
            id=pk,
            wijk=wijk.code,
            text=text or "",
            category=category,
            target_groups=tuple(targets.get(pk, ())),
            author=str(author_id) if author_id is not None else None,
            observed_on=observed_on,
            vector=stored[pk][0] if pk in stored else None,
            stems=tuple(stored[pk][1]) if pk in stored else None,
        )
        for pk, text, category, author_id, observed_on in rows
    ]


def _load_existing(wijk: Wijk) -> tuple[list[ExistingTheme], dict[int, WijkThema]]:
    themes = {t.pk: t for t in WijkThema.objects.filter(wijk=wijk, is_current=True)}
    members: dict[int, set[int]] = defaultdict(set)
    for thema_id, signaal_id in ThemaLid.objects.filter(
        thema_id__in=list(themes)
    ).values_list("thema_id", "signaal_id"):
        members[thema_id].add(signaal_id)
    existing = [
        ExistingTheme(
            id=pk,
            wijk=wijk.code,
            member_ids=frozenset(members.get(pk, ())),
            dismissed=theme.status == ThemaStatus.VERWORPEN,
        )
        for pk, theme in sorted(themes.items())
    ]
    return existing, themes


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    closed: int = 0


def _figures(
    theme: Theme,
    categories: dict[str, int],
    dates: dict[int, datetime.date | None],
    by_id: dict[int, InputSignal],
) -> dict[str, object]:
    observed = [d for d in (dates.get(int(i)) for i in theme.member_ids) if d]
    # Only words K signals of two professionals share, and no name (see naming).
    words = shared_keywords(
        theme.keywords,
        [by_id[int(i)] for i in theme.member_ids if int(i) in by_id],
        k=k_threshold(),
    )
    return {
        "label": ", ".join(words)[:200],
        "keywords": list(words),
        "categorie_id": categories.get(theme.category),
        "size": len(theme.member_ids),
        "authors": theme.authors,
        "trend": theme.trend,
        "recent_count": theme.recent_count,
        "baseline_count": theme.baseline_count,
        "first_observed_on": min(observed) if observed else None,
        "last_observed_on": max(observed) if observed else None,
        "is_current": True,
    }


def _write_themes(
    wijk: Wijk,
    run: RollupRun,
    themes: Iterable[Theme],
    closed_ids: Iterable[object],
    existing: dict[int, WijkThema],
    signals: list[InputSignal],
) -> Outcome:
    outcome = Outcome()
    categories = dict(Categorie.objects.values_list("code", "pk"))
    dates = {int(s.id): s.observed_on for s in signals}
    by_id = {int(s.id): s for s in signals}
    themes = list(themes)
    reopen_ids = _still_dismissed(
        [t.theme_id for t in themes if t.reopened and t.theme_id is not None]
    )
    for theme in themes:
        figures = _figures(theme, categories, dates, by_id)
        member_ids = {int(i) for i in theme.member_ids}
        if theme.theme_id is None:
            thema = WijkThema.objects.create(wijk=wijk, last_run=run, **figures)
            ThemaLid.objects.bulk_create(
                [ThemaLid(thema=thema, signaal_id=i) for i in sorted(member_ids)]
            )
            ThemaGebeurtenis.objects.create(
                thema=thema,
                soort=ThemaGebeurtenis.Soort.FOUND,
                detail={"size": len(member_ids), "run": run.pk},
            )
            outcome.created += 1
            continue
        thema = existing[int(theme.theme_id)]
        reopen = theme.theme_id in reopen_ids
        before = set(
            ThemaLid.objects.filter(thema=thema).values_list("signaal_id", flat=True)
        )
        changed = {k: v for k, v in figures.items() if getattr(thema, k) != v}
        if reopen:
            changed.update(status=ThemaStatus.GESIGNALEERD, status_reason="")
        if not changed and before == member_ids:
            continue
        if changed:
            changed["last_run"] = run
            for key, value in changed.items():
                setattr(thema, key, value)
            thema.save(update_fields=[*changed, "updated_at"])
        gone = before - member_ids
        added = member_ids - before
        if gone:
            ThemaLid.objects.filter(thema=thema, signaal_id__in=gone).delete()
        if added:
            ThemaLid.objects.bulk_create(
                [ThemaLid(thema=thema, signaal_id=i) for i in sorted(added)]
            )
        soort = (
            ThemaGebeurtenis.Soort.REOPENED if reopen else ThemaGebeurtenis.Soort.GREW
        )
        ThemaGebeurtenis.objects.create(
            thema=thema,
            soort=soort,
            detail={
                "size": len(member_ids),
                "added": len(added),
                "removed": len(gone),
                "run": run.pk,
            },
        )
        outcome.updated += 1
    for theme_id in closed_ids:
        thema = existing[int(str(theme_id))]
        thema.is_current = False
        thema.last_run = run
        thema.save(update_fields=["is_current", "last_run", "updated_at"])
        ThemaGebeurtenis.objects.create(
            thema=thema, soort=ThemaGebeurtenis.Soort.CLOSED, detail={"run": run.pk}
        )
        outcome.closed += 1
    return outcome


def _still_dismissed(theme_ids: list[object]) -> set[object]:
    """Lock the themes the engine wants to reopen and keep those still dismissed: a
    professional may have changed the status while the engine ran, and their choice
    wins (a theme no longer verworpen is only updated, not set back to gesignaleerd)."""
    if not theme_ids:
        return set()
    by_pk = {int(str(theme_id)): theme_id for theme_id in theme_ids}
    still = WijkThema.objects.select_for_update().filter(
        pk__in=list(by_pk), status=ThemaStatus.VERWORPEN
    )
    return {by_pk[pk] for pk in still.values_list("pk", flat=True)}


def counts_rebuild(wijk: Wijk) -> int:
    """Rebuild the wijk's pre-aggregated counts from its signals (not withdrawn).

    Three groupings (see SignaalTelling): the whole wijk, per doelgroep, per buurt.
    Only rows that differ are written. Returns the number of count rows the wijk has
    afterwards. Runs inside the caller's transaction.
    """
    live = Signaal.objects.filter(wijk=wijk, withdrawn_at__isnull=True)
    week = TruncWeek("observed_on")
    rows: list[SignaalTelling] = []
    for categorie_id, monday, n in (
        live.annotate(w=week)
        .values_list("categorie_id", "w")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        rows.append(
            SignaalTelling(
                wijk=wijk, categorie_id=categorie_id, week=_date(monday), count=n
            )
        )
    for categorie_id, buurt_id, monday, n in (
        live.filter(buurt__isnull=False)
        .annotate(w=week)
        .values_list("categorie_id", "buurt_id", "w")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        rows.append(
            SignaalTelling(
                wijk=wijk,
                buurt_id=buurt_id,
                categorie_id=categorie_id,
                week=_date(monday),
                count=n,
            )
        )
    for categorie_id, doelgroep_id, monday, n in (
        live.filter(doelgroepen__isnull=False)
        .annotate(w=week)
        .values_list("categorie_id", "doelgroepen", "w")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        rows.append(
            SignaalTelling(
                wijk=wijk,
                doelgroep_id=doelgroep_id,
                categorie_id=categorie_id,
                week=_date(monday),
                count=n,
            )
        )
    # Write only the difference: a re-run with nothing new writes nothing, and an
    # incremental run touches a few rows instead of re-inserting every row of the wijk
    # (bench/bench_rollup.py: ~1 row per signal, ~125 µs per row re-inserted).
    wanted = {(r.buurt_id, r.categorie_id, r.doelgroep_id, r.week): r for r in rows}
    stale: list[int] = []
    changed: list[SignaalTelling] = []
    for pk, buurt_id, categorie_id, doelgroep_id, monday, n in (
        SignaalTelling.objects.filter(wijk=wijk)
        .order_by()
        .values_list("pk", "buurt_id", "categorie_id", "doelgroep_id", "week", "count")
    ):
        row = wanted.pop((buurt_id, categorie_id, doelgroep_id, monday), None)
        if row is None:
            stale.append(pk)
        elif row.count != n:
            row.pk = pk
            changed.append(row)
    for start in range(0, len(stale), 1000):
        SignaalTelling.objects.filter(pk__in=stale[start : start + 1000]).delete()
    SignaalTelling.objects.bulk_update(changed, ["count"], batch_size=500)
    SignaalTelling.objects.bulk_create(list(wanted.values()), batch_size=2000)
    return len(rows)


def _date(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def _abandon_stale_runs(wijk: Wijk, *, current: RollupRun) -> None:
    """We hold the lock, so any other run of this wijk still marked running has
    crashed (or lost its lock: its final save then finds it abandoned and rolls
    back)."""
    RollupRun.objects.filter(wijk=wijk, status=RollupRun.Status.RUNNING).exclude(
        pk=current.pk
    ).update(
        status=RollupRun.Status.ABANDONED,
        finished_at=timezone.now(),
        error="De worker stopte tijdens de run; er is niets half opgeslagen.",
    )


class Heartbeat:
    """While a run works, write `heartbeat_at` every ROLLUP_HEARTBEAT_SECONDS from a
    daemon thread (the engine itself never yields). A killed worker stops beating, and
    the beat sweep marks its run abandoned within ROLLUP_HEARTBEAT_STALE_SECONDS
    (signalen/intake/schedule.py runs_abandon_silent)."""

    def __init__(self, run_id: int, *, interval: float | None = None) -> None:
        self.run_id = run_id
        self.interval = float(
            interval
            if interval is not None
            else getattr(settings, "ROLLUP_HEARTBEAT_SECONDS", 30)
        )
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def beat(self) -> bool:
        """One heartbeat; False once the run is no longer running."""
        return bool(
            RollupRun.objects.filter(
                pk=self.run_id, status=RollupRun.Status.RUNNING
            ).update(heartbeat_at=timezone.now())
        )

    def _loop(self) -> None:
        used = False
        try:
            while not self._stop.wait(self.interval):
                used = True
                try:
                    if not self.beat():
                        return
                except Exception:  # a database blip: try again next time
                    log.warning(
                        "heartbeat of run %s failed", self.run_id, exc_info=True
                    )
        finally:
            if used:
                connection.close()

    def __enter__(self) -> Heartbeat:
        self._thread = threading.Thread(
            target=self._loop, name=f"rollup-heartbeat-{self.run_id}", daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)


def rollup_wijk(
    wijk: Wijk,
    *,
    trigger: str = RollupRun.Trigger.MANUAL,
    recluster: bool = False,
    as_of: datetime.date | None = None,
    task_id: str = "",
    params: Params | None = None,
) -> RollupRun:
    """Run the roll-up for one wijk and record it. Raises RollupBusy when another run
    holds the wijk's lock; re-raises any error after recording it on the run."""
    lock = lock_acquire(wijk.pk)
    if lock is None:
        raise RollupBusy(wijk.code)
    try:
        return _run_locked(
            wijk,
            lock=lock,
            trigger=trigger,
            recluster=recluster,
            as_of=as_of,
            task_id=task_id,
            params=params or params_from_settings(),
        )
    finally:
        lock.release()


class _Abandoned(Exception):
    """Another run marked this one abandoned before it could finish."""


def _run_locked(
    wijk: Wijk,
    *,
    lock: RollupLock,
    trigger: str,
    recluster: bool,
    as_of: datetime.date | None,
    task_id: str,
    params: Params,
) -> RollupRun:
    as_of = as_of or timezone.localdate()
    now = timezone.now()
    run = RollupRun.objects.create(
        wijk=wijk,
        trigger=trigger,
        recluster=recluster,
        started_at=now,
        heartbeat_at=now,
        params={**dataclasses.asdict(params), "as_of": as_of.isoformat()},
        task_id=task_id[:64],
    )
    _abandon_stale_runs(wijk, current=run)
    running = RollupRun.objects.filter(pk=run.pk, status=RollupRun.Status.RUNNING)
    with Heartbeat(run.pk):
        return _run_recorded(
            wijk,
            run,
            running,
            lock=lock,
            recluster=recluster,
            as_of=as_of,
            params=params,
        )


def _run_recorded(
    wijk: Wijk,
    run: RollupRun,
    running: QuerySet[RollupRun],
    *,
    lock: RollupLock,
    recluster: bool,
    as_of: datetime.date,
    params: Params,
) -> RollupRun:
    try:
        signals = _load_signals(wijk, as_of, params.window_days)
        existing, themes = _load_existing(wijk)
        # The team's actions: kept by every run (must-link, cannot-link, noise gate).
        constraints = constraints_from_actions(wijk_actions(wijk.pk))
        result = run_wijk(
            wijk.code,
            signals,
            existing,
            params,
            as_of=as_of,
            recluster=recluster,
            constraints=constraints,
        )
        # The engine may have run longer than the lock lives: write only while the
        # lock is still ours, with a fresh time to live for the writing.
        if not lock.extend():
            raise RollupLockLost(wijk.code)
        with transaction.atomic():
            outcome = _write_themes(
                wijk,
                run,
                result.themes,
                result.closed_theme_ids,
                themes,
                signals,
            )
            counts_rebuild(wijk)
            run.status = RollupRun.Status.SUCCESS
            run.finished_at = timezone.now()
            run.signals_read = result.signals_read
            run.themes_created = outcome.created
            run.themes_updated = outcome.updated
            run.themes_closed = outcome.closed
            # Conditional: a run that another run marked abandoned stays abandoned,
            # and its writes roll back.
            if not running.update(
                status=run.status,
                finished_at=run.finished_at,
                signals_read=run.signals_read,
                themes_created=run.themes_created,
                themes_updated=run.themes_updated,
                themes_closed=run.themes_closed,
            ):
                raise _Abandoned(wijk.code)
            # Members and counts were written in bulk (no model signals): store
            # what the pages read of them and renew what they show of this wijk.
            rollup_finished(wijk)
    except RollupLockLost:
        running.update(
            status=RollupRun.Status.FAILED, finished_at=timezone.now(), error=LOCK_LOST
        )
        log.warning("roll-up of %s lost its lock; nothing written", wijk.code)
        raise
    except _Abandoned as abandoned:
        log.warning("roll-up of %s was abandoned by another run", wijk.code)
        raise RollupLockLost(wijk.code) from abandoned
    except Exception as error:
        running.update(
            status=RollupRun.Status.FAILED,
            finished_at=timezone.now(),
            error=f"{type(error).__name__}: {error}"[:2000],
        )
        log.exception("roll-up of %s failed", wijk.code)
        raise
    return run


def wijken_to_roll_up(*, recent_only: bool = True) -> list[int]:
    """Wijken with a signal in the window (any signal at all with `recent_only`
    off, as `manage.py rollup --all` takes them) or a current theme; the nightly
    run's list."""
    if recent_only:
        params = params_from_settings()
        since = timezone.localdate() - datetime.timedelta(days=params.window_days)
        signals = Signaal.objects.filter(
            observed_on__gt=since, withdrawn_at__isnull=True
        )
    else:
        signals = Signaal.objects.all()
    with_signals = signals.values("wijk_id")
    with_themes = WijkThema.objects.filter(is_current=True).values("wijk_id")
    return list(
        Wijk.objects.filter(Q(pk__in=with_signals) | Q(pk__in=with_themes))
        .order_by("code")
        .values_list("pk", flat=True)
    )


def rollup_many(
    wijken: Iterable[Wijk],
    *,
    trigger: str = RollupRun.Trigger.MANUAL,
    recluster: bool = False,
    progress: Callable[[Wijk, RollupRun | None, Exception | None], None] | None = None,
) -> list[RollupRun]:
    """Run wijk after wijk (the management command); a busy or failing wijk is reported
    and skipped, the rest go on."""
    runs: list[RollupRun] = []
    for wijk in wijken:
        try:
            run = rollup_wijk(wijk, trigger=trigger, recluster=recluster)
        except Exception as error:  # reported per wijk; the run record has it too
            if progress:
                progress(wijk, None, error)
            continue
        runs.append(run)
        if progress:
            progress(wijk, run, None)
    return runs


def last_successful_run(wijk: Wijk) -> RollupRun | None:
    return (
        RollupRun.objects.filter(wijk=wijk, status=RollupRun.Status.SUCCESS)
        .order_by("-finished_at")
        .first()
    )
