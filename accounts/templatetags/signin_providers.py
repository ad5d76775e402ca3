"""The "Inloggen via <gemeente>" buttons on the login page (accounts/oidc.py)."""

from __future__ import annotations

from django import template

from accounts.models import SignInProvider

register = template.Library()


@register.simple_tag
def signin_providers() -> list[SignInProvider]:
    return list(
        SignInProvider.objects.filter(is_active=True, app__provider="openid_connect")
        .select_related("app")
        .order_by("label")
    )
