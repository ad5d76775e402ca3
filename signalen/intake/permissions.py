"""Who may do what with signals.

Only professionals reach signal pages (the 2FA middleware already stands in front
of them), and only for the wijken of their own teams. Wrong role: 403. A signal of
another team: 404, so its existence is not revealed.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from accounts.models import Role, Team, User
from accounts.permissions import role_required, wijken_of_user
from signalen.intake.queries import signalen_for_user
from signalen.models import Signaal
from wijken.models import Wijk

# The author may change or withdraw a signal this long after logging it.
EDIT_WINDOW = datetime.timedelta(hours=24)

professional_required: Callable[..., Any] = role_required(Role.PROFESSIONAL)


def signaal_get_for_user(*, user: User, pk: int) -> Signaal:
    """The signal, if the user may read it; otherwise 404."""
    signaal = signalen_for_user(user=user).filter(pk=pk).first()
    if signaal is None:
        raise Http404
    return signaal


def can_change_signaal(
    *, user: User, signaal: Signaal, now: datetime.datetime | None = None
) -> bool:
    """Authors change or withdraw their own signal within 24 hours, while it is live."""
    now = now or timezone.now()
    return (
        signaal.author_id is not None
        and signaal.author_id == user.pk
        and signaal.withdrawn_at is None
        and signaal.text_wiped_at is None
        and now - signaal.created_at < EDIT_WINDOW
    )


def wijken_with_team(wijken: QuerySet[Wijk], *, user: User) -> QuerySet[Wijk]:
    """The user's wijken, each with `author_team_id`: the user's team that works in
    it, as `team_for_signaal` finds it (the first, if several do). The quick-log POST
    reads the wijken and the team in one query."""
    return wijken.annotate(
        author_team_id=Subquery(
            Team.objects.filter(members=user, wijken=OuterRef("pk"))
            .order_by("pk")
            .values("pk")[:1]
        )
    )


def team_for_signaal(*, user: User, wijk: Wijk) -> Team | None:
    """The user's team that works in this wijk (the first, if several do)."""
    return (
        Team.objects.filter(members=user, wijken=wijk, wijken__is_active=True)
        .order_by("pk")
        .first()
    )


# --- The wijkteam's contact and places (signalen/places/views.py) ---------------------

places_managers_required: Callable[..., Any] = role_required(
    Role.PROFESSIONAL, Role.BEHEERDER
)


def places_wijken(user: User) -> QuerySet[Wijk]:
    """The wijken whose contact and places the user may change: a professional's team
    wijken; every active wijk for a beheerder."""
    if user.role == Role.BEHEERDER:
        return Wijk.objects.filter(is_active=True)
    return wijken_of_user(user)


def places_wijk_get(*, user: User, code: str) -> Wijk:
    """The wijk, if the user may change its contact and places; otherwise 404, so a
    professional learns nothing about wijken outside their team."""
    wijk = (
        places_wijken(user)
        .select_related("gemeente", "wijkteam_contact")
        .filter(code=str(code).upper()[:10])
        .first()
    )
    if wijk is None:
        raise Http404
    return wijk
