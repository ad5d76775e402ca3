"""The read side that combines the apps. It reads initiatieven and signalen only through
their queries modules (ARCHITECTURE.md)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from initiatieven import queries as initiatieven_queries
from wijken import queries as wijken_queries


def wijk_page(request: HttpRequest, code: str) -> HttpResponse:
    """The public wijk page: the wijk and its buurten on a map, CBS figures, and what
    residents are doing there."""
    wijk = wijken_queries.wijk_get(code=code)
    if wijk is None:
        raise Http404
    buurten = wijk.active_buurten  # type: ignore[attr-defined]
    figures = wijken_queries.figures_latest(
        codes=[wijk.code, *(b.code for b in buurten)]
    )
    return render(
        request,
        "dashboard/wijk_page.html",
        {
            "wijk": wijk,
            "gemeente": wijk.gemeente,
            "figures": figures.get(wijk.code),
            "buurt_rows": [(b, figures.get(b.code)) for b in buurten],
            "map_data": wijken_queries.feature_collection(buurten, figures=figures),
            "outline": wijken_queries.feature_collection([wijk]),
            "initiatieven": initiatieven_queries.initiatieven_for_wijk(wijk=wijk),
        },
    )
