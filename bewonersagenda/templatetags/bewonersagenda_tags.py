"""Inclusion point for the wijk page, so dashboard need not import us:
`{% load bewonersagenda_tags %}`, then `{% wijk_agenda wijk %}`."""

from __future__ import annotations

from typing import Any

from django import template

from bewonersagenda import queries

register = template.Library()

PANEL_ROWS = 3


@register.inclusion_tag("bewonersagenda/_wijk_panel.html")
def wijk_agenda(wijk: Any) -> dict[str, Any]:
    return {
        "wijk": wijk,
        "agendapunten": list(queries.agendapunten_for_wijk(wijk)[:PANEL_ROWS]),
    }
