"""Celery tasks of the bewonersagenda: thin, they call bewonersagenda/services.py."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError
from kombu.exceptions import OperationalError as KombuOperationalError

from outbox.base import Outboxed

_TRANSIENT = (OperationalError, KombuOperationalError, ConnectionError, TimeoutError)


@shared_task(
    name="bewonersagenda.tasks.agendapunt_notify_task",
    acks_late=True,
    autoretry_for=_TRANSIENT,
    retry_backoff=30,
    max_retries=5,
    base=Outboxed,
)
def agendapunt_notify_task(agendapunt_id: int, event: str) -> int:
    """Tell about a concern that reached its threshold, or was answered (idempotent:
    notices are once per person per step)."""
    from bewonersagenda.services import agendapunt_notify

    return agendapunt_notify(agendapunt_id=agendapunt_id, event=event)


@shared_task(name="bewonersagenda.tasks.agendapunt_send_reminders", acks_late=True)
def agendapunt_send_reminders() -> int:
    """Daily: remind officers of concerns that wait too long for an answer."""
    from bewonersagenda.services import agendapunt_send_reminders as send

    return send()
