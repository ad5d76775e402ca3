"""Celery tasks of the open data: thin, they call opendata.builds. The task names
keep the dashboard.tasks. prefix they had before the move (beat and queued messages
use them)."""

from __future__ import annotations

from celery import shared_task

from opendata import builds
from outbox.base import Outboxed


@shared_task(name="dashboard.tasks.build_open_data")
def build_open_data() -> int:
    """The nightly open-data build of every active gemeente; returns how many."""
    return len(builds.build_all())


@shared_task(
    name="dashboard.tasks.open_data_forget",
    base=Outboxed,
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def open_data_forget(names: list[str]) -> dict[str, list[str]]:
    """After accounts were removed: rebuild or rewrite the open-data files that still
    name these people (opendata.builds.forget_names). The names travel in the task
    message only for this, and are not kept in its result."""
    return builds.forget_names(names)
