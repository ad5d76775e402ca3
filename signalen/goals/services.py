"""Wijk goals ("opdracht"): a measurable target agreed between the gemeente and a team,
with dated progress entries by the team.

Who may do what:
- professionals of the goal's team who work in its wijk create, change, close and
  reopen goals and add progress entries;
- officers (ambtenaren) of the wijk's gemeente read goals (list and detail) but write
  nothing: the team keeps the figures, the officer is named as the one it was agreed
  with (agreed_by);
- everyone else sees nothing.

A goal counts people the team and the gemeente agreed on as a target (for example
"residents who started volunteering"), not signals. Its figures are therefore not
signal counts and are not put through the k-anonymity helper. A goal counts up (the
target is above the start value: "50 residents into volunteering") or down (below it:
"from 40 to at most 15 people on the waiting list"); the progress maths, the texts and
the "on track" judgement handle both.

Officers of the gemeente and the team comment on a goal (or on one of its progress
entries); both sides read the comments on the goal's timeline.

Every write is atomic and validates again what the form checked, so a caller that
skips the form still cannot save a goal that breaks the rules.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from signalen.goals.queries import (
    can_comment_goal,
    can_edit_goal,
    goals_with_deadline_near,
    team_in_wijk,
    theme_is_shared,
)
from signalen.intake.staff_text import staff_text_scrub, staff_texts_scrub
from signalen.models import (
    Doelgroep,
    DoelReactie,
    DoelRichting,
    DoelVoortgang,
    WijkDoel,
    WijkThema,
)
from wijken.models import Wijk

TITLE_MAX_LENGTH = 200


INDICATOR_MAX_LENGTH = 200


NOTE_MAX_LENGTH = 500


COMMENT_MAX_LENGTH = 2000


VALUE_MAX = 1_000_000


class GoalError(ValidationError):
    """A goal change the rules refuse; the message (or per-field messages) is for the
    user."""


def _clean_text(value: Any) -> str:
    return " ".join(str(value or "").split())


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def goal_clean(
    *,
    wijk: Wijk,
    data: Mapping[str, Any],
    today: datetime.date,
    old: WijkDoel | None = None,
) -> dict[str, Any]:
    """The goal's fields, checked; GoalError with a message per field otherwise."""
    errors: dict[str, list[str]] = {}
    title = _clean_text(data.get("title"))
    indicator = _clean_text(data.get("indicator"))
    if not title:
        errors["title"] = [_("Schrijf op wat het doel is.")]
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = [
            _("Het doel is te lang: hoogstens %(max)s tekens.")
            % {"max": TITLE_MAX_LENGTH}
        ]
    if not indicator:
        errors["indicator"] = [_("Schrijf op wat u telt.")]
    elif len(indicator) > INDICATOR_MAX_LENGTH:
        errors["indicator"] = [
            _("Dit is te lang: hoogstens %(max)s tekens.")
            % {"max": INDICATOR_MAX_LENGTH}
        ]
    direction = data.get("direction") or DoelRichting.OMHOOG
    if direction not in DoelRichting.values:
        errors["direction"] = [_("Kies of het aantal omhoog of omlaag moet.")]
    down = direction == DoelRichting.OMLAAG
    start_value = _int(data.get("start_value", 0))
    target_value = _int(data.get("target_value"))
    if start_value is None or not 0 <= start_value <= VALUE_MAX:
        errors["start_value"] = [_("Vul een heel getal in van 0 of meer.")]
    if down and (target_value is None or not 0 <= target_value <= VALUE_MAX):
        errors["target_value"] = [_("Vul een heel getal in van 0 of meer.")]
    elif not down and (target_value is None or not 1 <= target_value <= VALUE_MAX):
        errors["target_value"] = [_("Vul een heel getal in van 1 of meer.")]
    elif start_value is not None and target_value is not None:
        if down and target_value >= start_value:
            errors["target_value"] = [
                _(
                    "Dit doel telt omlaag: het doel moet lager zijn dan de beginstand "
                    "(%(start)s). Moet het aantal juist stijgen? Kies dan 'omhoog'."
                )
                % {"start": start_value}
            ]
        elif not down and target_value <= start_value:
            errors["target_value"] = [
                _("Het doel moet hoger zijn dan de beginstand (%(start)s).")
                % {"start": start_value}
            ]
    start_date = data.get("start_date")
    deadline = data.get("deadline")
    if not isinstance(start_date, datetime.date):
        errors["start_date"] = [_("Vul een geldige begindatum in.")]
    if not isinstance(deadline, datetime.date):
        errors["deadline"] = [_("Vul een geldige einddatum in.")]
    if isinstance(start_date, datetime.date) and isinstance(deadline, datetime.date):
        if deadline <= start_date:
            errors["deadline"] = [_("De einddatum moet na de begindatum liggen.")]
        elif deadline < today and (old is None or old.deadline != deadline):
            errors["deadline"] = [_("De einddatum ligt in het verleden.")]
    if old is not None and isinstance(start_date, datetime.date):
        first = old.voortgang.order_by("date").values_list("date", flat=True).first()
        if first is not None and start_date > first:
            errors["start_date"] = [
                _(
                    "Er is al een stand van %(date)s. De begindatum kan niet later "
                    "liggen."
                )
                % {"date": first.strftime("%d-%m-%Y")}
            ]
    doelgroep = data.get("doelgroep")
    if doelgroep is not None and not (
        isinstance(doelgroep, Doelgroep)
        and (
            doelgroep.is_active
            or (old is not None and old.doelgroep_id == doelgroep.pk)
        )
    ):
        errors["doelgroep"] = [_("Kies een doelgroep uit de lijst.")]
    thema = data.get("thema")
    if thema is not None and not (
        isinstance(thema, WijkThema) and thema.wijk_id == wijk.pk
    ):
        errors["thema"] = [_("Kies een thema van deze wijk.")]
    elif thema is not None and not theme_is_shared(thema):
        errors["thema"] = [
            _(
                "Kies een thema dat het team met de gemeente deelt. Een thema dat "
                "alleen het team ziet of dat verworpen is, kan niet bij een doel."
            )
        ]
    agreed_by = data.get("agreed_by")
    if agreed_by is not None and not (
        isinstance(agreed_by, User)
        and agreed_by.role == Role.AMBTENAAR
        and agreed_by.gemeente_id == wijk.gemeente_id
    ):
        errors["agreed_by"] = [_("Kies een ambtenaar van de gemeente van deze wijk.")]
    if errors:
        raise GoalError(errors)
    # The gemeente reads the goal: no person in its texts (signalen.intake.staff_text).
    title, indicator = (
        scrubbed.text
        for scrubbed in staff_texts_scrub(title, indicator, wijk=wijk, error=GoalError)
    )
    return {
        "title": title[:TITLE_MAX_LENGTH],
        "indicator": indicator[:INDICATOR_MAX_LENGTH],
        "direction": direction,
        "start_value": start_value,
        "target_value": target_value,
        "start_date": start_date,
        "deadline": deadline,
        "doelgroep": doelgroep,
        "thema": thema,
        "agreed_by": agreed_by,
    }


