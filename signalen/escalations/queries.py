"""Reads of beleidssignalen: lists per role, timelines, the snapshot view."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from signalen.kanon import block_text, k_threshold
from signalen.models import (
    Escalatie,
    EscalatieStatus,
    WijkThema,
)
from signalen.naming import unnamed
from wijken.models import Wijk


def open_escalations_for_wijken(wijk_ids: list[int]) -> dict[int, int]:
    """Per wijk: escalations (beleidssignalen) that are not answered yet. These count
    what teams sent, not signals or people, so they are shown as they are."""
    from signalen.models import Escalatie, EscalatieStatus

    rows = (
        Escalatie.objects.filter(wijk_id__in=wijk_ids)
        .exclude(status=EscalatieStatus.BEANTWOORD)
        .order_by()
        .values("wijk_id")
        .annotate(n=Count("pk"))
        .values_list("wijk_id", "n")
    )
    found = dict(rows)
    return {wijk_id: int(found.get(wijk_id, 0)) for wijk_id in wijk_ids}


@dataclass(frozen=True)
class EscalationRow:
    """A beleidssignaal as plain data for the officer's wijk dashboard: the title the
    team gave it, its status and dates, and the team's name. Never signal text, never
    the name of a professional."""

    pk: int
    title: str
    status: str
    status_label: str
    is_open: bool
    sent_at: datetime.datetime
    received_at: datetime.datetime | None
    answered_at: datetime.datetime | None
    team: str
    url: str


def escalations_for_wijk(wijk: Wijk) -> list[EscalationRow]:
    """The beleidssignalen of a wijk, open ones first, newest first. The caller checks
    that the reader may see the wijk (an officer of its gemeente)."""

    from signalen.models import Escalatie, EscalatieStatus

    rows = (
        Escalatie.objects.filter(wijk=wijk)
        .select_related("team")
        .only(
            "pk",
            "title",
            "status",
            "sent_at",
            "received_at",
            "answered_at",
            "team__name",
        )
        .order_by("-sent_at", "-pk")
    )
    result = [
        EscalationRow(
            pk=row.pk,
            title=row.title,
            status=row.status,
            status_label=str(EscalatieStatus(row.status).label),
            is_open=row.status != EscalatieStatus.BEANTWOORD,
            sent_at=row.sent_at,
            received_at=row.received_at,
            answered_at=row.answered_at,
            team=row.team.name,
            url=reverse("signalen:escalatie_detail", kwargs={"pk": row.pk}),
        )
        for row in rows
    ]
    result.sort(key=lambda r: not r.is_open)  # stable: newest first within each
    return result


REMINDER_DAYS_DEFAULT = 10


OPEN = (
    EscalatieStatus.VERSTUURD,
    EscalatieStatus.ONTVANGEN,
    EscalatieStatus.IN_BEHANDELING,
)


TRANSITIONS: Mapping[str, tuple[str, ...]] = {
    EscalatieStatus.VERSTUURD: (EscalatieStatus.ONTVANGEN,),
    EscalatieStatus.ONTVANGEN: (
        EscalatieStatus.IN_BEHANDELING,
        EscalatieStatus.BEANTWOORD,
    ),
    EscalatieStatus.IN_BEHANDELING: (EscalatieStatus.BEANTWOORD,),
    EscalatieStatus.BEANTWOORD: (),
}


def is_officer_of(user: User, escalatie: Escalatie) -> bool:
    """An officer (ambtenaar) of the gemeente of the escalation's wijk."""
    return (
        user.is_authenticated
        and user.role == Role.AMBTENAAR
        and user.gemeente_id is not None
        and user.gemeente_id == escalatie.wijk.gemeente_id
    )


def is_team_member_of(user: User, escalatie: Escalatie) -> bool:
    """A professional of the team that sent the escalation."""
    return (
        user.is_authenticated
        and user.role == Role.PROFESSIONAL
        and escalatie.team.members.filter(pk=user.pk).exists()
    )


def transitions_from(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())


def _status_label(status: str) -> str:
    return str(EscalatieStatus(status).label)


@dataclass(frozen=True)
class SnapshotRow:
    label: str
    value: str


@dataclass(frozen=True)
class SnapshotView:
    """The frozen snapshot made readable (hidden counts as "verborgen")."""

    rows: tuple[SnapshotRow, ...]
    doelgroepen: tuple[tuple[str, str], ...]
    doelgroepen_hidden: tuple[str, ...]
    initiatieven: tuple[dict[str, str], ...]
    k: int
    taken_at: datetime.datetime | None


def _count_text(value: Any, k: int) -> str:
    if value is None:
        return str(_("verborgen"))
    return str(value)


def _date_text(value: Any) -> str:
    """A block boundary (not a signal's day) as a date."""
    from django.utils.formats import date_format

    if not value:
        return _("onbekend")
    try:
        return date_format(datetime.date.fromisoformat(str(value)), "j F Y")
    except ValueError:
        return _("onbekend")


