"""Celery tasks of the peilingen app: thin, they call peilingen/services.py."""

from __future__ import annotations

from celery import shared_task


@shared_task(
    name="peilingen.tasks.answer_scrub_pending_task",
    acks_late=True,  # an answer saved sealed must be scrubbed, even after a crash
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=10,
    time_limit=120,
    soft_time_limit=110,
)
def answer_scrub_pending_task(antwoord_id: int) -> bool:
    """Scrub an open answer saved sealed while the scrubber was away (idempotent)."""
    from peilingen.services import answer_scrub_pending

    return answer_scrub_pending(antwoord_id=antwoord_id)


@shared_task(name="peilingen.tasks.answer_scrub_pending_sweep", acks_late=True)
def answer_scrub_pending_sweep() -> int:
    """Every minute: send the scrub again for sealed answers still waiting."""
    from peilingen.services import pending_answer_ids, pending_scrub_send

    ids = pending_answer_ids()
    pending_scrub_send(ids)
    return len(ids)


@shared_task(name="peilingen.tasks.close_due_surveys", acks_late=True)
def close_due_surveys() -> int:
    """Nightly: close the surveys whose last day has passed (idempotent)."""
    from peilingen.services import peilingen_close_due

    return peilingen_close_due()
