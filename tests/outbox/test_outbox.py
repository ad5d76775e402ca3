"""The outbox (outbox/services.py): a task someone waits for is written down with the
change it is about, and sent again by the sweep when its message was lost with a
worker or with Redis (issue #15 item 9)."""

from __future__ import annotations

import datetime
import logging

import pytest
from celery import shared_task
from django.db import transaction
from django.utils import timezone

from buurtwijs.schedule import BEAT_SCHEDULE
from outbox import services
from outbox.base import Outboxed
from outbox.models import OutboxTask
from outbox.services import outbox_send, outbox_sweep
from outbox.tasks import outbox_sweep as outbox_sweep_task

pytestmark = pytest.mark.django_db

CALLS: list[tuple] = []


@shared_task(name="tests.outbox.record", base=Outboxed)
def record(value: int, *, note: str = "") -> int:
    CALLS.append((value, note))
    if note == "fout":
        raise ValueError("mislukt")
    return value


@pytest.fixture(autouse=True)
def _calls(settings):
    settings.OUTBOX_GRACE_SECONDS = 180
    settings.OUTBOX_MAX_RUNS = 3
    CALLS.clear()
    yield
    CALLS.clear()


@pytest.fixture
def sent(monkeypatch):
    """What goes to the broker (as with a real, not eager, Celery)."""
    messages: list[dict] = []

    def apply_async(args=None, kwargs=None, task_id=None, **options):
        messages.append({"args": list(args), "kwargs": kwargs, "task_id": task_id})

    monkeypatch.setattr(record, "apply_async", apply_async)
    return messages


