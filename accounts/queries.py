"""Reads for accounts: what the platform holds about one person (AVG inzage).

Each app answers `personal_data(user)` for its own rows; privacy/services.py puts the
parts together. Values are plain JSON types (str, int, bool, None, lists, dicts) so the
export can be written as JSON without further conversion.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.db.models import QuerySet

from accounts.models import Invitation, ProviderSignIn, Role, Team, User


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def personal_data(user: User) -> dict[str, Any]:
    """The account itself: profile, role, wijk, teams, e-mail addresses, whether
    two-step verification is on, accounts linked at a sign-in provider and the sign-ins
    through them. Never a password hash, an authenticator secret or a provider token."""
    data: dict[str, Any] = {
        "profile": {
            "id": user.pk,
            "email": user.email,
            "display_name": user.display_name,
            "role": user.role,
            "role_label": str(user.get_role_display()),
            "wijk": (
                {"code": user.wijk.code, "name": user.wijk.name}
                if user.wijk is not None
                else None
            ),
            "gemeente": (
                {"code": user.gemeente.code, "name": user.gemeente.name}
                if user.gemeente is not None
                else None
            ),
            "is_active": user.is_active,
            "date_joined": iso(user.date_joined),
            "last_login": iso(user.last_login),
            "inactivity_warned_at": iso(user.inactivity_warned_at),
        },
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "two_step_verification": [
            {
                "type": a.type,
                "created_at": iso(a.created_at),
                "last_used_at": iso(a.last_used_at),
            }
            for a in Authenticator.objects.filter(user=user).order_by("pk")
        ],
    }
    # Sign-in through the gemeente's or care organisation's provider: the linked
    # account (what the provider told us about the person) and every attempt logged.
    data["sign_in_providers"] = [
        {
            "provider": s.provider,
            "uid": s.uid,
            "linked_at": iso(s.date_joined),
            "last_login": iso(s.last_login),
            "what_the_provider_sent": s.extra_data,
        }
        for s in SocialAccount.objects.filter(user=user).order_by("pk")
    ]
    data["provider_sign_ins"] = [
        {
            "at": iso(s.at),
            "provider": s.app_provider_id,
            "outcome": s.outcome,
            "mfa_by_provider": s.mfa_by_provider,
        }
        for s in ProviderSignIn.objects.filter(user=user).order_by("pk")
    ]
    if user.role == Role.PROFESSIONAL:
        data["teams"] = [
            {
                "name": team.name,
                "gemeente": team.gemeente.name,
                "wijken": [w.name for w in team.wijken.order_by("name")],
            }
            for team in user.teams.select_related("gemeente").order_by("name")
        ]
    if user.role == Role.BEHEERDER:
        # The invited people's addresses are their data, not the beheerder's.
        data["invitations_sent"] = Invitation.objects.filter(invited_by=user).count()
    return data


def personal_data_size(user: User) -> int:
    """About how many rows personal_data(user) reads: decides between a download at
    once and a file built in the background."""
    return (
        1
        + EmailAddress.objects.filter(user=user).count()
        + Authenticator.objects.filter(user=user).count()
        + SocialAccount.objects.filter(user=user).count()
        + ProviderSignIn.objects.filter(user=user).count()
    )


def teams_sharing_report(*, wijk_id: int, gemeente_id: int) -> QuerySet[Team]:
    """The teams of this wijk, in this gemeente, that share their report."""
    return Team.objects.filter(
        wijken__pk=wijk_id, gemeente_id=gemeente_id, report_shared=True
    ).distinct()
