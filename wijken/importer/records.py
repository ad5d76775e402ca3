"""What reading a file yields: area and figure records, collected per file."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wijken.importer.values import (
    BUURT,
    GEMEENTE,
    LEVELS,
    NAME_PROPERTY,
    PSEUDO_GEMEENTEN,
    WIJK,
    _text,
)

ProgressCallback = Callable[[str, int, int], None]
"""Called as progress(stage, done, total) while reading and writing."""


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
