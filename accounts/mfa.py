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
