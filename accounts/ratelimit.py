"""Failed logins counted per account and client together, with a higher ceiling per
account that slows an account down instead of locking it.

allauth's own "key" limit counts failures per account from anywhere: five wrong
passwords typed by anyone lock a named staff member out, again and again. Here one
client (the real one, accounts/client_ip.py) may fail LOGIN_FAILED_LIMITS["pair"]
times for one account; other clients, its owner among them, keep their own count.
A spread-out attack on one account hits the "account" ceiling; past it every client
still gets one try per "pair_slow" window. Staff also need their second factor, so a
guessed password alone opens nothing.

The counters live in the cache through allauth's rate-limit helpers (the same store
and lock as its own limits); a successful login rolls this attempt back.
"""

from __future__ import annotations

from allauth.core.internal import ratelimit as allauth_ratelimit
from allauth.core.internal.ratelimit import RateLimitUsage
from django.conf import settings
from django.http import HttpRequest

from accounts.client_ip import client_ip

APP = "accounts.login"


def _consume(request: HttpRequest, action: str, key: str) -> RateLimitUsage | None:
    return allauth_ratelimit.consume(
        request,
        app=APP,
        action=action,
        config=settings.LOGIN_FAILED_LIMITS,
        key=key,
    )


def login_attempt_consume(request: HttpRequest, *, login: str) -> RateLimitUsage | None:
    """Count one login attempt for this account from this client; None when it is
    refused. The caller rolls the returned usage back when the password was right."""
    login = login.strip().lower()
    pair_key = f"{login}|{client_ip(request)}"
    pair = _consume(request, "pair", pair_key)
    if pair is None:
        return None
    account = _consume(request, "account", login)
    if account is not None:
        return RateLimitUsage(usage=pair.usage + account.usage)
    # Past the ceiling: slow this account down for every client, lock it for none.
    slow = _consume(request, "pair_slow", pair_key)
    if slow is None:
        pair.rollback()
        return None
    return RateLimitUsage(usage=pair.usage + slow.usage)


def login_failures_clear(request: HttpRequest, *, login: str) -> None:
    """After a password reset (the link reached the mailbox): this client's count for
    the account starts again. The ceiling per account stays, as allauth keeps its own
    limit per client: a reset must not open the door to guessing elsewhere."""
    login = login.strip().lower()
    pair_key = f"{login}|{client_ip(request)}"
    for action in ("pair", "pair_slow"):
        allauth_ratelimit.clear(
            request,
            app=APP,
            action=action,
            config=settings.LOGIN_FAILED_LIMITS,
            key=pair_key,
        )
