"""Which of the engine's words the team may see: used by K signals of two professionals
and not name-like (the run stores only these)."""

from __future__ import annotations

from collections.abc import Sequence

from signalen.intake.scrub.words import is_name_like
from signalen.themes.rollup import text as dutch
from signalen.themes.rollup.data import InputSignal

MIN_AUTHORS = 2


def shared_keywords(
    words: Sequence[str],
    members: Sequence[InputSignal],
    *,
    k: int,
    min_authors: int = MIN_AUTHORS,
) -> tuple[str, ...]:
    """The engine's keywords that at least `k` member signals from at least
    `min_authors` professionals use, and that are not name-like. A member's stored
    stems are used as they are (no stemming its text again)."""
    stems_of = [
        (set(s.stems if s.stems is not None else dutch.stems(s.text)), s.author)
        for s in members
    ]
    kept = []
    for word in words:
        if is_name_like(word):
            continue
        word_stems = dutch.stems(word)
        if not word_stems:
            continue
        key = word_stems[0]
        users = [author for stems, author in stems_of if key in stems]
        if len(users) >= k and len({a for a in users if a}) >= min_authors:
            kept.append(word)
    return tuple(kept)
