"""The scrubbing service (signalen.intake.scrubbing.text_scrub) and its Celery task.

Web workers never load deduce: the text goes to `signalen.tasks.scrub_text_task` on the
queue `scrub` and the caller waits; in eager mode (demo, tests) it runs in-process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path
from unittest import mock

import pytest
import redis
from celery.exceptions import TimeoutError as CeleryTimeoutError
from django.core.cache import cache
from kombu.exceptions import OperationalError

from buurtwijs.celery import app as celery_app
from signalen import tasks
from signalen.intake import scrubbing
from signalen.intake.scrub import scrub
from signalen.intake.scrubbing import (
    ScrubResult,
    ScrubUnavailable,
    result_from_payload,
    result_to_payload,
    text_scrub,
)

ROOT = Path(__file__).resolve().parents[2]
TEXT = "Mw. Jansen (Overwhez), 06-12345678, BSN 111222333, 85 jaar."
KEEP = ["Overwhez"]


class FakeAsyncResult:
    """Stands in for celery's AsyncResult: answers, or times out."""

    def __init__(self, payload=None, error: Exception | None = None):
        self.payload = payload
        self.error = error
        self.forgotten = False
        self.revoked = False
        self.get_kwargs: dict = {}
        self.id = "task-1"

    def get(self, **kwargs):
        self.get_kwargs = kwargs
        if self.error is not None:
            raise self.error
        return self.payload

    def forget(self):
        self.forgotten = True

    def revoke(self):
        self.revoked = True


