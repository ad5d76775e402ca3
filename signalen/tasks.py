"""Celery tasks of the signalen app."""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task

# --- Privacy scrubber (signalen/scrubbing.py) -------------------------------------------
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
        from signalen.scrubbing import RESULT_EXPIRES

        backend = self.backend
        if hasattr(backend, "expire") and hasattr(backend, "get_key_for_task"):
            backend.expire(backend.get_key_for_task(task_id), RESULT_EXPIRES)


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
    for the author. None when the seal expired (see signalen/scrubbing.py)."""
    from signalen.scrubbing import scrub_sealed

    return scrub_sealed(key_id, sealed)


# --- Other signalen tasks below ---------------------------------------------------------


@shared_task(name="signalen.tasks.wipe_old_signal_text", acks_late=True)
def wipe_old_signal_text() -> int:
    """Daily: clear signal text older than SIGNAL_TEXT_RETENTION_DAYS (idempotent)."""
    from signalen.services import signal_text_wipe_expired

    return signal_text_wipe_expired()
