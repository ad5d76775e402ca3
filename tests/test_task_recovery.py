"""Every Celery task, and how its work survives a killed worker or a Redis restart.

A message Redis holds comes back only after kombu's visibility timeout (an hour) when
its worker was killed, and not at all when Redis restarts without persistence (as in
docker-compose.yml). So nothing a person waits for may depend on the message: each task
is one of

- OUTBOX: written down with its change and sent again by the outbox sweep
  (outbox/services.py) within minutes;
- SWEPT: its work is a durable row (named here) that a sweep on beat picks up;
- BEAT: a scheduled job, idempotent; a lost run is made good by the next one;
- REQUEST: run while a request waits for it, with a fallback when it does not answer;
- INTERNAL: nobody waits for it.

A new task fails this test until it is given its place here, on purpose.
"""

from __future__ import annotations

import pytest

from buurtwijs.celery import app
from buurtwijs.schedule import BEAT_SCHEDULE
from outbox.base import Outboxed

OUTBOX, SWEPT, BEAT, REQUEST, INTERNAL = (
    "outbox",
    "swept",
    "beat",
    "request",
    "internal",
)

RECOVERY: dict[str, tuple[str, str]] = {
    # Mails and downloads people wait for.
    "initiatieven.tasks.notify_bericht": (OUTBOX, "news mail to followers"),
    "initiatieven.tasks.notify_bijeenkomst": (OUTBOX, "new meeting mail"),
    "initiatieven.tasks.notify_bijeenkomst_cancelled": (OUTBOX, "meeting off mail"),
    "initiatieven.tasks.notify_owner_hidden": (OUTBOX, "moderation mail"),
    "initiatieven.tasks.notify_beheerders_reported": (OUTBOX, "moderation mail"),
    "initiatieven.tasks.send_digest": (OUTBOX, "one person's digest"),
    "signalen.tasks.call_notify_task": (OUTBOX, "public call mail"),
    "signalen.tasks.escalation_notify_task": (OUTBOX, "beleidssignaal mail"),
    "signalen.tasks.goal_comment_notify_task": (OUTBOX, "goal comment mail"),
    "signalen.tasks.embed_signal_task": (OUTBOX, "a signal's vector"),
    "buurtwijs.tasks.avg_export_build": (OUTBOX, "data download mail"),
    "dashboard.tasks.open_data_forget": (OUTBOX, "names out of open data"),
    "wijkbudget.tasks.ronde_open_notify": (OUTBOX, "budget round open mail"),
    "wijkbudget.tasks.besluit_notify": (OUTBOX, "budget decision mail"),
    "bewonersagenda.tasks.agendapunt_notify_task": (OUTBOX, "concern threshold/answer"),
    "wijkgesprek.tasks.wijkgesprek_notify_task": (OUTBOX, "wijkgesprek notices"),
    "buurtverbinders.tasks.verbinder_notify_task": (
        OUTBOX,
        "connector role/match mail",
    ),
    # Durable rows swept every minute (or hour).
    "signalen.tasks.rollup_wijk_task": (
        SWEPT,
        "RollupPending + heartbeat, signalen-rollup-sweep; nightly runs: outbox",
    ),
    "signalen.tasks.signal_scrub_pending_task": (
        SWEPT,
        "Signaal.scrub_pending, signalen-scrub-pending-sweep",
    ),
    "peilingen.tasks.answer_scrub_pending_task": (
        SWEPT,
        "Antwoord sealed + pending, peilingen-scrub-pending-sweep",
    ),
    "initiatieven.tasks.send_meeting_reminder": (
        SWEPT,
        "Bijeenkomst.reminded_at IS NULL, initiatieven-send-due-reminders",
    ),
    "initiatieven.tasks.send_afspraak_reminder": (
        SWEPT,
        "Afspraak.reminded_at IS NULL, initiatieven-send-due-reminders",
    ),
    # Scheduled, idempotent.
    "accounts.tasks.purge_expired_invitations": (BEAT, "purge-expired-invitations"),
    "buurtwijs.tasks.avg_inactive_accounts": (BEAT, "avg-inactive-accounts"),
    "dashboard.tasks.build_open_data": (BEAT, "dashboard-build-open-data"),
    "initiatieven.tasks.send_digests": (BEAT, "initiatieven-send-digests"),
    "initiatieven.tasks.send_due_reminders": (BEAT, "initiatieven-send-due-reminders"),
    "signalen.tasks.escalation_send_reminders": (BEAT, "signalen-escalation-reminders"),
    "signalen.tasks.goal_deadline_notices": (BEAT, "signalen-goal-deadline-notices"),
    "signalen.tasks.wipe_old_signal_text": (BEAT, "signalen-wipe-old-signal-text"),
    "signalen.tasks.rollup_nightly": (BEAT, "signalen-rollup-nightly"),
    "signalen.tasks.rollup_sweep": (BEAT, "signalen-rollup-sweep"),
    "signalen.tasks.scrub_pending_sweep": (BEAT, "signalen-scrub-pending-sweep"),
    "outbox.tasks.outbox_sweep": (BEAT, "outbox-sweep"),
    "wijkbudget.tasks.rondes_opened_notify": (BEAT, "wijkbudget-rondes-opened"),
    "bewonersagenda.tasks.agendapunt_send_reminders": (
        BEAT,
        "bewonersagenda-reminders",
    ),
    "wijkgesprek.tasks.wijkgesprek_send_reminders": (BEAT, "wijkgesprek-reminders"),
    "peilingen.tasks.close_due_surveys": (BEAT, "peilingen-close-due"),
    "peilingen.tasks.answer_scrub_pending_sweep": (
        BEAT,
        "peilingen-scrub-pending-sweep",
    ),
    # The intake request waits at most INTAKE_SCRUB_TIMEOUT, then saves the signal
    # sealed (scrub_pending): signal_scrub_pending_task and its sweep take over.
    "signalen.tasks.scrub_text_task": (REQUEST, "sealed + scrub_pending on timeout"),
    "buurtwijs.ping": (INTERNAL, "/health/ and the worker tests"),
}

