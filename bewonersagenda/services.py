"""Writes of the bewonersagenda: raise, support, withdraw, link, answer, close, hide.

Every write checks its rule here too (views check permissions first), locks the
concern so two quick clicks or two supporters at once count right, and sends mail
after the commit through a Celery task. Reaching the threshold freezes it, notifies
the wijkteam and the gemeente's officers and starts the answer clock: the reminder
interval of a beleidssignaal (signalen.escalations.queries.reminder_days).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Team, User
from bewonersagenda import permissions
from bewonersagenda.models import Agendapunt, AgendapuntStatus, Steun
from bewonersagenda.queries import effective_threshold, overdue, threshold_for
from outbox.services import outbox_send
from signalen.answers.queries import is_public
from signalen.escalations.queries import officers_of, reminder_days
from signalen.models import WijkThema
from wijken.models import Wijk
from wijken.text import without_bidi_controls

TITLE_MAX_LENGTH = 120
TEXT_MAX_LENGTH = 3000
ANSWER_MAX_LENGTH = 5000
REASON_MAX_LENGTH = 300


class AgendaError(ValidationError):
    """A step the rules refuse; the message is for the user."""


def _clean(text: str | None, *, max_length: int, empty: str, code: str) -> str:
    text = without_bidi_controls((text or "").replace("\r\n", "\n")).strip()
    if not text:
        raise AgendaError(empty, code=f"{code}_required")
    if len(text) > max_length:
        raise AgendaError(
            _("De tekst is te lang: hoogstens %(max)s tekens (nu %(length)s).")
            % {"max": max_length, "length": len(text)},
            code=f"{code}_too_long",
        )
    if "<" in text or ">" in text:
        raise AgendaError(_("Gebruik geen < of > in dit veld."), code=f"{code}_tags")
    return text


def _notify_on_commit(agendapunt_id: int, event: str) -> None:
    from bewonersagenda.tasks import agendapunt_notify_task

    # Written down with the change, sent after the commit, sent again by the sweep.
    outbox_send(agendapunt_notify_task, agendapunt_id, event)


def _locked(agendapunt: Agendapunt) -> Agendapunt:
    return (
        Agendapunt.objects.select_for_update()
        .select_related("wijk")
        .get(pk=agendapunt.pk)
    )


def _reach_if_due(agendapunt: Agendapunt) -> bool:
    """Inside the lock: reach the threshold when the supporters are enough."""
    if agendapunt.status != AgendapuntStatus.OPEN:
        return False
    threshold = threshold_for(agendapunt.wijk)
    if agendapunt.steunbetuigingen.count() < threshold:
        return False
    agendapunt.status = AgendapuntStatus.DREMPEL
    agendapunt.threshold = threshold
    agendapunt.reached_at = timezone.now()
    agendapunt.save(update_fields=["status", "threshold", "reached_at"])
    _notify_on_commit(agendapunt.pk, "reached")
    return True


def agendapunt_create(*, author: User, wijk: Wijk, title: str, text: str) -> Agendapunt:
    """Raise a concern; the author supports it at once."""
    if not permissions.can_raise(author, wijk):
        raise AgendaError(
            _("Alleen bewoners van deze wijk kunnen hier een punt aandragen."),
            code="not_resident",
        )
    title = _clean(
        title,
        max_length=TITLE_MAX_LENGTH,
        empty=_("Geef uw punt een titel."),
        code="title",
    )
    text = _clean(
        text,
        max_length=TEXT_MAX_LENGTH,
        empty=_("Leg uit wat er speelt."),
        code="text",
    )
    with transaction.atomic():
        agendapunt = Agendapunt.objects.create(
            wijk=wijk, title=title, text=text, author=author
        )
        Steun.objects.create(agendapunt=agendapunt, user=author)
        _reach_if_due(agendapunt)
    return agendapunt


def steun_add(*, user: User, agendapunt: Agendapunt) -> bool:
    """Support a concern; True when the threshold was reached by this support."""
    with transaction.atomic():
        agendapunt = _locked(agendapunt)
        if not permissions.can_support(user, agendapunt):
            raise AgendaError(
                _("U kunt dit punt niet (meer) steunen."), code="cannot_support"
            )
        try:
            with transaction.atomic():
                Steun.objects.create(agendapunt=agendapunt, user=user)
        except IntegrityError:
            raise AgendaError(
                _("U steunt dit punt al."), code="already_supported"
            ) from None
        return _reach_if_due(agendapunt)


def steun_withdraw(*, user: User, agendapunt: Agendapunt) -> None:
    """Withdraw one's support while the concern is open (before the threshold)."""
    with transaction.atomic():
        agendapunt = _locked(agendapunt)
        if agendapunt.status != AgendapuntStatus.OPEN:
            raise AgendaError(
                _(
                    "Dit punt heeft de drempel al gehaald. Steun intrekken kan niet "
                    "meer."
                ),
                code="not_open",
            )
        if agendapunt.author_id == user.pk:
            raise AgendaError(
                _("U hebt dit punt zelf aangedragen."), code="author_withdraw"
            )
        deleted, _rows = Steun.objects.filter(agendapunt=agendapunt, user=user).delete()
        if not deleted:
            raise AgendaError(_("U steunt dit punt niet."), code="not_supported")


