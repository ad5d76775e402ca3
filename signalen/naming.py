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

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from signalen.intake.scrub.words import is_name_like

if TYPE_CHECKING:
    from signalen.models import WijkThema


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
    categorie = thema.categorie.name if thema.categorie is not None else None
    return unnamed(categorie)


def team_keywords(words: Iterable[object]) -> list[str]:
    """Keywords as the team may see them: no name-like word."""
    shown = (str(w).strip() for w in words)
    return [w for w in shown if w and not is_name_like(w)]


def team_label(thema: WijkThema) -> str:
    return ", ".join(team_keywords(thema.label.split(","))) if thema.label else ""
