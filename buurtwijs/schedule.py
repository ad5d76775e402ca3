"""Celery beat schedule, kept in code so every deploy runs the same jobs."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "purge-expired-invitations": {
        "task": "accounts.tasks.purge_expired_invitations",
        "schedule": crontab(hour=3, minute=15),
    },
}
