"""How a theme is named: inside the team and outside it.

Nothing the engine writes (its keywords and the label made of them) leaves the team.
Outside the team (officers, their exports, the escalation snapshot, public pages, the API
and open data) a theme carries only the name a professional wrote, which was scrubbed
when it was saved; without one it is "Thema zonder naam (categorie ...)".

Inside the team a keyword is shown only when at least K_ANONYMITY of the theme's
signals, from at least two professionals, use it, and it is not name-like
(signalen.intake.scrub.words.is_name_like). The run applies both rules when it stores
the keywords (shared_keywords); what is shown is filtered for name-likeness once more
(team_keywords), so keywords stored before this rule never show a name either.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from signalen.intake.scrub.words import is_name_like
from signalen.themes.rollup import text as dutch

if TYPE_CHECKING:
    from signalen.models import WijkThema
    from signalen.themes.rollup.data import InputSignal

MIN_AUTHORS = 2


def unnamed(categorie_name: str | None) -> str:
    if categorie_name:
        return _("Thema zonder naam (categorie %(categorie)s)") % {
            "categorie": categorie_name
        }
    return _("Thema zonder naam")


def outside_name(thema: WijkThema) -> str:
    """The theme's name as anyone outside the team may read it."""
    if thema.name:
        return thema.name
    categorie = thema.categorie.name if thema.categorie_id else None
    return unnamed(categorie)


def team_keywords(words: Iterable[object]) -> list[str]:
    """Keywords as the team may see them: no name-like word."""
    shown = (str(w).strip() for w in words)
    return [w for w in shown if w and not is_name_like(w)]


def team_label(thema: WijkThema) -> str:
    return ", ".join(team_keywords(thema.label.split(","))) if thema.label else ""


def shared_keywords(
    words: Sequence[str],
    members: Sequence[InputSignal],
    *,
    k: int,
    min_authors: int = MIN_AUTHORS,
) -> tuple[str, ...]:
    """The engine's keywords that at least `k` member signals from at least
    `min_authors` professionals use, and that are not name-like."""
    stems_of = [(set(dutch.stems(s.text)), s.author) for s in members]
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
