"""Reads of buurtverbinders: what a connector may see (consent only), the matches of a
resident, the team's overview and the team report's counts (no names)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from buurtverbinders.models import (
    ContactSoort,
    Koppeling,
    KoppelingStatus,
    Logregel,
    Toestemming,
    Verbinder,
)
from initiatieven.models import Aanbod, Behoefte, Status
from wijken.models import Wijk

OPEN_STATUSES = (KoppelingStatus.VOORGESTELD, KoppelingStatus.GEKOPPELD)
LIVE_INITIATIVE = (Status.IDEE, Status.IN_VOORBEREIDING, Status.ACTIEF)


def active_connectors(wijk: Wijk) -> QuerySet[Verbinder]:
    return Verbinder.objects.filter(
        wijk=wijk, revoked_at__isnull=True, user__is_active=True
    ).select_related("user", "granted_by")


def connector_wijken(user: Any) -> QuerySet[Wijk]:
    if not user.is_authenticated or user.role != Role.BEWONER:
        return Wijk.objects.none()
    return Wijk.objects.filter(
        verbinders__user=user,
        verbinders__revoked_at__isnull=True,
        is_active=True,
        pk=user.wijk_id,
    ).distinct()


def unmatched_needs(wijk: Wijk) -> QuerySet[Behoefte]:
    """Open needs of visible, live initiatives of the wijk without a proposed or made
    match. Their text is public on the initiative already; no organiser's name."""
    return (
        Behoefte.objects.filter(
            initiatief__wijk=wijk,
            initiatief__is_hidden=False,
            initiatief__status__in=LIVE_INITIATIVE,
            is_met=False,
        )
        .exclude(koppelingen__status__in=OPEN_STATUSES)
        .select_related("initiatief")
        .order_by("created_at", "pk")
    )


def consented_offers(wijk: Wijk) -> list[tuple[User, Aanbod]]:
    """Residents of the wijk who let connectors see their offer, with that offer."""
    rows = (
        Aanbod.objects.filter(
            user__verbinder_toestemming__share_offer=True,
            user__verbinder_toestemming__wijk=wijk,
            user__wijk=wijk,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user__display_name", "pk")
    )
    return [(row.user, row) for row in rows]


def welcome_requests(wijk: Wijk) -> QuerySet[Toestemming]:
    return (
        Toestemming.objects.filter(
            wijk=wijk, welcome=True, user__wijk=wijk, user__is_active=True
        )
        .select_related("user")
        .order_by("welcomed_at", "given_at", "pk")
    )


def koppelingen_for_wijk(wijk: Wijk) -> QuerySet[Koppeling]:
    return Koppeling.objects.filter(wijk=wijk).select_related(
        "behoefte__initiatief", "helper"
    )


def koppelingen_for_resident(user: Any) -> list[Koppeling]:
    """Matches where this resident is the helper or organises the need's initiative."""
    if not user.is_authenticated:
        return []
    return list(
        Koppeling.objects.filter(
            Q(helper=user)
            | Q(behoefte__initiatief__owner=user)
            | Q(behoefte__initiatief__co_organisers=user)
        )
        .exclude(status=KoppelingStatus.INGETROKKEN)
        .select_related("behoefte__initiatief__owner", "helper")
        .distinct()
        .order_by("-created_at", "-pk")
    )


def names_exchanged(koppeling: Koppeling) -> bool:
    return koppeling.status == KoppelingStatus.GEKOPPELD


def log_for(wijk: Wijk, *, limit: int = 50) -> QuerySet[Logregel]:
    return Logregel.objects.filter(wijk=wijk).select_related("verbinder")[:limit]


def _day_bounds(
    date_from: datetime.date, date_to: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(
        date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return start, end


def report_counts(
    wijk: Wijk, date_from: datetime.date, date_to: datetime.date
) -> dict[str, int]:
    """The figures of one wijk over a period: no names, no texts."""
    start, end = _day_bounds(date_from, date_to)
    logs = Logregel.objects.filter(wijk=wijk, date__gte=date_from, date__lte=date_to)
    return {
        "connectors": Verbinder.objects.filter(wijk=wijk, granted_at__lt=end)
        .filter(Q(revoked_at__isnull=True) | Q(revoked_at__gte=start))
        .values("user")
        .distinct()
        .count(),
        "proposed": Koppeling.objects.filter(
            wijk=wijk, created_at__gte=start, created_at__lt=end
        ).count(),
        "matched": Koppeling.objects.filter(
            wijk=wijk, matched_at__gte=start, matched_at__lt=end
        ).count(),
        "welcomed": logs.filter(kind=ContactSoort.WELKOM).count(),
        "contacts": logs.count(),
    }


def report_section(
    *,
    wijk: Wijk,
    date_from: datetime.date,
    date_to: datetime.date,
    outside: bool,
    k: int,
) -> Any:
    """The team report's section (signalen.goals.report plug-in). Outside the team a
    number below k reads as hidden, like every count that leaves the team."""
    from signalen.goals.report import ExtraLine, ExtraSection
    from signalen.kanon import KCount

    counts = report_counts(wijk, date_from, date_to)
    if not any(counts.values()):
        return None
    labels = {
        "connectors": _("Buurtverbinders aan het werk"),
        "proposed": _("Koppelingen voorgesteld"),
        "matched": _("Koppelingen die beide kanten bevestigden"),
        "welcomed": _("Nieuwe bewoners welkom geheten"),
        "contacts": _("Contacten in het logboek"),
    }
    lines = tuple(
        ExtraLine(
            label=str(labels[key]),
            count=(KCount(n if n >= k else None, k) if outside else n),
        )
        for key, n in counts.items()
    )
    return ExtraSection(
        title=_("Buurtverbinders"),
        intro=_(
            "Wat bewoners met de rol buurtverbinder deden: alleen aantallen, geen namen."
        ),
        lines=lines,
    )
