"""Celery tasks of the dashboard: thin, they call dashboard.opendata."""

from __future__ import annotations

from celery import shared_task

from dashboard import opendata


@shared_task(name="dashboard.tasks.build_open_data")
def build_open_data() -> int:
    """The nightly open-data build of every active gemeente; returns how many."""
    return len(opendata.build_all())


@shared_task(
    name="dashboard.tasks.open_data_forget",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def open_data_forget(names: list[str]) -> dict[str, list[str]]:
    """After accounts were removed: rebuild or rewrite the open-data files that still
    name these people (dashboard.opendata.forget_names). The names travel in the task
    message only for this, and are not kept in its result."""
    return opendata.forget_names(names)
