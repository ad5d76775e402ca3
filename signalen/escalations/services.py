"""Beleidssignalen: a team sends a theme to the gemeente, the officer answers.

A team (a professional of a team that works in the theme's wijk) sends a theme with its
argument and a frozen evidence snapshot. The snapshot holds k-anonymous figures only
(every count through signalen.kanon.k_count / k_anonymous_counts) and never signal
text or who logged what: it is what the officer sees, and it does not change when the
theme changes later. The officers of the wijk's gemeente mark it received, start
handling it and answer; both sides add messages. Every step is one EscalatieGebeurtenis
row: the timeline both sides see. Mails go out after commit through Celery tasks.

Statuses: verstuurd -> ontvangen -> in_behandeling -> beantwoord (answering straight
from ontvangen is allowed too).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.permissions import can_work_in_wijk
from core.mail import render, send, site_url
from signalen.answers.queries import contains_signal_text
from signalen.escalations.queries import (
    OPEN,
    _status_label,
    escalations_waiting,
    is_officer_of,
    is_team_member_of,
    officers_of,
    open_escalation_for_theme,
    reminder_days,
    transitions_from,
)
from signalen.intake.permissions import team_for_signaal
from signalen.intake.staff_text import staff_text_scrub, staff_texts_scrub
from signalen.kanon import (
    block_start,
    k_anonymous_counts,
    k_count,
    k_threshold,
    outside_until,
)
from signalen.models import (
    Doelgroep,
    Escalatie,
    EscalatieGebeurtenis,
    EscalatieStatus,
    ThemaGebeurtenis,
    ThemaInitiatief,
    ThemaLid,
    ThemaStatus,
    WijkThema,
)
from signalen.themes.queries import (
    outside_trend_label,
    rollup_freshness,
    theme_outside_sizes,
    theme_outside_trends,
)
from wijken import generations

log = logging.getLogger(__name__)


TITLE_MAX_LENGTH = 160


ARGUMENT_MAX_LENGTH = 5000


REQUEST_MAX_LENGTH = 2000


ANSWER_MAX_LENGTH = 5000


COMMENT_MAX_LENGTH = 5000


SNAPSHOT_VERSION = 3  # 2: the name outside the team, no engine keywords; 3: block


# A theme the team kept (not just found by the system, not dismissed) can be sent.
SENDABLE = (ThemaStatus.ERKEND, ThemaStatus.OPGEPAKT, ThemaStatus.AFGEROND)


class EscalationError(ValidationError):
    """A step the rules refuse; the message is for the user."""


def _clean(text: str | None) -> str:
    """Trim the text, keep its line breaks (templates escape it)."""
    return (text or "").replace("\r\n", "\n").strip()


def _refuse_signal_text(thema: WijkThema, *texts: str) -> None:
    """Signal text stays in the team: the gemeente never reads it, not even quoted."""
    if contains_signal_text(thema, *texts):
        raise EscalationError(
            _(
                "Uw tekst bevat een stuk tekst uit een signaal. De tekst van signalen "
                "blijft binnen het team. Schrijf het in uw eigen woorden."
            ),
            code="signal_text",
        )


def _require(text: str, *, max_length: int, empty: str, code: str) -> str:
    if not text:
        raise EscalationError(empty, code=f"{code}_required")
    if len(text) > max_length:
        raise EscalationError(
            _("De tekst is te lang: hoogstens %(max)s tekens (nu %(length)s).")
            % {"max": max_length, "length": len(text)},
            code=f"{code}_too_long",
        )
    return text


def _figure(value: int) -> int | None:
    """A count as it may leave the team: the number, or None when below K."""
    return k_count(value).value


def _doelgroepen_table(thema: WijkThema, *, as_of: datetime.date) -> dict[str, Any]:
    """Target groups of the theme's live signals, k-anonymous. Every active group is a
    cell (zero included), so a hidden group does not even tell that it occurs. A signal
    with two groups counts in both, so the table has no total. Only the signals that
    the theme's outside size counts (whole blocks, each signal in the block it was
    logged in, with the groups it had when that block ended: signalen.intake.facts):
    otherwise one group could show more signals than the whole theme."""
    rows = (
        ThemaLid.objects.filter(
            thema=thema,
            signaal__withdrawn_at__isnull=True,
            signaal__feit__week__lte=outside_until(as_of),
        )
        .exclude(signaal__feit__doelgroepen__isnull=True)
        .values("signaal__feit__doelgroepen")
        .annotate(n=Count("signaal", distinct=True))
        .values_list("signaal__feit__doelgroepen", "n")
    )
    found = {int(pk): int(n) for pk, n in rows}
    groups = {
        g.pk: g
        for g in Doelgroep.objects.filter(Q(is_active=True) | Q(pk__in=list(found)))
    }
    table = k_anonymous_counts(
        {groups[pk].code: found.get(pk, 0) for pk in groups}, total=False
    )
    names = {g.code: g.name for g in groups.values()}
    shown = [
        {"code": code, "name": names[code], "count": count.value}
        for code, count in table.cells
        if not count.is_hidden
    ]
    hidden = [
        {"code": code, "name": names[code]}
        for code, count in table.cells
        if count.is_hidden
    ]
    return {"shown": shown, "hidden": hidden}


def _initiatives(thema: WijkThema) -> list[dict[str, str]]:
    links = (
        ThemaInitiatief.objects.filter(thema=thema, initiatief__is_hidden=False)
        .select_related("initiatief")
        .order_by("created_at", "pk")
    )
    return [
        {
            "title": link.initiatief.title,
            "status": link.initiatief.status,
            "status_label": str(link.initiatief.get_status_display()),
            "url": link.initiatief.get_absolute_url(),
        }
        for link in links
    ]


def escalation_snapshot(
    thema: WijkThema, *, now: datetime.datetime | None = None
) -> dict[str, Any]:
    """The evidence as the gemeente will see it: k-anonymous figures, never signal
    text, never who logged what. Counts below K are stored as None ("verborgen").

    The size is the one the officer's sparkline totals (queries.theme_outside_sizes),
    and no other count of the theme's signals is stored beside it: a recent and an
    earlier count would add up to a size that the table hides."""
    now = now or timezone.now()
    wijk = thema.wijk
    finished = rollup_freshness(wijk_ids=[wijk.pk]).get(wijk.pk)
    today = timezone.localtime(now).date()
    size = theme_outside_sizes([thema.pk], as_of=today)[thema.pk]
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "version": SNAPSHOT_VERSION,
            "k": k_threshold(),
            "taken_at": now.isoformat(),
            # Outside the team: only a name a professional wrote, never the
            # engine's words (signalen.naming).
            "thema": {"id": thema.pk, "name": str(thema.outside_name)},
            "wijk": {"code": wijk.code, "name": wijk.name},
            "gemeente": wijk.gemeente.name,
            "status": thema.status,
            "status_label": str(thema.get_status_display()),
            "size": size.value,
            # The last day the size (and the target groups) count: whole blocks only.
            "size_until": outside_until(today).isoformat(),
            "authors": _figure(thema.authors),
            # From the same fixed blocks as the size, not the engine's days.
            "trend": (trend := theme_outside_trends([thema.pk], as_of=today)[thema.pk]),
            "trend_label": outside_trend_label(trend),
            "categorie": (
                {"code": thema.categorie.code, "name": thema.categorie.name}
                if thema.categorie
                else None
            ),
            "doelgroepen": _doelgroepen_table(thema, as_of=today),
            "initiatieven": _initiatives(thema),
            # Outside the team a date is block-grained: the block of the latest
            # signal, never its day (with the officer's export it would pin it).
            "last_block": (
                block_start(thema.last_observed_on).isoformat()
                if thema.last_observed_on
                else None
            ),
            "rollup_finished_at": finished.isoformat() if finished else None,
        }


def _timeline_event(
    escalatie: Escalatie, *, actor: User, status: str = "", text: str = ""
) -> EscalatieGebeurtenis:
    return EscalatieGebeurtenis.objects.create(
        escalatie=escalatie, actor=actor, status=status, text=text
    )


def _on_commit_notify(escalatie_id: int, event: str) -> None:
    """After the commit, queue the mail (through the outbox: a message lost with a
    worker or Redis is sent again)."""
    from outbox.services import outbox_send
    from signalen.tasks import escalation_notify_task

    outbox_send(escalation_notify_task, escalatie_id, event)


def escalation_send(
    *,
    actor: User,
    thema: WijkThema,
    title: str,
    argument: str,
    request: str = "",
) -> Escalatie:
    """Send the theme to the gemeente with the team's argument and a frozen snapshot."""
    if not actor.is_authenticated or not can_work_in_wijk(actor, thema.wijk):
        raise EscalationError(
            _(
                "U kunt dit thema niet naar de gemeente sturen. Alleen professionals "
                "van het wijkteam van deze wijk kunnen dat."
            ),
            code="forbidden",
        )
    title = " ".join((title or "").split())
    title = _require(
        title,
        max_length=TITLE_MAX_LENGTH,
        empty=_("Geef het beleidssignaal een titel."),
        code="title",
    )
    argument = _require(
        _clean(argument),
        max_length=ARGUMENT_MAX_LENGTH,
        empty=_("Schrijf op waarom de gemeente hier iets mee moet."),
        code="argument",
    )
    request = _clean(request)
    if len(request) > REQUEST_MAX_LENGTH:
        raise EscalationError(
            _("De vraag is te lang: hoogstens %(max)s tekens (nu %(length)s).")
            % {"max": REQUEST_MAX_LENGTH, "length": len(request)},
            code="request_too_long",
        )
    team = team_for_signaal(user=actor, wijk=thema.wijk)
    if team is None:
        raise EscalationError(
            _("U zit niet in een wijkteam van deze wijk."), code="forbidden"
        )
    _refuse_signal_text(thema, title, argument, request)
    # The gemeente reads these: no person in them (signalen.intake.staff_text).
    title, argument, request = (
        scrubbed.text
        for scrubbed in staff_texts_scrub(
            title, argument, request, wijk=thema.wijk, error=EscalationError
        )
    )
    with transaction.atomic():
        locked = (
            WijkThema.objects.select_for_update(of=("self",))
            .select_related("wijk", "wijk__gemeente", "categorie")
            .get(pk=thema.pk)
        )
        if locked.status not in SENDABLE:
            raise EscalationError(
                _(
                    "Dit thema kan nog niet naar de gemeente. Het team moet het eerst "
                    "erkennen; een verworpen thema stuurt u niet."
                ),
                code="status",
            )
        if not locked.is_current:
            raise EscalationError(
                _(
                    "Dit thema is niet meer actueel. U kunt alleen actuele thema's "
                    "naar de gemeente sturen."
                ),
                code="not_current",
            )
        if open_escalation_for_theme(locked) is not None:
            raise EscalationError(
                _(
                    "Dit thema ligt al bij de gemeente. Wacht op het antwoord, of "
                    "schrijf een bericht bij het beleidssignaal."
                ),
                code="already_open",
            )
        now = timezone.now()
        escalatie = Escalatie.objects.create(
            thema=locked,
            team=team,
            wijk=locked.wijk,
            title=title,
            argument=argument,
            request=request,
            snapshot=escalation_snapshot(locked, now=now),
            status=EscalatieStatus.VERSTUURD,
            sent_by=actor,
            sent_at=now,
        )
        _timeline_event(escalatie, actor=actor, status=EscalatieStatus.VERSTUURD)
        ThemaGebeurtenis.objects.create(
            thema=locked,
            soort=ThemaGebeurtenis.Soort.ESCALATED,
            actor=actor,
            detail={"escalatie": escalatie.pk, "title": title},
        )
        _on_commit_notify(escalatie.pk, "new")
    return escalatie


