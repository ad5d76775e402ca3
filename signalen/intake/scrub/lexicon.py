"""Word lists the name rules use, all offline from installed packages (built once).

- first names and surnames: deduce's own lookup lists (Dutch and many others) plus the
  person lists of every Faker locale (Polish, Turkish, Arabic, Persian, Indian,
  Indonesian, ...), plus `extra_names.py` for origins neither ships (Eritrean,
  Ethiopian, Somali, Surinamese-Hindustani and Javanese, Moroccan spellings);
- ordinary Dutch words: wordfreq's Dutch list (its frequencies include names, so a
  word that is also a first name counts as ordinary only when it is in the short list
  of collisions checked by hand, `NAME_WORDS`).

Only Latin-script entries are kept: signals are typed in Latin script.
"""

from __future__ import annotations

import functools
import importlib
import math
import pkgutil
import re
import unicodedata
from pathlib import Path

from .extra_names import EXTRA_FIRST_NAMES, EXTRA_SURNAMES, FINITE_VERBS, NAME_WORDS

__all__ = ["NAME_WORDS"]

_LATIN = re.compile(
    r"^[a-zà-ÿāăąćĉčďđēĕėęěğĥħīĭįıĵķĺļľłńņňŋōŏőœŕŗřśŝşšţťũūŭůűųŵŷźżž'-]+$"
)
# A Dutch word at or above this Zipf frequency (about once per 10 million words) is
# ordinary text, unless it is also a first name (see NAME_WORDS).
WORD_ZIPF = 3.0


# Letters that Unicode does not decompose into a base letter and a mark.
_PLAIN = str.maketrans(
    {"\u0131": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "œ": "oe"}
)


def ascii_form(word: str) -> str:
    """A name as it is typed without its accents: "Özdemir" -> "ozdemir", "Yildiz"
    with a dotless i -> "yildiz", "Łukasz" -> "lukasz" (signals are often typed that way)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold().translate(_PLAIN))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _with_ascii(words: set[str]) -> set[str]:
    return words | {ascii_form(word) for word in words}


def _words(values: object) -> set[str]:
    found: set[str] = set()
    if isinstance(values, dict):
        values = list(values)
    if not isinstance(values, (list, tuple, set, frozenset)):
        return found  # a property or a pattern, not a list
    for value in values:
        for part in re.split(r"[\s]+", str(value).casefold()):
            part = part.strip(".,")
            if len(part) > 1 and _LATIN.match(part):
                found.add(part)
    return found


def _deduce_list(name: str) -> set[str]:
    import deduce

    root = Path(deduce.__file__).parent / "data" / "lookup" / "src" / "names"
    path = root / name / "items.txt"
    return _words(path.read_text(encoding="utf-8").splitlines())


def _faker_lists() -> tuple[set[str], set[str]]:
    from faker.providers import person

    first: set[str] = set()
    last: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"faker.providers.person.{module.name}")
        cls = getattr(provider, "Provider", None)
        if cls is None:
            continue
        for attr in ("first_names", "first_names_male", "first_names_female"):
            first |= _words(getattr(cls, attr, ()))
        for attr in ("last_names", "last_names_male", "last_names_female"):
            last |= _words(getattr(cls, attr, ()))
    return first, last


@functools.cache
def _faker_cached() -> tuple[frozenset[str], frozenset[str]]:
    first, last = _faker_lists()
    return frozenset(_with_ascii(first)), frozenset(_with_ascii(last))


@functools.cache
def first_names() -> frozenset[str]:
    faker_first, _ = _faker_cached()
    return frozenset(
        (
            _deduce_list("lst_first_name")
            | faker_first
            | _with_ascii(_words(EXTRA_FIRST_NAMES))
        )
        - {"van", "de", "der", "den", "el", "al"}
    )


@functools.cache
def surnames() -> frozenset[str]:
    _, faker_last = _faker_cached()
    return frozenset(
        (_deduce_list("lst_surname") | faker_last | _with_ascii(_words(EXTRA_SURNAMES)))
        - {"van", "de", "der", "den", "el", "al"}
    )


@functools.cache
def _zipf() -> dict[str, float]:
    from wordfreq import get_frequency_dict

    return {
        word: math.log10(freq) + 9
        for word, freq in get_frequency_dict("nl", wordlist="large").items()
    }


def zipf(word: str) -> float:
    return _zipf().get(word.casefold(), 0.0)


def is_ordinary_word(word: str) -> bool:
    """A frequent Dutch word that is not mainly a name: "hoop", "roos", "door"."""
    return is_dutch_word(word)


@functools.cache
def _dutch_first_names() -> frozenset[str]:
    return frozenset(_deduce_list("lst_first_name"))


def is_dutch_first_name(word: str) -> bool:
    """In deduce's (curated, Dutch) first-name list."""
    return word.casefold() in _dutch_first_names()


