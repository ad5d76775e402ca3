"""The wijkteam's contact and a few places for the first wijk of the demo gemeente.

Made up like the rest of Demostad: the street names, numbers and the 14 number are
invented (the 14 number uses the demo code, which no real gemeente has). Each place
stands on the representative point of one of the wijk's buurten, so it always lies
inside the wijk whatever seed drew the shapes. Loading twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from shapely.geometry import shape

from wijken.models import Buurt, Gemeente, Plek, PlekSoort, Wijk, WijkteamContact


@dataclass(frozen=True)
class DemoPlek:
    buurt_name: str
    kind: str
    name: str
    description: str
    address: str
    opening_hours: str
    phone: str = ""
    website: str = ""


DEMO_CONTACT = {
    "name": "Sociaal wijkteam Centrum",
    "phone": "14 9901",
    "email": "wijkteam-centrum@demostad.example",
    "walk_in_hours": (
        "Dinsdag 9.00 - 12.00 uur in Wijkcentrum De Schakel\n"
        "Donderdag 13.30 - 16.00 uur in Bibliotheek Demostad Centrum"
    ),
    "address": "Marktplein 4, 9901 AB Demostad",
    "website": "",
}

DEMO_PLEKKEN = (
    DemoPlek(
        buurt_name="Kerkbuurt",
        kind=PlekSoort.BUURTHUIS,
        name="Buurthuis De Kerkuil",
        description=(
            "Koffieochtend voor ouderen, eettafel op vrijdag en een taalcafé. "
            "Iedereen is welkom, ook als u alleen komt."
        ),
        address="Kerkpad 7, 9901 CK Demostad",
        opening_hours="Maandag tot en met vrijdag 9.00 - 17.00 uur\nZaterdag 10.00 - 13.00 uur",
        phone="0299 990 170",
    ),
    DemoPlek(
        buurt_name="Marktkwartier",
        kind=PlekSoort.BIBLIOTHEEK,
        name="Bibliotheek Demostad Centrum",
        description=(
            "Boeken lenen, Taalhuis voor wie beter Nederlands wil leren, en hulp bij "
            "de computer en formulieren van de overheid (Informatiepunt Digitale "
            "Overheid)."
        ),
        address="Marktstraat 21, 9901 BM Demostad",
        opening_hours="Dinsdag tot en met zaterdag 10.00 - 17.00 uur\nDonderdag tot 20.00 uur",
        phone="0299 990 210",
    ),
    DemoPlek(
        buurt_name="Binnenstad",
        kind=PlekSoort.WIJKCENTRUM,
        name="Wijkcentrum De Schakel",
        description=(
            "Spreekuur van het wijkteam, het geldloket voor hulp bij schulden en "
            "rekeningen, en steun voor mantelzorgers."
        ),
        address="Schakelstraat 2, 9901 AC Demostad",
        opening_hours="Maandag tot en met vrijdag 8.30 - 17.00 uur",
    ),
    DemoPlek(
        buurt_name="Stationsbuurt",
        kind=PlekSoort.HUISARTS,
        name="Huisartsenpraktijk Stationsplein",
        description="Huisarts en praktijkondersteuner voor lichamelijke en psychische klachten.",
        address="Stationsplein 12, 9901 DS Demostad",
        opening_hours="Maandag tot en met vrijdag 8.00 - 17.00 uur\nSpoed buiten deze tijden: de huisartsenpost",
        phone="0299 990 400",
    ),
)


def _point_in(buurt: Buurt) -> tuple[float, float] | None:
    if not buurt.geometry:
        return None
    point = shape(buurt.geometry).representative_point()
    return round(point.y, 6), round(point.x, 6)


def demo_plekken_load(*, gemeente: Gemeente) -> Wijk | None:
    """Put the demo contact and places in the first wijk of a demo gemeente. A real
    gemeente gets nothing: made-up places have no business on a real wijk page."""
    if not gemeente.is_demo:
        return None
    wijk = gemeente.wijken.filter(is_active=True).order_by("code").first()
    if wijk is None:
        return None
    buurten = {b.name: b for b in wijk.buurten.filter(is_active=True)}
    with transaction.atomic():
        contact = WijkteamContact.objects.filter(wijk=wijk).first() or (
            WijkteamContact(wijk=wijk)
        )
        for name, value in DEMO_CONTACT.items():
            setattr(contact, name, value)
        contact.full_clean()
        contact.save()
        for demo in DEMO_PLEKKEN:
            buurt = buurten.get(demo.buurt_name)
            point = _point_in(buurt) if buurt else None
            if buurt is None or point is None:
                continue
            plek = Plek.objects.filter(wijk=wijk, name=demo.name).first() or Plek(
                wijk=wijk, name=demo.name
            )
            plek.buurt = buurt
            plek.kind = demo.kind
            plek.description = demo.description
            plek.address = demo.address
            plek.opening_hours = demo.opening_hours
            plek.phone = demo.phone
            plek.website = demo.website
            plek.latitude, plek.longitude = point
            plek.full_clean()
            plek.save()
    return wijk
