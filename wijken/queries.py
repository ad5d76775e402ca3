"""Reads of geography and key figures, for our own pages and for the apps above."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from wijken.models import Buurt, Gemeente, Kerncijfers, Wijk


def gemeenten_active() -> QuerySet[Gemeente]:
    return (
        Gemeente.objects.filter(is_active=True)
        .annotate(wijk_count=Count("wijken", filter=Q(wijken__is_active=True)))
        .order_by("name")
    )


def gemeenten_search(*, term: str) -> QuerySet[Gemeente]:
    return gemeenten_active().filter(Q(name__icontains=term) | Q(code__iexact=term))


def wijken_search(*, term: str) -> QuerySet[Wijk]:
    """Active wijken by name or code, for "find your wijk"."""
    return (
        Wijk.objects.filter(is_active=True)
        .filter(Q(name__icontains=term) | Q(code__iexact=term))
        .select_related("gemeente")
        .order_by("name", "gemeente__name")
    )


def gemeente_get(*, code: str) -> Gemeente | None:
    return Gemeente.objects.filter(code=code.upper()).first()


def wijken_for_gemeente(*, gemeente: Gemeente) -> QuerySet[Wijk]:
    return (
        gemeente.wijken.filter(is_active=True)
        .annotate(buurt_count=Count("buurten", filter=Q(buurten__is_active=True)))
        .order_by("code")
    )


def wijk_get(*, code: str) -> Wijk | None:
    return (
        Wijk.objects.select_related("gemeente")
        .prefetch_related(
            Prefetch(
                "buurten",
                queryset=Buurt.objects.filter(is_active=True).order_by("code"),
                to_attr="active_buurten",
            )
        )
        .filter(code=code.upper())
        .first()
    )


def figures_latest(*, codes: list[str]) -> dict[str, Kerncijfers]:
    """Return the most recent key figures for each code that has any."""
    latest: dict[str, Kerncijfers] = {}
    for row in Kerncijfers.objects.filter(code__in=codes).order_by("code", "-year"):
        latest.setdefault(row.code, row)
    return latest


def feature_collection(
    areas: list[Any], *, figures: dict[str, Kerncijfers] | None = None
) -> dict[str, Any]:
    """GeoJSON FeatureCollection of areas that have a geometry, for the Leaflet maps."""
    features = []
    for area in areas:
        if not area.geometry:
            continue
        props: dict[str, Any] = {
            "code": area.code,
            "name": area.name,
            "url": area.get_absolute_url() if hasattr(area, "get_absolute_url") else "",
        }
        if figures and area.code in figures:
            props["inhabitants"] = figures[area.code].inhabitants
        features.append(
            {"type": "Feature", "geometry": area.geometry, "properties": props}
        )
    return {"type": "FeatureCollection", "features": features}
