""" "Wie horen we niet?" inside pages of apps below the dashboard (the team report in
signalen): signalen may not import the dashboard, so its templates load this tag."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from dashboard import representation

register = template.Library()


@register.inclusion_tag("dashboard/_representation_section.html")
def wie_horen_we_niet(wijk: Any, *, summary: bool = False) -> dict[str, Any]:
    result = representation.wijk_representation(wijk=wijk, today=timezone.localdate())
    return {"wijk": wijk, "result": result, "summary": summary}
