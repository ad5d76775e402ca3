"""Who may see and change an initiative.

Hidden initiatives are seen only by their organisers and by beheerders; for everyone else
they do not exist (404). Only organisers (owner and co-organisers) edit.
"""

from __future__ import annotations

from typing import Any

from initiatieven.models import Initiatief


def is_organiser(user: Any, initiatief: Initiatief) -> bool:
    if not user.is_authenticated:
        return False
    if initiatief.owner_id == user.pk:
        return True
    return any(u.pk == user.pk for u in initiatief.co_organisers.all())


def can_see(user: Any, initiatief: Initiatief) -> bool:
    if not initiatief.is_hidden:
        return True
    if user.is_authenticated and user.is_beheerder:
        return True
    return is_organiser(user, initiatief)


def can_edit(user: Any, initiatief: Initiatief) -> bool:
    return is_organiser(user, initiatief)


def is_owner(user: Any, initiatief: Initiatief) -> bool:
    return bool(user.is_authenticated and initiatief.owner_id == user.pk)


def can_moderate(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_beheerder)
