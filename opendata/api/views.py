"""The API's views: read-only, anonymous, JSON (and GeoJSON for area lists).

Each answer carries an ETag and Cache-Control; a client that sends the ETag back in
If-None-Match gets 304 Not Modified. The lists, areas and signal counts are cached whole
(opendata/api/cache.py), keyed on the generations of what they cover; their ETag comes
from the cached data, so a 304 needs no rendering. The two detail pages of an initiative
and a theme are not cached (their updates, meetings and names change without a
generation); their ETag is a hash of the body. Every caller is throttled per IP address
(settings.API_RATE_LIMIT). Nothing here depends on who asks: no login is read.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from initiatieven import queries as initiatieven_queries
from opendata import public_data
from opendata.api import cache as api_cache
from opendata.api import filters, serializers
from opendata.api.renderers import ApiContentNegotiation, GeoJSONRenderer
from opendata.public_data import SignalQuery
from signalen.answers import queries as answer_queries
from wijken import generations
from wijken import queries as wijken_queries

GEO = "application/geo+json"
JSON = "application/json"

ERRORS: dict[Any, Any] = {
    400: serializers.ErrorSerializer,
    429: serializers.ErrorSerializer,
}
ERRORS_404 = {**ERRORS, 404: serializers.ErrorSerializer}


def _geo_errors(*, not_found: bool) -> dict[Any, Any]:
    statuses = (400, 404, 429) if not_found else (400, 429)
    return {
        (status, media): serializers.ErrorSerializer
        for status in statuses
        for media in (JSON, GEO)
    }


def _code(kind: str) -> OpenApiParameter:
    return OpenApiParameter(
        "code",
        OpenApiTypes.STR,
        OpenApiParameter.PATH,
        description=gettext("CBS-code van de %(kind)s.") % {"kind": kind},
    )


def _pk(kind: str) -> OpenApiParameter:
    return OpenApiParameter(
        "id",
        OpenApiTypes.INT,
        OpenApiParameter.PATH,
        description=gettext("Nummer van het %(kind)s.") % {"kind": kind},
    )


class PublicView(APIView):
    # Anonymous, read-only, throttled, with an ETag on every 200. (A comment, not a
    # docstring: drf-spectacular would print a docstring in every operation.)

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    renderer_classes: list[Any] = [JSONRenderer]
    content_negotiation_class = ApiContentNegotiation
    http_method_names = ["get", "head", "options"]

    def finalize_response(
        self, request: Request, response: Any, *args: Any, **kwargs: Any
    ) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        if "ETag" not in response:  # a cached answer brings its own
            response["ETag"] = quote_etag(
                hashlib.sha256(response.content).hexdigest()[:32]
            )
        patch_cache_control(response, public=True, max_age=settings.API_CACHE_SECONDS)
        return get_conditional_response(
            request, etag=response["ETag"], response=response
        )

    def cached(
        self,
        request: Request,
        endpoint: str,
        parts: tuple[Any, ...],
        *,
        stamp: str,
        compute: Any,
        by_day: bool = False,
        paged: bool = False,
    ) -> HttpResponseBase:
        """The answer of `compute`, from the cache when nothing it covers changed
        (see opendata/api/cache.py); a 304 without rendering when the client has it.
        `paged`: `compute` gives a page and its place (``_page_data``), and the
        addresses of the next and previous page are this request's."""
        found = api_cache.answer(
            endpoint, parts, stamp=stamp, compute=compute, by_day=by_day
        )
        etag = found.etag(
            media_type=str(request.accepted_media_type),
            address=request.build_absolute_uri(),
        )
        if request.headers.get("If-None-Match"):
            probe = HttpResponse()
            probe["ETag"] = etag
            patch_cache_control(probe, public=True, max_age=settings.API_CACHE_SECONDS)
            conditional = get_conditional_response(request, etag=etag, response=probe)
            if conditional is not None and conditional is not probe:
                return conditional
        data = found.data
        if paged:
            data = _with_links(request, data["data"], **data["place"])
        response = Response(data)
        response["ETag"] = etag
        return response


