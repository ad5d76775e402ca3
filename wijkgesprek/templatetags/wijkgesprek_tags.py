"""Inclusion point for the wijk page, so dashboard need not import us:
`{% load wijkgesprek_tags %}`, then `{% wijk_gesprek wijk %}`."""

from __future__ import annotations

from typing import Any

from django import template

from wijkgesprek import permissions, queries

register = template.Library()


@register.inclusion_tag("wijkgesprek/_wijk_panel.html", takes_context=True)
def wijk_gesprek(context: dict[str, Any], wijk: Any) -> dict[str, Any]:
    # Everyone reads the wijk page: the latest public minutes for all, the next
    # meeting only for those who may see it (its residents, the team, the gemeente).
    request = context.get("request")
    user = getattr(request, "user", None)
    upcoming = queries.upcoming(wijk).first()
    if upcoming is not None and (
        user is None or not permissions.can_see_meeting(user, upcoming)
    ):
        upcoming = None
    return {
        "wijk": wijk,
        "next": upcoming,
        "latest": queries.public_minutes(wijk).order_by("-starts_at").first(),
    }