def later(seconds: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(seconds=seconds)


def run_copy(row: OutboxTask, *, retries: int = 0):
    """One copy of the row's message, run by a worker."""
    return record.apply(
        args=row.args, kwargs=row.kwargs, task_id=str(row.pk), retries=retries
    )


# --- Sending ---------------------------------------------------------------------------


def test_the_task_is_written_down_and_sent_after_the_commit_with_the_rows_id(
    sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        row = outbox_send(record, 7, note="hallo")
        assert sent == []  # not before the commit
    assert sent == [{"args": [7], "kwargs": {"note": "hallo"}, "task_id": str(row.pk)}]
    row.refresh_from_db()
    assert row.sent == 1
    assert row.done_at is None
    assert later(170) < row.due_at <= later(181)


def test_a_rolled_back_change_leaves_no_task(sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                outbox_send(record, 7)
                raise RuntimeError("terug")
        except RuntimeError:
            pass
    assert not OutboxTask.objects.exists()
    assert sent == []


def test_a_broker_that_is_down_is_logged_and_the_row_stays(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def down(*args, **kwargs):
        raise ConnectionError("broker weg")

    monkeypatch.setattr(record, "apply_async", down)
    with django_capture_on_commit_callbacks(execute=True):
        row = outbox_send(record, 7)
    assert "could not send task tests.outbox.record" in caplog.text
    row.refresh_from_db()
    assert row.sent == 0
    assert row.done_at is None


def test_in_eager_mode_the_task_runs_at_once_and_its_row_is_done(
    settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        row = outbox_send(record, 7, note="naam")
    assert CALLS == [(7, "naam")]
    row.refresh_from_db()
    assert row.done_at is not None
    assert row.runs == 1
    # The arguments (ids, sometimes names) are not kept once done.
    assert row.args == []
    assert row.kwargs == {}


# --- Copies of one message -------------------------------------------------------------


def test_a_second_copy_of_a_done_task_does_nothing(
    sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        row = outbox_send(record, 7)
    assert run_copy(row).get() == 7
    # The message comes back after kombu's visibility timeout, or the sweep sent it too.
    assert run_copy(row).get() is None
    assert CALLS == [(7, "")]


def test_a_copy_does_nothing_while_another_runs_and_takes_over_when_that_one_died(
    sent, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        row = outbox_send(record, 7)
    # A worker started it (and was killed: nothing marks it done).
    assert services.claim(str(row.pk), time_limit=600, retrying=False) is True
    assert run_copy(row).get() is None
    assert CALLS == []
    # Its time limit and the grace have passed: the worker is gone.
    OutboxTask.objects.filter(pk=row.pk).update(due_at=later(-1))
    assert run_copy(row).get() == 7
    row.refresh_from_db()
    assert row.runs == 2
    assert row.done_at is not None


def test_a_task_sent_without_the_outbox_simply_runs():
    assert record.apply(args=(3,)).get() == 3
    assert record(4) == 4
    assert CALLS == [(3, ""), (4, "")]
    assert not OutboxTask.objects.exists()


def test_a_failing_task_is_tried_again_later_and_a_retry_is_waited_for(
    sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        row = outbox_send(record, 7, note="fout")
    with pytest.raises(ValueError, match="mislukt"):
        run_copy(row).get()
    row.refresh_from_db()
    assert row.done_at is None
    assert later(170) < row.due_at <= later(181)

    # A retry in ten minutes: the sweep leaves it that long (and the grace).
    services.postpone(str(row.pk), seconds=600)
    row.refresh_from_db()
    assert later(770) < row.due_at <= later(781)


# --- The sweep -------------------------------------------------------------------------


def test_the_sweep_sends_a_lost_task_again_once_it_is_due(
    sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        row = outbox_send(record, 7)
    sent.clear()  # the worker that held it was killed, or Redis restarted

    assert outbox_sweep(now=later(60))["resent"] == 0
    assert sent == []

    assert outbox_sweep(now=later(181))["resent"] == 1
    assert sent == [{"args": [7], "kwargs": {}, "task_id": str(row.pk)}]
    row.refresh_from_db()
    assert row.sent == 2
    # Not again at the next sweep: it has its chance first.
    assert outbox_sweep(now=later(182))["resent"] == 0
    # The copy runs on a worker and the row is done; nothing is sent any more.
    assert run_copy(row).get() == 7
    assert outbox_sweep(now=later(10_000))["resent"] == 0


def test_a_copy_the_sweep_sends_after_a_killed_run_takes_the_row(
    sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        row = outbox_send(record, 7)
    # A worker started it and was killed: its time limit and the grace pass.
    assert services.claim(str(row.pk), time_limit=600, retrying=False) is True
    assert outbox_sweep(now=later(600 + 181))["resent"] == 1
    assert run_copy(row).get() == 7
    row.refresh_from_db()
    assert row.runs == 2
    assert row.done_at is not None


def test_the_sweep_gives_up_after_the_maximum_runs(sent, caplog):
    row = OutboxTask.objects.create(
        name=record.name, args=[7], due_at=later(-1), runs=3
    )
    with caplog.at_level(logging.ERROR):
        assert outbox_sweep()["given_up"] == 1
    assert "gave up on task tests.outbox.record" in caplog.text
    row.refresh_from_db()
    assert row.gave_up
    assert row.done_at is not None
    assert sent == []


def test_done_rows_are_kept_a_day_then_removed(sent):
    old = OutboxTask.objects.create(
        name=record.name, due_at=later(0), done_at=later(-25 * 3600)
    )
    recent = OutboxTask.objects.create(
        name=record.name, due_at=later(0), done_at=later(-3600)
    )
    assert outbox_sweep()["removed"] == 1
    assert list(OutboxTask.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not OutboxTask.objects.filter(pk=old.pk).exists()


def test_the_sweep_runs_every_minute_on_beat():
    entry = BEAT_SCHEDULE["outbox-sweep"]
    assert entry["task"] == outbox_sweep_task.name
    assert entry["schedule"].minute == set(range(60))


def test_beheerders_see_the_outbox_in_the_admin_without_its_arguments(
    client, beheerder
):
    row = OutboxTask.objects.create(
        name="dashboard.tasks.open_data_forget",
        kwargs={"names": ["Bea Bewoner"]},
        due_at=later(-1),
        gave_up=True,
    )
    client.force_login(beheerder)
    listing = client.get("/beheer/outbox/outboxtask/")
    assert listing.status_code == 200
    assert "dashboard.tasks.open_data_forget" in listing.content.decode()
    detail = client.get(f"/beheer/outbox/outboxtask/{row.pk}/change/")
    assert detail.status_code == 200
    assert "Bea Bewoner" not in detail.content.decode()
    assert client.get("/beheer/outbox/outboxtask/add/").status_code == 403
