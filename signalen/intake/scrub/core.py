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


# A street named after a person is no person ("Jan van Galenstraat", "Prins
# Bernhardplein"): a name span whose last word is a street name.
_STREET_LAST = re.compile(
    r"(?:^|[ \t])[A-Za-z][\w'-]*[a-z](?:straat|laan|weg|plein|gracht|kade|singel|steeg|"
    r"dreef|plantsoen|dijk|markt|park|hof|pad|kerk|school)$"
)
# A neighbourhood or place after "het" is no person ("in het Oude Westen", "bij het
# Prins Bernhardplein"); nor a water or road after "langs de" ("langs de Vaart").
_PLACE_ARTICLE_BEFORE = re.compile(r"(?<![\w])(?i:het|'t)[ \t]+$")
_PLACE_ARTICLE_INSIDE = re.compile(
    r"(?:(?i:in|op|bij|uit|naar|rond|rondom|langs|via|richting)[ \t]+)?(?i:het|'t)[ \t]+[A-Z]"
)
_ROUTE_BEFORE = re.compile(
    r"(?<![\w])(?i:langs|via|richting|rond|rondom|nabij)[ \t]+(?:(?i:de)[ \t]+)?$"
)
_ORGANISATION_WORD = re.compile(
    r"[A-Z][\w'-]*[a-z](?:school|kerk|college|lyceum|moskee|kliniek|ziekenhuis|"
    r"centrum|bibliotheek|sporthal|zwembad)"
)
_TITLE_BEFORE = re.compile(
    r"(?<![\w])(?i:mevrouw|mevr|mw|meneer|mijnheer|dhr|hr|fam|familie|gezin)\.?[ \t]+$"
)
# A name of a school, a church, a club: "de Al Wahda school", "het Fortis college".
_NAMED_ORGANISATION = re.compile(
    r"(?<![\w])(?i:de|het)[ \t]+(?P<name>(?:[A-Z][\w'-]*[ \t]+){1,3})"
    r"(?i:school|basisschool|moskee|kerk|college|lyceum|vereniging|club|voetbalclub|"
    r"sportclub|stichting|kliniek|praktijk|buurthuis|bibliotheek|winkel|supermarkt|"
    r"bakkerij|apotheek|sporthal|zwembad|gemeente|parochie|gemeenschap|kinderopvang|"
    r"opvang|creche|crèche)(?![\w])"
)


def _not_a_person(text: str, span: Span) -> Span | None:
    """The part of a name span that can be a person (None: nothing)."""
    original = text[span.start : span.end]
    if _PLACE_ARTICLE_INSIDE.match(original) or (
        original[:1].isupper() and _PLACE_ARTICLE_BEFORE.search(text, 0, span.start)
    ):
        return None
    if (
        _ROUTE_BEFORE.search(text, 0, span.start)
        or _ROUTE_BEFORE.search(original.split(" ", 1)[0] + " ")
    ) and not _TITLE_BEFORE.search(text, 0, span.start):
        words = original.split()
        last = words[-1]
        from . import lexicon

        if last[:1].isupper() and lexicon.is_dutch_word(last):
            return None  # "langs de Vaart", "richting de Kade"
    if _ORGANISATION_WORD.fullmatch(original):
        return None  # "Julianaschool", "Pauluskerk"
    street = _STREET_LAST.search(original)
    if street and " " in original.strip():
        if not _TITLE_BEFORE.search(text, 0, span.start):
            return None
        # "mw Jansen Kerkstraat": the person, not the street
        cut = span.start + street.start()
        return Span(span.start, cut, span.kind) if cut > span.start else None
    return span


def _overlaps(span: Span, taken: list[Span]) -> bool:
    return any(span.start < other.end and other.start < span.end for other in taken)


def _shouted(text: str) -> bool:
    """Typed with caps lock on ("MW JANSEN BELDE"): the name rules read case."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 8 and sum(c.isupper() for c in letters) > 0.7 * len(letters)


def _lower_same_length(text: str) -> str:
    """The text in lower case, letter for letter (offsets stay valid)."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


# Right after a person's name, a very high age ("dhr Vos 93,", "mw Kramer (91)") or a
# year of birth ("mw Lont 1938", "dhr Pauwels (1931)") belongs to that person.
_AFTER_NAME = re.compile(
    r"[ \t]*,?[ \t]*(?:(?P<age>\(?[ \t]*(?:9\d|1[01]\d)[ \t]*\)?)|(?P<year>19\d\d)"
    r"|\([ \t]*(?P<year_in>19\d\d|20[0-2]\d)[ \t]*\))(?![\w]|[.,:]\d|[ \t]*(?:%|procent|euro|€|keer|minuten|min|uur|dagen|"
    r"weken|maanden|jaar|jr|gezinnen|huishoudens|mensen|bewoners|personen|kinderen|"
    r"jongeren|ouderen|m2|m²|km|kg|cm|m)(?![\w]))"
)


def _after_names(text: str, chosen: list[Span]) -> list[Span]:
    extra = []
    for span in chosen:
        if span.kind != "naam":
            continue
        match = _AFTER_NAME.match(text, span.end)
        if not match:
            continue
        group = next(g for g in ("age", "year", "year_in") if match.group(g))
        start, end = match.start(group), match.end(group)
        while text[start] in "( \t":
            start += 1
        while text[end - 1] in ") \t":
            end -= 1
        found = Span(start, end, "quasi" if group == "age" else "geboortedatum")
        if not _overlaps(found, chosen):
            extra.append(found)
    return extra


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
    organisations = [
        (m.start("name"), m.end("name")) for m in _NAMED_ORGANISATION.finditer(text)
    ]
    for candidate in candidates:
        if candidate.kind == "naam":
            if any(
                s <= candidate.start and candidate.end <= e for s, e in organisations
            ):
                continue
            kept = _not_a_person(text, candidate)
            if kept is None:
                continue
            candidate = kept
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
    chosen += _after_names(text, chosen)
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
