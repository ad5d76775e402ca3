"""Who may do what with a wijkpeiling. Views call these; 404 for "not yours".

- write (edit, open, close): a team survey, the professionals of a team in its wijk;
  a gemeente survey, the officers of its gemeente;
- ask in the street (rounds): the professionals of a team in the wijk, and the
  residents a professional added to a round (volunteers), for that round only;
- the team (open answers, summaries, signals, themes): professionals of the wijk;
- answer online: residents whose own wijk is the survey's wijk, once;
- results: everyone once the survey is closed (k-anonymous aggregates only).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import Role, User
from accounts.permissions import can_work_in_wijk, wijken_of_user
from peilingen.models import Peiling, PeilingStatus, Ronde


def can_write(user: User, peiling: Peiling) -> bool:
    if peiling.by_gemeente:
        return (
            user.role == Role.AMBTENAAR
            and user.gemeente_id is not None
            and user.gemeente_id == peiling.wijk.gemeente_id
        )
    return can_work_in_wijk(user, peiling.wijk)


def is_team(user: User, peiling: Peiling) -> bool:
    """A professional of a team in the survey's wijk: reads open answers."""
    return can_work_in_wijk(user, peiling.wijk)


def can_ask(user: User, ronde: Ronde) -> bool:
    """May this person take answers in this round?"""
    if ronde.closed_at is not None or not ronde.peiling.is_open:
        return False
    if is_team(user, ronde.peiling):
        return True
    return user.role == Role.BEWONER and ronde.helpers.filter(pk=user.pk).exists()


def can_see(user: User, peiling: Peiling) -> bool:
    """May the user open the survey's page (its staff side or its answer form)?"""
    if can_write(user, peiling) or is_team(user, peiling):
        return True
    if user.role == Role.AMBTENAAR:
        return user.gemeente_id == peiling.wijk.gemeente_id
    if user.role == Role.BEWONER:
        return peiling.status != PeilingStatus.CONCEPT and (
            user.wijk_id == peiling.wijk_id
            or peiling.rondes.filter(helpers=user).exists()
        )
    return False


def peilingen_for_user(user: User) -> QuerySet[Peiling]:
    """The surveys on the user's list."""
    qs = Peiling.objects.select_related("wijk__gemeente", "team")
    if user.role == Role.PROFESSIONAL:
        return qs.filter(wijk__in=wijken_of_user(user))
    if user.role == Role.AMBTENAAR:
        if user.gemeente_id is None:
            return qs.none()
        return qs.filter(wijk__gemeente_id=user.gemeente_id)
    if user.role == Role.BEWONER:
        return (
            qs.exclude(status=PeilingStatus.CONCEPT)
            .filter(Q(wijk_id=user.wijk_id) | Q(rondes__helpers=user))
            .distinct()
        )
    return qs.none()
