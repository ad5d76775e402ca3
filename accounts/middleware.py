"""Professionals, officers and beheerders reach nothing of their role without 2FA."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts.mfa import has_mfa

# Paths a user without 2FA may still open: setting it up, logging out, the language
# switch, static files and the health check.
ALLOWED_PREFIXES = (
    "/account/2fa/",
    "/account/logout/",
    "/account/reauthenticate/",
    "/account/confirm-email/",
    "/i18n/",
    "/health/",
)


class RequireMFAMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.role in settings.MFA_REQUIRED_ROLES
            and not request.path.startswith(ALLOWED_PREFIXES)
            and not request.path.startswith(settings.STATIC_URL)
            and not has_mfa(user)
        ):
            messages.info(
                request,
                _(
                    "U werkt met gevoelige gegevens. Stel eerst tweestapsverificatie in "
                    "met een app op uw telefoon. Daarna kunt u verder."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
