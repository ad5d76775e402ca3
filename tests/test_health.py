"""/health/ tells a load balancer whether the database, broker and a worker are there."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import DatabaseError
from django.test import override_settings

from buurtwijs import health


def test_health_is_ok_in_the_embedded_default(client, db):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "database": "ok",
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


@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_health_reports_an_unreachable_broker_with_503(client, db, monkeypatch):
    monkeypatch.setattr(health, "_broker", lambda: "error")
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["broker"] == "error"
    assert response.json()["worker"] == "unknown"


@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_health_reports_a_missing_worker_with_503(client, db, monkeypatch):
    monkeypatch.setattr(health, "_broker", lambda: "ok")
    monkeypatch.setattr(health, "_workers", lambda: ("none", 0))
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["worker"] == "none"


@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_health_is_ok_with_broker_and_worker(client, db, monkeypatch):
    monkeypatch.setattr(health, "_broker", lambda: "ok")
    monkeypatch.setattr(health, "_workers", lambda: ("ok", 2))
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["workers"] == 2


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_health_only_answers_get(client, db, method):
    assert getattr(client, method)("/health/").status_code == 405


def test_health_is_not_redirected_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/health/").status_code == 200
    assert client.get("/").status_code == 301
