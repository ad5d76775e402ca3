"""Import CBS/PDOK geography and key figures: gemeenten, wijken, buurten, Kerncijfers.

Reads the official download formats: GeoJSON (WGS84 or RD New), the PDOK GeoPackage
and the CBS key-figure CSVs. Every file is read and checked completely before anything
is written, and all writes of one import share a transaction: a bad file changes
nothing. Areas are upserted by CBS code, so running an import twice updates instead of
duplicating; areas that disappear from a map covering their gemeente are deactivated,
never deleted, because signals, initiatives and teams point at them. Maps own the
geography; a key-figure CSV only adds the areas it names that do not exist yet.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import sqlite3
import struct
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import shapely
import shapely.wkb
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from numpy.typing import NDArray
from pyproj import Transformer
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from wijken.models import Buurt, Gemeente, Kerncijfers, Level, Wijk

GEMEENTE = Level.GEMEENTE.value
WIJK = Level.WIJK.value
BUURT = Level.BUURT.value
LEVELS = (GEMEENTE, WIJK, BUURT)
FIGURES = "kerncijfers"

# Since 2022 Amsterdam numbers its wijken and buurten with letters (WK0363AA,
# BU0363AA01), so only the gemeente part of a wijk or buurt code is all digits.
CODE_PATTERNS = {
    GEMEENTE: re.compile(r"GM\d{4}"),
    WIJK: re.compile(r"WK\d{4}[0-9A-Z]{2}"),
    BUURT: re.compile(r"BU\d{4}[0-9A-Z]{4}"),
}
CODE_SHAPES = {
    GEMEENTE: "GM + 4 digits",
    WIJK: "WK + 6 digits or letters",
    BUURT: "BU + 8 digits or letters",
}
CODE_PROPERTY = {GEMEENTE: "gemeentecode", WIJK: "wijkcode", BUURT: "buurtcode"}
NAME_PROPERTY = {GEMEENTE: "gemeentenaam", WIJK: "wijknaam", BUURT: "buurtnaam"}

# CBS's pseudo-municipality for areas abroad (the Belgian enclaves in Baarle-Nassau):
# no Dutch wijkteam works there, so it is left out and counted as skipped.
PSEUDO_GEMEENTEN = {"GM0998": "Buitenland"}

# A file is national when it is not filtered and names at least this many gemeenten
# (the Netherlands has had more than 340 for decades; no regional file comes close).
# Only then can a gemeente missing from it be taken as merged away.
NATIONAL_MIN_GEMEENTEN = 300

# Kerncijfers column <- the names CBS and PDOK use for it, in order of preference:
# PDOK wijk- en buurtkaart, the national files' short names, the 85984NED CSV.
FIGURE_SOURCES: dict[str, tuple[str, ...]] = {
    "inhabitants": ("aantal_inwoners", "d_inwoners"),
    "men": ("mannen",),
    "women": ("vrouwen",),
    "households": ("aantal_huishoudens", "huishoudens", "d_huishoudens"),
    "avg_household_size": (
        "gemiddelde_huishoudsgrootte",
        "gem_huishouden_grootte",
        "d_huishoudensgrootte",
    ),
    "pct_age_0_15": ("percentage_personen_0_tot_15_jaar", "0_15"),
    "pct_age_15_25": ("percentage_personen_15_tot_25_jaar", "15_25"),
    "pct_age_25_45": ("percentage_personen_25_tot_45_jaar", "25_45"),
    "pct_age_45_65": ("percentage_personen_45_tot_65_jaar", "45_65"),
    "pct_age_65_plus": ("percentage_personen_65_jaar_en_ouder", "65plus"),
    "pct_single_person_households": (
        "percentage_eenpersoonshuishoudens",
        "pct_eenpersoonshhd",
    ),
    "population_density": (
        "bevolkingsdichtheid_inwoners_per_km2",
        "bevolkingsdichtheid",
        "d_dichtheid",
    ),
    "income_per_inhabitant": (
        "gemiddeld_inkomen_per_inwoner",
        "gem_inkomen_inwoner",
        "d_inkomenPerInwoner",
    ),
}
FIGURE_FIELDS = tuple(FIGURE_SOURCES)
FIELD_FOR_SOURCE = {
    source: name for name, sources in FIGURE_SOURCES.items() for source in sources
}
INTEGER_FIGURES = frozenset({"inhabitants", "men", "women", "households"})
# The 85984NED CSV gives these age groups as counts; the column wants a percentage.
# The count itself is kept in `extra` too.
COUNT_TO_PERCENTAGE = {
    "d_inwoners65plus": "pct_age_65_plus",
    "d_inwoners0tot15": "pct_age_0_15",
}
# Postcodes look like numbers but are names of places.
STRING_PROPERTIES = frozenset({"d_postcode", "meest_voorkomende_postcode"})
# Properties that identify the area or the record, not figures about it.
META_PROPERTIES = frozenset(
    {
        "buurtcode",
        "buurtnaam",
        "wijkcode",
        "wijknaam",
        "gemeentecode",
        "gemeentenaam",
        "jaarstatcode",
        "fid",
        "level",
        "code",
        "naam",
    }
)
# StatLine's marks for "unknown" and "secret" in text downloads.
UNKNOWN_MARKS = frozenset({".", "x", "X", "-", "?"})

KERNCIJFERS_CSV_COLUMNS = frozenset({"level", "code", "naam", "gemeentecode"})
INDICATORS_CSV_COLUMNS = frozenset({"gemeentecode", "gemeentenaam"})

DECIMALS = 6  # ~0.1 m: far below the accuracy of the CBS outlines
RD_EPSG = frozenset({28992, 7415})  # RD New, and RD New + NAP height
WGS84_EPSG = frozenset({4326})
# Where RD New coordinates of the Netherlands can lie (metres), with a margin.
RD_BOUNDS = (-10_000.0, 280_000.0, 310_000.0, 640_000.0)
BATCH_SIZE = 500
MAX_PROBLEMS_SHOWN = 5
SOURCE_PREFIX = "CBS/PDOK "

ProgressCallback = Callable[[str, int, int], None]
"""Called as progress(stage, done, total) while reading and writing."""


class CBSImportError(Exception):
    """A file cannot be imported; nothing was written."""

    def __init__(self, problem: str, *, path: Path | str | None = None) -> None:
        self.path = str(path) if path is not None else None
        self.problem = problem
        super().__init__(f"{self.path}: {problem}" if self.path else problem)


@dataclass
class AreaRecord:
    """One gemeente, wijk or buurt as a file describes it."""

    code: str
    name: str | None = None
    parent_code: str | None = None
    geometry: dict[str, Any] | None = None
    # False for parents known only from a child's properties: they fill gaps but
    # never override what the area's own feature says.
    primary: bool = False


@dataclass
class FigureRecord:
    level: str
    code: str
    year: int
    values: dict[str, int | float]
    extra: dict[str, Any]


@dataclass
class ParsedFile:
    path: Path
    kind: str
    crs: str
    rows: int
    year: int | None = None
    areas: dict[str, dict[str, AreaRecord]] = field(
        default_factory=lambda: {level: {} for level in LEVELS}
    )
    figures: list[FigureRecord] = field(default_factory=list)
    # Per level, the gemeenten whose complete set of areas of that level is in the
    # file: their areas missing from it are deactivated.
    covered: dict[str, set[str]] = field(
        default_factory=lambda: {level: set() for level in LEVELS}
    )
    national: bool = False
    # Maps own the geography. A key-figure table (possibly of an older year, loaded
    # for trends) only adds the areas that are missing, and never renames, moves or
    # reactivates one.
    creates_only: bool = False
    skipped_filter: int = 0
    skipped_pseudo: int = 0
    skipped_water: int = 0
    repaired_geometries: int = 0

    def summary(self) -> str:
        parts = [f"{self.path.name}: {self.kind}"]
        if self.crs:
            parts.append(self.crs)
        if self.year:
            parts.append(f"year {self.year}")
        parts.append(f"{self.rows} {'rows' if 'CSV' in self.kind else 'features'}")
        if self.skipped_pseudo:
            names = ", ".join(f"{c} {n}" for c, n in PSEUDO_GEMEENTEN.items())
            parts.append(f"{self.skipped_pseudo} skipped as not Dutch ({names})")
        if self.skipped_water:
            parts.append(
                f"{self.skipped_water} water parts left out (the land outline is kept)"
            )
        if self.skipped_filter:
            parts.append(f"{self.skipped_filter} outside the --gemeente filter")
        if self.repaired_geometries:
            parts.append(f"{self.repaired_geometries} invalid outlines repaired")
        if self.national:
            parts.append("national")
        return ", ".join(parts)


@dataclass
class LevelCounts:
    created: int = 0
    updated: int = 0
    deactivated: int = 0


@dataclass
class ImportReport:
    files: list[ParsedFile]
    counts: dict[str, LevelCounts] = field(
        default_factory=lambda: {key: LevelCounts() for key in (*LEVELS, FIGURES)}
    )
    dry_run: bool = False


# --- Public API ---------------------------------------------------------------------


def cbs_import(
    *,
    paths: Sequence[Path | str],
    gemeenten: Iterable[str] = (),
    year: int | None = None,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Read all files, then write them in one transaction (rolled back on dry_run).

    Raises CBSImportError, with nothing written, when any file cannot be used.
    """
    if not paths:
        raise CBSImportError("no files given")
    wanted = gemeente_filter_clean(codes=gemeenten)
    if year is not None and not 1900 <= year <= 2100:
        raise CBSImportError(f"--year {year} is not a plausible CBS year")
    parsed = [
        cbs_file_parse(path=path, gemeenten=wanted, year=year, progress=progress)
        for path in paths
    ]
    if wanted:
        found = set().union(*(p.areas[GEMEENTE] for p in parsed))
        if missing := sorted(wanted - found):
            raise CBSImportError(
                f"--gemeente {', '.join(missing)} does not occur in "
                f"{'this file' if len(paths) == 1 else 'any of these files'}"
            )
    report = ImportReport(files=parsed, dry_run=dry_run)
    with transaction.atomic():
        for parsed_file in parsed:
            _write(parsed=parsed_file, counts=report.counts, progress=progress)
        if dry_run:
            transaction.set_rollback(True)
    return report