@pytest.fixture
def not_eager(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False


def test_eager_mode_returns_what_the_pure_scrubber_returns(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    result = text_scrub(TEXT, keep=KEEP)
    assert result == scrub(TEXT, KEEP)
    assert result.text == "Mw. [NAAM] (Overwhez), [TELEFOON], BSN [BSN], 85 jaar."
    assert result.summary() == {"naam": 1, "telefoon": 1, "bsn": 1}


def test_eager_mode_does_not_touch_the_broker(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with mock.patch.object(tasks.scrub_text_task, "apply_async") as apply_async:
        text_scrub("bel 06-12345678")
    apply_async.assert_not_called()


def worker_answering(fake: FakeAsyncResult):
    """apply_async that runs the task as the worker would (same cache, this process)."""

    def apply_async(*, args, **kwargs):
        fake.sent_args = args
        fake.payload = tasks.scrub_text_task.run(*args)
        return fake

    return apply_async


def test_through_the_worker_the_text_goes_sealed_to_the_scrub_queue(not_eager):
    fake = FakeAsyncResult()
    with mock.patch.object(
        tasks.scrub_text_task, "apply_async", side_effect=worker_answering(fake)
    ) as apply_async:
        result = text_scrub(TEXT, keep=KEEP, timeout=3)
    assert result == scrub(TEXT, KEEP)
    assert apply_async.call_args.kwargs == {
        "args": fake.sent_args,
        "queue": "scrub",
        "expires": 60,
        "retry": False,
    }
    # Neither the message nor the answer carries readable text.
    _key_id, sealed = fake.sent_args
    assert "Jansen" not in sealed
    assert "06-12345678" not in sealed
    assert "Jansen" not in fake.payload
    assert fake.get_kwargs["timeout"] == 3
    assert fake.forgotten
    assert not fake.revoked


def test_the_key_is_shredded_after_the_answer_so_copies_are_unreadable(not_eager):
    fake = FakeAsyncResult()
    with mock.patch.object(
        tasks.scrub_text_task, "apply_async", side_effect=worker_answering(fake)
    ):
        text_scrub(TEXT, keep=KEEP)
    key_id, sealed = fake.sent_args
    assert cache.get(scrubbing.KEY_PREFIX + key_id) is None
    # A worker that picks up a leftover copy of the message can no longer read it.
    assert tasks.scrub_text_task.run(key_id, sealed) is None


def test_a_message_older_than_a_minute_cannot_be_opened(not_eager):
    from cryptography.fernet import Fernet

    key = Fernet.generate_key()
    cache.set(scrubbing.KEY_PREFIX + "old", key, 60)
    with mock.patch("time.time", return_value=1_000_000_000):
        sealed = scrubbing._seal(key, {"text": TEXT, "keep": KEEP})
    assert scrubbing.scrub_sealed("old", sealed) is None


def test_a_cache_that_is_down_raises_scrub_unavailable(not_eager):
    with (
        mock.patch.object(scrubbing.cache, "set", side_effect=OSError("down")),
        mock.patch.object(tasks.scrub_text_task, "apply_async") as apply_async,
        pytest.raises(ScrubUnavailable),
    ):
        text_scrub(TEXT)
    apply_async.assert_not_called()


def test_a_worker_that_does_not_answer_in_time_raises_scrub_unavailable(not_eager):
    fake = FakeAsyncResult(error=CeleryTimeoutError("The operation timed out."))
    with (
        mock.patch.object(tasks.scrub_text_task, "apply_async", return_value=fake),
        pytest.raises(ScrubUnavailable),
    ):
        text_scrub(TEXT, timeout=0.1)
    assert fake.revoked
    assert fake.forgotten


def test_a_broker_that_is_down_raises_scrub_unavailable(not_eager):
    with (
        mock.patch.object(
            tasks.scrub_text_task,
            "apply_async",
            side_effect=OperationalError("Error 111 connecting to 127.0.0.1:6379."),
        ),
        pytest.raises(ScrubUnavailable),
    ):
        text_scrub(TEXT)


def test_an_unanswered_message_is_taken_back_out_of_the_queue(not_eager):
    fake = FakeAsyncResult(error=CeleryTimeoutError("The operation timed out."))
    fake.id = "task-42"
    with (
        mock.patch.object(tasks.scrub_text_task, "apply_async", return_value=fake),
        mock.patch.object(scrubbing, "_withdraw_message") as withdraw,
        pytest.raises(ScrubUnavailable),
    ):
        text_scrub(TEXT, timeout=0.1)
    withdraw.assert_called_once_with(mock.ANY, "task-42", "scrub")


def test_withdrawing_removes_only_that_message_from_a_redis_queue():
    client = mock.Mock()
    client.lrange.return_value = [b'{"id": "task-41"}', b'{"id": "task-42"}']
    connection = mock.MagicMock()
    connection.__enter__.return_value.default_channel.client = client
    app = mock.Mock()
    app.connection_for_write.return_value = connection
    scrubbing._withdraw_message(app, "task-42", "scrub")
    client.lrem.assert_called_once_with("scrub", 1, b'{"id": "task-42"}')


def test_a_task_that_fails_on_the_worker_raises_scrub_unavailable(not_eager):
    fake = FakeAsyncResult(error=OSError("connection lost while waiting"))
    with (
        mock.patch.object(tasks.scrub_text_task, "apply_async", return_value=fake),
        pytest.raises(ScrubUnavailable),
    ):
        text_scrub(TEXT)
    assert fake.forgotten


def test_the_task_is_routed_to_the_scrub_queue():
    route = celery_app.amqp.router.route({}, "signalen.tasks.scrub_text_task")
    assert route["queue"].name == "scrub"
    # Everything else stays on the default queue the main worker consumes.
    assert celery_app.amqp.router.route({}, "buurtwijs.ping")["queue"].name == "celery"


def test_the_task_keeps_its_result_and_scrubs_with_the_pure_scrubber():
    from cryptography.fernet import Fernet

    assert tasks.scrub_text_task.name == "signalen.tasks.scrub_text_task"
    assert tasks.scrub_text_task.ignore_result is False
    key = Fernet.generate_key()
    cache.set(scrubbing.KEY_PREFIX + "k1", key, 60)
    answer = tasks.scrub_text_task.run(
        "k1", scrubbing._seal(key, {"text": TEXT, "keep": KEEP})
    )
    assert json.loads(json.dumps(answer)) == answer  # JSON-safe
    assert result_from_payload(scrubbing._unseal(key, answer)) == scrub(TEXT, KEEP)


def test_the_result_of_the_task_expires_after_sixty_seconds():
    backend = mock.Mock()
    backend.get_key_for_task.return_value = b"celery-task-meta-abc"
    task = tasks.scrub_text_task._get_current_object()
    assert isinstance(task, tasks._ShortLivedResultTask)
    tasks._ShortLivedResultTask.after_return(
        mock.Mock(backend=backend), "SUCCESS", {}, "abc", (), {}, None
    )
    backend.expire.assert_called_once_with(b"celery-task-meta-abc", 60)


def test_payload_round_trip_keeps_every_removal():
    result = scrub(TEXT, KEEP)
    assert result_from_payload(result_to_payload(result)) == result
    assert isinstance(result_from_payload(result_to_payload(result)), ScrubResult)


def test_every_kind_has_a_translatable_label():
    from signalen.intake.scrub import KINDS

    assert set(scrubbing.LABELS) == set(KINDS)


def test_django_start_up_and_the_service_do_not_load_deduce():
    code = textwrap.dedent(
        """
        import sys, django
        django.setup()
        import buurtwijs.urls, signalen.intake.scrubbing, signalen.tasks
        from django.urls import get_resolver
        get_resolver().url_patterns
        assert "deduce" not in sys.modules, "deduce was imported at start-up"
        print("ok")
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "buurtwijs.settings"
    completed = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "ok"


# --- Through a real worker on Redis ------------------------------------------------------

CLIENT = textwrap.dedent(
    """
    import json, sys, django
    django.setup()
    from signalen.intake import scrubbing
    scrubbing.SCRUB_QUEUE = sys.argv[1]
    result = scrubbing.text_scrub(sys.argv[2], timeout=float(sys.argv[3]))
    print(json.dumps({
        "text": result.text,
        "removals": [r.original for r in result.removals],
        "deduce_loaded": "deduce" in sys.modules,
    }))
    """
)


@pytest.mark.worker
def test_a_real_scrub_worker_answers_and_leaves_no_text_in_redis():
    url = os.environ.get("TEST_SCRUB_REDIS_URL", "redis://127.0.0.1:6379/13")
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        if os.environ.get("BUURTWIJS_REQUIRE_WORKER") == "1":
            pytest.fail(f"Redis is not reachable at {url}: {exc}")
        pytest.skip(f"Redis is not reachable at {url}: {exc}")
    queue = f"scrub-test-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(REDIS_URL=url, CELERY_TASK_ALWAYS_EAGER="false")
    worker = subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "-A", "buurtwijs", "worker"),
            *("--pool", "solo", "-c", "1", "--queues", queue),
            *("--hostname", f"{queue}@%h", "--without-gossip", "--without-mingle"),
            *("--loglevel", "WARNING"),
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        completed = subprocess.run(
            [sys.executable, "-c", CLIENT, queue, TEXT, "240"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert completed.returncode == 0, completed.stderr
        answer = json.loads(completed.stdout)
        assert answer["text"] == scrub(TEXT).text
        assert "06-12345678" in answer["removals"]
        # The web side never loaded deduce; the worker did.
        assert answer["deduce_loaded"] is False
        # Nothing with the original text is left behind in Redis.
        for key in client.scan_iter(count=1000):
            value = client.get(key) if client.type(key) == b"string" else b""
            assert b"06-12345678" not in (value or b""), key
        assert client.llen(queue) == 0

        # A worker that is too slow: ScrubUnavailable, and the result is not kept.
        worker.terminate()
        worker.wait(timeout=30)
        slow = subprocess.run(
            [sys.executable, "-c", CLIENT, queue, TEXT, "0.5"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert slow.returncode != 0
        assert "ScrubUnavailable" in slow.stderr
        # The unanswered message, with the text in it, was taken back out of the queue.
        assert client.llen(queue) == 0
    finally:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
        client.delete(queue)
        for pattern in ("celery-task-meta-*", f"_kombu.binding*{queue}"):
            for key in client.scan_iter(match=pattern):
                client.delete(key)
