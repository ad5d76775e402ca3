"""Who may do what with buurtverbinders. Views call these; 404 for "not yours".

- grant and revoke the role: a professional of a team that works in the wijk;
- the connector's workspace (needs, consented offers, welcome requests, matches, log):
  a resident of the wijk with an active role for it, and nobody else (not the team:
  the team reads the log and the report; not officers);
- give or withdraw consent: a resident, for their own wijk;
- confirm a match: its helper, or an organiser of the need's initiative.
Connectors are residents: every signalen page refuses them (role_required).
"""

from __future__ import annotations

from typing import Any

from accounts.models import Role
from accounts.permissions import can_work_in_wijk
from buurtverbinders.models import Koppeling, Verbinder
from initiatieven.permissions import is_organiser
from wijken.models import Wijk


def is_resident_of(user: Any, wijk: Wijk) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role == Role.BEWONER
        and user.wijk_id is not None
        and user.wijk_id == wijk.pk
    )


def is_connector(user: Any, wijk: Wijk) -> bool:
    return bool(
        is_resident_of(user, wijk)
        and wijk.is_active
        and Verbinder.objects.filter(
            user=user, wijk=wijk, revoked_at__isnull=True
        ).exists()
    )


def is_team(user: Any, wijk: Wijk) -> bool:
    return bool(user.is_authenticated and can_work_in_wijk(user, wijk))


def is_helper(user: Any, koppeling: Koppeling) -> bool:
    return bool(user.is_authenticated and koppeling.helper_id == user.pk)


def is_need_side(user: Any, koppeling: Koppeling) -> bool:
    return bool(
        user.is_authenticated and is_organiser(user, koppeling.behoefte.initiatief)
    )


def can_see_koppeling(user: Any, koppeling: Koppeling) -> bool:
    return is_helper(user, koppeling) or is_need_side(user, koppeling)
