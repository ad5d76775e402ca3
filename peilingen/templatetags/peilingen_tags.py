""" "Wat we hoorden op straat": the surveys linked to a theme, on signalen's theme pages.

signalen may not import this app (it sits below it), so its templates load this tag:
the team's theme page shows every linked survey with its state; the public theme page
only closed ones, with their published summary and a link to the k-anonymous results.
"""

from __future__ import annotations

from typing import Any

from django import template

from peilingen.models import PeilingStatus, SamenvattingStatus

register = template.Library()


@register.inclusion_tag("peilingen/_thema_peilingen.html")
def thema_peilingen(thema: Any, *, public: bool = False) -> dict[str, Any]:
    peilingen = list(thema.peilingen.all().order_by("-created_at"))
    if public:
        peilingen = [p for p in peilingen if p.status == PeilingStatus.GESLOTEN]
    rows = []
    for peiling in peilingen:
        summary = (
            peiling.samenvattingen.filter(status=SamenvattingStatus.PUBLISHED)
            .order_by("-decided_at")
            .first()
        )
        rows.append((peiling, summary))
    return {"rows": rows, "public": public}
