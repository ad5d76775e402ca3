from django import forms
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    # Django's CharField refuses NUL characters, which PostgreSQL cannot store or compare.
    q = forms.CharField(
        label=_("Naam van de wijk of gemeente"),
        max_length=100,
        required=False,
        error_messages={
            "max_length": _(
                "Typ een kortere zoekterm (hoogstens %(limit_value)d tekens)."
            ),
            "null_characters_not_allowed": _(
                "De zoekterm bevat een teken dat niet kan."
            ),
        },
    )

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())