def _officer_step(
    *, actor: User, escalatie: Escalatie, to: str, answer: str = ""
) -> Escalatie:
    if not is_officer_of(actor, escalatie):
        raise EscalationError(
            _(
                "Dit kan alleen een medewerker van de gemeente waar dit "
                "beleidssignaal naartoe is gestuurd."
            ),
            code="forbidden",
        )
    with transaction.atomic():
        locked = Escalatie.objects.select_for_update().get(pk=escalatie.pk)
        old = locked.status
        if to == old:
            raise EscalationError(
                _("Dit beleidssignaal heeft die status al: %(status)s.")
                % {"status": _status_label(to)},
                code="unchanged",
            )
        if to not in transitions_from(old):
            if old == EscalatieStatus.VERSTUURD:
                message = _(
                    "Dat kan nog niet. Zet het beleidssignaal eerst op 'ontvangen'."
                )
            elif old == EscalatieStatus.BEANTWOORD:
                message = _("Dit beleidssignaal is al beantwoord.")
            else:
                message = _(
                    "Dat kan niet: een beleidssignaal met de status '%(old)s' kan "
                    "niet naar '%(new)s'."
                ) % {"old": _status_label(old), "new": _status_label(to)}
            raise EscalationError(message, code="transition")
        now = timezone.now()
        locked.status = to
        locked.handled_by = actor
        fields = ["status", "handled_by"]
        if to == EscalatieStatus.ONTVANGEN:
            locked.received_at = now
            fields.append("received_at")
        if to == EscalatieStatus.BEANTWOORD:
            locked.answer = answer
            locked.answered_at = now
            fields += ["answer", "answered_at"]
        locked.save(update_fields=fields)
        _timeline_event(locked, actor=actor, status=to, text=answer)
        # The theme's history gets one ESCALATED event, when the team sends: its
        # label says "sent to the gemeente", so later steps live in the timeline.
        if to == EscalatieStatus.BEANTWOORD:
            _on_commit_notify(locked.pk, "answered")
    for field in [*fields, "handled_by_id"]:
        setattr(escalatie, field, getattr(locked, field))
    return escalatie