def _block_text(value: Any) -> str:
    """The 4-week block of a stored date (snapshots before version 3 stored the day
    itself: shown block-grained all the same)."""
    if not value:
        return _("onbekend")
    try:
        return block_text(datetime.date.fromisoformat(str(value)))
    except ValueError:
        return _("onbekend")


def _moment(value: Any) -> datetime.datetime | None:
    if not value:
        return None
    try:
        return datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _size_text(snapshot: Mapping[str, Any]) -> str:
    """The theme's outside size and what it counts (signalen.kanon's table)."""
    size = _("verborgen") if snapshot.get("size") is None else str(snapshot["size"])
    until = snapshot.get("size_until")
    if not until:  # a snapshot taken before the size said its window
        return size
    return _(
        "%(size)s (buiten het team: hele blokken van 4 weken, tot en met %(date)s; "
        "elk signaal in het blok waarin het is gemeld)"
    ) % {"size": size, "date": _date_text(until)}


def _snapshot_name(snapshot: Mapping[str, Any], thema: WijkThema | None) -> str:
    """The theme's name in a snapshot. Snapshots before version 2 stored the engine's
    words when the team had given no name; those never reach an officer: such a
    snapshot shows the theme's name as it may leave the team now."""
    if int(snapshot.get("version") or 1) >= 2:
        return str((snapshot.get("thema") or {}).get("name", ""))
    if thema is not None:
        return str(thema.outside_name)
    return unnamed((snapshot.get("categorie") or {}).get("name"))


def snapshot_view(
    snapshot: Mapping[str, Any], *, thema: WijkThema | None = None
) -> SnapshotView:
    """The rows an officer or the team reads; works for any stored snapshot. Engine
    keywords that old snapshots hold are never shown."""
    from django.utils.formats import date_format

    k = int(snapshot.get("k") or k_threshold())
    wijk = snapshot.get("wijk") or {}
    categorie = snapshot.get("categorie") or {}
    finished = _moment(snapshot.get("rollup_finished_at"))
    rows = [
        SnapshotRow(_("Wijk"), f"{wijk.get('name', '')} ({wijk.get('code', '')})"),
        SnapshotRow(_("Thema"), _snapshot_name(snapshot, thema)),
        SnapshotRow(_("Status bij het team"), str(snapshot.get("status_label", ""))),
        # Hidden either below K or to protect the small blocks of its table: one word
        # for both, as on the officer's dashboard.
        SnapshotRow(
            _("Signalen in het thema"),
            _size_text(snapshot),
        ),
        SnapshotRow(
            _("Professionals die het zagen"), _count_text(snapshot.get("authors"), k)
        ),
        SnapshotRow(_("Trend"), str(snapshot.get("trend_label", ""))),
        SnapshotRow(_("Vooral over"), str(categorie.get("name") or _("onbekend"))),
        SnapshotRow(
            _("Laatste signaal (blok van 4 weken)"),
            _block_text(snapshot.get("last_block") or snapshot.get("last_observed_on")),
        ),
        SnapshotRow(
            _("Cijfers bijgewerkt op"),
            date_format(timezone.localtime(finished), "j F Y, H:i")
            if finished
            else _("nog nooit"),
        ),
    ]
    groups = snapshot.get("doelgroepen") or {}
    return SnapshotView(
        rows=tuple(rows),
        doelgroepen=tuple(
            (str(row.get("name", "")), _count_text(row.get("count"), k))
            for row in groups.get("shown") or []
        ),
        doelgroepen_hidden=tuple(
            str(row.get("name", "")) for row in groups.get("hidden") or []
        ),
        initiatieven=tuple(dict(item) for item in snapshot.get("initiatieven") or []),
        k=k,
        taken_at=_moment(snapshot.get("taken_at")),
    )


def _with_relations(escalaties: QuerySet[Escalatie]) -> QuerySet[Escalatie]:
    return escalaties.select_related(
        "thema", "team", "wijk", "wijk__gemeente", "sent_by", "handled_by"
    ).order_by("-sent_at", "-pk")


def escalations_for_team_user(user: User) -> QuerySet[Escalatie]:
    """The escalations sent by the teams of this professional."""
    if not user.is_authenticated or user.role != Role.PROFESSIONAL:
        return Escalatie.objects.none()
    return _with_relations(Escalatie.objects.filter(team__members=user))


def escalations_for_officer(
    user: User, status: str | None = None
) -> QuerySet[Escalatie]:
    """The escalations to this officer's gemeente, optionally of one status."""
    if (
        not user.is_authenticated
        or user.role != Role.AMBTENAAR
        or user.gemeente_id is None
    ):
        return Escalatie.objects.none()
    escalaties = Escalatie.objects.filter(wijk__gemeente_id=user.gemeente_id)
    if status:
        escalaties = escalaties.filter(status=status)
    return _with_relations(escalaties)


