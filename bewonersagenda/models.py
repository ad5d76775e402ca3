"""The bewonersagenda: concerns residents raise in their wijk and co-sign.

An Agendapunt is raised by a resident of the wijk; other residents of that wijk (with a
confirmed e-mail address) support it with one Steun each. At the threshold of the
wijk's gemeente (AgendaInstelling) it goes to the wijkteam and the gemeente and needs
an answer, on the timeline of a beleidssignaal (signalen.escalations). The team may
link public themes to it ("wij zien dit ook"): only their public name and size band
are ever shown.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from signalen.models import WijkThema
from wijken.models import Gemeente, Wijk

MINIMUM_DEFAULT = 25
PER_THOUSAND_DEFAULT = 5


class AgendaInstelling(models.Model):
    """The threshold of one gemeente: at least `minimum` supporters, and more in a
    large wijk (`per_thousand` for every 1,000 inhabitants)."""

    gemeente = models.OneToOneField(
        Gemeente,
        on_delete=models.CASCADE,
        related_name="agenda_instelling",
        verbose_name=_("gemeente"),
    )
    minimum = models.PositiveIntegerField(
        _("minimum aantal steunbetuigingen"), default=MINIMUM_DEFAULT
    )
    per_thousand = models.DecimalField(
        _("steunbetuigingen per 1.000 inwoners"),
        max_digits=6,
        decimal_places=2,
        default=PER_THOUSAND_DEFAULT,
    )

    class Meta:
        verbose_name = _("instelling bewonersagenda")
        verbose_name_plural = _("instellingen bewonersagenda")

    def __str__(self) -> str:
        return str(self.gemeente)


class AgendapuntStatus(models.TextChoices):
    OPEN = "open", _("open")
    DREMPEL = "drempel_bereikt", _("drempel bereikt")
    BEANTWOORD = "beantwoord", _("beantwoord")
    GESLOTEN = "gesloten", _("gesloten")


class Agendapunt(models.Model):
    """A concern a resident raised in their wijk. Its title and text are public as the
    resident wrote them (like an initiative's), so they are never scrubbed; a
    beheerder can hide it."""

    wijk = models.ForeignKey(
        Wijk,
        on_delete=models.PROTECT,
        related_name="agendapunten",
        verbose_name=_("wijk"),
    )
    title = models.CharField(_("titel"), max_length=120)
    text = models.TextField(_("toelichting"), max_length=3000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agendapunten",
        verbose_name=_("ingediend door"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AgendapuntStatus.choices,
        default=AgendapuntStatus.OPEN,
    )
    # Frozen when the threshold is reached, so a later change of the setting or the
    # key figures does not move the goalposts of a concern already sent.
    threshold = models.PositiveIntegerField(_("drempel"), null=True, blank=True)
    created_at = models.DateTimeField(_("ingediend op"), auto_now_add=True)
    reached_at = models.DateTimeField(_("drempel bereikt op"), null=True, blank=True)
    answer = models.TextField(_("antwoord"), max_length=5000, blank=True)
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beantwoord door"),
    )
    closed_at = models.DateTimeField(_("gesloten op"), null=True, blank=True)
    last_reminder_at = models.DateTimeField(
        _("laatste herinnering"), null=True, blank=True
    )
    themas = models.ManyToManyField(
        WijkThema,
        blank=True,
        related_name="agendapunten",
        verbose_name=_("thema's"),
    )
    is_hidden = models.BooleanField(_("verborgen"), default=False)
    hidden_reason = models.CharField(_("reden verbergen"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("agendapunt")
        verbose_name_plural = _("agendapunten")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["wijk", "status"], name="agendapunt_wijk_status"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("bewonersagenda:detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == AgendapuntStatus.OPEN


class Steun(models.Model):
    """One resident's support for a concern: one per resident, withdrawable while the
    concern is open."""

    agendapunt = models.ForeignKey(
        Agendapunt,
        on_delete=models.CASCADE,
        related_name="steunbetuigingen",
        verbose_name=_("agendapunt"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="agenda_steun",
        verbose_name=_("bewoner"),
    )
    created_at = models.DateTimeField(_("gesteund op"), auto_now_add=True)

    class Meta:
        verbose_name = _("steunbetuiging")
        verbose_name_plural = _("steunbetuigingen")
        constraints = [
            models.UniqueConstraint(
                fields=["agendapunt", "user"], name="steun_once_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agendapunt_id}: {self.user_id}"
