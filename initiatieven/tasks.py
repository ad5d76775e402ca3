"""Celery tasks for initiatives: thin, ids in, a service does the work."""

from __future__ import annotations

from celery import shared_task

from initiatieven import notifications, reminders
from outbox.base import Outboxed


@shared_task(name="initiatieven.tasks.send_meeting_reminder", acks_late=True)
def send_meeting_reminder(bijeenkomst_id: int) -> int:
    return reminders.meeting_remind(bijeenkomst_id=bijeenkomst_id)


@shared_task(name="initiatieven.tasks.send_afspraak_reminder", acks_late=True)
def send_afspraak_reminder(afspraak_id: int) -> int:
    return reminders.afspraak_remind(afspraak_id=afspraak_id)


@shared_task(name="initiatieven.tasks.send_due_reminders", acks_late=True)
def send_due_reminders() -> int:
    """Hourly: queue one task per meeting or agreement that needs its reminder."""
    meetings = reminders.meetings_due()
    afspraken = reminders.afspraken_due()
    for pk in meetings:
        send_meeting_reminder.delay(pk)
    for pk in afspraken:
        send_afspraak_reminder.delay(pk)
    return len(meetings) + len(afspraken)


@shared_task(name="initiatieven.tasks.notify_bericht", acks_late=True, base=Outboxed)
def notify_bericht(bericht_id: int) -> int:
    return notifications.bericht_notify(bericht_id=bericht_id)


@shared_task(
    name="initiatieven.tasks.notify_bijeenkomst", acks_late=True, base=Outboxed
)
def notify_bijeenkomst(bijeenkomst_id: int) -> int:
    return notifications.bijeenkomst_notify(bijeenkomst_id=bijeenkomst_id)


@shared_task(
    name="initiatieven.tasks.notify_bijeenkomst_cancelled",
    acks_late=True,
    base=Outboxed,
)
def notify_bijeenkomst_cancelled(
    initiatief_id: int, actor_id: int | None, starts_at: str, place: str
) -> int:
    return notifications.bijeenkomst_cancelled_notify(
        initiatief_id=initiatief_id,
        actor_id=actor_id,
        starts_at=starts_at,
        place=place,
    )


@shared_task(name="initiatieven.tasks.send_digest", acks_late=True, base=Outboxed)
def send_digest(user_id: int) -> int:
    return notifications.digest_send(user_id=user_id)


@shared_task(name="initiatieven.tasks.send_digests", acks_late=True)
def send_digests() -> int:
    """Daily: one digest task per person with waiting news (through the outbox, so a
    digest lost with a worker or Redis goes out minutes later, not a day)."""
    from outbox.services import outbox_send

    users = notifications.digest_users()
    for pk in users:
        outbox_send(send_digest, pk)
    return len(users)


@shared_task(
    name="initiatieven.tasks.notify_owner_hidden", acks_late=True, base=Outboxed
)
def notify_owner_hidden(melding_id: int) -> int:
    from initiatieven.moderation import owner_hidden_notify

    return owner_hidden_notify(melding_id=melding_id)


@shared_task(
    name="initiatieven.tasks.notify_beheerders_reported", acks_late=True, base=Outboxed
)
def notify_beheerders_reported(melding_id: int) -> int:
    from initiatieven.moderation import beheerders_reported_notify

    return beheerders_reported_notify(melding_id=melding_id)
