"""Who may do what on the bewonersagenda. Views call these; 404 for "not yours".

- raise a concern: a resident whose own wijk it is, with a confirmed e-mail address;
- support (and withdraw before the threshold): the same, once per concern;
- link a theme: a professional of a team that works in the wijk;
- answer: an officer of the wijk's gemeente, once the threshold is reached;
- hide or close: a beheerder (close also the officer, after the answer);
- read: everyone (a hidden concern: the beheerder only).
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress

from accounts.models import Role
from accounts.permissions import can_work_in_wijk
from bewonersagenda.models import Agendapunt, AgendapuntStatus
from wijken.models import Wijk


def has_verified_email(user: Any) -> bool:
    return EmailAddress.objects.filter(
        user=user, email__iexact=user.email, verified=True
    ).exists()


def is_resident_of(user: Any, wijk: Wijk) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role == Role.BEWONER
        and user.wijk_id is not None
        and user.wijk_id == wijk.pk
        and has_verified_email(user)
    )


def can_raise(user: Any, wijk: Wijk) -> bool:
    return wijk.is_active and is_resident_of(user, wijk)


def can_support(user: Any, agendapunt: Agendapunt) -> bool:
    return (
        agendapunt.status == AgendapuntStatus.OPEN
        and not agendapunt.is_hidden
        and is_resident_of(user, agendapunt.wijk)
    )


def is_team(user: Any, agendapunt: Agendapunt) -> bool:
    return bool(user.is_authenticated and can_work_in_wijk(user, agendapunt.wijk))


def is_officer(user: Any, agendapunt: Agendapunt) -> bool:
    return bool(
        user.is_authenticated
        and user.role == Role.AMBTENAAR
        and user.gemeente_id is not None
        and user.gemeente_id == agendapunt.wijk.gemeente_id
    )


def is_beheerder(user: Any) -> bool:
    return bool(user.is_authenticated and user.role == Role.BEHEERDER)


def can_see(user: Any, agendapunt: Agendapunt) -> bool:
    if agendapunt.is_hidden:
        return is_beheerder(user)
    return agendapunt.wijk.is_active


def can_answer(user: Any, agendapunt: Agendapunt) -> bool:
    return (
        is_officer(user, agendapunt)
        and not agendapunt.is_hidden
        and agendapunt.status in (AgendapuntStatus.DREMPEL, AgendapuntStatus.BEANTWOORD)
    )


def can_close(user: Any, agendapunt: Agendapunt) -> bool:
    if agendapunt.status == AgendapuntStatus.GESLOTEN:
        return False
    if is_beheerder(user):
        return True
    return (
        is_officer(user, agendapunt)
        and agendapunt.status == AgendapuntStatus.BEANTWOORD
    )
