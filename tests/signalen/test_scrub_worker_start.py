"""A scrub worker loads its models when it starts, and /health/ says "warming" until a
scrub worker is ready."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from signalen import tasks
from signalen.intake import scrubbing


def worker_consuming(*queues):
    return SimpleNamespace(
        app=SimpleNamespace(
            amqp=SimpleNamespace(
                queues=SimpleNamespace(consume_from=dict.fromkeys(queues))
            )
        )
    )


@pytest.fixture
def loads(monkeypatch):
    calls = []
    monkeypatch.setattr("signalen.intake.scrub.warm", lambda: calls.append(1) or 0.0)
    monkeypatch.setitem(tasks._SCRUB_WORKER, "is", False)
    return calls


def test_a_worker_on_the_scrub_queue_loads_deduce_before_its_first_task(loads):
    tasks._scrub_worker_preload(sender="w", instance=worker_consuming("scrub"))
    assert loads == [1]
    assert tasks._SCRUB_WORKER["is"] is True


def test_other_workers_do_not_load_deduce(loads):
    tasks._scrub_worker_preload(sender="w", instance=worker_consuming("celery"))
    assert loads == []
    assert tasks._SCRUB_WORKER["is"] is False


def test_health_says_warming_until_a_scrub_worker_is_ready(settings, loads):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    scrubbing.scrubber_ready_mark(ready=False)
    assert scrubbing.scrubber_health() == "warming"
    tasks._scrub_worker_preload(sender="w", instance=worker_consuming("scrub"))
    tasks._scrub_worker_ready()
    assert scrubbing.scrubber_health() == "ok"
    tasks._scrub_worker_gone()
    assert scrubbing.scrubber_health() == "warming"


def test_the_health_page_shows_the_scrubber(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    body = client.get("/health/").json()
    assert body["scrubber"] == "ok"


def test_in_the_embedded_demo_the_web_process_scrubs_itself(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert scrubbing.scrubber_health() == "ok"
