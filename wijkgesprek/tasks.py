"""Celery tasks of the wijkgesprek: thin, they call wijkgesprek/services.py."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError
from kombu.exceptions import OperationalError as KombuOperationalError

from outbox.base import Outboxed

_TRANSIENT = (OperationalError, KombuOperationalError, ConnectionError, TimeoutError)


@shared_task(
    name="wijkgesprek.tasks.wijkgesprek_notify_task",
    acks_late=True,
    autoretry_for=_TRANSIENT,
    retry_backoff=30,
    max_retries=5,
    base=Outboxed,
)
def wijkgesprek_notify_task(kind: str, pk: int) -> int:
    """Tell all sides of a planned meeting or tomorrow's meeting, or the owning side
    of an agreement that is due (idempotent: notices are once per person per step)."""
    from wijkgesprek.services import wijkgesprek_notify

    return wijkgesprek_notify(kind=kind, pk=pk)


@shared_task(name="wijkgesprek.tasks.wijkgesprek_send_reminders", acks_late=True)
def wijkgesprek_send_reminders() -> int:
    """Hourly: remind of tomorrow's meetings and agreements that are due."""
    from wijkgesprek.services import wijkgesprek_send_reminders as send

    return send()
