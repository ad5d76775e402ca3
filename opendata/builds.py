"""Open data: per gemeente, dated CSV and GeoJSON files of the same public data the API
gives (opendata.public_data), with the licence and a description of every column.

A build writes `opendata/<gemeente>/<date>/<file>` in Django's default storage, plus
`metadata.json` beside the files and `opendata/<gemeente>/manifest.json` pointing at
the newest build; builds older than settings.OPENDATA_KEEP_BUILDS are removed. The
nightly Celery task (opendata.tasks) and `manage.py opendata_build` call build_all.
When an account is removed, forget_names takes the person's name out of every kept
build (privacy.services starts it after the removal commits).
Signal counts use the same fixed 4-week blocks and k-anonymity helper as the API.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.names import without_name
from core import exports as core_exports
from core.mail import site_url
from opendata import public_data
from signalen.kanon import Period
from wijken.models import Gemeente

ROOT = "opendata"
# A year of signal counts: the last 13 whole blocks of four weeks.
SIGNAL_BLOCKS = 13
LICENCE = "CC-BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.nl"
ATTRIBUTION = _(
    "Buurtwijs. Geografie en kerncijfers: CBS / PDOK (CC-BY 4.0). Bij hergebruik: "
    "vermeld de bron."
)
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Column:
    name: str
    description: Any  # a lazy translation


@dataclass(frozen=True)
class Dataset:
    filename: str
    media_type: str
    title: Any
    description: Any
    columns: tuple[Column, ...]


_FIGURES = (
    Column("figures_year", _("Jaar van de CBS-kerncijfers (leeg: geen cijfers).")),
    Column("inhabitants", _("Aantal inwoners.")),
    Column("men", _("Aantal mannen.")),
    Column("women", _("Aantal vrouwen.")),
    Column("households", _("Aantal huishoudens.")),
    Column("avg_household_size", _("Gemiddelde grootte van een huishouden.")),
    Column("pct_age_0_15", _("Inwoners van 0 tot 15 jaar, in procenten.")),
    Column("pct_age_15_25", _("Inwoners van 15 tot 25 jaar, in procenten.")),
    Column("pct_age_25_45", _("Inwoners van 25 tot 45 jaar, in procenten.")),
    Column("pct_age_45_65", _("Inwoners van 45 tot 65 jaar, in procenten.")),
    Column("pct_age_65_plus", _("Inwoners van 65 jaar en ouder, in procenten.")),
    Column("pct_single_person_households", _("Eenpersoonshuishoudens, in procenten.")),
    Column("population_density", _("Inwoners per vierkante kilometer.")),
    Column(
        "income_per_inhabitant",
        _("Gemiddeld inkomen per inwoner, in duizenden euro's."),
    ),
)
_HIDDEN = Column(
    "hidden",
    _(
        "true als het aantal verborgen is: minder dan de drempel (k_anonymity), of een "
        "totaal dat een klein aantal zou verraden. Dan is het aantal leeg."
    ),
)
_REASON = Column(
    "reason",
    _(
        "Waarom verborgen: altijd k_anonymity (minder dan de drempel, of een aantal "
        "dat een ander klein aantal zou verraden; welk van de twee zeggen wij niet)."
    ),
)
_BLOCK = (
    Column("block_start", _("Maandag waarop het blok van vier weken begint.")),
    Column("block_end", _("Zondag waarop het blok eindigt.")),
)

WIJKEN_CSV = Dataset(
    "wijken.csv",
    "text/csv",
    _("Wijken met kerncijfers"),
    _("De wijken van de gemeente met de nieuwste kerncijfers van het CBS."),
    (
        Column("code", _("CBS-code van de wijk.")),
        Column("name", _("Naam van de wijk.")),
        Column("gemeente", _("CBS-code van de gemeente.")),
        Column("buurt_count", _("Aantal buurten in de wijk.")),
        Column("url", _("De openbare wijkpagina op Buurtwijs.")),
        *_FIGURES,
    ),
)
BUURTEN_CSV = Dataset(
    "buurten.csv",
    "text/csv",
    _("Buurten met kerncijfers"),
    _("De buurten van de gemeente met de nieuwste kerncijfers van het CBS."),
    (
        Column("code", _("CBS-code van de buurt.")),
        Column("name", _("Naam van de buurt.")),
        Column("wijk", _("CBS-code van de wijk.")),
        Column("gemeente", _("CBS-code van de gemeente.")),
        *_FIGURES,
    ),
)
INITIATIEVEN_CSV = Dataset(
    "initiatieven.csv",
    "text/csv",
    _("Initiatieven van bewoners"),
    _(
        "Alle openbare initiatieven in de gemeente (nooit verborgen initiatieven). "
        "Alleen namen van organisatoren, zoals de openbare pagina ze toont."
    ),
    (
        Column("id", _("Nummer van het initiatief.")),
        Column("title", _("Titel.")),
        Column("summary", _("Korte samenvatting.")),
        Column(
            "status", _("Status: idee, in_voorbereiding, actief, afgerond, gestopt.")
        ),
        Column("wijk", _("CBS-code van de wijk.")),
        Column("buurt", _("CBS-code van de buurt (leeg: de hele wijk).")),
        Column("gemeente", _("CBS-code van de gemeente.")),
        Column("themes", _("Codes van de thema's, gescheiden door ;.")),
        Column("where", _("Waar het plaatsvindt, in eigen woorden.")),
        Column("when", _("Wanneer het plaatsvindt, in eigen woorden.")),
        Column("starts_at", _("Begint op (ISO 8601, leeg: niet bekend).")),
        Column("ends_at", _("Eindigt op (ISO 8601, leeg: niet bekend).")),
        Column("organisers", _("Namen van de organisatoren, gescheiden door ;.")),
        Column("participants", _("Aantal bewoners dat meedoet.")),
        Column("supporters", _("Aantal bewoners dat het steunt.")),
        Column("open_needs", _("Aantal open vragen om hulp.")),
        Column("created_at", _("Geplaatst op (ISO 8601).")),
        Column("url", _("De pagina van het initiatief.")),
    ),
)
THEMAS_CSV = Dataset(
    "themas.csv",
    "text/csv",
    _("Openbare thema's en oproepen"),
    _(
        "Wat wijkteams vaak zien en openbaar maakten, in hun eigen woorden (nooit "
        "tekst van signalen)."
    ),
    (
        Column("id", _("Nummer van het thema.")),
        Column("title", _("Openbare titel.")),
        Column("text", _("Openbare tekst van het wijkteam.")),
        Column("is_call", _("true: een oproep aan bewoners om iets te beginnen.")),
        Column("status", _("Status: erkend, opgepakt of afgerond.")),
        Column("wijk", _("CBS-code van de wijk.")),
        Column("gemeente", _("CBS-code van de gemeente.")),
        Column("size", _("Hoe vaak het wijkteam dit zag (leeg: verborgen).")),
        _HIDDEN,
        _REASON,
        Column("initiative_count", _("Aantal gekoppelde initiatieven.")),
        Column("trekker_count", _("Aantal bewoners dat het thema trekt.")),
        Column("url", _("De pagina van het thema.")),
    ),
)
SIGNALEN_BLOKKEN_CSV = Dataset(
    "signalen_per_blok.csv",
    "text/csv",
    _("Signalen per wijk per blok van vier weken"),
    _(
        "Aantal signalen van het wijkteam per wijk, per vast blok van vier weken (het "
        "laatste jaar), met het aantal per 1.000 inwoners. Nooit de signalen zelf. "
        "Een signaal telt in het blok waarin het is gemeld; een blok dat voorbij is, "
        "verandert niet meer, ook niet in een nieuwer bestand."
    ),
    (
        Column("wijk", _("CBS-code van de wijk.")),
        Column("name", _("Naam van de wijk.")),
        *_BLOCK,
        Column("count", _("Aantal signalen in het blok (leeg: verborgen).")),
        _HIDDEN,
        _REASON,
        Column("inhabitants", _("Aantal inwoners van de wijk (CBS).")),
        Column("per_1000_inhabitants", _("Signalen per 1.000 inwoners in het blok.")),
    ),
)
SIGNALEN_WEKEN_CSV = Dataset(
    "signalen_per_week.csv",
    "text/csv",
    _("Signalen per wijk per week en categorie"),
    _(
        "Aantal signalen per wijk, week en categorie (het laatste jaar), elk in de "
        "week waarin het is gemeld. Kleine aantallen zijn verborgen."
    ),
    (
        Column("wijk", _("CBS-code van de wijk.")),
        Column("block_start", _("Maandag waarop het blok van vier weken begint.")),
        Column("week", _("Maandag van de week waarin de signalen zijn gemeld.")),
        Column("category", _("Code van de categorie.")),
        Column("category_name", _("Naam van de categorie.")),
        Column("count", _("Aantal signalen (leeg: verborgen).")),
        _HIDDEN,
        _REASON,
    ),
)
_GEO_PROPERTIES = (
    Column("code", _("CBS-code.")),
    Column("name", _("Naam.")),
    *_FIGURES,
)
WIJKEN_GEOJSON = Dataset(
    "wijken.geojson",
    "application/geo+json",
    _("Wijken op de kaart"),
    _(
        "GeoJSON (WGS84) met de vorm van elke wijk en de kerncijfers als "
        "properties. Geografie: CBS / PDOK."
    ),
    _GEO_PROPERTIES,
)
BUURTEN_GEOJSON = Dataset(
    "buurten.geojson",
    "application/geo+json",
    _("Buurten op de kaart"),
    _(
        "GeoJSON (WGS84) met de vorm van elke buurt en de kerncijfers als "
        "properties. Geografie: CBS / PDOK."
    ),
    _GEO_PROPERTIES,
)

DATASETS = (
    WIJKEN_CSV,
    BUURTEN_CSV,
    WIJKEN_GEOJSON,
    BUURTEN_GEOJSON,
    INITIATIEVEN_CSV,
    THEMAS_CSV,
    SIGNALEN_BLOKKEN_CSV,
    SIGNALEN_WEKEN_CSV,
)
FILENAMES = {dataset.filename: dataset for dataset in DATASETS}


# --- Rows of each dataset ----------------------------------------------------------------


def _absolute(path: str) -> str:
    return site_url(path)


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def _count_columns(count: dict[str, Any]) -> dict[str, Any]:
    return {
        "count": count["count"],
        "hidden": count["hidden"],
        "reason": count["reason"],
    }


def _wijken_rows(gemeente: Gemeente) -> list[dict[str, Any]]:
    rows = public_data.wijk_rows(list(public_data.wijken_of(gemeente)))
    for row in rows:
        row["url"] = _absolute(row["url"])
    return [public_data.flat_properties(row) for row in rows]


def _buurten_rows(gemeente: Gemeente) -> list[dict[str, Any]]:
    items = list(public_data.buurten_of(gemeente=gemeente))
    return [public_data.flat_properties(row) for row in public_data.buurt_rows(items)]


def _initiatives_rows(gemeente: Gemeente) -> list[dict[str, Any]]:
    rows = []
    for item in public_data.initiatives(gemeente_id=gemeente.pk).iterator(
        chunk_size=500
    ):
        row = public_data.initiative_row(item)
        row["themes"] = ";".join(row["themes"])
        row["organisers"] = ";".join(row["organisers"])
        row["url"] = _absolute(row["url"])
        rows.append(row)
    return rows


def _theme_rows(gemeente: Gemeente) -> list[dict[str, Any]]:
    from signalen.answers import queries as answer_queries

    rows = []
    for item in answer_queries.public_themes(gemeente_id=gemeente.pk):
        row = public_data.theme_row(item)
        size = row.pop("size")
        row.update(
            {"size": size["count"], "hidden": size["hidden"], "reason": size["reason"]}
        )
        row["url"] = _absolute(row["url"])
        rows.append(row)
    return rows


def _signal_period(today: datetime.date) -> Period:
    return public_data.last_blocks(SIGNAL_BLOCKS, today=today)


def _signal_block_rows(
    gemeente: Gemeente, today: datetime.date
) -> list[dict[str, Any]]:
    data = public_data.gemeente_signals(gemeente, _signal_period(today))
    rows = []
    for wijk in data["wijken"]:
        for block in wijk["blocks"]:
            rows.append(
                {
                    "wijk": wijk["wijk"],
                    "name": wijk["name"],
                    "block_start": block["start"],
                    "block_end": block["end"],
                    **_count_columns(block["total"]),
                    "inhabitants": wijk["inhabitants"],
                    "per_1000_inhabitants": block["per_1000_inhabitants"],
                }
            )
    return rows


def _signal_week_rows(gemeente: Gemeente, today: datetime.date) -> list[dict[str, Any]]:
    query = public_data.SignalQuery(period=_signal_period(today))
    rows = []
    for wijk in public_data.wijken_of(gemeente):
        data = public_data.wijk_signals(wijk, query)
        for block in data["blocks"]:
            for week in block["weeks"]:
                for cell in week["categories"]:
                    rows.append(
                        {
                            "wijk": wijk.code,
                            "block_start": block["start"],
                            "week": week["week"],
                            "category": cell["code"],
                            "category_name": cell["name"],
                            **_count_columns(cell),
                        }
                    )
    return rows


def _geojson(gemeente: Gemeente, level: str) -> dict[str, Any]:
    if level == "wijk":
        wijken = list(public_data.wijken_of(gemeente, geometry=True))
        rows = public_data.wijk_rows(wijken)
        areas: list[Any] = wijken
    else:
        buurten = list(public_data.buurten_of(gemeente=gemeente, geometry=True))
        rows = public_data.buurt_rows(buurten)
        areas = buurten
    collection = public_data.feature_collection(areas, rows)
    for feature in collection["features"]:
        feature["properties"].pop("url", None)
    collection["licence"] = LICENCE
    collection["attribution"] = str(ATTRIBUTION)
    return collection


def _csv_bytes(dataset: Dataset, rows: Iterable[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    names = [column.name for column in dataset.columns]
    # The one formula-safe writer: a resident's initiative title "=HYPERLINK(...)"
    # must not become a live formula in someone's spreadsheet.
    writer = core_exports.csv_dict_writer(out, fieldnames=names, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: _csv_value(row.get(name)) for name in names})
    return out.getvalue().encode("utf-8")


def dataset_bytes(
    dataset: Dataset, gemeente: Gemeente, *, today: datetime.date
) -> bytes:
    """The content of one file of one gemeente."""
    builders: dict[str, Callable[[], list[dict[str, Any]]]] = {
        "wijken.csv": lambda: _wijken_rows(gemeente),
        "buurten.csv": lambda: _buurten_rows(gemeente),
        "initiatieven.csv": lambda: _initiatives_rows(gemeente),
        "themas.csv": lambda: _theme_rows(gemeente),
        "signalen_per_blok.csv": lambda: _signal_block_rows(gemeente, today),
        "signalen_per_week.csv": lambda: _signal_week_rows(gemeente, today),
    }
    if dataset.filename.endswith(".geojson"):
        level = "wijk" if dataset.filename.startswith("wijken") else "buurt"
        return json.dumps(
            _geojson(gemeente, level), cls=DjangoJSONEncoder, ensure_ascii=False
        ).encode("utf-8")
    return _csv_bytes(dataset, builders[dataset.filename]())


# --- Builds --------------------------------------------------------------------------


def _dir(code: str, day: str) -> str:
    return f"{ROOT}/{code}/{day}"


def _metadata(
    gemeente: Gemeente, day: datetime.date, files: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "gemeente": gemeente.code,
        "name": gemeente.name,
        "date": day.isoformat(),
        "built_at": timezone.now().isoformat(),
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "attribution": str(ATTRIBUTION),
        "k_anonymity": int(settings.K_ANONYMITY),
        "signal_blocks": SIGNAL_BLOCKS,
        "files": files,
    }


def build_for_gemeente(
    gemeente: Gemeente,
    *,
    today: datetime.date | None = None,
    storage: Storage | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Write every file of one gemeente for `today` and point its manifest at them."""
    storage = storage or default_storage
    today = today or timezone.localdate()
    folder = _dir(gemeente.code, today.isoformat())
    files = []
    for dataset in DATASETS:
        content = dataset_bytes(dataset, gemeente, today=today)
        path = f"{folder}/{dataset.filename}"
        if storage.exists(path):
            storage.delete(path)
        storage.save(path, ContentFile(content))
        files.append(
            {
                "filename": dataset.filename,
                "media_type": dataset.media_type,
                "size": len(content),
                "title": str(dataset.title),
                "description": str(dataset.description),
                "columns": [
                    {"name": c.name, "description": str(c.description)}
                    for c in dataset.columns
                ],
            }
        )
        if progress is not None:
            progress(dataset.filename)
    metadata = _metadata(gemeente, today, files)
    body = json.dumps(metadata, ensure_ascii=False, indent=2).encode("utf-8")
    for path in (f"{folder}/metadata.json", f"{ROOT}/{gemeente.code}/manifest.json"):
        if storage.exists(path):
            storage.delete(path)
        storage.save(path, ContentFile(body))
    _prune(gemeente.code, storage=storage)
    return metadata


