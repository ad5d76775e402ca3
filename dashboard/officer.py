"""What the officers' dashboard shows: the gemeente overview and the wijk dashboard.

Every signal figure comes from signalen.kanon and the packages' queries as a KCount (k-anonymous); the map, the
chart and the exports are built from these values only, so a hidden count cannot leak
through any of them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext

from core.cache_keys import page_key
from dashboard.blind_spots import blind_spots
from dashboard.filters import DashboardQuery
from initiatieven import queries as initiatieven_queries
from signalen import kanon
from signalen.escalations import queries as escalation_queries
from signalen.goals import queries as goal_queries
from signalen.intake import queries as signal_queries
from signalen.intake.queries import CategoryChart, WeekTable
from signalen.kanon import SPARK_BUCKETS, Change, KCount, Period
from signalen.themes import queries as theme_queries
from wijken import generations
from wijken import queries as wijken_queries
from wijken.models import Gemeente, Kerncijfers, Wijk

T = TypeVar("T")

# Map classes: signals per 1,000 inhabitants, in five steps; "geen" is no shown value.
MAP_CLASSES = 5
# Shown for a CBS figure that is unknown or kept secret by CBS.
UNKNOWN = "\u2013"


@dataclass
class WijkRow:
    code: str
    name: str
    url: str
    inhabitants: int | None
    signals: KCount
    previous: KCount
    change: Change
    per_1000: float | None
    themes: int
    unanswered: int
    initiatives: int
    participants: int
    freshness: datetime.datetime | None
    open_escalations: int = 0


def _none_last(value: Any) -> tuple[int, Any]:
    return (0, 0) if value is None else (1, value)


SORTS: dict[str, Any] = {
    "naam": lambda r: r.name.lower(),
    "per1000": lambda r: _none_last(r.per_1000),
    "verandering": lambda r: _none_last(r.change.difference),
    "themas": lambda r: r.themes,
    "zonder": lambda r: r.unanswered,
    "initiatieven": lambda r: r.initiatives,
    "deelnemers": lambda r: r.participants,
    "beleidssignalen": lambda r: r.open_escalations,
    "actueel": lambda r: _none_last(r.freshness),
}
SORT_COLUMNS = list(SORTS)
DEFAULT_SORT = "naam"


def parse_sort(value: str | None) -> tuple[str, bool]:
    """ "-per1000" -> ("per1000", descending); anything unknown -> the default."""
    value = (value or "").strip()
    descending = value.startswith("-")
    key = value.lstrip("-")
    if key not in SORTS:
        return DEFAULT_SORT, False
    return key, descending


def gemeente_rows(*, gemeente: Gemeente, query: DashboardQuery) -> list[WijkRow]:
    wijken = list(
        wijken_queries.wijken_for_gemeente(gemeente=gemeente).defer("geometry")
    )
    ids = [w.pk for w in wijken]
    figures = wijken_queries.figures_latest(codes=[w.code for w in wijken])
    totals = signal_queries.wijk_signal_totals(wijk_ids=ids, period=query.period)
    themes = theme_queries.theme_counts_for_wijken(wijk_ids=ids)
    fresh = theme_queries.rollup_freshness(wijk_ids=ids)
    escalations = escalation_queries.open_escalations_for_wijken(ids)
    initiatives = initiatieven_queries.initiative_figures_for_wijken(wijk_ids=ids)
    rows = []
    for wijk in wijken:
        inhabitants = figures[wijk.code].inhabitants if wijk.code in figures else None
        total = totals[wijk.pk]
        rows.append(
            WijkRow(
                code=wijk.code,
                name=wijk.name,
                url=reverse("dashboard:officer_wijk", kwargs={"code": wijk.code}),
                inhabitants=inhabitants,
                signals=total.current,
                previous=total.previous,
                change=total.change,
                per_1000=kanon.per_thousand(total.current, inhabitants),
                themes=themes[wijk.pk].active,
                unanswered=themes[wijk.pk].unanswered,
                initiatives=initiatives[wijk.pk]["active"],
                participants=initiatives[wijk.pk]["participants"],
                freshness=fresh[wijk.pk],
                open_escalations=escalations[wijk.pk],
            )
        )
    return rows


def sort_rows(rows: list[WijkRow], *, key: str, descending: bool) -> list[WijkRow]:
    ordered = sorted(rows, key=lambda r: r.name.lower())
    return sorted(ordered, key=SORTS[key], reverse=descending)


def _breaks(values: list[float]) -> list[float]:
    """Upper bounds of the map classes: equal-count steps over the shown values."""
    if not values:
        return []
    ordered = sorted(values)
    bounds = []
    for i in range(1, MAP_CLASSES):
        bounds.append(ordered[min(len(ordered) - 1, len(ordered) * i // MAP_CLASSES)])
    bounds.append(ordered[-1])
    return bounds


def choropleth(
    *, gemeente: Gemeente, rows: list[WijkRow]
) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """GeoJSON of the wijken with a class per wijk, and the legend. A wijk without a
    shown count gets class "geen" and no number at all."""
    breaks = _breaks([r.per_1000 for r in rows if r.per_1000 is not None])
    geometry = {
        w.code: w.geometry
        for w in wijken_queries.wijken_for_gemeente(gemeente=gemeente).only(
            "code", "geometry", "gemeente"
        )
    }
    features = []
    for row in rows:
        shape = geometry.get(row.code)
        if not shape:
            continue
        props: dict[str, Any] = {"code": row.code, "name": row.name, "url": row.url}
        if row.per_1000 is None:
            props["klasse"] = "geen"
            props["label"] = gettext("geen gegevens")
        else:
            props["klasse"] = next(
                (str(i) for i, bound in enumerate(breaks) if row.per_1000 <= bound),
                str(len(breaks) - 1),
            )
            props["label"] = gettext("%(value)s signalen per 1.000 inwoners") % {
                "value": formats.number_format(row.per_1000, decimal_pos=1)
            }
        features.append({"type": "Feature", "geometry": shape, "properties": props})
    legend = []
    low = 0.0
    for i, bound in enumerate(breaks):
        if i and bound == breaks[i - 1]:
            continue
        legend.append(
            {
                "klasse": str(i),
                "label": gettext("%(low)s tot en met %(high)s")
                % {
                    "low": formats.number_format(low, decimal_pos=1),
                    "high": formats.number_format(bound, decimal_pos=1),
                },
            }
        )
        low = bound
    legend.append(
        {
            "klasse": "geen",
            "label": gettext(
                "geen gegevens: minder dan %(k)s signalen of geen inwonertal"
            )
            % {"k": kanon.k_threshold()},
        }
    )
    return {"type": "FeatureCollection", "features": features}, legend


# --- The page cache -----------------------------------------------------------------------


def page_cached(
    kind: str,
    parts: tuple[Any, ...],
    *,
    wijk_ids: tuple[int, ...] = (),
    gemeente_ids: tuple[int, ...],
    compute: Callable[[], T],
) -> T:
    """What `compute` makes, from the cache when nothing it shows has changed since.

    The key holds the generations of the wijken and gemeenten shown (renewed by every
    write that changes a figure, see wijken/generations.py), the filters, the day (the
    periods, goals against time, how long a beleidssignaal waits), the language (the
    labels) and the k-anonymity threshold. Reading the key costs no query. The
    timeout only bounds how long an unused page stays; it is not what keeps a page
    up to date."""
    key = page_key(
        "bw:dash",
        kind,
        parts,
        stamp=generations.stamp(wijk_ids=wijk_ids, gemeente_ids=gemeente_ids),
    )
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, page_cache_seconds())
    return found  # type: ignore[no-any-return]


# What the officer's wijk page shows: every fragment's parts.
WIJK_PAGE_PARTS = (
    "signalen",
    "themas",
    "leden",
    "initiatieven",
    "doelen",
    "beleidssignalen",
)
# What the public wijk page shows: initiatives, public themes and their sizes, the
# wijkteam's contact and places (and the CBS figures: the site's token).
PUBLIC_PAGE_PARTS = ("initiatieven", "themas", "leden", "plekken")


def content_cached(
    kind: str,
    parts: tuple[Any, ...],
    *,
    wijk: Wijk,
    domains: tuple[str, ...],
    names: bool = False,
    compute: Callable[[], str],
) -> str:
    """The rendered content of a wijk page, from the cache while none of the parts of
    the wijk it shows (`domains`, see wijken.generations.PARTS) changed: a warm page
    costs two cache round trips and no render. `parts` hold what else it depends on
    (the filters, the day, the reader's rights); the language and K are in every
    key. A write in another wijk, or in another part of this one, leaves it."""
    key = page_key(
        "bw:dash",
        f"{kind}-html",
        (wijk.pk, parts),
        stamp=generations.stamp(wijk_ids=[wijk.pk], domains=domains, names=names),
    )
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, page_cache_seconds())
    return found  # type: ignore[no-any-return]


def page_cache_seconds() -> int:
    return int(getattr(settings, "DASHBOARD_CACHE_SECONDS", 15 * 60))


def query_parts(query: DashboardQuery) -> tuple[Any, ...]:
    return (
        query.period.first_week,
        query.period.last_week,
        query.categorie,
        query.doelgroep,
        query.buurt,
    )


def gemeente_overview(
    *, gemeente: Gemeente, query: DashboardQuery, sort: str | None
) -> dict[str, Any]:
    """The overview's figures (cached, see `page_cached`)."""
    return page_cached(
        "gemeente",
        (gemeente.pk, query_parts(query), parse_sort(sort), timezone.localdate()),
        gemeente_ids=(gemeente.pk,),
        compute=lambda: _gemeente_overview(gemeente=gemeente, query=query, sort=sort),
    )


def _gemeente_overview(
    *, gemeente: Gemeente, query: DashboardQuery, sort: str | None
) -> dict[str, Any]:
    key, descending = parse_sort(sort)
    rows = sort_rows(
        gemeente_rows(gemeente=gemeente, query=query), key=key, descending=descending
    )
    map_data, legend = choropleth(gemeente=gemeente, rows=rows)
    return {
        "gemeente": gemeente,
        "rows": rows,
        "sort_key": key,
        "sort_descending": descending,
        "map_data": map_data,
        "legend": legend,
        "blind_spots": blind_spots(gemeente=gemeente, period=query.period),
    }


# --- The wijk dashboard ------------------------------------------------------------------


@dataclass
class KeyFigure:
    label: str
    value: str
    change: str = ""
    note: str = ""


def split_categories(
    table: WeekTable,
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Categories with at least one shown week, and those hidden in every week (left
    out of the export's week sheet, and named under it)."""
    shown: list[tuple[str, str]] = []
    quiet: list[tuple[str, str]] = []
    for code, name in table.categories:
        if any(not table.cells[(w, code)].is_hidden for w in table.weeks):
            shown.append((code, name))
        else:
            quiet.append((code, name))
    return shown, quiet


def column_label(first_day: datetime.date, last_day: datetime.date) -> str:
    """ "5 jan - 1 feb 2026" (with an en dash): the days a column covers."""
    # No break inside a date, so a phone's narrow table cell breaks at the dash only.
    first = formats.date_format(first_day, "j M").replace(" ", "\u00a0")
    last = formats.date_format(last_day, "j M Y").replace(" ", "\u00a0")
    return f"{first} \u2013 {last}"


def chart_rows(chart: CategoryChart) -> list[tuple[str, list[str], str]]:
    """The chart's accessible twin: per column its label, the text of each series
    cell and the column total. A category that is not on its own in a column says
    "bij overige"; a hidden column says "verborgen" in every cell."""
    hidden = gettext("verborgen")
    in_rest = gettext("bij overige")
    rows = []
    for column in chart.columns:
        label = column_label(column.first_day, column.last_day)
        if column.is_hidden:
            rows.append((label, [hidden] * len(chart.series), str(column.total)))
            continue
        cells = [
            in_rest if value is None else formats.number_format(value)
            for value in column.values
        ]
        rows.append((label, cells, str(column.total)))
    return rows


def chart_data(chart: CategoryChart) -> dict[str, Any]:
    """The chart's data: shown values only; a cell that is not shown is 0 and says why
    in its tooltip (the same words as the table)."""
    hidden = gettext("verborgen")
    in_rest = gettext("bij overige")
    datasets = []
    for index, (_code, name) in enumerate(chart.series):
        data, notes = [], []
        for column in chart.columns:
            value = column.values[index]
            data.append(value or 0)
            if column.is_hidden:
                notes.append(hidden)
            elif value is None:
                notes.append(in_rest)
            else:
                notes.append("")
        datasets.append({"label": gettext(name), "data": data, "notes": notes})
    return {
        "labels": [column_label(c.first_day, c.last_day) for c in chart.columns],
        "datasets": datasets,
    }


@dataclass
class SparkBar:
    x: int
    y: int
    height: int
    hidden: bool


SPARK_WIDTH = 84
SPARK_HEIGHT = 24


def sparkline(counts: tuple[KCount, ...]) -> list[SparkBar]:
    """Bars for a server-side SVG: hidden counts are a flat dashed mark, not a height."""
    shown = [c.value for c in counts if c.value is not None]
    top = max(shown) if shown else 1
    width = SPARK_WIDTH // SPARK_BUCKETS
    # Right-aligned: the last block is always the current one.
    offset = SPARK_BUCKETS - len(counts)
    bars = []
    for index, count in enumerate(counts):
        i = offset + index
        if count.value is None:
            bars.append(SparkBar(i * width, SPARK_HEIGHT - 2, 2, True))
        else:
            height = max(2, round(count.value / top * (SPARK_HEIGHT - 2)))
            bars.append(SparkBar(i * width, SPARK_HEIGHT - height, height, False))
    return bars


def cbs_context(figures: Kerncijfers | None) -> list[tuple[str, str]]:
    if figures is None:
        return []

    def pct(value: float | None) -> str:
        if value is None:
            return UNKNOWN
        return formats.number_format(value, decimal_pos=1) + "%"

    def whole(value: int | None) -> str:
        return (
            UNKNOWN
            if value is None
            else formats.number_format(value, force_grouping=True)
        )

    rows = [
        (gettext("Inwoners"), whole(figures.inhabitants)),
        (gettext("Huishoudens"), whole(figures.households)),
        (
            gettext("Gemiddelde grootte van een huishouden"),
            UNKNOWN
            if figures.avg_household_size is None
            else formats.number_format(figures.avg_household_size, decimal_pos=2),
        ),
        (gettext("Eenpersoonshuishoudens"), pct(figures.pct_single_person_households)),
        (gettext("0 tot 15 jaar"), pct(figures.pct_age_0_15)),
        (gettext("15 tot 25 jaar"), pct(figures.pct_age_15_25)),
        (gettext("25 tot 45 jaar"), pct(figures.pct_age_25_45)),
        (gettext("45 tot 65 jaar"), pct(figures.pct_age_45_65)),
        (gettext("65 jaar en ouder"), pct(figures.pct_age_65_plus)),
    ]
    if figures.income_per_inhabitant is not None:
        rows.append(
            (
                gettext("Gemiddeld inkomen per inwoner"),
                gettext("%(value)s duizend euro")
                % {
                    "value": formats.number_format(
                        figures.income_per_inhabitant, decimal_pos=1
                    )
                },
            )
        )
    rows.append((gettext("Jaar van de CBS-cijfers"), str(figures.year)))
    return rows


# The fragments of the wijk dashboard, each cached on the tokens of the parts of the
# wijk it shows (wijken/generations.py PARTS): a write renews only the fragments of the
# parts it changed, in its own wijk. The signal counts need the CBS figures (per 1,000
# inhabitants), which renew the whole site's token (in every key).
FRAGMENT_PARTS: dict[str, tuple[str, ...]] = {
    "signalen": ("signalen",),
    "themas": ("themas", "leden"),
    "initiatieven": ("initiatieven",),
    "beleidssignalen": ("beleidssignalen", "themas"),
    "doelen": ("doelen", "themas"),
}


def wijk_dashboard(
    *, wijk: Wijk, query: DashboardQuery, today: datetime.date
) -> dict[str, Any]:
    """The wijk dashboard's figures, put together from fragments cached per part of
    the wijk (see FRAGMENT_PARTS); reading the keys costs two cache round trips and no
    query. The blind spots are a daily figure of the gemeente (dashboard.blind_spots),
    so a write in another wijk of the gemeente changes nothing here."""
    tokens = dict(
        zip(
            ["site", *generations.PARTS],
            generations.stamps(wijk_ids=[wijk.pk], domains=generations.PARTS),
            strict=True,
        )
    )
    computes: dict[str, Callable[[], dict[str, Any]]] = {
        "signalen": lambda: _signal_fragment(wijk=wijk, query=query),
        "themas": lambda: _theme_fragment(wijk=wijk, today=today),
        "initiatieven": lambda: _initiative_fragment(wijk=wijk),
        "beleidssignalen": lambda: {
            "escalations": escalation_queries.escalations_for_wijk(wijk)
        },
        "doelen": lambda: {
            "goals": [
                (goal, goal.bar)
                for goal in goal_queries.goals_for_wijk(wijk, as_of=today)
            ]
        },
    }
    keys = {
        name: page_key(
            "bw:dash",
            f"wijk-{name}",
            (
                wijk.pk,
                today,
                query_parts(query) if name == "signalen" else (),
            ),
            stamp=".".join(
                [tokens["site"], *(tokens[part] for part in FRAGMENT_PARTS[name])]
            ),
        )
        for name in computes
    }
    found = cache.get_many(list(keys.values()))
    fragments: dict[str, dict[str, Any]] = {}
    made: dict[str, Any] = {}
    for name, key in keys.items():
        if key in found:
            fragments[name] = found[key]
        else:
            fragments[name] = made[key] = computes[name]()
    if made:
        cache.set_many(made, page_cache_seconds())
    context = _wijk_context(wijk=wijk, query=query, today=today, fragments=fragments)
    # The page's sections are kept rendered under the keys of their fragments
    # ({% cache %} in dashboard/_officer_wijk_content.html); the CBS figures change
    # with the site's token, the blind spots with the day (a daily figure).
    site = tokens["site"]
    context["section_keys"] = {
        **keys,
        "cbs": page_key("bw:dash", "wijk-cbs", (wijk.pk,), stamp=site),
        "blind_spots": page_key(
            "bw:dash",
            "wijk-blind-spots",
            (wijk.pk, query.period.first_week, query.period.last_week, today),
            stamp=site,
        ),
    }
    context["page_cache_seconds"] = page_cache_seconds()
    return context


def _signal_fragment(*, wijk: Wijk, query: DashboardQuery) -> dict[str, Any]:
    """The signal counts of the period asked for: the week table, the chart, the
    change against the period before, per 1,000 inhabitants, and the CBS figures."""
    period = query.period
    buurten = wijk.active_buurten  # type: ignore[attr-defined]

    def week_table(p: Period) -> WeekTable:
        return signal_queries.wijk_week_table(
            wijk=wijk,
            period=p,
            categorie_code=query.categorie or None,
            doelgroep_code=query.doelgroep or None,
            buurt_code=query.buurt or None,
        )

    table = week_table(period)
    before = week_table(period.previous())
    change = kanon.change_between(table.total, before.total)
    shown, quiet = split_categories(table)
    # With a buurt or doelgroep filter only the period's total shows (see the table).
    chart = (
        None
        if table.cells_withheld
        else signal_queries.wijk_category_chart(
            wijk=wijk, period=period, categorie_code=query.categorie or None
        )
    )
    area_code = query.buurt or wijk.code
    figures_by_code = wijken_queries.figures_latest(
        codes=[wijk.code, *(b.code for b in buurten)]
    )
    figures = figures_by_code.get(wijk.code)
    area_figures = figures_by_code.get(area_code)
    per_1000 = None
    if table.grouping != "doelgroep" and area_figures is not None:
        per_1000 = kanon.per_thousand(table.total, area_figures.inhabitants)
    return {
        "table": table,
        "change": change,
        "per_1000": per_1000,
        # The export keeps the canonical week table (the same cells as the API).
        "categories": shown,
        "quiet_categories": [gettext(name) for _code, name in quiet],
        "table_rows": [
            (week, [table.cells[(week, code)] for code, _name in shown])
            for week in table.weeks
        ],
        "chart_series": (
            [gettext(name) for _code, name in chart.series] if chart else []
        ),
        "chart_rows": chart_rows(chart) if chart else [],
        "chart_weeks": chart.blocks_per_column * kanon.BLOCK_WEEKS if chart else 0,
        "chart_hidden_columns": chart.hidden_columns if chart else 0,
        "chart": chart_data(chart) if chart else None,
        "cbs": cbs_context(figures),
        "figures": figures,
    }


def _theme_fragment(*, wijk: Wijk, today: datetime.date) -> dict[str, Any]:
    """The themes shared with the gemeente with their sparklines, their counts, and
    when the last run finished."""
    themes = theme_queries.themes_for_officer(wijk=wijk, as_of=today)
    return {
        "themes": [(theme, sparkline(theme.spark)) for theme in themes],
        # The same themes as theme_counts_for_wijken counts (shared with the
        # gemeente, current, not dismissed): counted here, no query.
        "theme_counts": theme_queries.ThemeCounts(
            active=len(themes),
            unanswered=sum(1 for theme in themes if not theme.has_answer),
        ),
        "freshness": theme_queries.rollup_freshness(wijk_ids=[wijk.pk])[wijk.pk],
    }


def _initiative_fragment(*, wijk: Wijk) -> dict[str, Any]:
    return {
        "initiative_figures": initiatieven_queries.initiative_figures_for_wijken(
            wijk_ids=[wijk.pk]
        )[wijk.pk],
        "initiatives": initiatieven_queries.initiative_overview_for_wijk(wijk=wijk),
    }


def _wijk_context(
    *,
    wijk: Wijk,
    query: DashboardQuery,
    today: datetime.date,
    fragments: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    """The page's context from its fragments (no query but the blind spots' daily
    figure, itself cached)."""
    signals = fragments["signalen"]
    themes = fragments["themas"]
    theme_counts = themes["theme_counts"]
    initiatives = fragments["initiatieven"]["initiative_figures"]
    escalations = fragments["beleidssignalen"]["escalations"]
    per_1000 = signals["per_1000"]
    buurten = wijk.active_buurten  # type: ignore[attr-defined]
    key_figures = [
        KeyFigure(
            gettext("Signalen in deze periode"),
            str(signals["table"].total),
            str(signals["change"]),
            gettext("Verandering tegen de periode ervoor."),
        ),
        KeyFigure(
            gettext("Signalen per 1.000 inwoners"),
            "—" if per_1000 is None else formats.number_format(per_1000, decimal_pos=1),
        ),
        KeyFigure(gettext("Thema's gedeeld met de gemeente"), str(theme_counts.active)),
        KeyFigure(
            gettext("Thema's zonder gezamenlijke aanpak"), str(theme_counts.unanswered)
        ),
        KeyFigure(gettext("Lopende initiatieven"), str(initiatives["active"])),
        KeyFigure(gettext("Bewoners die meedoen"), str(initiatives["participants"])),
        KeyFigure(
            gettext("Open beleidssignalen"),
            str(sum(1 for row in escalations if row.is_open)),
        ),
    ]
    return {
        "wijk": wijk,
        "gemeente": wijk.gemeente,
        "period": query.period,
        **{k: v for k, v in signals.items() if k != "per_1000"},
        "key_figures": key_figures,
        "themes": themes["themes"],
        "spark_width": SPARK_WIDTH,
        "spark_height": SPARK_HEIGHT,
        "initiatives": fragments["initiatieven"]["initiatives"],
        "freshness": themes["freshness"],
        "blind_spots": blind_spots(
            gemeente=wijk.gemeente, period=query.period, wijk=wijk
        ),
        "escalations": escalations,
        # the bar and its texts come with the row (signalen.goals.queries.goals_for_wijk)
        "goals": fragments["doelen"]["goals"],
        "buurt_name": next((b.name for b in buurten if b.code == query.buurt), ""),
        # The themes' sizes count whole blocks only (signalen.kanon's table).
        "outside_until": kanon.outside_until(today),
    }
