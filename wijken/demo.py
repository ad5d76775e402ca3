"""Demostad: a fictional municipality to try Buurtwijs without real data.

Everything here is made up, and made to look it:

* **Code GM9901.** CBS numbers municipalities in order of creation; the highest code in
  2024 is GM1992, and CBS's own pseudo-municipality "Buitenland" is GM0998. Codes
  GM9900-GM9999 are far above anything CBS has issued, so a demo gemeente never clashes
  with a real import, yet it matches the pattern every page and URL expects.
* **In the Markermeer.** The town lies in open water between Edam and Lelystad (around
  5.20 E, 52.54 N), so a map can never be mistaken for a real town.
* **Deterministic.** Shapes and figures come from a seeded generator: the same seed
  gives the same plan, so loading it twice changes nothing.

The plan is built by pure functions (`demo_plan`); `demo_geography_load` writes it.
Some buurten are deliberately "vulnerable" (many elderly, many single-person households,
low income) so that features such as blind spots have something to find.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import shapely
from django.db import models, transaction
from shapely.geometry import MultiPoint, Point, Polygon, mapping
from shapely.geometry.polygon import orient

from wijken.models import Buurt, Gemeente, Kerncijfers, Level, Wijk

DEMO_CODE = "GM9901"
DEMO_NAME = "Demostad"
DEMO_SEED = 9901
DEMO_YEAR = 2024
DEMO_SOURCE = "Buurtwijs demo (verzonnen)"
# Only codes in this block may be generated: they can never be a real municipality.
DEMO_CODE_RE = re.compile(r"^GM99\d{2}$")

# Centre of the town (WGS84) and its half-width and half-height in metres.
CENTRE_LON = 5.20
CENTRE_LAT = 52.54
RADIUS_X_M = 4200.0
RADIUS_Y_M = 2700.0

# Profile of a buurt: age bands 0-15, 15-25, 25-45, 45-65, 65+ (relative weights), share
# of single-person households (%), income per inhabitant (x 1000 euro), inhabitants per
# km2, and the size of households with more than one person.
# fmt: off
PROFILES: dict[str, dict[str, Any]] = {
    "stad": {"ages": (8, 16, 38, 24, 14), "single": 58, "income": 31.0,
             "density": 4500, "multi": 2.4},
    "jong": {"ages": (10, 22, 40, 18, 10), "single": 52, "income": 27.0,
             "density": 3500, "multi": 2.4},
    "gezin": {"ages": (22, 11, 27, 27, 13), "single": 22, "income": 36.0,
              "density": 2200, "multi": 3.0},
    "gemengd": {"ages": (15, 11, 26, 28, 20), "single": 36, "income": 32.0,
                "density": 2500, "multi": 2.7},
    "ouderen": {"ages": (9, 8, 17, 30, 36), "single": 45, "income": 33.0,
                "density": 2200, "multi": 2.2},
    "kwetsbaar": {"ages": (10, 9, 18, 26, 37), "single": 66, "income": 21.5,
                  "density": 4000, "multi": 2.3},
    "landelijk": {"ages": (16, 10, 22, 32, 20), "single": 20, "income": 38.0,
                  "density": 150, "multi": 2.8},
}

# Wijken with the direction they lie in from the centre (degrees, 0 = east, None = the
# centre itself) and their buurten with a profile each.
WIJKEN: list[tuple[str, float | None, list[tuple[str, str]]]] = [
    ("Centrum", None, [
        ("Binnenstad", "stad"), ("Marktkwartier", "stad"),
        ("Kerkbuurt", "kwetsbaar"), ("Stationsbuurt", "jong"),
    ]),
    ("Oosterpark", 18, [
        ("Parkzoom", "gezin"), ("Vogelbuurt", "gezin"),
        ("Oosterhof", "ouderen"), ("Bloemenbuurt", "gemengd"),
    ]),
    ("De Vaart", -54, [
        ("Vaartkant", "gemengd"), ("Sluisbuurt", "kwetsbaar"), ("Kadebuurt", "gemengd"),
        ("Schippersbuurt", "gezin"), ("Jaagpad", "ouderen"),
    ]),
    ("Het Weiland", -126, [
        ("Weidehoek", "gezin"), ("Slotenbuurt", "gezin"), ("Boerenerf", "landelijk"),
    ]),
    ("Molenbuurt", 162, [
        ("Molenhof", "kwetsbaar"), ("Korenbuurt", "gemengd"),
        ("Zaagmolen", "gezin"), ("Meelzolder", "jong"),
    ]),
    ("Noorderhaven", 90, [
        ("Havenkwartier", "jong"), ("Dijkzicht", "gemengd"), ("Noorderstrand", "ouderen"),
    ]),
]
# fmt: on
# The buurten made to look vulnerable, by name (for tests and documentation).
VULNERABLE_BUURTEN = tuple(
    name
    for _, _, buurten in WIJKEN
    for name, profile in buurten
    if profile == "kwetsbaar"
)

AGE_FIELDS = (
    "pct_age_0_15",
    "pct_age_15_25",
    "pct_age_25_45",
    "pct_age_45_65",
    "pct_age_65_plus",
)


class DemoError(Exception):
    """The demo cannot be loaded as asked (a bad code, or it would overwrite real data)."""


@dataclass(frozen=True)
class Figures:
    """CBS-like key figures of one area; the names are those of `Kerncijfers`."""

    inhabitants: int
    men: int
    women: int
    households: int
    avg_household_size: float
    pct_age_0_15: float
    pct_age_15_25: float
    pct_age_25_45: float
    pct_age_45_65: float
    pct_age_65_plus: float
    pct_single_person_households: float
    population_density: float
    income_per_inhabitant: float

    def as_fields(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class AreaPlan:
    level: str
    code: str
    name: str
    geometry: dict[str, Any]
    area_km2: float
    figures: Figures
    parent_code: str | None = None


@dataclass(frozen=True)
class DemoPlan:
    gemeente: AreaPlan
    wijken: list[AreaPlan]
    buurten: list[AreaPlan]

    @property
    def areas(self) -> list[AreaPlan]:
        return [self.gemeente, *self.wijken, *self.buurten]


@dataclass
class LoadReport:
    """How many rows a load created, changed and left as they were."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    counts: dict[str, int] = field(default_factory=dict)


