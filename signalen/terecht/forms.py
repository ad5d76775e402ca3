"""Forms of "Waar kan iemand terecht?": what the professional asks about, and what
goes on the resident's card."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from signalen.models import Categorie, Doelgroep
from signalen.terecht.queries import CARD_MAX_PER_KIND, SOURCES
from wijken.models import Buurt, Wijk

LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels (English)"))]


class NameChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return gettext(obj.name)


class NameMultipleChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return gettext(obj.name)


class AskForm(forms.Form):
    """GET form of the lookup page: every field optional."""

    use_required_attribute = False

    categorie = NameChoice(
        label=_("Waar gaat het over?"),
        queryset=Categorie.objects.filter(is_active=True).order_by("order", "name"),
        to_field_name="code",
        required=False,
        empty_label=_("Alles"),
        error_messages={"invalid_choice": _("Kies een onderwerp uit de lijst.")},
    )
    doelgroep = NameMultipleChoice(
        label=_("Voor wie?"),
        queryset=Doelgroep.objects.filter(is_active=True).order_by("order", "name"),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Kies een doelgroep uit de lijst.")},
    )
    buurt = NameChoice(
        label=_("In welke buurt?"),
        queryset=Buurt.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Hele wijk"),
        error_messages={"invalid_choice": _("Kies een buurt van deze wijk.")},
    )

    def __init__(self, *args: Any, wijk: Wijk, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["buurt"].queryset = Buurt.objects.filter(  # type: ignore[attr-defined]
            wijk=wijk, is_active=True
        ).order_by("name")


class IdList(forms.TypedMultipleChoiceField):
    """Ids of one source, any number up to CARD_MAX_PER_KIND; checked against the
    wijk by the view (the card leaves out anything of another wijk)."""

    def valid_value(self, value: Any) -> bool:
        return str(value).isdigit() and len(str(value)) <= 10

    def validate(self, value: Any) -> None:
        super().validate(value)
        if len(value) > CARD_MAX_PER_KIND:
            raise forms.ValidationError(
                _("Kies hoogstens %(max)d dingen per soort.")
                % {"max": CARD_MAX_PER_KIND}
            )


class CardForm(forms.Form):
    use_required_attribute = False

    taal = forms.ChoiceField(
        label=_("Taal van de kaart"),
        choices=LANGUAGES,
        required=False,
        error_messages={"invalid_choice": _("Kies Nederlands of Engels.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for source in SOURCES:
            self.fields[source.key] = IdList(
                coerce=int,
                required=False,
                error_messages={"invalid_choice": _("Deze keuze bestaat niet.")},
            )
