"""Beleidssignalen: a theme sent to the gemeente, and its timeline."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Team
from signalen.models.themes import WijkThema
from wijken.models import Wijk


class EscalatieStatus(models.TextChoices):
    VERSTUURD = "verstuurd", _("verstuurd")
    ONTVANGEN = "ontvangen", _("ontvangen")
    IN_BEHANDELING = "in_behandeling", _("in behandeling")
    BEANTWOORD = "beantwoord", _("beantwoord")


class Escalatie(models.Model):
    """A "beleidssignaal": a team sends a theme to the gemeente with its argument and a
    frozen, k-anonymous evidence snapshot; the officer acknowledges and answers."""

    thema = models.ForeignKey(
        WijkThema,
        on_delete=models.PROTECT,
        related_name="escalaties",
        verbose_name=_("thema"),
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("wijkteam")
    )
    wijk = models.ForeignKey(
        Wijk, on_delete=models.PROTECT, related_name="+", verbose_name=_("wijk")
    )
    title = models.CharField(_("titel"), max_length=160)
    argument = models.TextField(_("onderbouwing"), max_length=5000)
    request = models.TextField(_("wat vraagt het team"), max_length=2000, blank=True)
    # Frozen when sent: k-anonymous counts, trend, target groups, linked initiatives.
    snapshot = models.JSONField(_("bewijs (bevroren)"), default=dict)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EscalatieStatus.choices,
        default=EscalatieStatus.VERSTUURD,
    )
    answer = models.TextField(
        _("antwoord van de gemeente"), max_length=5000, blank=True
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("verstuurd door"),
    )
    sent_at = models.DateTimeField(_("verstuurd op"))
    received_at = models.DateTimeField(_("ontvangen op"), null=True, blank=True)
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("behandeld door"),
    )
    last_reminder_at = models.DateTimeField(
        _("laatste herinnering"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("beleidssignaal")
        verbose_name_plural = _("beleidssignalen")
        ordering = ["-sent_at", "-pk"]
        indexes = [
            models.Index(fields=["wijk", "status"], name="escalatie_wijk_status"),
        ]

    def __str__(self) -> str:
        return self.title


class EscalatieGebeurtenis(models.Model):
    """The shared timeline of an escalation: status changes and messages."""

    escalatie = models.ForeignKey(
        Escalatie,
        on_delete=models.CASCADE,
        related_name="gebeurtenissen",
        verbose_name=_("beleidssignaal"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=EscalatieStatus.choices, blank=True
    )
    text = models.TextField(_("bericht"), max_length=5000, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    created_at = models.DateTimeField(_("tijdstip"), auto_now_add=True)

    class Meta:
        verbose_name = _("stap van een beleidssignaal")
        verbose_name_plural = _("stappen van beleidssignalen")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.escalatie_id} {self.status}"
