"""Celery beat schedule, kept in code so every deploy runs the same jobs."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "purge-expired-invitations": {
        "task": "accounts.tasks.purge_expired_invitations",
        "schedule": crontab(hour=3, minute=15),
    },
    "initiatieven-send-due-reminders": {
        "task": "initiatieven.tasks.send_due_reminders",
        "schedule": crontab(minute=5),
    },
    "initiatieven-send-digests": {
        "task": "initiatieven.tasks.send_digests",
        "schedule": crontab(hour=7, minute=30),
    },
    "signalen-wipe-old-signal-text": {
        "task": "signalen.tasks.wipe_old_signal_text",
        "schedule": crontab(hour=3, minute=40),
    },
    # Signals saved sealed while the scrubber was away get scrubbed within minutes.
    "signalen-scrub-pending-sweep": {
        "task": "signalen.tasks.scrub_pending_sweep",
        "schedule": crontab(minute="*"),
    },
    # Open answers of a wijkpeiling saved sealed, likewise.
    "peilingen-scrub-pending-sweep": {
        "task": "peilingen.tasks.answer_scrub_pending_sweep",
        "schedule": crontab(minute="*"),
    },
    # Wijkpeilingen whose last day has passed close, so their results can be read.
    "peilingen-close-due": {
        "task": "peilingen.tasks.close_due_surveys",
        "schedule": crontab(hour=0, minute=15),
    },
    # Roll-ups due after intake whose task was lost, and runs whose worker was killed.
    "signalen-rollup-sweep": {
        "task": "signalen.tasks.rollup_sweep",
        "schedule": crontab(minute="*"),
    },
    # Tasks someone waits for whose message was lost (outbox/services.py).
    "outbox-sweep": {
        "task": "outbox.tasks.outbox_sweep",
        "schedule": crontab(minute="*"),
    },
    "signalen-rollup-nightly": {
        "task": "signalen.tasks.rollup_nightly",
        "schedule": crontab(hour=2, minute=30),
    },
    "signalen-escalation-reminders": {
        "task": "signalen.tasks.escalation_send_reminders",
        "schedule": crontab(hour=8, minute=10),
    },
    # Residents' concerns past the answer time of a beleidssignaal.
    "bewonersagenda-reminders": {
        "task": "bewonersagenda.tasks.agendapunt_send_reminders",
        "schedule": crontab(hour=8, minute=15),
    },
    # Tomorrow's wijkgesprek and its agreements that are due, to all three sides.
    "wijkgesprek-reminders": {
        "task": "wijkgesprek.tasks.wijkgesprek_send_reminders",
        "schedule": crontab(minute=25),
    },
    "avg-inactive-accounts": {
        "task": "buurtwijs.tasks.avg_inactive_accounts",
        "schedule": crontab(hour=4, minute=10),
    },
    "signalen-goal-deadline-notices": {
        "task": "signalen.tasks.goal_deadline_notices",
        "schedule": crontab(hour=8, minute=20),
    },
    # Residents hear of a budget round on the day it takes requests.
    "wijkbudget-rondes-opened": {
        "task": "wijkbudget.tasks.rondes_opened_notify",
        "schedule": crontab(hour=8, minute=30),
    },
    "dashboard-build-open-data": {
        "task": "dashboard.tasks.build_open_data",
        "schedule": crontab(hour=4, minute=40),
    },
}
