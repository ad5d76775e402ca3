"""Celery tasks of the wijkbudget: thin, ids in, a function does the work."""

from __future__ import annotations

from celery import shared_task

from outbox.base import Outboxed
from outbox.services import outbox_send
from wijkbudget import notifications


@shared_task(name="wijkbudget.tasks.ronde_open_notify", acks_late=True, base=Outboxed)
def ronde_open_notify(ronde_id: int) -> int:
    return notifications.ronde_open_notify(ronde_id=ronde_id)


@shared_task(name="wijkbudget.tasks.rondes_opened_notify", acks_late=True)
def rondes_opened_notify() -> int:
    """Daily: tell the residents of each wijk whose round takes requests from today."""
    ids = notifications.rondes_opened_today()
    for pk in ids:
        outbox_send(ronde_open_notify, pk)
    return len(ids)


@shared_task(name="wijkbudget.tasks.besluit_notify", acks_late=True, base=Outboxed)
def besluit_notify(aanvraag_id: int) -> int:
    return notifications.besluit_notify(aanvraag_id=aanvraag_id)