def gemeente_filter_clean(*, codes: Iterable[str]) -> frozenset[str]:
    cleaned = {code.strip().upper() for code in codes}
    if bad := sorted(c for c in cleaned if not CODE_PATTERNS[GEMEENTE].fullmatch(c)):
        raise CBSImportError(
            f"--gemeente {', '.join(bad)}: a gemeentecode is GM + 4 digits (GM0439)"
        )
    return frozenset(cleaned)


def cbs_file_parse(
    *,
    path: Path | str,
    gemeenten: frozenset[str] = frozenset(),
    year: int | None = None,
    progress: ProgressCallback | None = None,
) -> ParsedFile:
    """Read and check one file without touching the database."""
    path = Path(path)
    if not path.exists():
        raise CBSImportError("file does not exist", path=path)
    if not path.is_file():
        raise CBSImportError("is not a file", path=path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise CBSImportError(f"cannot be read ({exc.strerror})", path=path) from exc
    if size == 0:
        raise CBSImportError("the file is empty (0 bytes)", path=path)
    suffix = path.suffix.lower()
    parser = _Parser(path=path, gemeenten=gemeenten, year=year, progress=progress)
    try:
        if suffix in (".geojson", ".json"):
            return parser.parse_geojson()
        if suffix == ".gpkg":
            return parser.parse_geopackage()
        if suffix == ".csv":
            return parser.parse_csv()
    except OSError as exc:
        raise CBSImportError(f"cannot be read ({exc.strerror})", path=path) from exc
    raise CBSImportError(
        f"unknown file type {suffix or '(no extension)'}: "
        "expected .geojson, .json, .gpkg or .csv",
        path=path,
    )


# --- Reading ------------------------------------------------------------------------


@dataclass
class _RawFeature:
    number: int  # 1-based, for messages
    properties: Mapping[str, Any]
    geometry: BaseGeometry | None
    rd: bool


class _Parser:
    """Turns one file into a ParsedFile, collecting problems to report them together."""

    def __init__(
        self,
        *,
        path: Path,
        gemeenten: frozenset[str],
        year: int | None,
        progress: ProgressCallback | None,
    ) -> None:
        self.path = path
        self.gemeenten = gemeenten
        self.year_option = year
        self.progress = progress
        self.problems: list[str] = []
        self.seen: dict[str, int] = {}
        self.land_codes: set[str] = set()

    def fail(self, problem: str) -> CBSImportError:
        return CBSImportError(problem, path=self.path)

    def problem(self, text: str) -> None:
        self.problems.append(text)

    def raise_problems(self) -> None:
        if not self.problems:
            return
        shown = "; ".join(self.problems[:MAX_PROBLEMS_SHOWN])
        more = len(self.problems) - MAX_PROBLEMS_SHOWN
        raise self.fail(shown + (f"; and {more} more problems" if more > 0 else ""))

    def report(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None and (done % 100 == 0 or done == total):
            self.progress(stage, done, total)

    # GeoJSON -------------------------------------------------------------------

    def parse_geojson(self) -> ParsedFile:
        try:
            with self.path.open("rb") as fh:
                data = json.load(fh)
        except json.JSONDecodeError as exc:
            raise self.fail(
                f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
            ) from exc
        except UnicodeDecodeError as exc:
            raise self.fail("is not valid JSON (not UTF-8 text)") from exc
        if not isinstance(data, dict):
            raise self.fail(
                f"expected a GeoJSON FeatureCollection, found a JSON {type(data).__name__}"
            )
        features = data.get("features")
        if not isinstance(features, list):
            raise self.fail("has no 'features' list: not a GeoJSON FeatureCollection")
        if not features:
            raise self.fail("contains no features")
        rd = self._geojson_is_rd(data, features)
        metadata = data.get("metadata")
        meta_year = _year(metadata.get("year")) if isinstance(metadata, dict) else None
        raw: list[_RawFeature] = []
        for number, feature in enumerate(features, start=1):
            raw.append(self._geojson_feature(number, feature, rd))
        self.raise_problems()
        return self.parse_features(
            raw,
            kind="GeoJSON",
            crs="RD New (EPSG:28992)" if rd else "WGS84",
            file_year=meta_year,
        )

    def _geojson_is_rd(self, data: dict[str, Any], features: list[Any]) -> bool:
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
            raise self.fail(
                f"coordinate system {name or crs!r} is not supported: "
                "expected WGS84 or RD New (EPSG:28992)"
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

    def _geojson_feature(self, number: int, feature: Any, rd: bool) -> _RawFeature:
        if not isinstance(feature, dict):
            self.problem(f"feature {number} is not a GeoJSON object")
            return _RawFeature(number, {}, None, rd)
        properties = feature.get("properties")
        if not isinstance(properties, dict):
            properties = {}
        geometry: BaseGeometry | None = None
        if feature.get("geometry") is not None:
            try:
                geometry = shape(feature["geometry"])
            except Exception as exc:
                self.problem(f"feature {number}: geometry cannot be read ({exc})")
        return _RawFeature(number, properties, geometry, rd)

    # GeoPackage ----------------------------------------------------------------

    def parse_geopackage(self) -> ParsedFile:
        try:
            connection = sqlite3.connect(
                f"{self.path.resolve().as_uri()}?mode=ro", uri=True
            )
        except sqlite3.Error as exc:
            raise self.fail(f"cannot be opened as a GeoPackage ({exc})") from exc
        try:
            raw, crs_names = self._geopackage_features(connection)
        except sqlite3.DatabaseError as exc:
            raise self.fail(
                f"is not a GeoPackage (not a readable SQLite database: {exc})"
            ) from exc
        finally:
            connection.close()
        if not raw:
            raise self.fail("contains no features")
        self.raise_problems()
        return self.parse_features(
            raw, kind="GeoPackage", crs=", ".join(sorted(crs_names)), file_year=None
        )

    def _geopackage_features(
        self, connection: sqlite3.Connection
    ) -> tuple[list[_RawFeature], set[str]]:
        tables = {
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            )
        }
        if not {"gpkg_contents", "gpkg_geometry_columns"} <= tables:
            raise self.fail(
                "is not a GeoPackage: gpkg_contents or gpkg_geometry_columns is missing"
            )
        srs = {
            srs_id: (str(organization).upper(), coordsys)
            for srs_id, organization, coordsys in connection.execute(
                "SELECT srs_id, organization, organization_coordsys_id "
                "FROM gpkg_spatial_ref_sys"
            )
        }
        layers = connection.execute(
            "SELECT c.table_name, g.column_name, g.srs_id FROM gpkg_contents c "
            "JOIN gpkg_geometry_columns g ON g.table_name = c.table_name "
            "WHERE c.data_type = 'features' ORDER BY c.table_name"
        ).fetchall()
        if not layers:
            raise self.fail("is a GeoPackage without feature tables")
        raw: list[_RawFeature] = []
        crs_names: set[str] = set()
        for table, column, srs_id in layers:
            rd = self._srs_is_rd(srs.get(srs_id), srs_id)
            crs_names.add("RD New (EPSG:28992)" if rd else "WGS84")
            quoted = '"' + str(table).replace('"', '""') + '"'
            # The table name comes from the file's own catalogue and is quoted as an
            # identifier; sqlite3 cannot bind identifiers as parameters.
            cursor = connection.execute(f"SELECT * FROM {quoted}")  # noqa: S608
            names = [description[0] for description in cursor.description]
            for values in cursor.fetchall():
                number = len(raw) + 1
                row = dict(zip(names, values, strict=True))
                blob = row.pop(column, None)
                row.pop("fid", None)
                properties = row
                feature_rd = rd
                geometry: BaseGeometry | None = None
                if blob is not None:
                    try:
                        geometry, blob_srs = _gpkg_geometry(bytes(blob))
                    except (ValueError, shapely.errors.ShapelyError) as exc:
                        self.problem(
                            f"{table} row {number}: geometry unreadable ({exc})"
                        )
                    else:
                        # A geometry may name its own srs_id; 0 and -1 mean
                        # "undefined", so the column's applies.
                        if blob_srs not in (srs_id, 0, -1):
                            feature_rd = self._srs_is_rd(srs.get(blob_srs), blob_srs)
                raw.append(_RawFeature(number, properties, geometry, feature_rd))
        return raw, crs_names

    def _srs_is_rd(self, entry: tuple[str, Any] | None, srs_id: int) -> bool:
        if entry is not None and entry[0] == "EPSG":
            if entry[1] in RD_EPSG:
                return True
            if entry[1] in WGS84_EPSG:
                return False
        raise self.fail(
            f"coordinate system srs_id {srs_id} is not supported: "
            "expected WGS84 or RD New (EPSG:28992)"
        )

    # Features (GeoJSON and GeoPackage alike) ------------------------------------

    def parse_features(
        self,
        raw: list[_RawFeature],
        *,
        kind: str,
        crs: str,
        file_year: int | None,
    ) -> ParsedFile:
        parsed = ParsedFile(path=self.path, kind=kind, crs=crs, rows=len(raw))
        fallback_year = self.year_option or file_year or _year_from_name(self.path)
        parsed.year = fallback_year
        self.land_codes = {
            code
            for feature in raw
            if not _is_water(feature.properties)
            and (code := _props_code(feature.properties))
        }
        stage = f"reading {self.path.name}"
        for index, feature in enumerate(raw, start=1):
            self.report(stage, index, len(raw))
            self._feature(parsed, feature, fallback_year)
        self.raise_problems()
        if years := {figure.year for figure in parsed.figures}:
            parsed.year = max(years)
        parsed.national = not self.gemeenten and (
            len(parsed.areas[GEMEENTE]) >= NATIONAL_MIN_GEMEENTEN
        )
        return parsed

    def _feature(
        self, parsed: ParsedFile, feature: _RawFeature, fallback_year: int | None
    ) -> None:
        props = feature.properties
        where = f"feature {feature.number}"
        level = _props_level(props)
        if level is None:
            self.problem(f"{where} has no buurtcode, wijkcode or gemeentecode")
            return
        codes = self._codes(level, props, where)
        if codes is None:
            return
        if codes[GEMEENTE] in PSEUDO_GEMEENTEN:
            parsed.skipped_pseudo += 1
            return
        if self.gemeenten and codes[GEMEENTE] not in self.gemeenten:
            parsed.skipped_filter += 1
            return
        code = codes[level]
        # The CBS wijk- en buurtkaart draws large waters as separate features with
        # the code of their gemeente (water = JA). The platform needs the land
        # outline, where people live; an area that is only water keeps its own.
        if _is_water(props) and code in self.land_codes:
            parsed.skipped_water += 1
            return
        if code in self.seen:
            self.problem(f"{where}: {code} also occurs as feature {self.seen[code]}")
            return
        self.seen[code] = feature.number

        geometry: dict[str, Any] | None = None
        if feature.geometry is not None and not feature.geometry.is_empty:
            try:
                geometry, repaired = _geometry_to_geojson(
                    feature.geometry, rd=feature.rd
                )
            except ValueError as exc:
                self.problem(f"{where} ({code}): {exc}")
                return
            parsed.repaired_geometries += repaired

        _add_area_records(
            parsed, level=level, codes=codes, props=props, geometry=geometry
        )
        parsed.covered[level].add(codes[GEMEENTE])

        values, extra = _figures(props)
        if values or _has_numbers(extra):
            year = self.year_option or _year(_text(props.get("jaarstatcode"))[:4])
            year = year or fallback_year
            if year is None:
                self.problem(
                    f"{where} carries key figures but the year is unknown "
                    "(no jaarstatcode, metadata.year or year in the file name): "
                    "give --year"
                )
                return
            parsed.figures.append(FigureRecord(level, code, year, values, extra))

    def _codes(
        self, level: str, props: Mapping[str, Any], where: str
    ) -> dict[str, str] | None:
        """The codes of the area and its parents, derived from its own where absent."""
        code = _text(props.get(CODE_PROPERTY[level])).upper()
        codes = {level: code}
        if level == BUURT:
            codes[WIJK] = _text(props.get("wijkcode")).upper() or "WK" + code[2:8]
        if level != GEMEENTE:
            codes[GEMEENTE] = (
                _text(props.get("gemeentecode")).upper() or "GM" + code[2:6]
            )
        ok = True
        for lv, value in codes.items():
            if not CODE_PATTERNS[lv].fullmatch(value):
                self.problem(
                    f"{where}: {value!r} is not a valid {CODE_PROPERTY[lv]} "
                    f"({CODE_SHAPES[lv]})"
                )
                ok = False
        return codes if ok else None

    # CSV -----------------------------------------------------------------------

    def parse_csv(self) -> ParsedFile:
        data = self.path.read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Older CBS downloads are Windows-1252; cp1252 decodes nearly any bytes,
            # so a binary file still ends at the header check below.
            text = data.decode("cp1252", errors="replace")
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            header = [column.strip() for column in next(reader)]
            rows = list(reader)
        except StopIteration as exc:
            raise self.fail("is not a CSV file with a header row") from exc
        except csv.Error as exc:
            raise self.fail(f"is not a readable CSV file ({exc})") from exc
        columns = set(header)
        if columns >= KERNCIJFERS_CSV_COLUMNS:
            kind = "kerncijfers CSV"
        elif columns >= INDICATORS_CSV_COLUMNS and "level" not in columns:
            kind = "indicatoren CSV"
        else:
            shown = ", ".join(header[:8]) + (", ..." if len(header) > 8 else "")
            raise self.fail(
                "unknown CSV header: expected the kerncijfers columns "
                f"({', '.join(sorted(KERNCIJFERS_CSV_COLUMNS))}, d_*) or the "
                f"indicator columns ({', '.join(sorted(INDICATORS_CSV_COLUMNS))}, ...); "
                f"found: {shown}"
            )
        rows = [row for row in rows if any(cell.strip() for cell in row)]
        if not rows:
            raise self.fail("contains a header but no rows")
        year = self.year_option or _year_from_name(self.path)
        if year is None:
            raise self.fail(
                "the year of these figures is unknown (no 20xx in the file name): "
                "give --year"
            )
        parsed = ParsedFile(
            path=self.path,
            kind=kind,
            crs="",
            rows=len(rows),
            year=year,
            creates_only=True,
        )
        stage = f"reading {self.path.name}"
        for number, cells in enumerate(rows, start=2):  # line 1 is the header
            self.report(stage, number - 1, len(rows))
            if len(cells) != len(header):
                self.problem(
                    f"line {number} has {len(cells)} cells, the header {len(header)}"
                )
                continue
            row = dict(zip(header, cells, strict=True))
            self._csv_row(parsed, row, number, kerncijfers=kind == "kerncijfers CSV")
        self.raise_problems()
        return parsed

    def _csv_row(
        self, parsed: ParsedFile, row: dict[str, str], number: int, *, kerncijfers: bool
    ) -> None:
        where = f"line {number}"
        props: dict[str, Any] = dict(row)
        if kerncijfers:
            level = row["level"].strip().lower()
            if level not in LEVELS:
                self.problem(
                    f"{where}: level {row['level']!r} is not gemeente, wijk or buurt"
                )
                return
            props[CODE_PROPERTY[level]] = row["code"]
            props[NAME_PROPERTY[level]] = row["naam"]
        else:
            level = GEMEENTE
        codes = self._codes(level, props, where)
        if codes is None:
            return
        if codes[GEMEENTE] in PSEUDO_GEMEENTEN:
            parsed.skipped_pseudo += 1
            return
        if self.gemeenten and codes[GEMEENTE] not in self.gemeenten:
            parsed.skipped_filter += 1
            return
        code = codes[level]
        if code in self.seen:
            self.problem(f"{where}: {code} also occurs on line {self.seen[code]}")
            return
        self.seen[code] = number
        _add_area_records(parsed, level=level, codes=codes, props=props, geometry=None)
        values, extra = _figures(props)
        if values or _has_numbers(extra):
            assert parsed.year is not None  # checked before reading rows
            parsed.figures.append(FigureRecord(level, code, parsed.year, values, extra))


def _props_level(props: Mapping[str, Any]) -> str | None:
    """The most detailed level a feature has a code for: that is what it describes."""
    return next(
        (lv for lv in (BUURT, WIJK, GEMEENTE) if _text(props.get(CODE_PROPERTY[lv]))),
        None,
    )


def _props_code(props: Mapping[str, Any]) -> str:
    level = _props_level(props)
    return _text(props.get(CODE_PROPERTY[level])).upper() if level else ""


def _is_water(props: Mapping[str, Any]) -> bool:
    return _text(props.get("water")).upper() == "JA"


def _add_area_records(
    parsed: ParsedFile,
    *,
    level: str,
    codes: dict[str, str],
    props: Mapping[str, Any],
    geometry: dict[str, Any] | None,
) -> None:
    parent_level = {GEMEENTE: None, WIJK: GEMEENTE, BUURT: WIJK}
    for lv in LEVELS:
        if lv not in codes:
            continue
        parent = parent_level[lv]
        record = AreaRecord(
            code=codes[lv],
            name=_text(props.get(NAME_PROPERTY[lv])) or None,
            parent_code=codes[parent] if parent else None,
            geometry=geometry if lv == level else None,
            primary=lv == level,
        )
        known = parsed.areas[lv].get(record.code)
        if known is None:
            parsed.areas[lv][record.code] = record
        elif record.primary:
            record.name = record.name or known.name
            parsed.areas[lv][record.code] = record
        elif not known.primary:
            known.name = known.name or record.name


# --- Values -------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _year(value: Any) -> int | None:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if 1900 <= year <= 2100 else None


def _year_from_name(path: Path) -> int | None:
    match = re.search(r"(?<!\d)(20\d{2})(?!\d)", path.name)
    return int(match.group(1)) if match else None


def _number(value: Any) -> int | float | None:
    """A figure as a number, or None when CBS says it is unknown.

    Every figure in these tables is a count, percentage, distance, density or amount,
    none of which can be negative: a negative value is one of CBS's sentinels
    (-99999999, -99997, ...) and means unknown or secret.
    """
    number: int | float
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"-?\d+,\d+", text):  # decimal comma in ;-separated files
            text = text.replace(",", ".")
        try:
            number = int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                return None
    else:
        return None
    if isinstance(number, float) and not math.isfinite(number):
        return None
    return number if number >= 0 else None


def _figures(props: Mapping[str, Any]) -> tuple[dict[str, int | float], dict[str, Any]]:
    """Split properties into the Kerncijfers columns and `extra`; unknowns dropped."""
    values: dict[str, int | float] = {}
    extra: dict[str, Any] = {}
    for key, raw in props.items():
        if key in META_PROPERTIES or raw is None:
            continue
        if key in STRING_PROPERTIES:
            if text := _text(raw):
                extra[key] = text
            continue
        number = _number(raw)
        column = FIELD_FOR_SOURCE.get(key)
        if column is not None:
            if number is not None and column not in values:
                values[column] = (
                    round(number) if column in INTEGER_FIGURES else float(number)
                )
        elif number is not None:
            extra[key] = number
        elif isinstance(raw, bool):
            extra[key] = raw
        elif isinstance(raw, str):
            text = raw.strip()
            # A numeric string that _number refused is a sentinel, not a label.
            if text and text not in UNKNOWN_MARKS and _number_like(text) is None:
                extra[key] = text
    inhabitants = values.get("inhabitants")
    for key, column in COUNT_TO_PERCENTAGE.items():
        count = extra.get(key)
        if column in values or not inhabitants or not isinstance(count, int | float):
            continue
        # CBS rounds both counts to fives, so a tiny buurt can come out above 100%.
        values[column] = min(round(100 * count / inhabitants, 1), 100.0)
    return values, extra


def _number_like(text: str) -> float | None:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def _has_numbers(extra: Mapping[str, Any]) -> bool:
    return any(
        isinstance(v, int | float) and not isinstance(v, bool) for v in extra.values()
    )


# --- Geometry -----------------------------------------------------------------------


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


# --- Writing ------------------------------------------------------------------------


def _chunks(items: Sequence[Any], size: int = BATCH_SIZE) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _write(
    *,
    parsed: ParsedFile,
    counts: dict[str, LevelCounts],
    progress: ProgressCallback | None,
) -> None:
    source = (SOURCE_PREFIX + parsed.path.name)[:200]
    gemeente_ids = _areas_upsert(
        model=Gemeente,
        records=parsed.areas[GEMEENTE],
        parent_field=None,
        parent_ids={},
        source=source,
        creates_only=parsed.creates_only,
        counts=counts[GEMEENTE],
        progress=progress,
    )
    wijk_ids = _areas_upsert(
        model=Wijk,
        records=parsed.areas[WIJK],
        parent_field="gemeente",
        parent_ids=gemeente_ids,
        source=source,
        creates_only=parsed.creates_only,
        counts=counts[WIJK],
        progress=progress,
    )
    _areas_upsert(
        model=Buurt,
        records=parsed.areas[BUURT],
        parent_field="wijk",
        parent_ids=wijk_ids,
        source=source,
        creates_only=parsed.creates_only,
        counts=counts[BUURT],
        progress=progress,
    )
    _areas_deactivate_missing(parsed=parsed, counts=counts)
    _figures_upsert(
        records=parsed.figures, source=source, counts=counts[FIGURES], progress=progress
    )


def _areas_upsert(
    *,
    model: type[Gemeente] | type[Wijk] | type[Buurt],
    records: dict[str, AreaRecord],
    parent_field: str | None,
    parent_ids: dict[str, int],
    source: str,
    creates_only: bool,
    counts: LevelCounts,
    progress: ProgressCallback | None,
) -> dict[str, int]:
    """Insert or update areas by code; returns code -> id for all of them.

    With creates_only, existing areas are left exactly as they are.
    """
    if not records:
        return {}
    manager: models.Manager[Any] = model._default_manager
    codes = list(records)
    existing_names: dict[str, str] = {}
    for chunk in _chunks(codes):
        existing_names.update(
            manager.filter(code__in=chunk).values_list("code", "name")
        )
    with_geometry: list[models.Model] = []
    without_geometry: list[models.Model] = []
    for code, record in records.items():
        if creates_only and code in existing_names:
            continue
        # Never replace a real name by a missing one; a parent known only by its
        # code is named by it until a file tells its name.
        name = record.name or existing_names.get(code) or code
        values: dict[str, Any] = {
            "code": code,
            "name": name[:200],
            "is_active": True,
            "source": source,
        }
        if parent_field is not None:
            assert record.parent_code is not None
            values[f"{parent_field}_id"] = parent_ids[record.parent_code]
        if record.geometry is not None:
            values["geometry"] = record.geometry
            with_geometry.append(model(**values))
        else:
            without_geometry.append(model(**values))
    # Rows without an outline in this file (parents, CSV rows) keep the outline and
    # source they have.
    common = ["name", "is_active", "updated_at"]
    if parent_field is not None:
        common.append(parent_field)
    stage = f"writing {model._meta.verbose_name_plural}"
    done = 0
    for objects, update_fields in (
        (with_geometry, [*common, "geometry", "source"]),
        (without_geometry, common),
    ):
        for chunk in _chunks(objects):
            manager.bulk_create(
                chunk,
                update_conflicts=True,
                unique_fields=["code"],
                update_fields=update_fields,
            )
            done += len(chunk)
            if progress is not None:
                progress(stage, done, len(records))
    if not creates_only:
        counts.updated += len(existing_names)
    counts.created += len(records) - len(existing_names)
    ids: dict[str, int] = {}
    for chunk in _chunks(codes):
        ids.update(manager.filter(code__in=chunk).values_list("code", "id"))
    return ids


def _areas_deactivate_missing(
    *, parsed: ParsedFile, counts: dict[str, LevelCounts]
) -> None:
    """Deactivate areas that a file covering their gemeente no longer lists.

    Deactivation runs downwards: the wijken of a vanished gemeente and the buurten of
    a vanished wijk go with it. Areas in the file were (re)activated by the upsert.
    """
    now = timezone.now()
    gone_gemeenten: list[int] = []
    if parsed.national:
        in_file = parsed.areas[GEMEENTE]
        # Demo gemeenten are fictional and never in a CBS file.
        gone_gemeenten = [
            pk
            for pk, code in Gemeente.objects.filter(
                is_active=True, is_demo=False
            ).values_list("id", "code")
            if code not in in_file
        ]
        counts[GEMEENTE].deactivated += _deactivate(Gemeente, gone_gemeenten, now)

    wijk_filter = Q(gemeente__code__in=parsed.covered[WIJK])
    gone_wijken: list[int] = []
    for chunk in _chunks(gone_gemeenten):
        wijk_filter |= Q(gemeente_id__in=chunk)
    if parsed.covered[WIJK] or gone_gemeenten:
        in_file = parsed.areas[WIJK]
        gone_wijken = [
            pk
            for pk, code in Wijk.objects.filter(
                wijk_filter, is_active=True
            ).values_list("id", "code")
            if code not in in_file
        ]
        counts[WIJK].deactivated += _deactivate(Wijk, gone_wijken, now)

    buurt_filter = Q(wijk__gemeente__code__in=parsed.covered[BUURT])
    for chunk in _chunks(gone_wijken):
        buurt_filter |= Q(wijk_id__in=chunk)
    if parsed.covered[BUURT] or gone_wijken:
        in_file = parsed.areas[BUURT]
        gone_buurten = [
            pk
            for pk, code in Buurt.objects.filter(
                buurt_filter, is_active=True
            ).values_list("id", "code")
            if code not in in_file
        ]
        counts[BUURT].deactivated += _deactivate(Buurt, gone_buurten, now)


def _deactivate(
    model: type[Gemeente] | type[Wijk] | type[Buurt], ids: list[int], now: Any
) -> int:
    manager: models.Manager[Any] = model._default_manager
    for chunk in _chunks(ids):
        manager.filter(id__in=chunk).update(is_active=False, updated_at=now)
    return len(ids)


def _figures_upsert(
    *,
    records: list[FigureRecord],
    source: str,
    counts: LevelCounts,
    progress: ProgressCallback | None,
) -> None:
    """Upsert Kerncijfers by (code, year), merging with what other files gave.

    Several files describe one year (the map's figures, the 85984NED table, the
    indicators), so a figure a file does not carry keeps its earlier value.
    """
    if not records:
        return
    existing: dict[tuple[str, int], Kerncijfers] = {}
    by_year: dict[int, list[str]] = {}
    for record in records:
        by_year.setdefault(record.year, []).append(record.code)
    for year, codes in by_year.items():
        for chunk in _chunks(codes):
            for row in Kerncijfers.objects.filter(year=year, code__in=chunk):
                existing[(row.code, row.year)] = row
    objects: list[Kerncijfers] = []
    for record in records:
        old = existing.get((record.code, record.year))
        values: dict[str, Any] = dict.fromkeys(FIGURE_FIELDS)
        extra: dict[str, Any] = {}
        if old is not None:
            values.update({name: getattr(old, name) for name in FIGURE_FIELDS})
            extra.update(old.extra or {})
        values.update(record.values)
        extra.update(record.extra)
        objects.append(
            Kerncijfers(
                level=record.level,
                code=record.code,
                year=record.year,
                extra=extra,
                source=source,
                **values,
            )
        )
    stage = "writing kerncijfers"
    for done, chunk in enumerate(_chunks(objects), start=1):
        Kerncijfers.objects.bulk_create(
            chunk,
            update_conflicts=True,
            unique_fields=["code", "year"],
            update_fields=[*FIGURE_FIELDS, "level", "extra", "source", "updated_at"],
        )
        if progress is not None:
            progress(stage, min(done * BATCH_SIZE, len(objects)), len(objects))
    counts.updated += len(existing)
    counts.created += len(records) - len(existing)
