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

from collections.abc import Iterable, Sequence
from pathlib import Path

from django.db import transaction

from wijken.importer.errors import MAX_PROBLEMS_SHOWN, CBSImportError
from wijken.importer.geometry import DECIMALS, RD_BOUNDS, RD_EPSG, WGS84_EPSG
from wijken.importer.readers import _Parser
from wijken.importer.records import (
    AreaRecord,
    FigureRecord,
    ParsedFile,
    ProgressCallback,
)
from wijken.importer.values import (
    BUURT,
    CODE_PATTERNS,
    CODE_PROPERTY,
    CODE_SHAPES,
    COUNT_TO_PERCENTAGE,
    FIELD_FOR_SOURCE,
    FIGURE_FIELDS,
    FIGURE_SOURCES,
    FIGURES,
    GEMEENTE,
    INDICATORS_CSV_COLUMNS,
    INTEGER_FIGURES,
    KERNCIJFERS_CSV_COLUMNS,
    LEVELS,
    META_PROPERTIES,
    NAME_PROPERTY,
    NATIONAL_MIN_GEMEENTEN,
    PSEUDO_GEMEENTEN,
    STRING_PROPERTIES,
    UNKNOWN_MARKS,
    WIJK,
)
from wijken.importer.writer import (
    BATCH_SIZE,
    SOURCE_PREFIX,
    ImportReport,
    LevelCounts,
    _write,
)

# Every public name of the former single module wijken/importer.py.
__all__ = [
    "BATCH_SIZE",
    "BUURT",
    "CODE_PATTERNS",
    "CODE_PROPERTY",
    "CODE_SHAPES",
    "COUNT_TO_PERCENTAGE",
    "DECIMALS",
    "FIELD_FOR_SOURCE",
    "FIGURES",
    "FIGURE_FIELDS",
    "FIGURE_SOURCES",
    "GEMEENTE",
    "INDICATORS_CSV_COLUMNS",
    "INTEGER_FIGURES",
    "KERNCIJFERS_CSV_COLUMNS",
    "LEVELS",
    "MAX_PROBLEMS_SHOWN",
    "META_PROPERTIES",
    "NAME_PROPERTY",
    "NATIONAL_MIN_GEMEENTEN",
    "PSEUDO_GEMEENTEN",
    "RD_BOUNDS",
    "RD_EPSG",
    "SOURCE_PREFIX",
    "STRING_PROPERTIES",
    "UNKNOWN_MARKS",
    "WGS84_EPSG",
    "WIJK",
    "AreaRecord",
    "CBSImportError",
    "FigureRecord",
    "ImportReport",
    "LevelCounts",
    "ParsedFile",
    "ProgressCallback",
    "cbs_file_parse",
    "cbs_import",
    "gemeente_filter_clean",
]


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
    # The threshold is read here, from the package, so that tests can lower it with
    # monkeypatch.setattr(wijken.importer, "NATIONAL_MIN_GEMEENTEN", ...).
    parser = _Parser(
        path=path,
        gemeenten=gemeenten,
        year=year,
        progress=progress,
        national_min_gemeenten=NATIONAL_MIN_GEMEENTEN,
    )
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
