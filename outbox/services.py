"""The outbox: background tasks that people wait for survive a killed worker and a
Redis restart.

Celery on Redis keeps a message only in Redis: a worker killed with SIGKILL gives its
tasks back only after kombu's visibility timeout (an hour), and a Redis restarted
without persistence (docker-compose.yml) loses every queued task for good. So a task
that someone waits for (a mail, a data download, taking names out of open data) is
written down first:

- ``outbox_send(task, *args, **kwargs)`` writes an OutboxTask row in the caller's
  transaction (no row without the change it is about, no change without its row) and
  sends the task after the commit, with the row's id as the task id. A broker that is
  down is logged; the row stays.
- A task with ``base=Outboxed`` (outbox/base.py) claims its row when it starts (a
  second copy of the message finds it claimed or done and does nothing), marks it done
  when it succeeds, and moves its due time past a retry's countdown.
- ``outbox_sweep`` (beat, every minute; `run_schedule` in the demo) sends every row
  that is due and not done again: its message was lost. A row gets OUTBOX_GRACE_SECONDS
  to start, and once started the task's time limit plus that grace to finish. After
  OUTBOX_MAX_RUNS runs that died or failed it is given up (logged as an error).

Tasks must be safe to run twice (STYLE.md): the claim stops two copies at once, but a
worker killed after its mails went out and before it marked the row done sends them
again. Done rows are kept a day (longer than the visibility timeout, so a copy that
comes back late finds its row done), with their arguments emptied.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from typing import Any

from celery import Task, current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from outbox.models import OutboxTask

log = logging.getLogger(__name__)

KEEP_DONE = datetime.timedelta(days=1)
RESEND_MAX = datetime.timedelta(hours=1)


def grace() -> datetime.timedelta:
    return datetime.timedelta(
        seconds=int(getattr(settings, "OUTBOX_GRACE_SECONDS", 180))
    )


def max_runs() -> int:
    return int(getattr(settings, "OUTBOX_MAX_RUNS", 5))


def outbox_send(task: Task, *args: Any, **kwargs: Any) -> OutboxTask:
    """Write the task down now and send it once the caller's transaction commits.
    Arguments are ids, ISO dates and short strings (JSON)."""
    row = OutboxTask.objects.create(
        name=task.name,
        args=list(args),
        kwargs=kwargs,
        due_at=timezone.now() + grace(),
    )
    transaction.on_commit(lambda: _publish(row))
    return row


def _publish(row: OutboxTask) -> bool:
    """Send the row's task with the row's id; False (logged) when that failed."""
    try:
        current_app.tasks[row.name].apply_async(
            args=row.args, kwargs=row.kwargs, task_id=str(row.pk), retry=False
        )
    except Exception:  # broker down (or, eager, the task failed): the sweep sends it
        log.warning("could not send task %s (%s)", row.name, row.pk, exc_info=True)
        return False
    OutboxTask.objects.filter(pk=row.pk).update(sent=F("sent") + 1)
    return True


def outbox_sweep(*, now: datetime.datetime | None = None, limit: int = 500) -> dict:
    """Send the due rows again (their message was lost), give up on rows that ran
    OUTBOX_MAX_RUNS times, and remove done rows older than a day."""
    now = now or timezone.now()
    resent = given_up = 0
    due = list(
        OutboxTask.objects.filter(done_at__isnull=True, due_at__lte=now).order_by(
            "due_at"
        )[:limit]
    )
    for row in due:
        still_due = OutboxTask.objects.filter(
            pk=row.pk, done_at__isnull=True, due_at=row.due_at
        )
        if row.runs >= max_runs():
            if still_due.update(done_at=now, gave_up=True):
                log.error(
                    "gave up on task %s (%s) after %s runs", row.name, row.pk, row.runs
                )
                given_up += 1
            continue
        # Move the due time first, so a second sweep at the same moment skips it. A
        # run started before is over (its time limit has passed): the copy sent now
        # may take the row.
        wait = min(grace() * 2 ** min(row.sent, 10), RESEND_MAX)
        if not still_due.update(due_at=now + wait, started_at=None):
            continue
        if _publish(row):
            resent += 1
    removed, _ = OutboxTask.objects.filter(done_at__lt=now - KEEP_DONE).delete()
    return {"resent": resent, "given_up": given_up, "removed": removed}


# --- The task's side (outbox/base.py) -------------------------------------------------


def _row_id(task_id: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(task_id))
    except ValueError:
        return None


def claim(task_id: str | None, *, time_limit: float, retrying: bool) -> bool | None:
    """At the start of a task: None when it has no row (not sent through the
    outbox: it simply runs), True when this copy may run, False when the row is done,
    given up, or another copy runs it now."""
    pk = _row_id(task_id)
    if pk is None or not OutboxTask.objects.filter(pk=pk).exists():
        return None
    now = timezone.now()
    free = OutboxTask.objects.filter(pk=pk, done_at__isnull=True)
    if not retrying:  # a retry is the copy that ran before: it holds the row
        free = free.filter(Q(started_at__isnull=True) | Q(due_at__lte=now))
    return bool(
        free.update(
            started_at=now,
            runs=F("runs") + 1,
            due_at=now + datetime.timedelta(seconds=time_limit) + grace(),
        )
    )


def done(task_id: str | None) -> None:
    """The task succeeded: mark its row done and forget its arguments."""
    pk = _row_id(task_id)
    if pk is None:
        return
    OutboxTask.objects.filter(pk=pk).update(done_at=timezone.now(), args=[], kwargs={})


def postpone(task_id: str | None, *, seconds: float) -> None:
    """The task will retry in `seconds`: leave it that long (and the grace)."""
    pk = _row_id(task_id)
    if pk is None:
        return
    OutboxTask.objects.filter(pk=pk, done_at__isnull=True).update(
        due_at=timezone.now() + datetime.timedelta(seconds=seconds) + grace()
    )


def failed(task_id: str | None) -> None:
    """The task raised: the sweep tries again after a wait that grows per run."""
    pk = _row_id(task_id)
    if pk is None:
        return
    row = OutboxTask.objects.filter(pk=pk, done_at__isnull=True).first()
    if row is None:
        return
    wait = min(grace() * 2 ** max(row.runs - 1, 0), RESEND_MAX)
    OutboxTask.objects.filter(pk=row.pk, done_at__isnull=True).update(
        due_at=timezone.now() + wait
    )
