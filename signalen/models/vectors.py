"""What the engine stores per signal so that no run embeds or tokenises again."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from signalen.models.signals import Signaal


class SignaalVector(models.Model):
    """The sentence vector and stems of a signal's scrubbed text, made once on the
    worker (signalen.themes.embedding). 384 float16 values: 768 bytes. Never shown."""

    signaal = models.OneToOneField(
        Signaal,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="vector",
        verbose_name=_("signaal"),
    )
    vector = models.BinaryField(_("vector"), max_length=4096)
    model = models.CharField(_("model"), max_length=64)
    stems = models.JSONField(_("stammen"), default=list, blank=True)
    created_at = models.DateTimeField(_("gemaakt op"), auto_now=True)

    class Meta:
        verbose_name = _("vector van een signaal")
        verbose_name_plural = _("vectoren van signalen")
        # Which vectors arrived since a wijk's last roll-up (signalen.themes.increments).
        indexes = [models.Index(fields=["created_at"], name="signaalvector_created")]

    def __str__(self) -> str:
        return f"{self.signaal_id} ({self.model})"