def escalation_for_user(user: User, pk: int) -> Escalatie:
    """The escalation if the user is on either side of it; otherwise 404."""
    if not user.is_authenticated:
        raise Http404
    if user.role == Role.PROFESSIONAL:
        found = escalations_for_team_user(user).filter(pk=pk).first()
    elif user.role == Role.AMBTENAAR:
        found = escalations_for_officer(user).filter(pk=pk).first()
    else:
        found = None
    if found is None:
        raise Http404
    return found


def escalations_for_theme(thema: WijkThema) -> QuerySet[Escalatie]:
    return _with_relations(Escalatie.objects.filter(thema=thema))


def open_escalation_for_theme(thema: WijkThema) -> Escalatie | None:
    return (
        Escalatie.objects.filter(thema=thema, status__in=OPEN).order_by("-pk").first()
    )


@dataclass(frozen=True)
class TimelineEntry:
    created_at: datetime.datetime
    status: str
    status_label: str
    text: str
    who: str
    side: str  # "team" or "gemeente"


def escalation_timeline(escalatie: Escalatie, *, viewer: User) -> list[TimelineEntry]:
    """The shared timeline, oldest first. Officers see the team's name for whatever
    a professional did, never the person; the team sees names on both sides."""
    team_ids = set(escalatie.team.members.values_list("pk", flat=True))
    show_people = viewer.role == Role.PROFESSIONAL
    entries = []
    for event in escalatie.gebeurtenissen.select_related("actor").order_by(
        "created_at", "pk"
    ):
        actor = event.actor
        from_team = actor is not None and (
            actor.pk in team_ids or actor.role == Role.PROFESSIONAL
        )
        if actor is None:
            who = ""
        elif from_team and not show_people:
            who = escalatie.team.name
        else:
            who = actor.display_name
        entries.append(
            TimelineEntry(
                created_at=event.created_at,
                status=event.status,
                status_label=_status_label(event.status) if event.status else "",
                text=event.text,
                who=who,
                side="team" if from_team else "gemeente",
            )
        )
    return entries


def status_counts_for_officer(user: User) -> dict[str, int]:
    """How many escalations of the officer's gemeente are in each status."""
    rows = (
        escalations_for_officer(user)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    found = dict(rows)
    return {status: int(found.get(status, 0)) for status in EscalatieStatus.values}


def officers_of(gemeente_id: int) -> list[User]:
    return list(
        User.objects.filter(
            role=Role.AMBTENAAR, gemeente_id=gemeente_id, is_active=True
        )
        .exclude(email="")
        .order_by("pk")
    )


def reminder_days() -> int:
    return int(getattr(settings, "ESCALATION_REMINDER_DAYS", REMINDER_DAYS_DEFAULT))


def escalations_waiting(*, now: datetime.datetime | None = None) -> list[Escalatie]:
    """Open escalations whose last status change (or sending) is at least the reminder
    interval ago, and whose last reminder (if any) is too."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=reminder_days())
    candidates = (
        Escalatie.objects.filter(status__in=OPEN, sent_at__lte=cutoff)
        .filter(Q(last_reminder_at__isnull=True) | Q(last_reminder_at__lte=cutoff))
        .annotate(
            last_step=Max(
                "gebeurtenissen__created_at",
                filter=~Q(gebeurtenissen__status=""),
            )
        )
        .select_related("wijk", "wijk__gemeente", "team")
        .order_by("sent_at", "pk")
    )
    return [
        e
        for e in candidates
        if max(e.sent_at, getattr(e, "last_step", None) or e.sent_at) <= cutoff
    ]


@dataclass(frozen=True)
class PublicEscalationRow:
    """An open beleidssignaal as residents may hear of it (the wijkgesprek's agenda):
    only that the team raised the public theme with the gemeente, its public name and
    the status. Never the team's title, argument or evidence, never dates."""

    pk: int
    thema_pk: int
    theme_title: str
    status_label: str
    theme_url: str


def public_open_escalations_for_wijk(wijk: Wijk) -> list[PublicEscalationRow]:
    """Open beleidssignalen of the wijk whose theme is public now, oldest first."""
    from signalen.answers.queries import public_themes_for_wijk

    public = {row.pk: row for row in public_themes_for_wijk(wijk)}
    if not public:
        return []
    rows = (
        Escalatie.objects.filter(wijk=wijk, thema_id__in=list(public), status__in=OPEN)
        .only("pk", "thema_id", "status")
        .order_by("sent_at", "pk")
    )
    return [
        PublicEscalationRow(
            pk=row.pk,
            thema_pk=row.thema_id,
            theme_title=public[row.thema_id].title,
            status_label=str(EscalatieStatus(row.status).label),
            theme_url=public[row.thema_id].url,
        )
        for row in rows
    ]
