"""One roll-up shortly after intake, debounced per wijk in the database.

The debounce is a RollupPending row per wijk (durable: it survives a worker, broker or
cache that goes away). After intake commits the row is written (the first signal of a
burst sets its time; the rest find it) and, as a fast path, a countdown task is sent.
Every minute the beat sweep (`rollup_sweep`) starts the due rows whose task was lost.
Whichever comes first deletes the row and runs; the other finds nothing to do.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from signalen.models import (
    RollupPending,
    RollupRun,
)

log = logging.getLogger(__name__)


def lock_ttl() -> int:
    return int(getattr(settings, "ROLLUP_LOCK_TTL", 15 * 60))


def debounce_seconds() -> int:
    return int(getattr(settings, "ROLLUP_DEBOUNCE_SECONDS", 120))


def heartbeat_stale_seconds() -> int:
    return int(getattr(settings, "ROLLUP_HEARTBEAT_STALE_SECONDS", 120))


def pending_add(wijk_id: int, *, due_at: datetime.datetime | None = None) -> bool:
    """Make a roll-up of the wijk due (at `due_at`, default after the debounce) unless
    one is due already. Returns True when this call added it."""
    due_at = due_at or timezone.now() + datetime.timedelta(seconds=debounce_seconds())
    try:
        with transaction.atomic():
            _, created = RollupPending.objects.get_or_create(
                wijk_id=wijk_id, defaults={"due_at": due_at}
            )
    except IntegrityError:  # a concurrent intake added it (or the wijk is gone)
        return False
    return created


def pending_claim(wijk_id: int) -> bool:
    """Take the wijk's due roll-up: delete its row. False when there is none (another
    task or the sweep took it) or another worker is taking it right now."""
    with transaction.atomic():
        row = (
            RollupPending.objects.select_for_update(skip_locked=True)
            .filter(wijk_id=wijk_id)
            .first()
        )
        if row is None:
            return False
        row.delete()
    return True


def pending_clear(wijk_id: int) -> None:
    RollupPending.objects.filter(wijk_id=wijk_id).delete()


def rollup_schedule_after_intake(wijk_id: int) -> bool:
    """After the caller's commit, make one run of the wijk due a little later, unless
    one is already due.

    A burst of 200 signals gives one run: the first to commit adds the due row, the
    rest find it. The row is added after the commit, so a rolled-back signal adds none.
    A broker that is down is logged and otherwise ignored: the row stays and the beat
    sweep starts the run. Returns False when nothing will be scheduled (intake runs
    off, or a run is due already).
    """
    if not getattr(settings, "ROLLUP_AFTER_INTAKE", True):
        return False
    if RollupPending.objects.filter(wijk_id=wijk_id).exists():
        return False

    def send() -> None:
        from signalen.tasks import rollup_wijk_task

        try:
            if not pending_add(wijk_id):
                return
        except Exception:  # the database went away after the commit: nightly run
            log.warning("could not mark wijk %s for a roll-up", wijk_id, exc_info=True)
            return
        try:
            rollup_wijk_task.apply_async(
                args=(wijk_id,),
                kwargs={"trigger": RollupRun.Trigger.INTAKE, "pending": True},
                countdown=debounce_seconds(),
            )
        except Exception:  # broker down: the beat sweep starts it from the row
            log.warning(
                "could not send the roll-up of wijk %s after intake; the sweep will",
                wijk_id,
                exc_info=True,
            )

    transaction.on_commit(send)
    return True


def rollup_sweep(*, now: datetime.datetime | None = None, limit: int = 200) -> dict:
    """Every minute (beat): mark runs without a recent heartbeat abandoned (and make
    their wijk due again), then start the due roll-ups whose task never came.

    Two sweeps at once never take the same row (select_for_update skip_locked)."""
    from signalen.tasks import rollup_wijk_task

    now = now or timezone.now()
    abandoned = runs_abandon_silent(now=now)
    started: list[int] = []
    with transaction.atomic():
        rows = list(
            RollupPending.objects.select_for_update(skip_locked=True)
            .filter(due_at__lte=now)
            .order_by("due_at")
            .values_list("pk", "wijk_id")[:limit]
        )
        RollupPending.objects.filter(pk__in=[pk for pk, _ in rows]).delete()
    for _, wijk_id in rows:
        try:
            rollup_wijk_task.apply_async(
                args=(wijk_id,), kwargs={"trigger": RollupRun.Trigger.INTAKE}
            )
        except Exception:  # broker down: put it back for the next sweep
            log.warning("could not send the roll-up of wijk %s", wijk_id, exc_info=True)
            pending_add(wijk_id, due_at=now)
            continue
        started.append(wijk_id)
    return {"abandoned": abandoned, "started": started}


def runs_abandon_silent(*, now: datetime.datetime | None = None) -> int:
    """Mark running runs whose heartbeat (or start) is older than the stale limit
    abandoned: their worker was killed. Their wijk is made due again, so what they
    would have written is not lost. A run that is in fact still alive finds itself
    abandoned at its final save and rolls back."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(seconds=heartbeat_stale_seconds())
    silent = RollupRun.objects.filter(status=RollupRun.Status.RUNNING).filter(
        _silent(limit)
    )
    wijk_ids = set(silent.values_list("wijk_id", flat=True))
    count = silent.update(
        status=RollupRun.Status.ABANDONED,
        finished_at=now,
        error="De worker gaf geen teken van leven meer; er is niets half opgeslagen.",
    )
    for wijk_id in wijk_ids:
        pending_add(wijk_id, due_at=now)
    if count:
        log.warning("marked %s silent roll-up run(s) abandoned", count)
    return count


def _silent(limit: datetime.datetime):  # type: ignore[no-untyped-def]
    from django.db.models import Q

    return Q(heartbeat_at__lt=limit) | Q(
        heartbeat_at__isnull=True, started_at__lt=limit
    )
