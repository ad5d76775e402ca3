"""Users, their roles, wijk teams and invitations.

A resident picks a home wijk; a professional works in the wijken of their teams; an
officer belongs to one gemeente; a beheerder runs the platform.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
)
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijken.models import Gemeente, Wijk


class Role(models.TextChoices):
    BEWONER = "bewoner", _("Bewoner")
    PROFESSIONAL = "professional", _("Professional (wijkteam)")
    AMBTENAAR = "ambtenaar", _("Ambtenaar (gemeente)")
    BEHEERDER = "beheerder", _("Beheerder")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.update(is_staff=True, is_superuser=True, role=Role.BEHEERDER)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mailadres"), unique=True)
    display_name = models.CharField(
        _("naam"),
        max_length=80,
        help_text=_("Zo zien anderen u, bijvoorbeeld uw voornaam."),
    )
    role = models.CharField(
        _("rol"), max_length=16, choices=Role.choices, default=Role.BEWONER
    )
    # A resident's own wijk: what the site shows them first.
    wijk = models.ForeignKey(
        Wijk,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bewoners",
        verbose_name=_("eigen wijk"),
    )
    # An officer's gemeente: the only one whose dashboard they may read.
    gemeente = models.ForeignKey(
        Gemeente,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ambtenaren",
        verbose_name=_("gemeente"),
    )
    is_active = models.BooleanField(_("actief"), default=True)
    is_staff = models.BooleanField(_("toegang tot beheer"), default=False)
    date_joined = models.DateTimeField(_("lid sinds"), default=timezone.now)
    # When the inactivity warning went out (AVG_INACTIVE_DAYS). Logging in after it
    # cancels the removal: last_login is then later than this moment.
    inactivity_warned_at = models.DateTimeField(
        _("gewaarschuwd voor inactiviteit op"), null=True, blank=True
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["display_name", "email"]

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name

    @property
    def is_bewoner(self) -> bool:
        return self.role == Role.BEWONER

    @property
    def is_professional(self) -> bool:
        return self.role == Role.PROFESSIONAL

    @property
    def is_ambtenaar(self) -> bool:
        return self.role == Role.AMBTENAAR

    @property
    def is_beheerder(self) -> bool:
        return self.role == Role.BEHEERDER


class Team(models.Model):
    """A wijkteam: professionals who work in a set of wijken of one gemeente."""

    name = models.CharField(_("naam"), max_length=120)
    gemeente = models.ForeignKey(
        Gemeente,
        on_delete=models.PROTECT,
        related_name="teams",
        verbose_name=_("gemeente"),
    )
    wijken = models.ManyToManyField(
        Wijk, related_name="teams", verbose_name=_("wijken")
    )
    members = models.ManyToManyField(
        User,
        related_name="teams",
        blank=True,
        limit_choices_to={"role": Role.PROFESSIONAL},
        verbose_name=_("leden"),
    )
    # The team's own choice: officers of its gemeente may read its team report (the
    # figures and the shared themes only, never signal text or keywords).
    report_shared = models.BooleanField(
        _("teamrapport gedeeld met de gemeente"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("wijkteam")
        verbose_name_plural = _("wijkteams")
        ordering = ["gemeente__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["gemeente", "name"], name="team_name_per_gemeente"
            )
        ]

    def __str__(self) -> str:
        return self.name


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """A beheerder invites a professional, officer or beheerder with role and team set."""

    email = models.EmailField(_("e-mailadres"))
    role = models.CharField(
        _("rol"),
        max_length=16,
        choices=[c for c in Role.choices if c[0] != Role.BEWONER],
    )
    gemeente = models.ForeignKey(
        Gemeente,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("gemeente"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("wijkteam"),
    )
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    invited_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        related_name="invitations_sent",
        verbose_name=_("uitgenodigd door"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("geldig tot"))
    accepted_at = models.DateTimeField(_("geaccepteerd op"), null=True, blank=True)
    accepted_user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account"),
    )
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_role_display()})"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class SignInProvider(models.Model):
    """A gemeente's or care organisation's OpenID Connect provider for staff sign-in.

    The provider itself (server URL, client id and secret) is an allauth SocialApp of
    type "openid_connect"; this row says whose it is. Without teams it is the
    gemeente's: its officers and the professionals of its wijkteams may sign in
    through it. With teams it is a care organisation's: only those teams'
    professionals may. Nobody else, and nobody new (see accounts/oidc.py).
    """

    app = models.OneToOneField(
        "socialaccount.SocialApp",
        on_delete=models.CASCADE,
        related_name="signin_provider",
        verbose_name=_("provider (social application)"),
        limit_choices_to={"provider": "openid_connect"},
    )
    gemeente = models.ForeignKey(
        Gemeente,
        on_delete=models.CASCADE,
        related_name="signin_providers",
        verbose_name=_("gemeente"),
    )
    teams = models.ManyToManyField(
        Team,
        blank=True,
        related_name="signin_providers",
        verbose_name=_("wijkteams"),
        help_text=_(
            "Leeg: de provider van de gemeente zelf (ambtenaren en alle wijkteams "
            "van de gemeente). Gekozen: alleen de professionals van deze wijkteams, "
            "bijvoorbeeld de provider van een zorgorganisatie."
        ),
    )
    label = models.CharField(
        _("naam op de knop"),
        max_length=80,
        help_text=_(
            "De knop heet dan 'Inloggen via …', bijvoorbeeld 'Gemeente Demostad'."
        ),
    )
    mfa_acr_values = models.CharField(
        _("acr-waarden met tweestapsverificatie"),
        max_length=255,
        blank=True,
        help_text=_(
            "Waarden van de claim 'acr' die betekenen dat de provider al een tweede "
            "stap heeft gevraagd, gescheiden door komma's. De claim 'amr' met mfa, "
            "otp of hwk telt altijd."
        ),
    )
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("inlogprovider")
        verbose_name_plural = _("inlogproviders")
        ordering = ["gemeente__name", "label"]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        from allauth.socialaccount.models import SocialApp
        from django.core.exceptions import ValidationError

        app = getattr(self, "app", None)
        if app is None:
            return
        if app.provider != "openid_connect":
            raise ValidationError(
                {"app": _("Kies een provider van het type OpenID Connect.")}
            )
        # allauth finds the provider of a login half-way (the code step) by its type
        # and client id: two OpenID Connect providers with one client id clash.
        if (
            SocialApp.objects.filter(provider="openid_connect", client_id=app.client_id)
            .exclude(pk=app.pk)
            .exists()
        ):
            raise ValidationError(
                {
                    "app": _(
                        "Een andere OpenID Connect-provider heeft dezelfde client-id. "
                        "Vraag de provider om een eigen client-id voor Buurtwijs."
                    )
                }
            )

    @property
    def acr_values(self) -> set[str]:
        return {v.strip() for v in self.mfa_acr_values.split(",") if v.strip()}


class SignInOutcome(models.TextChoices):
    OK = "ok", _("ingelogd")
    NOT_CONFIGURED = "not_configured", _("provider niet ingesteld")
    UNVERIFIED = "unverified", _("e-mailadres niet bevestigd")
    UNKNOWN = "unknown", _("geen account van een medewerker")
    WRONG_PROVIDER = (
        "wrong_provider",
        _("provider van een andere gemeente of ander team"),
    )
    OTHER_ACCOUNT = "other_account", _("gekoppeld aan een ander account")


class ProviderSignIn(models.Model):
    """Audit log of sign-ins through a provider, refused ones too.

    A refused attempt names no one (no e-mail address) unless it is a staff account.
    """

    at = models.DateTimeField(_("moment"), auto_now_add=True, db_index=True)
    provider = models.ForeignKey(
        SignInProvider,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sign_ins",
        verbose_name=_("inlogprovider"),
    )
    app_provider_id = models.CharField(_("provider-id"), max_length=200)
    user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account"),
    )
    outcome = models.CharField(
        _("uitkomst"), max_length=20, choices=SignInOutcome.choices
    )
    mfa_by_provider = models.BooleanField(
        _("tweestapsverificatie bij de provider"), default=False
    )

    class Meta:
        verbose_name = _("inlog via provider")
        verbose_name_plural = _("inlogs via provider")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.app_provider_id} {self.outcome}"
