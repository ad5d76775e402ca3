"""Co-organisers join by invitation: the owner types an e-mail address, the person
behind it says yes or no.

The old way (look the address up, add the resident at once, say "Fatima organiseert nu
mee") told anyone who starts an initiative whether an address has an account and whose
it is. Now the answer is the same for every address: an invitation is stored and the
same mail goes to the address, account or not. The person sees it in the mail and, with
a confirmed address, on "Mijn Buurtwijs"; only when they accept does their name appear
and do they become co-organiser. Once answered the address is forgotten.

Writes and reads for these invitations live here; the views are in views.py
(organisers page) and views_organisers.py (the answer page).
"""

from __future__ import annotations

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from core.mail import send, site_url
from initiatieven.models import (
    Initiatief,
    OrganiserInvitation,
    OrganiserInvitationStatus,
)
from initiatieven.services import OrganiserError

# Invitations one initiative may send in 24 hours: enough for a real team, too few to
# use the platform for mailing strangers.
INVITATIONS_PER_DAY = 10

Status = OrganiserInvitationStatus


def _normalise(email: str) -> str:
    return email.strip().lower()


def organiser_invite(
    *, initiatief: Initiatief, email: str, invited_by: User
) -> OrganiserInvitation:
    """Invite an address to organise along; the mail goes out after the commit.

    Whether the address has an account, is a resident, or already organises: the
    answer and the mail are the same. Only the inviter's own address is refused (that
    tells them nothing new). A newer invitation to the same address replaces an open
    one.
    """
    email = _normalise(email)
    if email == _normalise(invited_by.email):
        raise OrganiserError(_("Dit is uw eigen e-mailadres."))
    now = timezone.now()
    with transaction.atomic():
        Initiatief.objects.select_for_update().filter(pk=initiatief.pk).first()
        recent = OrganiserInvitation.objects.filter(
            initiatief=initiatief, created_at__gt=now - timedelta(days=1)
        ).count()
        if recent >= INVITATIONS_PER_DAY:
            raise OrganiserError(
                _(
                    "U heeft vandaag al %(limit)s uitnodigingen verstuurd. Probeer "
                    "het morgen opnieuw."
                )
                % {"limit": INVITATIONS_PER_DAY}
            )
        OrganiserInvitation.objects.filter(
            initiatief=initiatief, email__iexact=email, status=Status.OPEN
        ).update(status=Status.WITHDRAWN, answered_at=now, email="")
        invitation = OrganiserInvitation.objects.create(
            initiatief=initiatief,
            email=email,
            invited_by=invited_by,
            expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
        )
        transaction.on_commit(lambda: organiser_invitation_send(invitation=invitation))
    return invitation


def organiser_invitation_url(invitation: OrganiserInvitation) -> str:
    return site_url(
        reverse("initiatieven:organiser-invitation", kwargs={"token": invitation.token})
    )


def organiser_invitation_send(*, invitation: OrganiserInvitation) -> None:
    """One mail, the same for every address: it never says whether an account exists."""
    inviter = invitation.invited_by
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Uitnodiging: organiseer mee aan %(title)s") % {
            "title": invitation.initiatief.title
        }
        body = _(
            "Hallo,\n\n"
            "%(name)s vraagt of u wilt meehelpen met het organiseren van het "
            "initiatief %(title)s op Buurtwijs.\n\n"
            "Wilt u meedoen, of liever niet? Open deze link en kies ja of nee:\n"
            "%(url)s\n\n"
            "Heeft u nog geen account op Buurtwijs? Dan kunt u er via de link een "
            "maken. Pas als u ja zegt, zien anderen uw naam bij het initiatief.\n"
            "De link werkt %(days)s dagen. Kent u dit initiatief niet? Dan hoeft u "
            "niets te doen.\n\n"
            "Groeten,\nBuurtwijs"
        ) % {
            "name": inviter.display_name if inviter else _("Een bewoner"),
            "title": invitation.initiatief.title,
            "url": organiser_invitation_url(invitation),
            "days": settings.INVITATION_VALID_DAYS,
        }
    send(to=invitation.email, subject=subject, body=body)


def _locked_open(invitation: OrganiserInvitation) -> OrganiserInvitation:
    locked = OrganiserInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_open:
        raise OrganiserError(_("Deze uitnodiging is niet meer geldig."))
    return locked


def organiser_invitation_accept(
    *, invitation: OrganiserInvitation, user: User
) -> Initiatief:
    """The person says yes: they become co-organiser, and from now on their name shows."""
    if not (user.is_active and user.role == Role.BEWONER):
        raise OrganiserError(
            _("Alleen bewoners kunnen een initiatief mee organiseren.")
        )
    with transaction.atomic():
        locked = _locked_open(invitation)
        initiatief = locked.initiatief
        if initiatief.owner_id != user.pk:
            initiatief.co_organisers.add(user)
        locked.status = Status.ACCEPTED
        locked.accepted_user = user
        locked.answered_at = timezone.now()
        locked.email = ""
        locked.save(update_fields=["status", "accepted_user", "answered_at", "email"])
    return initiatief


def organiser_invitation_decline(*, invitation: OrganiserInvitation) -> None:
    """The person says no; the owner sees no name, and the address is forgotten."""
    with transaction.atomic():
        locked = _locked_open(invitation)
        locked.status = Status.DECLINED
        locked.answered_at = timezone.now()
        locked.email = ""
        locked.save(update_fields=["status", "answered_at", "email"])


def organiser_invitation_withdraw(*, invitation: OrganiserInvitation) -> None:
    OrganiserInvitation.objects.filter(pk=invitation.pk, status=Status.OPEN).update(
        status=Status.WITHDRAWN, answered_at=timezone.now(), email=""
    )


def organiser_invitations_open(
    *, initiatief: Initiatief
) -> QuerySet[OrganiserInvitation]:
    """What the organisers see: the addresses the owner typed, still waiting."""
    return OrganiserInvitation.objects.filter(
        initiatief=initiatief, status=Status.OPEN, expires_at__gt=timezone.now()
    ).order_by("-created_at", "-pk")


def organiser_invitations_for_user(*, user: User) -> QuerySet[OrganiserInvitation]:
    """Open invitations to the user's confirmed addresses (an unconfirmed one could be
    anyone's), for "Mijn Buurtwijs"."""
    addresses = list(
        EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    )
    if not addresses:
        return OrganiserInvitation.objects.none()
    return (
        OrganiserInvitation.objects.filter(
            email__in=[_normalise(a) for a in addresses],
            status=Status.OPEN,
            expires_at__gt=timezone.now(),
            initiatief__is_hidden=False,
        )
        .select_related("initiatief", "invited_by")
        .order_by("-created_at", "-pk")
    )


def organiser_invitations_forget(*, user: User) -> int:
    """AVG: open invitations to this person's addresses go when their account goes."""
    addresses = [
        _normalise(a)
        for a in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    ]
    deleted, _rows = OrganiserInvitation.objects.filter(
        email__in=[*addresses, _normalise(user.email)]
    ).delete()
    return deleted
