"""The wijkgesprek: a recurring meeting of the wijkteam, residents and the gemeente.

A Wijkgesprek belongs to one wijk. A resident chairs it (Voorzitter: residents who said
they want to; the next meeting proposes the one whose turn it is); an independent
facilitator is optional. Its agenda (GesprekPunt) is drafted from what may leave the
team: public themes, goals, beleidssignalen on public themes, the bewonersagenda and
closed wijkpeilingen; the chair orders it. Minutes and agreements (GesprekAfspraak,
owned by the team, the residents or the gemeente, with a date) are written by the chair
and the team; once published they are public unless marked otherwise. Every free text
is scrubbed before it is stored (wijkgesprek/services.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wijken.models import Wijk

PLACE_MAX_LENGTH = 200
FACILITATOR_MAX_LENGTH = 120
ITEM_TITLE_MAX_LENGTH = 200
ITEM_TEXT_MAX_LENGTH = 1000
MINUTES_MAX_LENGTH = 10000
AFSPRAAK_MAX_LENGTH = 280


class Wijkgesprek(models.Model):
    wijk = models.ForeignKey(
        Wijk,
        on_delete=models.PROTECT,
        related_name="wijkgesprekken",
        verbose_name=_("wijk"),
    )
    starts_at = models.DateTimeField(_("datum en tijd"))
    place = models.CharField(_("plaats"), max_length=PLACE_MAX_LENGTH)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wijkgesprekken_voorgezeten",
        verbose_name=_("voorzitter"),
    )
    facilitator = models.CharField(
        _("onafhankelijke gespreksleider"),
        max_length=FACILITATOR_MAX_LENGTH,
        blank=True,
    )
    minutes = models.TextField(_("verslag"), max_length=MINUTES_MAX_LENGTH, blank=True)
    minutes_public = models.BooleanField(_("verslag is openbaar"), default=True)
    minutes_published_at = models.DateTimeField(
        _("verslag gepubliceerd op"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gepland door"),
    )
    reminded_at = models.DateTimeField(
        _("herinnering verstuurd"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("wijkgesprek")
        verbose_name_plural = _("wijkgesprekken")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["reminded_at", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.wijk} {self.starts_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("wijkgesprek:detail", kwargs={"pk": self.pk})

    @property
    def uid(self) -> str:
        return f"wijkgesprek-{self.pk}@buurtwijs.nl"

    @property
    def minutes_published(self) -> bool:
        return self.minutes_published_at is not None


class PuntBron(models.TextChoices):
    THEMA = "thema", _("Thema van de wijk")
    DOEL = "doel", _("Doel van de wijk")
    BELEIDSSIGNAAL = "beleidssignaal", _("Beleidssignaal aan de gemeente")
    BEWONERSAGENDA = "bewonersagenda", _("Bewonersagenda")
    PEILING = "peiling", _("Wijkpeiling")
    EIGEN = "eigen", _("Eigen punt")


class GesprekPunt(models.Model):
    """One point on the agenda. A drafted point copies the public words of its source
    at drafting time (the source's public name, a size band), never signal data."""

    gesprek = models.ForeignKey(
        Wijkgesprek,
        on_delete=models.CASCADE,
        related_name="punten",
        verbose_name=_("wijkgesprek"),
    )
    order = models.PositiveIntegerField(_("volgorde"), default=0)
    source = models.CharField(
        _("bron"), max_length=16, choices=PuntBron.choices, default=PuntBron.EIGEN
    )
    source_id = models.PositiveIntegerField(_("bron-id"), null=True, blank=True)
    title = models.CharField(_("titel"), max_length=ITEM_TITLE_MAX_LENGTH)
    text = models.TextField(
        _("toelichting"), max_length=ITEM_TEXT_MAX_LENGTH, blank=True
    )
    url = models.CharField(_("link"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("agendapunt wijkgesprek")
        verbose_name_plural = _("agendapunten wijkgesprek")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class AfspraakEigenaar(models.TextChoices):
    TEAM = "team", _("Wijkteam")
    BEWONERS = "bewoners", _("Bewoners")
    GEMEENTE = "gemeente", _("Gemeente")


class GesprekAfspraak(models.Model):
    """An agreement made at the meeting: which side does what, and by when."""

    gesprek = models.ForeignKey(
        Wijkgesprek,
        on_delete=models.CASCADE,
        related_name="afspraken",
        verbose_name=_("wijkgesprek"),
    )
    description = models.CharField(_("wat"), max_length=AFSPRAAK_MAX_LENGTH)
    owner = models.CharField(_("wie"), max_length=10, choices=AfspraakEigenaar.choices)
    due_date = models.DateField(_("klaar op"))
    reminded_at = models.DateTimeField(
        _("herinnering verstuurd"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("afspraak wijkgesprek")
        verbose_name_plural = _("afspraken wijkgesprek")
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["reminded_at", "due_date"])]

    def __str__(self) -> str:
        return self.description


class Voorzitter(models.Model):
    """A resident who said they want to chair a wijkgesprek in their wijk."""

    wijk = models.ForeignKey(
        Wijk,
        on_delete=models.CASCADE,
        related_name="gesprek_voorzitters",
        verbose_name=_("wijk"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="gesprek_voorzitter",
        verbose_name=_("bewoner"),
    )
    created_at = models.DateTimeField(_("aangemeld op"), auto_now_add=True)

    class Meta:
        verbose_name = _("kandidaat-voorzitter")
        verbose_name_plural = _("kandidaat-voorzitters")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["wijk", "user"], name="voorzitter_once_per_wijk"
            )
        ]

    def __str__(self) -> str:
        return f"{self.wijk_id}: {self.user_id}"