def _page(
    items: Any, *, page: int, page_size: int
) -> tuple[list[Any], int, dict[str, Any]]:
    """One page of items (a queryset or list): the items, the total count, and where
    the page is (for `_with_links`)."""
    paginator = Paginator(items, page_size)
    try:
        current = paginator.page(page)
    except EmptyPage as error:
        if page == 1:
            return [], 0, {"page": page, "has_next": False, "has_previous": False}
        raise Http404(
            gettext("Pagina %(page)s bestaat niet; er zijn %(pages)s pagina's.")
            % {"page": page, "pages": paginator.num_pages}
        ) from error
    place = {
        "page": page,
        "has_next": current.has_next(),
        "has_previous": current.has_previous(),
    }
    return list(current.object_list), paginator.count, place


def _with_links(
    request: Request,
    data: dict[str, Any],
    *,
    page: int,
    has_next: bool,
    has_previous: bool,
    geo: bool = False,
) -> dict[str, Any]:
    """The page's data with the addresses of the next and previous page of this
    request (they keep its other parameters), in their place for JSON or GeoJSON."""
    url = request.build_absolute_uri()
    next_url = replace_query_param(url, "page", page + 1) if has_next else None
    previous_url = None
    if has_previous:
        previous_url = (
            remove_query_param(url, "page")
            if page - 1 == 1
            else replace_query_param(url, "page", page - 1)
        )
    if geo:
        return {**data, "next": next_url, "previous": previous_url}
    return {
        "count": data["count"],
        "next": next_url,
        "previous": previous_url,
        "results": data["results"],
    }


def _page_data(items: Any, params: dict[str, Any], rows: Any) -> dict[str, Any]:
    """A page of rows and its place, to cache (see `PublicView.cached`)."""
    objects, count, place = _page(
        items, page=params["page"], page_size=params["page_size"]
    )
    return {"data": {"count": count, "results": rows(objects)}, "place": place}


def _geo_page_data(items: Any, params: dict[str, Any], rows: Any) -> dict[str, Any]:
    """A page of areas as a GeoJSON FeatureCollection and its place, to cache."""
    objects, count, place = _page(
        items, page=params["page"], page_size=params["page_size"]
    )
    collection = public_data.feature_collection(objects, rows(objects))
    collection.update({"numberMatched": count, "numberReturned": len(objects)})
    return {"data": collection, "place": {**place, "geo": True}}


def _params(params: dict[str, Any]) -> tuple[Any, ...]:
    """Checked parameters as part of a cache key: sorted, so their order in the
    address does not matter."""
    return tuple(sorted((key, repr(value)) for key, value in params.items()))


def _is_geo(request: Request) -> bool:
    return getattr(request.accepted_renderer, "format", "") == "geojson"


def _area_filters(
    params: dict[str, Any],
) -> tuple[dict[str, int], dict[str, list[int]]]:
    """The gemeente, wijk and buurt filters of a list (404 when unknown): as ids for
    the query, and the gemeenten and wijken the answer covers (none: all of them)."""
    found: dict[str, int] = {}
    covers: dict[str, list[int]] = {"gemeente_ids": [], "wijk_ids": []}
    if params.get("gemeente"):
        found["gemeente_id"] = filters.gemeente_or_404(params["gemeente"]).pk
        covers["gemeente_ids"].append(found["gemeente_id"])
    if params.get("wijk"):
        found["wijk_id"] = filters.wijk_or_404(params["wijk"]).pk
        covers["wijk_ids"].append(found["wijk_id"])
    if params.get("buurt"):
        buurt = filters.buurt_or_404(params["buurt"])
        found["buurt_id"] = buurt.pk
        covers["wijk_ids"].append(buurt.wijk_id)
    return found, covers


def _stamp(covers: dict[str, list[int]], *, names: bool = False) -> str:
    """The generation stamp of a list's gemeenten and wijken; of any wijk when the
    list spans the whole site."""
    if not covers["gemeente_ids"] and not covers["wijk_ids"]:
        return generations.stamp_any_wijk(names=names)
    return generations.stamp(
        gemeente_ids=covers["gemeente_ids"], wijk_ids=covers["wijk_ids"], names=names
    )


