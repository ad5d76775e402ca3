"""/health/: can this web process serve pages? JSON with a real status code.

Every part is named with its state, and the answer says which parts fail:

- ``status: "ok"`` (200): everything works.
- ``status: "degraded"`` (200): the site answers, but a part it can do without is down.
  Redis (``cache``, and in production also ``broker``) and the workers are such parts:
  pages compute without the cache (buurtwijs/cache.py) and background work waits. A 503
  there would make a load balancer take every web process out at once, for an outage
  that none of them can cure. ``failing`` lists the parts, for monitoring to alert on.
- ``status: "error"`` (503): the database cannot be reached; nothing can be served.

The scrubber (the worker that holds deduce) reports through a hook: the setting
``HEALTH_SCRUBBER_CHECK`` names a callable that returns ``"ok"``, ``"warming"`` (still
loading deduce; intake keeps signals until it is ready) or ``"error"``. Without the
setting the part is left out. ``"warming"`` and ``"error"`` make the answer degraded.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from buurtwijs.celery import app as celery_app

logger = logging.getLogger(__name__)

# Parts without which nothing can be served: 503 when one of them fails.
REQUIRED = ("database",)
# States that count as working.
WORKING = {"ok", "eager", "local"}


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.warning("health: database unreachable", exc_info=True)
        return "error"
    return "ok"


def _cache() -> str:
    """``ok`` (Redis answers), ``down`` (it does not: pages compute without it) or
    ``local`` (the embedded demo's cache in the process)."""
    ping: Callable[[], bool] | None = getattr(cache, "ping", None)
    if ping is None:
        return "local"
    try:
        return "ok" if ping() else "down"
    except Exception:
        return "down"


def _broker() -> str:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        return "error"
    return "ok"


def _workers() -> tuple[str, int]:
    try:
        replies = celery_app.control.ping(timeout=1.0) or []
    except Exception:
        return "error", 0
    return ("ok" if replies else "none"), len(replies)


def _scrubber() -> str | None:
    """The scrubber's state from the HEALTH_SCRUBBER_CHECK hook, or None without it."""
    path = getattr(settings, "HEALTH_SCRUBBER_CHECK", "")
    if not path:
        return None
    try:
        return str(import_string(path)())
    except Exception:
        logger.warning("health: scrubber check failed", exc_info=True)
        return "error"


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    checks: dict[str, object] = {"database": _database(), "cache": _cache()}
    if settings.CELERY_TASK_ALWAYS_EAGER:
        # The embedded demo runs tasks in the web process: no broker, no worker.
        checks["broker"] = "eager"
        checks["worker"] = "eager"
    else:
        checks["broker"] = _broker()
        if checks["broker"] == "ok":
            checks["worker"], checks["workers"] = _workers()
        else:
            checks["worker"] = "unknown"
    scrubber = _scrubber()
    if scrubber is not None:
        checks["scrubber"] = scrubber
    parts = ("database", "cache", "broker", "worker", "scrubber")
    failing = [part for part in parts if part in checks and checks[part] not in WORKING]
    if any(part in REQUIRED for part in failing):
        checks["status"] = "error"
    else:
        checks["status"] = "degraded" if failing else "ok"
    if failing:
        checks["failing"] = failing
    return JsonResponse(checks, status=503 if checks["status"] == "error" else 200)
