"""Issue 18 item 13: `make run` never ran the scheduled jobs. run_schedule runs the
beat schedule in a second process of the demo; scripts/run.sh starts and stops it."""

from __future__ import annotations

import datetime
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from celery import shared_task
from celery.schedules import crontab
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from buurtwijs.management.commands import run_schedule
from buurtwijs.schedule import BEAT_SCHEDULE

CALLS: list[str] = []


@shared_task(name="tests.schedule_probe")
def schedule_probe(word: str = "") -> str:
    CALLS.append(word)
    return word


@shared_task(name="tests.schedule_broken")
def schedule_broken() -> None:
    raise RuntimeError("kapot")


def local(*args: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


def test_the_next_time_of_a_daily_crontab_is_today_or_tomorrow():
    daily = crontab(hour=3, minute=15)
    assert run_schedule.next_run_after(daily, local(2026, 3, 2, 1, 0)) == local(
        2026, 3, 2, 3, 15
    )
    assert run_schedule.next_run_after(daily, local(2026, 3, 2, 3, 15)) == local(
        2026, 3, 3, 3, 15
    )


def test_an_hourly_crontab_and_an_interval_are_understood():
    hourly = crontab(minute=5)
    assert run_schedule.next_run_after(hourly, local(2026, 3, 2, 10, 7)) == local(
        2026, 3, 2, 11, 5
    )
    start = local(2026, 3, 2, 10, 0)
    assert run_schedule.next_run_after(datetime.timedelta(minutes=10), start) == local(
        2026, 3, 2, 10, 10
    )


def test_a_weekly_crontab_counts_days_from_sunday():
    monday = crontab(hour=7, minute=0, day_of_week=1)
    # 2026-03-04 is a Wednesday: the next Monday is 2026-03-09
    assert run_schedule.next_run_after(monday, local(2026, 3, 4, 12, 0)) == local(
        2026, 3, 9, 7, 0
    )


def test_every_entry_of_the_real_schedule_has_a_next_time_and_a_task():
    from buurtwijs.celery import app

    app.loader.import_default_modules()
    jobs = run_schedule.jobs_from(BEAT_SCHEDULE, start=timezone.now())
    assert len(jobs) == len(BEAT_SCHEDULE)
    for job in jobs:
        assert job.next_at > timezone.now()
        assert job.task in app.tasks, job.task


def test_due_jobs_run_once_and_a_failure_does_not_stop_the_others():
    CALLS.clear()
    schedule = {
        "broken": {"task": "tests.schedule_broken", "schedule": crontab(minute=5)},
        "probe": {
            "task": "tests.schedule_probe",
            "schedule": crontab(minute=5),
            "kwargs": {"word": "hallo"},
        },
        "later": {"task": "tests.schedule_probe", "schedule": crontab(minute=30)},
    }
    jobs = run_schedule.jobs_from(schedule, start=local(2026, 3, 2, 10, 0))
    done = run_schedule.run_due(jobs, now=local(2026, 3, 2, 10, 6))
    assert done == [("broken", False), ("probe", True)]
    assert CALLS == ["hallo"]
    # Not again in the same hour; the next one at 11:05.
    assert run_schedule.run_due(jobs, now=local(2026, 3, 2, 10, 20)) == []
    assert jobs[1].next_at == local(2026, 3, 2, 11, 5)


def test_an_unknown_task_is_reported_not_raised():
    job = run_schedule.jobs_from(
        {"x": {"task": "tests.no_such_task", "schedule": crontab(minute=1)}},
        start=timezone.now(),
    )[0]
    assert run_schedule.run_job(job) is False


@pytest.mark.django_db
def test_the_command_runs_every_job_with_all(monkeypatch):
    CALLS.clear()
    monkeypatch.setattr(
        run_schedule,
        "BEAT_SCHEDULE",
        {
            "a": {"task": "tests.schedule_probe", "schedule": crontab(hour=3)},
            "b": {"task": "tests.schedule_broken", "schedule": crontab(hour=4)},
        },
    )
    out = StringIO()
    call_command("run_schedule", "--all", stdout=out)
    assert CALLS == [""]
    assert "a: klaar (done)" in out.getvalue()
    assert "b: mislukt (failed)" in out.getvalue()


@pytest.mark.django_db
def test_the_command_with_once_runs_only_what_is_due_now(monkeypatch):
    CALLS.clear()
    now = timezone.localtime()
    monkeypatch.setattr(
        run_schedule,
        "BEAT_SCHEDULE",
        {
            "now": {
                "task": "tests.schedule_probe",
                "schedule": crontab(minute=now.minute, hour=now.hour),
                "kwargs": {"word": "nu"},
            },
            "not-now": {
                "task": "tests.schedule_probe",
                "schedule": crontab(minute=(now.minute + 30) % 60),
            },
        },
    )
    call_command("run_schedule", "--once", stdout=StringIO())
    assert CALLS in (["nu"], [])  # [] only when the minute turned during the test
    assert "" not in CALLS


def test_a_bad_interval_is_refused():
    with pytest.raises(CommandError):
        call_command("run_schedule", "--interval", "0")


def test_run_sh_starts_the_scheduler_and_stops_it_with_the_server():
    script = (Path(__file__).resolve().parents[1] / "scripts" / "run.sh").read_text()
    assert "manage.py run_schedule &" in script
    assert 'kill "$schedule_pid"' in script
    assert "trap " in script
    assert subprocess.run(["bash", "-n", "-c", script], check=False).returncode == 0


def test_the_running_scheduler_stops_cleanly_on_sigterm():
    """scripts/run.sh stops it with kill (SIGTERM) when the server stops."""
    import os
    import signal
    import sys

    root = Path(__file__).resolve().parents[1]
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_schedule", "--interval", "30"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()  # printed once the handler is in place
        assert f"Geplande taken: {len(BEAT_SCHEDULE)}" in first
        process.send_signal(signal.SIGTERM)
        rest, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0
    assert "gestopt" in rest