def escalation_receive(*, actor: User, escalatie: Escalatie) -> Escalatie:
    """The gemeente confirms it received the escalation (-> ontvangen)."""
    return _officer_step(actor=actor, escalatie=escalatie, to=EscalatieStatus.ONTVANGEN)


def escalation_start(*, actor: User, escalatie: Escalatie) -> Escalatie:
    """The gemeente starts working on it (-> in_behandeling)."""
    return _officer_step(
        actor=actor, escalatie=escalatie, to=EscalatieStatus.IN_BEHANDELING
    )


def escalation_answer(*, actor: User, escalatie: Escalatie, answer: str) -> Escalatie:
    """The gemeente answers (-> beantwoord); the team gets an e-mail."""
    answer = _require(
        _clean(answer),
        max_length=ANSWER_MAX_LENGTH,
        empty=_("Schrijf het antwoord van de gemeente."),
        code="answer",
    )
    answer = staff_text_scrub(
        answer, wijk=escalatie.thema.wijk, error=EscalationError
    ).text
    return _officer_step(
        actor=actor, escalatie=escalatie, to=EscalatieStatus.BEANTWOORD, answer=answer
    )


def escalation_comment(
    *, actor: User, escalatie: Escalatie, text: str
) -> EscalatieGebeurtenis:
    """Either side adds a message to the shared timeline."""
    if not (is_team_member_of(actor, escalatie) or is_officer_of(actor, escalatie)):
        raise EscalationError(
            _(
                "U kunt hier geen bericht plaatsen. Dat kunnen alleen het wijkteam en "
                "de gemeente van dit beleidssignaal."
            ),
            code="forbidden",
        )
    text = _require(
        _clean(text),
        max_length=COMMENT_MAX_LENGTH,
        empty=_("Schrijf een bericht."),
        code="text",
    )
    if actor.role == Role.PROFESSIONAL:
        _refuse_signal_text(escalatie.thema, text)
    text = staff_text_scrub(text, wijk=escalatie.thema.wijk, error=EscalationError).text
    with transaction.atomic():
        return _timeline_event(escalatie, actor=actor, text=text)


