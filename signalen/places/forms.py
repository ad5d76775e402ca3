"""Forms for the wijkteam's contact and the places of a wijk. The model validates
again (phone numbers, the point in or near the wijk) through the services in
wijken/services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wijken.models import (
    ADDRESS_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    HOURS_MAX_LENGTH,
    NAME_MAX_LENGTH,
    PHONE_MAX_LENGTH,
    WEBSITE_MAX_LENGTH,
    Buurt,
    Plek,
    PlekSoort,
    Wijk,
    WijkteamContact,
)

TOO_LONG = _("Te lang: hoogstens %(limit_value)d tekens (nu %(show_value)d).")
PHONE_HELP = _("Bijvoorbeeld 0299 123 456, 06 12345678 of 14 0299.")
WEBSITE_ERRORS = {
    "invalid": _("Vul een webadres in dat begint met https://."),
    "max_length": TOO_LONG,
}


def _text(label: Any, *, max_length: int, required: bool = False, **kw: Any) -> Any:
    messages = {"max_length": TOO_LONG}
    if "required_message" in kw:
        messages["required"] = kw.pop("required_message")
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        error_messages=messages,
        **kw,
    )


class RequiredByAria(forms.Form):
    """Required fields say so with aria-required (as elsewhere on the site), not the
    HTML attribute."""

    use_required_attribute = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for bound in self.visible_fields():
            if bound.field.required:
                bound.field.widget.attrs["aria-required"] = "true"


class ContactForm(RequiredByAria, forms.ModelForm):  # type: ignore[type-arg]
    name = _text(
        _("Naam van het team"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("Bijvoorbeeld: Sociaal wijkteam Centrum."),
    )
    phone = _text(
        _("Telefoonnummer"),
        max_length=PHONE_MAX_LENGTH,
        required=True,
        required_message=_("Vul het telefoonnummer van het team in."),
        help_text=_(
            "Het algemene nummer van het team, geen nummer van één persoon. "
            "Bijvoorbeeld 0299 123 456 of 14 0299."
        ),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("E-mailadres"),
        required=False,
        max_length=254,
        help_text=_(
            "Het algemene adres van het team, bijvoorbeeld wijkteam@gemeente.nl."
        ),
        error_messages={
            "invalid": _(
                "Vul een geldig e-mailadres in, bijvoorbeeld naam@gemeente.nl."
            ),
            "max_length": TOO_LONG,
        },
    )
    walk_in_hours = _text(
        _("Inloopspreekuur"),
        max_length=HOURS_MAX_LENGTH,
        help_text=_(
            "Waar en wanneer bewoners zonder afspraak langs kunnen. Eén regel per dag, "
            "bijvoorbeeld: dinsdag 9.00 - 12.00 uur in het buurthuis."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    address = _text(
        _("Adres"),
        max_length=ADDRESS_MAX_LENGTH,
        help_text=_("Bijvoorbeeld: Kerkstraat 12, 1441 AB Purmerend."),
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=WEBSITE_MAX_LENGTH,
        assume_scheme="https",
        error_messages=WEBSITE_ERRORS,
    )

    class Meta:
        model = WijkteamContact
        fields = ["name", "phone", "email", "walk_in_hours", "address", "website"]


class CoordinateField(forms.FloatField):
    """A degree as people type it: with a decimal comma or point."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class BuurtChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def _coordinate(label: Any, low: float, high: float, help_text: Any) -> CoordinateField:
    return CoordinateField(
        label=label,
        min_value=low,
        max_value=high,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "required": _("Vul een getal in, of klik op de kaart."),
            "invalid": _("Vul een getal in, bijvoorbeeld 52,5012."),
            "min_value": _("Vul een getal in van %(limit_value)s of meer."),
            "max_value": _("Vul een getal in van hoogstens %(limit_value)s."),
        },
    )


class PlekForm(RequiredByAria, forms.ModelForm):  # type: ignore[type-arg]
    kind = forms.ChoiceField(
        label=_("Soort plek"),
        choices=PlekSoort.choices,
        error_messages={
            "required": _("Kies de soort plek."),
            "invalid_choice": _("Kies een soort plek uit de lijst."),
        },
    )
    name = _text(
        _("Naam"),
        max_length=NAME_MAX_LENGTH,
        required=True,
        required_message=_("Vul de naam van de plek in."),
        help_text=_("Bijvoorbeeld: Buurthuis De Kerkuil."),
    )
    description = _text(
        _("Wat is hier te doen?"),
        max_length=DESCRIPTION_MAX_LENGTH,
        help_text=_(
            "Een paar zinnen in gewone woorden, bijvoorbeeld: koffieochtend, "
            "taalcafé, hulp bij formulieren. Hiermee vindt het team de plek ook bij "
            "een thema."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    address = _text(
        _("Adres"),
        max_length=ADDRESS_MAX_LENGTH,
        required=True,
        required_message=_("Vul het adres van de plek in."),
        help_text=_("Bijvoorbeeld: Kerkstraat 12, 1441 AB Purmerend."),
    )
    buurt = BuurtChoiceField(
        label=_("Buurt"),
        queryset=Buurt.objects.none(),
        required=False,
        empty_label=_("Geen bepaalde buurt"),
        error_messages={"invalid_choice": _("Kies een buurt van deze wijk.")},
    )
    opening_hours = _text(
        _("Openingstijden"),
        max_length=HOURS_MAX_LENGTH,
        help_text=_("Eén regel per dag, bijvoorbeeld: maandag 9.00 - 17.00 uur."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    phone = _text(
        _("Telefoonnummer"),
        max_length=PHONE_MAX_LENGTH,
        help_text=PHONE_HELP,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=WEBSITE_MAX_LENGTH,
        assume_scheme="https",
        error_messages=WEBSITE_ERRORS,
    )
    latitude = _coordinate(
        _("Breedtegraad (noord)"),
        -90.0,
        90.0,
        _(
            "Het punt op de kaart, bijvoorbeeld 52,5012. Klik op de kaart om het in te vullen."
        ),
    )
    longitude = _coordinate(
        _("Lengtegraad (oost)"),
        -180.0,
        180.0,
        _("Bijvoorbeeld 4,9512."),
    )

    class Meta:
        model = Plek
        fields = [
            "kind",
            "name",
            "description",
            "address",
            "buurt",
            "opening_hours",
            "phone",
            "website",
            "latitude",
            "longitude",
        ]

    def __init__(self, *args: Any, wijk: Wijk, **kwargs: Any) -> None:
        kwargs.setdefault("instance", Plek(wijk=wijk))
        super().__init__(*args, **kwargs)
        self.wijk = wijk
        self.fields["buurt"].queryset = Buurt.objects.filter(  # type: ignore[attr-defined]
            wijk=wijk, is_active=True
        ).order_by("name")

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        same = Plek.objects.filter(wijk=self.wijk, name__iexact=name)
        if self.instance.pk:
            same = same.exclude(pk=self.instance.pk)
        if same.exists():
            raise forms.ValidationError(
                _("Er is al een plek met deze naam in deze wijk."), code="unique"
            )
        return name
