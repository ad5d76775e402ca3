"""Run the beat schedule (buurtwijs/schedule.py) for the embedded demo.

    python manage.py run_schedule            # keep running; scripts/run.sh starts it
    python manage.py run_schedule --once     # run what is due now, then stop
    python manage.py run_schedule --all      # run every job once now, then stop

The demo has no Redis, so no Celery worker or beat: its tasks run at once in the web
process. Without this command the scheduled jobs (digests, reminders, the nightly
roll-up, open data, retention) never ran in the demo. It reads the same BEAT_SCHEDULE
as `celery beat`, works out when each job is next due from its crontab, and runs a
due job in this process (task.apply(): eager, no broker). A job that fails is logged
and the others go on. A production deploy runs `celery beat` with a worker instead.

A job is first due at its next crontab time after the command starts (as beat does),
so restarting the demo does not run every job again.
"""

from __future__ import annotations

import datetime
import logging
import signal
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from types import FrameType
from typing import Any

from celery.schedules import crontab
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from buurtwijs.schedule import BEAT_SCHEDULE

log = logging.getLogger(__name__)

# Searching minute by minute for the next crontab time: a daily job is found within
# 1440 steps; give up after a year (a crontab that never matches).
MAX_MINUTES = 366 * 24 * 60


def next_run_after(schedule: Any, moment: datetime.datetime) -> datetime.datetime:
    """The first time after `moment` (whole minutes, local time) that the schedule
    fires. Knows crontab (minute, hour, day of week, day of month, month) and a plain
    interval (a timedelta, or a number of seconds, or celery's schedule)."""
    if isinstance(schedule, crontab):
        start = timezone.localtime(moment).replace(second=0, microsecond=0)
        for step in range(1, MAX_MINUTES + 1):
            at = start + datetime.timedelta(minutes=step)
            if (
                at.minute in schedule.minute
                and at.hour in schedule.hour
                # celery counts days of the week from Sunday = 0
                and at.isoweekday() % 7 in schedule.day_of_week
                and at.day in schedule.day_of_month
                and at.month in schedule.month_of_year
            ):
                return at
        raise ValueError(f"the crontab {schedule!r} never fires")
    every = getattr(schedule, "run_every", schedule)
    if isinstance(every, int | float):
        every = datetime.timedelta(seconds=every)
    if not isinstance(every, datetime.timedelta):
        raise ValueError(f"unknown schedule {schedule!r}")
    return moment + every


@dataclass
class Job:
    name: str
    task: str
    schedule: Any
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    next_at: datetime.datetime


def jobs_from(
    beat_schedule: Mapping[str, Mapping[str, Any]], *, start: datetime.datetime
) -> list[Job]:
    return [
        Job(
            name=name,
            task=str(entry["task"]),
            schedule=entry["schedule"],
            args=tuple(entry.get("args", ())),
            kwargs=dict(entry.get("kwargs", {})),
            next_at=next_run_after(entry["schedule"], start),
        )
        for name, entry in beat_schedule.items()
    ]


def run_job(job: Job) -> bool:
    """Run one job's task here and now; False (and a log line) when it failed."""
    from buurtwijs.celery import app

    app.loader.import_default_modules()
    task = app.tasks.get(job.task)
    if task is None:
        log.error("scheduled job %s: no task named %s", job.name, job.task)
        return False
    started = time.monotonic()
    try:
        result = task.apply(args=job.args, kwargs=job.kwargs, throw=True)
    except Exception:  # one failing job must not stop the schedule
        log.exception("scheduled job %s failed", job.name)
        return False
    log.info(
        "scheduled job %s done in %.1f s: %r",
        job.name,
        time.monotonic() - started,
        result.result,
    )
    return True


def run_due(jobs: list[Job], *, now: datetime.datetime) -> list[tuple[str, bool]]:
    """Run every job whose time has come, and set its next time."""
    done = []
    for job in jobs:
        if job.next_at <= now:
            done.append((job.name, run_job(job)))
            job.next_at = next_run_after(job.schedule, now)
    return done


class Command(BaseCommand):
    help = (
        "Voer de geplande taken (BEAT_SCHEDULE) uit in dit proces, voor de demo zonder "
        "Redis. (Run the scheduled jobs in this process, for the demo without Redis.)"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Voer uit wat nu aan de beurt is en stop.",
        )
        parser.add_argument(
            "--all",
            action="store_true",
            help="Voer elke geplande taak nu één keer uit en stop.",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=30.0,
            help="Seconden tussen twee keer kijken. Standaard %(default)s.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["interval"] <= 0:
            raise CommandError("--interval moet groter dan 0 zijn.")
        now = timezone.now()
        if options["all"]:
            jobs = jobs_from(BEAT_SCHEDULE, start=now)
            for job in jobs:
                job.next_at = now
            self._report(run_due(jobs, now=now))
            return
        if options["once"]:
            # "Due now": a job whose crontab minute is this minute.
            minute_ago = now - datetime.timedelta(minutes=1)
            self._report(run_due(jobs_from(BEAT_SCHEDULE, start=minute_ago), now=now))
            return
        self._loop(options["interval"])

    def _report(self, done: list[tuple[str, bool]]) -> None:
        for name, ok in done:
            self.stdout.write(f"{name}: {'klaar (done)' if ok else 'mislukt (failed)'}")
        if not done:
            self.stdout.write("Niets aan de beurt (nothing due).")

    def _loop(self, interval: float) -> None:
        stop = threading.Event()

        def _stop(signum: int, frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        jobs = jobs_from(BEAT_SCHEDULE, start=timezone.now())
        first = min(jobs, key=lambda job: job.next_at, default=None)
        self.stdout.write(
            f"Geplande taken: {len(jobs)} (scheduled jobs)"
            + (
                f"; eerste (first): {first.name} om "
                f"{timezone.localtime(first.next_at):%Y-%m-%d %H:%M}"
                if first
                else ""
            )
        )
        self.stdout.flush()
        while not stop.is_set():
            self._report_quietly(run_due(jobs, now=timezone.now()))
            stop.wait(interval)
        self.stdout.write("Geplande taken gestopt (scheduled jobs stopped).")

    def _report_quietly(self, done: list[tuple[str, bool]]) -> None:
        if done:
            self._report(done)
