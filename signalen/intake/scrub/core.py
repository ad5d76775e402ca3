"""Putting the layers together: find spans, resolve overlaps, replace with tags."""

from __future__ import annotations

import re
from collections.abc import Iterable

from . import names, patterns
from . import people as people_rules
from .allowlist import MULTIWORD
from .types import KINDS, Removal, ScrubResult, Span, label_for, tag_for

# Tags already in a text (scrubbing a scrubbed text changes nothing).
_EXISTING_TAG = re.compile(
    "|".join(re.escape(tag) for tag, _label in KINDS.values()), re.IGNORECASE
)


_MULTIWORD = re.compile(
    r"(?<![\w])(?:" + "|".join(re.escape(w) for w in MULTIWORD) + r")(?![\w])",
    re.IGNORECASE,
)


def _protected(text: str, keep: frozenset[str]) -> list[tuple[int, int]]:
    """Where the caller's place names and multi-word organisations occur in `text`."""
    found = [(m.start(), m.end()) for m in _MULTIWORD.finditer(text)]
    if keep:
        pattern = re.compile(
            r"(?<![\w])(?:"
            + "|".join(re.escape(w) for w in sorted(keep, key=len, reverse=True))
            + r")(?![\w])",
            re.IGNORECASE,
        )
        found += [(m.start(), m.end()) for m in pattern.finditer(text)]
    return found


def _outside(span: Span, protected: list[tuple[int, int]]) -> list[Span]:
    """The parts of a name or address span that are not a protected name."""
    pieces = [span]
    for start, end in protected:
        next_pieces = []
        for piece in pieces:
            if end <= piece.start or piece.end <= start:
                next_pieces.append(piece)
                continue
            if piece.start < start:
                next_pieces.append(Span(piece.start, start, piece.kind))
            if end < piece.end:
                next_pieces.append(Span(end, piece.end, piece.kind))
        pieces = next_pieces
    return pieces


def normalise_keep(keep: Iterable[str]) -> frozenset[str]:
    return frozenset(word.casefold().strip() for word in keep if word and word.strip())


def _trim(text: str, span: Span) -> Span | None:
    start, end = span.start, span.end
    while start < end and text[start] in " \t\r\n,;:":
        start += 1
    while end > start and text[end - 1] in " \t\r\n,;:":
        end -= 1
    return Span(start, end, span.kind) if end > start else None


_PARTICLES = frozenset({"van", "de", "der", "den", "het", "'t", "ten", "ter", "te"})


# A street name alone is no person ("Bewoners van de Merelstraat"), though deduce
# sometimes takes it for a surname.
_STREET_NAME_ONLY = re.compile(
    r"(?:[A-Z][\w'-]*(?:straat|laan|weg|plein|gracht|kade|singel|steeg|dreef|"
    r"plantsoen|boulevard|promenade)\s*)+"
)


def _only_particles(original: str) -> bool:
    """Nothing of a name is left: "van" of "van Zeilmakerstraat 18" once the address
    is cut out, "De" of "De Albert Heijn"."""
    if sum(c.isalpha() for c in original) < 2:
        return True
    return all(word.casefold() in _PARTICLES for word in original.split())


def _overlaps(span: Span, taken: list[Span]) -> bool:
    return any(span.start < other.end and other.start < span.end for other in taken)


def _shouted(text: str) -> bool:
    """Typed with caps lock on ("MW JANSEN BELDE"): the name rules read case."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 8 and sum(c.isupper() for c in letters) > 0.7 * len(letters)


def _lower_same_length(text: str) -> str:
    """The text in lower case, letter for letter (offsets stay valid)."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def find_spans(
    text: str, keep: frozenset[str] = frozenset(), *, use_deduce: bool = True
) -> list[Span]:
    """The spans to remove, without overlaps, in text order."""
    if _shouted(text):
        # Read in lower case (the rules for typed-lower-case names apply), and keep
        # what the text in capitals adds (plates, postcodes).
        lowered = _find_spans(_lower_same_length(text), keep, use_deduce=use_deduce)
        extra = [
            span
            for span in _find_spans(text, keep, use_deduce=use_deduce)
            if not _overlaps(span, lowered)
        ]
        return sorted([*lowered, *extra], key=lambda s: s.start)
    return _find_spans(text, keep, use_deduce=use_deduce)


def _find_spans(
    text: str, keep: frozenset[str] = frozenset(), *, use_deduce: bool = True
) -> list[Span]:
    taken = [Span(m.start(), m.end(), "tag") for m in _EXISTING_TAG.finditer(text)]
    structured = patterns.find_structured(text)
    people = [
        *names.find_street_addresses(text, keep),
        *names.find_titled_names(text, keep),
    ]
    if use_deduce:
        organisations = people_rules.organisation_ranges(text)
        people += [
            span
            for span in names.find_with_deduce(text, keep)
            if not people_rules.deduce_false_alarm(text, span, organisations)
        ]
        people += people_rules.find_names(text, keep)
    # Structured identifiers first (their own order of precedence), then street
    # addresses, then the longest names; a name that runs into an address taken
    # before it keeps its other part ("mw Brouwer Kerkpad 3a": "Brouwer").
    people.sort(key=lambda s: (s.kind != "adres", s.start - s.end, s.start))
    protected = _protected(text, keep)
    pieces = [piece for span in people for piece in _outside(span, protected)]
    # A street address goes whole before a quasi-identifier inside it ("woont op 2e
    # Oosterparkstraat 34bis": not only "2e").
    candidates = [
        *(span for span in structured if span.kind != "quasi"),
        *(piece for piece in pieces if piece.kind == "adres"),
        *(span for span in structured if span.kind == "quasi"),
        *(piece for piece in pieces if piece.kind != "adres"),
    ]
    chosen: list[Span] = []
    for candidate in candidates:
        if candidate.kind == "naam":
            addresses = [(c.start, c.end) for c in chosen if c.kind == "adres"]
            pieces = _outside(candidate, addresses)
            if len(pieces) != 1:
                candidates += pieces
                continue
            candidate = pieces[0]
        span = _trim(text, candidate)
        if span is None or _overlaps(span, taken):
            continue
        if span.kind in ("naam", "adres") and _only_particles(
            text[span.start : span.end]
        ):
            continue  # only a particle or initial left over after protected names
        if span.kind == "naam" and _STREET_NAME_ONLY.fullmatch(
            text[span.start : span.end]
        ):
            continue
        taken.append(span)
        chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)


def scrub(
    text: str, keep: Iterable[str] = frozenset(), *, use_deduce: bool = True
) -> ScrubResult:
    """Replace personal data in `text` by tags such as [NAAM] and [TELEFOON].

    `keep`: names that are never removed (the caller's gemeente, wijk and buurt names).
    `use_deduce=False` runs the regex layer and the title rule only (the baseline).
    """
    if not text:
        return ScrubResult(text=text, removals=())
    spans = find_spans(text, normalise_keep(keep), use_deduce=use_deduce)
    parts: list[str] = []
    removals: list[Removal] = []
    position = 0
    for span in spans:
        parts.append(text[position : span.start])
        parts.append(tag_for(span.kind))
        removals.append(
            Removal(
                kind=span.kind,
                label=label_for(span.kind),
                original=text[span.start : span.end],
            )
        )
        position = span.end
    parts.append(text[position:])
    return ScrubResult(text="".join(parts), removals=tuple(removals))
