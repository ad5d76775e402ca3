"""The read side that combines the apps. It reads initiatieven and signalen only through
their queries modules (ARCHITECTURE.md)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from accounts.models import Role
from accounts.permissions import can_read_gemeente, can_work_in_wijk, role_required
from accounts.queries import teams_sharing_report
from core.http import AuthenticatedHttpRequest, never_cache
from dashboard import exports, officer, representation
from dashboard.filters import DashboardQuery, resolve
from initiatieven import queries as initiatieven_queries
from signalen import kanon
from signalen.answers import queries as answer_queries
from signalen.intake import queries as signal_queries
from wijken import queries as wijken_queries
from wijken.models import Gemeente, Wijk


def wijk_page(request: HttpRequest, code: str) -> HttpResponse:
    """The public wijk page: the wijk and its buurten on a map, CBS figures, and what
    residents are doing there. Its content is rendered once per state of the parts
    of the wijk it shows (dashboard.officer.content_cached)."""
    # The wijk's own row only: its polygons, buurten and gemeente are read when the
    # content is rendered, not on every request.
    wijk = wijken_queries.wijk_head(code=code)
    if wijk is None:
        raise Http404
    user = request.user
    can_manage_places = user.is_authenticated and (
        user.role == Role.BEHEERDER  # type: ignore[union-attr]
        or can_work_in_wijk(user, wijk)  # type: ignore[arg-type]
    )
    today = timezone.localdate()

    def content() -> str:
        wijk = wijken_queries.wijk_get(code=code)
        assert wijk is not None
        buurten = wijk.active_buurten  # type: ignore[attr-defined]
        figures = wijken_queries.figures_latest(
            codes=[wijk.code, *(b.code for b in buurten)]
        )
        # The wijkteam's contact came with the wijk (wijk_get); the places are one
        # query.
        plekken = wijken_queries.places_for_wijk(wijk)
        return render_to_string(
            "dashboard/_wijk_page_content.html",
            {
                "wijkteam": wijken_queries.contact_for_wijk(wijk),
                "plekken": plekken,
                "plekken_points": wijken_queries.places_map_points(plekken),
                "can_manage_places": can_manage_places,
                "wijk": wijk,
                "gemeente": wijk.gemeente,
                "figures": figures.get(wijk.code),
                "buurt_rows": [(b, figures.get(b.code)) for b in buurten],
                "map_data": wijken_queries.feature_collection(buurten, figures=figures),
                "outline": wijken_queries.feature_collection([wijk]),
                "initiatieven": initiatieven_queries.initiatieven_for_wijk(wijk=wijk),
                "public_themes": answer_queries.public_themes_for_wijk(wijk),
                # Theme sizes count whole blocks only (signalen.kanon's table).
                "outside_until": kanon.outside_until(today),
                "k": kanon.k_threshold(),
            },
            request,
        )

    html = officer.content_cached(
        "wijk-page",
        (today, can_manage_places),
        wijk=wijk,
        domains=officer.PUBLIC_PAGE_PARTS,
        names=True,
        compute=content,
    )
    return render(request, "dashboard/wijk_page.html", {"wijk": wijk, "content": html})


# --- The officers' dashboard (issue 6) ---------------------------------------------------


EXPORT_FORMATS = ("csv", "xlsx")


def _period_label(query: DashboardQuery) -> str:
    return gettext("Weken van %(first)s tot en met %(last)s") % {
        "first": date_format(query.period.first_week, "j F Y"),
        "last": date_format(query.period.last_day, "j F Y"),
    }


def _readable_gemeente(request: AuthenticatedHttpRequest, gemeente: Gemeente) -> None:
    """Officers read their own gemeente only ("not yours" is a 404); beheerders all."""
    user = request.user
    if user.role == Role.BEHEERDER:
        return
    if not can_read_gemeente(user, gemeente):
        raise Http404


def _officer_gemeente(request: AuthenticatedHttpRequest, code: str) -> Gemeente:
    gemeente = wijken_queries.gemeente_get(code=code)
    if gemeente is None or not gemeente.is_active:
        raise Http404
    _readable_gemeente(request, gemeente)
    return gemeente


def _officer_wijk(request: AuthenticatedHttpRequest, code: str) -> Wijk:
    wijk = wijken_queries.wijk_get_without_geometry(code=code)
    if wijk is None or not wijk.is_active:
        raise Http404
    _readable_gemeente(request, wijk.gemeente)
    return wijk


@role_required(Role.AMBTENAAR, Role.BEHEERDER)
def dashboard_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """An officer goes straight to their gemeente; a beheerder picks one."""
    user = request.user
    if user.role == Role.AMBTENAAR:
        gemeente = user.gemeente if user.gemeente_id is not None else None
        if gemeente is None:
            return render(request, "dashboard/officer_no_gemeente.html")
        return redirect("dashboard:gemeente", code=gemeente.code)
    return render(
        request,
        "dashboard/officer_index.html",
        {"gemeenten": wijken_queries.gemeenten_active().defer("geometry")},
    )


def _sort_links(query: DashboardQuery, key: str, descending: bool) -> dict[str, Any]:
    links = {}
    for column in officer.SORT_COLUMNS:
        # Numbers start with the highest; names from A.
        first_descending = column != "naam"
        target = not descending if column == key else first_descending
        params = {**query.params, "sort": ("-" if target else "") + column}
        links[column] = {
            "url": "?" + urlencode(params),
            "active": column == key,
            "descending": descending if column == key else None,
        }
    return links


@role_required(Role.AMBTENAAR, Role.BEHEERDER)
def gemeente_dashboard(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    gemeente = _officer_gemeente(request, code)
    filterset, query = resolve(request.GET)
    context = officer.gemeente_overview(
        gemeente=gemeente, query=query, sort=request.GET.get("sort")
    )
    sort_param = ("-" if context["sort_descending"] else "") + context["sort_key"]
    export_params = urlencode({**query.params, "sort": sort_param})
    context.update(
        {
            "filter": filterset,
            "query": query,
            "period_label": _period_label(query),
            "sort_links": _sort_links(
                query, context["sort_key"], context["sort_descending"]
            ),
            "export_query": export_params,
            "k": kanon.k_threshold(),
        }
    )
    return render(request, "dashboard/officer_gemeente.html", context)


@role_required(Role.AMBTENAAR, Role.BEHEERDER)
def gemeente_export(
    request: AuthenticatedHttpRequest, code: str, fmt: str
) -> HttpResponse:
    if fmt not in EXPORT_FORMATS:
        raise Http404
    gemeente = _officer_gemeente(request, code)
    _filterset, query = resolve(request.GET)
    label = _period_label(query)
    sort = request.GET.get("sort")
    # The sheets are cached like the page's figures (the same key parts), so a warm
    # export reads neither the figures nor the page's context.
    sheets = officer.page_cached(
        "gemeente-sheets",
        (gemeente.pk, officer.query_parts(query), officer.parse_sort(sort), label),
        gemeente_ids=(gemeente.pk,),
        compute=lambda: exports.gemeente_sheets(
            officer.gemeente_overview(gemeente=gemeente, query=query, sort=sort),
            period_label=label,
        ),
    )
    signal_queries.record_export(
        actor=request.user,
        wijk=None,
        detail={
            "dashboard": "gemeente",
            "gemeente": gemeente.code,
            "format": fmt,
            **query.as_detail(),
        },
    )
    filename = f"buurtwijs-{gemeente.code}-{query.period.first_week:%Y%m%d}"
    if fmt == "xlsx":
        return exports.xlsx_response(sheets, filename=filename)
    return exports.csv_response(sheets, filename=filename)


@role_required(Role.AMBTENAAR, Role.BEHEERDER)
def wijk_dashboard(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    wijk = _officer_wijk(request, code)
    # The detail page of a beleidssignaal is for the officers of its gemeente (and
    # the team); a beheerder sees the list without links.
    can_open_escalations = request.user.role == Role.AMBTENAAR
    html = _officer_wijk_content(
        wijk,
        request.GET,
        can_open_escalations=can_open_escalations,
        request=request,
    )
    return render(
        request, "dashboard/officer_wijk.html", {"wijk": wijk, "content": html}
    )


def _officer_wijk_content(
    wijk: Wijk,
    data: QueryDict,
    *,
    can_open_escalations: bool,
    request: HttpRequest | None,
) -> str:
    """The rendered content of the officer's wijk dashboard, from the cache while
    none of the parts of the wijk it shows changed (officer.content_cached)."""
    filterset, query = resolve(data, wijk=wijk)
    today = timezone.localdate()
    # A team of the wijk shares its report with this officer's gemeente (a right:
    # asked on every request, not cached).
    team_report_shared = (
        can_open_escalations
        and teams_sharing_report(wijk_id=wijk.pk, gemeente_id=wijk.gemeente_id).exists()
    )

    def content() -> str:
        context = officer.wijk_dashboard(wijk=wijk, query=query, today=today)
        context.update(
            {
                "filter": filterset,
                "query": query,
                "period_label": _period_label(query),
                "k": kanon.k_threshold(),
                "can_open_escalations": can_open_escalations,
                "team_report_shared": team_report_shared,
            }
        )
        return render_to_string(
            "dashboard/_officer_wijk_content.html", context, request
        )

    return officer.content_cached(
        "officer-wijk",
        (sorted(data.lists()), today, can_open_escalations, team_report_shared),
        wijk=wijk,
        domains=officer.WIJK_PAGE_PARTS,
        compute=content,
    )


def wijk_prepare(wijk_id: int) -> None:
    """Make the officer's wijk dashboard ahead, as an officer of its gemeente first
    sees it (no filter, today), after a roll-up run changed it: its fragments and its
    rendered content. Called on commit by signalen.themes.blocks.rollup_finished, in
    the worker, so the first officer after the run reads it from the cache."""
    wijk = wijken_queries.wijk_get_without_geometry(
        code=wijken_queries.wijk_code(pk=wijk_id) or ""
    )
    if wijk is None or not wijk.is_active:
        return
    _officer_wijk_content(wijk, QueryDict(""), can_open_escalations=True, request=None)
    # "Wie horen we niet?" below it reads the signal counts the run renewed.
    representation.wijk_representation(wijk=wijk, today=timezone.localdate())


@role_required(Role.AMBTENAAR, Role.BEHEERDER)
def wijk_export(request: AuthenticatedHttpRequest, code: str, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_FORMATS:
        raise Http404
    wijk = _officer_wijk(request, code)
    _filterset, query = resolve(request.GET, wijk=wijk)
    today = timezone.localdate()
    label = _period_label(query)
    sheets = officer.page_cached(
        "wijk-sheets",
        (wijk.pk, officer.query_parts(query), today, label),
        # The wijk's own token: renewed by a write in this wijk only (the blind
        # spots of the gemeente are a daily figure, and the day is in the key).
        wijk_ids=(wijk.pk,),
        gemeente_ids=(),
        compute=lambda: exports.wijk_sheets(
            officer.wijk_dashboard(wijk=wijk, query=query, today=today),
            period_label=label,
        ),
    )
    signal_queries.record_export(
        actor=request.user,
        wijk=wijk,
        detail={"dashboard": "wijk", "format": fmt, **query.as_detail()},
    )
    filename = f"buurtwijs-{wijk.code}-{query.period.first_week:%Y%m%d}"
    if fmt == "xlsx":
        return exports.xlsx_response(sheets, filename=filename)
    return exports.csv_response(sheets, filename=filename)


def _representation_wijk(request: AuthenticatedHttpRequest, code: str) -> Wijk:
    """The team of the wijk, the officers of its gemeente and beheerders; anyone else
    with a staff role gets 404 ("not yours"), residents 403 (role_required)."""
    wijk = wijken_queries.wijk_get_without_geometry(code=code)
    if wijk is None or not wijk.is_active:
        raise Http404
    user = request.user
    if user.role == Role.PROFESSIONAL:
        if not can_work_in_wijk(user, wijk):
            raise Http404
    else:
        _readable_gemeente(request, wijk.gemeente)
    return wijk


@never_cache
@role_required(Role.PROFESSIONAL, Role.AMBTENAAR, Role.BEHEERDER)
def wijk_representation(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """ "Wie horen we niet?" for one wijk (dashboard/representation.py)."""
    wijk = _representation_wijk(request, code)
    result = representation.wijk_representation(wijk=wijk, today=timezone.localdate())
    back = (
        ("signalen:teamrapport", gettext("Naar het teamrapport"))
        if request.user.role == Role.PROFESSIONAL
        else ("dashboard:officer_wijk", gettext("Naar het dashboard van de wijk"))
    )
    return render(
        request,
        "dashboard/representation.html",
        {"wijk": wijk, "result": result, "back": back},
    )
