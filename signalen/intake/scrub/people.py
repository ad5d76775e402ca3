"""Names that have no title before them and that deduce has no lookup for.

Rules, on word tokens (see scrub_eval.py for what they find and what they keep):

1. a capitalised word in the middle of a sentence is a proper noun; it is a name when
   it is a known first name or surname, or when it is no Dutch word at all (names of
   every origin: "Tesfay", "Ghebremedhin"), unless it is a known place, country,
   organisation, language, nationality, weekday, month or holiday;
2. at the start of a sentence the same, but a word that is also an ordinary Dutch word
   ("Door", "Hoop", "Roos", "Mark") is a name only with a person after it: an age
   "(87)", a surname, or a verb such as "woont", "zit", "vertelt";
3. a lower-case word is a name when it is a first name and no Dutch word ("fatima",
   "ahmed", "henk"), or any surname or unknown word right after a family word or a
   title ("oma joke", "familie haddou", "mevrouw bakker");
4. a name runs on over particles and further name-like capitalised words
   ("Lina Al Masri", "Rasha Haj Ali", "Annemiek van der Veen");
5. names of places and organisations stay: after a head word ("Buurthuis De Vonk",
   "Speeltuin De Hoop", "Stichting Present") or as "De X"/"Het X" in mid-sentence
   ("in Het Trefpunt").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from . import lexicon
from .allowlist import ORGANISATIONS_AND_ROLES
from .extra_names import NOT_PEOPLE, ORGANISATION_HEADS, PERSON_VERBS
from .types import Span

_TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
_PARTICLES = frozenset(
    [
        "van",
        "de",
        "der",
        "den",
        "het",
        "ten",
        "ter",
        "te",
        "la",
        "le",
        "du",
        "da",
        "dos",
        "del",
        "della",
        "di",
        "el",
        "al",
        "bin",
        "ben",
        "ibn",
        "abu",
        "bint",
        "ould",
        "von",
        "zu",
        "haj",
        "hadj",
        "ter",
        "'t",
    ]
)
_ARTICLES = frozenset({"de", "het", "'t"})
# Words after which a lower-case name is expected ("oma joke", "familie haddou").
_FAMILY = frozenset(
    [
        "mevrouw",
        "mevr",
        "mw",
        "meneer",
        "mijnheer",
        "dhr",
        "hr",
        "opa",
        "oma",
        "tante",
        "oom",
        "buurman",
        "buurvrouw",
        "gezin",
        "familie",
        "fam",
        "zoon",
        "dochter",
        "zoontje",
        "dochtertje",
        "kleinzoon",
        "kleindochter",
        "neef",
        "nicht",
        "broer",
        "zus",
        "zusje",
        "broertje",
        "moeder",
        "vader",
        "schoonmoeder",
        "schoonvader",
        "juf",
        "meester",
        "cliënt",
        "client",
        "cliënte",
        "bewoner",
        "bewoonster",
        "vriend",
        "vriendin",
        "collega",
        "echtgenoot",
        "echtgenote",
        "weduwe",
        "weduwnaar",
    ]
)
_SENTENCE_END = re.compile(
    r"(?:^|[.!?:;\n\u2022*\u2013\u2014(\"'\u201c\u2018]|\s-)\s*$"
)


def _is_latin(word: str) -> bool:
    return all(ord(c) < 0x250 or 0x1E00 <= ord(c) <= 0x1EFF for c in word)


@functools.cache
def _not_people() -> frozenset[str]:
    from faker.providers.address.nl_NL import Provider

    words = {w.casefold() for w in NOT_PEOPLE}
    for country in Provider.countries:
        words.add(country.casefold())
        words.update(part.casefold() for part in country.split())
    words |= {w.casefold() for w in ORGANISATIONS_AND_ROLES}
    return frozenset(words)


def _capitalised(word: str) -> bool:
    return (
        word[0].isupper() and not word.isupper() and word[1:] == word[1:].lower()
    ) or (
        "-" in word
        and all(p[:1].isupper() for p in word.split("-"))
        and not word.isupper()
    )


def _parts(word: str) -> list[str]:
    return [p for p in re.split(r"['\u2019-]", word) if p]


def _known_name(word: str) -> bool:
    parts = _parts(word)
    return any(lexicon.is_first_name(p) or lexicon.is_surname(p) for p in parts)


def _unknown(word: str) -> bool:
    """No Dutch word (nor a common word in the lists the lexicon has)."""
    return all(lexicon.zipf(p) < lexicon.WORD_ZIPF for p in _parts(word))


def _excluded(word: str, keep: frozenset[str]) -> bool:
    folded = word.casefold()
    if folded in keep or folded in _not_people():
        return True
    return any(
        p.casefold() in _not_people() or p.casefold() in keep for p in _parts(word)
    )


def _compound(word: str) -> bool:
    """A Dutch compound ("Kinderraad", "Koemarkt"): two Dutch words, no name."""
    folded = word.casefold()
    for cut in range(3, len(folded) - 2):
        head, tail = folded[:cut], folded[cut:]
        for head_form in (head, head[:-1] if head.endswith("s") else head):
            if (
                lexicon.zipf(head_form) >= lexicon.WORD_ZIPF
                and lexicon.zipf(tail) >= lexicon.WORD_ZIPF
                and not lexicon.is_first_name(head_form)
            ):
                return True
    return False


def _nameish_capital(word: str, keep: frozenset[str]) -> bool:
    """A capitalised word that can be (part of) a name wherever it stands."""
    if not _is_latin(word) or len(word) < 2 or _excluded(word, keep):
        return False
    if word.casefold() in _FAMILY:
        return False
    if lexicon.is_ordinary_word(word) and not _known_name(word):
        return False
    if _known_name(word):
        return True
    return _unknown(word) and not _compound(word)


def _lower_first_name(word: str) -> bool:
    return (
        len(word) > 2
        and _is_latin(word)
        and lexicon.is_first_name(word)
        and not lexicon.is_dutch_word(word)
        and not lexicon.is_english_word(word)
    )


def organisation_ranges(text: str) -> list[tuple[int, int]]:
    """Names of places and organisations ("Buurthuis De Vonk", "in Het Trefpunt")."""
    found = []
    tokens = list(_TOKEN.finditer(text))
    for i, token in enumerate(tokens):
        word = token.group()
        folded = word.casefold()
        starts_name = folded in ORGANISATION_HEADS or (
            word in ("De", "Het") and not _sentence_start(text, token.start())
        )
        if not starts_name:
            continue
        if i > 0 and tokens[i - 1].group().casefold().rstrip(".") in _FAMILY:
            continue  # "mevrouw De Vries"
        j = i + 1
        if j < len(tokens) and tokens[j].group() in ("De", "Het", "'t"):
            j += 1
        end = None
        while (
            j < len(tokens)
            and _capitalised(tokens[j].group())
            and (text[tokens[j - 1].end() : tokens[j].start()].strip(" -") == "")
        ):
            end = tokens[j].end()
            j += 1
        if end is not None:
            found.append((token.start(), end))
    return found


def _sentence_start(text: str, position: int) -> bool:
    return bool(_SENTENCE_END.search(text[max(0, position - 3) : position]))


def _person_follows(
    text: str, tokens: list[re.Match[str]], i: int, keep: frozenset[str]
) -> bool:
    """After a sentence-initial word: does a person follow ("Riet (87)", "Door woont")?"""
    rest = text[tokens[i].end() : tokens[i].end() + 8]
    if re.match(r"\s*\(\s*\d{1,3}\s*\)", rest) or re.match(
        r"\s*,\s*\d{1,3}\s*(?:jaar|jr)", rest
    ):
        return True
    if i + 1 < len(tokens):
        nxt = tokens[i + 1].group()
        gap = text[tokens[i].end() : tokens[i + 1].start()]
        if gap.strip() == "" and nxt.casefold() in PERSON_VERBS:
            return True
        if (
            gap.strip() == ""
            and _capitalised(nxt)
            and _nameish_capital(nxt, keep)
            and not lexicon.is_ordinary_word(nxt)
        ):
            return True
        if nxt.casefold() == "en" and i + 2 < len(tokens):
            third = tokens[i + 2].group()
            if (
                _capitalised(third)
                and _nameish_capital(third, keep)
                and not lexicon.is_ordinary_word(third)
            ):
                return True
    return False


def find_names(text: str, keep: frozenset[str] = frozenset()) -> Iterator[Span]:
    tokens = list(_TOKEN.finditer(text))
    protected = organisation_ranges(text)

    def inside(token: re.Match[str]) -> bool:
        return any(s <= token.start() and token.end() <= e for s, e in protected)

    i = 0
    while i < len(tokens):
        token = tokens[i]
        word = token.group()
        previous = tokens[i - 1].group().casefold().rstrip(".") if i else ""
        after_family = (
            previous in _FAMILY
            and text[tokens[i - 1].end() : token.start()].strip(". ") == ""
        )
        is_name = False
        if inside(token):
            is_name = False
        elif _capitalised(word):
            if _nameish_capital(word, keep):
                if not _sentence_start(text, token.start()) or after_family:
                    is_name = True
                elif not lexicon.is_ordinary_word(word) and not lexicon.is_dutch_word(
                    word
                ):
                    is_name = (
                        _known_name(word)
                        or _person_follows(text, tokens, i, keep)
                        or (
                            i + 1 < len(tokens)
                            and _capitalised(tokens[i + 1].group())
                            and _nameish_capital(tokens[i + 1].group(), keep)
                        )
                    )
                else:
                    # An ordinary word as well ("Storm", "Hoop"): only a Dutch first
                    # name with a person after it ("Riet (87)", "Door woont").
                    is_name = lexicon.is_dutch_first_name(word) and _person_follows(
                        text, tokens, i, keep
                    )
        elif word.islower() and _is_latin(word) and not _excluded(word, keep):
            if after_family:
                is_name = (
                    lexicon.is_first_name(word)
                    or lexicon.is_surname(word)
                    or _unknown(word)
                ) and not lexicon.is_common_word(word)
            else:
                is_name = _lower_first_name(word)
        if not is_name:
            i += 1
            continue
        start, end = token.start(), token.end()
        j = i + 1
        while j < len(tokens):
            gap = text[tokens[j - 1].end() : tokens[j].start()]
            if gap not in (" ", "\t", "-") or inside(tokens[j]):
                break
            nxt = tokens[j].group()
            if nxt.casefold() in _PARTICLES:
                k = j
                while (
                    k < len(tokens)
                    and tokens[k].group().casefold() in _PARTICLES
                    and text[tokens[k - 1].end() : tokens[k].start()] == " "
                ):
                    k += 1
                if (
                    k < len(tokens)
                    and text[tokens[k - 1].end() : tokens[k].start()] == " "
                    and _capitalised(tokens[k].group())
                    and _nameish_capital(tokens[k].group(), keep)
                ):
                    end = tokens[k].end()
                    j = k + 1
                    continue
                break
            if _capitalised(nxt) and (
                _nameish_capital(nxt, keep)
                or (
                    nxt[0].isupper()
                    and word[0].isupper()
                    and not lexicon.is_ordinary_word(nxt)
                    and not _excluded(nxt, keep)
                )
            ):
                end = tokens[j].end()
                j += 1
                continue
            if (
                word.islower()
                and nxt.islower()
                and lexicon.is_surname(nxt)
                and not lexicon.is_common_word(nxt)
                and _unknown(nxt)
            ):
                end = tokens[j].end()
                j += 1
                continue
            break
        yield Span(start, end, "naam")
        i = j


def deduce_false_alarm(
    text: str, span: Span, organisations: list[tuple[int, int]]
) -> bool:
    """A deduce name that is a place or organisation ("Buurthuis De Vonk"), or one
    ordinary word at the start of a sentence with no person after it ("Mark de datum")."""
    if span.kind != "naam":
        return False
    if any(s <= span.start and span.end <= e for s, e in organisations):
        return True
    original = text[span.start : span.end]
    if " " in original or not _sentence_start(text, span.start):
        return False
    if (
        not lexicon.is_dutch_word(original)
        and original.casefold() not in lexicon.NAME_WORDS
    ):
        return False
    tokens = list(_TOKEN.finditer(text))
    for i, token in enumerate(tokens):
        if token.start() == span.start:
            return not _person_follows(text, tokens, i, frozenset())
    return False
