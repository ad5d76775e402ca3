"""The quick-log form and its friends. Choices are limited to what the user may
pick; the service checks the same rules again."""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from signalen.intake.services import (
    OBSERVED_MAX_AGE,
    SignaalError,
    observed_on_validate,
)
from signalen.intake.widgets import FastSelect, choices_read_once
from signalen.models import (
    HOUSEHOLDS_MAX,
    SIGNAAL_TEXT_MAX_LENGTH,
    Bron,
    Categorie,
    Doelgroep,
    Signaal,
    TaxonomyEntry,
)
from wijken.models import Buurt, Wijk


class TaxonomyChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    # Seeded names are translatable (signalen/taxonomy_text.py); others show as typed.
    def label_from_instance(self, obj: Any) -> str:
        return gettext(str(obj.name))


class TaxonomyMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return gettext(str(obj.name))


class BuurtChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class WijkChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """The user's wijken; with `known` (the list the view already read) a posted
    wijk is found in it, without asking the database again."""

    known: list[Wijk] | None = None

    def to_python(self, value: Any) -> Wijk | None:
        if self.known is None or value in self.empty_values:
            return super().to_python(value)  # type: ignore[no-any-return]
        try:
            pk = int(str(value))
        except (TypeError, ValueError):
            pk = None
        for wijk in self.known:
            if wijk.pk == pk:
                return wijk
        raise forms.ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice"
        )


WITHDRAW_REASONS = [
    ("dubbel", _("Ik heb dit signaal dubbel gemeld")),
    ("vergissing", _("Ik heb iets verkeerd ingevuld")),
    ("casus", _("Het hoort in het dossier, niet hier")),
    ("persoonsgegevens", _("Er staan toch persoonsgegevens in")),
    ("anders", _("Een andere reden")),
]


def _taxonomy(
    model: type[TaxonomyEntry], keep: list[int] | None = None
) -> QuerySet[Any]:
    """Active entries, plus the ones an existing signal already has."""
    condition = Q(is_active=True)
    if keep:
        condition |= Q(pk__in=keep)
    return model._default_manager.filter(condition).order_by("order", "name")


