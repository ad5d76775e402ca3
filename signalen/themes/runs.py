"""Roll-up runs: load a wijk's signals, run the pure engine (signalen/themes/rollup/), write
the themes, their members and the pre-aggregated counts, and record the run.

Rules (ARCHITECTURE.md, "The roll-up engine"):
- one run per wijk at a time: a lock with a time to live, so a crashed worker's lock
  expires by itself; the run that takes the lock next marks the crashed run as
  abandoned. A run records its lock's token: once the heartbeat sweep has marked a
  killed run abandoned, the next run breaks its lock at once (tests/
  test_worker_faults.py kills a worker mid-run). With REDIS_URL it is redis-py's Lock (extend and release are atomic Lua
  scripts); without (the embedded demo) a lock in Django's cache;
- everything a run writes goes in one transaction: a crash leaves nothing half-written;
- a re-run on the same data writes nothing (no event, no timestamp changes);
- a run is skipped, incremental or full (signalen/themes/increments.py decides): a wijk
  with nothing new is skipped, a few new signals in a big wijk do not read its window;
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
from django.db.models import Q, QuerySet
from django.utils import timezone

from signalen.intake.schedule import lock_ttl
from signalen.kanon import k_threshold
from signalen.models import (
    Categorie,
    RollupRun,
    Signaal,
    ThemaGebeurtenis,
    ThemaLid,
    ThemaStatus,
    WijkThema,
)
from signalen.themes.blocks import rollup_finished
from signalen.themes.bulk import members_insert
from signalen.themes.corrections import stored_vectors, wijk_actions
from signalen.themes.counts import counts_rebuild
from signalen.themes.increments import (
    Plan,
    increment_compute,
    increment_write,
    params_record,
    run_plan,
)
from signalen.themes.keywords import shared_keywords
from signalen.themes.rollup import ExistingTheme, InputSignal, Params, Theme, run_wijk
from signalen.themes.rollup import text as dutch
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
    redis.RedisError when REDIS_URL is set and Redis cannot be reached.

    A lock left by a run that is no longer running (marked abandoned after its worker
    was killed, or finished without releasing it) is broken and taken: the wijk
    waits for the heartbeat sweep (minutes), not for the lock to expire."""
    lock = _lock_take(wijk_id)
    if lock is None and _lock_break_if_dead(wijk_id):
        lock = _lock_take(wijk_id)
    return lock


def _lock_take(wijk_id: int) -> RollupLock | None:
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


