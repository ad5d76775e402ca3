"""Writes of the wijkteam's contact and the places of a wijk.

Who may call these is decided above (signalen/places/views.py checks the team's wijken;
wijken imports no app of ours). Every write validates the whole row again
(full_clean), so a caller that skips the form still cannot save a phone number that is
no phone number or a point far outside the wijk.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from wijken.models import Buurt, Plek, PlekSoort, Wijk, WijkteamContact

CONTACT_FIELDS = ("name", "phone", "email", "walk_in_hours", "address", "website")
PLEK_FIELDS = (
    "kind",
    "name",
    "description",
    "address",
    "opening_hours",
    "website",
    "phone",
    "latitude",
    "longitude",
)
# Text fields whose line breaks mean something (opening hours per day).
MULTILINE = ("walk_in_hours", "opening_hours", "description")


def _tidy(name: str, value: Any) -> Any:
    """Trim text; single spaces within a line; at most one empty line in a row."""
    if not isinstance(value, str):
        return value
    if name in MULTILINE:
        lines = [" ".join(line.split()) for line in value.strip().splitlines()]
        text = "\n".join(lines)
        while "\n\n\n" in text:
            text = text.replace("\n\n\n", "\n\n")
        return text.strip()
    return " ".join(value.split())


def contact_save(*, wijk: Wijk, data: Mapping[str, Any]) -> WijkteamContact:
    """Create or change the wijkteam's contact of the wijk."""
    with transaction.atomic():
        contact = WijkteamContact.objects.select_for_update().filter(
            wijk=wijk
        ).first() or WijkteamContact(wijk=wijk)
        for name in CONTACT_FIELDS:
            if name in data:
                setattr(contact, name, _tidy(name, data[name]))
        contact.full_clean()
        contact.save()
    return contact


def contact_delete(*, wijk: Wijk) -> bool:
    """Remove the wijk's contact. True when there was one."""
    deleted, _rows = WijkteamContact.objects.filter(wijk=wijk).delete()
    return bool(deleted)


def _apply(plek: Plek, data: Mapping[str, Any]) -> None:
    for name in PLEK_FIELDS:
        if name in data:
            setattr(plek, name, _tidy(name, data[name]))
    if "buurt" in data:
        buurt = data["buurt"]
        plek.buurt = buurt if isinstance(buurt, Buurt) else None


def plek_create(*, wijk: Wijk, data: Mapping[str, Any]) -> Plek:
    """Add a place to the wijk."""
    plek = Plek(wijk=wijk, kind=PlekSoort.ANDERS)
    _apply(plek, data)
    with transaction.atomic():
        plek.full_clean()
        plek.save()
    return plek


def plek_update(*, plek: Plek, data: Mapping[str, Any]) -> Plek:
    """Change a place; its wijk stays."""
    with transaction.atomic():
        locked = Plek.objects.select_for_update().get(pk=plek.pk)
        _apply(locked, data)
        locked.full_clean()
        locked.save()
    return locked


def plek_delete(*, plek: Plek) -> None:
    Plek.objects.filter(pk=plek.pk).delete()
