# mypy: disallow-untyped-defs, disallow-incomplete-defs, warn-return-any
""" "Wie horen we niet?": who shows up in what Buurtwijs sees, against the wijk's CBS
make-up (issue #19 item 2).

The method, in plain terms (the page explains the same, see METHOD_TEXT):

1. From the wijk's latest CBS key figures we take the share of each group: age bands
   (of all residents, and of residents of 15 and older for surveys), single-person
   households, and from `Kerncijfers.extra` households with a low income and with
   children (CBS's own keys, EXTRA_KEYS). An unknown figure (NULL) compares nothing.
2. Each *source* counts the same groups in what Buurtwijs sees: the wijkteam's
   signals per target group, running initiatives and the residents taking part in
   them per initiative theme, respondents of closed wijkpeilingen per age band and
   household type. A source hands over k-anonymous counts only (KCount): it decides
   in its own queries module what may leave it.
3. Per group and source: expected = the CBS share x the source's total. A group is
   *under-represented* when the count is less than half of that (UNDER_RATIO). When
   half of the expected count is below K we cannot tell (too few to say), so a hidden
   count (always below K) is "under" exactly when even half the expected count is
   K or more. The status depends only on shown figures and on "hidden or not", never
   on a hidden number.

Never narrower than K: only wijk-level figures (no buurt, no combination of two
groups), each one a figure its source shows anyway or a sum of such figures (see
signalen.intake.queries.doelgroep_shown_block_sums and
peilingen.queries.respondent_profile), so no two figures can be subtracted to find
fewer than K people or signals.

Extension point: another part of Buurtwijs (buurtverbinders, for one) adds a source
with `register_source(Source(...))` from a layer that may import this module and its
own queries (buurtwijs/apps.py wires the wijkpeilingen this way, because dashboard
may not import peilingen). A source returns, per group code, an `Observed`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from initiatieven import queries as initiatieven_queries
from signalen import kanon
from signalen.intake import queries as signal_queries
from signalen.kanon import KCount, Period, k_count
from wijken import generations
from wijken import queries as wijken_queries
from wijken.models import Kerncijfers, Wijk

UNDER_RATIO = 0.5
# The signals of the last 13 whole blocks of four weeks: about a year.
SIGNAL_BLOCKS = 13

# CBS keys in Kerncijfers.extra (the kwb CSV's short names and the GeoJSON's long ones).
EXTRA_KEYS = {
    "low_income": (
        "p_hh_li",
        "percentage_huishoudens_met_laag_inkomen",
        "percentage_huishoudens_met_een_laag_inkomen",
    ),
    "households_children": (
        "p_hh_m_k",
        "percentage_huishoudens_met_kinderen",
    ),
}


# --- Status of one comparison ------------------------------------------------------------

UNDER = "onder"
FAIR = "in-verhouding"
TOO_FEW = "te-weinig"
CBS_UNKNOWN = "cbs-onbekend"

STATUS_TEXT = {
    UNDER: _("Ondervertegenwoordigd"),
    FAIR: _("In verhouding of vaker"),
    TOO_FEW: _("Te weinig om iets te zeggen"),
    CBS_UNKNOWN: _("CBS-cijfer onbekend"),
}


@dataclass(frozen=True)
class Observed:
    """What a source counts for one group: `count` of `total`, both k-anonymous, and
    which CBS share (a key of `cbs_shares`) it compares with."""

    count: KCount
    total: KCount
    share_key: str


@dataclass(frozen=True)
class Comparison:
    status: str
    observed_pct: float | None
    expected_pct: float | None
    count: KCount
    total: KCount

    @property
    def status_text(self) -> str:
        return str(STATUS_TEXT[self.status])

    @property
    def is_under(self) -> bool:
        return self.status == UNDER


def compare(
    *, count: KCount, total: KCount, expected_pct: float | None, k: int
) -> Comparison:
    """One group in one source against its CBS share (steps 3 of the module)."""

    def result(status: str, observed: float | None = None) -> Comparison:
        return Comparison(status, observed, expected_pct, count, total)

    if expected_pct is None or expected_pct <= 0:
        return result(CBS_UNKNOWN)
    if total.value is None or total.value == 0:
        return result(TOO_FEW)
    expected = expected_pct / 100 * total.value
    if count.value is not None:
        observed_pct = round(100 * count.value / total.value, 1)
        under = count.value < expected * UNDER_RATIO
        return result(UNDER if under else FAIR, observed_pct)
    # Hidden means below K here: "under" only when K <= half the expected count.
    return result(UNDER if expected * UNDER_RATIO >= k else TOO_FEW)


# --- CBS shares ------------------------------------------------------------------------


def _extra(figures: Kerncijfers, name: str) -> float | None:
    for key in EXTRA_KEYS[name]:
        value = figures.extra.get(key) if isinstance(figures.extra, dict) else None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value) if 0 <= value <= 100 else None
    return None


SHARE_KEYS = (
    "age_0_15",
    "age_15_25",
    "age_0_25",
    "age_25_45",
    "age_45_65",
    "age_65_plus",
    "adult_15_25",
    "adult_25_45",
    "adult_45_65",
    "adult_65_plus",
    "single_households",
    "low_income",
    "households_children",
)


def cbs_shares(figures: Kerncijfers | None) -> dict[str, float | None]:
    """Percentages per share key; None where CBS's figure is unknown."""
    keys = [*SHARE_KEYS]
    shares: dict[str, float | None] = dict.fromkeys(keys)
    if figures is None:
        return shares
    ages = {
        "15_25": figures.pct_age_15_25,
        "25_45": figures.pct_age_25_45,
        "45_65": figures.pct_age_45_65,
        "65_plus": figures.pct_age_65_plus,
    }
    shares["age_0_15"] = figures.pct_age_0_15
    for key, value in ages.items():
        shares[f"age_{key}"] = value
        if value is not None and figures.pct_age_0_15 is not None:
            adults = 100 - figures.pct_age_0_15
            shares[f"adult_{key}"] = (
                round(100 * value / adults, 1) if adults > 0 else None
            )
    if figures.pct_age_0_15 is not None and figures.pct_age_15_25 is not None:
        shares["age_0_25"] = figures.pct_age_0_15 + figures.pct_age_15_25
    shares["single_households"] = figures.pct_single_person_households
    shares["low_income"] = _extra(figures, "low_income")
    shares["households_children"] = _extra(figures, "households_children")
    return shares


