"""Reads of the data-rights pages that are not part of an export (privacy.services
holds the export and the removal)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import Role, User

STAFF_ROLES = [Role.PROFESSIONAL, Role.AMBTENAAR, Role.BEHEERDER]


def staff_active(*, term: str = "") -> QuerySet[User]:
    """Active staff accounts (professionals, officers, beheerders) a beheerder may
    deactivate, by name; `term` narrows on name or e-mail address."""
    staff = User.objects.filter(role__in=STAFF_ROLES, is_active=True)
    if term:
        staff = staff.filter(Q(display_name__icontains=term) | Q(email__icontains=term))
    return staff.order_by("display_name", "pk")
