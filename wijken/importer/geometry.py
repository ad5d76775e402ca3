"""Coordinate systems, RD New to WGS84, GeoPackage binary and outline repair."""

from __future__ import annotations

import re
import struct
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import shapely
import shapely.wkb
from numpy.typing import NDArray
from pyproj import Transformer
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from wijken.importer.errors import CBSImportError

DECIMALS = 6  # ~0.1 m: far below the accuracy of the CBS outlines
RD_EPSG = frozenset({28992, 7415})  # RD New, and RD New + NAP height
WGS84_EPSG = frozenset({4326})
# Where RD New coordinates of the Netherlands can lie (metres), with a margin.
RD_BOUNDS = (-10_000.0, 280_000.0, 310_000.0, 640_000.0)


def _geojson_is_rd(data: dict[str, Any], features: list[Any], *, path: Path) -> bool:
    crs = data.get("crs")
    if crs is not None:
        name = ""
        if isinstance(crs, dict) and isinstance(crs.get("properties"), dict):
            name = str(crs["properties"].get("name", ""))
        if "CRS84" in name.upper():
            return False
        match = re.search(r"EPSG:+(\d+)", name, re.IGNORECASE)
        epsg = int(match.group(1)) if match else None
        if epsg in RD_EPSG:
            return True
        if epsg in WGS84_EPSG:
            return False
        raise CBSImportError(
            f"coordinate system {name or crs!r} is not supported: "
            "expected WGS84 or RD New (EPSG:28992)",
            path=path,
        )
    # RFC 7946 GeoJSON has no crs member and means WGS84, but files exported
    # from GIS tools often drop it while keeping RD coordinates: look at the
    # numbers. Degrees never exceed 180; RD metres in the Netherlands always do.
    for feature in features:
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        first = _first_position(geometry)
        if first is not None:
            return abs(first[0]) > 180 or abs(first[1]) > 90
    return False


def _srs_is_rd(entry: tuple[str, Any] | None, srs_id: int, *, path: Path) -> bool:
    if entry is not None and entry[0] == "EPSG":
        if entry[1] in RD_EPSG:
            return True
        if entry[1] in WGS84_EPSG:
            return False
    raise CBSImportError(
        f"coordinate system srs_id {srs_id} is not supported: "
        "expected WGS84 or RD New (EPSG:28992)",
        path=path,
    )


@cache
def _rd_to_wgs84() -> Transformer:
    # Building a transformer loads the PROJ grids; once per process is enough.
    return Transformer.from_crs(28992, 4326, always_xy=True)


def _round(coords: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.round(coords, DECIMALS)


def _rd_coords_to_wgs84(coords: NDArray[np.float64]) -> NDArray[np.float64]:
    lon, lat = _rd_to_wgs84().transform(coords[:, 0], coords[:, 1])
    return np.round(np.column_stack((lon, lat)), DECIMALS)


def _geometry_to_geojson(
    geometry: BaseGeometry, *, rd: bool
) -> tuple[dict[str, Any], bool]:
    """GeoJSON in WGS84 with 6 decimals, repaired if invalid; and whether it was."""
    if geometry.geom_type not in ("Polygon", "MultiPolygon"):
        raise ValueError(f"geometry is a {geometry.geom_type}, not an area")
    min_x, min_y, max_x, max_y = geometry.bounds
    if rd:
        lo_x, lo_y, hi_x, hi_y = RD_BOUNDS
        if not (lo_x <= min_x and max_x <= hi_x and lo_y <= min_y and max_y <= hi_y):
            raise ValueError(
                "coordinates are not RD New coordinates in the Netherlands"
            )
        geometry = shapely.transform(geometry, _rd_coords_to_wgs84)
    else:
        if not (min_x >= -180 and max_x <= 180 and min_y >= -90 and max_y <= 90):
            raise ValueError("coordinates are not WGS84 degrees")
        geometry = shapely.transform(geometry, _round)
    repaired = False
    # The generalised CBS outlines contain self-intersections and slivers; a valid
    # outline keeps later point-in-area and area computations honest.
    if not geometry.is_valid:
        geometry = shapely.transform(_polygonal(shapely.make_valid(geometry)), _round)
        repaired = True
    return dict(mapping(geometry)), repaired


def _polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """Only the area parts: make_valid may add the lines and points it cut off."""
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    polygons: list[Any] = []
    for part in getattr(geometry, "geoms", []):
        if part.geom_type == "Polygon":
            polygons.append(part)
        elif part.geom_type == "MultiPolygon":
            polygons.extend(part.geoms)
    if not polygons:
        raise ValueError("geometry has no area left after repair")
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)


def _first_position(geometry: Any) -> tuple[float, float] | None:
    if not isinstance(geometry, dict):
        return None
    coords: Any = geometry.get("coordinates")
    while isinstance(coords, list) and coords and isinstance(coords[0], list):
        coords = coords[0]
    if isinstance(coords, list) and len(coords) >= 2:
        try:
            return float(coords[0]), float(coords[1])
        except (TypeError, ValueError):
            return None
    return None


# Envelope indicator -> bytes of envelope after the 8-byte header (GeoPackage 2.1.3).
_ENVELOPE_SIZES = (0, 32, 48, 48, 64)


def _gpkg_geometry(blob: bytes) -> tuple[BaseGeometry | None, int]:
    """Decode GeoPackage binary: 'GP', version, flags, srs_id, envelope, then WKB."""
    if len(blob) < 8 or blob[:2] != b"GP":
        raise ValueError("not GeoPackage binary geometry")
    if blob[2] != 0:
        raise ValueError(f"GeoPackage geometry version {blob[2] + 1} is not supported")
    flags = blob[3]
    envelope = (flags >> 1) & 0b111
    if envelope >= len(_ENVELOPE_SIZES):
        raise ValueError(f"invalid envelope indicator {envelope}")
    (srs_id,) = struct.unpack("<i" if flags & 1 else ">i", blob[4:8])
    if flags & 0b10000:  # empty geometry
        return None, srs_id
    return shapely.wkb.loads(blob[8 + _ENVELOPE_SIZES[envelope] :]), srs_id
