"""Forms of buurtverbinders. The rules live in services.py too."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurtverbinders.models import ContactSoort
from buurtverbinders.services import NOTE_MAX_LENGTH


class GrantForm(forms.Form):
    use_required_attribute = False

    email = forms.EmailField(
        label=_("E-mailadres van de bewoner"),
        max_length=254,
        help_text=_("De bewoner heeft een account in deze wijk."),
        error_messages={
            "required": _("Vul een e-mailadres in."),
            "invalid": _("Vul een geldig e-mailadres in."),
        },
    )


class ConsentForm(forms.Form):
    use_required_attribute = False

    welcome = forms.BooleanField(
        label=_("Ik wil welkom geheten worden door een buurtverbinder"),
        required=False,
    )
    share_offer = forms.BooleanField(
        label=_(
            "Buurtverbinders mogen mijn aanbod zien om mij aan een vraag te koppelen"
        ),
        required=False,
    )


class ProposeForm(forms.Form):
    use_required_attribute = False

    behoefte = forms.TypedChoiceField(
        label=_("Vraag"),
        coerce=int,
        error_messages={
            "required": _("Kies een vraag."),
            "invalid_choice": _("Kies een open vraag uit deze wijk."),
        },
    )
    helper = forms.TypedChoiceField(
        label=_("Aanbod"),
        coerce=int,
        error_messages={
            "required": _("Kies een aanbod."),
            "invalid_choice": _("Kies een aanbod van een bewoner die dat toestond."),
        },
    )

    def __init__(
        self,
        *args: Any,
        needs: list[tuple[int, str]],
        helpers: list[tuple[int, str]],
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["behoefte"].choices = [("", _("Kies een vraag")), *needs]  # type: ignore[attr-defined]
        self.fields["helper"].choices = [("", _("Kies een aanbod")), *helpers]  # type: ignore[attr-defined]


class LogForm(forms.Form):
    use_required_attribute = False

    kind = forms.ChoiceField(
        label=_("Soort contact"),
        choices=[("", _("Kies")), *ContactSoort.choices],
        error_messages={
            "required": _("Kies een soort contact."),
            "invalid_choice": _("Kies een soort contact."),
        },
    )
    date = forms.DateField(
        label=_("Datum"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Vul een datum in."),
            "invalid": _("Vul een geldige datum in."),
        },
    )
    note = forms.CharField(
        label=_("Korte notitie (mag leeg blijven)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Het wijkteam leest dit. Schrijf geen namen, adressen of telefoonnummers: "
            "die halen wij eruit."
        ),
        error_messages={"max_length": _("De notitie mag hoogstens 300 tekens zijn.")},
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate().isoformat())
