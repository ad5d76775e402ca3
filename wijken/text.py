"""Text people type: one rule for what is never kept in a title or a name.

Bidirectional control characters (left-to-right and right-to-left marks, embeddings,
overrides and isolates) are invisible, yet they reorder what follows them: a title
"Repair\u202ecafe" shows reversed, a name can pose as another or hide a word from a
moderator's eye. Titles and names never need them, so they are removed wherever people
type one (see buurtwijs/forms_text.py, which applies this to every single-line field).
"""

from __future__ import annotations

import re

# U+061C Arabic letter mark, U+200E/U+200F LRM/RLM, U+202A-U+202E embeddings and
# overrides, U+2066-U+2069 isolates.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def without_bidi_controls(text: str) -> str:
    """`text` without bidirectional control characters."""
    return BIDI_CONTROLS.sub("", text) if text else text