SHARE_TEXT = {
    "age_0_15": _("van de inwoners is jonger dan 15"),
    "age_15_25": _("van de inwoners is 15 tot 25 jaar"),
    "age_0_25": _("van de inwoners is jonger dan 25"),
    "age_25_45": _("van de inwoners is 25 tot 45 jaar"),
    "age_45_65": _("van de inwoners is 45 tot 65 jaar"),
    "age_65_plus": _("van de inwoners is 65 of ouder"),
    "adult_15_25": _("van de inwoners van 15 en ouder is 15 tot 25 jaar"),
    "adult_25_45": _("van de inwoners van 15 en ouder is 25 tot 45 jaar"),
    "adult_45_65": _("van de inwoners van 15 en ouder is 45 tot 65 jaar"),
    "adult_65_plus": _("van de inwoners van 15 en ouder is 65 of ouder"),
    "single_households": _("van de huishoudens is een eenpersoonshuishouden"),
    "low_income": _("van de huishoudens heeft een laag inkomen"),
    "households_children": _("van de huishoudens heeft kinderen"),
}


# --- Groups and sources ------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    code: str
    label: Promise


GROUPS = (
    Group("ouderen", _("Ouderen (65 of ouder)")),
    Group("jongeren", _("Jongeren (tot 25)")),
    Group("25-45", _("Mensen van 25 tot 45")),
    Group("45-65", _("Mensen van 45 tot 65")),
    Group("gezinnen", _("Gezinnen met kinderen")),
    Group("alleenstaanden", _("Mensen die alleen wonen")),
    Group("laag-inkomen", _("Mensen met een laag inkomen")),
)

Measure = Callable[[Wijk, datetime.date, int], dict[str, Observed]]