# --- Geography ----------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        operation_id="gemeenten_list",
        tags=["Geografie"],
        summary="Gemeenten",
        parameters=[filters.PageQuery],
        responses={
            200: serializers.paginated(serializers.GemeenteSerializer),
            **ERRORS_404,
        },
    )
)
class GemeenteList(PublicView):
    def get(self, request: Request) -> HttpResponseBase:
        params = filters.check(filters.PageQuery, request.query_params)
        # Geography and CBS figures renew the whole site's generation.
        return self.cached(
            request,
            "gemeenten",
            _params(params),
            stamp=generations.stamp(),
            compute=lambda: _page_data(
                public_data.gemeenten(), params, public_data.gemeente_rows
            ),
            paged=True,
        )


@extend_schema_view(
    get=extend_schema(
        operation_id="gemeente_detail",
        tags=["Geografie"],
        summary="Een gemeente",
        parameters=[_code("gemeente")],
        responses={200: serializers.GemeenteSerializer, **ERRORS_404},
    )
)
class GemeenteDetail(PublicView):
    def get(self, request: Request, code: str) -> HttpResponseBase:
        return self.cached(
            request,
            "gemeente",
            (code.upper(),),
            stamp=generations.stamp(),
            compute=lambda: public_data.gemeente_rows([filters.gemeente_or_404(code)])[
                0
            ],
        )


@extend_schema_view(
    get=extend_schema(
        operation_id="gemeente_wijken",
        tags=["Geografie"],
        summary="Wijken van een gemeente, met CBS-kerncijfers",
        description=(
            "Met `?format=geojson` (of Accept: application/geo+json) een GeoJSON "
            "FeatureCollection met de vorm van elke wijk (WGS84)."
        ),
        parameters=[_code("gemeente"), filters.GeoPageQuery],
        responses={
            (200, JSON): serializers.paginated(serializers.WijkSerializer),
            (200, GEO): serializers.FeatureCollectionSerializer,
            **_geo_errors(not_found=True),
        },
    )
)
class GemeenteWijken(PublicView):
    renderer_classes = [JSONRenderer, GeoJSONRenderer]

    def get(self, request: Request, code: str) -> HttpResponseBase:
        params = filters.check(filters.GeoPageQuery, request.query_params)
        geo = _is_geo(request)

        def compute() -> dict[str, Any]:
            gemeente = filters.gemeente_or_404(code)
            if geo:
                items = public_data.wijken_of(gemeente, geometry=True)
                return _geo_page_data(items, params, public_data.wijk_rows)
            items = public_data.wijken_of(gemeente)
            return _page_data(items, params, public_data.wijk_rows)

        return self.cached(
            request,
            "gemeente_wijken",
            (code.upper(), geo, *_params(params)),
            stamp=generations.stamp(),
            compute=compute,
            paged=True,
        )


@extend_schema_view(
    get=extend_schema(
        operation_id="wijk_detail",
        tags=["Geografie"],
        summary="Een wijk, met CBS-kerncijfers",
        parameters=[_code("wijk")],
        responses={200: serializers.WijkDetailSerializer, **ERRORS_404},
    )
)
class WijkDetail(PublicView):
    def get(self, request: Request, code: str) -> HttpResponseBase:
        def compute() -> dict[str, Any]:
            wijk = filters.wijk_or_404(code)
            row = public_data.wijk_rows([wijk])[0]
            row["buurt_count"] = len(wijk.active_buurten)  # type: ignore[attr-defined]
            row["buurten"] = [b.code for b in wijk.active_buurten]  # type: ignore[attr-defined]
            return row

        return self.cached(
            request, "wijk", (code.upper(),), stamp=generations.stamp(), compute=compute
        )


@extend_schema_view(
    get=extend_schema(
        operation_id="wijk_buurten",
        tags=["Geografie"],
        summary="Buurten van een wijk, met CBS-kerncijfers",
        description="Met `?format=geojson` een GeoJSON FeatureCollection (WGS84).",
        parameters=[_code("wijk"), filters.GeoPageQuery],
        responses={
            (200, JSON): serializers.paginated(serializers.BuurtSerializer),
            (200, GEO): serializers.FeatureCollectionSerializer,
            **_geo_errors(not_found=True),
        },
    )
)
class WijkBuurten(PublicView):
    renderer_classes = [JSONRenderer, GeoJSONRenderer]

    def get(self, request: Request, code: str) -> HttpResponseBase:
        params = filters.check(filters.GeoPageQuery, request.query_params)
        geo = _is_geo(request)

        def compute() -> dict[str, Any]:
            wijk = filters.wijk_or_404(code)
            items = public_data.buurten_of(wijk=wijk, geometry=geo)
            if geo:
                return _geo_page_data(items, params, public_data.buurt_rows)
            return _page_data(items, params, public_data.buurt_rows)

        return self.cached(
            request,
            "wijk_buurten",
            (code.upper(), geo, *_params(params)),
            stamp=generations.stamp(),
            compute=compute,
            paged=True,
        )