# --- Pure functions: the plan ---------------------------------------------------------


def demo_plan(
    *, code: str = DEMO_CODE, name: str = DEMO_NAME, seed: int = DEMO_SEED
) -> DemoPlan:
    """Build the whole fictional municipality: shapes, codes and figures."""
    if not DEMO_CODE_RE.match(code):
        raise DemoError(
            f"Demo code {code!r} is not in the GM9900-GM9999 block reserved for demos."
        )
    rng = random.Random(seed)  # noqa: S311 (made-up figures, not cryptography)
    digits = code[2:]
    outline = _outline(rng)
    wijk_cells = _wijk_cells(rng, outline)

    wijken: list[AreaPlan] = []
    buurten: list[AreaPlan] = []
    for index, ((wijk_name, _, buurt_specs), wijk_cell) in enumerate(
        zip(WIJKEN, wijk_cells, strict=True), start=1
    ):
        wijk_code = f"WK{digits}{index:02d}"
        wijk_buurten: list[AreaPlan] = []
        cells = _split(rng, wijk_cell, len(buurt_specs))
        for b_index, ((buurt_name, profile), cell) in enumerate(
            zip(buurt_specs, cells, strict=True), start=1
        ):
            area_km2 = cell.area / 1e6
            wijk_buurten.append(
                AreaPlan(
                    level=Level.BUURT,
                    code=f"BU{digits}{index:02d}{b_index:02d}",
                    name=buurt_name,
                    geometry=_geojson(cell),
                    area_km2=area_km2,
                    figures=buurt_figures(rng, profile=profile, area_km2=area_km2),
                    parent_code=wijk_code,
                )
            )
        wijk_km2 = wijk_cell.area / 1e6
        wijken.append(
            AreaPlan(
                level=Level.WIJK,
                code=wijk_code,
                name=wijk_name,
                geometry=_geojson(wijk_cell),
                area_km2=wijk_km2,
                figures=aggregate_figures(
                    [b.figures for b in wijk_buurten], area_km2=wijk_km2
                ),
                parent_code=code,
            )
        )
        buurten.extend(wijk_buurten)

    gemeente_km2 = outline.area / 1e6
    gemeente = AreaPlan(
        level=Level.GEMEENTE,
        code=code,
        name=name,
        geometry=_geojson(outline),
        area_km2=gemeente_km2,
        figures=aggregate_figures([b.figures for b in buurten], area_km2=gemeente_km2),
    )
    return DemoPlan(gemeente=gemeente, wijken=wijken, buurten=buurten)