def thema_link(*, actor: User, agendapunt: Agendapunt, thema: WijkThema) -> None:
    """ "Wij zien dit ook": the team links one of the wijk's public themes."""
    if not permissions.is_team(actor, agendapunt):
        raise AgendaError(_("Alleen het wijkteam kan een thema koppelen."))
    if thema.wijk_id != agendapunt.wijk_id or not is_public(thema):
        raise AgendaError(
            _("Kies een openbaar thema van deze wijk."), code="thema_not_public"
        )
    if agendapunt.is_hidden or agendapunt.status == AgendapuntStatus.GESLOTEN:
        raise AgendaError(_("Dit punt is gesloten."), code="closed")
    agendapunt.themas.add(thema)


def thema_unlink(*, actor: User, agendapunt: Agendapunt, thema: WijkThema) -> None:
    if not permissions.is_team(actor, agendapunt):
        raise AgendaError(_("Alleen het wijkteam kan een thema loskoppelen."))
    agendapunt.themas.remove(thema)


def agendapunt_answer(*, actor: User, agendapunt: Agendapunt, answer: str) -> None:
    """The officer answers (or corrects the answer); who and when are kept."""
    answer = _clean(
        answer,
        max_length=ANSWER_MAX_LENGTH,
        empty=_("Schrijf een antwoord."),
        code="answer",
    )
    with transaction.atomic():
        agendapunt = _locked(agendapunt)
        if not permissions.can_answer(actor, agendapunt):
            raise AgendaError(
                _("Dit punt kan nu niet beantwoord worden."), code="cannot_answer"
            )
        first = agendapunt.status == AgendapuntStatus.DREMPEL
        agendapunt.answer = answer
        agendapunt.answered_at = timezone.now()
        agendapunt.answered_by = actor
        agendapunt.status = AgendapuntStatus.BEANTWOORD
        agendapunt.save(
            update_fields=["answer", "answered_at", "answered_by", "status"]
        )
        if first:
            _notify_on_commit(agendapunt.pk, "answered")


def agendapunt_close(*, actor: User, agendapunt: Agendapunt) -> None:
    with transaction.atomic():
        agendapunt = _locked(agendapunt)
        if not permissions.can_close(actor, agendapunt):
            raise AgendaError(_("U kunt dit punt niet sluiten."), code="cannot_close")
        agendapunt.status = AgendapuntStatus.GESLOTEN
        agendapunt.closed_at = timezone.now()
        agendapunt.save(update_fields=["status", "closed_at"])


def agendapunt_hide(*, actor: User, agendapunt: Agendapunt, reason: str) -> None:
    """A beheerder hides a concern that breaks the rules (the same role that hides an
    initiative from the report queue)."""
    if not permissions.is_beheerder(actor):
        raise AgendaError(_("Alleen een beheerder kan een punt verbergen."))
    reason = _clean(
        reason,
        max_length=REASON_MAX_LENGTH,
        empty=_("Geef een reden."),
        code="reason",
    )
    agendapunt.is_hidden = True
    agendapunt.hidden_reason = reason
    agendapunt.save(update_fields=["is_hidden", "hidden_reason"])


