"""Forms of the wijkpeilingen. The services check everything again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peilingen.models import (
    INTRO_MAX_LENGTH,
    OPEN_ANSWER_MAX_LENGTH,
    QUESTION_MAX_LENGTH,
    STREET_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    BezoekUitkomst,
    Huishouden,
    Kanaal,
    Leeftijd,
    Peiling,
    VraagSoort,
)
from peilingen.texts import consent_sentence
from signalen.models import Bron, Categorie, WijkThema
from wijken.models import Buurt, Wijk

DATE_FORMAT = "%Y-%m-%d"


def _date(label: Any, *, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
        error_messages={"invalid": _("Vul een datum in, bijvoorbeeld 15-03-2026.")},
    )


class NameChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(getattr(obj, "display_name", None) or obj.name)


class PeilingForm(forms.Form):
    use_required_attribute = False

    wijk = NameChoiceField(
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
        max_length=TITLE_MAX_LENGTH,
        help_text=_("Kort en duidelijk. Bijvoorbeeld: Hoe veilig voelt u zich?"),
        error_messages={"required": _("Vul een titel in.")},
    )
    intro = forms.CharField(
        label=_("Inleiding"),
        max_length=INTRO_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Waarom vraagt u dit, en wat doet u met de antwoorden?"),
    )
    opens_on = _date(_("Open vanaf"))
    closes_on = _date(_("Open tot en met"))
    online = forms.BooleanField(
        label=_("Bewoners van de wijk vullen online in"), required=False, initial=True
    )
    street = forms.BooleanField(
        label=_("Het team vraagt het op straat en aan de deur"),
        required=False,
        initial=True,
    )

    def __init__(
        self, *args: Any, wijken: Any, peiling: Peiling | None = None, **kwargs: Any
    ) -> None:
        if peiling is not None:
            kwargs.setdefault(
                "initial",
                {
                    "wijk": peiling.wijk_id,
                    "title": peiling.title,
                    "intro": peiling.intro,
                    "opens_on": peiling.opens_on,
                    "closes_on": peiling.closes_on,
                    "online": peiling.online,
                    "street": peiling.street,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["wijk"].queryset = wijken  # type: ignore[attr-defined]
        if peiling is not None:
            del self.fields["wijk"]


class VraagForm(forms.Form):
    use_required_attribute = False

    kind = forms.ChoiceField(
        label=_("Soort vraag"),
        choices=VraagSoort.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies een soort vraag.")},
    )
    text = forms.CharField(
        label=_("Vraag"),
        max_length=QUESTION_MAX_LENGTH,
        error_messages={"required": _("Schrijf de vraag.")},
    )
    options = forms.CharField(
        label=_("Antwoorden om uit te kiezen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Alleen bij een keuzevraag: elk antwoord op een eigen regel (2 tot 8)."
        ),
    )

    def option_lines(self) -> list[str]:
        return str(self.cleaned_data.get("options", "")).splitlines()


class ConsentMixin(forms.Form):
    consent = forms.BooleanField(
        label="",
        required=False,
    )

    def init_consent(self, channel: str) -> None:
        self.fields["consent"].label = consent_sentence(channel)


class AnswerForm(ConsentMixin):
    """One person's answers: the questions, their buurt and (optional) bands."""

    use_required_attribute = False

    buurt = NameChoiceField(
        label=_("Buurt"),
        queryset=Buurt.objects.none(),
        required=False,
        empty_label=_("Weet ik niet / zeg ik liever niet"),
        error_messages={"invalid_choice": _("Kies een buurt uit de lijst.")},
    )
    age_band = forms.ChoiceField(
        label=_("Leeftijd"),
        choices=[("", _("Zeg ik liever niet")), *Leeftijd.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    household = forms.ChoiceField(
        label=_("Huishouden"),
        choices=[("", _("Zeg ik liever niet")), *Huishouden.choices],
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(
        self, *args: Any, peiling: Peiling, channel: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.init_consent(channel)
        self.peiling = peiling
        self.fields["buurt"].queryset = Buurt.objects.filter(  # type: ignore[attr-defined]
            wijk_id=peiling.wijk_id, is_active=True
        ).order_by("name")
        self.question_fields: list[str] = []
        for vraag in peiling.vragen.all():
            name = f"vraag_{vraag.pk}"
            self.question_fields.append(name)
            label = vraag.text
            if vraag.kind == VraagSoort.EEN:
                field: forms.Field = forms.ChoiceField(
                    label=label,
                    required=False,
                    choices=list(enumerate(vraag.options)),
                    widget=forms.RadioSelect(attrs={"class": "bw-choices-big"}),
                )
            elif vraag.kind == VraagSoort.MEER:
                field = forms.MultipleChoiceField(
                    label=label,
                    required=False,
                    choices=list(enumerate(vraag.options)),
                    widget=forms.CheckboxSelectMultiple(
                        attrs={"class": "bw-choices-big"}
                    ),
                    help_text=_("U mag meer antwoorden kiezen."),
                )
            elif vraag.kind == VraagSoort.SCHAAL:
                field = forms.ChoiceField(
                    label=label,
                    required=False,
                    choices=[
                        (1, _("1 (helemaal niet)")),
                        (2, "2"),
                        (3, "3"),
                        (4, "4"),
                        (5, _("5 (helemaal wel)")),
                    ],
                    widget=forms.RadioSelect(
                        attrs={"class": "bw-choices-big bw-scale"}
                    ),
                )
            else:
                field = forms.CharField(
                    label=label,
                    required=False,
                    max_length=OPEN_ANSWER_MAX_LENGTH,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    help_text=_(
                        "Geen namen, adressen of telefoonnummers. Die halen we "
                        "er toch uit."
                    ),
                    error_messages={
                        "max_length": _("Te lang: hoogstens %(limit_value)d tekens.")
                    },
                )
            self.fields[name] = field
        # The consent goes first; the person is asked before anything else.
        order = ["consent", *self.question_fields, "buurt", "age_band", "household"]
        self.order_fields(order)

    def answers(self) -> dict[int, Any]:
        return {
            int(name.removeprefix("vraag_")): self.cleaned_data.get(name)
            for name in self.question_fields
        }


class RondeForm(forms.Form):
    use_required_attribute = False

    date = _date(_("Datum"), required=True)
    buurt = NameChoiceField(
        label=_("Buurt"),
        queryset=Buurt.objects.none(),
        required=False,
        empty_label=_("Meer buurten"),
    )
    streets = forms.CharField(
        label=_("Straten"),
        required=False,
        max_length=300,
        help_text=_("Welke straten loopt u? Bijvoorbeeld: Dorpsstraat, Kerkpad."),
    )
    channel = forms.ChoiceField(
        label=_("Waar vraagt u het?"),
        choices=[
            (Kanaal.STRAAT.value, Kanaal.STRAAT.label),
            (Kanaal.DEUR.value, Kanaal.DEUR.label),
        ],
        initial=Kanaal.DEUR,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, peiling: Peiling, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["buurt"].queryset = Buurt.objects.filter(  # type: ignore[attr-defined]
            wijk_id=peiling.wijk_id, is_active=True
        ).order_by("name")


class BezoekForm(forms.Form):
    use_required_attribute = False
    prefix = "bezoek"

    street = forms.CharField(
        label=_("Straat"),
        max_length=STREET_MAX_LENGTH,
        help_text=_("Alleen de straat. Geen namen van mensen."),
        error_messages={"required": _("Vul de straat in.")},
    )
    number_from = forms.IntegerField(
        label=_("Van huisnummer"), required=False, min_value=1, max_value=99999
    )
    number_to = forms.IntegerField(
        label=_("Tot en met huisnummer"), required=False, min_value=1, max_value=99999
    )
    outcome = forms.ChoiceField(
        label=_("Hoe ging het?"),
        choices=BezoekUitkomst.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies wat er gebeurde.")},
    )


class HelperForm(forms.Form):
    use_required_attribute = False
    prefix = "helper"

    email = forms.EmailField(
        label=_("E-mailadres van de vrijwilliger"),
        help_text=_(
            "Een bewoner met een account. Die kan dan in deze ronde antwoorden opslaan."
        ),
        error_messages={
            "required": _("Vul een e-mailadres in."),
            "invalid": _("Vul een geldig e-mailadres in."),
        },
    )


class SamenvattingForm(forms.Form):
    use_required_attribute = False

    text = forms.CharField(
        label=_("Samenvatting van de open antwoorden"),
        max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Wat hoorden we? In gewone woorden, zonder namen. Een collega keurt "
            "het goed voordat het openbaar wordt."
        ),
        error_messages={"required": _("Schrijf de samenvatting.")},
    )


class RejectForm(forms.Form):
    use_required_attribute = False

    reason = forms.CharField(
        label=_("Waarom niet?"),
        max_length=300,
        required=False,
    )


class SignaalForm(forms.Form):
    use_required_attribute = False

    categorie = NameChoiceField(
        label=_("Categorie"),
        queryset=Categorie.objects.none(),
        empty_label=_("Kies waar het over gaat"),
        error_messages={"required": _("Kies een categorie.")},
    )
    bron = NameChoiceField(
        label=_("Bron"),
        queryset=Bron.objects.none(),
        empty_label=_("Kies een bron"),
        error_messages={"required": _("Kies een bron.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["categorie"].queryset = Categorie.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        ).order_by("order", "name")
        self.fields["bron"].queryset = Bron.objects.filter(is_active=True).order_by(  # type: ignore[attr-defined]
            "order", "name"
        )


class ThemaForm(forms.Form):
    use_required_attribute = False

    thema = NameChoiceField(
        label=_("Thema"),
        queryset=WijkThema.objects.none(),
        empty_label=_("Kies een thema"),
        error_messages={
            "required": _("Kies een thema."),
            "invalid_choice": _("Kies een thema van deze wijk."),
        },
    )

    def __init__(self, *args: Any, peiling: Peiling, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["thema"].queryset = (  # type: ignore[attr-defined]
            WijkThema.objects.filter(wijk_id=peiling.wijk_id)
            .exclude(status="verworpen")
            .order_by("-size", "pk")
        )
