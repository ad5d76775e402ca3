"""/health/: is the database, the broker and a worker there? JSON with a real status code."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from buurtwijs.celery import app as celery_app


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return "error"
    return "ok"


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


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    checks: dict[str, object] = {"database": _database()}
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
    healthy = (
        checks["database"] == "ok"
        and checks["broker"] in ("ok", "eager")
        and (checks["worker"] in ("ok", "eager"))
    )
    checks["status"] = "ok" if healthy else "error"
    return JsonResponse(checks, status=200 if healthy else 503)
