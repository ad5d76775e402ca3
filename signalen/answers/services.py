"""The collective loop, part one: a theme becomes a collective answer that residents own.

- Professionals of a team that works in the theme's wijk link existing initiatives to
  the theme ("Wat is er al in de wijk?") and write the theme's public text, which makes
  the theme a public page, optionally with a call to residents.
- Residents of the wijk adopt a public theme ("trekker"), post progress on it and link
  their own initiative to it.
- Professionals see which themes their own signals fed and what became of them.

Rules kept here:
- Linking (by a professional or a resident) marks a gesignaleerd or erkend theme
  `opgepakt`. A dismissed (verworpen) theme takes no answers.
- The public title and text are what the professional types: plain text, never signal
  text. A text that repeats 30 or more characters of any member signal is refused.
- The public page shows no signal text and no count below K: its size is the one the
  officer's sparkline totals (signalen.themes.queries.theme_outside_sizes).
- When a resident adopts a theme or links an initiative, the professionals of the teams
  of that wijk get a plain e-mail after the commit.

Matching "Wat is er al?": initiatieven.queries.initiatieven_similar (the "bestaat dit
al?" check of the new-initiative form) with the theme's name, label and keywords as the
words, and the initiative themes that fit the theme's category (CATEGORIE_THEMAS below,
a hand-made mapping of the seeded codes). Only visible initiatives in the wijk that are
idee, in voorbereiding or actief, and not linked yet, are suggested. Places of the wijk
(the buurthuis, the library, the GP: wijken.models.Plek) whose name or description
holds the theme's words, or whose kind fits its category (CATEGORIE_PLEKSOORTEN), are
shown beside them as "what is already there", with their contact; they are not linked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.permissions import can_work_in_wijk
from core.mail import site_url
from initiatieven.models import Initiatief
from signalen.answers.queries import (
    LINKABLE,
    _one_line,
    _plain,
    can_moderate_progress,
    can_post_progress,
    contains_signal_text,
    is_public,
    team_professionals,
)
from signalen.intake.staff_text import staff_text_scrub
from signalen.models import (
    ThemaGebeurtenis,
    ThemaInitiatief,
    ThemaPublicatie,
    ThemaStatus,
    ThemaTrekker,
    ThemaVoortgang,
    ThemaZichtbaarheid,
    WijkThema,
)
from signalen.themes.services import ThemeError

NOTE_MAX_LENGTH = 500


PROGRESS_MAX_LENGTH = 2000


REASON_MAX_LENGTH = 500


# A link marks the theme "opgepakt" from these statuses.
TAKEN_UP_FROM = (ThemaStatus.GESIGNALEERD, ThemaStatus.ERKEND)


def _event(
    thema: WijkThema, *, soort: str, actor: User | None, detail: Mapping[str, Any]
) -> ThemaGebeurtenis:
    return ThemaGebeurtenis.objects.create(
        thema=thema, soort=soort, actor=actor, detail=dict(detail)
    )


def _lock(thema: WijkThema) -> WijkThema:
    return WijkThema.objects.select_for_update().get(pk=thema.pk)


def _check_professional(actor: User, thema: WijkThema) -> None:
    if not actor.is_authenticated or not can_work_in_wijk(actor, thema.wijk):
        raise ThemeError(
            _(
                "U kunt dit niet doen. Alleen professionals van het wijkteam van deze "
                "wijk kunnen dat."
            ),
            code="forbidden",
        )


def _mark_taken_up(locked: WijkThema, actor: User | None, because: str) -> bool:
    """gesignaleerd/erkend -> opgepakt, with its history line. True when it changed."""
    if locked.status not in TAKEN_UP_FROM:
        return False
    old = locked.status
    locked.status = ThemaStatus.OPGEPAKT
    locked.status_changed_at = timezone.now()
    locked.status_changed_by = actor
    locked.save(
        update_fields=["status", "status_changed_at", "status_changed_by", "updated_at"]
    )
    _event(
        locked,
        soort=ThemaGebeurtenis.Soort.STATUS,
        actor=actor,
        detail={"from": old, "to": ThemaStatus.OPGEPAKT, "because": because},
    )
    return True


def _refuse_signal_text(thema: WijkThema, *texts: str) -> None:
    if contains_signal_text(thema, *texts):
        raise ThemeError(
            _(
                "Uw tekst bevat een stuk tekst uit een signaal. De tekst van signalen "
                "blijft binnen het team. Schrijf het in uw eigen woorden."
            ),
            code="signal_text",
        )


def _check_linkable(thema: WijkThema, initiatief: Initiatief) -> None:
    if initiatief.wijk_id != thema.wijk_id:
        raise ThemeError(
            _(
                "Dit initiatief hoort bij een andere wijk. U kunt alleen initiatieven "
                "uit de wijk van het thema koppelen."
            ),
            code="other_wijk",
        )
    if initiatief.is_hidden:
        raise ThemeError(
            _("Dit initiatief is verborgen. U kunt het niet koppelen."),
            code="hidden",
        )
    if initiatief.status not in LINKABLE:
        raise ThemeError(
            _(
                "Dit initiatief is afgerond of gestopt. U kunt alleen lopende "
                "initiatieven koppelen."
            ),
            code="not_running",
        )


def _link(
    *,
    thema: WijkThema,
    initiatief: Initiatief,
    actor: User,
    note: str,
    by_resident: bool,
) -> ThemaInitiatief:
    with transaction.atomic():
        locked = _lock(thema)
        if locked.status == ThemaStatus.VERWORPEN:
            raise ThemeError(
                _(
                    "Dit thema is verworpen. Erken het thema eerst, dan kunt u er een "
                    "initiatief aan koppelen."
                ),
                code="dismissed",
            )
        if ThemaInitiatief.objects.filter(thema=locked, initiatief=initiatief).exists():
            raise ThemeError(
                _("Dit initiatief is al gekoppeld aan dit thema."), code="twice"
            )
        try:
            with transaction.atomic():
                link = ThemaInitiatief.objects.create(
                    thema=locked, initiatief=initiatief, linked_by=actor, note=note
                )
        except IntegrityError as error:  # a double click that raced the check above
            raise ThemeError(
                _("Dit initiatief is al gekoppeld aan dit thema."), code="twice"
            ) from error
        _event(
            locked,
            soort=ThemaGebeurtenis.Soort.LINKED,
            actor=actor,
            detail={
                "initiatief": initiatief.pk,
                "title": initiatief.title,
                "by_resident": by_resident,
            },
        )
        _mark_taken_up(locked, actor, "linked")
    thema.status = locked.status
    thema.status_changed_at = locked.status_changed_at
    return link


def answer_link(
    *, actor: User, thema: WijkThema, initiatief: Initiatief, note: str = ""
) -> ThemaInitiatief:
    """A professional of the wijk links an initiative of the same wijk to the theme."""
    _check_professional(actor, thema)
    note = _one_line(note)
    if len(note) > NOTE_MAX_LENGTH:
        raise ThemeError(
            _("De toelichting is te lang: hoogstens %(max)s tekens.")
            % {"max": NOTE_MAX_LENGTH},
            code="too_long",
        )
    _check_linkable(thema, initiatief)
    return _link(
        thema=thema, initiatief=initiatief, actor=actor, note=note, by_resident=False
    )


def answer_unlink(*, actor: User, thema: WijkThema, initiatief: Initiatief) -> bool:
    """A professional of the wijk removes a link. The theme keeps its status."""
    _check_professional(actor, thema)
    with transaction.atomic():
        locked = _lock(thema)
        deleted, _rows = ThemaInitiatief.objects.filter(
            thema=locked, initiatief=initiatief
        ).delete()
        if not deleted:
            return False
        _event(
            locked,
            soort=ThemaGebeurtenis.Soort.UNLINKED,
            actor=actor,
            detail={"initiatief": initiatief.pk, "title": initiatief.title},
        )
    return True


def theme_publish(
    *, actor: User, thema: WijkThema, title: str, text: str, is_call: bool
) -> ThemaPublicatie:
    """A professional proposes the public title and text (scrubbed); the theme becomes
    public when a colleague approves (signalen.answers.publication, "vier ogen")."""
    from signalen.answers.publication import publication_propose

    return publication_propose(
        actor=actor, thema=thema, title=title, text=text, is_call=is_call
    )


def _reason(reason: str | None, *, empty: str) -> str:
    reason = _one_line(reason)
    if not reason:
        raise ThemeError(empty, code="reason_required")
    if len(reason) > REASON_MAX_LENGTH:
        raise ThemeError(
            _("De reden is te lang: hoogstens %(max)s tekens (nu %(length)s).")
            % {"max": REASON_MAX_LENGTH, "length": len(reason)},
            code="reason_too_long",
        )
    return reason


def _visibility_before_public(thema: WijkThema) -> str:
    """The visibility the theme had before it was last made public (gemeente when the
    history does not say)."""
    event = (
        ThemaGebeurtenis.objects.filter(
            thema=thema,
            soort=ThemaGebeurtenis.Soort.VISIBILITY,
            detail__to=ThemaZichtbaarheid.PUBLIEK,
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    before = str((event.detail or {}).get("from", "")) if event else ""
    if before in (ThemaZichtbaarheid.TEAM, ThemaZichtbaarheid.GEMEENTE):
        return before
    return ThemaZichtbaarheid.GEMEENTE


def theme_unpublish(*, actor: User, thema: WijkThema, reason: str) -> WijkThema:
    """A professional of the wijk takes a public theme off the public pages, with a
    reason kept in the theme's history. The theme goes back to the visibility it had
    before it was made public; its public text, trekkers, progress and linked
    initiatives stay, so the team still sees what residents did, and publishing it
    again brings them back. Its public page then answers 410 (no longer public)."""
    _check_professional(actor, thema)
    reason = _reason(
        reason, empty=_("Schrijf kort waarom het thema niet meer openbaar is.")
    )
    with transaction.atomic():
        locked = _lock(thema)
        if locked.visibility != ThemaZichtbaarheid.PUBLIEK:
            raise ThemeError(
                _("Dit thema staat al niet meer op de openbare pagina's."),
                code="not_public",
            )
        to = _visibility_before_public(locked)
        locked.visibility = to
        locked.save(update_fields=["visibility", "updated_at"])
        _event(
            locked,
            soort=ThemaGebeurtenis.Soort.UNPUBLISHED,
            actor=actor,
            detail={"reason": reason, "to": to, "was_call": locked.is_call},
        )
        _event(
            locked,
            soort=ThemaGebeurtenis.Soort.VISIBILITY,
            actor=actor,
            detail={"from": ThemaZichtbaarheid.PUBLIEK, "to": to},
        )
    thema.visibility = to
    return thema


def progress_set_hidden(
    *, actor: User, voortgang: ThemaVoortgang, hidden: bool, reason: str = ""
) -> bool:
    """Hide a progress update from the public page (with a reason), or show it again.
    Nothing is deleted: the update, who hid it, when and why stay, and the theme's
    history has every step. Returns False when it already was so."""
    thema = voortgang.thema
    if not can_moderate_progress(actor, thema):
        raise ThemeError(
            _(
                "Alleen het wijkteam van deze wijk en beheerders kunnen voortgang "
                "verbergen."
            ),
            code="forbidden",
        )
    if hidden:
        reason = _reason(reason, empty=_("Schrijf kort waarom u dit verbergt."))
    with transaction.atomic():
        locked = ThemaVoortgang.objects.select_for_update().get(pk=voortgang.pk)
        if locked.is_hidden == hidden:
            return False
        locked.is_hidden = hidden
        fields = ["is_hidden"]
        if hidden:
            locked.hidden_reason = reason
            locked.hidden_by = actor
            locked.hidden_at = timezone.now()
            fields += ["hidden_reason", "hidden_by", "hidden_at"]
        locked.save(update_fields=fields)
        _event(
            thema,
            soort=(
                ThemaGebeurtenis.Soort.PROGRESS_HIDDEN
                if hidden
                else ThemaGebeurtenis.Soort.PROGRESS_SHOWN
            ),
            actor=actor,
            detail={"voortgang": locked.pk, "reason": reason if hidden else ""},
        )
    voortgang.is_hidden = hidden
    return True


def _check_resident_of_wijk(user: User, thema: WijkThema) -> None:
    if not user.is_authenticated or user.role != Role.BEWONER:
        raise ThemeError(
            _("Alleen bewoners kunnen een thema trekken. Log in als bewoner."),
            code="forbidden",
        )
    if user.wijk_id != thema.wijk_id:
        raise ThemeError(
            _(
                "Dit thema hoort bij de wijk %(wijk)s. Alleen bewoners van die wijk "
                "kunnen het trekken. Is dit uw wijk? Pas dan uw eigen wijk aan in uw "
                "account."
            )
            % {"wijk": thema.wijk.name},
            code="other_wijk",
        )


def _check_public(thema: WijkThema) -> None:
    if not is_public(thema):
        raise ThemeError(
            _("Dit thema is niet openbaar. Het kan nu niet getrokken worden."),
            code="not_public",
        )


def theme_adopt(*, user: User, thema: WijkThema, show_name: bool) -> ThemaTrekker:
    """A resident of the theme's wijk becomes a trekker of the public theme."""
    _check_resident_of_wijk(user, thema)
    _check_public(thema)
    with transaction.atomic():
        locked = _lock(thema)
        if ThemaTrekker.objects.filter(thema=locked, user=user).exists():
            raise ThemeError(_("U bent al trekker van dit thema."), code="twice")
        try:
            with transaction.atomic():
                trekker = ThemaTrekker.objects.create(
                    thema=locked, user=user, show_name=bool(show_name)
                )
        except IntegrityError as error:
            raise ThemeError(
                _("U bent al trekker van dit thema."), code="twice"
            ) from error
        # The team's history names the resident only when they show their name.
        _event(
            locked,
            soort=ThemaGebeurtenis.Soort.ADOPTED,
            actor=user if show_name else None,
            detail={"show_name": bool(show_name)},
        )
        name = user.display_name if show_name else ""
        transaction.on_commit(
            lambda: notify_team(
                thema=locked,
                subject=_("Een bewoner trekt een thema in %(wijk)s")
                % {"wijk": locked.wijk.name},
                text=(
                    _("%(name)s is trekker geworden van het thema '%(title)s'.")
                    % {"name": name, "title": locked.public_title}
                    if name
                    else _("Een bewoner is trekker geworden van het thema '%(title)s'.")
                    % {"title": locked.public_title}
                ),
            )
        )
    return trekker