def buurt_figures(rng: random.Random, *, profile: str, area_km2: float) -> Figures:
    """Figures for one buurt of the given profile, with a little seeded variation."""
    spec = PROFILES[profile]
    ages = percentages([max(w + rng.uniform(-2.0, 2.0), 1.0) for w in spec["ages"]])
    single = round(spec["single"] + rng.uniform(-3.0, 3.0))
    income = round(spec["income"] + rng.uniform(-1.5, 1.5), 1)
    density = spec["density"] * rng.uniform(0.85, 1.15)
    # CBS rounds counts of small areas to fives.
    inhabitants = max(_round5(density * area_km2), 50)
    # More children means larger families; more elderly means more women.
    multi = spec["multi"] + 0.04 * (ages[0] - 15)
    avg_size = single / 100 + (1 - single / 100) * multi
    households = max(_round5(inhabitants / avg_size), 5)
    men = _round5(inhabitants * (0.505 - ages[4] / 1000))
    return Figures(
        inhabitants=inhabitants,
        men=men,
        women=inhabitants - men,
        households=households,
        avg_household_size=round(inhabitants / households, 1),
        **dict(zip(AGE_FIELDS, (float(a) for a in ages), strict=True)),
        pct_single_person_households=float(single),
        population_density=float(round(inhabitants / area_km2)),
        income_per_inhabitant=income,
    )


def demo_extra(figures: Figures) -> dict[str, float]:
    """Figures CBS keeps under its own keys (`Kerncijfers.extra`): households with a
    low income and with children, derived from income and children so the demo's
    "wie horen we niet?" (dashboard/representation.py) has them to compare with."""
    low_income = min(max(round(8 + (36 - figures.income_per_inhabitant) * 1.6), 3), 40)
    children = min(max(round(figures.pct_age_0_15 * 1.5 + 3), 5), 50)
    return {"p_hh_li": float(low_income), "p_hh_m_k": float(children)}


def aggregate_figures(parts: Sequence[Figures], *, area_km2: float) -> Figures:
    """Figures of a larger area from those of its parts, as CBS would publish them."""
    inhabitants = sum(p.inhabitants for p in parts)
    households = sum(p.households for p in parts)
    ages = percentages(
        [sum(getattr(p, name) * p.inhabitants for p in parts) for name in AGE_FIELDS]
    )
    single = (
        sum(p.pct_single_person_households * p.households for p in parts) / households
    )
    income = sum(p.income_per_inhabitant * p.inhabitants for p in parts) / inhabitants
    return Figures(
        inhabitants=inhabitants,
        men=sum(p.men for p in parts),
        women=sum(p.women for p in parts),
        households=households,
        avg_household_size=round(inhabitants / households, 1),
        **dict(zip(AGE_FIELDS, (float(a) for a in ages), strict=True)),
        pct_single_person_households=float(round(single)),
        population_density=float(round(inhabitants / area_km2)),
        income_per_inhabitant=round(income, 1),
    )


def percentages(weights: Sequence[float]) -> list[int]:
    """Whole percentages that add up to exactly 100 (largest remainder)."""
    total = sum(weights)
    raw = [w * 100 / total for w in weights]
    result = [math.floor(r) for r in raw]
    by_remainder = sorted(
        range(len(raw)), key=lambda i: raw[i] - result[i], reverse=True
    )
    for i in by_remainder[: 100 - sum(result)]:
        result[i] += 1
    return result


def _round5(value: float) -> int:
    return int(round(value / 5) * 5)


# Geometry is made in metres around the centre, then turned into WGS84.


def _outline(rng: random.Random) -> Polygon:
    """A convex, slightly irregular town outline (convex, so every Voronoi cell cut
    from it is one piece)."""
    points = []
    for i in range(28):
        angle = 2 * math.pi * (i + rng.uniform(-0.3, 0.3)) / 28
        factor = 1 + rng.uniform(-0.07, 0.07)
        points.append(
            (
                RADIUS_X_M * factor * math.cos(angle),
                RADIUS_Y_M * factor * math.sin(angle),
            )
        )
    hull = MultiPoint(points).convex_hull
    assert isinstance(hull, Polygon)
    return hull


def _wijk_cells(rng: random.Random, outline: Polygon) -> list[Polygon]:
    """One cell per wijk: the centre wijk in the middle, the others around it in their
    compass direction."""
    seeds = []
    for _, direction, _ in WIJKEN:
        if direction is None:
            x, y = 0.0, 0.0
        else:
            angle = math.radians(direction + rng.uniform(-6, 6))
            reach = rng.uniform(0.58, 0.66)
            x = RADIUS_X_M * reach * math.cos(angle)
            y = RADIUS_Y_M * reach * math.sin(angle)
        seeds.append(Point(x + rng.uniform(-150, 150), y + rng.uniform(-150, 150)))
    return _voronoi(seeds, outline)


