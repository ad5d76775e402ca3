"""Take a person's name out of a text they wrote, when their account is removed."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

# Shorter names ("Jo", "Bo") also occur as parts of ordinary Dutch words.
MIN_NAME_LENGTH = 3


def without_name(text: str, name: str) -> str:
    """Replace the whole name, as separate words and in any case, by "[naam]".

    Only the exact name as the person showed it is replaced: "Bea Bewoner" does not
    remove "Bea" alone, and "Wim" leaves "Wimpel" as it is.
    """
    name = " ".join(name.split())
    if len(name) < MIN_NAME_LENGTH or not text:
        return text
    words = [re.escape(word) for word in name.split(" ")]
    pattern = re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)
    return pattern.sub(_("[naam]"), text)
