"""Forms of the bewonersagenda. Length and HTML rules live in services.py too."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bewonersagenda.services import (
    ANSWER_MAX_LENGTH,
    REASON_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
)


class AgendapuntForm(forms.Form):
    use_required_attribute = False

    title = forms.CharField(
        label=_("Titel"),
        max_length=TITLE_MAX_LENGTH,
        help_text=_("In een paar woorden: waar gaat het om?"),
        error_messages={
            "required": _("Geef uw punt een titel."),
            "max_length": _("De titel mag hoogstens 120 tekens zijn."),
        },
    )
    text = forms.CharField(
        label=_("Toelichting"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Wat speelt er, en wat vraagt u aan de gemeente? Iedereen kan dit lezen: "
            "noem geen namen of adressen van anderen."
        ),
        error_messages={
            "required": _("Leg uit wat er speelt."),
            "max_length": _("De toelichting mag hoogstens 3000 tekens zijn."),
        },
    )


class AnswerForm(forms.Form):
    use_required_attribute = False

    answer = forms.CharField(
        label=_("Antwoord van de gemeente"),
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Schrijf een antwoord."),
            "max_length": _("Het antwoord mag hoogstens 5000 tekens zijn."),
        },
    )


class HideForm(forms.Form):
    use_required_attribute = False

    reason = forms.CharField(
        label=_("Reden"),
        max_length=REASON_MAX_LENGTH,
        error_messages={
            "required": _("Geef een reden."),
            "max_length": _("De reden mag hoogstens 300 tekens zijn."),
        },
    )


class ThemaForm(forms.Form):
    use_required_attribute = False

    thema = forms.TypedChoiceField(
        label=_("Openbaar thema"),
        coerce=int,
        error_messages={
            "required": _("Kies een thema."),
            "invalid_choice": _("Kies een openbaar thema van deze wijk."),
        },
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["thema"].choices = [("", _("Kies een thema")), *choices]  # type: ignore[attr-defined]
