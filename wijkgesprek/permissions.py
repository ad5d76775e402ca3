"""Who may do what with a wijkgesprek. Views call these; 404 for "not yours".

- plan a meeting and draft its agenda: professionals of a team in the wijk and the
  officers of the wijk's gemeente ("planners");
- order the agenda, write the minutes and agreements, publish them: the planners and
  the resident who chairs that meeting;
- say they want to chair: residents of the wijk (confirmed e-mail address);
- see a planned meeting and its agenda: the planners, the chair and the residents of
  the wijk;
- see published minutes (with the agenda and agreements): everyone when public; the
  planners and the chair when marked not public. Unpublished minutes: the writers only.
"""

from __future__ import annotations

from typing import Any

from accounts.models import Role
from accounts.permissions import can_work_in_wijk
from bewonersagenda.permissions import is_resident_of
from wijken.models import Wijk
from wijkgesprek.models import Wijkgesprek


def is_team(user: Any, wijk: Wijk) -> bool:
    return bool(user.is_authenticated and can_work_in_wijk(user, wijk))


def is_officer(user: Any, wijk: Wijk) -> bool:
    return bool(
        user.is_authenticated
        and user.role == Role.AMBTENAAR
        and user.gemeente_id is not None
        and user.gemeente_id == wijk.gemeente_id
    )


def can_plan(user: Any, wijk: Wijk) -> bool:
    return wijk.is_active and (is_team(user, wijk) or is_officer(user, wijk))


def is_chair(user: Any, gesprek: Wijkgesprek) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and gesprek.chair_id is not None
        and gesprek.chair_id == user.pk
    )


def can_write(user: Any, gesprek: Wijkgesprek) -> bool:
    """Order the agenda, write minutes and agreements: planners and the chair."""
    return can_plan(user, gesprek.wijk) or is_chair(user, gesprek)


def can_volunteer(user: Any, wijk: Wijk) -> bool:
    return wijk.is_active and is_resident_of(user, wijk)


def can_see_meeting(user: Any, gesprek: Wijkgesprek) -> bool:
    """The meeting itself (date, place, agenda) before its minutes are public."""
    if not gesprek.wijk.is_active:
        return False
    return can_write(user, gesprek) or is_resident_of(user, gesprek.wijk)


def can_see_minutes(user: Any, gesprek: Wijkgesprek) -> bool:
    if not gesprek.wijk.is_active:
        return False
    if can_write(user, gesprek):
        return True
    return gesprek.minutes_published and gesprek.minutes_public


def can_see(user: Any, gesprek: Wijkgesprek) -> bool:
    return can_see_meeting(user, gesprek) or can_see_minutes(user, gesprek)