def _detail_url(escalatie: Escalatie) -> str:
    return site_url(reverse("signalen:escalatie_detail", kwargs={"pk": escalatie.pk}))


def _mail(*, users: Iterable[User], template: str, context: Mapping[str, Any]) -> int:
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for user in users:
            subject, body, _html = render(
                f"signalen/email/{template}", {**context, "user": user}
            )
            send(to=user.email, subject=subject, body=body)
            sent += 1
    return sent


def escalation_notify(*, escalatie_id: int, event: str) -> int:
    """Mail about one step: a new escalation to the gemeente's officers, an answer to
    the team. Returns the number of mails sent."""
    escalatie = (
        Escalatie.objects.select_related("team", "wijk", "wijk__gemeente", "thema")
        .filter(pk=escalatie_id)
        .first()
    )
    if escalatie is None:
        return 0
    context = {"escalatie": escalatie, "url": _detail_url(escalatie)}
    if event == "new":
        return _mail(
            users=officers_of(escalatie.wijk.gemeente_id),
            template="escalatie_new",
            context=context,
        )
    if event == "answered" and escalatie.status == EscalatieStatus.BEANTWOORD:
        # The team hears of the answer by each member's own mail choice (direct,
        # daily or weekly digest, or not), once per member.
        from initiatieven.notifications import notice_send
        from signalen.answers.notifications import template_mail

        team = escalatie.team.members.filter(is_active=True).exclude(email="")
        with translation.override(settings.LANGUAGE_CODE):
            text = _(
                'De gemeente heeft geantwoord op het beleidssignaal "%(title)s".'
            ) % {"title": escalatie.title}
        told = notice_send(
            users=team.order_by("pk"),
            title=escalatie.title,
            text=text,
            url=reverse("signalen:escalatie_detail", kwargs={"pk": escalatie.pk}),
            key=f"signalen:escalation-answered:{escalatie.pk}",
            direct_mail=template_mail("escalatie_answered", context),
        )
        return told.sent
    return 0


