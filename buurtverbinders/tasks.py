"""Celery tasks of buurtverbinders: thin, they call buurtverbinders/services.py."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError
from kombu.exceptions import OperationalError as KombuOperationalError

from outbox.base import Outboxed

_TRANSIENT = (OperationalError, KombuOperationalError, ConnectionError, TimeoutError)


@shared_task(
    name="buurtverbinders.tasks.verbinder_notify_task",
    acks_late=True,
    autoretry_for=_TRANSIENT,
    retry_backoff=30,
    max_retries=5,
    base=Outboxed,
)
def verbinder_notify_task(event: str, pk: int) -> int:
    """Tell about a granted role, a welcome request, a proposed or made match
    (idempotent: notices are once per person per step)."""
    from buurtverbinders.services import verbinder_notify

    return verbinder_notify(event=event, pk=pk)
