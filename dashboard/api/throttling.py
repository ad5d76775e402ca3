"""The rate limit per client (IP address), counted in Django's cache."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle

from accounts.client_ip import client_ip


class ApiRateThrottle(AnonRateThrottle):
    """AnonRateThrottle for every caller (the API has no login), with its rate read
    from settings.API_RATE_LIMIT at each request, so a deploy (or a test) sets it."""

    scope = "api"

    def get_rate(self) -> str:
        return str(settings.API_RATE_LIMIT)

    def get_ident(self, request):  # type: ignore[no-untyped-def]
        # Behind trusted proxies: the real client (accounts/client_ip.py), the same
        # address the login limits count; otherwise DRF's NUM_PROXIES rule.
        if settings.TRUSTED_PROXIES:
            return client_ip(request)
        return super().get_ident(request)

    def allow_request(self, request, view):  # type: ignore[no-untyped-def]
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)