def _forbidden() -> GoalError:
    return GoalError(
        _(
            "U kunt dit doel niet wijzigen. Alleen professionals van het wijkteam van "
            "deze wijk kunnen dat."
        ),
        code="forbidden",
    )


def goal_create(
    *,
    actor: User,
    wijk: Wijk,
    data: Mapping[str, Any],
    today: datetime.date | None = None,
) -> WijkDoel:
    """A new goal for the actor's team in this wijk."""
    team = team_in_wijk(actor, wijk)
    if team is None:
        raise _forbidden()
    fields = goal_clean(wijk=wijk, data=data, today=today or timezone.localdate())
    with transaction.atomic():
        return WijkDoel.objects.create(wijk=wijk, team=team, created_by=actor, **fields)


def goal_update(
    *,
    doel: WijkDoel,
    actor: User,
    data: Mapping[str, Any],
    today: datetime.date | None = None,
) -> WijkDoel:
    """Change a goal (not its wijk or team)."""
    with transaction.atomic():
        locked = WijkDoel.objects.select_for_update().get(pk=doel.pk)
        if not can_edit_goal(actor, locked):
            raise _forbidden()
        fields = goal_clean(
            wijk=locked.wijk,
            data=data,
            today=today or timezone.localdate(),
            old=locked,
        )
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(fields))
    return locked


def goal_set_closed(*, doel: WijkDoel, actor: User, closed: bool) -> bool:
    """Close (or reopen) a goal. Returns False when it already was."""
    with transaction.atomic():
        locked = WijkDoel.objects.select_for_update().get(pk=doel.pk)
        if not can_edit_goal(actor, locked):
            raise _forbidden()
        if locked.is_closed == closed:
            return False
        locked.is_closed = closed
        locked.save(update_fields=["is_closed"])
    doel.is_closed = closed
    return True


