from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, Team, User
from wijken.models import Gemeente, Wijk


class WijkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Wijk) -> str:  # type: ignore[override]
        return f"{obj.name} ({obj.gemeente.name})"


# Valid in a quoted local part ("<b>"@example.nl), but no address we send mail to
# needs them, and they have no place in pages and mails.
EMAIL_FORBIDDEN_CHARACTERS = frozenset('<>"\\')


def check_email_characters(email: str) -> None:
    if EMAIL_FORBIDDEN_CHARACTERS.intersection(email):
        raise forms.ValidationError(
            _('Een e-mailadres mag geen tekens als < > " of \\ bevatten.'),
            code="invalid",
        )


def clean_name(value: str) -> str:
    """A display name on one line, without the characters of HTML tags."""
    name = " ".join(value.split())
    if not name:
        raise forms.ValidationError(_("Vul een naam in."))
    if "<" in name or ">" in name:
        raise forms.ValidationError(_("Een naam mag geen < of > bevatten."))
    return name


class ResidentSignupForm(forms.Form):
    """Extra fields on allauth's sign-up form: a display name and the resident's wijk.

    allauth builds its sign-up form on top of this class, so field_order can put our
    fields between its own.
    """

    field_order = ["display_name", "email", "password1", "password2", "wijk"]

    display_name = forms.CharField(
        label=_("Uw naam"),
        max_length=80,
        help_text=_("Zo zien andere bewoners u. Uw voornaam is genoeg."),
        error_messages={"required": _("Vul uw naam in.")},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    wijk = WijkChoiceField(
        label=_("Uw wijk"),
        queryset=Wijk.objects.filter(is_active=True).select_related("gemeente"),
        required=False,
        empty_label=_("Kies uw wijk (mag later)"),
        help_text=_("Dan ziet u meteen wat er in uw wijk gebeurt."),
        error_messages={
            "invalid_choice": _("Deze wijk kennen we niet. Kies een wijk uit de lijst.")
        },
    )

    def clean_display_name(self) -> str:
        return clean_name(self.cleaned_data["display_name"])

    def signup(self, request: Any, user: Any) -> None:
        # The adapter's save_user already stored these; allauth still calls this hook.
        return None


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mailadres"), max_length=254)
    role = forms.ChoiceField(
        label=_("Rol"),
        choices=[c for c in Role.choices if c[0] != Role.BEWONER],
    )
    gemeente = forms.ModelChoiceField(
        label=_("Gemeente"),
        queryset=Gemeente.objects.filter(is_active=True),
        required=False,
        empty_label=_("Kies een gemeente"),
        help_text=_("Nodig voor een ambtenaar."),
    )
    team = forms.ModelChoiceField(
        label=_("Wijkteam"),
        queryset=Team.objects.select_related("gemeente"),
        required=False,
        empty_label=_("Kies een wijkteam"),
        help_text=_("Nodig voor een professional."),
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        check_email_characters(email)
        # An address can also belong to an account as its second e-mail address, but
        # only once its owner proved it: anyone can type any address into their
        # profile, and an unconfirmed one must not block an invitation.
        if (
            User.objects.filter(email__iexact=email).exists()
            or EmailAddress.objects.filter(email__iexact=email, verified=True).exists()
        ):
            raise forms.ValidationError(
                _(
                    "Er bestaat al een account met dit e-mailadres. Nodig de persoon "
                    "uit op een ander e-mailadres, of pas de rol van dat account aan "
                    "in het beheer."
                ),
                code="exists",
            )
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role, gemeente, team = data.get("role"), data.get("gemeente"), data.get("team")
        if role == Role.PROFESSIONAL and team is None:
            self.add_error("team", _("Kies het wijkteam van deze professional."))
        if role == Role.AMBTENAAR and gemeente is None:
            self.add_error("gemeente", _("Kies de gemeente van deze ambtenaar."))
        if (
            team is not None
            and gemeente is not None
            and team.gemeente_id != gemeente.pk
        ):
            self.add_error(
                "team", _("Dit wijkteam hoort niet bij de gekozen gemeente.")
            )
        if role != Role.PROFESSIONAL and team is not None:
            self.add_error("team", _("Alleen een professional hoort bij een wijkteam."))
        return data


class InvitationAcceptForm(forms.Form):
    display_name = forms.CharField(
        label=_("Uw naam"),
        max_length=80,
        help_text=_("Zo zien anderen u op Buurtwijs."),
        error_messages={"required": _("Vul uw naam in.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    # strip=False: spaces are part of a password; the login form keeps them too.
    password1 = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minstens 10 tekens. Niet alleen cijfers."),
        error_messages={"required": _("Kies een wachtwoord.")},
    )
    password2 = forms.CharField(
        label=_("Wachtwoord nog een keer"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Vul uw wachtwoord nog een keer in.")},
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_display_name(self) -> str:
        return clean_name(self.cleaned_data["display_name"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("De twee wachtwoorden zijn niet gelijk."))
        elif p1:
            probe = User(email=self.email, display_name=data.get("display_name", ""))
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class ProfileForm(forms.ModelForm):
    """What a user may change about themselves: their name and, as a resident, their wijk."""

    wijk = WijkChoiceField(
        label=_("Uw wijk"),
        queryset=Wijk.objects.filter(is_active=True).select_related("gemeente"),
        required=False,
        empty_label=_("Nog geen wijk gekozen"),
        help_text=_("De wijk die u als eerste ziet op Buurtwijs."),
        error_messages={
            "invalid_choice": _("Deze wijk kennen we niet. Kies een wijk uit de lijst.")
        },
    )

    class Meta:
        model = User
        fields = ["display_name", "wijk"]
        labels = {"display_name": _("Uw naam")}
        error_messages = {"display_name": {"required": _("Vul uw naam in.")}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.role != Role.BEWONER:
            # Staff work in the wijken of their team or gemeente, not a home wijk.
            del self.fields["wijk"]

    def clean_display_name(self) -> str:
        return clean_name(self.cleaned_data["display_name"])
