"""Dutch text for the roll-up: tokenise, drop stop words, stem (``dutch_porter``).

``dutch_porter`` rather than snowball's newer ``dutch``: it keeps eenzaam / eenzame /
eenzaamheid on one stem without over-stemming (gezelligheid → "zel"); see STACK.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import snowballstemmer
from stop_words import get_stop_words

# Placeholders the scrubber leaves behind ([NAAM], [ADRES], …) carry no theme.
_PLACEHOLDER = re.compile(r"\[[A-Z_]+\]")
_TOKEN = re.compile(r"[a-z][a-z0-9]+")

# Words a wijkteam writes in nearly every signal (who, how it came in, what happens
# next), on top of the general Dutch list: they say nothing about the theme.
DOMAIN_STOP_WORDS = frozenset(
    """
    mw mevr mevrouw dhr meneer hr fam familie bewoner bewoners cliënt client ivm
    i v m zsm z s m ggd gesprek huisbezoek bezoek gezien gesproken aangegeven geeft
    gaf zegt vertelt vertelde meldt gemeld melding signaal wil willen kan kunnen
    weet weten heel erg veel wel nog ook al even af aan via tel tijdens
    sinds nvt vlgs volgens eigenlijk gewoon echt mogelijk
    terugkoppelen teruggekoppeld volgt afspraak gepland doorverwezen actie erachteraan
    opvolgen casus besproken overleg check nb keer contact hb spreekuur inloop
    buurtcoach poh straat week volgende
    """.split()  # noqa: SIM905 - a word list reads better as text
)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    words = {_fold(word) for word in get_stop_words("dutch")}
    return frozenset(words | DOMAIN_STOP_WORDS)


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    return snowballstemmer.stemmer("dutch_porter")


def _fold(text: str) -> str:
    """Lower case without accents (ë → e): professionals type both."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise(text: str) -> str:
    """The text as the character n-grams see it: folded, placeholders removed."""
    return " ".join(_TOKEN.findall(_fold(_PLACEHOLDER.sub(" ", text))))


def tokens(text: str) -> list[str]:
    """Content words of a text, folded, without stop words (not yet stemmed)."""
    stop = stop_words()
    return [word for word in normalise(text).split() if word not in stop]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return str(_stemmer().stemWord(word))


def stems(text: str) -> list[str]:
    """The word analyzer of the TF-IDF: tokenise → stop words → stem."""
    return [stem(word) for word in tokens(text)]


def surface_forms(texts: Iterable[str]) -> dict[str, str]:
    """Map each stem to its most frequent surface word (ties: alphabetical)."""
    seen: dict[str, Counter[str]] = {}
    for text in texts:
        for word in tokens(text):
            seen.setdefault(stem(word), Counter())[word] += 1
    return {
        key: min(counter.items(), key=lambda item: (-item[1], item[0]))[0]
        for key, counter in seen.items()
    }
