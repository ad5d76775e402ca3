"""The outbox's sweep (beat, every minute): thin, the work is in outbox/services.py."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="outbox.tasks.outbox_sweep", acks_late=True)
def outbox_sweep() -> dict[str, int]:
    from outbox.services import outbox_sweep as sweep

    return sweep()
