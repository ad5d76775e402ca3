"""Forms of the wijkgesprek. Length, HTML and date rules live in services.py too."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from initiatieven.forms import RequiredByAriaMixin
from wijkgesprek.models import (
    AFSPRAAK_MAX_LENGTH,
    FACILITATOR_MAX_LENGTH,
    ITEM_TEXT_MAX_LENGTH,
    ITEM_TITLE_MAX_LENGTH,
    MINUTES_MAX_LENGTH,
    PLACE_MAX_LENGTH,
    AfspraakEigenaar,
)

_TOO_LONG = _("Te lang: hoogstens %(limit_value)s tekens.")


class GesprekForm(RequiredByAriaMixin, forms.Form):
    date = forms.DateField(
        label=_("Datum"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Vul een datum in."),
            "invalid": _("Vul een datum in, bijvoorbeeld 15-03-2027."),
        },
    )
    time = forms.TimeField(
        label=_("Begintijd"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": _("Vul een begintijd in."),
            "invalid": _("Vul een tijd in, bijvoorbeeld 19:30."),
        },
    )
    place = forms.CharField(
        label=_("Plaats"),
        max_length=PLACE_MAX_LENGTH,
        help_text=_(
            "Bijvoorbeeld: buurthuis De Linde. Bewoners lezen dit. Namen, adressen en "
            "telefoonnummers halen wij eruit."
        ),
        error_messages={
            "required": _("Vul in waar het gesprek is."),
            "max_length": _TOO_LONG,
        },
    )
    facilitator = forms.CharField(
        label=_("Onafhankelijke gespreksleider"),
        required=False,
        max_length=FACILITATOR_MAX_LENGTH,
        help_text=_(
            "De naam van de organisatie die het gesprek begeleidt, bijvoorbeeld "
            "Buurtbemiddeling."
        ),
        error_messages={"max_length": _TOO_LONG},
    )
    chair = forms.TypedChoiceField(
        label=_("Voorzitter"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_(
            "Een bewoner die voorzitter wil zijn. Wie het langst niet aan de beurt "
            "was, staat voorop."
        ),
        error_messages={
            "invalid_choice": _("Kies een bewoner die voorzitter wil zijn.")
        },
    )
    draft = forms.BooleanField(
        label=_("Stel de agenda op uit wat er in de wijk speelt"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, volunteers: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chair"].choices = [  # type: ignore[attr-defined]
            ("", _("Nog niemand")),
            *((u.pk, u.display_name) for u in volunteers),
        ]
        if volunteers and "chair" not in self.initial:
            self.initial["chair"] = volunteers[0].pk

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, time = data.get("date"), data.get("time")
        if day is not None and time is not None:
            starts_at = timezone.make_aware(datetime.combine(day, time))
            if starts_at <= timezone.now():
                self.add_error("date", _("Kies een moment in de toekomst."))
            else:
                data["starts_at"] = starts_at
        return data


class PuntForm(RequiredByAriaMixin, forms.Form):
    title = forms.CharField(
        label=_("Nieuw agendapunt"),
        max_length=ITEM_TITLE_MAX_LENGTH,
        error_messages={"required": _("Vul dit in."), "max_length": _TOO_LONG},
    )
    text = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=ITEM_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _TOO_LONG},
    )


class VerslagForm(RequiredByAriaMixin, forms.Form):
    minutes = forms.CharField(
        label=_("Verslag"),
        max_length=MINUTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Schrijf op wat er besproken is. Noem geen namen, adressen of andere "
            "gegevens van mensen: die halen wij eruit."
        ),
        error_messages={"required": _("Vul dit in."), "max_length": _TOO_LONG},
    )
    public = forms.BooleanField(
        label=_("Het verslag is openbaar"),
        required=False,
        initial=True,
        help_text=_(
            "Zet dit uit als het verslag alleen voor het wijkteam, de gemeente en de "
            "voorzitter is."
        ),
    )


class AfspraakForm(RequiredByAriaMixin, forms.Form):
    description = forms.CharField(
        label=_("Wat is afgesproken?"),
        max_length=AFSPRAAK_MAX_LENGTH,
        error_messages={"required": _("Vul dit in."), "max_length": _TOO_LONG},
    )
    owner = forms.ChoiceField(
        label=_("Wie doet het?"),
        choices=AfspraakEigenaar.choices,
        error_messages={
            "required": _("Kies wie dit doet."),
            "invalid_choice": _("Kies wie dit doet."),
        },
    )
    due_date = forms.DateField(
        label=_("Klaar op"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Vul een datum in."),
            "invalid": _("Vul een datum in, bijvoorbeeld 15-03-2027."),
        },
    )
