"""Reads of buurtverbinders: what a connector may see (consent only), the matches of a
resident, the team's overview and the team report's counts (no names)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
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
from signalen.kanon import BLOCK_SPAN, KCount, Period, block_start, k_count
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
        .select_related("behoefte__initiatief", "helper", "need_confirmed_by")
        .distinct()
        .order_by("-created_at", "-pk")
    )


def names_exchanged(koppeling: Koppeling) -> bool:
    return koppeling.status == KoppelingStatus.GEKOPPELD


def contact_visible(koppeling: Koppeling, user: Any) -> bool:
    """Whether this user sees the other side's name and e-mail: only the two who said
    yes, the helper and the organiser who confirmed (need_confirmed_by). Another
    organiser of the initiative (who never answered) sees no contact, and nobody sees
    theirs."""
    if not user.is_authenticated or not names_exchanged(koppeling):
        return False
    if koppeling.need_confirmed_by_id is None:
        return False
    return user.pk in (koppeling.helper_id, koppeling.need_confirmed_by_id)


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


def report_counts_connectors(
    wijk: Wijk, date_from: datetime.date, date_to: datetime.date
) -> int:
    """Residents who held the role on some day of the period."""
    start, end = _day_bounds(date_from, date_to)
    return (
        Verbinder.objects.filter(wijk=wijk, granted_at__lt=end)
        .filter(Q(revoked_at__isnull=True) | Q(revoked_at__gte=start))
        .values("user")
        .distinct()
        .count()
    )


def report_counts(
    wijk: Wijk, date_from: datetime.date, date_to: datetime.date
) -> dict[str, int]:
    """The figures of one wijk over a period: no names, no texts."""
    start, end = _day_bounds(date_from, date_to)
    logs = Logregel.objects.filter(wijk=wijk, date__gte=date_from, date__lte=date_to)
    return {
        "connectors": report_counts_connectors(wijk, date_from, date_to),
        "proposed": Koppeling.objects.filter(
            wijk=wijk, created_at__gte=start, created_at__lt=end
        ).count(),
        "matched": Koppeling.objects.filter(
            wijk=wijk, matched_at__gte=start, matched_at__lt=end
        ).count(),
        "welcomed": logs.filter(kind=ContactSoort.WELKOM).count(),
        "contacts": logs.count(),
    }


def _outside_counts(
    wijk: Wijk,
    date_from: datetime.date,
    date_to: datetime.date,
    *,
    today: datetime.date,
    k: int,
) -> tuple[dict[str, KCount], datetime.date | None]:
    """The figures as they leave the team: only whole blocks of 4 weeks that are over
    (signalen.kanon.Period.snapped, as the informal-help section). A period total shows
    only when every block in it shows, so two periods cannot be subtracted to pin a
    small count. Connectors are a number of people, not events: the number at work in
    the last whole block."""
    period = Period.snapped(date_from, date_to, as_of=today)
    keys = ("connectors", "proposed", "matched", "welcomed", "contacts")
    if period is None:
        return {key: KCount(None, k) for key in keys}, None
    one_day = datetime.timedelta(days=1)
    blocks = [block[0] for block in period.blocks]
    cells: dict[str, dict[datetime.date, int]] = {
        key: dict.fromkeys(blocks, 0) for key in keys[1:]
    }
    start, end = _day_bounds(blocks[0], period.last_day)
    tz = timezone.get_current_timezone()
    for key, field in (("proposed", "created_at"), ("matched", "matched_at")):
        moments = Koppeling.objects.filter(
            wijk=wijk, **{f"{field}__gte": start, f"{field}__lt": end}
        ).values_list(field, flat=True)
        for moment in moments:
            cells[key][block_start(moment.astimezone(tz).date())] += 1
    logs = (
        Logregel.objects.filter(
            wijk=wijk, date__gte=blocks[0], date__lte=period.last_day
        )
        .values("date", "kind")
        .annotate(n=Count("pk"))
        .values_list("date", "kind", "n")
    )
    for day, kind, n in logs:
        cells["contacts"][block_start(day)] += n
        if kind == ContactSoort.WELKOM:
            cells["welcomed"][block_start(day)] += n
    last = blocks[-1]
    counts: dict[str, KCount] = {
        "connectors": k_count(
            report_counts_connectors(wijk, last, last + BLOCK_SPAN - one_day), k=k
        )
    }
    for key in keys[1:]:
        values = list(cells[key].values())
        shown = all(n >= k for n in values)
        counts[key] = KCount(sum(values) if shown else None, k)
    return counts, period.last_day


def _ever_had_connectors(wijk: Wijk) -> bool:
    return Verbinder.objects.filter(wijk=wijk).exists()


def report_section(
    *,
    wijk: Wijk,
    date_from: datetime.date,
    date_to: datetime.date,
    outside: bool,
    k: int,
    today: datetime.date | None = None,
) -> Any:
    """The team report's section (signalen.goals.report plug-in). Inside the team the
    exact figures of the period. Outside it only whole blocks of 4 weeks that are over
    (`_outside_counts`), and the section shows whenever the wijk has or had connectors,
    so that whether it shows tells nothing about the period."""
    from signalen.goals.report import ExtraLine, ExtraSection

    if not _ever_had_connectors(wijk):
        return None
    labels = {
        "connectors": _("Buurtverbinders aan het werk"),
        "proposed": _("Koppelingen voorgesteld"),
        "matched": _("Koppelingen die beide kanten bevestigden"),
        "welcomed": _("Nieuwe bewoners welkom geheten"),
        "contacts": _("Contacten in het logboek"),
    }
    intro = _(
        "Wat bewoners met de rol buurtverbinder deden: alleen aantallen, geen namen."
    )
    if not outside:
        counts = report_counts(wijk, date_from, date_to)
        lines = tuple(
            ExtraLine(label=str(labels[key]), count=n) for key, n in counts.items()
        )
        return ExtraSection(title=_("Buurtverbinders"), intro=intro, lines=lines)
    hidden, until = _outside_counts(
        wijk, date_from, date_to, today=today or timezone.localdate(), k=k
    )
    if until is None:
        note = _(
            "In deze periode is nog geen blok van 4 weken voorbij. Daarom staan hier "
            "nog geen aantallen."
        )
    else:
        note = _(
            "Alleen hele blokken van 4 weken die voorbij zijn, tot en met %(end)s. Een "
            "aantal staat er alleen als het in elk blok minstens %(k)s is; anders staat "
            'er "verborgen". Buurtverbinders aan het werk: het aantal in het laatste '
            "blok."
        ) % {"end": date_format(until, "j F Y"), "k": k}
    lines = tuple(
        ExtraLine(label=str(labels[key]), count=count) for key, count in hidden.items()
    )
    return ExtraSection(
        title=_("Buurtverbinders"), intro=f"{intro} {note}", lines=lines
    )
