"""Buurtverbinders: residents the wijkteam gives the connector role for one wijk.

A connector (Verbinder) sees, with consent only, what neighbours asked for: open needs
of initiatives in the wijk, offers of residents who agreed that connectors may see them,
and new residents who asked to be welcomed (Toestemming). A connector proposes a match
(Koppeling) of a need with an offer; only when both sides confirm do they see each
other's name and e-mail address. A connector keeps a short log (Logregel: kind of
contact, date, a scrubbed note). Connectors never see signals.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from initiatieven.models import Behoefte
from wijken.models import Wijk


class Verbinder(models.Model):
    """The connector role of one resident for one wijk; revoked, the row stays (who
    granted and revoked it, when) without giving any access."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="verbinder_rollen",
        verbose_name=_("bewoner"),
    )
    wijk = models.ForeignKey(
        Wijk,
        on_delete=models.CASCADE,
        related_name="verbinders",
        verbose_name=_("wijk"),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gegeven door"),
    )
    granted_at = models.DateTimeField(_("gegeven op"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ingetrokken door"),
    )

    class Meta:
        verbose_name = _("buurtverbinder")
        verbose_name_plural = _("buurtverbinders")
        ordering = ["wijk_id", "granted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "wijk"],
                condition=Q(revoked_at__isnull=True),
                name="verbinder_once_active_per_wijk",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.wijk_id}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Toestemming(models.Model):
    """A resident's consent, for their own wijk: to be welcomed by a connector and/or
    to let connectors see their offer (initiatieven.Aanbod). Withdrawn, the row goes."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="verbinder_toestemming",
        verbose_name=_("bewoner"),
    )
    wijk = models.ForeignKey(
        Wijk,
        on_delete=models.CASCADE,
        related_name="verbinder_toestemmingen",
        verbose_name=_("wijk"),
    )
    welcome = models.BooleanField(_("wil welkom geheten worden"), default=False)
    share_offer = models.BooleanField(
        _("aanbod zichtbaar voor verbinders"), default=False
    )
    consent_text = models.TextField(_("tekst van de toestemming"), max_length=2000)
    given_at = models.DateTimeField(_("gegeven op"), auto_now=True)
    welcomed_at = models.DateTimeField(_("welkom geheten op"), null=True, blank=True)

    class Meta:
        verbose_name = _("toestemming buurtverbinders")
        verbose_name_plural = _("toestemmingen buurtverbinders")

    def __str__(self) -> str:
        return f"toestemming {self.user_id}"


class KoppelingStatus(models.TextChoices):
    VOORGESTELD = "voorgesteld", _("voorgesteld")
    GEKOPPELD = "gekoppeld", _("gekoppeld")
    AFGEWEZEN = "afgewezen", _("afgewezen")
    INGETROKKEN = "ingetrokken", _("ingetrokken")


class Koppeling(models.Model):
    """A connector's proposal: this helper's offer answers this need. Names are shown
    to the two sides only when both confirmed (status gekoppeld)."""

    wijk = models.ForeignKey(
        Wijk,
        on_delete=models.CASCADE,
        related_name="koppelingen",
        verbose_name=_("wijk"),
    )
    behoefte = models.ForeignKey(
        Behoefte,
        on_delete=models.CASCADE,
        related_name="koppelingen",
        verbose_name=_("behoefte"),
    )
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="koppelingen_als_helper",
        verbose_name=_("helper"),
    )
    verbinder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="koppelingen_gemaakt",
        verbose_name=_("buurtverbinder"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=KoppelingStatus.choices,
        default=KoppelingStatus.VOORGESTELD,
    )
    need_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bevestigd door organisator"),
    )
    need_confirmed_at = models.DateTimeField(
        _("bevestigd door organisator op"), null=True, blank=True
    )
    helper_confirmed_at = models.DateTimeField(
        _("bevestigd door helper op"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("voorgesteld op"), auto_now_add=True)
    matched_at = models.DateTimeField(_("gekoppeld op"), null=True, blank=True)

    class Meta:
        verbose_name = _("koppeling")
        verbose_name_plural = _("koppelingen")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["behoefte", "helper"], name="koppeling_once_per_pair"
            )
        ]

    def __str__(self) -> str:
        return f"koppeling {self.pk}"


class ContactSoort(models.TextChoices):
    GESPREK = "gesprek", _("gesprek")
    TELEFOON = "telefoon", _("telefoon of bericht")
    HUISBEZOEK = "huisbezoek", _("huisbezoek")
    WELKOM = "welkom", _("welkomstbezoek")
    KOPPELING = "koppeling", _("koppeling gemaakt")
    ANDERS = "anders", _("anders")


class Logregel(models.Model):
    """One line of a connector's log. The note is scrubbed: the team reads it."""

    wijk = models.ForeignKey(
        Wijk,
        on_delete=models.CASCADE,
        related_name="verbinder_log",
        verbose_name=_("wijk"),
    )
    verbinder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="verbinder_log",
        verbose_name=_("buurtverbinder"),
    )
    kind = models.CharField(
        _("soort contact"), max_length=12, choices=ContactSoort.choices
    )
    date = models.DateField(_("datum"))
    note = models.CharField(_("korte notitie"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("logregel")
        verbose_name_plural = _("logboek buurtverbinders")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.date}"
