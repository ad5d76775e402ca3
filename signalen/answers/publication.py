"""Four eyes on what goes public: a theme's public title and text ("vier ogen").

A professional of the wijk's team proposes the public title and text (scrubbed: the
stored text is what the scrubber returns, never the typed original). The theme becomes
public, on /themas/<pk>/, in the API and in open data, only when a second professional
of the wijk's team approves the proposal; the author cannot approve their own. A
proposal can be rejected with a reason. Every step is a line in the theme's history
(ThemaGebeurtenis: proposed, published, rejected).

A new proposal replaces a waiting one (status withdrawn). A theme that is public stays
public with its approved text while a new proposal waits.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from signalen.answers.queries import (
    PUBLIC_TEXT_MAX_LENGTH,
    PUBLIC_TITLE_MAX_LENGTH,
    _one_line,
    _plain,
)
from signalen.answers.services import (
    REASON_MAX_LENGTH,
    _check_professional,
    _event,
    _lock,
    _on_commit_call_notify,
    _refuse_signal_text,
)
from signalen.intake.staff_text import staff_text_scrub
from signalen.models import (
    PublicatieStatus,
    ThemaGebeurtenis,
    ThemaPublicatie,
    ThemaZichtbaarheid,
    WijkThema,
)
from signalen.themes.services import PUBLIC_ALLOWED, ThemeError


def publication_pending(thema: WijkThema) -> ThemaPublicatie | None:
    """The proposal that waits for a second professional, if any."""
    return (
        ThemaPublicatie.objects.filter(thema=thema, status=PublicatieStatus.PENDING)
        .select_related("author")
        .first()
    )


def _check_recognised(thema: WijkThema) -> None:
    if thema.status not in PUBLIC_ALLOWED:
        raise ThemeError(
            _(
                "Een thema wordt pas openbaar als het team het heeft erkend. "
                "Erken het thema eerst."
            ),
            code="not_recognised",
        )


def publication_clean(
    *, thema: WijkThema, title: str, text: str
) -> tuple[str, str, tuple[str, ...]]:
    """Check and scrub a proposed title and text: (title, text, removed kinds) as they
    will be stored. The form's preview shows exactly this."""
    _check_recognised(thema)
    title = _one_line(title)
    text = _plain(text)
    if not title:
        raise ThemeError(_("Geef het thema een openbare titel."), code="title_required")
    if len(title) > PUBLIC_TITLE_MAX_LENGTH:
        raise ThemeError(
            _("De titel is te lang: hoogstens %(max)s tekens (nu %(length)s).")
            % {"max": PUBLIC_TITLE_MAX_LENGTH, "length": len(title)},
            code="title_too_long",
        )
    if not text:
        raise ThemeError(
            _("Schrijf in een paar zinnen wat er speelt."), code="text_required"
        )
    if len(text) > PUBLIC_TEXT_MAX_LENGTH:
        raise ThemeError(
            _("De tekst is te lang: hoogstens %(max)s tekens (nu %(length)s).")
            % {"max": PUBLIC_TEXT_MAX_LENGTH, "length": len(text)},
            code="text_too_long",
        )
    _refuse_signal_text(thema, title, text)
    scrubbed_title = staff_text_scrub(title, wijk=thema.wijk, error=ThemeError)
    scrubbed_text = staff_text_scrub(text, wijk=thema.wijk, error=ThemeError)
    removed = tuple(dict.fromkeys([*scrubbed_title.removed, *scrubbed_text.removed]))
    # A tag may make the text longer than the limit ("Jo" -> "[NAAM]").
    return (
        scrubbed_title.text[:PUBLIC_TITLE_MAX_LENGTH],
        scrubbed_text.text[:PUBLIC_TEXT_MAX_LENGTH],
        removed,
    )


def publication_propose(
    *, actor: User, thema: WijkThema, title: str, text: str, is_call: bool
) -> ThemaPublicatie:
    """A professional of the wijk proposes the public title and text (scrubbed). It
    waits for a colleague's approval; a waiting earlier proposal is replaced."""
    _check_professional(actor, thema)
    title, text, removed = publication_clean(thema=thema, title=title, text=text)
    with transaction.atomic():
        locked = _lock(thema)
        _check_recognised(locked)
        ThemaPublicatie.objects.filter(
            thema=locked, status=PublicatieStatus.PENDING
        ).update(status=PublicatieStatus.WITHDRAWN, decided_at=timezone.now())
        publicatie = ThemaPublicatie.objects.create(
            thema=locked,
            title=title,
            text=text,
            is_call=bool(is_call),
            removed=list(removed),
            author=actor,
        )
        _event(
            locked,
            soort=ThemaGebeurtenis.Soort.PROPOSED,
            actor=actor,
            detail={
                "publicatie": publicatie.pk,
                "title": title,
                "is_call": bool(is_call),
                "removed": list(removed),
            },
        )
    return publicatie