class SignaalForm(forms.Form):
    wijk = WijkChoiceField(
        label=_("Wijk"),
        queryset=Wijk.objects.none(),
        widget=FastSelect,
        empty_label=None,
        error_messages={
            "invalid_choice": _("Kies een wijk van uw wijkteam."),
            "required": _("Kies een wijk."),
        },
    )
    buurt = BuurtChoiceField(
        label=_("Buurt"),
        queryset=Buurt.objects.none(),
        widget=FastSelect,
        required=False,
        empty_label=_("Hele wijk of weet ik niet"),
        error_messages={"invalid_choice": _("Kies een buurt van deze wijk.")},
    )
    categorie = TaxonomyChoiceField(
        label=_("Waar gaat het over?"),
        queryset=Categorie.objects.none(),
        widget=FastSelect,
        # A select, not 15 radios: the form fits on two phone screens.
        empty_label=_("Kies waar het over gaat"),
        error_messages={
            "invalid_choice": _("Kies een categorie uit de lijst."),
            "required": _("Kies waar het signaal over gaat."),
        },
    )
    doelgroepen = TaxonomyMultipleChoiceField(
        label=_("Wie gaat het aan?"),
        queryset=Doelgroep.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "bw-compact-choices"}),
        required=False,
        error_messages={"invalid_choice": _("Kies doelgroepen uit de lijst.")},
    )
    bron = TaxonomyChoiceField(
        label=_("Hoe weet u dit?"),
        queryset=Bron.objects.none(),
        widget=FastSelect,
        empty_label=_("Kies een bron"),
        error_messages={
            "invalid_choice": _("Kies een bron uit de lijst."),
            "required": _("Kies hoe u dit weet."),
        },
    )
    text = forms.CharField(
        label=_("Wat ziet of hoort u?"),
        max_length=SIGNAAL_TEXT_MAX_LENGTH,
        widget=forms.Textarea(
            attrs={"rows": 4, "data-bw-counter": str(SIGNAAL_TEXT_MAX_LENGTH)}
        ),
        help_text=_(
            "Kort en algemeen, zonder namen, adressen of telefoonnummers. "
            "Wat toch in de tekst staat, halen wij eruit. Hoogstens 1000 tekens."
        ),
        error_messages={
            "required": _("Beschrijf kort wat u ziet of hoort."),
            "max_length": _(
                "De tekst is te lang: hoogstens %(limit_value)d tekens, "
                "nu %(show_value)d."
            ),
        },
    )
    households_estimate = forms.IntegerField(
        label=_("Om hoeveel huishoudens gaat het ongeveer?"),
        required=False,
        min_value=1,
        max_value=HOUSEHOLDS_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": _("Vul een heel getal in, bijvoorbeeld 3."),
            "min_value": _("Vul een getal van 1 of meer in."),
            "max_value": _("Vul een getal van hoogstens %(limit_value)s in."),
        },
    )
    observed_on = forms.DateField(
        label=_("Wanneer zag of hoorde u dit?"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "invalid": _("Vul een datum in, bijvoorbeeld 15-03-2025."),
            "required": _("Vul een datum in."),
        },
    )

    # One token per form: a post sent twice (a retry) saves one signal.
    intake_token = forms.UUIDField(required=False, widget=forms.HiddenInput)

    # The text first: that is what the professional came to write down.
    field_order = (
        "text",
        "categorie",
        "wijk",
        "buurt",
        "bron",
        "observed_on",
        "households_estimate",
        "doelgroepen",
    )

    def __init__(
        self,
        *args: Any,
        wijken: QuerySet[Wijk],
        signaal: Signaal | None = None,
        wijk_list: list[Wijk] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.signaal = signaal
        # The user's wijken as the view already read them (saves a query per post).
        self.wijk_list = wijk_list
        today = timezone.localdate()
        date_widget = self.fields["observed_on"].widget
        date_widget.attrs["max"] = today.isoformat()
        date_widget.attrs["min"] = (today - OBSERVED_MAX_AGE).isoformat()
        wijk_field: WijkChoiceField = self.fields["wijk"]  # type: ignore[assignment]
        wijk_field.queryset = wijken.defer("geometry").order_by("name")
        if wijk_list is not None and signaal is None:
            wijk_field.known = wijk_list
        if signaal is not None:
            # The wijk of a signal does not change.
            wijk_field.queryset = Wijk.objects.filter(pk=signaal.wijk_id)
            wijk_field.disabled = True
            self.initial["wijk"] = signaal.wijk_id
        self._set_taxonomy(signaal)
        self._set_buurten()
        for name in ("wijk", "buurt", "categorie", "bron"):
            choices_read_once(self.fields[name])

    def _set_taxonomy(self, signaal: Signaal | None) -> None:
        keep_categorie = [signaal.categorie_id] if signaal else None
        keep_bron = [signaal.bron_id] if signaal else None
        keep_doelgroepen = (
            list(signaal.doelgroepen.values_list("pk", flat=True)) if signaal else None
        )
        self.fields["categorie"].queryset = _taxonomy(Categorie, keep_categorie)  # type: ignore[attr-defined]
        self.fields["bron"].queryset = _taxonomy(Bron, keep_bron)  # type: ignore[attr-defined]
        self.fields["doelgroepen"].queryset = _taxonomy(Doelgroep, keep_doelgroepen)  # type: ignore[attr-defined]

    def selected_wijk(self) -> Wijk | None:
        """The wijk the buurt choices belong to: posted, initial or the only one."""
        field: forms.ModelChoiceField = self.fields["wijk"]  # type: ignore[type-arg,assignment]
        queryset = field.queryset
        if self.signaal is not None:
            return self.signaal.wijk
        raw = self.data.get(self.add_prefix("wijk")) if self.is_bound else None
        if raw is None:
            raw = self.initial.get("wijk")
        if isinstance(raw, Wijk):
            return raw  # the view chose it from this user's wijken: no query
        if raw not in (None, ""):
            try:
                pk = int(raw)
            except (TypeError, ValueError):
                return None
            if self.wijk_list is not None:
                return next((w for w in self.wijk_list if w.pk == pk), None)
            return queryset.filter(pk=pk).first()  # type: ignore[union-attr]
        return queryset.first()  # type: ignore[union-attr]

    def _set_buurten(self) -> None:
        wijk = self.selected_wijk()
        buurten = (
            Buurt.objects.filter(wijk=wijk, is_active=True)
            .defer("geometry")
            .order_by("name")
            if wijk is not None
            else Buurt.objects.none()
        )
        self.fields["buurt"].queryset = buurten  # type: ignore[attr-defined]

    def clean_observed_on(self) -> datetime.date:
        observed_on: datetime.date = self.cleaned_data["observed_on"]
        try:
            observed_on_validate(observed_on)
        except SignaalError as error:
            raise forms.ValidationError(error.messages, code="date") from error
        return observed_on

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        wijk, buurt = cleaned.get("wijk"), cleaned.get("buurt")
        if buurt is not None and wijk is not None and buurt.wijk_id != wijk.pk:
            self.add_error("buurt", _("Kies een buurt van deze wijk."))
        return cleaned


class SignaalWithdrawForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Waarom trekt u dit signaal in?"),
        choices=WITHDRAW_REASONS,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies een reden."),
            "invalid_choice": _("Kies een reden uit de lijst."),
        },
    )


