"""Forms of the wijkbudget. Messages are short B1 Dutch."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiatieven.forms import PhotoField, RequiredByAriaMixin
from initiatieven.models import Initiatief
from signalen.answers.queries import PublicThemeRow
from wijkbudget.models import Aanvraag, Advies, Besluit
from wijken.models import Wijk

MAX_AMOUNT = 10_000_000
BREAKDOWN_MAX_LINES = 20
# "Verf en kwasten 120", "Huur zaal: € 250", "Koffie - 40 euro"
BREAKDOWN_LINE = re.compile(
    r"^(?P<what>.*?\S)\s*[:\-\u2013]?\s*(?:€|eur|euro)?\s*(?P<amount>\d{1,7})\s*(?:euro|eur|,-)?$",
    re.IGNORECASE,
)


def no_tags(value: str) -> str:
    if "<" in value or ">" in value:
        raise forms.ValidationError(_("Gebruik geen < of > in dit veld."))
    return value


def _date_field(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Vul een datum in."),
            "invalid": _("Vul een datum in zoals 31-12-2026."),
        },
        **kwargs,
    )


def _euros(label: Any, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=MAX_AMOUNT,
        error_messages={
            "required": _("Vul een bedrag in hele euro's in."),
            "invalid": _("Vul een bedrag in hele euro's in, zonder punt of komma."),
            "min_value": _("Het bedrag is minstens 1 euro."),
            "max_value": _("Het bedrag is te hoog."),
        },
        **kwargs,
    )


class WijkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Wijk) -> str:  # type: ignore[override]
        return f"{obj.name} ({obj.gemeente.name})"


class RondeForm(RequiredByAriaMixin, forms.Form):
    wijk = WijkChoiceField(
        label=_("Wijk"),
        queryset=Wijk.objects.none(),
        empty_label=_("Kies een wijk"),
        error_messages={
            "required": _("Kies een wijk."),
            "invalid_choice": _("Kies een wijk uit de lijst."),
        },
    )
    title = forms.CharField(
        label=_("Titel"),
        max_length=120,
        help_text=_("Bijvoorbeeld: Wijkbudget Centrum 2027."),
        error_messages={
            "required": _("Geef de ronde een titel."),
            "max_length": _("De titel mag hoogstens 120 tekens zijn."),
        },
    )
    amount = _euros(_("Budget in euro"))
    rules = forms.CharField(
        label=_("Spelregels"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "In gewone taal: waarvoor het geld is, wie mag aanvragen en waar een "
            "plan aan moet voldoen. Een lege regel begint een nieuwe alinea."
        ),
        error_messages={
            "required": _("Schrijf de spelregels."),
            "max_length": _("De spelregels mogen hoogstens 5000 tekens zijn."),
        },
    )
    requests_open = _date_field(_("Aanvragen vanaf"))
    requests_close = _date_field(_("Aanvragen tot en met"))
    vote_open = _date_field(_("Stemmen vanaf"))
    vote_close = _date_field(_("Stemmen tot en met"))

    def __init__(
        self, *args: Any, wijken: QuerySet[Wijk] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if wijken is None:
            del self.fields["wijk"]
        else:
            self.fields["wijk"].queryset = wijken  # type: ignore[attr-defined]

    def clean_title(self) -> str:
        return no_tags(" ".join(self.cleaned_data["title"].split()))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        names = ("requests_open", "requests_close", "vote_open", "vote_close")
        days: list[datetime.date] = [
            day for day in (data.get(name) for name in names) if day is not None
        ]
        if len(days) == len(names):
            if days[0] > days[1]:
                self.add_error(
                    "requests_close", _("Deze datum ligt voor het begin van aanvragen.")
                )
            if days[1] >= days[2]:
                self.add_error(
                    "vote_open",
                    _("Stemmen begint na de laatste dag van de aanvragen."),
                )
            if days[2] > days[3]:
                self.add_error(
                    "vote_close", _("Deze datum ligt voor het begin van het stemmen.")
                )
        return data


def parse_breakdown(text: str) -> list[dict[str, Any]]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > BREAKDOWN_MAX_LINES:
        raise forms.ValidationError(
            _("Gebruik hoogstens %(max)s regels.") % {"max": BREAKDOWN_MAX_LINES}
        )
    rows = []
    for number, line in enumerate(lines, start=1):
        match = BREAKDOWN_LINE.match(line)
        if match is None or len(match["what"]) > 200:
            raise forms.ValidationError(
                _(
                    "Regel %(n)s heeft geen bedrag aan het eind. Schrijf bijvoorbeeld: "
                    "Koffie en thee 40"
                )
                % {"n": number}
            )
        rows.append({"what": no_tags(match["what"]), "amount": int(match["amount"])})
    return rows


def breakdown_text(rows: list[dict[str, Any]]) -> str:
    return "\n".join(f"{row['what']} {row['amount']}" for row in rows)


class AanvraagForm(RequiredByAriaMixin, forms.Form):
    initiatief = forms.ModelChoiceField(
        label=_("Voor welk initiatief?"),
        queryset=Initiatief.objects.none(),
        empty_label=_("Kies een initiatief"),
        error_messages={
            "required": _("Kies uw initiatief."),
            "invalid_choice": _("Kies een initiatief uit de lijst."),
        },
    )
    amount = _euros(_("Hoeveel geld vraagt u? (in euro)"))
    purpose = forms.CharField(
        label=_("Waar is het geld voor?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Vertel wat u gaat doen en wat de wijk eraan heeft."),
        error_messages={
            "required": _("Vertel waar het geld voor is."),
            "max_length": _("Hoogstens 2000 tekens."),
        },
    )
    breakdown = forms.CharField(
        label=_("Begroting"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Eén post per regel, met het bedrag in euro aan het eind. Bijvoorbeeld: "
            "Koffie en thee 40. Samen is dat het bedrag dat u vraagt."
        ),
        error_messages={"max_length": _("Hoogstens 4000 tekens.")},
    )

    def __init__(
        self,
        *args: Any,
        initiatieven: QuerySet[Initiatief] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if initiatieven is None:
            del self.fields["initiatief"]
        else:
            self.fields["initiatief"].queryset = initiatieven  # type: ignore[attr-defined]

    def clean_purpose(self) -> str:
        return self.cleaned_data["purpose"].strip()

    def clean_breakdown(self) -> list[dict[str, Any]]:
        return parse_breakdown(self.cleaned_data["breakdown"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        rows, amount = data.get("breakdown"), data.get("amount")
        if rows and amount is not None:
            total = sum(row["amount"] for row in rows)
            if total != amount:
                self.add_error(
                    "breakdown",
                    _(
                        "De posten tellen op tot %(total)s euro, maar u vraagt "
                        "%(amount)s euro. Maak die twee gelijk."
                    )
                    % {"total": total, "amount": amount},
                )
        return data


class ThemeChoiceField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class AdviesForm(RequiredByAriaMixin, forms.Form):
    advice = forms.ChoiceField(
        label=_("Advies van het wijkteam"),
        choices=Advies.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies een advies."),
            "invalid_choice": _("Kies een advies uit de lijst."),
        },
    )
    text = forms.CharField(
        label=_("Toelichting"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Iedereen kan dit lezen. Schrijf geen namen of gegevens van personen: "
            "die halen wij eruit."
        ),
        error_messages={"max_length": _("Hoogstens 2000 tekens.")},
    )
    themas = ThemeChoiceField(
        label=_("Op welke onderwerpen uit de wijk geeft dit plan antwoord?"),
        required=False,
        help_text=_(
            "Alleen onderwerpen die het wijkteam openbaar heeft gemaakt, met hun "
            "openbare naam."
        ),
        error_messages={"invalid_choice": _("Kies onderwerpen uit de lijst.")},
    )

    def __init__(self, *args: Any, themes: list[PublicThemeRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["themas"].choices = [  # type: ignore[attr-defined]
            (str(row.pk), f"{row.title} ({_('signalen')}: {row.size})")
            for row in themes
        ]
        if not themes:
            del self.fields["themas"]

    def clean_text(self) -> str:
        return self.cleaned_data["text"].strip()


class StemForm(RequiredByAriaMixin, forms.Form):
    aanvragen = forms.MultipleChoiceField(
        label=_("Uw keuze"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Kies minstens één plan."),
            "invalid_choice": _("Kies plannen uit de lijst."),
        },
    )
    code = forms.CharField(
        label=_("Uw stemcode"),
        max_length=40,
        help_text=_(
            "Die staat op de brief van de gemeente, bijvoorbeeld KX7R-MPQ4-HW."
        ),
        error_messages={
            "required": _("Vul de stemcode van uw brief in."),
            "max_length": _("Een stemcode is korter. Kijk of u hem goed overnam."),
        },
    )

    def __init__(
        self,
        *args: Any,
        aanvragen: list[Aanvraag],
        with_code: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["aanvragen"].choices = [  # type: ignore[attr-defined]
            (str(a.pk), f"{a.initiatief.title}: € {a.amount}") for a in aanvragen
        ]
        if not with_code:
            del self.fields["code"]
        else:
            self.fields["code"].widget.attrs["autocomplete"] = "off"

    def chosen_ids(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data["aanvragen"]]


class CodesForm(RequiredByAriaMixin, forms.Form):
    size = forms.IntegerField(
        label=_("Hoeveel codes?"),
        min_value=1,
        max_value=10_000,
        help_text=_("Eén per adres in de wijk. Hoogstens 10.000 per keer."),
        error_messages={
            "required": _("Vul een aantal in."),
            "invalid": _("Vul een heel getal in."),
            "min_value": _("Maak minstens 1 code."),
            "max_value": _("Hoogstens 10.000 codes per keer. Maak er meer in delen."),
        },
    )
    note = forms.CharField(
        label=_("Notitie"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld: de buurten die deze codes krijgen."),
        error_messages={"max_length": _("Hoogstens 200 tekens.")},
    )

    def clean_note(self) -> str:
        return no_tags(self.cleaned_data["note"].strip())


class BesluitForm(RequiredByAriaMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Besluit"),
        choices=Besluit.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies toekennen of afwijzen.")},
    )
    amount = forms.IntegerField(
        label=_("Toegekend bedrag in euro"),
        required=False,
        min_value=1,
        max_value=MAX_AMOUNT,
        help_text=_("Alleen bij toekennen."),
        error_messages={
            "invalid": _("Vul een bedrag in hele euro's in."),
            "min_value": _("Het bedrag is minstens 1 euro."),
            "max_value": _("Het bedrag is te hoog."),
        },
    )
    reason = forms.CharField(
        label=_("Reden"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Iedereen kan dit lezen. Bij afwijzen is een reden nodig."),
        error_messages={"max_length": _("Hoogstens 2000 tekens.")},
    )

    def clean_reason(self) -> str:
        return self.cleaned_data["reason"].strip()


class UitgaveForm(RequiredByAriaMixin, forms.Form):
    amount = forms.DecimalField(
        label=_("Bedrag in euro"),
        min_value=Decimal("0.01"),
        max_digits=10,
        decimal_places=2,
        help_text=_("Bijvoorbeeld 12,50."),
        localize=True,
        error_messages={
            "required": _("Vul het bedrag in."),
            "invalid": _("Vul een bedrag in, bijvoorbeeld 12,50."),
            "min_value": _("Het bedrag is meer dan 0."),
            "max_digits": _("Het bedrag is te hoog."),
            "max_decimal_places": _("Gebruik hoogstens twee cijfers achter de komma."),
        },
    )
    text = forms.CharField(
        label=_("Waaraan is het geld besteed?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Schrijf waaraan het geld is besteed."),
            "max_length": _("Hoogstens 2000 tekens."),
        },
    )
    spent_on = _date_field(_("Datum van de uitgave"))
    receipt = PhotoField(
        label=_("Foto van de bon"),
        required=False,
        help_text=_(
            "JPG, PNG of WebP, hoogstens 5 MB. Iedereen kan de bon zien: maak "
            "namen en rekeningnummers op de bon onleesbaar."
        ),
    )
    receipt_alt = forms.CharField(
        label=_("Wat staat er op de bon?"),
        required=False,
        max_length=200,
        help_text=_(
            "Voor mensen die de foto niet kunnen zien. Bijvoorbeeld: bon van de bouwmarkt."
        ),
        error_messages={"max_length": _("Hoogstens 200 tekens.")},
    )

    def clean_text(self) -> str:
        return self.cleaned_data["text"].strip()

    def clean_receipt_alt(self) -> str:
        return no_tags(self.cleaned_data["receipt_alt"].strip())

    def clean_spent_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["spent_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Deze datum ligt in de toekomst."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("receipt") and not data.get("receipt_alt"):
            self.add_error(
                "receipt_alt", _("Zeg in een paar woorden wat er op de bon staat.")
            )
        return data
