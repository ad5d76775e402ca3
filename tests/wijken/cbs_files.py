"""Tiny synthetic CBS files for the importer tests, written to tmp_path."""

from __future__ import annotations

import csv
import json
import sqlite3
import struct
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import shape

from wijken.models import Buurt, Gemeente, Kerncijfers, Wijk

RD_CRS = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}


def square(x: float, y: float, size: float = 0.01) -> dict[str, Any]:
    return {
        "type": "Polygon",
        "coordinates": [
            [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
        ],
    }


def feature(geometry: dict[str, Any] | None = None, **properties: Any) -> dict:
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": geometry if geometry is not None else square(5.0, 52.0),
    }


def write_geojson(path: Path, features: list[dict], **members: Any) -> Path:
    path.write_text(
        json.dumps({"type": "FeatureCollection", **members, "features": features}),
        encoding="utf-8",
    )
    return path


def write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def gpkg_blob(geometry: dict[str, Any], *, srs_id: int, little_endian: bool) -> bytes:
    """GeoPackage binary without envelope: 'GP', version 0, flags, srs_id, WKB."""
    flags = 1 if little_endian else 0
    header = (
        b"GP" + bytes([0, flags]) + struct.pack("<i" if little_endian else ">i", srs_id)
    )
    return header + shapely.to_wkb(shape(geometry))


def write_gpkg(path: Path, rows: list[tuple[dict[str, Any], bytes | None]]) -> Path:
    """A minimal GeoPackage with one WGS84 feature table called buurten."""
    db = sqlite3.connect(path)
    db.executescript(
        """
        CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT, srs_id INTEGER PRIMARY KEY,
            organization TEXT, organization_coordsys_id INTEGER, definition TEXT);
        CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT,
            identifier TEXT, srs_id INTEGER);
        CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT,
            geometry_type_name TEXT, srs_id INTEGER, z INTEGER, m INTEGER);
        INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84', 4326, 'EPSG', 4326, '');
        INSERT INTO gpkg_contents VALUES ('buurten', 'features', 'buurten', 4326);
        INSERT INTO gpkg_geometry_columns VALUES ('buurten', 'shape', 'POLYGON',
            4326, 0, 0);
        CREATE TABLE buurten (fid INTEGER PRIMARY KEY, shape BLOB, buurtcode TEXT,
            buurtnaam TEXT, aantal_inwoners INTEGER);
        """
    )
    for props, blob in rows:
        db.execute(
            "INSERT INTO buurten (shape, buurtcode, buurtnaam, aantal_inwoners) "
            "VALUES (?, ?, ?, ?)",
            (blob, props["buurtcode"], props["buurtnaam"], props["aantal_inwoners"]),
        )
    db.commit()
    db.close()
    return path


def db_snapshot() -> dict[str, list[tuple]]:
    """Everything the importer may touch, to prove a failed import changed nothing."""
    return {
        "gemeenten": list(
            Gemeente.objects.order_by("code").values_list(
                "code", "name", "is_active", "geometry", "source"
            )
        ),
        "wijken": list(
            Wijk.objects.order_by("code").values_list(
                "code", "name", "is_active", "gemeente__code", "geometry"
            )
        ),
        "buurten": list(
            Buurt.objects.order_by("code").values_list(
                "code", "name", "is_active", "wijk__code", "geometry"
            )
        ),
        "kerncijfers": list(
            Kerncijfers.objects.order_by("code", "year").values_list(
                "code", "year", "inhabitants", "extra"
            )
        ),
    }
