"""Request types and response helpers for views.

`AuthenticatedHttpRequest` is what a view behind login_required / role_required gets:
its `user` is our accounts.models.User, so views need no `type: ignore`. core may not
import accounts (it is the bottom layer): the annotation uses django-stubs'
placeholder `_User`, which its mypy plugin refines to settings.AUTH_USER_MODEL
(accounts.User). At run time the class is a plain HttpRequest subclass that only
serves as an annotation; Django passes its own request object.

Team pages must not be stored by browsers or proxies: use Django's own
`never_cache` (re-exported here), which sets "Cache-Control: max-age=0, no-cache,
no-store, must-revalidate, private".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.views.decorators.cache import never_cache

if TYPE_CHECKING:
    from django.contrib.auth.models import _User

__all__ = ["AuthenticatedHttpRequest", "never_cache"]


class AuthenticatedHttpRequest(HttpRequest):
    """An HttpRequest whose user is signed in (accounts.models.User, for mypy)."""

    user: _User