SWEEPS = {
    "signalen.tasks.rollup_wijk_task": "signalen-rollup-sweep",
    "signalen.tasks.signal_scrub_pending_task": "signalen-scrub-pending-sweep",
    "peilingen.tasks.answer_scrub_pending_task": "peilingen-scrub-pending-sweep",
    "initiatieven.tasks.send_meeting_reminder": "initiatieven-send-due-reminders",
    "initiatieven.tasks.send_afspraak_reminder": "initiatieven-send-due-reminders",
}


def registered() -> set[str]:
    app.loader.import_default_modules()
    return {name for name in app.tasks if not name.startswith(("celery.", "tests."))}


def test_every_task_has_its_way_back_after_a_killed_worker_or_a_redis_restart():
    assert set(RECOVERY) == registered(), (
        "give every new task its place in RECOVERY (tests/test_task_recovery.py)"
    )


@pytest.mark.parametrize(
    "name", sorted(n for n, (kind, _) in RECOVERY.items() if kind == OUTBOX)
)
def test_tasks_people_wait_for_go_through_the_outbox(name):
    assert isinstance(app.tasks[name], Outboxed)
    assert app.tasks[name].acks_late


@pytest.mark.parametrize(
    "name", sorted(n for n, (kind, _) in RECOVERY.items() if kind == BEAT)
)
def test_scheduled_tasks_are_on_beat(name):
    entry = BEAT_SCHEDULE[RECOVERY[name][1]]
    assert entry["task"] == name


@pytest.mark.parametrize(("name", "sweep"), sorted(SWEEPS.items()))
def test_swept_tasks_have_their_sweep_on_beat(name, sweep):
    assert RECOVERY[name][0] == SWEPT
    assert sweep in BEAT_SCHEDULE