@dataclass(frozen=True)
class Source:
    code: str
    label: Promise
    # What is counted, in one B1 sentence for the page.
    explanation: Promise
    measure: Measure
    # The wijk's generation parts (wijken/generations.py) whose change renews what
    # `measure` counts; none: cached CACHE_TIMEOUT.
    parts: tuple[str, ...] = ()


# group code -> (signal doelgroep code, CBS share key)
SIGNAL_GROUPS = {
    "ouderen": ("ouderen", "age_65_plus"),
    "jongeren": ("jongeren", "age_15_25"),
    "gezinnen": ("gezinnen-met-kinderen", "households_children"),
    "alleenstaanden": ("alleenstaanden", "single_households"),
    "laag-inkomen": ("mensen-met-laag-inkomen", "low_income"),
}
# group code -> (initiative theme code, CBS share key)
INITIATIVE_GROUPS = {
    "ouderen": ("ouderen", "age_65_plus"),
    "jongeren": ("jeugd", "age_0_25"),
    "laag-inkomen": ("geldzaken", "low_income"),
}


def signal_period(today: datetime.date) -> Period:
    return Period.of_blocks(blocks=SIGNAL_BLOCKS, as_of=today)


def _signals(wijk: Wijk, today: datetime.date, k: int) -> dict[str, Observed]:
    sums = signal_queries.doelgroep_shown_block_sums(
        wijk=wijk,
        period=signal_period(today),
        codes=[code for code, _share in SIGNAL_GROUPS.values()],
        k=k,
    )
    total = k_count(sums.total, k=k)
    return {
        group: Observed(k_count(sums.per_doelgroep.get(code, 0), k=k), total, share)
        for group, (code, share) in SIGNAL_GROUPS.items()
    }


def _initiatives(wijk: Wijk, today: datetime.date, k: int) -> dict[str, Observed]:
    reach = _reach(wijk)
    total = k_count(reach.initiatives, k=k)
    return {
        group: Observed(
            k_count(reach.initiatives_per_theme.get(code, 0), k=k), total, share
        )
        for group, (code, share) in INITIATIVE_GROUPS.items()
    }


def _participants(wijk: Wijk, today: datetime.date, k: int) -> dict[str, Observed]:
    reach = _reach(wijk)
    total = k_count(reach.participants, k=k)
    return {
        group: Observed(
            k_count(reach.participants_per_theme.get(code, 0), k=k), total, share
        )
        for group, (code, share) in INITIATIVE_GROUPS.items()
    }


def _reach(wijk: Wijk) -> initiatieven_queries.ThemeReach:
    return initiatieven_queries.initiative_reach_for_wijk(
        wijk_id=wijk.pk,
        thema_codes=[code for code, _share in INITIATIVE_GROUPS.values()],
    )


SOURCES: list[Source] = [
    Source(
        "signalen",
        _("Signalen van het wijkteam"),
        _(
            "Signalen over een doelgroep in de laatste 13 blokken van 4 weken. "
            "Een blok met minder dan %(k)s signalen over een groep telt niet mee."
        ),
        _signals,
        ("signalen",),
    ),
    Source(
        "initiatieven",
        _("Initiatieven van bewoners"),
        _("Lopende initiatieven met dat onderwerp (Ouderen, Jeugd of Geldzaken)."),
        _initiatives,
        ("initiatieven",),
    ),
    Source(
        "deelnemers",
        _("Bewoners die meedoen"),
        _(
            "Bewoners die meedoen aan of steun geven aan een initiatief met dat onderwerp."
        ),
        _participants,
        ("initiatieven",),
    ),
]


def register_source(source: Source) -> None:
    """Add a source (once per code): the extension point for other parts of Buurtwijs,
    such as wijkpeilingen (buurtwijs/apps.py) and buurtverbinders."""
    if all(existing.code != source.code for existing in SOURCES):
        SOURCES.append(source)


# --- The whole comparison of one wijk --------------------------------------------------