def _reminder_mail(officer_id: int, escalatie_ids: list[int], list_url: str) -> None:
    """One reminder mail to one officer, after the commit. A mail that fails is logged
    and does not stop the others; the marks are saved already, so nothing is sent
    twice (a lost reminder is less harm than a flood of them)."""
    officer = User.objects.filter(pk=officer_id).first()
    if officer is None:
        return
    escalaties = list(
        Escalatie.objects.filter(pk__in=escalatie_ids)
        .select_related("wijk", "wijk__gemeente", "team")
        .order_by("sent_at", "pk")
    )
    try:
        _mail(
            users=[officer],
            template="escalatie_reminder",
            context={
                "items": [(e, _detail_url(e)) for e in escalaties],
                "days": reminder_days(),
                "list_url": list_url,
            },
        )
    except Exception:  # one failing address does not stop the other mails
        log.warning("reminder mail to officer %s failed", officer_id, exc_info=True)


def escalation_send_reminders(*, now: datetime.datetime | None = None) -> int:
    """Daily: mail each gemeente's officers one list of the escalations that wait too
    long, at most once per interval per escalation. The marks (last_reminder_at) are
    saved first; the mails go out after the commit, one per officer. Returns the
    number of mails scheduled."""
    now = now or timezone.now()
    sent = 0
    with transaction.atomic():
        waiting = escalations_waiting(now=now)
        ids = [e.pk for e in waiting]
        # Lock and re-check, so two runs at once do not both remind.
        locked = set(
            Escalatie.objects.select_for_update()
            .filter(pk__in=ids, status__in=OPEN)
            .filter(
                Q(last_reminder_at__isnull=True)
                | Q(
                    last_reminder_at__lte=now - datetime.timedelta(days=reminder_days())
                )
            )
            .values_list("pk", flat=True)
        )
        waiting = [e for e in waiting if e.pk in locked]
        Escalatie.objects.filter(pk__in=[e.pk for e in waiting]).update(
            last_reminder_at=now
        )
        generations.bump(
            wijk_ids=[e.wijk_id for e in waiting], domains=["beleidssignalen"]
        )
        by_gemeente: dict[int, list[int]] = {}
        for escalatie in waiting:
            by_gemeente.setdefault(escalatie.wijk.gemeente_id, []).append(escalatie.pk)
        list_url = site_url(reverse("signalen:escalatie_list"))
        for gemeente_id, items in by_gemeente.items():
            for officer in officers_of(gemeente_id):
                transaction.on_commit(
                    partial(_reminder_mail, officer.pk, items, list_url)
                )
                sent += 1
    return sent
