"""A worker survives a Redis restart (issue #15 item 9): it reconnects and runs the next
task instead of exiting.

It runs on a redis-server of the test's own (tests/redis_server.py), never the
machine's shared one; without redis-server it is skipped, unless
BUURTWIJS_REQUIRE_WORKER=1.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from celery import Celery

from tests.redis_server import own_redis  # noqa: F401 - a fixture

pytestmark = pytest.mark.worker

ROOT = Path(__file__).resolve().parents[1]
QUEUE = f"buurtwijs-restart-{uuid.uuid4().hex[:8]}"


def start_worker(redis_url: str) -> subprocess.Popen[bytes]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE",)
    }
    env.pop("DATABASE_URL", None)  # the ping task needs no database
    env.update(
        REDIS_URL=redis_url,
        CELERY_BROKER_URL=redis_url,
        CELERY_RESULT_BACKEND=redis_url,
        CELERY_TASK_ALWAYS_EAGER="false",
        DB_CONN_MAX_AGE="0",
    )
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "buurtwijs",
            "worker",
            "--pool",
            "solo",
            "--queues",
            QUEUE,
            "--hostname",
            f"{QUEUE}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
    )


def client(redis_url: str) -> Celery:
    # Not the current app: tests after this one still send through the project's.
    app = Celery(
        "buurtwijs-restart-test",
        broker=redis_url,
        backend=redis_url,
        set_as_current=False,
    )
    app.conf.update(
        task_serializer="json", result_serializer="json", accept_content=["json"]
    )
    return app


def test_a_worker_runs_tasks_again_after_its_redis_restarts(own_redis):  # noqa: F811
    worker = start_worker(own_redis.url)
    try:
        app = client(own_redis.url)
        # The first round trip also waits for the worker to be ready.
        assert app.send_task("buurtwijs.ping", queue=QUEUE).get(timeout=60) == "pong"

        own_redis.stop()
        time.sleep(3)  # the worker notices the connection is gone
        assert worker.poll() is None, "the worker exited when Redis went away"
        own_redis.start()  # same port, empty (no persistence)

        started = time.monotonic()
        app = client(own_redis.url)
        result = app.send_task("buurtwijs.ping", queue=QUEUE)
        assert result.get(timeout=90) == "pong"
        print(f"ping after restart answered in {time.monotonic() - started:.1f} s")
        assert worker.poll() is None
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()


def test_a_worker_holding_a_countdown_task_survives_a_redis_restart(
    own_redis,  # noqa: F811
):
    """The failure of issue #15 item 9: a worker holding a countdown task (every
    roll-up after intake is one) lost Redis and exited with AttributeError 'hostname'
    (buurtwijs/kombu_patch.py). Now it reconnects and runs new tasks; the held task
    stays in Redis' unacked set (Redis restarts with its data here, as with
    persistence), from where kombu gives it out again after the visibility timeout.
    Roll-ups do not wait for that: the beat sweep starts them from RollupPending."""
    worker = start_worker(own_redis.url)
    try:
        app = client(own_redis.url)
        assert app.send_task("buurtwijs.ping", queue=QUEUE).get(timeout=60) == "pong"
        held = app.send_task("buurtwijs.ping", queue=QUEUE, countdown=30)
        time.sleep(1)  # the worker takes it and holds it until its time

        own_redis.stop(save=True)
        time.sleep(3)
        assert worker.poll() is None, "the worker exited when Redis went away"
        own_redis.start()

        app = client(own_redis.url)
        assert app.send_task("buurtwijs.ping", queue=QUEUE).get(timeout=90) == "pong"
        assert worker.poll() is None
        unacked = redis.Redis.from_url(own_redis.url).hgetall("unacked")
        assert any(held.id.encode() in message for message in unacked.values())
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
