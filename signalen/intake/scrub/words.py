"""Is one word (an engine keyword) name-like? The scrubber's name rules on a single word.

Stricter than scrubbing a sentence: a keyword has no context that tells a name from a
word, and a keyword the team reads is a convenience, not evidence. So a word that is a
known first name ("riet", "roos"), that the name rule would take for a name when it is
capitalised ("bakker", "jansen"), a fragment (two letters: "gz" from a number plate), or
anything with a digit (house numbers, plates, ages) is name-like.
"""

from __future__ import annotations

from . import lexicon
from . import people as people_rules
from .patterns import find_structured

MIN_LENGTH = 3


def is_name_like(word: str) -> bool:
    """True when `word` could point to a person (or is too short to tell)."""
    word = word.strip()
    if len(word) < MIN_LENGTH or any(c.isdigit() for c in word):
        return True
    if not word.replace("-", "").replace("'", "").isalpha():
        return True
    if find_structured(word):
        return True
    if lexicon.is_first_name(word) or people_rules._lower_first_name(word):
        return True
    return people_rules._nameish_capital(
        word[:1].upper() + word[1:].lower(), frozenset()
    )
