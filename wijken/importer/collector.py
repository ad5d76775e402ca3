"""The CBS rules for one feature or row: levels, codes, parents, skips, duplicates.

Shared by every file format; readers.py decodes the formats themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shapely.geometry.base import BaseGeometry

from wijken.importer.errors import MAX_PROBLEMS_SHOWN, CBSImportError
from wijken.importer.geometry import _geometry_to_geojson
from wijken.importer.records import (
    FigureRecord,
    ParsedFile,
    ProgressCallback,
    _add_area_records,
)
from wijken.importer.values import (
    BUURT,
    CODE_PATTERNS,
    CODE_PROPERTY,
    CODE_SHAPES,
    GEMEENTE,
    LEVELS,
    NAME_PROPERTY,
    PSEUDO_GEMEENTEN,
    WIJK,
    _figures,
    _has_numbers,
    _is_water,
    _props_code,
    _props_level,
    _text,
    _year,
    _year_from_name,
)


@dataclass
class _RawFeature:
    number: int  # 1-based, for messages
    properties: Mapping[str, Any]
    geometry: BaseGeometry | None
    rd: bool


class _Collector:
    """Turns features and rows into records, collecting problems to report them."""

    def __init__(
        self,
        *,
        path: Path,
        gemeenten: frozenset[str],
        year: int | None,
        progress: ProgressCallback | None,
        national_min_gemeenten: int,
    ) -> None:
        self.path = path
        self.gemeenten = gemeenten
        self.year_option = year
        self.progress = progress
        self.national_min_gemeenten = national_min_gemeenten
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
            len(parsed.areas[GEMEENTE]) >= self.national_min_gemeenten
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

    # CSV rows -------------------------------------------------------------------

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
