"""The Redis cache fails soft: while Redis cannot be reached it answers as an empty
cache that forgets at once, and does not wait for Redis on every call."""

from __future__ import annotations

import time

import pytest
from django.core.cache.backends.base import BaseCache

from buurtwijs.cache import ResilientRedisCache, reset_circuits

UNREACHABLE = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def down() -> BaseCache:
    reset_circuits()
    yield ResilientRedisCache(
        UNREACHABLE,
        {"OPTIONS": {"socket_connect_timeout": 0.5}, "RETRY_SECONDS": 30},
    )
    reset_circuits()


def test_a_read_misses_when_redis_is_unreachable(down):
    assert down.get("key") is None
    assert down.get("key", "default") == "default"
    assert down.get_many(["a", "b"]) == {}
    assert down.has_key("key") is False
    assert down.get_or_set("key", lambda: "computed") == "computed"


def test_a_write_is_dropped_without_an_error(down):
    down.set("key", 1)
    assert down.set_many({"a": 1, "b": 2}) == []
    assert down.delete("key") is False
    down.delete_many(["a", "b"])
    assert down.touch("key") is False
    assert down.clear() is False


def test_add_succeeds_so_logins_and_mfa_codes_are_not_refused(down):
    """allauth takes a lock with `add` before it counts a login, and marks a used TOTP
    code with `add`: False would refuse every login while Redis is down."""
    assert down.add("key", 1) is True


def test_incr_finds_no_key_as_django_documents_for_a_missing_one(down):
    with pytest.raises(ValueError, match="not found"):
        down.incr("counter")


def test_after_one_failure_redis_is_left_alone_for_a_while(down, monkeypatch):
    assert down.get("key") is None
    calls = []
    monkeypatch.setattr(
        type(down._cache), "get", lambda *args: calls.append(args) or None
    )
    started = time.monotonic()
    for _ in range(100):
        down.get("key")
    assert calls == []
    assert time.monotonic() - started < 0.1


def test_the_recovery_steps_run_once_when_redis_answers_again(down, monkeypatch):
    ran = []
    monkeypatch.setattr(
        "tests.test_cache_backend.recovered", lambda: ran.append("renewed")
    )
    down._on_recovery = ("tests.test_cache_backend.recovered",)
    down._circuit.retry_seconds = 0
    assert down.get("key") is None  # fails: an outage starts
    monkeypatch.setattr(down, "_cache", FakeClient())
    assert down.get("key") == "value"
    assert down.get("key") == "value"
    assert ran == ["renewed"]


def recovered() -> None:  # replaced in the test above
    raise AssertionError("not replaced")


class FakeClient:
    """Stands in for Django's RedisCacheClient once Redis is back."""

    def get_client(self, key=None, *, write=False):
        return self

    def ping(self) -> bool:
        return True

    def get(self, key, default):
        return "value"
