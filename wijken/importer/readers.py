"""GeoJSON, GeoPackage and CSV files in, a checked ParsedFile out."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from wijken.importer.collector import _Collector, _RawFeature
from wijken.importer.geometry import _geojson_is_rd, _gpkg_geometry, _srs_is_rd
from wijken.importer.records import ParsedFile
from wijken.importer.values import (
    INDICATORS_CSV_COLUMNS,
    KERNCIJFERS_CSV_COLUMNS,
    _year,
    _year_from_name,
)


class _Parser(_Collector):
    """Turns one file into a ParsedFile, collecting problems to report them together."""

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
        rd = _geojson_is_rd(data, features, path=self.path)
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
            rd = _srs_is_rd(srs.get(srs_id), srs_id, path=self.path)
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
                            feature_rd = _srs_is_rd(
                                srs.get(blob_srs), blob_srs, path=self.path
                            )
                raw.append(_RawFeature(number, properties, geometry, feature_rd))
        return raw, crs_names

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
