"""Small geometry on GeoJSON (WGS84) outlines: how far a point lies from an area.

Distances are measured in a local flat projection around the point (metres east and
north), which is exact enough at the scale of a wijk.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import shapely
from shapely.errors import ShapelyError
from shapely.geometry import Point, shape

METRES_PER_DEGREE_LAT = 111_320.0


def distance_to_area_m(
    geometry: dict[str, Any] | None, *, lat: float, lon: float
) -> float | None:
    """Metres from the point to the area (0 inside it); None when the area has no
    usable outline."""
    if not geometry:
        return None
    try:
        area = shape(geometry)
    except (ShapelyError, ValueError, TypeError, KeyError, AttributeError, IndexError):
        return None
    if area.is_empty:
        return None
    origin = np.array([lon, lat])
    scale = np.array(
        [METRES_PER_DEGREE_LAT * math.cos(math.radians(lat)), METRES_PER_DEGREE_LAT]
    )
    local = shapely.transform(area, lambda coords: (coords - origin) * scale)
    if not local.is_valid:
        local = local.buffer(0)
    return float(local.distance(Point(0.0, 0.0)))
