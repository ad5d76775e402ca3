"""Professionals, officers and beheerders reach nothing of their role without 2FA."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.mfa import has_mfa
from accounts.oidc import mfa_by_provider

# Paths a user without 2FA may still open: setting it up (and the recovery codes and
# the password check that come with it), logging out, confirming an e-mail address,
# the language switch and the health check. Compared with request.path_info, so the
# list holds when the site runs under a URL prefix.
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
        path = request.path_info
        if (
            user is not None
            and user.is_authenticated
            and user.role in settings.MFA_REQUIRED_ROLES
            and not path.startswith(ALLOWED_PREFIXES)
            and not path.startswith(settings.STATIC_URL)
            and not has_mfa(user)
            # A second step at the gemeente's provider counts (accounts/oidc.py).
            and not mfa_by_provider(request, user)
        ):
            if getattr(request, "htmx", False):
                # A redirect inside an htmx swap would paste the setup page into a
                # fragment; ask htmx to load it as a whole page instead.
                response = HttpResponse(status=204)
                response["HX-Redirect"] = reverse("mfa_activate_totp")
                return response
            messages.info(
                request,
                _(
                    "U werkt met gevoelige gegevens. Stel eerst tweestapsverificatie in "
                    "met een app op uw telefoon. Daarna kunt u verder."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
