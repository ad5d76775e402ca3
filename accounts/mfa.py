from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.contrib.auth.base_user import AbstractBaseUser


def has_mfa(user: AbstractBaseUser) -> bool:
    """Has this user set up an authenticator app (TOTP)?"""
    cached = getattr(user, "_has_mfa", None)
    if cached is None:
        cached = Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).exists()
        user._has_mfa = cached  # type: ignore[attr-defined]
    return bool(cached)


def totp_activate(*, user: AbstractBaseUser, secret: str) -> None:
    """Give a user an authenticator app with a known secret, plus recovery codes.

    Used by the demo data and tests; real users go through allauth's own setup page.
    """
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).exists():
        TOTP.activate(user, secret)
    if not Authenticator.objects.filter(
        user=user, type=Authenticator.Type.RECOVERY_CODES
    ).exists():
        RecoveryCodes.activate(user)
    user._has_mfa = True  # type: ignore[attr-defined]


def totp_code_now(secret: str) -> str:
    """The code an authenticator app would show right now for this secret."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    counter = int(time.time()) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))