def _team_of(wijk: Wijk) -> list[User]:
    return list(
        User.objects.filter(teams__in=Team.objects.filter(wijken=wijk), is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def agendapunt_notify(*, agendapunt_id: int, event: str) -> int:
    """Tell about one step, each person by their own mail choice and once per step:
    reached: the wijkteam and the gemeente's officers; answered: the author and the
    supporters. Returns the number of mails sent now."""
    from initiatieven.notifications import notice_send

    agendapunt = (
        Agendapunt.objects.select_related("wijk").filter(pk=agendapunt_id).first()
    )
    if agendapunt is None or agendapunt.is_hidden:
        return 0
    url = reverse("bewonersagenda:detail", kwargs={"pk": agendapunt.pk})
    with translation.override(settings.LANGUAGE_CODE):
        if event == "reached" and agendapunt.reached_at is not None:
            users = _team_of(agendapunt.wijk) + officers_of(agendapunt.wijk.gemeente_id)
            text = _(
                'Het punt "%(title)s" uit %(wijk)s heeft %(n)s steunbetuigingen en '
                "vraagt om een antwoord van de gemeente."
            ) % {
                "title": agendapunt.title,
                "wijk": agendapunt.wijk.name,
                "n": effective_threshold(agendapunt),
            }
        elif event == "answered" and agendapunt.answered_at is not None:
            users = list(
                User.objects.filter(
                    agenda_steun__agendapunt=agendapunt, is_active=True
                ).order_by("pk")
            )
            text = _('De gemeente heeft geantwoord op "%(title)s".') % {
                "title": agendapunt.title
            }
        elif event == "reminder" and agendapunt.last_reminder_at is not None:
            users = officers_of(agendapunt.wijk.gemeente_id)
            text = _(
                'Het punt "%(title)s" uit %(wijk)s wacht langer dan %(days)s dagen '
                "op een antwoord van de gemeente."
            ) % {
                "title": agendapunt.title,
                "wijk": agendapunt.wijk.name,
                "days": reminder_days(),
            }
            event = f"reminder:{agendapunt.last_reminder_at.date().isoformat()}"
        else:
            return 0
        return notice_send(
            users=users,
            title=agendapunt.title,
            text=text,
            url=url,
            key=f"bewonersagenda:{event}:{agendapunt.pk}",
        ).sent


def forget_user(*, user: User) -> dict[str, int]:
    """Remove what this resident did on the bewonersagenda, before the account goes:
    their co-signatures go (a concern past its threshold keeps its frozen threshold);
    the concerns they raised stay for the neighbours who co-signed, without author and
    with their name taken out of the text (like an initiative's updates)."""
    from accounts.names import without_name

    name = user.display_name
    with transaction.atomic():
        removed, _rows = Steun.objects.filter(user=user).delete()
        raised = 0
        for agendapunt in Agendapunt.objects.filter(author_id=user.pk):
            agendapunt.title = without_name(agendapunt.title, name)
            agendapunt.text = without_name(agendapunt.text, name)
            agendapunt.author = None
            agendapunt.save(update_fields=["title", "text", "author"])
            raised += 1
    return {"agenda_supports": removed, "agenda_points": raised}


def agendapunt_send_reminders(*, now: datetime.datetime | None = None) -> int:
    """Remind the gemeente's officers of concerns past the answer time of a
    beleidssignaal, at most once per interval per concern (the mark is saved under a
    lock, so two runs at once do not both remind). Returns how many were due."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=reminder_days())
    due = 0
    for pk in overdue(now=now).values_list("pk", flat=True):
        with transaction.atomic():
            agendapunt = (
                Agendapunt.objects.select_for_update()
                .filter(pk=pk, status=AgendapuntStatus.DREMPEL)
                .filter(
                    Q(last_reminder_at__isnull=True) | Q(last_reminder_at__lte=cutoff)
                )
                .first()
            )
            if agendapunt is None:
                continue
            agendapunt.last_reminder_at = now
            agendapunt.save(update_fields=["last_reminder_at"])
            _notify_on_commit(agendapunt.pk, "reminder")
            due += 1
    return due