@extend_schema_view(
    get=extend_schema(
        operation_id="buurt_detail",
        tags=["Geografie"],
        summary="Een buurt, met CBS-kerncijfers",
        parameters=[_code("buurt")],
        responses={200: serializers.BuurtSerializer, **ERRORS_404},
    )
)
class BuurtDetail(PublicView):
    def get(self, request: Request, code: str) -> HttpResponseBase:
        return self.cached(
            request,
            "buurt",
            (code.upper(),),
            stamp=generations.stamp(),
            compute=lambda: public_data.buurt_rows([filters.buurt_or_404(code)])[0],
        )


# --- Initiatives ---------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        operation_id="initiatieven_list",
        tags=["Initiatieven"],
        summary="Initiatieven van bewoners",
        description=(
            "Alleen openbare initiatieven (nooit verborgen), nieuwste eerst. Namen van "
            "organisatoren zoals de openbare pagina ze toont."
        ),
        parameters=[filters.InitiativeQuery],
        responses={
            200: serializers.paginated(serializers.InitiativeSerializer),
            **ERRORS_404,
        },
    )
)
class InitiativeList(PublicView):
    def get(self, request: Request) -> HttpResponseBase:
        params = filters.check(filters.InitiativeQuery, request.query_params)
        found, covers = _area_filters(params)
        items = public_data.initiatives(
            thema_code=params.get("theme"), status=params.get("status"), **found
        )
        # The organisers are named: a changed name or a removed account shows at once.
        return self.cached(
            request,
            "initiatieven",
            _params(params),
            stamp=_stamp(covers, names=True),
            compute=lambda: _page_data(
                items,
                params,
                lambda objects: [public_data.initiative_row(i) for i in objects],
            ),
            paged=True,
        )


@extend_schema_view(
    get=extend_schema(
        operation_id="initiatief_detail",
        tags=["Initiatieven"],
        summary="Een initiatief",
        parameters=[_pk("initiatief")],
        responses={200: serializers.InitiativeDetailSerializer, **ERRORS_404},
    )
)
class InitiativeDetail(PublicView):
    def get(self, request: Request, pk: int) -> Response:
        item = initiatieven_queries.public_initiative_get(pk=pk)
        if item is None:
            raise Http404(gettext("Er is geen openbaar initiatief met dit nummer."))
        return Response(public_data.initiative_detail(item))


# --- Public themes -------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        operation_id="themas_list",
        tags=["Thema's"],
        summary="Openbare thema's en oproepen van wijkteams",
        description=(
            "Wat een wijkteam vaak ziet en openbaar maakte, in de woorden van het team "
            "(nooit tekst van signalen). `size` is k-anoniem."
        ),
        parameters=[filters.ThemeQuery],
        responses={
            200: serializers.paginated(serializers.ThemeSerializer),
            **ERRORS_404,
        },
    )
)
class ThemeList(PublicView):
    def get(self, request: Request) -> HttpResponseBase:
        params = filters.check(filters.ThemeQuery, request.query_params)
        found, covers = _area_filters(params)
        return self.cached(
            request,
            "themas",
            _params(params),
            stamp=_stamp(covers),
            compute=lambda: _page_data(
                answer_queries.public_themes(is_call=params.get("call"), **found),
                params,
                lambda objects: [public_data.theme_row(r) for r in objects],
            ),
            paged=True,
        )


@extend_schema_view(
    get=extend_schema(
        operation_id="thema_detail",
        tags=["Thema's"],
        summary="Een openbaar thema",
        parameters=[_pk("thema")],
        responses={200: serializers.ThemeDetailSerializer, **ERRORS_404},
    )
)
class ThemeDetail(PublicView):
    def get(self, request: Request, pk: int) -> Response:
        detail = answer_queries.public_theme_detail(pk)
        if detail is None:
            raise Http404(gettext("Er is geen openbaar thema met dit nummer."))
        return Response(public_data.theme_detail(detail))