# Delete the key only if it still holds the token we found (atomic on the server).
_DELETE_IF_HELD_BY = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('del', KEYS[1])
end
return 0
"""


def _lock_break_if_dead(wijk_id: int) -> bool:
    """Delete the wijk's lock when the run that holds it is recorded and no longer
    running. A lock without a recorded run (a run between taking the lock and
    recording itself) is left alone. True when the lock was broken."""
    key = f"{LOCK_PREFIX}{wijk_id}"
    url = _redis_url()
    client = _redis(url) if url else None
    raw = client.get(key) if client is not None else cache.get(key)
    if not raw:
        return False
    token = raw.decode() if isinstance(raw, bytes) else str(raw)
    holder = (
        RollupRun.objects.filter(wijk_id=wijk_id, lock_token=token)
        .values_list("pk", "status")
        .first()
    )
    if holder is None or holder[1] == RollupRun.Status.RUNNING:
        return False
    if client is not None:
        broken = bool(client.eval(_DELETE_IF_HELD_BY, 1, key, token))
    else:  # the cache has no compare-and-delete: the fallback's small race
        broken = cache.get(key) == token and bool(cache.delete(key))
    if broken:
        log.warning(
            "broke the lock of wijk %s left by run %s (%s)",
            wijk_id,
            holder[0],
            holder[1],
        )
    return broken


def lock_is_held(wijk_id: int) -> bool:
    key = f"{LOCK_PREFIX}{wijk_id}"
    url = _redis_url()
    if url:
        return bool(_redis(url).exists(key))
    return cache.get(key) is not None


def _load_signals(
    wijk: Wijk,
    as_of: datetime.date,
    window_days: int,
    *,
    ids: Iterable[int] | None = None,
) -> list[InputSignal]:
    """The wijk's live signals in the window (only ``ids`` of them when given), as
    engine input with their stored vector and stems; stems are made here for a
    signal that has none stored, so nothing downstream stems a text again."""
    start = as_of - datetime.timedelta(days=window_days)
    window = Signaal.objects.filter(
        wijk=wijk,
        withdrawn_at__isnull=True,
        scrub_pending=False,  # its text is still sealed; it joins once scrubbed
        observed_on__gt=start,
        observed_on__lte=as_of,
    )
    if ids is not None:
        window = window.filter(pk__in=sorted(set(ids)))
    rows = list(
        window.order_by("pk").values_list(
            "pk", "text", "categorie__code", "author_id", "observed_on"
        )
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
            stems=tuple(stored[pk][1]) if pk in stored else tuple(dutch.stems(text)),
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
    # The members of every theme this run updates, in one query.
    members_before: dict[int, set[int]] = defaultdict(set)
    updating = [int(t.theme_id) for t in themes if t.theme_id is not None]
    for start in range(0, len(updating), 500):
        for thema_id, signaal_id in ThemaLid.objects.filter(
            thema_id__in=updating[start : start + 500]
        ).values_list("thema_id", "signaal_id"):
            members_before[thema_id].add(signaal_id)
    new_members: list[tuple[int, int]] = []
    for theme in themes:
        figures = _figures(theme, categories, dates, by_id)
        member_ids = {int(i) for i in theme.member_ids}
        if theme.theme_id is None:
            thema = WijkThema.objects.create(wijk=wijk, last_run=run, **figures)
            new_members.extend((thema.pk, i) for i in sorted(member_ids))
            ThemaGebeurtenis.objects.create(
                thema=thema,
                soort=ThemaGebeurtenis.Soort.FOUND,
                detail={"size": len(member_ids), "run": run.pk},
            )
            outcome.created += 1
            continue
        thema = existing[int(theme.theme_id)]
        reopen = theme.theme_id in reopen_ids
        before = members_before.get(thema.pk, set())
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
        new_members.extend((thema.pk, i) for i in sorted(added))
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
    members_insert(new_members)
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
    plan = run_plan(wijk, as_of=as_of, params=params, recluster=recluster)
    now = timezone.now()
    fields = {
        "wijk": wijk,
        "trigger": trigger,
        "recluster": recluster,
        "mode": plan.mode,
        "started_at": now,
        "heartbeat_at": now,
        "params": params_record(params, as_of),
        "task_id": task_id[:64],
        "lock_token": lock.token,
    }
    if plan.mode == RollupRun.Mode.SKIPPED:
        # Nothing the roll-up depends on changed: record that the wijk was looked at.
        return RollupRun.objects.create(
            **fields, status=RollupRun.Status.SUCCESS, finished_at=now
        )
    run = RollupRun.objects.create(**fields)
    _abandon_stale_runs(wijk, current=run)
    running = RollupRun.objects.filter(pk=run.pk, status=RollupRun.Status.RUNNING)
    with Heartbeat(run.pk):
        return _run_recorded(
            wijk,
            run,
            running,
            lock=lock,
            plan=plan,
            recluster=recluster,
            as_of=as_of,
            params=params,
        )


Write = Callable[[], tuple[int, Outcome]]


def _run_full(
    wijk: Wijk,
    run: RollupRun,
    *,
    recluster: bool,
    as_of: datetime.date,
    params: Params,
) -> Write:
    """Read the whole window and run the engine; returns the writing to do."""
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

    def write() -> tuple[int, Outcome]:
        outcome = _write_themes(
            wijk, run, result.themes, result.closed_theme_ids, themes, signals
        )
        counts_rebuild(wijk)
        return result.signals_read, outcome

    return write


def _run_increment(
    wijk: Wijk, run: RollupRun, *, plan: Plan, as_of: datetime.date, params: Params
) -> Write:
    """Read the new signals and samples (not the window) and place the new signals;
    returns the writing to do."""
    constraints = constraints_from_actions(wijk_actions(wijk.pk))
    increment, loaded = increment_compute(
        wijk,
        plan,
        as_of=as_of,
        params=params,
        constraints=constraints,
        load=_load_signals,
    )

    def write() -> tuple[int, Outcome]:
        outcome = _write_themes(wijk, run, increment.themes, [], {}, loaded)
        outcome.updated = increment_write(
            wijk, run, plan, increment, as_of=as_of, params=params
        )
        counts_rebuild(wijk, weeks=plan.weeks)
        return increment.rows_read, outcome

    return write


def _run_recorded(
    wijk: Wijk,
    run: RollupRun,
    running: QuerySet[RollupRun],
    *,
    lock: RollupLock,
    plan: Plan,
    recluster: bool,
    as_of: datetime.date,
    params: Params,
) -> RollupRun:
    try:
        if plan.mode == RollupRun.Mode.INCREMENTAL:
            write = _run_increment(wijk, run, plan=plan, as_of=as_of, params=params)
        else:
            write = _run_full(
                wijk, run, recluster=recluster, as_of=as_of, params=params
            )
        # The engine may have run longer than the lock lives: write only while the
        # lock is still ours, with a fresh time to live for the writing.
        if not lock.extend():
            raise RollupLockLost(wijk.code)
        with transaction.atomic():
            read, outcome = write()
            run.status = RollupRun.Status.SUCCESS
            run.finished_at = timezone.now()
            run.signals_read = read
            run.signals_changed = plan.changed
            run.themes_created = outcome.created
            run.themes_updated = outcome.updated
            run.themes_closed = outcome.closed
            # Conditional: a run that another run marked abandoned stays abandoned,
            # and its writes roll back.
            if not running.update(
                status=run.status,
                finished_at=run.finished_at,
                signals_read=run.signals_read,
                signals_changed=run.signals_changed,
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