def _check_reviewer(actor: User, publicatie: ThemaPublicatie) -> WijkThema:
    thema = publicatie.thema
    _check_professional(actor, thema)
    if publicatie.author_id == actor.pk:
        raise ThemeError(
            _(
                "U hebt deze tekst zelf geschreven. Een collega van het wijkteam moet "
                "hem goedkeuren: zo kijken er altijd vier ogen naar."
            ),
            code="own",
        )
    return thema


def _locked_pending(publicatie: ThemaPublicatie) -> ThemaPublicatie:
    locked = ThemaPublicatie.objects.select_for_update().get(pk=publicatie.pk)
    if locked.status != PublicatieStatus.PENDING:
        raise ThemeError(
            _(
                "Over dit voorstel is al beslist, of er is een nieuwer voorstel. "
                "Bekijk het thema opnieuw."
            ),
            code="not_pending",
        )
    return locked


def publication_approve(*, actor: User, publicatie: ThemaPublicatie) -> WijkThema:
    """A second professional of the wijk approves: the theme becomes public with the
    proposed (scrubbed) title and text. The first call tells the wijk's residents."""
    thema = _check_reviewer(actor, publicatie)
    with transaction.atomic():
        locked = _lock(thema)
        proposal = _locked_pending(publicatie)
        _check_recognised(locked)
        old_visibility = locked.visibility
        first_call = proposal.is_call and not (
            ThemaGebeurtenis.objects.filter(
                thema=locked,
                soort=ThemaGebeurtenis.Soort.PUBLISHED,
                detail__is_call=True,
            ).exists()
        )
        now = timezone.now()
        proposal.status = PublicatieStatus.APPROVED
        proposal.decided_by = actor
        proposal.decided_at = now
        proposal.save(update_fields=["status", "decided_by", "decided_at"])
        locked.public_title = proposal.title
        locked.public_text = proposal.text
        locked.is_call = proposal.is_call
        locked.public_approved_at = now
        locked.public_approved_by = actor
        locked.visibility = ThemaZichtbaarheid.PUBLIEK
        locked.save(
            update_fields=[
                "public_title",
                "public_text",
                "is_call",
                "public_approved_at",
                "public_approved_by",
                "visibility",
                "updated_at",
            ]
        )
        _event(
            locked,
            soort=ThemaGebeurtenis.Soort.PUBLISHED,
            actor=actor,
            detail={
                "publicatie": proposal.pk,
                "title": proposal.title,
                "is_call": proposal.is_call,
                "proposed_by": proposal.author_id,
                "approved_by": actor.pk,
            },
        )
        if old_visibility != ThemaZichtbaarheid.PUBLIEK:
            _event(
                locked,
                soort=ThemaGebeurtenis.Soort.VISIBILITY,
                actor=actor,
                detail={"from": old_visibility, "to": ThemaZichtbaarheid.PUBLIEK},
            )
        if first_call:
            _on_commit_call_notify(locked.pk)
    for name in (
        "public_title",
        "public_text",
        "is_call",
        "public_approved_at",
        "public_approved_by_id",
        "visibility",
    ):
        setattr(thema, name, getattr(locked, name))
    publicatie.status = PublicatieStatus.APPROVED
    return thema


def publication_reject(
    *, actor: User, publicatie: ThemaPublicatie, reason: str
) -> ThemaPublicatie:
    """A second professional of the wijk rejects the proposal, with a reason the author
    reads on the theme page. Nothing public changes."""
    thema = _check_reviewer(actor, publicatie)
    reason = _one_line(reason)
    if not reason:
        raise ThemeError(
            _("Schrijf kort waarom u de tekst afwijst."), code="reason_required"
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ThemeError(
            _("De reden is te lang: hoogstens %(max)s tekens (nu %(length)s).")
            % {"max": REASON_MAX_LENGTH, "length": len(reason)},
            code="reason_too_long",
        )
    reason = staff_text_scrub(reason, wijk=thema.wijk, error=ThemeError).text
    with transaction.atomic():
        locked = _lock(thema)
        proposal = _locked_pending(publicatie)
        proposal.status = PublicatieStatus.REJECTED
        proposal.decided_by = actor
        proposal.decided_at = timezone.now()
        proposal.reason = reason[:REASON_MAX_LENGTH]
        try:
            with transaction.atomic():
                proposal.save(
                    update_fields=["status", "decided_by", "decided_at", "reason"]
                )
        except IntegrityError as error:  # pragma: no cover - guarded above
            raise ThemeError(_("Dat lukte niet."), code="not_pending") from error
        _event(
            locked,
            soort=ThemaGebeurtenis.Soort.REJECTED,
            actor=actor,
            detail={"publicatie": proposal.pk, "reason": proposal.reason},
        )
    publicatie.status = PublicatieStatus.REJECTED
    publicatie.reason = proposal.reason
    return publicatie
