"""Writes of buurtverbinders: grant and revoke the role, consent, propose and confirm a
match, log a contact. Each write checks its rule here too (views check first); mail
goes through a Celery task written down with the change (outbox)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from buurtverbinders import permissions
from buurtverbinders.models import (
    ContactSoort,
    Koppeling,
    KoppelingStatus,
    Logregel,
    Toestemming,
    Verbinder,
)
from buurtverbinders.queries import unmatched_needs
from initiatieven.models import Aanbod, Behoefte
from outbox.services import outbox_send
from signalen.intake.staff_text import staff_text_scrub
from wijken.models import Wijk
from wijken.text import without_bidi_controls

NOTE_MAX_LENGTH = 300
LOG_MAX_AGE_DAYS = 366


class VerbinderError(ValidationError):
    """A step the rules refuse; the message is for the user."""


def consent_text() -> str:
    """The words a resident agrees to; stored with the consent as given."""
    return _(
        "Een buurtverbinder is een bewoner uit uw wijk die het wijkteam deze rol gaf. "
        "Als u wilt dat een buurtverbinder u welkom heet, ziet die uw naam en "
        "e-mailadres. Als u uw aanbod laat zien, ziet die uw naam en wat u kunt geven, "
        "om u aan een vraag in de wijk te koppelen. Uw naam gaat pas naar een ander als "
        "u een koppeling zelf bevestigt. U kunt dit altijd intrekken."
    )


def _notify(event: str, pk: int) -> None:
    from buurtverbinders.tasks import verbinder_notify_task

    outbox_send(verbinder_notify_task, event, pk)


# --- The role ----------------------------------------------------------------------


def role_grant(*, actor: User, wijk: Wijk, email: str) -> Verbinder:
    if not permissions.is_team(actor, wijk):
        raise VerbinderError(_("Alleen het wijkteam kan deze rol geven."))
    email = (email or "").strip()
    user = (
        User.objects.filter(email__iexact=email, is_active=True).first()
        if email
        else None
    )
    if user is None or not permissions.is_resident_of(user, wijk):
        raise VerbinderError(
            _("Er is geen bewoner van deze wijk met dit e-mailadres."),
            code="not_resident",
        )
    try:
        with transaction.atomic():
            verbinder = Verbinder.objects.create(user=user, wijk=wijk, granted_by=actor)
    except IntegrityError:
        raise VerbinderError(
            _("Deze bewoner is al buurtverbinder in deze wijk."), code="already"
        ) from None
    _notify("granted", verbinder.pk)
    return verbinder


def role_revoke(*, actor: User, verbinder: Verbinder) -> None:
    if not permissions.is_team(actor, verbinder.wijk):
        raise VerbinderError(_("Alleen het wijkteam kan deze rol intrekken."))
    if verbinder.revoked_at is not None:
        raise VerbinderError(_("Deze rol is al ingetrokken."), code="revoked")
    verbinder.revoked_at = timezone.now()
    verbinder.revoked_by = actor
    verbinder.save(update_fields=["revoked_at", "revoked_by"])


# --- Consent -----------------------------------------------------------------------


def consent_set(*, user: User, welcome: bool, share_offer: bool) -> Toestemming | None:
    """Give (or change) consent for one's own wijk; both off withdraws it: the row
    goes, and matches this resident has not confirmed yet are withdrawn."""
    if user.role != Role.BEWONER or user.wijk_id is None:
        raise VerbinderError(
            _("Alleen een bewoner met een wijk kan dit aanzetten."), code="no_wijk"
        )
    before = Toestemming.objects.filter(user=user, welcome=True).exists()
    with transaction.atomic():
        if not welcome and not share_offer:
            Toestemming.objects.filter(user=user).delete()
            _withdraw_pending(user)
            return None
        toestemming, _created = Toestemming.objects.update_or_create(
            user=user,
            defaults={
                "wijk_id": user.wijk_id,
                "welcome": welcome,
                "share_offer": share_offer,
                "consent_text": consent_text(),
            },
        )
        if not share_offer:
            _withdraw_pending(user)
    if welcome and not before:
        _notify("welcome", toestemming.pk)
    return toestemming


def _withdraw_pending(user: User) -> int:
    return Koppeling.objects.filter(
        helper=user, status=KoppelingStatus.VOORGESTELD
    ).update(status=KoppelingStatus.INGETROKKEN)


# --- Matches -----------------------------------------------------------------------


def koppeling_propose(
    *, actor: User, wijk: Wijk, behoefte: Behoefte, helper: User
) -> Koppeling:
    if not permissions.is_connector(actor, wijk):
        raise VerbinderError(_("Alleen een buurtverbinder van deze wijk kan koppelen."))
    if not unmatched_needs(wijk).filter(pk=behoefte.pk).exists():
        raise VerbinderError(
            _("Deze vraag is er niet meer, of er loopt al een koppeling."),
            code="behoefte",
        )
    consented = Toestemming.objects.filter(
        user=helper, wijk=wijk, share_offer=True
    ).exists()
    if (
        not consented
        or helper.wijk_id != wijk.pk
        or not helper.is_active
        or not Aanbod.objects.filter(user=helper).exists()
    ):
        raise VerbinderError(
            _("Kies een aanbod van een bewoner die dat heeft toegestaan."),
            code="helper",
        )
    if helper.pk == actor.pk or helper.pk == behoefte.initiatief.owner_id:
        raise VerbinderError(
            _("Koppel een vraag niet aan uzelf of aan de organisator."), code="helper"
        )
    try:
        with transaction.atomic():
            koppeling = Koppeling.objects.create(
                wijk=wijk, behoefte=behoefte, helper=helper, verbinder=actor
            )
    except IntegrityError:
        raise VerbinderError(
            _("Deze koppeling is al eens voorgesteld."), code="behoefte"
        ) from None
    _notify("proposed", koppeling.pk)
    return koppeling


def koppeling_answer(*, user: User, koppeling: Koppeling, accept: bool) -> Koppeling:
    """One side confirms (or declines). When both confirmed, names are exchanged."""
    with transaction.atomic():
        koppeling = (
            Koppeling.objects.select_for_update()
            .select_related("behoefte__initiatief")
            .get(pk=koppeling.pk)
        )
        helper = permissions.is_helper(user, koppeling)
        need_side = permissions.is_need_side(user, koppeling)
        if not (helper or need_side):
            raise VerbinderError(_("Deze koppeling is niet van u."), code="not_yours")
        if koppeling.status != KoppelingStatus.VOORGESTELD:
            raise VerbinderError(_("Deze koppeling is al afgerond."), code="not_open")
        now = timezone.now()
        if not accept:
            koppeling.status = KoppelingStatus.AFGEWEZEN
            koppeling.save(update_fields=["status"])
            return koppeling
        if helper:
            koppeling.helper_confirmed_at = now
        if need_side and koppeling.need_confirmed_at is None:
            koppeling.need_confirmed_at = now
            koppeling.need_confirmed_by = user
        if koppeling.helper_confirmed_at and koppeling.need_confirmed_at:
            koppeling.status = KoppelingStatus.GEKOPPELD
            koppeling.matched_at = now
            _notify("matched", koppeling.pk)
        koppeling.save()
    return koppeling


# --- The log -----------------------------------------------------------------------


def log_add(
    *,
    actor: User,
    wijk: Wijk,
    kind: str,
    date: datetime.date,
    note: str,
    welcome_user_id: int | None = None,
) -> Logregel:
    """One line in the log. The note is scrubbed (the team reads it); a welcome visit
    may mark a resident who asked for it as welcomed."""
    if not permissions.is_connector(actor, wijk):
        raise VerbinderError(_("Alleen een buurtverbinder van deze wijk kan dit."))
    if kind not in ContactSoort.values:
        raise VerbinderError(_("Kies een soort contact."), code="kind")
    today = timezone.localdate()
    if date > today:
        raise VerbinderError(_("De datum ligt in de toekomst."), code="date")
    if date < today - datetime.timedelta(days=LOG_MAX_AGE_DAYS):
        raise VerbinderError(_("De datum is langer dan een jaar geleden."), code="date")
    note = without_bidi_controls((note or "").replace("\r\n", "\n")).strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise VerbinderError(
            _("De notitie mag hoogstens %(max)s tekens zijn.")
            % {"max": NOTE_MAX_LENGTH},
            code="note",
        )
    if "<" in note or ">" in note:
        raise VerbinderError(_("Gebruik geen < of > in dit veld."), code="note")
    note = staff_text_scrub(note, wijk=wijk, error=VerbinderError).text
    with transaction.atomic():
        regel = Logregel.objects.create(
            wijk=wijk, verbinder=actor, kind=kind, date=date, note=note
        )
        if welcome_user_id:
            Toestemming.objects.filter(
                user_id=welcome_user_id, wijk=wijk, welcome=True
            ).update(welcomed_at=timezone.now())
    return regel


# --- Notices -----------------------------------------------------------------------


def verbinder_notify(*, event: str, pk: int) -> int:
    """Tell about one step, once per person per step. Returns mails sent now."""
    from initiatieven.notifications import notice_send
    from initiatieven.reminders import organisers_of

    users: list[User] = []
    url = reverse("buurtverbinders:index")
    with translation.override(settings.LANGUAGE_CODE):
        if event == "granted":
            verbinder = (
                Verbinder.objects.select_related("user", "wijk").filter(pk=pk).first()
            )
            if verbinder is None or verbinder.revoked_at is not None:
                return 0
            users = [verbinder.user]
            title = _("U bent buurtverbinder")
            text = _("Het wijkteam gaf u de rol buurtverbinder in %(wijk)s.") % {
                "wijk": verbinder.wijk.name
            }
        elif event == "welcome":
            toestemming = (
                Toestemming.objects.select_related("wijk").filter(pk=pk).first()
            )
            if toestemming is None or not toestemming.welcome:
                return 0
            users = [
                v.user
                for v in Verbinder.objects.filter(
                    wijk=toestemming.wijk, revoked_at__isnull=True
                ).select_related("user")
            ]
            title = _("Een nieuwe buur wil welkom geheten worden")
            text = _("Kijk op uw pagina als buurtverbinder in %(wijk)s.") % {
                "wijk": toestemming.wijk.name
            }
        elif event in ("proposed", "matched"):
            koppeling = (
                Koppeling.objects.select_related(
                    "behoefte__initiatief", "helper", "need_confirmed_by"
                )
                .filter(pk=pk)
                .first()
            )
            if koppeling is None:
                return 0
            if event == "proposed":
                users = [
                    koppeling.helper,
                    *organisers_of(koppeling.behoefte.initiatief),
                ]
            else:
                # Only the two who said yes see each other's name: the helper and the
                # organiser who confirmed, never another organiser.
                users = [koppeling.helper]
                if koppeling.need_confirmed_by is not None:
                    users.append(koppeling.need_confirmed_by)
            title = koppeling.behoefte.initiatief.title
            if event == "proposed" and koppeling.status == KoppelingStatus.VOORGESTELD:
                text = _(
                    "Een buurtverbinder stelt een koppeling voor. Bevestig het als u "
                    "contact wilt; pas dan ziet de ander uw naam."
                )
            elif event == "matched" and koppeling.status == KoppelingStatus.GEKOPPELD:
                text = _(
                    "Beide kanten zeiden ja. U ziet nu elkaars naam en e-mailadres."
                )
            else:
                return 0
        else:
            return 0
        return notice_send(
            users=users, title=title, text=text, url=url, key=f"verbinders:{event}:{pk}"
        ).sent


# --- AVG ---------------------------------------------------------------------------


def forget_user(*, user: User) -> dict[str, int]:
    """Before the account goes: consent, roles and matches as helper go (cascade would
    too, but counted here); the connector's log stays for the team without the name."""
    with transaction.atomic():
        consent, _rows = Toestemming.objects.filter(user=user).delete()
        roles, _rows = Verbinder.objects.filter(user=user).delete()
        matches, _rows = Koppeling.objects.filter(helper=user).delete()
        Koppeling.objects.filter(need_confirmed_by=user).update(need_confirmed_by=None)
        Koppeling.objects.filter(verbinder=user).update(verbinder=None)
        logs = Logregel.objects.filter(verbinder=user).update(verbinder=None)
    return {
        "verbinder_consent": consent,
        "verbinder_roles": roles,
        "verbinder_matches": matches,
        "verbinder_log": logs,
    }
