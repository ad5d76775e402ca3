"""The base class of tasks sent through the outbox (outbox/services.py).

Import-safe before Django's apps are loaded (task modules import it at the top); the
bookkeeping is imported when a task runs."""

from __future__ import annotations

import datetime
from typing import Any

from celery import Task
from celery.exceptions import Retry

DEFAULT_TIME_LIMIT = 30 * 60


class Outboxed(Task):  # type: ignore[misc]
    """A task that claims its outbox row when it starts and marks it done when it
    succeeds. Called without a row (directly, or sent with .delay) it simply runs."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from outbox import services

        task_id = self.request.id
        limit = float(
            self.time_limit or self.app.conf.task_time_limit or DEFAULT_TIME_LIMIT
        )
        claimed = services.claim(
            task_id, time_limit=limit, retrying=bool(self.request.retries)
        )
        if claimed is False:
            return None  # done already, given up, or another copy runs it now
        try:
            result = super().__call__(*args, **kwargs)
        except Retry as retry:
            if claimed:
                services.postpone(task_id, seconds=_seconds(retry.when) + limit)
            raise
        except Exception:
            if claimed:
                services.failed(task_id)
            raise
        if claimed:
            services.done(task_id)
        return result


def _seconds(when: Any) -> float:
    if isinstance(when, datetime.datetime):
        from django.utils import timezone

        return max((when - timezone.now()).total_seconds(), 0.0)
    try:
        return float(when or 0)
    except (TypeError, ValueError):
        return 0.0
