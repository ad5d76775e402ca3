"""CBS codes, levels and key-figure fields, and how raw CBS values are read."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from wijken.models import Level

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
