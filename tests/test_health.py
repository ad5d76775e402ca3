"""/health/ tells a load balancer whether this web process can serve pages.

The database is required (503 when it is gone); Redis (cache and broker), the workers
and the scrubber are not: without them the answer is 200 "degraded" and names them.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import DatabaseError
from django.db.utils import ConnectionHandler
from django.test import override_settings

from buurtwijs import health


@pytest.fixture(autouse=True)
def _no_scrubber_part(settings):
    """These tests look at the other parts; the scrubber's own tests set the hook."""
    settings.HEALTH_SCRUBBER_CHECK = ""


def test_health_is_ok_in_the_embedded_default(client, db):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "database": "ok",
        "cache": "local",
        "broker": "eager",
        "worker": "eager",
        "status": "ok",
    }
    assert "no-cache" in response["Cache-Control"]


def test_health_reports_a_broken_database_with_503(client, db):
    with mock.patch.object(
        health.connection, "cursor", side_effect=DatabaseError("down")
    ):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["database"] == "error"
    assert response.json()["status"] == "error"
    assert response.json()["failing"] == ["database"]


def test_health_answers_503_json_naming_the_database_when_postgres_is_unreachable(
    client, db, monkeypatch
):
    """A real connection to a PostgreSQL port where nothing listens."""
    unreachable = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "HOST": "127.0.0.1",
                "PORT": "1",
                "NAME": "buurtwijs",
                "USER": "buurtwijs",
                "OPTIONS": {"connect_timeout": 2},
            }
        }
    )["default"]
    monkeypatch.setattr(health, "connection", unreachable)
    try:
        response = client.get("/health/")
    finally:
        unreachable.close()
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["database"] == "error"
    assert body["status"] == "error"
    assert body["failing"] == ["database"]


def test_health_is_200_but_degraded_when_the_cache_is_down(client, db, monkeypatch):
    """The site works without Redis (buurtwijs/cache.py): no reason for a load
    balancer to take every web process out."""
    monkeypatch.setattr(health, "_cache", lambda: "down")
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["cache"] == "down"
    assert response.json()["status"] == "degraded"
    assert response.json()["failing"] == ["cache"]


@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_health_reports_an_unreachable_broker_as_degraded(client, db, monkeypatch):
    monkeypatch.setattr(health, "_broker", lambda: "error")
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["broker"] == "error"
    assert response.json()["worker"] == "unknown"
    assert response.json()["status"] == "degraded"
    assert response.json()["failing"] == ["broker", "worker"]


@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_health_reports_a_missing_worker_as_degraded(client, db, monkeypatch):
    monkeypatch.setattr(health, "_broker", lambda: "ok")
    monkeypatch.setattr(health, "_workers", lambda: ("none", 0))
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["worker"] == "none"
    assert response.json()["status"] == "degraded"


@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_health_is_ok_with_broker_and_worker(client, db, monkeypatch):
    monkeypatch.setattr(health, "_broker", lambda: "ok")
    monkeypatch.setattr(health, "_workers", lambda: ("ok", 2))
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["workers"] == 2
    assert response.json()["status"] == "ok"


def scrubber_warming() -> str:
    return "warming"


def scrubber_ready() -> str:
    return "ok"


def scrubber_broken() -> str:
    raise RuntimeError("cannot tell")


@pytest.mark.parametrize(
    ("check", "state", "status"),
    [
        ("tests.test_health.scrubber_ready", "ok", "ok"),
        ("tests.test_health.scrubber_warming", "warming", "degraded"),
        ("tests.test_health.scrubber_broken", "error", "degraded"),
    ],
)
def test_health_shows_the_scrubber_through_its_hook(
    client, db, settings, check, state, status
):
    settings.HEALTH_SCRUBBER_CHECK = check
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["scrubber"] == state
    assert response.json()["status"] == status


def test_health_leaves_the_scrubber_out_without_its_hook(client, db, settings):
    settings.HEALTH_SCRUBBER_CHECK = ""
    assert "scrubber" not in client.get("/health/").json()


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_health_only_answers_get(client, db, method):
    assert getattr(client, method)("/health/").status_code == 405


def test_health_is_not_redirected_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/health/").status_code == 200
    assert client.get("/").status_code == 301
