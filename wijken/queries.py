"""Reads of geography and key figures, for our own pages and for the apps above."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from wijken.models import (
    Buurt,
    Gemeente,
    Kerncijfers,
    Plek,
    PlekSoort,
    Wijk,
    WijkteamContact,
    phone_digits,
)


def gemeenten_active() -> QuerySet[Gemeente]:
    return (
        Gemeente.objects.filter(is_active=True)
        .annotate(wijk_count=Count("wijken", filter=Q(wijken__is_active=True)))
        .order_by("name")
    )


def gemeenten_search(*, term: str) -> QuerySet[Gemeente]:
    return gemeenten_active().filter(Q(name__icontains=term) | Q(code__iexact=term))


def wijken_search(*, term: str) -> QuerySet[Wijk]:
    """Active wijken by name or code, for "find your wijk"."""
    return (
        Wijk.objects.filter(is_active=True)
        .filter(Q(name__icontains=term) | Q(code__iexact=term))
        .select_related("gemeente")
        .order_by("name", "gemeente__name")
    )


def gemeente_get(*, code: str) -> Gemeente | None:
    return Gemeente.objects.filter(code=code.upper()).first()


def wijken_for_gemeente(*, gemeente: Gemeente) -> QuerySet[Wijk]:
    return (
        gemeente.wijken.filter(is_active=True)
        .annotate(buurt_count=Count("buurten", filter=Q(buurten__is_active=True)))
        .order_by("code")
    )


def wijk_get(*, code: str) -> Wijk | None:
    return (
        # The wijkteam's contact comes along in the same query (a LEFT JOIN), so the
        # public wijk page pays nothing for it; see contact_for_wijk.
        Wijk.objects.select_related("gemeente", "wijkteam_contact")
        .prefetch_related(
            Prefetch(
                "buurten",
                queryset=Buurt.objects.filter(is_active=True).order_by("code"),
                to_attr="active_buurten",
            )
        )
        .filter(code=code.upper())
        .first()
    )


def wijk_code(*, pk: int) -> str | None:
    return Wijk.objects.filter(pk=pk).values_list("code", flat=True).first()


def wijk_head(*, code: str) -> Wijk | None:
    """The wijk's own row without its geometry, buurten or gemeente: enough for a
    page whose content comes from the cache (the public wijk page)."""
    return Wijk.objects.defer("geometry").filter(code=code.upper()).first()


def wijk_get_without_geometry(*, code: str) -> Wijk | None:
    """The wijk, its gemeente and its active buurten (as `active_buurten`), without
    their geometry: for pages that draw no map of them (the officers' wijk dashboard
    and its exports), which then neither load nor cache the polygons."""
    return (
        Wijk.objects.select_related("gemeente")
        .defer("geometry", "gemeente__geometry")
        .prefetch_related(
            Prefetch(
                "buurten",
                queryset=Buurt.objects.filter(is_active=True)
                .defer("geometry")
                .order_by("code"),
                to_attr="active_buurten",
            )
        )
        .filter(code=code.upper())
        .first()
    )


def figures_latest(*, codes: list[str]) -> dict[str, Kerncijfers]:
    """Return the most recent key figures for each code that has any."""
    latest: dict[str, Kerncijfers] = {}
    for row in Kerncijfers.objects.filter(code__in=codes).order_by("code", "-year"):
        latest.setdefault(row.code, row)
    return latest


def feature_collection(
    areas: list[Any], *, figures: dict[str, Kerncijfers] | None = None
) -> dict[str, Any]:
    """GeoJSON FeatureCollection of areas that have a geometry, for the Leaflet maps."""
    features = []
    for area in areas:
        if not area.geometry:
            continue
        props: dict[str, Any] = {
            "code": area.code,
            "name": area.name,
            "url": area.get_absolute_url() if hasattr(area, "get_absolute_url") else "",
        }
        if figures and area.code in figures:
            props["inhabitants"] = figures[area.code].inhabitants
        features.append(
            {"type": "Feature", "geometry": area.geometry, "properties": props}
        )
    return {"type": "FeatureCollection", "features": features}


# --- The wijkteam's contact and the places of a wijk -----------------------------------
#
# Public reads return plain dataclasses with public fields only, so the wijk page, the
# public API and the open-data files can show or serialise them as they are
# (dataclasses.asdict gives plain values; updated_at is a datetime).


@dataclass(frozen=True)
class PublicContact:
    """How residents reach the wijkteam of a wijk."""

    wijk_code: str
    name: str
    phone: str
    phone_href: str
    email: str
    walk_in_hours: str
    address: str
    website: str
    updated_at: datetime.datetime


@dataclass(frozen=True)
class PublicPlek:
    """A place in the wijk, with its point on the map (WGS84)."""

    id: int
    wijk_code: str
    buurt_code: str | None
    buurt_name: str | None
    kind: str
    kind_label: str
    name: str
    description: str
    address: str
    opening_hours: str
    website: str
    phone: str
    phone_href: str
    latitude: float
    longitude: float
    updated_at: datetime.datetime


def _tel(phone: str) -> str:
    """A tel: link target in international form: 0299 123 456 -> +31299123456. The
    short 14 numbers and service numbers stay as they are."""
    digits = phone_digits(phone)
    if not digits:
        return ""
    if digits.startswith("0") and len(digits) == 10 and not digits.startswith("0800"):
        return "+31" + digits[1:]
    return digits


def contact_model_for_wijk(wijk: Wijk) -> WijkteamContact | None:
    """The contact row of the wijk, or None. Free when the wijk came from wijk_get
    (select_related); one query otherwise."""
    try:
        return wijk.wijkteam_contact
    except WijkteamContact.DoesNotExist:
        return None


def contact_for_wijk(wijk: Wijk) -> PublicContact | None:
    """The wijkteam's public contact for the wijk, or None when the team gave none."""
    contact = contact_model_for_wijk(wijk)
    if contact is None:
        return None
    return PublicContact(
        wijk_code=wijk.code,
        name=contact.name,
        phone=contact.phone,
        phone_href=_tel(contact.phone),
        email=contact.email,
        walk_in_hours=contact.walk_in_hours,
        address=contact.address,
        website=contact.website,
        updated_at=contact.updated_at,
    )


