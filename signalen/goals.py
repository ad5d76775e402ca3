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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.models import Role, Team, User
from accounts.permissions import wijken_of_user
from signalen.models import (
    Doelgroep,
    DoelReactie,
    DoelRichting,
    DoelVoortgang,
    ThemaStatus,
    ThemaZichtbaarheid,
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


# --- Progress maths (pure) -----------------------------------------------------------


class GoalState:
    REACHED = "gehaald"
    ON_TRACK = "op_schema"
    BEHIND = "achter"
    OVERDUE = "verlopen"
    NOT_STARTED = "nog_niet_begonnen"


def state_label(state: str) -> str:
    labels = {
        GoalState.REACHED: _("gehaald"),
        GoalState.ON_TRACK: _("op schema"),
        GoalState.BEHIND: _("achter op schema"),
        GoalState.OVERDUE: _("niet gehaald voor de einddatum"),
        GoalState.NOT_STARTED: _("nog niet begonnen"),
    }
    return labels.get(state, state)


@dataclass(frozen=True)
class Progress:
    """Where a goal stands on a day.

    direction: omhoog (the target is above the start) or omlaag (below it).
    share_done: the part of the way from start value to target that is done (0 at the
    start value, 1 at the target; below 0 or above 1 when the value went the other way
    or past the target), for both directions. share_time: the part of the time from
    start date to deadline that has passed (always 0..1). On track: the value is at
    least as far along as a straight line from start to target would be today, or the
    target is reached (at or above it going up, at or below it going down).
    """

    direction: str
    start_value: int
    target_value: int
    current_value: int
    start_date: datetime.date
    deadline: datetime.date
    today: datetime.date
    share_done: float
    share_time: float
    days_left: int
    reached: bool
    on_track: bool
    state: str

    @property
    def percent_done(self) -> int:
        """Whole percent of the way done, for text (not capped above 100)."""
        return max(0, round(self.share_done * 100))

    @property
    def percent_time(self) -> int:
        return round(self.share_time * 100)

    @property
    def bar_done(self) -> float:
        """For the bar: 0..100."""
        return round(min(1.0, max(0.0, self.share_done)) * 100, 1)

    @property
    def bar_time(self) -> float:
        return round(self.share_time * 100, 1)

    @property
    def expected_value(self) -> float:
        """Where the straight line from start to target is today."""
        return self.start_value + (self.target_value - self.start_value) * (
            self.share_time
        )

    @property
    def state_label(self) -> str:
        return state_label(self.state)

    @property
    def counts_down(self) -> bool:
        return self.direction == DoelRichting.OMLAAG


def is_reached(*, direction: str, current_value: int, target_value: int) -> bool:
    """At or past the target: at or above it going up, at or below it going down."""
    if direction == DoelRichting.OMLAAG:
        return current_value <= target_value
    return current_value >= target_value


def progress_compute(
    *,
    start_value: int,
    target_value: int,
    current_value: int,
    start_date: datetime.date,
    deadline: datetime.date,
    today: datetime.date,
    direction: str = DoelRichting.OMHOOG,
) -> Progress:
    """The progress maths of one goal (see Progress)."""
    down = direction == DoelRichting.OMLAAG
    way = (start_value - target_value) if down else (target_value - start_value)
    reached = is_reached(
        direction=direction, current_value=current_value, target_value=target_value
    )
    if way > 0:
        done = (start_value - current_value) if down else (current_value - start_value)
        share_done = done / way
    else:  # not a valid goal, but never divide by zero
        share_done = 1.0 if reached else 0.0
    span = (deadline - start_date).days
    if span <= 0:
        share_time = 1.0
    else:
        share_time = min(1.0, max(0.0, (today - start_date).days / span))
    on_track = reached or share_done >= share_time
    days_left = max(0, (deadline - today).days)
    if reached:
        state = GoalState.REACHED
    elif today > deadline:
        state = GoalState.OVERDUE
    elif today < start_date:
        state = GoalState.NOT_STARTED
    elif on_track:
        state = GoalState.ON_TRACK
    else:
        state = GoalState.BEHIND
    return Progress(
        direction=DoelRichting.OMLAAG if down else DoelRichting.OMHOOG,
        start_value=start_value,
        target_value=target_value,
        current_value=current_value,
        start_date=start_date,
        deadline=deadline,
        today=today,
        share_done=share_done,
        share_time=share_time,
        days_left=days_left,
        reached=reached,
        on_track=on_track,
        state=state,
    )


# --- Reads ---------------------------------------------------------------------------


def _with_related(goals: QuerySet[WijkDoel]) -> QuerySet[WijkDoel]:
    return goals.select_related(
        "wijk", "team", "doelgroep", "thema", "agreed_by", "created_by"
    ).order_by("is_closed", "deadline", "pk")


def goals_for_user(user: User, *, wijk: Wijk | None = None) -> QuerySet[WijkDoel]:
    """The goals a user may read: a professional those of their own teams in the
    wijken those teams work in; an officer those of the wijken of their gemeente;
    anyone else none."""
    if not user.is_authenticated:
        return WijkDoel.objects.none()
    if user.role == Role.PROFESSIONAL:
        goals = WijkDoel.objects.filter(
            team__members=user,
            wijk__in=wijken_of_user(user).values("pk"),
            # the goal's own team must (still) work in the goal's wijk
            wijk__teams=F("team"),
        )
    elif user.role == Role.AMBTENAAR and user.gemeente_id is not None:
        goals = WijkDoel.objects.filter(wijk__gemeente_id=user.gemeente_id)
    else:
        return WijkDoel.objects.none()
    if wijk is not None:
        goals = goals.filter(wijk=wijk)
    return _with_related(goals.distinct())


def goal_for_user(user: User, pk: int) -> WijkDoel:
    """The goal, if the user may read it; otherwise 404."""
    doel = goals_for_user(user).filter(pk=pk).first()
    if doel is None:
        raise Http404
    return doel


def can_edit_goal(user: User, doel: WijkDoel) -> bool:
    """Professionals of the goal's team, while that team works in the goal's wijk."""
    return (
        user.is_authenticated
        and user.role == Role.PROFESSIONAL
        and Team.objects.filter(
            pk=doel.team_id,
            members=user,
            wijken=doel.wijk_id,
            wijken__is_active=True,
        ).exists()
    )


def team_in_wijk(user: User, wijk: Wijk) -> Team | None:
    """The user's team that works in this wijk (the first, if several do)."""
    if not user.is_authenticated or user.role != Role.PROFESSIONAL:
        return None
    return (
        Team.objects.filter(members=user, wijken=wijk, wijken__is_active=True)
        .order_by("pk")
        .first()
    )


def officers_for_wijk(wijk: Wijk) -> QuerySet[User]:
    """The officers a goal in this wijk can be agreed with: active ambtenaren of the
    wijk's gemeente."""
    return User.objects.filter(
        role=Role.AMBTENAAR, gemeente_id=wijk.gemeente_id, is_active=True
    ).order_by("display_name", "pk")


# The officer agrees the goal and reads it: its theme must be one the team shares with
# the gemeente (the same rule as the officer's dashboard), never a dismissed one.
GEMEENTE_VISIBLE = (ThemaZichtbaarheid.GEMEENTE, ThemaZichtbaarheid.PUBLIEK)


def theme_is_shared(thema: WijkThema) -> bool:
    """May the gemeente see this theme (shared with it, not dismissed)?"""
    return (
        thema.visibility in GEMEENTE_VISIBLE and thema.status != ThemaStatus.VERWORPEN
    )


def themes_for_goal(wijk: Wijk) -> QuerySet[WijkThema]:
    """The themes of this wijk a goal can belong to: shared with the gemeente, not
    dismissed."""
    return (
        WijkThema.objects.filter(wijk=wijk, visibility__in=GEMEENTE_VISIBLE)
        .exclude(status=ThemaStatus.VERWORPEN)
        .order_by("-is_current", "-size", "pk")
    )


def goal_entries(doel: WijkDoel) -> QuerySet[DoelVoortgang]:
    return doel.voortgang.select_related("author").order_by("date", "pk")


def shows_people(user: User) -> bool:
    """Only the team sees which professional entered a figure; an officer sees the
    team's name (as on the escalation timeline)."""
    return bool(user.is_authenticated and user.role == Role.PROFESSIONAL)


def goal_theme_name(doel: WijkDoel, user: User) -> str:
    """The goal's theme as this reader may see it: the team sees its own theme; an
    officer only a theme the team shares with the gemeente ("" otherwise)."""
    if doel.thema is None:
        return ""
    if shows_people(user) or theme_is_shared(doel.thema):
        return str(doel.thema.display_name)
    return ""


@dataclass(frozen=True)
class EntryRow:
    date: datetime.date
    value: int
    note: str
    who: str


def goal_entry_rows(
    entries: Iterable[DoelVoortgang], *, doel: WijkDoel, user: User
) -> list[EntryRow]:
    """Progress entries as a reader sees them: professionals' names for the team, the
    team's name for an officer."""
    people = shows_people(user)
    return [
        EntryRow(
            date=entry.date,
            value=entry.value,
            note=entry.note,
            who=(
                (entry.author.display_name if people else doel.team.name)
                if entry.author is not None
                else ""
            ),
        )
        for entry in entries
    ]


def current_values(
    goals: Iterable[WijkDoel],
) -> dict[int, tuple[int | None, datetime.date | None]]:
    """Per goal: the value of its latest entry (by date, then entry order) and that
    date; (None, None) without entries. One query."""
    ids = [doel.pk for doel in goals]
    found: dict[int, tuple[int | None, datetime.date | None]] = dict.fromkeys(
        ids, (None, None)
    )
    rows = (
        DoelVoortgang.objects.filter(doel_id__in=ids)
        .order_by("doel_id", "date", "pk")
        .values_list("doel_id", "date", "value")
    )
    for doel_id, date, value in rows:
        found[doel_id] = (value, date)  # the last row per goal wins
    return found


def goal_progress(
    doel: WijkDoel,
    *,
    current: int | None = None,
    today: datetime.date | None = None,
) -> Progress:
    """The progress of one goal; current defaults to its latest entry (or the start
    value)."""
    if current is None:
        current = current_values([doel])[doel.pk][0]
    return progress_compute(
        start_value=doel.start_value,
        target_value=doel.target_value,
        current_value=doel.start_value if current is None else current,
        start_date=doel.start_date,
        deadline=doel.deadline,
        today=today or timezone.localdate(),
        direction=doel.direction,
    )


# --- Progress in words and as a bar (the goal pages, the report, the dashboard) ------


def _number(value: int) -> str:
    return number_format(value, force_grouping=True)


def progress_text(progress: Progress) -> str:
    """ "x van y (z%), nog N dagen" going up; "nu x, doel hoogstens y (z% van de weg
    vanaf s), nog N dagen" going down."""
    values = {
        "current": _number(progress.current_value),
        "target": _number(progress.target_value),
        "percent": progress.percent_done,
        "start": _number(progress.start_value),
    }
    if progress.counts_down:
        text = (
            _(
                "nu %(current)s, doel hoogstens %(target)s (%(percent)s%% van de weg vanaf %(start)s)"
            )
            % values
        )
    elif progress.start_value:
        text = (
            _("%(current)s van %(target)s (%(percent)s%% van de weg vanaf %(start)s)")
            % values
        )
    else:
        text = _("%(current)s van %(target)s (%(percent)s%%)") % values
    if progress.today > progress.deadline:
        text += ", " + _("einddatum voorbij")
    elif progress.days_left == 0:
        text += ", " + _("de einddatum is vandaag")
    elif progress.days_left == 1:
        text += ", " + _("nog 1 dag")
    else:
        text += ", " + _("nog %(days)s dagen") % {"days": progress.days_left}
    return text


def time_text(progress: Progress) -> str:
    return _("%(percent)s%% van de tijd is voorbij. Stand van zaken: %(state)s.") % {
        "percent": progress.percent_time,
        "state": progress.state_label,
    }


@dataclass(frozen=True)
class Bar:
    """The progress bar of a goal, in the shape templates/signalen/doel_bar.html reads:
    the bar is the share of the way to the target that is done (in both directions),
    the stripe the time passed; the same facts are in the two texts, so nothing
    depends on colour or on seeing the picture."""

    done: str  # percent of the bar, as an SVG attribute ("40.0")
    time: str
    text: str
    time_text: str
    state: str
    on_track: bool


def progress_bar(progress: Progress) -> Bar:
    return Bar(
        done=f"{progress.bar_done:.1f}",
        time=f"{progress.bar_time:.1f}",
        text=progress_text(progress),
        time_text=time_text(progress),
        state=progress.state,
        on_track=progress.on_track,
    )


@dataclass(frozen=True)
class GoalRow:
    """A goal as plain data, for lists, the report and the officer's dashboard."""

    pk: int
    wijk_id: int
    team_name: str
    title: str
    doelgroep: str
    indicator: str
    direction: str
    start_value: int
    target_value: int
    current_value: int
    start_date: datetime.date
    deadline: datetime.date
    last_update: datetime.date | None
    thema: str
    agreed_with: str
    is_closed: bool
    progress: Progress

    @property
    def bar(self) -> Bar:
        return progress_bar(self.progress)

    @property
    def counts_down(self) -> bool:
        return self.direction == DoelRichting.OMLAAG

    @property
    def share_done(self) -> float:
        return self.progress.share_done

    @property
    def share_time(self) -> float:
        return self.progress.share_time

    @property
    def on_track(self) -> bool:
        return self.progress.on_track


def goal_rows(
    goals: Iterable[WijkDoel], *, today: datetime.date | None = None
) -> list[GoalRow]:
    goals = list(goals)
    today = today or timezone.localdate()
    latest = current_values(goals)
    rows = []
    for doel in goals:
        value, last = latest[doel.pk]
        current = doel.start_value if value is None else value
        rows.append(
            GoalRow(
                pk=doel.pk,
                wijk_id=doel.wijk_id,
                team_name=doel.team.name,
                title=doel.title,
                doelgroep=doel.doelgroep.name if doel.doelgroep else "",
                indicator=doel.indicator,
                direction=doel.direction,
                start_value=doel.start_value,
                target_value=doel.target_value,
                current_value=current,
                start_date=doel.start_date,
                deadline=doel.deadline,
                last_update=last,
                thema=doel.thema.display_name if doel.thema else "",
                agreed_with=doel.agreed_by.display_name if doel.agreed_by else "",
                is_closed=doel.is_closed,
                progress=goal_progress(doel, current=current, today=today),
            )
        )
    return rows


# --- Validation ----------------------------------------------------------------------


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
    return {
        "title": title,
        "indicator": indicator,
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


# --- Writes --------------------------------------------------------------------------


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


# --- Comments: the gemeente and the team talk about a goal ---------------------------


def can_comment_goal(user: User, doel: WijkDoel) -> bool:
    """Officers of the goal's gemeente and the professionals who may change the goal."""
    if not user.is_authenticated:
        return False
    if user.role == Role.AMBTENAAR:
        return (
            user.gemeente_id is not None and user.gemeente_id == doel.wijk.gemeente_id
        )
    return can_edit_goal(user, doel)


def goal_comment_add(
    *,
    doel: WijkDoel,
    actor: User,
    text: Any,
    voortgang: DoelVoortgang | None = None,
) -> DoelReactie:
    """A dated comment on the goal, or on one of its progress entries. The other side
    is told after the commit (signalen.notifications.goal_comment_notify)."""
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
    with transaction.atomic():
        reactie = DoelReactie.objects.create(
            doel=doel,
            voortgang=voortgang,
            author=actor,
            from_gemeente=actor.role == Role.AMBTENAAR,
            text=text,
        )
        reactie_id = reactie.pk

        def notify() -> None:
            from signalen.tasks import goal_comment_notify_task

            goal_comment_notify_task.delay(reactie_id)

        transaction.on_commit(notify)
    return reactie


def _repeats_signal_text(thema: WijkThema, text: str) -> bool:
    from signalen.answers import contains_signal_text

    return contains_signal_text(thema, text)


@dataclass(frozen=True)
class TimelineItem:
    """One line of a goal's timeline: a progress entry or a comment."""

    kind: str  # "stand" or "reactie"
    moment: datetime.datetime
    day: datetime.date
    who: str
    from_gemeente: bool
    text: str
    value: int | None = None
    about: datetime.date | None = None  # a comment on the entry of this date
    anchor: str = ""


def _comment_author(reactie: DoelReactie, *, doel: WijkDoel, people: bool) -> str:
    author = reactie.author
    if reactie.from_gemeente:
        name = author.display_name if author is not None else ""
        return _("%(name)s (gemeente)") % {"name": name} if name else _("de gemeente")
    if people and author is not None:
        return str(author.display_name)
    return str(doel.team.name)


def goal_timeline(doel: WijkDoel, *, user: User) -> list[TimelineItem]:
    """The progress entries and the comments of a goal, oldest first. The team sees
    which professional wrote what; an officer sees the team's name (as on the
    escalation timeline). Both see the officer's name on the gemeente's comments."""
    people = shows_people(user)
    items = []
    for entry in goal_entries(doel):
        items.append(
            TimelineItem(
                kind="stand",
                moment=entry.created_at,
                day=entry.date,
                who=(
                    (entry.author.display_name if people else doel.team.name)
                    if entry.author is not None
                    else ""
                ),
                from_gemeente=False,
                text=entry.note,
                value=entry.value,
                anchor=f"stand-{entry.pk}",
            )
        )
    comments = doel.reacties.select_related("author", "voortgang").order_by(
        "created_at", "pk"
    )
    for reactie in comments:
        items.append(
            TimelineItem(
                kind="reactie",
                moment=reactie.created_at,
                day=timezone.localdate(reactie.created_at),
                who=_comment_author(reactie, doel=doel, people=people),
                from_gemeente=reactie.from_gemeente,
                text=reactie.text,
                about=reactie.voortgang.date if reactie.voortgang else None,
                anchor=f"reactie-{reactie.pk}",
            )
        )
    items.sort(key=lambda item: (item.day, item.moment))
    return items


# --- Notice: the deadline is near ----------------------------------------------------

DEADLINE_NOTICE_DAYS = 14


def goals_with_deadline_near(*, today: datetime.date) -> list[WijkDoel]:
    """Open goals, not reached yet, whose deadline is 1..DEADLINE_NOTICE_DAYS days
    away, in an active wijk."""
    candidates = list(
        WijkDoel.objects.filter(
            is_closed=False,
            wijk__is_active=True,
            deadline__gt=today,
            deadline__lte=today + datetime.timedelta(days=DEADLINE_NOTICE_DAYS),
        )
        .select_related("wijk", "team")
        .order_by("deadline", "pk")
    )
    values = current_values(candidates)
    near = []
    for doel in candidates:
        current = values[doel.pk][0]
        if not is_reached(
            direction=doel.direction,
            current_value=doel.start_value if current is None else current,
            target_value=doel.target_value,
        ):
            near.append(doel)
    return near


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
    from signalen.notifications import goal_deadline_mail, goal_team_members

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
