"""The rate-limit counter, in Django's cache.

Increment first, then compare: `cache.add` creates the counter (a no-op when it
exists) and `cache.incr` adds one atomically (on Redis and in local memory), so each
of N simultaneous requests sees its own number and at most `limit` of them pass. A
read-then-write counter lets every request that reads before the others write pass.
"""

from __future__ import annotations

from django.core.cache import cache


def hit(key: str, *, seconds: int) -> int:
    """Add one to the counter and return the new count. A new counter lives
    `seconds`; later hits do not extend it (a fixed window)."""
    cache.add(key, 0, timeout=seconds)
    try:
        return int(cache.incr(key))
    except ValueError:
        # The counter expired between add and incr: this hit starts a new window.
        if cache.add(key, 1, timeout=seconds):
            return 1
        return int(cache.incr(key))


def allow(key: str, *, limit: int, seconds: int) -> bool:
    """Count this attempt; True while it is within `limit` per window."""
    return hit(key, seconds=seconds) <= limit


def count(key: str) -> int:
    """How many hits the current window holds (0 when none)."""
    return int(cache.get(key) or 0)


def give_back(key: str) -> None:
    """Take back one hit, for an attempt that did not happen after all."""
    try:
        if int(cache.decr(key)) < 0:
            cache.set(key, 0)
    except ValueError:
        pass  # expired: nothing to give back


def reset(key: str) -> None:
    cache.delete(key)