def plekken_of_wijk(wijk: Wijk) -> QuerySet[Plek]:
    """The places of the wijk as rows (for the team's management page)."""
    return Plek.objects.filter(wijk=wijk).select_related("buurt").order_by("name", "pk")


def _public_plek(plek: Plek, wijk_code: str) -> PublicPlek:
    return PublicPlek(
        id=plek.pk,
        wijk_code=wijk_code,
        buurt_code=plek.buurt.code if plek.buurt else None,
        buurt_name=plek.buurt.name if plek.buurt else None,
        kind=plek.kind,
        kind_label=str(PlekSoort(plek.kind).label),
        name=plek.name,
        description=plek.description,
        address=plek.address,
        opening_hours=plek.opening_hours,
        website=plek.website,
        phone=plek.phone,
        phone_href=_tel(plek.phone),
        latitude=plek.latitude,
        longitude=plek.longitude,
        updated_at=plek.updated_at,
    )


def places_for_wijk(wijk: Wijk) -> list[PublicPlek]:
    """The wijk's places, by name, in one query whatever their number."""
    return [_public_plek(p, wijk.code) for p in plekken_of_wijk(wijk)]


def places_map_points(places: list[PublicPlek]) -> list[dict[str, Any]]:
    """What the Leaflet map needs per place; the number matches the list on the page,
    which is the map's text alternative."""
    return [
        {
            "number": number,
            "name": place.name,
            "kind": place.kind_label,
            "address": place.address,
            "hours": place.opening_hours,
            "lat": place.latitude,
            "lon": place.longitude,
            "anchor": f"plek-{place.id}",
        }
        for number, place in enumerate(places, start=1)
    ]


# Words that say nothing about a place: too common in themes and descriptions.
STOPWORDS = frozenset(
    {
        *("door", "naar", "niet", "onder", "over", "veel", "voor", "zijn", "meer"),
        *("maar", "geen", "hebben", "heeft", "wordt", "worden", "kunnen", "deze"),
        # Every theme and every place is about the wijk and its residents.
        *("wijk", "wijken", "buurt", "buurten", "bewoner", "bewoners", "mensen"),
        *("plek", "plekken", "samen"),
    }
)
MIN_WORD_LENGTH = 4
# Words that begin with the same this many letters count as the same word
# (eenzaamheid / eenzaam-, ouderenmiddag / ouderen).
SHARED_PREFIX = 6


def _words(text: str) -> set[str]:
    folded = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return {
        w
        for w in re.findall(r"[a-z0-9]+", plain)
        if len(w) >= MIN_WORD_LENGTH and w not in STOPWORDS
    }


def _matches(theme_word: str, place_words: set[str]) -> bool:
    """The same word, one the start of the other (taal / taalhuis), or a shared
    beginning of SHARED_PREFIX letters."""
    for word in place_words:
        shorter, longer = sorted((theme_word, word), key=len)
        if longer.startswith(shorter):
            return True
        if len(shorter) >= SHARED_PREFIX and (
            shorter[:SHARED_PREFIX] == longer[:SHARED_PREFIX]
        ):
            return True
    return False


def places_matching(
    *, wijk: Wijk, words: str, kinds: Sequence[str] = (), limit: int = 5
) -> list[PublicPlek]:
    """Places of the wijk that may fit a theme: its words found in the place's name,
    description or kind (two points a word), or the place of a kind that fits (one
    point). Best first; places without any point are left out. One query."""
    wanted = _words(words)
    scored: list[tuple[int, str, PublicPlek]] = []
    for place in places_for_wijk(wijk):
        place_words = _words(
            " ".join((place.name, place.description, place.kind, place.kind_label))
        )
        score = 2 * sum(1 for w in wanted if _matches(w, place_words))
        if place.kind in kinds:
            score += 1
        if score:
            scored.append((score, place.name.lower(), place))
    scored.sort(key=lambda row: (-row[0], row[1]))
    return [place for _score, _name, place in scored[:limit]]