def kept_builds(code: str, *, storage: Storage | None = None) -> list[str]:
    """The dates of the builds of a gemeente that are still kept, newest first."""
    storage = storage or default_storage
    try:
        days, _files = storage.listdir(f"{ROOT}/{code}")
    except FileNotFoundError:
        return []
    return sorted((d for d in days if DATE_RE.match(d)), reverse=True)


def _prune(code: str, *, storage: Storage) -> None:
    """Remove all but the newest OPENDATA_KEEP_BUILDS builds of a gemeente."""
    builds = kept_builds(code, storage=storage)
    for day in builds[max(1, int(settings.OPENDATA_KEEP_BUILDS)) :]:
        _dirs, names = storage.listdir(_dir(code, day))
        for name in names:
            storage.delete(f"{_dir(code, day)}/{name}")
        # FileSystemStorage leaves the empty folder; remove it where that is possible.
        with contextlib.suppress(NotImplementedError, OSError):
            os.rmdir(storage.path(_dir(code, day)))


def gemeenten_to_build() -> list[Gemeente]:
    return list(public_data.gemeenten())


def build_all(
    *,
    today: datetime.date | None = None,
    codes: list[str] | None = None,
    progress: Callable[[Gemeente, str], None] | None = None,
) -> list[dict[str, Any]]:
    """Build the open data of every active gemeente (or of `codes`)."""
    built = []
    for gemeente in gemeenten_to_build():
        if codes and gemeente.code not in codes:
            continue
        step: Callable[[str], None] | None = None
        if progress is not None:
            step = partial(progress, gemeente)
        built.append(build_for_gemeente(gemeente, today=today, progress=step))
    return built