def _split(rng: random.Random, cell: Polygon, count: int) -> list[Polygon]:
    """Split a cell into `count` convex parts of similar size (a few rounds of Lloyd's
    relaxation over random seeds)."""
    min_x, min_y, max_x, max_y = cell.bounds
    seeds: list[Point] = []
    while len(seeds) < count:
        point = Point(rng.uniform(min_x, max_x), rng.uniform(min_y, max_y))
        if cell.contains(point):
            seeds.append(point)
    for _ in range(4):
        seeds = [part.centroid for part in _voronoi(seeds, cell)]
    return _voronoi(seeds, cell)


def _voronoi(seeds: list[Point], within: Polygon) -> list[Polygon]:
    """The Voronoi cells of the seeds cut to `within`, in the order of the seeds."""
    cells = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=within).geoms
    result = []
    for seed in seeds:
        cell = next(c for c in cells if c.contains(seed))
        part = cell.intersection(within)
        assert isinstance(part, Polygon)
        result.append(part)
    return result


def _to_wgs84(x: float, y: float) -> tuple[float, float]:
    lon = CENTRE_LON + x / (111_320 * math.cos(math.radians(CENTRE_LAT)))
    lat = CENTRE_LAT + y / 110_574
    return round(lon, 6), round(lat, 6)


def _geojson(shape: Polygon) -> dict[str, Any]:
    """A GeoJSON Polygon in WGS84 with plain lists and 6 decimals (about 10 cm), its
    outer ring counter-clockwise as RFC 7946 asks."""
    exterior: list[tuple[float, float]] = []
    for x, y in shape.exterior.coords:
        point = _to_wgs84(x, y)
        if not exterior or exterior[-1] != point:
            exterior.append(point)
    polygon = orient(Polygon(exterior), sign=1.0)
    ring = mapping(polygon)["coordinates"][0]
    return {"type": "Polygon", "coordinates": [[[lon, lat] for lon, lat in ring]]}


# --- The write: put the plan in the database -------------------------------------------


def demo_geography_load(*, plan: DemoPlan) -> tuple[Gemeente, LoadReport]:
    """Create or update the demo gemeente, its wijken, buurten and key figures.

    Rows are matched by CBS code and only saved when something differs, so a second
    run changes nothing. A real (non-demo) gemeente with the same code is never touched.
    """
    report = LoadReport()
    code = plan.gemeente.code
    with transaction.atomic():
        existing = Gemeente.objects.filter(code=code).first()
        if existing is not None and not existing.is_demo:
            raise DemoError(
                f"Gemeente {code} exists and is not a demo; the demo never overwrites it."
            )
        gemeente = _upsert(
            Gemeente,
            [(code, _area_values(plan.gemeente) | {"is_demo": True})],
            report,
        )[code]
        wijken = _upsert(
            Wijk,
            [
                (w.code, _area_values(w) | {"gemeente_id": gemeente.pk})
                for w in plan.wijken
            ],
            report,
        )
        _upsert(
            Buurt,
            [
                (b.code, _area_values(b) | {"wijk_id": wijken[str(b.parent_code)].pk})
                for b in plan.buurten
            ],
            report,
        )
        _upsert(
            Kerncijfers,
            [
                (
                    a.code,
                    {
                        "level": a.level,
                        "source": DEMO_SOURCE,
                        "extra": demo_extra(a.figures),
                    }
                    | a.figures.as_fields(),
                )
                for a in plan.areas
            ],
            report,
            year=DEMO_YEAR,
        )
    report.counts = {
        "wijken": len(plan.wijken),
        "buurten": len(plan.buurten),
        "kerncijfers": len(plan.areas),
    }
    return gemeente, report


def _area_values(area: AreaPlan) -> dict[str, Any]:
    return {
        "name": area.name,
        "geometry": area.geometry,
        "is_active": True,
        "source": DEMO_SOURCE,
    }


def _upsert(
    model: type[models.Model],
    rows: list[tuple[str, dict[str, Any]]],
    report: LoadReport,
    **lookup: Any,
) -> dict[str, Any]:
    """Create missing rows and save changed ones; return them by code."""
    existing = {
        obj.code: obj  # type: ignore[attr-defined]
        for obj in model._default_manager.filter(
            code__in=[code for code, _ in rows], **lookup
        )
    }
    result: dict[str, Any] = {}
    for code, values in rows:
        obj = existing.get(code)
        if obj is None:
            obj = model._default_manager.create(code=code, **lookup, **values)
            report.created += 1
        else:
            changed = [
                name for name, value in values.items() if getattr(obj, name) != value
            ]
            if changed:
                for name in changed:
                    setattr(obj, name, values[name])
                obj.save(update_fields=[*changed, "updated_at"])
                report.updated += 1
            else:
                report.unchanged += 1
        result[code] = obj
    return result
