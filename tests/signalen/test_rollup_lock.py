"""The roll-up lock, both ways: redis-py's Lock when REDIS_URL is set (production) and
Django's cache when it is not (the embedded demo, the tests on SQLite).

The Redis tests need a real Redis: TEST_REDIS_URL (on the shared Redis use db 14, e.g.
redis://127.0.0.1:6379/14); without it they skip. Each test writes its keys under a
prefix of its own and deletes them afterwards, so parallel runs on one Redis do not meet.
"""

from __future__ import annotations

import os
import time
import uuid
from unittest import mock

import pytest
import redis
import redis.lock
from django.utils import timezone

from signalen.models import RollupRun, SignaalTelling, ThemaLid, WijkThema
from signalen.themes import runs as rollup_runs
from signalen.themes.runs import (
    RedisWijkLock,
    RollupBusy,
    RollupLockLost,
    WijkLock,
    lock_acquire,
    lock_is_held,
    rollup_wijk,
)
from tests.signalen.test_rollup_runs import EENZAAM, NOISE, SCHIMMEL, add_signals

NO_REDIS = (
    "Redis lock tests skipped: set TEST_REDIS_URL to a Redis database they may use "
    "(on the shared Redis: redis://127.0.0.1:6379/14)."
)
OTHER_TOKEN = "token-van-een-ander"
# Nothing listens on port 1: a connection is refused at once.
UNREACHABLE = "redis://127.0.0.1:1/14"


