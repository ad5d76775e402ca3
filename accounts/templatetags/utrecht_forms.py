"""Render Django form fields with NL Design System (utrecht) classes.

Used by the allauth element templates (templates/allauth/elements/) and by our own
account forms, so every form looks and behaves the same: a visible label, the help
text and error message tied to the input with aria-describedby (Django adds the ids
`<id>_helptext` and `<id>_error`), and no placeholders that repeat the label.
"""

from __future__ import annotations

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString

register = template.Library()

TEXT_INPUT_TYPES = {
    "text",
    "email",
    "password",
    "number",
    "tel",
    "url",
    "search",
    "date",
    "datetime-local",
    "time",
}


def widget_kind(bound_field: BoundField) -> str:
    """One of textbox, textarea, select, checkbox, radio, choices, file, hidden."""
    widget = bound_field.field.widget
    if widget.is_hidden:
        return "hidden"
    # CheckboxSelectMultiple is a subclass of RadioSelect in Django: test it first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "choices"
    if isinstance(widget, forms.RadioSelect):
        return "radio"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    return "textbox"


def _classes(kind: str, invalid: bool, widget: forms.Widget) -> str:
    if kind == "textbox":
        classes = ["utrecht-textbox", "utrecht-textbox--html-input"]
        if getattr(widget, "input_type", "") == "password":
            classes.append("utrecht-textbox--password")
    elif kind == "textarea":
        classes = ["utrecht-textarea", "utrecht-textarea--html-textarea"]
    elif kind == "select":
        classes = ["utrecht-select", "utrecht-select--html-select"]
    elif kind == "checkbox":
        classes = ["utrecht-checkbox", "utrecht-checkbox--html-input"]
    else:
        classes = []
    if invalid and classes:
        classes.append(classes[0] + "--invalid")
    return " ".join(classes)


@register.filter
def field_kind(bound_field: BoundField) -> str:
    return widget_kind(bound_field)


@register.filter
def utrecht_widget(bound_field: BoundField) -> SafeString:
    """The field's input with utrecht classes; aria-invalid and aria-describedby
    come from Django itself."""
    kind = widget_kind(bound_field)
    widget = bound_field.field.widget
    attrs: dict[str, str | bool] = {}
    classes = _classes(kind, bool(bound_field.errors), widget)
    existing = widget.attrs.get("class", "")
    if classes or existing:
        attrs["class"] = " ".join(c for c in (existing, classes) if c)
    if kind in ("textbox", "textarea") and widget.attrs.get("placeholder"):
        # The label is always visible; a placeholder repeating it only adds noise
        # and disappears while typing.
        attrs["placeholder"] = False
    return bound_field.as_widget(attrs=attrs)