# --- Signal counts -------------------------------------------------------------------

SIGNALS_DESCRIPTION = (
    "Aantallen signalen van het wijkteam, nooit de signalen zelf. Tijd is verdeeld in "
    "vaste blokken van vier weken (vanaf maandag 1 januari 2024); alleen hele blokken "
    "die voorbij zijn tellen. Een signaal telt in het blok (en de week) waarin het "
    "is gemeld, niet de dag waarop het is gezien; een blok dat voorbij is, verandert "
    "daarna nooit meer. Een aantal kleiner dan `k_anonymity` is verborgen "
    "(`count: null`, `hidden: true`), en ook een totaal dat een verborgen aantal zou "
    "verraden. Een periode heeft alleen een totaal als elk blok erin een totaal heeft."
)


@extend_schema_view(
    get=extend_schema(
        operation_id="wijk_signalen",
        tags=["Signalen (aantallen)"],
        summary="Signalen van een wijk per week en categorie, per blok van vier weken",
        description=SIGNALS_DESCRIPTION,
        parameters=[_code("wijk"), filters.WijkSignalQuery],
        responses={200: serializers.WijkSignalsSerializer, **ERRORS_404},
    )
)
class WijkSignals(PublicView):
    def get(self, request: Request, code: str) -> HttpResponseBase:
        params = filters.check(filters.WijkSignalQuery, request.query_params)
        wijk = filters.wijk_or_404(code)
        buurt = (
            filters.buurt_or_404(params["buurt"], wijk=wijk)
            if params.get("buurt")
            else None
        )
        query = SignalQuery(
            period=params["period"], category=params.get("category"), buurt=buurt
        )
        return self.cached(
            request,
            "wijk_signalen",
            (wijk.pk, query.period, query.category, buurt.pk if buurt else None),
            stamp=generations.stamp(wijk_ids=[wijk.pk]),
            compute=lambda: public_data.wijk_signals(wijk, query),
            by_day=True,
        )


@extend_schema_view(
    get=extend_schema(
        operation_id="gemeente_signalen",
        tags=["Signalen (aantallen)"],
        summary="Signalen per wijk van een gemeente, per blok van vier weken",
        description=SIGNALS_DESCRIPTION,
        parameters=[_code("gemeente"), filters.PeriodQuery],
        responses={200: serializers.GemeenteSignalsSerializer, **ERRORS_404},
    )
)
class GemeenteSignals(PublicView):
    def get(self, request: Request, code: str) -> HttpResponseBase:
        params = filters.check(filters.PeriodQuery, request.query_params)
        gemeente = filters.gemeente_or_404(code)
        return self.cached(
            request,
            "gemeente_signalen",
            (gemeente.pk, params["period"]),
            stamp=generations.stamp(gemeente_ids=[gemeente.pk]),
            compute=lambda: public_data.gemeente_signals(gemeente, params["period"]),
            by_day=True,
        )


@extend_schema_view(
    get=extend_schema(
        operation_id="wijk_plekken",
        tags=["Geografie"],
        summary="Het wijkteam en de plekken in een wijk",
        description=(
            "Contact van het wijkteam (telefoon, e-mail, inloopuren, adres) en plekken "
            "in de wijk (buurthuis, bibliotheek, huisarts, school ...) met "
            "openingstijden en een punt op de kaart (WGS84)."
        ),
        parameters=[_code("wijk")],
        responses={200: serializers.WijkPlacesSerializer, **ERRORS_404},
    )
)
class WijkPlaces(PublicView):
    def get(self, request: Request, code: str) -> HttpResponseBase:
        wijk = filters.wijk_or_404(code)

        def compute() -> dict[str, Any]:
            data = {
                "wijk": wijk.code,
                "contact": wijken_queries.contact_for_wijk(wijk),
                "places": wijken_queries.places_for_wijk(wijk),
            }
            return dict(serializers.WijkPlacesSerializer(data).data)

        return self.cached(
            request,
            "wijk_plekken",
            (wijk.pk,),
            stamp=generations.stamp(wijk_ids=[wijk.pk]),
            compute=compute,
        )
