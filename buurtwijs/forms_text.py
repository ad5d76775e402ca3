"""Every single-line text field of every form loses bidirectional control characters.

Titles and names (an initiative, an update, a meeting, a partner, a theme, a person's
shown name, a place) are typed in single-line fields all over the site, the admin and
allauth's forms included. Cleaning them one form at a time leaves the next new form
open, so the rule sits where every such value passes: ``forms.CharField.to_python``,
for fields whose widget is not a Textarea (multi-line free text may hold a right-to-left
mark that Arabic or Hebrew writing needs) or a password. The rule itself is
`wijken.text.without_bidi_controls`; services that take names from elsewhere call it
too. Installed once, from the buurtwijs app's `ready`.
"""

from __future__ import annotations

from typing import Any

from django import forms

from wijken.text import without_bidi_controls

_MARK = "_buurtwijs_bidi_clean"
# Multi-line free text may need a right-to-left mark; a password is a secret, kept as
# typed.
KEPT_AS_TYPED = (forms.Textarea, forms.PasswordInput)


def install() -> None:
    original = forms.CharField.to_python
    if getattr(original, _MARK, False):
        return

    def to_python(self: forms.CharField, value: Any) -> Any:
        value = original(self, value)
        if isinstance(value, str) and not isinstance(self.widget, KEPT_AS_TYPED):
            return without_bidi_controls(value)
        return value

    setattr(to_python, _MARK, True)
    forms.CharField.to_python = to_python  # type: ignore[method-assign]
