"""The result types of the scrubber (plain data, no Django)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

# kind -> (tag in the stored text, Dutch label for the author)
KINDS: dict[str, tuple[str, str]] = {
    "naam": ("[NAAM]", "naam"),
    "adres": ("[ADRES]", "adres"),
    "postcode": ("[POSTCODE]", "postcode"),
    "telefoon": ("[TELEFOON]", "telefoonnummer"),
    "e-mail": ("[E-MAIL]", "e-mailadres"),
    "bsn": ("[BSN]", "burgerservicenummer (BSN)"),
    "iban": ("[IBAN]", "rekeningnummer (IBAN)"),
    "geboortedatum": ("[GEBOORTEDATUM]", "geboortedatum"),
    "kenteken": ("[KENTEKEN]", "kenteken"),
    "handle": ("[ACCOUNT]", "account of profiel op sociale media"),
    "quasi": ("[KENMERK]", "herkenbaar kenmerk (hoge leeftijd, huisnummer)"),
}


def tag_for(kind: str) -> str:
    return KINDS[kind][0]


def label_for(kind: str) -> str:
    return KINDS[kind][1]


@dataclass(frozen=True)
class Removal:
    """One thing taken out, for the author's eyes only."""

    kind: str  # a key of KINDS
    label: str  # Dutch label for display, e.g. "telefoonnummer"
    original: str  # the removed text: never stored, shown once to the author


@dataclass(frozen=True)
class ScrubResult:
    text: str  # the text as it will be stored, with tags like [NAAM]
    removals: tuple[Removal, ...]

    def summary(self) -> dict[str, int]:
        """Kind -> count: safe to store (no original text)."""
        return dict(Counter(removal.kind for removal in self.removals))


@dataclass(frozen=True)
class Span:
    """A stretch of the input that holds personal data (internal)."""

    start: int
    end: int
    kind: str
