"""Public data as plain rows: what the read API (opendata/api) and the open-data files
(opendata/builds.py) publish, built in one place so the two say the same.

Everything here is for anyone: geography and CBS key figures, initiatives as their
public page shows them, public themes, and signal counts only as KCounts from
signalen.kanon (the same fixed grid of 4-week blocks and the same k-anonymity helper
as the officers' dashboard). A hidden count is None here, never its number.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from initiatieven import queries as initiatieven_queries
from signalen import kanon
from signalen.answers import queries as answer_queries
from signalen.intake import queries as signal_queries
from signalen.kanon import BLOCK_WEEKS, KCount, Period
from wijken import queries as wijken_queries
from wijken.models import Buurt, Gemeente, Kerncijfers, Wijk

# The CBS key figures published per area, in this order (Kerncijfers field names).
FIGURE_FIELDS = (
    "inhabitants",
    "men",
    "women",
    "households",
    "avg_household_size",
    "pct_age_0_15",
    "pct_age_15_25",
    "pct_age_25_45",
    "pct_age_45_65",
    "pct_age_65_plus",
    "pct_single_person_households",
    "population_density",
    "income_per_inhabitant",
)

# The longest period anyone outside the team can ask for: 39 blocks = 156 weeks, the
# officers' own limit (signalen.kanon.PERIOD_MAX_WEEKS).
MAX_BLOCKS = kanon.PERIOD_MAX_WEEKS // BLOCK_WEEKS
DEFAULT_BLOCKS = 3


def figures_dict(figures: Kerncijfers | None) -> dict[str, Any] | None:
    """The latest CBS key figures of an area (None: none known). Unknown values are
    None, never CBS's negative sentinels."""
    if figures is None:
        return None
    row: dict[str, Any] = {"year": figures.year}
    for name in FIGURE_FIELDS:
        row[name] = getattr(figures, name)
    return row


def count_dict(count: KCount) -> dict[str, Any]:
    """A k-anonymous count for the outside world: the number, or None with one reason
    for every hidden count ("k_anonymity": fewer than K, or a count that would give a
    small one away). One reason whatever the data: two would tell which is which."""
    reason = "k_anonymity" if count.is_hidden else None
    return {"count": count.value, "hidden": count.is_hidden, "reason": reason}


# --- Geography ----------------------------------------------------------------------


def gemeenten() -> QuerySet[Gemeente]:
    return wijken_queries.gemeenten_active().defer("geometry")


def gemeente_row(gemeente: Gemeente, figures: Kerncijfers | None) -> dict[str, Any]:
    return {
        "code": gemeente.code,
        "name": gemeente.name,
        "is_demo": gemeente.is_demo,
        "wijk_count": getattr(gemeente, "wijk_count", None),
        "figures": figures_dict(figures),
    }


def gemeente_rows(items: list[Gemeente]) -> list[dict[str, Any]]:
    figures = wijken_queries.figures_latest(codes=[g.code for g in items])
    return [gemeente_row(g, figures.get(g.code)) for g in items]


def active_gemeente(code: str) -> Gemeente | None:
    gemeente = (
        wijken_queries.gemeenten_active().filter(code=code.upper()).defer("geometry")
    ).first()
    return gemeente


def active_wijk(code: str) -> Wijk | None:
    """The wijk with its active buurten, without their outlines (the API's answers
    about a wijk draw none; its buurten as GeoJSON are read apart)."""
    wijk = wijken_queries.wijk_get_without_geometry(code=code)
    if wijk is None or not wijk.is_active or not wijk.gemeente.is_active:
        return None
    return wijk


def active_buurt(code: str) -> Buurt | None:
    return (
        Buurt.objects.filter(
            code=code.upper(),
            is_active=True,
            wijk__is_active=True,
            wijk__gemeente__is_active=True,
        )
        .select_related("wijk", "wijk__gemeente")
        .defer("geometry", "wijk__geometry", "wijk__gemeente__geometry")
        .first()
    )


def wijken_of(gemeente: Gemeente, *, geometry: bool = False) -> QuerySet[Wijk]:
    qs = wijken_queries.wijken_for_gemeente(gemeente=gemeente).select_related(
        "gemeente"
    )
    return qs if geometry else qs.defer("geometry")


def wijk_rows(items: list[Wijk]) -> list[dict[str, Any]]:
    figures = wijken_queries.figures_latest(codes=[w.code for w in items])
    return [
        {
            "code": w.code,
            "name": w.name,
            "gemeente": w.gemeente.code,
            "buurt_count": getattr(w, "buurt_count", None),
            "url": w.get_absolute_url(),
            "figures": figures_dict(figures.get(w.code)),
        }
        for w in items
    ]


