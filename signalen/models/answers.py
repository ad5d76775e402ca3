"""Answers to a theme: linked initiatives, residents who take it up, their progress."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from signalen.models.themes import WijkThema


class ThemaInitiatief(models.Model):
    """An initiative that is (part of) the collective answer to a theme."""

    thema = models.ForeignKey(
        WijkThema,
        on_delete=models.CASCADE,
        related_name="antwoorden",
        verbose_name=_("thema"),
    )
    initiatief = models.ForeignKey(
        "initiatieven.Initiatief",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("initiatief"),
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gekoppeld door"),
    )
    note = models.CharField(_("toelichting"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("gekoppeld op"), auto_now_add=True)

    class Meta:
        verbose_name = _("initiatief bij een thema")
        verbose_name_plural = _("initiatieven bij thema's")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["thema", "initiatief"], name="thema_initiatief_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.thema_id} - {self.initiatief_id}"


class ThemaTrekker(models.Model):
    """A resident who adopted a public theme ("trekker")."""

    thema = models.ForeignKey(
        WijkThema,
        on_delete=models.CASCADE,
        related_name="trekkers",
        verbose_name=_("thema"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="getrokken_themas",
        verbose_name=_("bewoner"),
    )
    show_name = models.BooleanField(_("naam openbaar tonen"), default=False)
    created_at = models.DateTimeField(_("sinds"), auto_now_add=True)

    class Meta:
        verbose_name = _("trekker van een thema")
        verbose_name_plural = _("trekkers van thema's")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["thema", "user"], name="thema_trekker_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.thema_id} - {self.user_id}"


class ThemaVoortgang(models.Model):
    """A progress update on a public theme, by a trekker or a professional."""

    thema = models.ForeignKey(
        WijkThema,
        on_delete=models.CASCADE,
        related_name="voortgang",
        verbose_name=_("thema"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    text = models.TextField(_("tekst"), max_length=2000)
    is_hidden = models.BooleanField(_("verborgen"), default=False)
    # Why and by whom an update was hidden from the public page (kept after unhiding,
    # the theme history has every step).
    hidden_reason = models.CharField(
        _("reden van verbergen"), max_length=500, blank=True
    )
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verborgen door"),
    )
    hidden_at = models.DateTimeField(_("verborgen op"), null=True, blank=True)
    created_at = models.DateTimeField(_("geplaatst op"), auto_now_add=True)

    class Meta:
        verbose_name = _("voortgang van een thema")
        verbose_name_plural = _("voortgang van thema's")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.thema_id} {self.created_at:%Y-%m-%d}"


class PublicatieStatus(models.TextChoices):
    PENDING = "pending", _("wacht op goedkeuring")
    APPROVED = "approved", _("goedgekeurd en openbaar")
    REJECTED = "rejected", _("afgewezen")
    WITHDRAWN = "withdrawn", _("vervangen door een nieuwer voorstel")


class ThemaPublicatie(models.Model):
    """A public title and text proposed for a theme ("vier ogen").

    The text is stored scrubbed. It reaches the public page, the API and open data only
    after a second professional of the wijk's team approves it; the author cannot
    approve their own. At most one proposal per theme waits at a time.
    """

    thema = models.ForeignKey(
        WijkThema,
        on_delete=models.CASCADE,
        related_name="publicaties",
        verbose_name=_("thema"),
    )
    title = models.CharField(_("openbare titel"), max_length=120)
    text = models.TextField(_("openbare tekst"), max_length=2000)
    is_call = models.BooleanField(_("oproep aan bewoners"), default=False)
    # What the scrubber took out, as kinds only ("naam", "telefoon"): never originals.
    removed = models.JSONField(_("weggehaald"), default=list, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PublicatieStatus.choices,
        default=PublicatieStatus.PENDING,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("voorgesteld door"),
    )
    created_at = models.DateTimeField(_("voorgesteld op"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beoordeeld door"),
    )
    decided_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    reason = models.CharField(_("reden van afwijzen"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("voorstel voor een openbare tekst")
        verbose_name_plural = _("voorstellen voor openbare teksten")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["thema"],
                condition=models.Q(status="pending"),
                name="thema_publicatie_one_pending",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(reason=""),
                name="thema_publicatie_rejected_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.thema_id} {self.status}"
