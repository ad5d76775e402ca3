"""Reads of the bewonersagenda: the threshold of a wijk, the lists, the linked themes.

A linked theme is shown the way the public wijk page shows it
(signalen.answers.queries.public_themes_for_wijk): the public name a professional wrote
and its size as a band, never signal text, keywords or a small count. A theme that is
no longer public drops out of what residents see.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from bewonersagenda.models import (
    MINIMUM_DEFAULT,
    PER_THOUSAND_DEFAULT,
    AgendaInstelling,
    Agendapunt,
    AgendapuntStatus,
)
from signalen.answers.queries import PublicThemeRow, public_themes_for_wijk
from signalen.escalations.queries import reminder_days
from signalen.themes.suggestions import size_band
from wijken.models import Wijk
from wijken.queries import figures_latest

# Waiting for the gemeente's answer, on the clock of a beleidssignaal.
WAITING = (AgendapuntStatus.DREMPEL,)


def inhabitants_of(wijk: Wijk) -> int | None:
    """The wijk's inhabitants from its latest CBS key figures (None when unknown)."""
    figures = figures_latest(codes=[wijk.code]).get(wijk.code)
    return figures.inhabitants if figures is not None else None


def threshold_for(wijk: Wijk) -> int:
    """max(the gemeente's minimum, ceil(per 1,000 x inhabitants / 1,000)); without an
    instelling the defaults hold, without key figures the minimum alone."""
    instelling = AgendaInstelling.objects.filter(gemeente_id=wijk.gemeente_id).first()
    minimum = instelling.minimum if instelling else MINIMUM_DEFAULT
    per_thousand = Decimal(
        instelling.per_thousand if instelling else PER_THOUSAND_DEFAULT
    )
    inhabitants = inhabitants_of(wijk)
    by_size = 0
    if inhabitants:
        by_size = math.ceil(per_thousand * inhabitants / 1000)
    return max(1, minimum, by_size)


def effective_threshold(agendapunt: Agendapunt) -> int:
    """The frozen threshold once reached, the current one before."""
    if agendapunt.threshold is not None:
        return agendapunt.threshold
    return threshold_for(agendapunt.wijk)


def agendapunten_for_wijk(wijk: Wijk) -> QuerySet[Agendapunt]:
    """The wijk's visible concerns with their number of supporters, open ones first."""
    return (
        Agendapunt.objects.filter(wijk=wijk, is_hidden=False)
        .select_related("wijk")
        .annotate(supporters=Count("steunbetuigingen"))
        .order_by(F("closed_at").asc(nulls_first=True), "-created_at", "-pk")
    )


def agendapunten_for_officer(gemeente_id: int) -> QuerySet[Agendapunt]:
    """The concerns that reached the threshold in the officer's gemeente."""
    return (
        Agendapunt.objects.filter(wijk__gemeente_id=gemeente_id, is_hidden=False)
        .exclude(reached_at__isnull=True)
        .select_related("wijk")
        .annotate(supporters=Count("steunbetuigingen"))
        # Waiting ones first (on PostgreSQL and SQLite alike), the oldest first.
        .order_by(F("answered_at").asc(nulls_first=True), "reached_at", "pk")
    )


def supporters(agendapunt: Agendapunt) -> int:
    return agendapunt.steunbetuigingen.count()


def has_supported(agendapunt: Agendapunt, user_id: int | None) -> bool:
    if user_id is None:
        return False
    return agendapunt.steunbetuigingen.filter(user_id=user_id).exists()


def due_at(agendapunt: Agendapunt) -> datetime.datetime | None:
    """When the answer is due: the reminder interval of a beleidssignaal after the
    threshold was reached."""
    if agendapunt.reached_at is None:
        return None
    return agendapunt.reached_at + datetime.timedelta(days=reminder_days())


def is_overdue(agendapunt: Agendapunt, *, now: datetime.datetime | None = None) -> bool:
    due = due_at(agendapunt)
    return (
        due is not None
        and agendapunt.status in WAITING
        and due <= (now or timezone.now())
    )


def overdue(*, now: datetime.datetime | None = None) -> QuerySet[Agendapunt]:
    """Concerns waiting for an answer longer than a beleidssignaal may."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=reminder_days())
    return Agendapunt.objects.filter(
        Q(status__in=WAITING), reached_at__lte=cutoff, is_hidden=False
    )


@dataclass(frozen=True)
class LinkedTheme:
    """A theme as a resident may see it: its public name and a size band."""

    pk: int
    title: str
    band: str
    url: str


def _band(row: PublicThemeRow) -> str:
    value = row.size.value
    if value is None:
        return _("een klein aantal signalen")
    return size_band(value)


def linked_themes(agendapunt: Agendapunt) -> list[LinkedTheme]:
    """The linked themes that are public now, by the public theme page's rule."""
    linked = set(agendapunt.themas.values_list("pk", flat=True))
    if not linked:
        return []
    return [
        LinkedTheme(pk=row.pk, title=row.title, band=_band(row), url=row.url)
        for row in public_themes_for_wijk(agendapunt.wijk)
        if row.pk in linked
    ]


def linkable_themes(agendapunt: Agendapunt) -> list[PublicThemeRow]:
    """Public themes of the wijk the team may link (only public ones: a resident
    never sees a theme the team keeps to itself)."""
    linked = set(agendapunt.themas.values_list("pk", flat=True))
    return [r for r in public_themes_for_wijk(agendapunt.wijk) if r.pk not in linked]
