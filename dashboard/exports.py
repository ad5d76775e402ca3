"""Exports of the figures on screen: CSV and Excel, with exactly the k-anonymous values
the page shows ("verborgen" stays text). The views write the audit entry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.utils import formats, timezone
from django.utils.translation import gettext

from core import exports as core_exports
from dashboard.officer import WijkRow


@dataclass
class Sheet:
    title: str
    header: list[str]
    rows: list[list[str]]


def safe(value: Any) -> str:
    """Every cell as text, exactly as on screen ("verborgen" included), made formula-safe
    by the one writer (core.exports)."""
    return core_exports.safe_text(value)


def _date(value: Any) -> str:
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "j F Y H:i")


def _day(value: Any) -> str:
    return "" if value is None else formats.date_format(value, "j F Y")


def _rate(value: float | None) -> str:
    return "—" if value is None else formats.number_format(value, decimal_pos=1)


def gemeente_sheets(context: dict[str, Any], *, period_label: str) -> list[Sheet]:
    rows: list[WijkRow] = context["rows"]
    overview = Sheet(
        gettext("Wijken"),
        [
            gettext("Wijk"),
            gettext("Code"),
            gettext("Signalen"),
            gettext("Signalen per 1.000 inwoners"),
            gettext("Verandering"),
            gettext("Thema's"),
            gettext("Zonder gezamenlijke aanpak"),
            gettext("Lopende initiatieven"),
            gettext("Bewoners die meedoen"),
            gettext("Open beleidssignalen"),
            gettext("Laatste verwerking"),
        ],
        [
            [
                r.name,
                r.code,
                str(r.signals),
                _rate(r.per_1000),
                str(r.change),
                str(r.themes),
                str(r.unanswered),
                str(r.initiatives),
                str(r.participants),
                str(r.open_escalations),
                _date(r.freshness),
            ]
            for r in rows
        ],
    )
    return [
        Sheet(gettext("Periode"), [gettext("Periode")], [[period_label]]),
        overview,
        blind_spot_sheet(context["blind_spots"]),
    ]


def blind_spot_sheet(spots: list[Any]) -> Sheet:
    return Sheet(
        gettext("Blinde vlekken"),
        [
            gettext("Buurt"),
            gettext("Wijk"),
            gettext("Inwoners"),
            gettext("Signalen"),
            gettext("Lopende initiatieven"),
            gettext("Waarom"),
        ],
        [
            [
                s.buurt_name,
                s.wijk_name,
                formats.number_format(s.inhabitants, force_grouping=True),
                str(s.signals),
                str(s.initiatives),
                "; ".join(s.reasons),
            ]
            for s in spots
        ],
    )


def wijk_sheets(context: dict[str, Any], *, period_label: str) -> list[Sheet]:
    table = context["table"]
    figures = Sheet(
        gettext("Kerncijfers"),
        [gettext("Cijfer"), gettext("Waarde"), gettext("Verandering")],
        [[period_label, "", ""]]
        + [[f.label, f.value, f.change] for f in context["key_figures"]],
    )
    if table.cells_withheld:
        weeks = Sheet(
            gettext("Signalen per week"),
            [gettext("Cijfer"), gettext("Waarde")],
            [
                [gettext("Totaal alle categorieën"), str(table.total)],
                [
                    gettext(
                        "Met een filter op buurt of doelgroep tonen wij alleen het "
                        "totaal, niet de cijfers per week en categorie."
                    ),
                    "",
                ],
            ],
        )
    else:
        weeks = _week_sheet(context, table)
    sheets = _wijk_sheets_rest(context, figures, weeks)
    if context.get("chart_rows"):
        # The chart's grain (#18 item 5): per block and the largest categories plus
        # "overige", the same cells as the page's table.
        sheets.insert(2, _block_sheet(context))
    return sheets


def _block_sheet(context: dict[str, Any]) -> Sheet:
    return Sheet(
        gettext("Signalen per blok"),
        [gettext("Blok"), *context["chart_series"], gettext("Totaal")],
        [[label, *cells, total] for label, cells, total in context["chart_rows"]],
    )


def _week_sheet(context: dict[str, Any], table: Any) -> Sheet:
    return Sheet(
        gettext("Signalen per week"),
        [gettext("Week van")]
        + [gettext(name) for _code, name in context["categories"]],
        [
            [formats.date_format(week, "j F Y")] + [str(c) for c in counts]
            for week, counts in context["table_rows"]
        ]
        + [[gettext("Totaal alle categorieën"), str(table.total)]]
        + (
            [
                [
                    gettext("Elke week minder dan %(k)s")
                    % {"k": table.total.threshold},
                    ", ".join(context["quiet_categories"]),
                ]
            ]
            if context["quiet_categories"]
            else []
        ),
    )


def _wijk_sheets_rest(
    context: dict[str, Any], figures: Sheet, weeks: Sheet
) -> list[Sheet]:
    themes = Sheet(
        gettext("Thema's"),
        [
            gettext("Thema"),
            gettext("Status"),
            gettext("Gezamenlijke aanpak"),
            gettext("Trend"),
            gettext("Signalen"),
        ],
        [
            [
                t.name,
                t.status_label,
                gettext("ja") if t.has_answer else gettext("nee"),
                t.trend_label,
                str(t.size),
            ]
            for t, _bars in context["themes"]
        ],
    )
    cbs = Sheet(
        gettext("CBS-cijfers"),
        [gettext("Cijfer"), gettext("Waarde")],
        [[label, value] for label, value in context["cbs"]],
    )
    escalations = Sheet(
        gettext("Beleidssignalen"),
        [
            gettext("Beleidssignaal"),
            gettext("Wijkteam"),
            gettext("Status"),
            gettext("Verstuurd op"),
            gettext("Ontvangen op"),
            gettext("Beantwoord op"),
        ],
        [
            [
                e.title,
                e.team,
                e.status_label,
                _date(e.sent_at),
                _date(e.received_at),
                _date(e.answered_at),
            ]
            for e in context.get("escalations", [])
        ],
    )
    goals = Sheet(
        gettext("Doelen"),
        [
            gettext("Doel"),
            gettext("Wijkteam"),
            gettext("Doelgroep"),
            gettext("Wat telt"),
            gettext("Richting"),
            gettext("Startwaarde"),
            gettext("Nu"),
            gettext("Doel (aantal)"),
            gettext("Voortgang"),
            gettext("Tijd voorbij"),
            gettext("Einddatum"),
            gettext("Dagen over"),
            gettext("Stand van zaken"),
            gettext("Laatst bijgewerkt"),
        ],
        [
            [
                g.title,
                g.team,
                g.doelgroep,
                g.indicator,
                gettext("minder is beter")
                if g.counts_down
                else gettext("meer is beter"),
                str(g.start_value),
                str(g.current_value),
                str(g.target_value),
                f"{max(0, round(g.share_done * 100))} %",
                f"{max(0, round(g.share_time * 100))} %",
                _day(g.deadline),
                str(g.days_left),
                g.state_label,
                _day(g.last_update),
            ]
            for g, _bar in context.get("goals", [])
        ],
    )
    return [
        figures,
        weeks,
        themes,
        escalations,
        goals,
        cbs,
        blind_spot_sheet(context["blind_spots"]),
    ]


def csv_response(sheets: list[Sheet], *, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")  # so Excel reads the file as UTF-8
    writer = core_exports.csv_writer(response, delimiter=";")
    for index, sheet in enumerate(sheets):
        if index:
            writer.writerow([])
        writer.writerow([sheet.title])
        writer.writerow([safe(h) for h in sheet.header])
        for row in sheet.rows:
            writer.writerow([safe(v) for v in row])
    return response


def xlsx_response(sheets: list[Sheet], *, filename: str) -> HttpResponse:
    # Every value as text, exactly as on screen ("verborgen" included).
    content = core_exports.xlsx_bytes(
        (sheet.title, [sheet.header, *[[safe(v) for v in row] for row in sheet.rows]])
        for sheet in sheets
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