# --- Forgetting a person -------------------------------------------------------------------

# The files that can carry people's words: organisers' names and the texts of
# initiatives and themes. The others hold geography, codes and counts only.
PEOPLE_FILES = (INITIATIEVEN_CSV.filename, THEMAS_CSV.filename)
# Columns that list names, separated by ";".
NAME_COLUMNS = frozenset({"organisers"})


def _same_name(entry: str, name: str) -> bool:
    return " ".join(entry.split()).casefold() == " ".join(name.split()).casefold()


def _csv_without_names(content: bytes, names: list[str]) -> tuple[bytes, bool]:
    """A published CSV file with these names taken out, and whether it named any:
    dropped from the lists of names, replaced by "[naam]" in texts (as a removal does
    in the database, accounts.names.without_name). Every other cell stays as it was."""
    reader = csv.DictReader(io.StringIO(content.decode("utf-8")))
    columns = list(reader.fieldnames or [])
    out = io.StringIO()
    writer = core_exports.csv_dict_writer(out, fieldnames=columns)
    writer.writeheader()
    changed = False
    with translation.override(settings.LANGUAGE_CODE):
        for row in reader:
            for column in columns:
                value = row.get(column) or ""
                if column in NAME_COLUMNS:
                    entries = [e for e in value.split(";") if e]
                    kept = [
                        e for e in entries if not any(_same_name(e, n) for n in names)
                    ]
                    new = ";".join(kept) if len(kept) < len(entries) else value
                else:
                    new = value
                    for name in names:
                        new = without_name(new, name)
                if new != value:
                    # The other cells were made safe when the file was built
                    # (core.exports); a changed one is made safe again.
                    row[column] = core_exports.safe_text(new)
                    changed = True
            writer.writerow(row)
    return out.getvalue().encode("utf-8"), changed