def buurten_of(
    *,
    wijk: Wijk | None = None,
    gemeente: Gemeente | None = None,
    geometry: bool = False,
) -> QuerySet[Buurt]:
    qs = Buurt.objects.filter(is_active=True, wijk__is_active=True).select_related(
        "wijk", "wijk__gemeente"
    )
    if wijk is not None:
        qs = qs.filter(wijk=wijk)
    if gemeente is not None:
        qs = qs.filter(wijk__gemeente=gemeente)
    qs = qs.order_by("code")
    return qs if geometry else qs.defer("geometry", "wijk__geometry")


def buurt_rows(items: list[Buurt]) -> list[dict[str, Any]]:
    figures = wijken_queries.figures_latest(codes=[b.code for b in items])
    return [
        {
            "code": b.code,
            "name": b.name,
            "wijk": b.wijk.code,
            "gemeente": b.wijk.gemeente.code,
            "figures": figures_dict(figures.get(b.code)),
        }
        for b in items
    ]


def flat_properties(row: dict[str, Any]) -> dict[str, Any]:
    """A row with its figures spread out (for GeoJSON properties and CSV columns)."""
    flat = {key: value for key, value in row.items() if key != "figures"}
    figures = row.get("figures") or {}
    flat["figures_year"] = figures.get("year")
    for name in FIGURE_FIELDS:
        flat[name] = figures.get(name)
    return flat


