"""A Redis cache that fails soft: Redis is a cache, never a dependency of reading a page.

Django's RedisCache raises on every connection error, so one Redis outage answered 500
on every page that reads a generation token, a page cache, an API answer or a rate-limit
counter (issue 15, item 8). `ResilientRedisCache` is Django's RedisCache with one rule:
when Redis cannot be reached, the cache behaves like an empty cache that forgets at
once. `get` misses, `get_many` finds nothing, `set` and `delete` do nothing, `add`
stores (and forgets), `incr` finds no key (ValueError, as Django documents), `touch`
and `has_key` answer False. Every caller then computes what it needs, as it does for a
cold cache, and says nothing to the person asking.

Two things keep a request fast while Redis is down:

- short socket timeouts (CACHE_CONNECT_TIMEOUT, CACHE_SOCKET_TIMEOUT in settings), for
  a Redis that hangs instead of refusing;
- a circuit breaker per Redis address, shared by the threads of a process: after a
  failure the cache is not tried again for `RETRY_SECONDS`, so a page that reads the
  cache twenty times waits for at most one timeout, not twenty.

What was written while Redis was down is lost, generations included (the tokens that
say a wijk's pages changed). So when a process reaches Redis again after it saw it
fail, it calls the `ON_RECOVERY` callables (dotted paths) once; the settings renew the
site-wide generation there, so no page cached before the outage is served after it.

Fail-open choices, on purpose: while Redis is down the rate limits (allauth's and our
own) count nothing and a used TOTP code is not remembered for its 30 seconds. The
alternative, refusing every login for the length of the outage, locks out the people
who need the site then.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.utils.module_loading import import_string
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Connection errors, time-outs, a Redis still loading or out of memory: the cache is
# not usable now. (ValueError from `incr` on a missing key is not one of these.)
CACHE_ERRORS: tuple[type[BaseException], ...] = (RedisError, OSError)


class Circuit:
    """Whether a Redis address is worth trying now; shared by a process's threads."""

    def __init__(self, name: str, retry_seconds: float) -> None:
        self.name = name
        self.retry_seconds = retry_seconds
        self._lock = threading.Lock()
        self._open_until = 0.0
        self._failed = False  # failed since the last success: recover when it works

    def allows(self) -> bool:
        return time.monotonic() >= self._open_until

    @property
    def is_open(self) -> bool:
        return not self.allows()

    @property
    def failed(self) -> bool:
        """Failed since the last success (an outage, or a probe is due)."""
        return self._failed

    def failure(self, exc: BaseException) -> None:
        with self._lock:
            first = not self._failed
            self._failed = True
            self._open_until = time.monotonic() + self.retry_seconds
        if first:
            logger.warning(
                "cache %s unreachable (%s): pages compute without it; "
                "trying again every %s s",
                self.name,
                exc,
                self.retry_seconds,
            )

    def success(self) -> bool:
        """Record a working round trip; True when it ends an outage."""
        if not self._failed:
            return False
        with self._lock:
            recovered, self._failed = self._failed, False
            self._open_until = 0.0
        if recovered:
            logger.warning("cache %s reachable again", self.name)
        return recovered


_circuits: dict[str, Circuit] = {}
_circuits_lock = threading.Lock()


def circuit_for(name: str, retry_seconds: float) -> Circuit:
    with _circuits_lock:
        found = _circuits.get(name)
        if found is None:
            found = _circuits[name] = Circuit(name, retry_seconds)
        found.retry_seconds = retry_seconds
        return found


def reset_circuits() -> None:
    """Forget every outage (for tests that start and stop their own Redis)."""
    with _circuits_lock:
        _circuits.clear()


class ResilientRedisCache(RedisCache):
    """Django's RedisCache that answers as an empty cache while Redis is down.

    Extra keys in the CACHES entry (beside BACKEND, LOCATION, OPTIONS ...):
    ``RETRY_SECONDS`` (default 5): how long after a failure Redis is left alone;
    ``ON_RECOVERY``: dotted paths of callables run once when Redis is back.
    """

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        name = server if isinstance(server, str) else ",".join(server)
        self._circuit = circuit_for(name, float(params.get("RETRY_SECONDS", 5)))
        self._on_recovery: tuple[str, ...] = tuple(params.get("ON_RECOVERY", ()))

    # --- the guard --------------------------------------------------------------------

    def _guarded(self, call: Callable[[], T], fallback: Callable[[], T]) -> T:
        if not self._circuit.allows():
            return fallback()
        # After an outage, first see that Redis is back and renew what the outage made
        # stale (ON_RECOVERY), then do what was asked: a read done before the renewal
        # would still find the tokens from before the outage.
        if self._circuit.failed and not self.ping():
            return fallback()
        try:
            return call()
        except CACHE_ERRORS as exc:
            self._circuit.failure(exc)
            return fallback()

    def _recovered(self) -> None:
        for path in self._on_recovery:
            try:
                import_string(path)()
            except Exception:
                logger.exception("cache recovery step %s failed", path)

    def ping(self) -> bool:
        """Whether Redis answers now (for /health/); tries even while the circuit is
        open, and closes it when Redis answers."""
        try:
            client: Any = self._cache  # type: ignore[attr-defined]
            client.get_client(write=True).ping()
        except CACHE_ERRORS as exc:
            self._circuit.failure(exc)
            return False
        if self._circuit.success():
            self._recovered()
        return True

    # --- Django's cache API -------------------------------------------------------------

    def add(
        self,
        key: Any,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        return self._guarded(
            lambda: super(ResilientRedisCache, self).add(key, value, timeout, version),
            lambda: True,
        )

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._guarded(
            lambda: super(ResilientRedisCache, self).get(key, default, version),
            lambda: default,
        )

    def set(
        self,
        key: Any,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        self._guarded(
            lambda: super(ResilientRedisCache, self).set(key, value, timeout, version),
            lambda: None,
        )

    def touch(
        self,
        key: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        return self._guarded(
            lambda: super(ResilientRedisCache, self).touch(key, timeout, version),
            lambda: False,
        )

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._guarded(
            lambda: super(ResilientRedisCache, self).delete(key, version),
            lambda: False,
        )

    def get_many(
        self, keys: Iterable[Any], version: int | None = None
    ) -> dict[Any, Any]:
        keys = list(keys)
        return self._guarded(
            lambda: super(ResilientRedisCache, self).get_many(keys, version),
            dict,
        )

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._guarded(
            lambda: super(ResilientRedisCache, self).has_key(key, version),
            lambda: False,
        )

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        def missing() -> int:
            raise ValueError(f"Key '{key}' not found (the cache is unreachable).")

        return self._guarded(
            lambda: super(ResilientRedisCache, self).incr(key, delta, version),
            missing,
        )

    def set_many(
        self,
        data: dict[Any, Any],
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> list[Any]:
        return self._guarded(
            lambda: super(ResilientRedisCache, self).set_many(data, timeout, version),
            list,
        )

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        keys = list(keys)
        self._guarded(
            lambda: super(ResilientRedisCache, self).delete_many(keys, version),
            lambda: None,
        )

    def clear(self) -> bool:  # type: ignore[override]
        return self._guarded(
            lambda: bool(super(ResilientRedisCache, self).clear()), lambda: False
        )
