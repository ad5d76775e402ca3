"""The "Inloggen via <gemeente>" buttons on the login page (accounts/oidc.py)."""

from __future__ import annotations

from typing import Any

from django import template

from accounts.models import SignInProvider
from accounts.oidc import allow_form_action_to

register = template.Library()


@register.simple_tag(takes_context=True)
def signin_providers(context: dict[str, Any]) -> list[SignInProvider]:
    providers = list(
        SignInProvider.objects.filter(is_active=True, app__provider="openid_connect")
        .select_related("app")
        .order_by("label")
    )
    request = context.get("request")
    if request is not None and providers:
        # A button posts here, and the answer redirects to the provider: the page's
        # Content-Security-Policy (form-action) must allow the provider's address.
        allow_form_action_to(request, [p.app for p in providers])
    return providers
