"""Reads of the wijkgesprek: the drafted agenda, the chair's turn, the lists.

The agenda is drafted only from what may leave the team, read through other apps'
query modules: public themes (their public name and a size band, as the public theme
page shows them), the wijk's open goals (the title the team and gemeente agreed, and
its state), open beleidssignalen on a public theme (named by the theme's public name,
never the team's title or argument), the bewonersagenda (residents' own public words)
and closed wijkpeilingen (their title and a k-anonymous number of respondents). No
signal text, keyword or count below K ever reaches it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts.models import User
from bewonersagenda.models import AgendapuntStatus
from bewonersagenda.permissions import is_resident_of
from bewonersagenda.queries import agendapunten_for_wijk
from peilingen.models import Peiling, PeilingStatus
from peilingen.queries import respondent_count
from signalen.answers.queries import PublicThemeRow, public_themes_for_wijk
from signalen.escalations.queries import public_open_escalations_for_wijk
from signalen.goals.queries import goals_for_wijk
from signalen.kanon import k_count
from signalen.themes.suggestions import size_band
from wijken.models import Wijk
from wijkgesprek.models import GesprekAfspraak, PuntBron, Voorzitter, Wijkgesprek

# The draft stays short: a meeting of an evening, not a report.
PER_SOURCE = 3
# Surveys closed in the last year are news for the wijk.
SURVEY_DAYS = 365


@dataclass(frozen=True)
class DraftItem:
    source: str
    source_id: int | None
    title: str
    text: str
    url: str


def _band(row: PublicThemeRow) -> str:
    value = row.size.value
    if value is None:
        return _("een klein aantal signalen")
    return size_band(value)


def _theme_items(wijk: Wijk) -> list[DraftItem]:
    return [
        DraftItem(
            source=PuntBron.THEMA,
            source_id=row.pk,
            title=_("Thema: %(title)s") % {"title": row.title},
            text=_("Het wijkteam ziet dit in de wijk (%(band)s).")
            % {"band": _band(row)},
            url=row.url,
        )
        for row in public_themes_for_wijk(wijk)[:PER_SOURCE]
    ]


def _goal_items(wijk: Wijk) -> list[DraftItem]:
    return [
        DraftItem(
            source=PuntBron.DOEL,
            source_id=row.pk,
            title=_("Doel: %(title)s") % {"title": row.title},
            text=_("Afgesproken tussen wijkteam en gemeente. Stand: %(state)s.")
            % {"state": row.state_label},
            url="",
        )
        for row in goals_for_wijk(wijk)[:PER_SOURCE]
    ]


def _escalation_items(wijk: Wijk) -> list[DraftItem]:
    return [
        DraftItem(
            source=PuntBron.BELEIDSSIGNAAL,
            source_id=row.pk,
            title=_("Gevraagd aan de gemeente: %(title)s") % {"title": row.theme_title},
            text=_(
                "Het wijkteam heeft dit thema aan de gemeente voorgelegd. Status: "
                "%(status)s."
            )
            % {"status": row.status_label},
            url=row.theme_url,
        )
        for row in public_open_escalations_for_wijk(wijk)[:PER_SOURCE]
    ]


def _concern_items(wijk: Wijk) -> list[DraftItem]:
    # agendapunten_for_wijk annotates each row with its number of supporters.
    rows: list[Any] = [
        a for a in agendapunten_for_wijk(wijk) if a.status != AgendapuntStatus.GESLOTEN
    ]
    # Those past the threshold first, then by support.
    rows.sort(key=lambda a: (a.reached_at is None, -a.supporters, a.pk))
    return [
        DraftItem(
            source=PuntBron.BEWONERSAGENDA,
            source_id=a.pk,
            title=_("Van de bewonersagenda: %(title)s") % {"title": a.title},
            text=_("%(status)s, %(n)s steunbetuigingen.")
            % {"status": capfirst(a.get_status_display()), "n": a.supporters},
            url=a.get_absolute_url(),
        )
        for a in rows[:PER_SOURCE]
    ]


def _survey_items(wijk: Wijk, *, today: datetime.date) -> list[DraftItem]:
    since = timezone.now() - datetime.timedelta(days=SURVEY_DAYS)
    peilingen = (
        Peiling.objects.filter(wijk=wijk, status=PeilingStatus.GESLOTEN)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=since))
        .order_by("-closed_at", "-pk")[:PER_SOURCE]
    )
    items = []
    for peiling in peilingen:
        respondents = k_count(respondent_count(peiling))
        items.append(
            DraftItem(
                source=PuntBron.PEILING,
                source_id=peiling.pk,
                title=_("Uitkomsten wijkpeiling: %(title)s") % {"title": peiling.title},
                text=_("Aantal mensen dat meedeed: %(n)s.") % {"n": str(respondents)}
                if respondents.value is not None
                else _("Te weinig mensen deden mee om aantallen te tonen."),
                url=reverse("peilingen:results", args=[peiling.pk]),
            )
        )
    return items


def agenda_draft(wijk: Wijk, *, today: datetime.date | None = None) -> list[DraftItem]:
    """The proposed agenda of the wijk's next meeting, in a sensible first order:
    residents' concerns, then themes, questions to the gemeente, goals and surveys."""
    today = today or timezone.localdate()
    return [
        *_concern_items(wijk),
        *_theme_items(wijk),
        *_escalation_items(wijk),
        *_goal_items(wijk),
        *_survey_items(wijk, today=today),
    ]