def theme_leave(*, user: User, thema: WijkThema) -> bool:
    """A trekker stops. Their progress updates stay."""
    if not user.is_authenticated:
        return False
    deleted, _rows = ThemaTrekker.objects.filter(thema=thema, user=user).delete()
    return bool(deleted)


def theme_progress_post(*, user: User, thema: WijkThema, text: str) -> ThemaVoortgang:
    """A trekker or a professional of the wijk posts progress on a public theme."""
    if not can_post_progress(user, thema):
        raise ThemeError(
            _(
                "Alleen trekkers van dit thema en het wijkteam kunnen voortgang "
                "plaatsen."
            ),
            code="forbidden",
        )
    _check_public(thema)
    text = _plain(text)
    if not text:
        raise ThemeError(_("Schrijf wat er gebeurd is."), code="required")
    if len(text) > PROGRESS_MAX_LENGTH:
        raise ThemeError(
            _("De tekst is te lang: hoogstens %(max)s tekens (nu %(length)s).")
            % {"max": PROGRESS_MAX_LENGTH, "length": len(text)},
            code="too_long",
        )
    if user.role == Role.PROFESSIONAL:
        _refuse_signal_text(thema, text)
    # Everyone reads it: no person in it, whoever wrote it.
    text = staff_text_scrub(text, wijk=thema.wijk, error=ThemeError).text
    return ThemaVoortgang.objects.create(thema=thema, author=user, text=text)


