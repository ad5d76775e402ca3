"""core.ratelimit: increment first, then compare, so simultaneous requests cannot
pass a quota."""

from __future__ import annotations

import os
import threading
import uuid

import pytest
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache

from core import ratelimit

THREADS = 24
LIMIT = 5


def _race(backend, key: str) -> list[bool]:
    barrier = threading.Barrier(THREADS)
    results: list[bool] = []
    lock = threading.Lock()

    def attempt():
        barrier.wait()
        allowed = ratelimit.allow(key, limit=LIMIT, seconds=60)
        with lock:
            results.append(allowed)

    threads = [threading.Thread(target=attempt) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_simultaneous_attempts_pass_the_quota_exactly_limit_times():
    key = f"test:rl:{uuid.uuid4()}"
    results = _race(cache, key)
    assert results.count(True) == LIMIT
    assert results.count(False) == THREADS - LIMIT
    assert ratelimit.count(key) == THREADS


def test_simultaneous_attempts_on_redis_pass_the_quota_exactly_limit_times(
    monkeypatch,
):
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    redis_cache = RedisCache(url, {"KEY_PREFIX": f"bw-test-{uuid.uuid4()}"})
    try:
        redis_cache.get("ping")
    except Exception:
        pytest.skip("no Redis at TEST_REDIS_URL")
    monkeypatch.setattr(ratelimit, "cache", redis_cache)
    key = "test:rl:redis"
    try:
        results = _race(redis_cache, key)
        assert results.count(True) == LIMIT
    finally:
        redis_cache.delete(key)


def test_hit_counts_up_from_one_and_count_reads_without_counting():
    key = f"test:rl:{uuid.uuid4()}"
    assert ratelimit.count(key) == 0
    assert ratelimit.hit(key, seconds=60) == 1
    assert ratelimit.hit(key, seconds=60) == 2
    assert ratelimit.count(key) == 2


def test_the_attempt_after_the_limit_is_refused():
    key = f"test:rl:{uuid.uuid4()}"
    assert [ratelimit.allow(key, limit=2, seconds=60) for _ in range(3)] == [
        True,
        True,
        False,
    ]


def test_give_back_undoes_one_hit_and_never_goes_below_zero():
    key = f"test:rl:{uuid.uuid4()}"
    ratelimit.hit(key, seconds=60)
    ratelimit.give_back(key)
    assert ratelimit.count(key) == 0
    ratelimit.give_back(key)
    assert ratelimit.count(key) == 0
    ratelimit.give_back(f"test:rl:{uuid.uuid4()}")  # no counter: nothing happens


def test_reset_starts_a_new_window():
    key = f"test:rl:{uuid.uuid4()}"
    ratelimit.hit(key, seconds=60)
    ratelimit.reset(key)
    assert ratelimit.count(key) == 0


def test_a_counter_that_expired_between_add_and_incr_starts_again_at_one(
    monkeypatch,
):
    key = f"test:rl:{uuid.uuid4()}"
    real_add = cache.add
    calls = []

    def add_that_expires(k, value, timeout=None):
        calls.append(value)
        if len(calls) == 1:
            return True  # "created", but gone before incr
        return real_add(k, value, timeout=timeout)

    monkeypatch.setattr(cache, "add", add_that_expires)
    assert ratelimit.hit(key, seconds=60) == 1