@dataclass
class SourceResult:
    source: Source
    rows: list[tuple[Group, Comparison]] = field(default_factory=list)

    @property
    def explanation(self) -> str:
        return str(self.source.explanation) % {"k": kanon.k_threshold()}

    @property
    def total(self) -> KCount | None:
        return self.rows[0][1].total if self.rows else None

    @property
    def bars(self) -> list[dict[str, Any]]:
        """Two bars per group, CBS share and share seen (SVG, 300 wide, 40 a row);
        a hidden share has no bar, only its text."""
        bars = []
        for i, (group, comparison) in enumerate(self.rows):
            y = i * 44
            expected = comparison.expected_pct
            observed = comparison.observed_pct
            bars.append(
                {
                    "label": str(group.label),
                    "label_y": y + 11,
                    "cbs_y": y + 14,
                    "cbs_width": round(min(expected or 0, 100) * 2),
                    "cbs_text": _pct(expected),
                    "cbs_text_x": round(min(expected or 0, 100) * 2) + 4,
                    "cbs_text_y": y + 24,
                    "seen_y": y + 27,
                    "seen_width": round(min(observed or 0, 100) * 2),
                    "seen_text": _pct(observed),
                    "seen_text_x": round(min(observed or 0, 100) * 2) + 4,
                    "seen_text_y": y + 37,
                }
            )
        return bars

    @property
    def chart_height(self) -> int:
        return max(44, len(self.rows) * 44)


def _pct(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{number_format(value, decimal_pos=1)} %"


@dataclass
class Representation:
    wijk: Wijk
    figures_year: int | None
    k: int
    signal_period: Period
    sources: list[SourceResult]
    shares: dict[str, float | None]

    @property
    def under(self) -> list[tuple[Group, Source]]:
        return [
            (group, result.source)
            for result in self.sources
            for group, comparison in result.rows
            if comparison.is_under
        ]

    @property
    def under_groups(self) -> list[Group]:
        seen: list[Group] = []
        for group, _source in self.under:
            if group not in seen:
                seen.append(group)
        return seen

    @property
    def share_rows(self) -> list[tuple[str, str]]:
        return [
            (_pct(value), str(SHARE_TEXT[key]))
            for key, value in self.shares.items()
            if value is not None
        ]


# Wijkpeilingen give no generation token when they close: a source without parts
# (`Source.parts` empty) is cached this long, so a closed survey shows up within it.
CACHE_TIMEOUT = 10 * 60


def _cached(
    key: str, parts: tuple[str, ...], wijk: Wijk, compute: Callable[[], Any]
) -> Any:
    """From the cache under the site's token and, with `parts`, the wijk's tokens of
    those parts (wijken/generations.py): a roll-up renews the signal counts only."""
    stamp = generations.stamp(wijk_ids=[wijk.pk] if parts else [], domains=parts)
    full_key = f"bw:wiehoren:{key}:{stamp}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, CACHE_TIMEOUT)
    return value


def wijk_representation(
    *, wijk: Wijk, today: datetime.date, k: int | None = None
) -> Representation:
    """Compare every source with the wijk's CBS make-up (see the module). What each
    source counts is cached per wijk and day (see `_cached`)."""
    threshold = kanon.k_threshold() if k is None else k
    day = f"{wijk.pk}:{today.isoformat()}:{threshold}"

    def cbs() -> tuple[int | None, dict[str, float | None]]:
        figures = wijken_queries.figures_latest(codes=[wijk.code]).get(wijk.code)
        return (figures.year if figures is not None else None, cbs_shares(figures))

    figures_year, shares = _cached(f"{day}:cbs", (), wijk, cbs)
    observed_by_source: dict[str, dict[str, Observed]] = {}
    for source in SOURCES:

        def measure(source: Source = source) -> dict[str, Observed]:
            return source.measure(wijk, today, threshold)

        observed_by_source[source.code] = _cached(
            f"{day}:{source.code}", source.parts, wijk, measure
        )
    results = []
    for source in SOURCES:
        observed = observed_by_source.get(source.code, {})
        result = SourceResult(source)
        for group in GROUPS:
            seen = observed.get(group.code)
            if seen is None:
                continue
            result.rows.append(
                (
                    group,
                    compare(
                        count=seen.count,
                        total=seen.total,
                        expected_pct=shares.get(seen.share_key),
                        k=threshold,
                    ),
                )
            )
        results.append(result)
    return Representation(
        wijk=wijk,
        figures_year=figures_year,
        k=threshold,
        signal_period=signal_period(today),
        sources=results,
        shares=shares,
    )