def feature_collection(areas: list[Any], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """GeoJSON (WGS84) of areas with their rows as flat properties; an area without an
    outline gets a null geometry (valid GeoJSON), so the list is never shorter."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": row["code"],
                "geometry": area.geometry or None,
                "properties": flat_properties(row),
            }
            for area, row in zip(areas, rows, strict=True)
        ],
    }


# --- Initiatives ---------------------------------------------------------------------


def initiative_row(item: Any) -> dict[str, Any]:
    """The fields of the public initiative list: what its card shows, plus organisers
    as the public page names them."""
    return {
        "id": item.pk,
        "title": item.title,
        "summary": item.summary,
        "status": item.status,
        "status_label": str(item.get_status_display()),
        "wijk": item.wijk.code,
        "buurt": item.buurt.code if item.buurt_id else None,
        "gemeente": item.wijk.gemeente.code,
        "themes": [t.code for t in item.themas.all()],
        "where": item.where,
        "when": item.when,
        "starts_at": item.starts_at,
        "ends_at": item.ends_at,
        # An initiative whose owner deleted their account has no owner (and no name).
        "organisers": [
            *([item.owner.display_name] if item.owner_id else []),
            *(co.display_name for co in item.co_organisers.all()),
        ],
        "participants": item.doe_mee_count,
        "supporters": item.steun_count,
        "open_needs": item.open_needs_count,
        "created_at": item.created_at,
        "updated_at": item.updated_at,
        "url": item.get_absolute_url(),
    }


def initiative_detail(item: Any) -> dict[str, Any]:
    """The public initiative page as data (initiatieven.queries.public_initiative_get):
    participants by name only when they chose to show it."""
    row = initiative_row(item)
    row.update(
        {
            "description": item.description,
            "needs": [
                {
                    "kind": need.kind,
                    "kind_label": str(need.get_kind_display()),
                    "description": need.description,
                    "is_met": need.is_met,
                }
                for need in item.behoeften.all()
            ],
            "partners": [
                {
                    "name": partner.name,
                    "kind": partner.kind,
                    "kind_label": str(partner.get_kind_display()),
                }
                for partner in item.partners.all()
            ],
            "public_participants": [
                {"name": d.user.display_name, "kind": d.kind}
                for d in item.public_deelnames
            ],
            "updates": [
                {
                    "title": b.title,
                    "text": b.text,
                    "author": b.author.display_name if b.author_id else None,
                    "created_at": b.created_at,
                }
                for b in item.public_berichten
            ],
            "meetings": [
                {"starts_at": m.starts_at, "place": m.place}
                for m in item.public_bijeenkomsten
            ],
        }
    )
    return row


# --- Public themes -------------------------------------------------------------------


def theme_row(item: answer_queries.PublicThemeListRow) -> dict[str, Any]:
    theme = item.theme
    return {
        "id": theme.pk,
        "title": theme.title,
        "text": theme.text,
        "is_call": theme.is_call,
        "status": theme.status,
        "status_label": theme.status_label,
        "wijk": item.wijk_code,
        "gemeente": item.gemeente_code,
        "size": count_dict(theme.size),
        "initiative_count": theme.initiatives,
        "trekker_count": theme.trekkers,
        "url": theme.url,
    }


def theme_detail(detail: answer_queries.PublicThemeDetail) -> dict[str, Any]:
    row = theme_row(detail.row)
    row.update(
        {
            "status_text": detail.status_text,
            "initiatives": [
                {"id": pk, "title": title} for pk, title in detail.initiatives
            ],
            "trekker_names": list(detail.trekker_names),
            "progress": [
                {"text": p.text, "author": p.author, "created_at": p.created_at}
                for p in detail.progress
            ],
        }
    )
    return row


# --- Signal counts (k-anonymous, on the fixed grid of 4-week blocks) --------------------


def last_blocks(blocks: int, *, today: datetime.date | None = None) -> Period:
    return Period.of_blocks(blocks=blocks, as_of=today or timezone.localdate())


def period_dict(period: Period) -> dict[str, Any]:
    return {
        "start": period.first_week,
        "end": period.last_day,
        "blocks": len(period.blocks),
        "weeks": period.week_count,
    }


def block_periods(period: Period) -> list[Period]:
    return [Period(weeks[0], weeks[-1]) for weeks in period.blocks]


@dataclass(frozen=True)
class SignalQuery:
    period: Period
    category: str | None = None
    buurt: Buurt | None = None


def wijk_signals(wijk: Wijk, query: SignalQuery) -> dict[str, Any]:
    """Signals of one wijk per week and category (the officers' canonical table), the
    period's total and each block's total, and per 1,000 inhabitants. With a buurt only
    totals show; with a category only that category's cells, and the totals stay those
    of all categories (a per-category total is never given)."""
    buurt_code = query.buurt.code if query.buurt else None
    table = signal_queries.wijk_week_table(
        wijk=wijk,
        period=query.period,
        categorie_code=query.category,
        buurt_code=buurt_code,
    )
    area_code = buurt_code or wijk.code
    figures = wijken_queries.figures_latest(codes=[area_code]).get(area_code)
    inhabitants = figures.inhabitants if figures else None
    if buurt_code:
        # A buurt's block totals also check the split of each block on its own
        # (signalen.intake.queries._split_unsafe): one week table per block.
        block_totals = [
            signal_queries.wijk_week_table(
                wijk=wijk, period=block, buurt_code=buurt_code
            ).total
            for block in block_periods(query.period)
        ]
    else:
        block_totals = signal_queries.wijk_block_totals(
            wijk_ids=[wijk.pk], period=query.period
        )[wijk.pk]
    blocks = []
    for block, total in zip(block_periods(query.period), block_totals, strict=True):
        weeks = []
        if not table.cells_withheld:
            weeks = [
                {
                    "week": week,
                    "categories": [
                        {
                            "code": code,
                            "name": name,
                            **count_dict(table.cells[(week, code)]),
                        }
                        for code, name in table.categories
                    ],
                }
                for week in block.weeks
            ]
        blocks.append(
            {
                "start": block.first_week,
                "end": block.last_day,
                "total": count_dict(total),
                "per_1000_inhabitants": kanon.per_thousand(total, inhabitants),
                "weeks": weeks,
            }
        )
    return {
        "wijk": wijk.code,
        "buurt": buurt_code,
        "category": query.category,
        "period": period_dict(query.period),
        "k_anonymity": kanon.k_threshold(),
        "inhabitants": inhabitants,
        "total": count_dict(table.total),
        "per_1000_inhabitants": kanon.per_thousand(table.total, inhabitants),
        "cells_withheld": table.cells_withheld,
        "categories": [{"code": code, "name": name} for code, name in table.categories],
        "blocks": blocks,
    }


def gemeente_signals(gemeente: Gemeente, period: Period) -> dict[str, Any]:
    """Per wijk of a gemeente: the period's signal total and each block's total, with
    per 1,000 inhabitants; the same totals as the officers' gemeente overview."""
    wijken = list(wijken_of(gemeente))
    ids = [w.pk for w in wijken]
    figures = wijken_queries.figures_latest(codes=[w.code for w in wijken])
    totals = signal_queries.wijk_signal_totals(wijk_ids=ids, period=period)
    per_block = signal_queries.wijk_block_totals(wijk_ids=ids, period=period)
    blocks = block_periods(period)
    rows = []
    for wijk in wijken:
        inhabitants = figures[wijk.code].inhabitants if wijk.code in figures else None
        total = totals[wijk.pk].current
        rows.append(
            {
                "wijk": wijk.code,
                "name": wijk.name,
                "inhabitants": inhabitants,
                "total": count_dict(total),
                "per_1000_inhabitants": kanon.per_thousand(total, inhabitants),
                "blocks": [
                    {
                        "start": block.first_week,
                        "end": block.last_day,
                        "total": count_dict(block_total),
                        "per_1000_inhabitants": kanon.per_thousand(
                            block_total, inhabitants
                        ),
                    }
                    for block, block_total in zip(
                        blocks, per_block[wijk.pk], strict=True
                    )
                ],
            }
        )
    return {
        "gemeente": gemeente.code,
        "period": period_dict(period),
        "k_anonymity": kanon.k_threshold(),
        "wijken": rows,
    }


def initiatives(**filters: Any) -> QuerySet[Any]:
    return initiatieven_queries.public_initiatives(**filters)