def progress_add(
    *,
    doel: WijkDoel,
    actor: User,
    date: Any,
    value: Any,
    note: str = "",
    today: datetime.date | None = None,
) -> DoelVoortgang:
    """A dated progress entry: not in the future, not before the goal's start, a whole
    number of 0 or more, a note of at most 500 characters."""
    today = today or timezone.localdate()
    note = " ".join((note or "").split())
    if note and len(note) <= NOTE_MAX_LENGTH:
        note = staff_text_scrub(note, wijk=doel.wijk, error=GoalError).text
        note = note[:NOTE_MAX_LENGTH]
    number = _int(value)
    with transaction.atomic():
        locked = WijkDoel.objects.select_for_update().get(pk=doel.pk)
        if not can_edit_goal(actor, locked):
            raise _forbidden()
        if locked.is_closed:
            raise GoalError(
                _("Dit doel is afgesloten. Heropen het eerst."), code="closed"
            )
        errors: dict[str, list[str]] = {}
        if not isinstance(date, datetime.date):
            errors["date"] = [_("Vul een geldige datum in.")]
        elif date > today:
            errors["date"] = [_("De datum ligt in de toekomst.")]
        elif date < locked.start_date:
            errors["date"] = [
                _("De datum ligt voor de begindatum van het doel (%(date)s).")
                % {"date": locked.start_date.strftime("%d-%m-%Y")}
            ]
        if number is None or not 0 <= number <= VALUE_MAX:
            errors["value"] = [_("Vul een heel getal in van 0 of meer.")]
        if len(note) > NOTE_MAX_LENGTH:
            errors["note"] = [
                _("De toelichting is te lang: hoogstens %(max)s tekens.")
                % {"max": NOTE_MAX_LENGTH}
            ]
        if errors:
            raise GoalError(errors)
        assert number is not None
        return DoelVoortgang.objects.create(
            doel=locked, date=date, value=number, note=note, author=actor
        )


def goal_comment_add(
    *,
    doel: WijkDoel,
    actor: User,
    text: Any,
    voortgang: DoelVoortgang | None = None,
) -> DoelReactie:
    """A dated comment on the goal, or on one of its progress entries. The other side
    is told after the commit (signalen.goals.notifications.goal_comment_notify)."""
    text = "\n".join(" ".join(line.split()) for line in str(text or "").splitlines())
    text = text.strip()
    if not can_comment_goal(actor, doel):
        raise GoalError(
            _(
                "U kunt hier niet reageren. Alleen de gemeente van deze wijk en het "
                "wijkteam van dit doel kunnen dat."
            ),
            code="forbidden",
        )
    errors: dict[str, list[str]] = {}
    if not text:
        errors["text"] = [_("Schrijf uw reactie.")]
    elif len(text) > COMMENT_MAX_LENGTH:
        errors["text"] = [
            _("De reactie is te lang: hoogstens %(max)s tekens (nu %(length)s).")
            % {"max": COMMENT_MAX_LENGTH, "length": len(text)}
        ]
    if voortgang is not None and voortgang.doel_id != doel.pk:
        errors["voortgang"] = [_("Kies een stand van dit doel.")]
    if (
        not errors
        and actor.role == Role.PROFESSIONAL
        and doel.thema is not None
        and _repeats_signal_text(doel.thema, text)
    ):
        errors["text"] = [
            _(
                "Uw reactie herhaalt de tekst van een signaal. De gemeente ziet nooit "
                "de tekst van signalen. Schrijf het in uw eigen woorden."
            )
        ]
    if errors:
        raise GoalError(errors)
    text = staff_text_scrub(text, wijk=doel.wijk, error=GoalError).text
    text = text[:COMMENT_MAX_LENGTH]
    with transaction.atomic():
        reactie = DoelReactie.objects.create(
            doel=doel,
            voortgang=voortgang,
            author=actor,
            from_gemeente=actor.role == Role.AMBTENAAR,
            text=text,
        )
        from outbox.services import outbox_send
        from signalen.tasks import goal_comment_notify_task

        outbox_send(goal_comment_notify_task, reactie.pk)
    return reactie


def _repeats_signal_text(thema: WijkThema, text: str) -> bool:
    from signalen.answers.queries import contains_signal_text

    return contains_signal_text(thema, text)


def goal_deadline_notices(*, today: datetime.date | None = None) -> int:
    """Daily: tell the team of each open, not yet reached goal whose deadline is at
    most DEADLINE_NOTICE_DAYS days away. Returns how many people were told (mailed now
    or queued for their digest, by their own choice).

    A window (not "exactly 14 days before"), so a day the beat did not run, or a goal
    made with a deadline closer than 14 days, still gets its notice. Once per goal,
    deadline and person: the notice's key (goal and deadline) is stored with the
    notice, and a person who has it already is skipped, also when two runs overlap.
    A moved deadline is a new key, so the team hears again. A direct mail that fails
    is removed again, so the next run tries again.
    """
    from signalen.goals.notifications import goal_deadline_mail, goal_team_members

    today = today or timezone.localdate()
    told = 0
    for doel in goals_with_deadline_near(today=today):
        try:
            told += goal_deadline_mail(
                doel=doel,
                users=goal_team_members(doel),
                days_left=(doel.deadline - today).days,
            )
        except Exception:  # one goal's trouble does not stop the others
            logging.getLogger(__name__).warning(
                "deadline notice for goal %s failed", doel.pk, exc_info=True
            )
    return told