def volunteers(wijk: Wijk) -> list[User]:
    """Residents who want to chair and still live in the wijk, whose turn first: who
    never chaired before the others, then who chaired longest ago, then who signed up
    first."""
    rows = (
        Voorzitter.objects.filter(wijk=wijk, user__is_active=True, user__wijk=wijk)
        .select_related("user")
        .order_by("created_at", "pk")
    )
    last = dict(
        Wijkgesprek.objects.filter(wijk=wijk, chair__isnull=False)
        .values("chair_id")
        .annotate(last=Max("starts_at"))
        .values_list("chair_id", "last")
    )
    users = [r.user for r in rows if is_resident_of(r.user, wijk)]
    now = timezone.now()
    users.sort(key=lambda u: (u.pk in last, last.get(u.pk) or now))
    return users


def chair_proposal(wijk: Wijk) -> User | None:
    """The resident whose turn it is to chair the next meeting."""
    candidates = volunteers(wijk)
    return candidates[0] if candidates else None


def is_volunteer(wijk: Wijk, user_id: int | None) -> bool:
    if user_id is None:
        return False
    return Voorzitter.objects.filter(wijk=wijk, user_id=user_id).exists()


def gesprekken_for_wijk(wijk: Wijk) -> QuerySet[Wijkgesprek]:
    return Wijkgesprek.objects.filter(wijk=wijk).select_related("chair", "wijk")


def upcoming(
    wijk: Wijk, *, now: datetime.datetime | None = None
) -> QuerySet[Wijkgesprek]:
    now = now or timezone.now()
    return gesprekken_for_wijk(wijk).filter(starts_at__gte=now).order_by("starts_at")


def past(wijk: Wijk, *, now: datetime.datetime | None = None) -> QuerySet[Wijkgesprek]:
    now = now or timezone.now()
    return gesprekken_for_wijk(wijk).filter(starts_at__lt=now).order_by("-starts_at")


def public_minutes(wijk: Wijk) -> QuerySet[Wijkgesprek]:
    """Past meetings whose minutes everyone may read."""
    return gesprekken_for_wijk(wijk).filter(
        minutes_published_at__isnull=False, minutes_public=True
    )


def afspraken(gesprek: Wijkgesprek) -> QuerySet[GesprekAfspraak]:
    return gesprek.afspraken.all()


def meetings_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Meetings within the next 24 hours without a reminder yet."""
    now = now or timezone.now()
    return list(
        Wijkgesprek.objects.filter(
            reminded_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + datetime.timedelta(hours=24),
            wijk__is_active=True,
        )
        .order_by("starts_at")
        .values_list("pk", flat=True)
    )


def afspraken_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Agreements due today or tomorrow without a reminder yet."""
    today = timezone.localdate(now or timezone.now())
    return list(
        GesprekAfspraak.objects.filter(
            reminded_at__isnull=True,
            due_date__gte=today,
            due_date__lte=today + datetime.timedelta(days=1),
            gesprek__wijk__is_active=True,
        )
        .order_by("due_date")
        .values_list("pk", flat=True)
    )
