"""One roll-up shortly after intake, debounced per wijk."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from signalen.models import (
    RollupRun,
)

log = logging.getLogger(__name__)


PENDING_PREFIX = "signalen:rollup:pending:"


def lock_ttl() -> int:
    return int(getattr(settings, "ROLLUP_LOCK_TTL", 15 * 60))


def debounce_seconds() -> int:
    return int(getattr(settings, "ROLLUP_DEBOUNCE_SECONDS", 120))


def rollup_schedule_after_intake(wijk_id: int) -> bool:
    """After the caller's commit, schedule one run for the wijk a little later, unless
    one is already pending.

    A burst of 200 signals gives one run: the first to commit sets a pending mark that
    lives until the run starts; the rest see it and do nothing. The mark is set after
    the commit, so a rolled-back signal leaves none. A broker or cache that is down is
    logged and otherwise ignored: the signal is saved all the same and the nightly run
    catches up. Returns False when nothing will be scheduled (intake runs off, or a run
    is pending already).
    """
    if not getattr(settings, "ROLLUP_AFTER_INTAKE", True):
        return False
    key = f"{PENDING_PREFIX}{wijk_id}"
    try:
        if cache.get(key) is not None:
            return False
    except Exception:  # the cache is down: the callback logs it
        log.debug("pending mark of wijk %s unreadable", wijk_id, exc_info=True)

    def send() -> None:
        from signalen.tasks import rollup_wijk_task

        try:
            if not cache.add(key, "1", timeout=debounce_seconds() + lock_ttl()):
                return
            rollup_wijk_task.apply_async(
                args=(wijk_id,),
                kwargs={"trigger": RollupRun.Trigger.INTAKE},
                countdown=debounce_seconds(),
            )
        except Exception:  # broker or cache down; the nightly run catches up
            log.warning(
                "could not schedule a roll-up of wijk %s after intake",
                wijk_id,
                exc_info=True,
            )
            try:
                cache.delete(key)
            except Exception:
                log.warning("could not clear the pending mark of wijk %s", wijk_id)

    transaction.on_commit(send)
    return True


def pending_clear(wijk_id: int) -> None:
    cache.delete(f"{PENDING_PREFIX}{wijk_id}")
