"""Waar kan iemand terecht? (issue 19 item 3): how often a professional offered
informal help first, counted per wijk per 4-week block.

Nothing else is stored: no author, no signal, no team, no time of day. A row is one
wijk and one block of the fixed grid (signalen.kanon.block_start); a tap adds one.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wijken.models import Wijk


class InformeleHulpTelling(models.Model):
    wijk = models.ForeignKey(
        Wijk,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("wijk"),
    )
    block = models.DateField(_("eerste dag van het blok van 4 weken"))
    count = models.PositiveIntegerField(_("aantal keer aangeboden"), default=0)

    class Meta:
        verbose_name = _("informele hulp eerst aangeboden")
        verbose_name_plural = _("informele hulp eerst aangeboden")
        ordering = ["wijk", "block"]
        constraints = [
            models.UniqueConstraint(
                fields=["wijk", "block"], name="informele_hulp_wijk_block"
            )
        ]

    def __str__(self) -> str:
        return f"{self.wijk_id} {self.block} {self.count}"
