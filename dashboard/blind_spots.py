"""Blind spots: buurten that look vulnerable on paper but where little is seen or done.

The method, in plain terms (the page explains the same to the officer):

1. For every buurt of the gemeente with at least MIN_INHABITANTS inhabitants we take
   three CBS figures: the share of people aged 65 and over, the share of single-person
   households, and the average income per inhabitant (only where CBS publishes it).
2. Each figure becomes a z-score within the gemeente: how many standard deviations the
   buurt is above the gemeente's average of buurten. Income counts the other way round
   (a low income scores high). The vulnerability score is the average of the z-scores
   the buurt has.
3. Activity is the z-score of signals per 1,000 inhabitants in the chosen period plus
   the z-score of running initiatives per 1,000 inhabitants, averaged. A signal count
   below the k-anonymity threshold counts as 0: the real number is never used, so the
   order of the list tells nothing about small counts.
4. A buurt is a blind spot when its vulnerability score is at least MIN_VULNERABILITY
   and its activity is not above the gemeente's average. The list is sorted by
   vulnerability minus activity, highest first.

It is a pointer for where to look, not a verdict: CBS figures are a year or more old and
a quiet buurt may simply be doing well.
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext, ngettext

from initiatieven import queries as initiatieven_queries
from signalen import kanon
from signalen.intake import queries as signal_queries
from signalen.kanon import KCount, Period
from wijken import generations
from wijken import queries as wijken_queries
from wijken.models import Buurt, Gemeente, Kerncijfers, Wijk

MIN_INHABITANTS = 100
MIN_VULNERABILITY = 0.5
# A figure this many standard deviations above the average is named as a reason.
REASON_Z = 0.5
LIMIT = 10
# The day is in the key; the timeout only bounds the memory.
CACHE_TIMEOUT = 25 * 60 * 60


@dataclass
class BlindSpot:
    buurt_code: str
    buurt_name: str
    wijk_code: str
    wijk_name: str
    inhabitants: int
    vulnerability: float
    activity: float
    score: float
    signals: KCount
    signals_per_1000: float | None
    initiatives: int
    reasons: list[str] = field(default_factory=list)


def _z_scores(values: dict[int, float]) -> dict[int, float]:
    if len(values) < 2:
        return dict.fromkeys(values, 0.0)
    mean = statistics.fmean(values.values())
    spread = statistics.pstdev(values.values())
    if spread == 0:
        return dict.fromkeys(values, 0.0)
    return {key: (value - mean) / spread for key, value in values.items()}


def _pct(value: float) -> str:
    return number_format(round(value, 1), decimal_pos=1) + "%"


def today() -> datetime.date:
    """The day of the daily figure (a function, so a test can move it)."""
    return timezone.localdate()


def blind_spots(
    *, gemeente: Gemeente, period: Period, wijk: Wijk | None = None, limit: int = LIMIT
) -> list[BlindSpot]:
    """Ranked blind spots of the gemeente (or only those in one of its wijken).

    A daily figure: the ranking of the whole gemeente is computed once a day per
    period (and language, K and CBS figures: the site-wide generation) and kept in
    the cache, so reading it costs no query and a write in one wijk does not make
    every wijk page of the gemeente compute it again. New signal counts, initiatives
    and CBS figures show the next day (CBS figures at once: they renew the whole
    site)."""
    key = "bw:blind-spots:{}:{}:{}:{}:{}:{}:{}".format(
        gemeente.pk,
        period.first_week.isoformat(),
        period.last_week.isoformat(),
        today().isoformat(),
        get_language() or "-",
        kanon.k_threshold(),
        generations.stamp(),
    )
    ranked = cache.get(key)
    if ranked is None:
        ranked = _ranking(gemeente=gemeente, period=period)
        cache.set(key, ranked, CACHE_TIMEOUT)
    return [s for s in ranked if wijk is None or s.wijk_code == wijk.code][:limit]


def _ranking(*, gemeente: Gemeente, period: Period) -> list[BlindSpot]:
    """Every blind spot of the gemeente, ranked (computed)."""
    buurten = list(
        Buurt.objects.filter(
            wijk__gemeente=gemeente, wijk__is_active=True, is_active=True
        )
        .select_related("wijk")
        .defer("geometry", "wijk__geometry")
        .order_by("code")
    )
    if not buurten:
        return []
    figures = wijken_queries.figures_latest(codes=[b.code for b in buurten])
    usable = [
        b
        for b in buurten
        if b.code in figures and (figures[b.code].inhabitants or 0) >= MIN_INHABITANTS
    ]
    if not usable:
        return []
    return _rank(
        usable=usable,
        figures=figures,
        initiatives=initiatieven_queries.initiative_counts_for_buurten(
            buurt_ids=[b.pk for b in usable]
        ),
        wijk_ids=sorted({b.wijk.pk for b in usable}),
        period=period,
        wijk=None,
        limit=None,
    )


def _rank(
    *,
    usable: list[Buurt],
    figures: dict[str, Kerncijfers],
    initiatives: dict[int, int],
    wijk_ids: list[int],
    period: Period,
    wijk: Wijk | None,
    limit: int | None,
) -> list[BlindSpot]:
    ids = [b.pk for b in usable]
    totals = signal_queries.buurt_signal_totals(
        wijk_ids=wijk_ids, buurt_ids=ids, period=period
    )

    old: dict[int, float] = {}
    single: dict[int, float] = {}
    income: dict[int, float] = {}
    signal_rate: dict[int, float] = {}
    initiative_rate: dict[int, float] = {}
    for b in usable:
        f = figures[b.code]
        inhabitants = f.inhabitants or 0
        if f.pct_age_65_plus is not None:
            old[b.pk] = f.pct_age_65_plus
        if f.pct_single_person_households is not None:
            single[b.pk] = f.pct_single_person_households
        if f.income_per_inhabitant is not None:
            income[b.pk] = -f.income_per_inhabitant
        rate = kanon.per_thousand(totals[b.pk].current, inhabitants)
        signal_rate[b.pk] = rate or 0.0
        initiative_rate[b.pk] = initiatives[b.pk] / inhabitants * 1000
    z_old, z_single, z_income = _z_scores(old), _z_scores(single), _z_scores(income)
    z_signals, z_initiatives = _z_scores(signal_rate), _z_scores(initiative_rate)
    mean_old = statistics.fmean(old.values()) if old else None
    mean_single = statistics.fmean(single.values()) if single else None
    mean_income = -statistics.fmean(income.values()) if income else None
    mean_rate = statistics.fmean(signal_rate.values())

    spots: list[BlindSpot] = []
    for b in usable:
        if wijk is not None and b.wijk.pk != wijk.pk:
            continue
        parts = [z[b.pk] for z in (z_old, z_single, z_income) if b.pk in z]
        if not parts:
            continue
        vulnerability = statistics.fmean(parts)
        activity = (z_signals[b.pk] + z_initiatives[b.pk]) / 2
        if vulnerability < MIN_VULNERABILITY or activity > 0:
            continue
        f = figures[b.code]
        count = totals[b.pk].current
        spot = BlindSpot(
            buurt_code=b.code,
            buurt_name=b.name,
            wijk_code=b.wijk.code,
            wijk_name=b.wijk.name,
            inhabitants=f.inhabitants or 0,
            vulnerability=round(vulnerability, 2),
            activity=round(activity, 2),
            score=round(vulnerability - activity, 2),
            signals=count,
            signals_per_1000=kanon.per_thousand(count, f.inhabitants),
            initiatives=initiatives[b.pk],
        )
        if z_old.get(b.pk, 0) >= REASON_Z and mean_old is not None:
            spot.reasons.append(
                gettext("veel 65-plussers: %(value)s (gemiddeld %(mean)s)")
                % {"value": _pct(old[b.pk]), "mean": _pct(mean_old)}
            )
        if z_single.get(b.pk, 0) >= REASON_Z and mean_single is not None:
            spot.reasons.append(
                gettext("veel mensen wonen alleen: %(value)s (gemiddeld %(mean)s)")
                % {"value": _pct(single[b.pk]), "mean": _pct(mean_single)}
            )
        if z_income.get(b.pk, 0) >= REASON_Z and mean_income is not None:
            spot.reasons.append(
                gettext(
                    "laag inkomen: %(value)s duizend euro per inwoner "
                    "(gemiddeld %(mean)s)"
                )
                % {
                    "value": number_format(-income[b.pk], decimal_pos=1),
                    "mean": number_format(mean_income, decimal_pos=1),
                }
            )
        if count.is_hidden:
            spot.reasons.append(
                gettext("weinig signalen: minder dan %(k)s in deze periode")
                % {"k": count.threshold}
            )
        elif spot.signals_per_1000 is not None:
            spot.reasons.append(
                gettext(
                    "weinig signalen: %(value)s per 1.000 inwoners (gemiddeld %(mean)s)"
                )
                % {
                    "value": number_format(spot.signals_per_1000, decimal_pos=1),
                    "mean": number_format(mean_rate, decimal_pos=1),
                }
            )
        if spot.initiatives == 0:
            spot.reasons.append(gettext("geen lopende initiatieven"))
        else:
            spot.reasons.append(
                ngettext(
                    "%(n)s lopend initiatief",
                    "%(n)s lopende initiatieven",
                    spot.initiatives,
                )
                % {"n": spot.initiatives}
            )
        spots.append(spot)
    spots.sort(key=lambda s: (-s.score, s.buurt_code))
    return spots if limit is None else spots[:limit]
