"""Forms for starting and running initiatives. Messages are short B1 Dutch."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.core.files.base import ContentFile
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import check_email_characters
from accounts.models import User
from initiatieven.images import photo_process
from initiatieven.models import (
    BehoefteKind,
    DeelnameKind,
    Frequentie,
    Initiatief,
    MeldingReden,
    PartnerKind,
    Status,
    Thema,
)
from wijken.models import Buurt, Wijk


class WijkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Wijk) -> str:  # type: ignore[override]
        return f"{obj.name} ({obj.gemeente.name})"


class BuurtChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Buurt) -> str:  # type: ignore[override]
        return f"{obj.name} ({obj.wijk.name})"


class PhotoField(forms.FileField):
    """A photo checked and re-encoded by Pillow (initiatieven.images)."""

    widget = forms.ClearableFileInput(
        attrs={"accept": "image/jpeg,image/png,image/webp"}
    )

    def to_python(self, data: Any) -> ContentFile[bytes] | None:
        upload = super().to_python(data)
        if upload is None:
            return None
        return photo_process(upload)


def _no_tags(value: str) -> str:
    # Titles and summaries are plain text everywhere (escaped by the templates), but
    # angle brackets there are almost always a mistake or an attempt at HTML.
    if "<" in value or ">" in value:
        raise forms.ValidationError(_("Gebruik geen < of > in dit veld."))
    return value


class RequiredByAriaMixin:
    """Required fields say so with aria-required, not the HTML required attribute: the
    utrecht CSS paints every empty :invalid field red before anyone typed a thing."""

    use_required_attribute = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._mark_required()

    def _mark_required(self) -> None:
        for bound in self.visible_fields():  # type: ignore[attr-defined]
            if bound.field.required:
                bound.field.widget.attrs["aria-required"] = "true"


class InitiatiefForm(RequiredByAriaMixin, forms.ModelForm):
    title = forms.CharField(
        label=_("Titel"),
        max_length=120,
        help_text=_("Kort en duidelijk, bijvoorbeeld: Wandelclub De Wagenweg."),
        error_messages={
            "required": _("Vul een titel in."),
            "max_length": _("De titel mag hoogstens 120 tekens zijn."),
        },
    )
    summary = forms.CharField(
        label=_("Korte samenvatting"),
        max_length=280,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Eén of twee zinnen: wat gaat u doen, en voor wie?"),
        error_messages={
            "required": _("Vul een korte samenvatting in."),
            "max_length": _("De samenvatting mag hoogstens 280 tekens zijn."),
        },
    )
    description = forms.CharField(
        label=_("Beschrijving"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Vertel meer: wat gaat u doen, voor wie, en wat is er nodig? "
            "Een lege regel begint een nieuwe alinea."
        ),
        error_messages={
            "max_length": _("De beschrijving mag hoogstens 10.000 tekens zijn.")
        },
    )
    wijk = WijkChoiceField(
        label=_("Wijk"),
        queryset=Wijk.objects.none(),
        empty_label=_("Kies een wijk"),
        error_messages={
            "required": _("Kies een wijk."),
            "invalid_choice": _("Kies een wijk uit de lijst."),
        },
    )
    buurt = BuurtChoiceField(
        label=_("Buurt"),
        required=False,
        queryset=Buurt.objects.none(),
        empty_label=_("De hele wijk"),
        error_messages={"invalid_choice": _("Kies een buurt uit de lijst.")},
    )
    themas = forms.ModelMultipleChoiceField(
        label=_("Thema's"),
        required=False,
        queryset=Thema.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Kies thema's uit de lijst."),
            "invalid_pk_value": _("Kies thema's uit de lijst."),
        },
    )
    status = forms.ChoiceField(
        label=_("Hoe ver bent u?"),
        choices=Status.choices,
        initial=Status.IDEE,
        error_messages={"invalid_choice": _("Kies een van de mogelijkheden.")},
    )
    where = forms.CharField(
        label=_("Waar"),
        required=False,
        max_length=200,
        help_text=_("Bijvoorbeeld: buurthuis De Schakel, Kerkstraat 1."),
        error_messages={"max_length": _("Hoogstens 200 tekens.")},
    )
    when = forms.CharField(
        label=_("Wanneer"),
        required=False,
        max_length=200,
        help_text=_("Bijvoorbeeld: elke dinsdag om 10 uur."),
        error_messages={"max_length": _("Hoogstens 200 tekens.")},
    )
    photo = PhotoField(
        label=_("Foto"),
        required=False,
        help_text=_("Een JPG-, PNG- of WebP-foto van hoogstens 5 MB."),
        error_messages={
            "invalid": _("Dit bestand is geen foto die wij kunnen lezen."),
            "empty": _("Dit bestand is leeg."),
        },
    )
    photo_alt = forms.CharField(
        label=_("Wat staat er op de foto?"),
        required=False,
        max_length=200,
        help_text=_("Voor mensen die de foto niet kunnen zien."),
        error_messages={"max_length": _("Hoogstens 200 tekens.")},
    )

    class Meta:
        model = Initiatief
        fields = [
            "title",
            "summary",
            "description",
            "wijk",
            "buurt",
            "themas",
            "status",
            "where",
            "when",
            "photo",
            "photo_alt",
        ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        wijken: QuerySet[Wijk] = Wijk.objects.filter(is_active=True).select_related(
            "gemeente"
        )
        gemeente_id = user.wijk.gemeente_id if getattr(user, "wijk", None) else None
        if self.instance.pk:
            gemeente_id = self.instance.wijk.gemeente_id
        if gemeente_id:
            # Residents start initiatives in their own gemeente; a list of every wijk
            # in the country would be useless on a phone.
            wijken = wijken.filter(gemeente_id=gemeente_id)
        self.fields["wijk"].queryset = wijken.order_by("name")  # type: ignore[attr-defined]
        self.fields["buurt"].queryset = (  # type: ignore[attr-defined]
            Buurt.objects.filter(is_active=True, wijk__in=wijken)
            .select_related("wijk")
            .order_by("wijk__name", "name")
        )
        if not self.instance.pk and getattr(user, "wijk_id", None):
            self.fields["wijk"].initial = user.wijk_id
        if self.instance.pk and self.instance.photo:
            self.fields["photo"].help_text = _(
                "Er is al een foto. Kies een nieuwe om die te vervangen."
            )
        self._mark_required()

    def clean_title(self) -> str:
        return _no_tags(" ".join(self.cleaned_data["title"].split()))

    def clean_summary(self) -> str:
        return _no_tags(self.cleaned_data["summary"].strip())

    def clean_photo(self) -> Any:
        # Unchanged photo on edit: the model field keeps its file.
        photo = self.cleaned_data.get("photo")
        self.remove_photo = photo is False
        return photo if isinstance(photo, ContentFile) else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        wijk = data.get("wijk")
        buurt = data.get("buurt")
        if wijk is not None and buurt is not None and buurt.wijk_id != wijk.pk:
            self.add_error(
                "buurt",
                _("Deze buurt hoort niet bij de gekozen wijk. Kies een andere."),
            )
        return data

    def _post_clean(self) -> None:
        # The model instance is filled by the service, not here: keep ModelForm from
        # assigning the re-encoded photo twice.
        pass


class OrganiserEmailForm(RequiredByAriaMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        help_text=_("Wij sturen een uitnodiging naar dit adres."),
        error_messages={
            "required": _("Vul een e-mailadres in."),
            "invalid": _("Dit is geen geldig e-mailadres."),
        },
    )

    def clean_email(self) -> str:
        email = str(self.cleaned_data["email"]).strip().lower()
        check_email_characters(email)
        return email


class OrganiserTransferForm(RequiredByAriaMixin, forms.Form):
    """Hand over to someone who already organises along: chosen from a list, never
    looked up by e-mail address."""

    new_owner = forms.ModelChoiceField(
        label=_("Nieuwe eigenaar"),
        queryset=User.objects.none(),
        empty_label=_("Kies een mede-organisator"),
        error_messages={
            "required": _("Kies wie de nieuwe eigenaar wordt."),
            "invalid_choice": _("Kies iemand uit de lijst."),
        },
    )

    def __init__(self, *args: Any, initiatief: Initiatief, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["new_owner"]
        field.queryset = initiatief.co_organisers.filter(  # type: ignore[attr-defined]
            is_active=True
        ).order_by("display_name", "pk")
        field.label_from_instance = lambda user: user.display_name  # type: ignore[attr-defined]


class BehoefteForm(RequiredByAriaMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Soort hulp"),
        choices=BehoefteKind.choices,
        error_messages={
            "required": _("Kies wat er nodig is."),
            "invalid_choice": _("Kies een van de mogelijkheden."),
        },
    )
    description = forms.CharField(
        label=_("Omschrijving"),
        max_length=280,
        help_text=_("Bijvoorbeeld: twee mensen die willen koken op vrijdag."),
        error_messages={
            "required": _("Vul een omschrijving in."),
            "max_length": _("Hoogstens 280 tekens."),
        },
    )


class PartnerForm(RequiredByAriaMixin, forms.Form):
    name = forms.CharField(
        label=_("Naam van de partner"),
        max_length=120,
        error_messages={
            "required": _("Vul een naam in."),
            "max_length": _("Hoogstens 120 tekens."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Soort partner"),
        choices=PartnerKind.choices,
        error_messages={"invalid_choice": _("Kies een van de mogelijkheden.")},
    )

    def clean_name(self) -> str:
        return _no_tags(self.cleaned_data["name"].strip())


class DeelnameForm(forms.Form):
    kind = forms.ChoiceField(choices=DeelnameKind.choices)
    show_name = forms.BooleanField(required=False)


class AanbodForm(forms.Form):
    talents = forms.CharField(
        label=_("Wat kunt u en wat wilt u doen?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Bijvoorbeeld: ik kan goed koken en ik heb een boormachine."),
        error_messages={"max_length": _("Hoogstens 1000 tekens.")},
    )
    kinds = forms.MultipleChoiceField(
        label=_("Wat kunt u geven?"),
        required=False,
        choices=BehoefteKind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Kies uit de lijst.")},
    )
    hours_per_month = forms.IntegerField(
        label=_("Hoeveel uur per maand?"),
        required=False,
        min_value=0,
        max_value=200,
        error_messages={
            "invalid": _("Vul een heel getal in."),
            "min_value": _("Vul 0 of meer in."),
            "max_value": _("Hoogstens 200 uur."),
        },
    )


class BerichtForm(RequiredByAriaMixin, forms.Form):
    title = forms.CharField(
        label=_("Titel"),
        required=False,
        max_length=120,
        error_messages={"max_length": _("De titel mag hoogstens 120 tekens zijn.")},
    )
    text = forms.CharField(
        label=_("Bericht"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Vertel wat er nieuw is. Een lege regel begint een nieuwe alinea."),
        error_messages={
            "required": _("Schrijf een bericht."),
            "max_length": _("Het bericht mag hoogstens 5000 tekens zijn."),
        },
    )

    def clean_title(self) -> str:
        return _no_tags(self.cleaned_data["title"].strip())

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Schrijf een bericht."))
        return text


class BijeenkomstForm(RequiredByAriaMixin, forms.Form):
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
        max_length=200,
        help_text=_("Bijvoorbeeld: buurthuis De Linde, Kerkstraat 4."),
        error_messages={
            "required": _("Vul in waar de bijeenkomst is."),
            "max_length": _("Hoogstens 200 tekens."),
        },
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Waar praat u over? Zet elk punt op een nieuwe regel."),
        error_messages={"max_length": _("De agenda mag hoogstens 5000 tekens zijn.")},
    )

    def clean_place(self) -> str:
        return _no_tags(self.cleaned_data["place"].strip())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, time = data.get("date"), data.get("time")
        if day is not None and time is not None:
            starts_at = timezone.make_aware(datetime.combine(day, time))
            if starts_at <= timezone.now():
                self.add_error(
                    "date",
                    _(
                        "Deze datum en tijd zijn al voorbij. Kies een moment in de toekomst."
                    ),
                )
            else:
                data["starts_at"] = starts_at
        return data


class AfspraakForm(RequiredByAriaMixin, forms.Form):
    description = forms.CharField(
        label=_("Wat is er afgesproken?"),
        max_length=280,
        help_text=_("Bijvoorbeeld: flyers maken voor de buurtborrel."),
        error_messages={
            "required": _("Vul in wat er is afgesproken."),
            "max_length": _("Hoogstens 280 tekens."),
        },
    )
    who_user = forms.TypedChoiceField(
        label=_("Wie doet het? Kies een deelnemer"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Kies iemand uit de lijst.")},
    )
    who_text = forms.CharField(
        label=_("Of schrijf een naam"),
        required=False,
        max_length=120,
        error_messages={"max_length": _("Hoogstens 120 tekens.")},
    )
    due_date = forms.DateField(
        label=_("Wanneer moet het klaar zijn?"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Vul een datum in."),
            "invalid": _("Vul een datum in, bijvoorbeeld 15-03-2027."),
        },
    )

    def __init__(
        self, *args: Any, people: list[Any], meeting_day: date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.people = {p.pk: p for p in people}
        self.meeting_day = meeting_day
        who = self.fields["who_user"]
        assert isinstance(who, forms.ChoiceField)
        who.choices = [("", _("Niemand gekozen"))] + [
            (p.pk, p.display_name) for p in people
        ]

    def clean_description(self) -> str:
        return _no_tags(self.cleaned_data["description"].strip())

    def clean_who_text(self) -> str:
        return _no_tags(self.cleaned_data["who_text"].strip())

    def clean_due_date(self) -> date:
        due: date = self.cleaned_data["due_date"]
        if due < self.meeting_day:
            raise forms.ValidationError(
                _(
                    "Deze datum ligt vóór de bijeenkomst. Kies de dag van de bijeenkomst of later."
                )
            )
        return due

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        who_id = data.get("who_user")
        data["who_user"] = self.people.get(who_id) if who_id else None
        if data["who_user"] is None and not data.get("who_text") and not self.errors:
            self.add_error("who_text", _("Kies een deelnemer of schrijf wie het doet."))
        return data


class MeldingsvoorkeurForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("Hoe vaak wilt u e-mail over initiatieven die u volgt?"),
        choices=Frequentie.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies hoe vaak u e-mail wilt."),
            "invalid_choice": _("Kies een van de mogelijkheden."),
        },
    )


class MeldingForm(RequiredByAriaMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Wat is er niet goed?"),
        choices=MeldingReden.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies een reden."),
            "invalid_choice": _("Kies een van de mogelijkheden."),
        },
    )
    text = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Vertel kort wat er aan de hand is."),
        error_messages={"max_length": _("Hoogstens 1000 tekens.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["text"] = (data.get("text") or "").strip()
        if data.get("reason") == MeldingReden.ANDERS and not data["text"]:
            self.add_error("text", _("Vertel wat er niet goed is."))
        return data


class VerbergenForm(RequiredByAriaMixin, forms.Form):
    reason = forms.CharField(
        label=_("Waarom verbergt u dit? De eigenaar krijgt deze tekst te lezen."),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Schrijf waarom u dit verbergt."),
            "max_length": _("Hoogstens 1000 tekens."),
        },
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Schrijf waarom u dit verbergt."))
        return reason