# --- Bulk entry: a CSV of signals collected on paper --------------------------------

BULK_MAX_BYTES = 200_000
BULK_MAX_ROWS = 300
BULK_COLUMNS_REQUIRED = ("categorie", "bron", "tekst", "datum")
BULK_COLUMNS_OPTIONAL = ("wijk", "buurt", "doelgroepen", "huishoudens")
BULK_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")
BULK_FIELD_LABELS = {
    "wijk": _("Wijk"),
    "buurt": _("Buurt"),
    "categorie": _("Categorie"),
    "doelgroepen": _("Doelgroepen"),
    "bron": _("Bron"),
    "text": _("Tekst"),
    "households_estimate": _("Huishoudens"),
    "observed_on": _("Datum"),
}


class BulkForm(forms.Form):
    pasted = forms.CharField(
        label=_("Plak de regels hier"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=_(
            "De eerste regel noemt de kolommen: wijk;buurt;categorie;doelgroepen;bron;"
            "tekst;huishoudens;datum. Scheid kolommen met ; of een komma."
        ),
    )
    upload = forms.FileField(
        label=_("Of kies een CSV-bestand"),
        required=False,
        help_text=_("Hoogstens 200 kB en 300 regels."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_upload(self) -> Any:
        upload = self.cleaned_data.get("upload")
        if upload is not None and upload.size > BULK_MAX_BYTES:
            raise forms.ValidationError(
                _("Het bestand is te groot: hoogstens 200 kB."), code="too_big"
            )
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        pasted = cleaned.get("pasted") or ""
        upload = cleaned.get("upload")
        if upload is not None:
            raw = upload.read(BULK_MAX_BYTES + 1)
            try:
                content = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                try:
                    content = raw.decode("cp1252")
                except UnicodeDecodeError as error:
                    raise forms.ValidationError(
                        _("Het bestand is geen tekstbestand (CSV)."), code="encoding"
                    ) from error
        else:
            content = pasted
        if not content.strip():
            raise forms.ValidationError(
                _("Plak de regels of kies een bestand."), code="empty"
            )
        if len(content.encode("utf-8")) > BULK_MAX_BYTES:
            raise forms.ValidationError(
                _("Dat is te veel tekst: hoogstens 200 kB."), code="too_big"
            )
        cleaned["content"] = content
        return cleaned


@dataclass(frozen=True)
class BulkRowError:
    line: int
    messages: tuple[str, ...]


def _lookup(model: type[TaxonomyEntry], value: str) -> TaxonomyEntry | None:
    value = value.strip()
    if not value:
        return None
    return (
        model._default_manager.filter(is_active=True)
        .filter(Q(code__iexact=value) | Q(name__iexact=value))
        .first()
    )


def _parse_date(value: str) -> str:
    value = value.strip()
    for fmt in BULK_DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt).date().isoformat()  # noqa: DTZ007
        except ValueError:
            continue
    return value  # the form will call it invalid


def bulk_rows_clean(
    *, content: str, wijken: QuerySet[Wijk]
) -> tuple[list[dict[str, Any]], list[BulkRowError], str]:
    """Check every row as the quick-log form would. Returns the clean rows, the
    errors per line, and an error about the file as a whole ("" if none)."""
    sample = content[:2048]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
        dialect.delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    try:
        reader = csv.reader(io.StringIO(content), dialect)
        lines = list(reader)
    except csv.Error:
        return [], [], str(_("Het bestand is geen geldige CSV."))
    lines = [line for line in lines if any(cell.strip() for cell in line)]
    if not lines:
        return [], [], str(_("Het bestand is leeg."))
    header = [cell.strip().lower() for cell in lines[0]]
    missing = [name for name in BULK_COLUMNS_REQUIRED if name not in header]
    unknown = [
        name
        for name in header
        if name not in BULK_COLUMNS_REQUIRED + BULK_COLUMNS_OPTIONAL
    ]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(
                str(_("Deze kolommen ontbreken: %(names)s."))
                % {"names": ", ".join(missing)}
            )
        if unknown:
            parts.append(
                str(_("Deze kolommen kennen wij niet: %(names)s."))
                % {"names": ", ".join(unknown)}
            )
        return [], [], " ".join(parts)
    if len(lines) - 1 > BULK_MAX_ROWS:
        return (
            [],
            [],
            str(_("Te veel regels: hoogstens %(max)d per keer."))
            % {"max": BULK_MAX_ROWS},
        )
    if len(lines) == 1:
        return [], [], str(_("Er staan geen signalen onder de kolomnamen."))

    wijk_list = list(wijken.defer("geometry"))
    rows: list[dict[str, Any]] = []
    errors: list[BulkRowError] = []
    for number, line in enumerate(lines[1:], start=2):
        if len(line) != len(header):
            errors.append(
                BulkRowError(
                    number,
                    (
                        str(
                            _(
                                "Deze regel heeft %(found)d kolommen in plaats van %(expected)d."
                            )
                        )
                        % {"found": len(line), "expected": len(header)},
                    ),
                )
            )
            continue
        values = {name: cell.strip() for name, cell in zip(header, line, strict=True)}
        messages: list[str] = []
        wijk: Wijk | None = None
        wijk_value = values.get("wijk", "")
        if wijk_value:
            wijk = next(
                (
                    w
                    for w in wijk_list
                    if wijk_value.lower() in (w.code.lower(), w.name.lower())
                ),
                None,
            )
            if wijk is None:
                messages.append(str(_("Wijk: deze wijk hoort niet bij uw wijkteam.")))
        elif len(wijk_list) == 1:
            wijk = wijk_list[0]
        else:
            messages.append(str(_("Wijk: vul de wijk in.")))
        data: dict[str, Any] = {
            "wijk": str(wijk.pk) if wijk else "",
            "text": values.get("tekst", ""),
            "households_estimate": values.get("huishoudens", ""),
            "observed_on": _parse_date(values.get("datum", "")),
        }
        buurt_value = values.get("buurt", "")
        if buurt_value and wijk is not None:
            buurt = (
                Buurt.objects.filter(wijk=wijk, is_active=True)
                .filter(Q(code__iexact=buurt_value) | Q(name__iexact=buurt_value))
                .only("pk")
                .first()
            )
            if buurt is None:
                messages.append(str(_("Buurt: deze buurt hoort niet bij de wijk.")))
            data["buurt"] = str(buurt.pk) if buurt else ""
        for key, model, column in (
            ("categorie", Categorie, "categorie"),
            ("bron", Bron, "bron"),
        ):
            entry = _lookup(model, values.get(column, ""))
            if entry is None and values.get(column, ""):
                messages.append(
                    str(_("%(column)s: “%(value)s” staat niet in de lijst."))
                    % {"column": column.capitalize(), "value": values[column][:50]}
                )
            data[key] = str(entry.pk) if entry else ""
        doelgroepen = []
        for part in re.split(r"[|,/]", values.get("doelgroepen", "")):
            if not part.strip():
                continue
            entry = _lookup(Doelgroep, part)
            if entry is None:
                messages.append(
                    str(_("Doelgroepen: “%(value)s” staat niet in de lijst."))
                    % {"value": part.strip()[:50]}
                )
            else:
                doelgroepen.append(str(entry.pk))
        data["doelgroepen"] = doelgroepen
        if not messages:
            form = SignaalForm(data, wijken=wijken)
            if form.is_valid():
                rows.append(form.cleaned_data)
            else:
                for field, field_errors in form.errors.items():
                    label = BULK_FIELD_LABELS.get(field, "")
                    for message in field_errors:
                        messages.append(
                            f"{label}: {message}" if label else str(message)
                        )
        if messages:
            errors.append(BulkRowError(number, tuple(messages)))
    return rows, errors, ""