def resident_link_initiative(
    *, user: User, thema: WijkThema, initiatief: Initiatief
) -> ThemaInitiatief:
    """A resident links an initiative they own or co-organise (same wijk) to a public
    theme."""
    if not user.is_authenticated or user.role != Role.BEWONER:
        raise ThemeError(
            _("Alleen bewoners kunnen hier hun initiatief koppelen."),
            code="forbidden",
        )
    _check_public(thema)
    is_organiser = (
        initiatief.owner_id == user.pk
        or initiatief.co_organisers.filter(pk=user.pk).exists()
    )
    if not is_organiser:
        raise ThemeError(
            _(
                "U kunt alleen een initiatief koppelen dat u zelf organiseert of "
                "mee-organiseert."
            ),
            code="not_organiser",
        )
    _check_linkable(thema, initiatief)
    link = _link(
        thema=thema, initiatief=initiatief, actor=user, note="", by_resident=True
    )
    title = initiatief.title
    transaction.on_commit(
        lambda: notify_team(
            thema=thema,
            subject=_("Een initiatief is gekoppeld aan een thema in %(wijk)s")
            % {"wijk": thema.wijk.name},
            text=_(
                "Een bewoner heeft het initiatief '%(initiatief)s' gekoppeld aan het "
                "thema '%(title)s'."
            )
            % {"initiatief": title, "title": thema.public_title},
        )
    )
    return link


def _on_commit_call_notify(thema_id: int) -> None:
    """After the commit, queue the mail to the wijk's residents about a new call
    (through the outbox: a message lost with a worker or Redis is sent again)."""
    from outbox.services import outbox_send
    from signalen.tasks import call_notify_task

    outbox_send(call_notify_task, thema_id)


def notify_team(*, thema: WijkThema, subject: str, text: str) -> int:
    """Tell each professional of the wijk's teams, each by their own mail choice
    (direct, daily or weekly digest, or not). Returns how many were mailed now."""
    from initiatieven.notifications import notice_send

    path = reverse("signalen:thema_detail", kwargs={"pk": thema.pk})

    def direct_mail(user: User) -> tuple[str, str]:
        body = _(
            "Beste %(name)s,\n\n%(text)s\n\nBekijk het thema hier:\n%(url)s\n\n"
            "Groeten,\nBuurtwijs"
        ) % {"name": user.display_name, "text": text, "url": site_url(path)}
        return subject, body

    return notice_send(
        users=team_professionals(thema),
        title=thema.display_name,
        subject=subject,
        text=text,
        url=path,
        direct_mail=direct_mail,
    ).sent
