"""The inclusion point for other apps' pages: `{% load initiatieven_tags %}` then
`{% wijk_initiatieven wijk %}` shows a wijk's initiatives without wijken importing us."""

from __future__ import annotations

from typing import Any

from django import forms, template

from initiatieven.queries import initiatieven_for_wijk

register = template.Library()


@register.inclusion_tag("initiatieven/_wijk_initiatieven.html")
def wijk_initiatieven(wijk: Any, limit: int = 6) -> dict[str, Any]:
    return {"wijk": wijk, "initiatieven": initiatieven_for_wijk(wijk=wijk, limit=limit)}


@register.filter
def is_multi_checkbox(bound_field: Any) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxSelectMultiple)


@register.filter
def safe_markdown(text: str) -> str:
    """Residents' Markdown as cleaned HTML (initiatieven.text)."""
    from django.utils.safestring import mark_safe

    from initiatieven.text import markdown_to_safe_html

    return mark_safe(markdown_to_safe_html(text))  # noqa: S308 - cleaned by nh3
