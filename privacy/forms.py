"""Forms of the data-rights pages (privacy/views.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User

# Asked instead of the password when an account has none (it cannot log in with one).
CONFIRM_WORD = "VERWIJDEREN"


class AccountDeleteForm(forms.Form):
    """The last step before an account goes: the password (or, without one, a word)."""

    password = forms.CharField(
        label=_("Uw wachtwoord"),
        strip=False,
        max_length=4096,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    word = forms.CharField(
        label=_("Typ het woord VERWIJDEREN"),
        max_length=50,
        required=False,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        # Whichever one stays is needed: marked required, so its label does not say
        # "(mag leeg blijven)". The messages stay the ones clean() gives.
        if user.has_usable_password():
            del self.fields["word"]
            self.fields["password"].help_text = _(
                "Zo weten we zeker dat u het zelf bent."
            )
            self.fields["password"].required = True
            self.fields["password"].error_messages["required"] = _(
                "Vul uw wachtwoord in."
            )
        else:
            del self.fields["password"]
            self.fields["word"].required = True
            self.fields["word"].error_messages["required"] = _(
                "Typ precies het woord VERWIJDEREN. Uw account is niet verwijderd."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "password" in self.fields:
            password = data.get("password") or ""
            if not password:
                pass  # the field's own "required" message is there already
            elif not self.user.check_password(password):
                self.add_error(
                    "password",
                    _("Dit wachtwoord klopt niet. Uw account is niet verwijderd."),
                )
        elif "word" not in self.errors and (
            (data.get("word") or "").strip().upper() != CONFIRM_WORD
        ):
            self.add_error(
                "word",
                _("Typ precies het woord VERWIJDEREN. Uw account is niet verwijderd."),
            )
        return data


class StaffDeactivateForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Ja, ik wil dit account uitzetten. Dit kan niet ongedaan worden."),
        error_messages={"required": _("Vink aan dat u dit account wilt uitzetten.")},
    )