@pytest.fixture(scope="module")
def redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL", "")
    if not url:
        pytest.skip(NO_REDIS)
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        message = f"Redis lock tests: Redis is not reachable at {url}: {exc}"
        if os.environ.get("BUURTWIJS_REQUIRE_WORKER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return url


@pytest.fixture
def prefix(monkeypatch) -> str:
    """A key prefix of this test's own (wijk ids repeat across test runs)."""
    value = f"test-{uuid.uuid4().hex[:12]}:{rollup_runs.LOCK_PREFIX}"
    monkeypatch.setattr(rollup_runs, "LOCK_PREFIX", value)
    return value


@pytest.fixture
def on_redis(redis_url, settings, prefix):
    settings.REDIS_URL = redis_url
    client = redis.Redis.from_url(redis_url)
    yield client
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def on_cache(settings, prefix):
    settings.REDIS_URL = ""


class Backend:
    """What a test does to a lock behind the lock's back, on either store."""

    def __init__(self, name: str, client: redis.Redis | None):
        self.name = name
        self.client = client

    def steal(self, wijk_id: int) -> None:
        """Another run took the wijk (after this run's lock expired)."""
        key = f"{rollup_runs.LOCK_PREFIX}{wijk_id}"
        if self.client is not None:
            self.client.set(key, OTHER_TOKEN, px=60_000)
        else:
            rollup_runs.cache.set(key, OTHER_TOKEN, timeout=60)

    def holder(self, wijk_id: int) -> str | None:
        key = f"{rollup_runs.LOCK_PREFIX}{wijk_id}"
        if self.client is not None:
            value = self.client.get(key)
            return value.decode() if value is not None else None
        return rollup_runs.cache.get(key)


@pytest.fixture(params=["cache", "redis"])
def backend(request, db) -> Backend:
    # db: a lock someone holds is looked up on its run (is that run still running?).
    if request.param == "redis":
        return Backend("redis", request.getfixturevalue("on_redis"))
    request.getfixturevalue("on_cache")
    return Backend("cache", None)


@pytest.fixture
def two_themes(team, professional, colleague):
    authors = [professional, colleague]
    add_signals(SCHIMMEL, team=team, authors=authors)
    add_signals(EENZAAM, team=team, authors=authors, categorie="eenzaamheid")
    add_signals(NOISE, team=team, authors=authors, categorie="overig")


# --- Which lock --------------------------------------------------------------------------


def test_without_redis_url_the_lock_lives_in_the_django_cache(on_cache):
    lock = lock_acquire(7)
    assert isinstance(lock, WijkLock)
    assert rollup_runs.cache.get(lock.key) == lock.token
    lock.release()


def test_with_redis_url_the_lock_is_a_redis_py_lock_with_a_time_to_live(
    on_redis, settings
):
    settings.ROLLUP_LOCK_TTL = 90
    lock = lock_acquire(7)
    assert isinstance(lock, RedisWijkLock)
    assert isinstance(lock.lock, redis.lock.Lock)
    assert on_redis.get(lock.key) == lock.token.encode()
    # A crashed worker's lock expires by itself.
    assert 80_000 < on_redis.pttl(lock.key) <= 90_000
    lock.release()
    assert not on_redis.exists(lock.key)


def test_with_redis_unreachable_a_run_is_refused_before_it_writes_anything(
    settings, prefix, wijk, two_themes
):
    settings.REDIS_URL = UNREACHABLE
    with pytest.raises(redis.ConnectionError):
        lock_acquire(wijk.pk)
    with pytest.raises(redis.ConnectionError):
        rollup_wijk(wijk)
    assert not RollupRun.objects.exists()
    assert not WijkThema.objects.exists()


# --- The same rules on both stores --------------------------------------------------------


def test_a_held_lock_cannot_be_taken_and_is_free_after_release(backend):
    lock = lock_acquire(7)
    assert lock is not None
    assert lock_is_held(7)
    assert lock_acquire(7) is None
    lock.release()
    assert not lock_is_held(7)
    again = lock_acquire(7)
    assert again is not None
    again.release()


def test_the_lock_is_per_wijk(backend):
    first = lock_acquire(7)
    second = lock_acquire(8)
    assert first is not None
    assert second is not None
    first.release()
    assert lock_is_held(8)
    second.release()


def test_a_lock_expires_by_itself_so_a_crashed_worker_does_not_block_the_wijk(
    backend, settings
):
    settings.ROLLUP_LOCK_TTL = 1
    crashed = lock_acquire(7)
    assert crashed is not None
    time.sleep(1.2)
    assert not lock_is_held(7)
    taken = lock_acquire(7)
    assert taken is not None
    taken.release()


def test_an_expired_lock_taken_over_is_neither_extended_nor_released_by_its_old_holder(
    backend, settings
):
    settings.ROLLUP_LOCK_TTL = 1
    old = lock_acquire(7)
    time.sleep(1.2)
    settings.ROLLUP_LOCK_TTL = 60
    new = lock_acquire(7)
    assert new is not None

    assert old.extend() is False
    old.release()

    assert backend.holder(7) == new.token
    new.release()
    assert not lock_is_held(7)


def test_extend_gives_the_holder_a_fresh_time_to_live(backend, settings):
    settings.ROLLUP_LOCK_TTL = 2
    lock = lock_acquire(7)
    time.sleep(1.2)
    assert lock.extend() is True
    time.sleep(1.2)  # 2.4 s after it was taken: held only thanks to the extension
    assert backend.holder(7) == lock.token
    lock.release()


def test_a_lock_someone_else_holds_is_not_extended(backend):
    lock = lock_acquire(7)
    backend.steal(7)
    assert lock.extend() is False
    lock.release()
    assert backend.holder(7) == OTHER_TOKEN


# --- A run on the lock --------------------------------------------------------------------


def test_a_run_takes_the_lock_and_leaves_the_wijk_free(backend, wijk, two_themes):
    run = rollup_wijk(wijk)
    assert run.status == RollupRun.Status.SUCCESS
    assert run.themes_created == 2
    assert not lock_is_held(wijk.pk)


def test_while_the_lock_is_held_a_run_is_refused_and_writes_nothing(
    backend, wijk, two_themes
):
    lock = lock_acquire(wijk.pk)
    with pytest.raises(RollupBusy):
        rollup_wijk(wijk)
    assert not RollupRun.objects.exists()
    assert not WijkThema.objects.exists()
    # A refused run does not release someone else's lock.
    assert backend.holder(wijk.pk) == lock.token
    lock.release()


def test_a_run_whose_lock_was_taken_over_writes_nothing(
    backend, wijk, two_themes, monkeypatch
):
    engine = rollup_runs.run_wijk

    def slow_engine(*args, **kwargs):
        result = engine(*args, **kwargs)
        backend.steal(wijk.pk)  # the engine ran longer than the lock lives
        return result

    monkeypatch.setattr(rollup_runs, "run_wijk", slow_engine)
    with pytest.raises(RollupLockLost):
        rollup_wijk(wijk)

    run = RollupRun.objects.get()
    assert run.status == RollupRun.Status.FAILED
    assert run.error == rollup_runs.LOCK_LOST
    assert not WijkThema.objects.exists()
    assert not ThemaLid.objects.exists()
    assert not SignaalTelling.objects.exists()
    # The other run's lock stays.
    assert backend.holder(wijk.pk) == OTHER_TOKEN


# --- A lock left by a killed run ------------------------------------------------------------


def _left_lock(backend, wijk, *, status) -> RollupRun:
    """A run that holds the wijk's lock, with the status the sweep gave it."""
    lock = lock_acquire(wijk.pk)
    return RollupRun.objects.create(
        wijk=wijk,
        trigger=RollupRun.Trigger.INTAKE,
        started_at=timezone.now(),
        status=status,
        lock_token=lock.token,
    )


def test_the_lock_of_an_abandoned_run_is_broken_by_the_next_run(
    backend, wijk, two_themes
):
    """A killed worker's lock lives ROLLUP_LOCK_TTL (15 minutes); once the sweep has
    marked its run abandoned (no heartbeat), the next run does not wait for it."""
    killed = _left_lock(backend, wijk, status=RollupRun.Status.ABANDONED)
    assert lock_is_held(wijk.pk)

    run = rollup_wijk(wijk)

    assert run.status == RollupRun.Status.SUCCESS
    assert run.lock_token
    assert run.lock_token != killed.lock_token
    assert not lock_is_held(wijk.pk)
    killed.refresh_from_db()
    assert killed.status == RollupRun.Status.ABANDONED


def test_the_lock_of_a_run_still_running_is_not_broken(backend, wijk, two_themes):
    alive = _left_lock(backend, wijk, status=RollupRun.Status.RUNNING)
    with pytest.raises(RollupBusy):
        rollup_wijk(wijk)
    assert backend.holder(wijk.pk) == alive.lock_token


def test_a_lock_without_a_recorded_run_is_not_broken(backend, wijk, two_themes):
    """Between taking the lock and recording its run a run has no row yet."""
    backend.steal(wijk.pk)
    RollupRun.objects.create(
        wijk=wijk,
        trigger=RollupRun.Trigger.INTAKE,
        started_at=timezone.now(),
        status=RollupRun.Status.ABANDONED,
        lock_token="een-ander-token",
    )
    assert lock_acquire(wijk.pk) is None
    assert backend.holder(wijk.pk) == OTHER_TOKEN


# --- Redis going away mid-run --------------------------------------------------------------


def test_with_redis_gone_before_writing_the_run_counts_its_lock_as_lost(on_redis):
    lock = lock_acquire(7)

    def gone(*args, **kwargs):
        raise redis.ConnectionError("Redis is weg")

    with mock.patch.object(lock.lock, "extend", gone):
        assert lock.extend() is False
    lock.release()


def test_with_redis_gone_at_the_end_release_does_not_hide_the_outcome(
    on_redis, monkeypatch
):
    lock = lock_acquire(7)

    def gone(*args, **kwargs):
        raise redis.ConnectionError("Redis is weg")

    monkeypatch.setattr(lock.lock, "release", gone)
    lock.release()  # logged; the lock expires by itself
    assert on_redis.pttl(lock.key) > 0
