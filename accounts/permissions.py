"""Who may see what. Views call these; 404 for "not yours", 403 for "not your role"."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from accounts.models import Role, User
from wijken.models import Gemeente, Wijk


def role_required(*roles: str) -> Callable[..., Any]:
    """Anonymous users go to the login page; users with another role get 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.user.role not in roles:  # type: ignore[union-attr]
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def wijken_of_user(user: User) -> QuerySet[Wijk]:
    """The wijken whose team data this user may see: a professional's team wijken."""
    if user.role == Role.PROFESSIONAL:
        return Wijk.objects.filter(teams__members=user, is_active=True).distinct()
    return Wijk.objects.none()


def can_work_in_wijk(user: User, wijk: Wijk) -> bool:
    return (
        user.role == Role.PROFESSIONAL
        and wijken_of_user(user).filter(pk=wijk.pk).exists()
    )


def can_read_gemeente(user: User, gemeente: Gemeente) -> bool:
    """Officers read the dashboard of their own gemeente only."""
    return user.role == Role.AMBTENAAR and user.gemeente_id == gemeente.pk
