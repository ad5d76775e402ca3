"""The durable debounce after intake (RollupPending swept by beat) and the heartbeat
that marks a killed run abandoned within minutes (issue #15 item 9)."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from buurtwijs.celery import app as celery_app
from buurtwijs.schedule import BEAT_SCHEDULE
from signalen import tasks
from signalen.intake import services
from signalen.intake.schedule import (
    pending_add,
    rollup_schedule_after_intake,
    rollup_sweep,
    runs_abandon_silent,
)
from signalen.intake.scrub.types import ScrubResult
from signalen.models import Bron, Categorie, RollupPending, RollupRun
from signalen.themes.runs import Heartbeat

pytestmark = pytest.mark.usefixtures("frozen_now")


def fake_scrub(text, keep=()):
    return ScrubResult(text=text, removals=())


def scrub_in_process(monkeypatch):
    """The scrub that follows every signal's commit, here and at once, with a fake
    scrubber (this file is about the roll-up it schedules)."""
    import signalen.intake.scrub as scrub_package

    monkeypatch.setattr(scrub_package, "scrub", fake_scrub)
    monkeypatch.setattr(
        services,
        "pending_scrub_send",
        lambda pk: services.signal_scrub_pending(signaal_id=pk),
    )


@pytest.fixture
def sent(settings, monkeypatch):
    """What would go to the broker, as with a real (non-eager) Celery."""
    settings.ROLLUP_AFTER_INTAKE = True
    settings.ROLLUP_DEBOUNCE_SECONDS = 120
    scrub_in_process(monkeypatch)
    calls: list[dict] = []

    def apply_async(args=None, kwargs=None, **options):
        calls.append({"args": tuple(args or ()), "kwargs": kwargs or {}, **options})

    monkeypatch.setattr(tasks.rollup_wijk_task, "apply_async", apply_async)
    return calls


def create_signal(author, wijk, text="Weer schimmel in de badkamer."):
    return services.signaal_create(
        author=author,
        wijk=wijk,
        categorie=Categorie.objects.get(code="wonen-woonoverlast"),
        bron=Bron.objects.get(code="huisbezoek"),
        text=text,
        observed_on=timezone.localdate(),
    )[0]


def later(seconds):
    return timezone.now() + datetime.timedelta(seconds=seconds)


# --- The durable debounce -------------------------------------------------------------


def test_a_signal_leaves_one_due_row_for_its_wijk_after_the_commit(
    wijk, professional, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            create_signal(professional, wijk, f"Schimmel {n}.")
    pending = RollupPending.objects.get(wijk=wijk)
    assert later(110) < pending.due_at <= later(121)
    assert len(sent) == 1


def test_a_lost_countdown_task_is_started_by_the_sweep_once_due(
    wijk, professional, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        create_signal(professional, wijk)
    sent.clear()  # the worker holding the countdown task dies: the task is lost

    assert rollup_sweep(now=later(60))["started"] == []
    assert RollupPending.objects.filter(wijk=wijk).exists()

    assert rollup_sweep(now=later(121))["started"] == [wijk.pk]
    assert sent == [{"args": (wijk.pk,), "kwargs": {"trigger": "intake"}}]
    assert not RollupPending.objects.filter(wijk=wijk).exists()


def test_when_the_sweep_came_first_the_countdown_task_finds_nothing_to_do(
    wijk, professional, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        create_signal(professional, wijk)
    rollup_sweep(now=later(121))

    result = tasks.rollup_wijk_task.apply(
        args=(wijk.pk,), kwargs={"trigger": "intake", "pending": True}
    ).get()

    assert result is None
    assert not RollupRun.objects.exists()


def test_when_the_countdown_task_came_first_the_sweep_finds_nothing_to_do(
    wijk, professional, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        create_signal(professional, wijk)
    run_id = tasks.rollup_wijk_task.apply(
        args=(wijk.pk,), kwargs={"trigger": "intake", "pending": True}
    ).get()
    assert RollupRun.objects.get(pk=run_id).status == RollupRun.Status.SUCCESS
    sent.clear()

    assert rollup_sweep(now=later(3600))["started"] == []
    assert sent == []


def test_a_broker_that_is_down_during_the_sweep_keeps_the_run_due(
    wijk, sent, monkeypatch
):
    pending_add(wijk.pk, due_at=later(-1))

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("broker weg")

    monkeypatch.setattr(tasks.rollup_wijk_task, "apply_async", broker_down)
    assert rollup_sweep()["started"] == []
    assert RollupPending.objects.filter(wijk=wijk).exists()


def test_a_pending_row_of_a_removed_wijk_goes_with_it(wijk, sent):
    pending_add(wijk.pk)
    wijk.delete()
    assert not RollupPending.objects.exists()


def test_in_eager_mode_a_signal_is_rolled_up_at_once(
    wijk, professional, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.ROLLUP_AFTER_INTAKE = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    monkeypatch.setattr(celery_app.conf, "task_always_eager", True)
    scrub_in_process(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        create_signal(professional, wijk)
    run = RollupRun.objects.get(wijk=wijk)
    assert run.trigger == RollupRun.Trigger.INTAKE
    assert run.status == RollupRun.Status.SUCCESS
    assert not RollupPending.objects.exists()
    # The next signal schedules again.
    with django_capture_on_commit_callbacks(execute=True):
        assert rollup_schedule_after_intake(wijk.pk) is True


def test_the_sweep_runs_every_minute_on_beat():
    entry = BEAT_SCHEDULE["signalen-rollup-sweep"]
    assert entry["task"] == tasks.rollup_sweep.name
    assert entry["schedule"].minute == set(range(60))


# --- The heartbeat ----------------------------------------------------------------------


def running_run(wijk, *, started_ago, heartbeat_ago):
    now = timezone.now()
    return RollupRun.objects.create(
        wijk=wijk,
        trigger=RollupRun.Trigger.INTAKE,
        started_at=now - datetime.timedelta(seconds=started_ago),
        heartbeat_at=(
            None
            if heartbeat_ago is None
            else now - datetime.timedelta(seconds=heartbeat_ago)
        ),
    )


def test_a_run_without_a_heartbeat_for_two_minutes_is_marked_abandoned(wijk, sent):
    killed = running_run(wijk, started_ago=600, heartbeat_ago=150)
    old = running_run(wijk, started_ago=300, heartbeat_ago=None)

    result = rollup_sweep()

    assert result["abandoned"] == 2
    for run in (killed, old):
        run.refresh_from_db()
        assert run.status == RollupRun.Status.ABANDONED
        assert run.finished_at is not None
        assert "teken van leven" in run.error
    # What the killed run would have written is made due again, and started.
    assert result["started"] == [wijk.pk]


def test_a_run_with_a_recent_heartbeat_is_left_running(wijk, sent):
    alive = running_run(wijk, started_ago=3600, heartbeat_ago=30)
    assert runs_abandon_silent() == 0
    alive.refresh_from_db()
    assert alive.status == RollupRun.Status.RUNNING
    assert not RollupPending.objects.exists()


def test_finished_runs_are_never_marked_abandoned(wijk, sent):
    done = running_run(wijk, started_ago=600, heartbeat_ago=600)
    RollupRun.objects.filter(pk=done.pk).update(status=RollupRun.Status.SUCCESS)
    assert runs_abandon_silent() == 0


def test_a_heartbeat_moves_the_runs_time_forward_while_it_runs(wijk):
    run = running_run(wijk, started_ago=600, heartbeat_ago=150)
    heartbeat = Heartbeat(run.pk)
    assert heartbeat.beat() is True
    run.refresh_from_db()
    assert run.heartbeat_at >= later(-5)
    assert runs_abandon_silent() == 0


def test_a_heartbeat_stops_once_the_run_is_no_longer_running(wijk):
    run = running_run(wijk, started_ago=10, heartbeat_ago=10)
    RollupRun.objects.filter(pk=run.pk).update(status=RollupRun.Status.ABANDONED)
    assert Heartbeat(run.pk).beat() is False


def test_a_run_records_a_heartbeat_when_it_starts(wijk, sent):
    run_id = tasks.rollup_wijk_task.apply(args=(wijk.pk,)).get()
    run = RollupRun.objects.get(pk=run_id)
    assert run.heartbeat_at is not None
    assert run.heartbeat_at >= run.started_at


def test_the_heartbeat_thread_stops_when_the_run_ends():
    with Heartbeat(0, interval=3600) as heartbeat:
        assert heartbeat._thread is not None
        assert heartbeat._thread.is_alive()
    assert not heartbeat._thread.is_alive()


# --- The worker survives a broker restart ------------------------------------------------


def test_a_worker_reconnects_forever_instead_of_exiting_on_a_broker_blip():
    assert django_settings.CELERY_BROKER_CONNECTION_RETRY is True
    assert django_settings.CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP is True
    assert celery_app.conf.broker_connection_max_retries is None
    assert celery_app.conf.worker_cancel_long_running_tasks_on_connection_loss is True
