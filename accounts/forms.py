from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wijken.models import Wijk


class WijkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Wijk) -> str:  # type: ignore[override]
        return f"{obj.name} ({obj.gemeente.name})"


class ResidentSignupForm(forms.Form):
    """Extra fields on allauth's sign-up form: a display name and the resident's wijk."""

    display_name = forms.CharField(
        label=_("Uw naam"),
        max_length=80,
        help_text=_("Zo zien andere bewoners u. Uw voornaam is genoeg."),
    )
    wijk = WijkChoiceField(
        label=_("Uw wijk"),
        queryset=Wijk.objects.filter(is_active=True).select_related("gemeente"),
        required=False,
        empty_label=_("Kies uw wijk (mag later)"),
        help_text=_("Dan ziet u meteen wat er in uw wijk gebeurt."),
    )

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError(_("Vul een naam in."))
        if "<" in name or ">" in name:
            raise forms.ValidationError(_("Een naam mag geen < of > bevatten."))
        return name

    def signup(self, request: Any, user: Any) -> None:
        # The adapter's save_user already stored these; allauth still calls this hook.
        return None


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mailadres"), max_length=254)
    role = forms.ChoiceField(label=_("Rol"))
    gemeente = forms.ModelChoiceField(
        label=_("Gemeente"),
        queryset=None,  # set in __init__
        required=False,
        help_text=_("Nodig voor een ambtenaar."),
    )
    team = forms.ModelChoiceField(
        label=_("Wijkteam"),
        queryset=None,  # set in __init__
        required=False,
        help_text=_("Nodig voor een professional."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from accounts.models import Role, Team
        from wijken.models import Gemeente

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [c for c in Role.choices if c[0] != Role.BEWONER]
        self.fields["gemeente"].queryset = Gemeente.objects.filter(is_active=True)
        self.fields["team"].queryset = Team.objects.select_related("gemeente")

    def clean_email(self) -> str:
        from accounts.models import User

        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Er bestaat al een account met dit e-mailadres."))
        return email

    def clean(self) -> dict[str, Any]:
        from accounts.models import Role

        data = super().clean() or {}
        role, gemeente, team = data.get("role"), data.get("gemeente"), data.get("team")
        if role == Role.PROFESSIONAL and team is None:
            self.add_error("team", _("Kies het wijkteam van deze professional."))
        if role == Role.AMBTENAAR and gemeente is None:
            self.add_error("gemeente", _("Kies de gemeente van deze ambtenaar."))
        if team is not None and gemeente is not None and team.gemeente_id != gemeente.pk:
            self.add_error("team", _("Dit wijkteam hoort niet bij de gekozen gemeente."))
        if role != Role.PROFESSIONAL and team is not None:
            self.add_error("team", _("Alleen een professional hoort bij een wijkteam."))
        return data


class InvitationAcceptForm(forms.Form):
    display_name = forms.CharField(label=_("Uw naam"), max_length=80)
    password1 = forms.CharField(
        label=_("Wachtwoord"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minstens 10 tekens. Niet alleen cijfers."),
    )
    password2 = forms.CharField(
        label=_("Wachtwoord nog een keer"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError(_("Vul een naam in."))
        if "<" in name or ">" in name:
            raise forms.ValidationError(_("Een naam mag geen < of > bevatten."))
        return name

    def clean(self) -> dict[str, Any]:
        from django.contrib.auth import password_validation

        from accounts.models import User

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
