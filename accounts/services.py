"""Writes for accounts: invitations and their acceptance; removing, pseudonymising and
warning accounts (AVG)."""

from __future__ import annotations

from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Invitation, Role, Team, User
from core import mail as core_mail
from wijken.models import Gemeente


class InvitationError(Exception):
    """The invitation cannot be used (accepted, revoked or expired)."""


def invitation_create(
    *,
    email: str,
    role: str,
    gemeente: Gemeente | None,
    team: Team | None,
    invited_by: User,
    base_url: str,
) -> Invitation:
    """Invite someone by e-mail with role, gemeente and team already set.

    An open invitation for the same address is revoked: the newest one counts.
    """
    if role not in Role.values or role == Role.BEWONER:
        # Residents sign up themselves; an invitation never makes one.
        raise ValueError(f"Cannot invite with role {str(role)!r}.")
    email = email.strip().lower()
    if team is not None and gemeente is None:
        gemeente = team.gemeente
    now = timezone.now()
    with transaction.atomic():
        Invitation.objects.filter(
            email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        invitation = Invitation.objects.create(
            email=email,
            role=role,
            gemeente=gemeente,
            team=team,
            invited_by=invited_by,
            expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
        )
        transaction.on_commit(
            lambda: invitation_send(invitation=invitation, base_url=base_url)
        )
    return invitation


def invitation_send(*, invitation: Invitation, base_url: str) -> None:
    url = base_url.rstrip("/") + reverse(
        "accounts:invitation_accept", kwargs={"token": invitation.token}
    )
    context = {
        "invitation": invitation,
        "url": url,
        "days": settings.INVITATION_VALID_DAYS,
    }
    core_mail.send_templated(
        to=invitation.email,
        template="accounts/email/invitation",
        context=context,
    )


def invitation_accept(
    *, invitation: Invitation, display_name: str, password: str
) -> User:
    """Create the invited account with its role, gemeente and team; the e-mail is verified
    because the link arrived at that address."""
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not locked.is_open:
            raise InvitationError
        # Someone may have made an account with this address since the invitation
        # went out, as a resident or as a confirmed second address of another
        # account. An unconfirmed second address proves nothing: the link in this
        # invitation reached the mailbox, so the address is the invitee's, and the
        # other account's unconfirmed claim on it is removed.
        if (
            User.objects.filter(email__iexact=locked.email).exists()
            or EmailAddress.objects.filter(
                email__iexact=locked.email, verified=True
            ).exists()
        ):
            raise InvitationError
        EmailAddress.objects.filter(email__iexact=locked.email, verified=False).delete()
        user = User.objects.create_user(
            email=locked.email,
            password=password,
            display_name=display_name,
            role=locked.role,
            gemeente=locked.gemeente if locked.role == Role.AMBTENAAR else None,
            is_staff=locked.role == Role.BEHEERDER,
        )
        if locked.team is not None and locked.role == Role.PROFESSIONAL:
            locked.team.members.add(user)
        EmailAddress.objects.create(
            user=user, email=user.email, verified=True, primary=True
        )
        locked.accepted_at = timezone.now()
        locked.accepted_user = user
        locked.save(update_fields=["accepted_at", "accepted_user"])
    return user


def invitation_revoke(*, invitation: Invitation) -> None:
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])


# Expired or revoked invitations (an e-mail address) are deleted this long after.
INVITATION_PURGE_DAYS = 90


