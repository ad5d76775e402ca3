"""Write parsed files: upserts by code, merger deactivation, counts for the report."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone

from wijken import generations
from wijken.importer.records import (
    AreaRecord,
    FigureRecord,
    ParsedFile,
    ProgressCallback,
)
from wijken.importer.values import BUURT, FIGURE_FIELDS, FIGURES, GEMEENTE, LEVELS, WIJK
from wijken.models import Buurt, Gemeente, Kerncijfers, Wijk

BATCH_SIZE = 500
SOURCE_PREFIX = "CBS/PDOK "


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
    # Written in bulk, so no model signals: every page keyed on the geography or the
    # figures is made anew.
    generations.bump_everything()


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