@functools.cache
def _dutch_surnames() -> frozenset[str]:
    return frozenset(_deduce_list("lst_surname"))


def is_dutch_name(word: str) -> bool:
    """In deduce's (curated, Dutch) first-name or surname list: "Riet", "Bakker",
    "Koning" are; "Soos" (Faker's) is not."""
    folded = word.casefold()
    return folded in _dutch_first_names() or folded in _dutch_surnames()


@functools.cache
def _interfix_surnames() -> frozenset[str]:
    return frozenset(_deduce_list("lst_interfix_surname"))


def is_interfix_surname(word: str) -> bool:
    """A surname that comes after "de"/"van" ("Boer" in "De Boer", "Hoop" in "Van
    der Hoop"), in deduce's list."""
    return word.casefold() in _interfix_surnames()


@functools.cache
def _stop_words() -> frozenset[str]:
    from stop_words import get_stop_words

    return frozenset(get_stop_words("dutch"))


def is_stop_word(word: str) -> bool:
    """A function word ("ben", "had", "wil", "van"): never a name in lower case."""
    return word.casefold() in _stop_words()


@functools.cache
def _english_stop_words() -> frozenset[str]:
    from stop_words import get_stop_words

    return frozenset(get_stop_words("english"))


def is_english_stop_word(word: str) -> bool:
    """An English function word ("has", "will", "may"): signals quote English too."""
    return word.casefold() in _english_stop_words()


def _infinitives(form: str) -> set[str]:
    """The infinitives a present-tense form in -t may come from: "draait" -> draaien,
    "belt" -> bellen, "loopt" -> lopen, "leeft" -> leven, "zegt" -> zeggen."""
    stem = form[:-1]
    found = {stem + "en", stem + stem[-1:] + "en"}
    if len(stem) > 2 and stem[-2] == stem[-3] and stem[-2] in _VOWEL:
        short = stem[:-2] + {"f": "v", "s": "z"}.get(stem[-1], stem[-1])
        found |= {short + "en", stem[:-2] + stem[-1] + "en"}
    if stem.endswith(("f", "s")):
        found.add(stem[:-1] + {"f": "v", "s": "z"}[stem[-1]] + "en")
    return found


def is_finite_verb(word: str) -> bool:
    """A third-person singular verb form ("draait", "speelt", "belde", "werkte"):
    after a sentence-initial word it says the word is a person."""
    folded = word.casefold()
    if folded in FINITE_VERBS:
        return True
    if len(folded) < 4 or not folded.isalpha() or is_common_word(folded):
        return False
    if folded.endswith("t") and not folded.endswith(("heid", "ist", "ant", "ent")):
        return any(zipf(inf) >= WORD_ZIPF for inf in _infinitives(folded))
    if folded.endswith(("de", "te")) and len(folded) > 5:
        stem = folded[:-2]
        return any(
            zipf(inf) >= WORD_ZIPF
            for inf in (stem + "en", stem + stem[-1] + "en", stem[:-1] + "ven")
        ) and zipf(folded[:-1]) < zipf(folded)
    return False


