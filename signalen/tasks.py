"""Celery tasks of the signalen app."""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task
from celery.signals import celeryd_after_setup, worker_ready, worker_shutdown

from outbox.base import Outboxed

# --- Privacy scrubber (signalen/intake/scrubbing.py) -------------------------------------------
# Runs on the queue "scrub" (CELERY_TASK_ROUTES), served by its own worker that holds deduce
# (~1 GB): `celery -A buurtwijs worker -Q scrub --pool solo -c 1`. Keep this task thin.


class _ShortLivedResultTask(Task):  # type: ignore[misc]
    """A task whose result (it holds unscrubbed text) expires after 60 s in Redis."""

    def after_return(
        self,
        status: str,
        retval: Any,
        task_id: str,
        args: Any,
        kwargs: Any,
        einfo: Any,
    ) -> None:
        from signalen.intake.scrubbing import RESULT_EXPIRES

        backend = self.backend
        if hasattr(backend, "expire") and hasattr(backend, "get_key_for_task"):
            backend.expire(backend.get_key_for_task(task_id), RESULT_EXPIRES)


# --- The scrub worker loads its models when it starts, not in the first request ------

_SCRUB_WORKER = {"is": False}


@celeryd_after_setup.connect
def _scrub_worker_preload(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A worker that serves the scrub queue loads deduce, the name lexicon and the
    sentence model before it takes a task (prefork children inherit them), so the
    first signal after a start is as fast as the second. Other workers load none of
    them (deduce alone holds about 1 GB)."""
    import logging
    import os

    from signalen.intake.scrub import warm
    from signalen.intake.scrubbing import SCRUB_QUEUE

    queues = instance.app.amqp.queues.consume_from or {}
    if SCRUB_QUEUE not in queues:
        return
    _SCRUB_WORKER["is"] = True
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # one thread per worker process
    warm()
    from signalen.themes.embedding import preload

    try:
        preload()
    except Exception:  # a worker without the model still scrubs; embedding retries
        logging.getLogger(__name__).exception("could not load the sentence model")


@worker_ready.connect
def _scrub_worker_ready(**kwargs: Any) -> None:
    if _SCRUB_WORKER["is"]:
        from signalen.intake.scrubbing import scrubber_ready_mark

        scrubber_ready_mark()


@worker_shutdown.connect
def _scrub_worker_gone(**kwargs: Any) -> None:
    if _SCRUB_WORKER["is"]:
        from signalen.intake.scrubbing import scrubber_ready_mark

        scrubber_ready_mark(ready=False)


@shared_task(
    name="signalen.tasks.scrub_text_task",
    base=_ShortLivedResultTask,
    ignore_result=False,
    acks_late=False,  # a lost message is better than a re-run on stale text
    time_limit=120,  # the first task of a fresh worker loads deduce (5-13 s)
    soft_time_limit=110,
)
def scrub_text_task(key_id: str, sealed: str) -> str | None:
    """Scrub one sealed signal text; the sealed answer includes the removed originals
    for the author. None when the seal expired (see signalen/intake/scrubbing.py)."""
    from signalen.intake.scrubbing import scrub_sealed

    return scrub_sealed(key_id, sealed)


@shared_task(
    name="signalen.tasks.signal_scrub_pending_task",
    acks_late=True,  # a signal saved sealed must be scrubbed, even after a crash
    # Nobody waits for its answer: with a result, every web request that queues it
    # would also subscribe to the result channel in Redis.
    ignore_result=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=10,
    time_limit=120,
    soft_time_limit=110,
)
def signal_scrub_pending_task(signaal_id: int) -> bool:
    """Scrub a signal saved sealed while the scrubber was away (idempotent)."""
    from signalen.intake.services import signal_scrub_pending

    return signal_scrub_pending(signaal_id=signaal_id)


@shared_task(name="signalen.tasks.scrub_pending_sweep", acks_late=True)
def scrub_pending_sweep() -> int:
    """Every minute: send the scrub again for sealed signals still waiting (a task
    lost with a broker outage, or sent while no worker ran)."""
    from signalen.intake.services import pending_scrub_ids, pending_scrub_send

    ids = pending_scrub_ids()
    for signaal_id in ids:
        pending_scrub_send(signaal_id)
    return len(ids)


# --- Other signalen tasks below ---------------------------------------------------------


@shared_task(name="signalen.tasks.wipe_old_signal_text", acks_late=True)
def wipe_old_signal_text() -> int:
    """Daily: clear signal text older than SIGNAL_TEXT_RETENTION_DAYS (idempotent)."""
    from signalen.intake.services import signal_text_wipe_expired

    return signal_text_wipe_expired()


# --- Roll-up (signalen/themes/runs.py) -------------------------------------------------

_TRANSIENT: tuple[type[BaseException], ...]
try:
    from django.db import InterfaceError, OperationalError
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    _TRANSIENT = (
        OperationalError,
        InterfaceError,
        RedisConnectionError,
        RedisTimeoutError,
    )
except ImportError:  # pragma: no cover - redis is a dependency
    from django.db import InterfaceError, OperationalError

    _TRANSIENT = (OperationalError, InterfaceError)


@shared_task(
    bind=True,
    base=Outboxed,  # the nightly runs go through the outbox
    name="signalen.tasks.rollup_wijk_task",
    acks_late=True,
    autoretry_for=_TRANSIENT,
    retry_backoff=10,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
    time_limit=10 * 60,  # below ROLLUP_LOCK_TTL, so a killed run's lock has expired
    soft_time_limit=9 * 60,
)
def rollup_wijk_task(
    self: Task,
    wijk_id: int,
    trigger: str = "intake",
    recluster: bool = False,
    pending: bool = False,
    as_of: str | None = None,
) -> int | None:
    """Roll up one wijk. Waits (retries later) while another run holds the wijk.

    `pending`: sent after intake with a countdown; it runs only if the wijk's due row
    is still there (the beat sweep may have started the run already). `as_of` (ISO
    date, default today): the last day of the window. Returns the run's id, or None
    when the wijk no longer exists or there was nothing to do."""
    import datetime

    from signalen.intake.schedule import debounce_seconds, pending_claim, pending_clear
    from signalen.themes.runs import RollupBusy, rollup_wijk
    from wijken.models import Wijk

    # New signals from now on need a new run: let them schedule one.
    if pending and not self.request.retries:
        if not pending_claim(wijk_id):
            return None
    else:
        pending_clear(wijk_id)
    wijk = Wijk.objects.filter(pk=wijk_id).first()
    if wijk is None:
        return None
    try:
        run = rollup_wijk(
            wijk,
            trigger=trigger,
            recluster=recluster,
            task_id=self.request.id or "",
            as_of=datetime.date.fromisoformat(as_of) if as_of else None,
        )
    except RollupBusy as busy:
        raise self.retry(
            exc=busy, countdown=max(5, debounce_seconds()), max_retries=20
        ) from busy
    return run.pk


@shared_task(name="signalen.tasks.rollup_sweep", acks_late=True)
def rollup_sweep() -> dict:
    """Every minute: mark killed runs abandoned (no heartbeat for two minutes) and
    start the due roll-ups whose countdown task was lost (signalen/intake/schedule.py)."""
    from signalen.intake.schedule import rollup_sweep as sweep

    return sweep()


@shared_task(name="signalen.tasks.rollup_nightly", acks_late=True)
def rollup_nightly() -> int:
    """Nightly: queue a run for every wijk with signals or themes. Each run does only
    what changed (signalen/themes/increments.py): a wijk where nothing changed is
    skipped, a big one takes in its new signals, the members that left the window and
    the new day's trends incrementally, and a full run follows once much was taken in
    that way. It does not re-cluster from scratch: in a big wijk that would reshuffle
    themes the team already works with (measured: bench/README.md)."""
    from outbox.services import outbox_send
    from signalen.themes.runs import wijken_to_roll_up

    wijk_ids = wijken_to_roll_up()
    for wijk_id in wijk_ids:
        # Through the outbox: a run lost with a worker or Redis is sent again.
        outbox_send(rollup_wijk_task, wijk_id, trigger="nightly", recluster=False)
    return len(wijk_ids)


# --- Beleidssignalen (signalen/escalations/services.py) -----------------------------------------


@shared_task(
    name="signalen.tasks.escalation_notify_task",
    base=Outboxed,
    acks_late=True,
    autoretry_for=_TRANSIENT,
    retry_backoff=30,
    max_retries=5,
)
def escalation_notify_task(escalatie_id: int, event: str) -> int:
    """Mail about one step of an escalation (new: officers; answered: the team)."""
    from signalen.escalations.services import escalation_notify

    return escalation_notify(escalatie_id=escalatie_id, event=event)


@shared_task(name="signalen.tasks.escalation_send_reminders", acks_late=True)
def escalation_send_reminders() -> int:
    """Daily: remind officers of escalations that wait too long (once per interval)."""
    from signalen.escalations.services import (
        escalation_send_reminders as send_reminders,
    )

    return send_reminders()


# --- Notifications (signalen/answers/notifications.py) -----------------------------------------


@shared_task(
    name="signalen.tasks.call_notify_task",
    base=Outboxed,
    acks_late=True,
    autoretry_for=_TRANSIENT,
    retry_backoff=30,
    max_retries=5,
)
def call_notify_task(thema_id: int) -> int:
    """Mail the residents of the wijk about a theme newly published as a call."""
    from signalen.answers.notifications import call_notify

    return call_notify(thema_id=thema_id)


@shared_task(name="signalen.tasks.goal_deadline_notices", acks_late=True)
def goal_deadline_notices() -> int:
    """Daily: tell teams that a goal's deadline is near (once per goal and deadline)."""
    from signalen.goals.services import goal_deadline_notices as send_notices

    return send_notices()


@shared_task(
    name="signalen.tasks.goal_comment_notify_task",
    base=Outboxed,
    acks_late=True,
    autoretry_for=_TRANSIENT,
    retry_backoff=30,
    max_retries=5,
)
def goal_comment_notify_task(reactie_id: int) -> int:
    """Tell the other side of a wijk goal about a new comment."""
    from signalen.goals.notifications import goal_comment_notify

    return goal_comment_notify(reactie_id=reactie_id)


# --- Sentence vectors (signalen/themes/vectors.py) -------------------------------------------
# On the queue "scrub": that worker preloads the model at start (buurtwijs/celery.py).


@shared_task(name="signalen.tasks.embed_signal_task", acks_late=True, base=Outboxed)
def embed_signal_task(signaal_id: int) -> bool:
    """Store the sentence vector and stems of one saved signal."""
    from signalen.themes.vectors import signal_embed

    return signal_embed(signaal_id)