def _read(storage: Storage, path: str) -> bytes:
    with storage.open(path, "rb") as handle:
        content: bytes = handle.read()
    return content


def _replace(storage: Storage, path: str, content: bytes) -> None:
    if storage.exists(path):
        storage.delete(path)
    storage.save(path, ContentFile(content))


def _naming_files(
    code: str, day: str, names: list[str], *, storage: Storage
) -> dict[str, bytes]:
    """The files of one build that name any of these people, each with its content
    without the names."""
    found = {}
    for filename in PEOPLE_FILES:
        path = f"{_dir(code, day)}/{filename}"
        if not storage.exists(path):
            continue
        content, changed = _csv_without_names(_read(storage, path), names)
        if changed:
            found[filename] = content
    return found


def builds_naming(
    names: Iterable[str], *, storage: Storage | None = None
) -> list[tuple[str, str]]:
    """Every kept build, of any gemeente, whose files name one of these people, as
    (gemeente code, date)."""
    storage = storage or default_storage
    wanted = _clean_names(names)
    if not wanted:
        return []
    return [
        (code, day)
        for code in _stored_gemeenten(storage)
        for day in kept_builds(code, storage=storage)
        if _naming_files(code, day, wanted, storage=storage)
    ]


def _clean_names(names: Iterable[str]) -> list[str]:
    return sorted({" ".join(n.split()) for n in names if n and n.strip()})