def is_first_name(word: str) -> bool:
    return word.casefold() in first_names()


def is_surname(word: str) -> bool:
    return word.casefold() in surnames()


def warm() -> None:
    first_names()
    surnames()
    _zipf()
    _common_words()
    _deduce_common_words()
    _stop_words()
    _english_stop_words()
    _english()


@functools.cache
def _common_words() -> frozenset[str]:
    """Function words and everyday words (stop-words' Dutch list, deduce's whitelist)."""
    import deduce
    from stop_words import get_stop_words

    root = Path(deduce.__file__).parent / "data" / "lookup" / "src" / "whitelist"
    words = set(get_stop_words("dutch"))
    for name in ("lst_common_word", "lst_stop_word"):
        words |= {
            w.casefold()
            for w in (root / name / "items.txt").read_text(encoding="utf-8").split()
        }
    return frozenset(words) | NAME_WORDS


@functools.cache
def _deduce_common_words() -> frozenset[str]:
    import deduce

    root = Path(deduce.__file__).parent / "data" / "lookup" / "src" / "whitelist"
    path = root / "lst_common_word" / "items.txt"
    return frozenset(w.casefold() for w in path.read_text(encoding="utf-8").split())


def is_everyday_word(word: str) -> bool:
    """In deduce's list of everyday words ("zomer", "winter", "storm", "hoop"): a
    first name that is one needs a person's verb, not just any verb, to be a name."""
    return word.casefold() in _deduce_common_words()


def is_common_word(word: str) -> bool:
    return word.casefold() in _common_words()


_VOWEL = "aeiou"


def _forms(word: str) -> set[str]:
    """Inflected forms a Dutch word has and a name lacks ("rozen", "kopen", "vossen")."""
    forms = {word + "t"}
    if word[-1] not in _VOWEL:
        forms.add(word + "en")
    if word.endswith(("el", "er", "en", "em", "ie")):
        forms.add(word + "s")
    if len(word) > 2 and word[-1] not in _VOWEL:
        forms.add(word + word[-1] + "en")
        if word[-2] == word[-3] and word[-2] in _VOWEL:
            tail = {"s": "z", "f": "v"}.get(word[-1], word[-1])
            forms |= {word[:-2] + tail + "en", word[:-2] + tail + "e"}
    return forms


def _bases(word: str) -> set[str]:
    """The word an inflected form comes from ("jaren" -> "jaar", "mailt" -> "mail")."""
    bases = set()
    for suffix in ("en", "s", "t", "e", "de", "te", "d"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            bases.add(stem)
            if suffix == "en" and len(stem) > 2 and stem[-1] == stem[-2]:
                bases.add(stem[:-1])  # vossen -> vos
            if suffix in ("en", "e") and len(stem) > 2 and stem[-2] in _VOWEL:
                bases.add(
                    stem[:-1] + stem[-2] + {"z": "s", "v": "f"}.get(stem[-1], stem[-1])
                )
    return bases


@functools.cache
def _english() -> dict[str, float]:
    from wordfreq import get_frequency_dict

    return {
        word: math.log10(freq) + 9
        for word, freq in get_frequency_dict("en", wordlist="small").items()
    }


def is_english_word(word: str) -> bool:
    """Frequent in English ("has", "will", "joke"): signals quote English too."""
    return _english().get(word.casefold(), 0.0) >= 4.3


@functools.cache
def is_dutch_word(word: str) -> bool:
    """A word of the language, not a name: common, or frequent with its own forms
    ("roos" -> "rozen", "koop" -> "kopen"); names have no such forms ("fatima")."""
    folded = word.casefold()
    if is_common_word(folded):
        return True
    if zipf(folded) < WORD_ZIPF:
        return False
    if max(zipf(form) for form in _forms(folded)) >= 2.5:
        return True
    return any(
        zipf(base) >= 3.5 or (zipf(base) >= WORD_ZIPF and base not in first_names())
        for base in _bases(folded)
    )
