"""Writes for accounts: invitations and their acceptance."""

from __future__ import annotations

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Invitation, Role, Team, User
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
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(
            "accounts/email/invitation_subject.txt", context
        ).strip()
        body = render_to_string("accounts/email/invitation_message.txt", context)
    send_mail(subject, body, None, [invitation.email])


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
        # went out, as a resident or as a second address of another account.
        if (
            User.objects.filter(email__iexact=locked.email).exists()
            or EmailAddress.objects.filter(email__iexact=locked.email).exists()
        ):
            raise InvitationError
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


def invitations_purge_expired(*, older_than_days: int = 90) -> int:
    """Delete invitations that expired or were revoked long ago; accepted ones stay."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    deleted, _ = Invitation.objects.filter(
        accepted_at__isnull=True, expires_at__lt=cutoff
    ).delete()
    return deleted