def invitations_purge_expired(*, older_than_days: int = INVITATION_PURGE_DAYS) -> int:
    """Delete invitations that expired or were revoked long ago; accepted ones stay."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    deleted, _ = Invitation.objects.filter(
        accepted_at__isnull=True, expires_at__lt=cutoff
    ).delete()
    return deleted


# --- AVG: removing and pseudonymising accounts, inactivity ------------------------------


class StaffAccountError(Exception):
    """Staff accounts are never deleted by their owner; a beheerder deactivates them."""


STAFF_ROLES = (Role.PROFESSIONAL, Role.AMBTENAAR, Role.BEHEERDER)


def account_remove(*, user: User) -> None:
    """Delete a resident's account row, with its e-mail addresses, authenticators and
    the invitations that were sent to its address.

    The other apps forget their rows first (privacy/services.py orchestrates); what
    still points here is set to NULL or deleted by the foreign keys.
    """
    if user.role in STAFF_ROLES:
        raise StaffAccountError
    with transaction.atomic():
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        Invitation.objects.filter(email__iexact=user.email).delete()
        user.delete()


def staff_pseudonym(user_id: int) -> str:
    return _("Voormalig medewerker #%(id)s") % {"id": user_id}


def staff_deactivate(*, user: User, by: User) -> User:
    """Deactivate a professional, officer or beheerder: their signals, answers and the
    audit log stay (they point at this row), but the row no longer names anyone.

    Name and e-mail address become a pseudonym, the password, the authenticators and
    the links at sign-in providers are removed (so no login is possible, and a running session ends at its next
    request), and they leave their teams. Running it twice changes nothing more.
    """
    if user.role not in STAFF_ROLES:
        raise ValueError("Only staff accounts are deactivated; residents are deleted.")
    if user.pk == by.pk:
        raise StaffAccountError
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        with translation.override(settings.LANGUAGE_CODE):
            locked.display_name = staff_pseudonym(locked.pk)
        locked.email = f"voormalig-{locked.pk}@buurtwijs.invalid"
        locked.is_active = False
        locked.is_staff = False
        locked.is_superuser = False
        locked.inactivity_warned_at = None
        locked.set_unusable_password()
        locked.save()
        locked.teams.clear()
        locked.groups.clear()
        locked.user_permissions.clear()
        EmailAddress.objects.filter(user=locked).delete()
        Authenticator.objects.filter(user=locked).delete()
        # The link at the sign-in provider holds what the provider sent (name, e-mail):
        # it goes too, so no provider sign-in finds this row again.
        SocialAccount.objects.filter(user=locked).delete()
        Invitation.objects.filter(email__iexact=user.email).update(email=locked.email)
    return locked


def _last_seen() -> Coalesce:
    return Coalesce("last_login", "date_joined")


def inactive_residents_to_warn(*, now: datetime) -> QuerySet[User]:
    """Residents not seen for AVG_INACTIVE_DAYS who were not warned since they were
    last seen."""
    cutoff = now - timedelta(days=settings.AVG_INACTIVE_DAYS)
    return (
        User.objects.filter(role=Role.BEWONER, is_superuser=False)
        .annotate(last_seen=_last_seen())
        .filter(last_seen__lt=cutoff)
        .filter(
            Q(inactivity_warned_at__isnull=True)
            | Q(inactivity_warned_at__lt=F("last_seen"))
        )
        .order_by("pk")
    )


def inactive_residents_to_remove(*, now: datetime) -> QuerySet[User]:
    """Residents warned at least AVG_INACTIVE_GRACE_DAYS ago who have not logged in
    since the warning."""
    cutoff = now - timedelta(days=settings.AVG_INACTIVE_GRACE_DAYS)
    return (
        User.objects.filter(
            role=Role.BEWONER,
            is_superuser=False,
            inactivity_warned_at__isnull=False,
            inactivity_warned_at__lte=cutoff,
        )
        .annotate(last_seen=_last_seen())
        .filter(last_seen__lt=F("inactivity_warned_at"))
        .order_by("pk")
    )


def inactivity_warnings_cancel(*, now: datetime) -> int:
    """Forget the warning of residents who logged in after it."""
    return User.objects.filter(
        inactivity_warned_at__isnull=False,
        last_login__gt=F("inactivity_warned_at"),
    ).update(inactivity_warned_at=None)


def inactivity_warn(*, user: User, now: datetime) -> None:
    """Mail the warning and record when it went out; the mail names the last day."""
    remove_on = timezone.localdate(
        now + timedelta(days=settings.AVG_INACTIVE_GRACE_DAYS)
    )
    context = {
        "user": user,
        "remove_on": remove_on,
        "years": round(settings.AVG_INACTIVE_DAYS / 365, 1),
        "days": settings.AVG_INACTIVE_DAYS,
        "login_url": core_mail.site_url(reverse("account_login")),
        "privacy_url": core_mail.site_url(reverse("privacy:statement")),
    }
    core_mail.send_templated(
        to=user.email,
        template="privacy/email/inactive_warning",
        context=context,
    )
    # Recorded after the mail went out: a failed mail means no removal clock starts.
    User.objects.filter(pk=user.pk).update(inactivity_warned_at=now)


def team_report_share(*, team: Team, actor: User, shared: bool) -> bool:
    """Switch whether officers of the team's gemeente may read the team report.
    Only a member of the team decides. Returns False when nothing changed."""
    if actor.role != Role.PROFESSIONAL or not team.members.filter(pk=actor.pk).exists():
        raise PermissionError("only a member of the team shares its report")
    changed = (
        Team.objects.filter(pk=team.pk)
        .exclude(report_shared=shared)
        .update(report_shared=shared)
    )
    team.report_shared = shared
    return bool(changed)
