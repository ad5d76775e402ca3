"""The rate limit per client (IP address), counted in Django's cache.

The count is core.ratelimit's: increment first, then compare, so simultaneous
requests cannot all pass the quota (DRF's own throttles read the history, then write
it back, and every request that reads before the others write passes)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from accounts.client_ip import client_ip
from core import ratelimit


class ApiRateThrottle(SimpleRateThrottle):
    """A fixed-window limit for every caller (the API has no login), with its rate
    read from settings.API_RATE_LIMIT at each request, so a deploy (or a test) sets
    it."""

    scope = "api"
    cache_format = "throttle_%(scope)s_%(ident)s_%(window)s"

    def __init__(self) -> None:
        # The rate is read per request (allow_request), not once here.
        self._window_end = 0.0

    def get_rate(self) -> str:
        return str(settings.API_RATE_LIMIT)

    def get_ident(self, request: Request) -> str:
        # Behind trusted proxies: the real client (accounts/client_ip.py), the same
        # address the login limits count; otherwise DRF's NUM_PROXIES rule.
        if settings.TRUSTED_PROXIES:
            return client_ip(request)
        return super().get_ident(request)

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        return None  # not used: allow_request builds the key with its window

    def allow_request(self, request: Request, view: Any) -> bool:
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        if self.num_requests is None or self.duration is None:
            return True
        now = time.time()
        window = int(now // self.duration)
        self._window_end = (window + 1) * self.duration
        key = self.cache_format % {
            "scope": self.scope,
            "ident": self.get_ident(request),
            "window": window,
        }
        return ratelimit.allow(key, limit=self.num_requests, seconds=self.duration)

    def wait(self) -> float | None:
        """Seconds until the current window ends (the Retry-After header)."""
        return max(1.0, self._window_end - time.time())
