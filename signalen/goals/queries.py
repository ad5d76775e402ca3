"""Reads of wijk goals: progress, bars, rows and timelines."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.models import Role, Team, User
from accounts.permissions import wijken_of_user
from signalen.models import (
    DoelReactie,
    DoelRichting,
    DoelVoortgang,
    ThemaStatus,
    ThemaZichtbaarheid,
    WijkDoel,
    WijkThema,
)
from wijken.models import Wijk


@dataclass(frozen=True)
class WijkGoalRow:
    """A wijk goal as plain data. Its figures count residents the team and the gemeente
    agreed on as a target (not signals), so they are shown as they are: the
    k-anonymity rule for signal counts does not apply to them."""

    pk: int
    title: str
    team: str
    doelgroep: str
    indicator: str
    start_value: int
    target_value: int
    current_value: int
    start_date: datetime.date
    deadline: datetime.date
    share_done: float
    share_time: float
    days_left: int
    on_track: bool
    state: str
    state_label: str
    last_update: datetime.date | None
    agreed_with: str
    is_closed: bool
    # omhoog or omlaag, and the progress bar with its texts: the same as on the
    # team's goal pages (signalen.goals.queries.progress_bar)
    direction: str
    counts_down: bool
    bar: Bar


def goals_for_wijk(
    wijk: Wijk, *, as_of: datetime.date | None = None, include_closed: bool = False
) -> list[WijkGoalRow]:
    """The goals of a wijk (of every team in it), open ones by deadline. The caller
    checks that the reader may see the wijk (an officer of its gemeente)."""
    from signalen.models import WijkDoel

    doelen = (
        WijkDoel.objects.filter(wijk=wijk)
        .select_related("team", "doelgroep", "thema", "agreed_by", "wijk")
        .order_by("is_closed", "deadline", "pk")
    )
    if not include_closed:
        doelen = doelen.filter(is_closed=False)
    return [
        WijkGoalRow(
            pk=row.pk,
            title=row.title,
            team=row.team_name,
            doelgroep=row.doelgroep,
            indicator=row.indicator,
            start_value=row.start_value,
            target_value=row.target_value,
            current_value=row.current_value,
            start_date=row.start_date,
            deadline=row.deadline,
            share_done=row.progress.share_done,
            share_time=row.progress.share_time,
            days_left=row.progress.days_left,
            on_track=row.progress.on_track,
            state=row.progress.state,
            state_label=row.progress.state_label,
            last_update=row.last_update,
            agreed_with=row.agreed_with,
            is_closed=row.is_closed,
            direction=row.direction,
            counts_down=row.counts_down,
            bar=row.bar,
        )
        for row in goal_rows(list(doelen), today=as_of)
    ]


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
    if shows_people(user):
        return str(doel.thema.display_name)
    if theme_is_shared(doel.thema):
        return str(doel.thema.outside_name)
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
                thema=doel.thema.outside_name if doel.thema else "",
                agreed_with=doel.agreed_by.display_name if doel.agreed_by else "",
                is_closed=doel.is_closed,
                progress=goal_progress(doel, current=current, today=today),
            )
        )
    return rows


def can_comment_goal(user: User, doel: WijkDoel) -> bool:
    """Officers of the goal's gemeente and the professionals who may change the goal."""
    if not user.is_authenticated:
        return False
    if user.role == Role.AMBTENAAR:
        return (
            user.gemeente_id is not None and user.gemeente_id == doel.wijk.gemeente_id
        )
    return can_edit_goal(user, doel)


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