def _stored_gemeenten(storage: Storage) -> list[str]:
    try:
        codes, _files = storage.listdir(ROOT)
    except FileNotFoundError:
        return []
    return sorted(c for c in codes if re.match(r"^GM\d{4}$", c))


def _rewrite(code: str, day: str, files: dict[str, bytes], *, storage: Storage) -> None:
    """Write the files of one build anew and bring its metadata (and the manifest,
    when it points at this build) in line with their new sizes."""
    for filename, content in files.items():
        _replace(storage, f"{_dir(code, day)}/{filename}", content)
    path = f"{_dir(code, day)}/metadata.json"
    if not storage.exists(path):
        return
    metadata = json.loads(_read(storage, path).decode("utf-8"))
    for entry in metadata.get("files", []):
        if entry.get("filename") in files:
            entry["size"] = len(files[entry["filename"]])
    metadata["names_removed_at"] = timezone.now().isoformat()
    body = json.dumps(metadata, ensure_ascii=False, indent=2).encode("utf-8")
    _replace(storage, path, body)
    current = manifest(code, storage=storage)
    if current is not None and current.get("date") == day:
        _replace(storage, f"{ROOT}/{code}/manifest.json", body)


def forget_names(
    names: Iterable[str],
    *,
    today: datetime.date | None = None,
    storage: Storage | None = None,
) -> dict[str, list[str]]:
    """After accounts were removed or made pseudonymous: no open-data file may name
    these people any more, not even a build of an earlier day.

    Per gemeente whose files name one of them: when its newest build does, the
    gemeente is built anew from the data as it is now (the removal has committed, so
    the name is gone from it); every other kept build that names them is rewritten
    without the names (dropped from the organisers, "[naam]" in texts), everything
    else in it as it was, and its metadata says when names were removed. A gemeente
    that is no longer active is rewritten, not rebuilt. Returns the gemeenten rebuilt
    and the builds rewritten ("GM0439/2026-01-02")."""
    storage = storage or default_storage
    wanted = _clean_names(names)
    done: dict[str, list[str]] = {"rebuilt": [], "rewritten": []}
    if not wanted:
        return done
    active = {g.code: g for g in gemeenten_to_build()}
    for code in _stored_gemeenten(storage):
        builds = kept_builds(code, storage=storage)
        if not builds:
            continue
        if code in active and _naming_files(code, builds[0], wanted, storage=storage):
            metadata = build_for_gemeente(active[code], today=today, storage=storage)
            done["rebuilt"].append(code)
            fresh = metadata["date"]
        else:
            fresh = None
        for day in kept_builds(code, storage=storage):
            if day == fresh:
                continue
            files = _naming_files(code, day, wanted, storage=storage)
            if files:
                _rewrite(code, day, files, storage=storage)
                done["rewritten"].append(f"{code}/{day}")
    return done


# --- Reads for the page and the download view ---------------------------------------------


def manifest(code: str, *, storage: Storage | None = None) -> dict[str, Any] | None:
    storage = storage or default_storage
    path = f"{ROOT}/{code}/manifest.json"
    if not storage.exists(path):
        return None
    with storage.open(path, "rb") as handle:
        data: dict[str, Any] = json.loads(handle.read().decode("utf-8"))
    return data


def catalogue() -> list[tuple[Gemeente, dict[str, Any] | None]]:
    """Every active gemeente with the manifest of its newest build (None: none yet)."""
    return [(g, manifest(g.code)) for g in gemeenten_to_build()]


def file_path(code: str, day: str, filename: str) -> str | None:
    """The storage path of a published file, or None when it is not one."""
    if not re.match(r"^GM\d{4}$", code) or not DATE_RE.match(day):
        return None
    if filename not in FILENAMES and filename != "metadata.json":
        return None
    path = f"{_dir(code, day)}/{filename}"
    return path if default_storage.exists(path) else None
