# mypy: disallow-untyped-defs, disallow-incomplete-defs, warn-return-any
"""Widgets for the quick-log form that render without a template per option.

Django renders a <select> through a template, and every <option> through one more
(`select_option.html` and `attrs.html`): with the form's four lists that was about a
third of the GET of the empty quick-log form (issue 17, profiled with cProfile). These
write the same markup in Python. Choices from a queryset are read once per form, not
once for the `required` check and again for the options.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django import forms
from django.forms.models import ModelChoiceField
from django.utils.choices import BaseChoiceIterator
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: Mapping[str, Any]) -> str:
    """Like django/forms/widgets/attrs.html: False leaves an attribute out, True
    writes its name alone."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(value)}"')
    return "".join(parts)


class FastSelect(forms.Select):
    """forms.Select with the same HTML, written in Python."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        lines: list[str] = [
            format_html('<select name="{}"', widget["name"])
            + _attrs(widget["attrs"])
            + ">"
        ]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                lines.append(format_html('  <optgroup label="{}">', group_name))
            for option in options:
                lines.append(
                    format_html('  <option value="{}"', str(option["value"]))
                    + _attrs(option["attrs"])
                    + format_html(">{}</option>", option["label"])
                )
            if group_name:
                lines.append("  </optgroup>")
        lines.append("</select>")
        return mark_safe("\n".join(lines))  # noqa: S308 - every part escaped above


class OnceChoiceIterator(BaseChoiceIterator):
    """A field's choices, read from the database on first use and kept."""

    def __init__(self, choices: Any) -> None:
        self.source = choices
        self.cached: list[Any] | None = None

    def __iter__(self) -> Iterator[Any]:
        if self.cached is None:
            # Not list(): it asks len() first, which is a COUNT query.
            self.cached = [choice for choice in self.source]  # noqa: C416
        return iter(self.cached)


def choices_read_once(field: forms.Field) -> None:
    """Let the field's widget read its queryset's choices once (call after setting
    the queryset; validation still checks the queryset itself)."""
    if isinstance(field, ModelChoiceField) and hasattr(field.widget, "choices"):
        field.widget.choices = OnceChoiceIterator(field.choices)
