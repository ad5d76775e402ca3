"""The taxonomy professionals choose from: categories, target groups, sources."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaxonomyEntry(models.Model):
    """A stable code with a Dutch display name. Retired entries stay valid for old
    signals but are no longer offered in forms."""

    code = models.SlugField(
        _("code"),
        max_length=50,
        unique=True,
        help_text=_("Vaste code. Verander deze niet meer na gebruik."),
    )
    name = models.CharField(_("naam"), max_length=100)
    description = models.CharField(_("toelichting"), max_length=250, blank=True)
    is_active = models.BooleanField(
        _("in gebruik"),
        default=True,
        help_text=_("Zet uit om een keuze niet meer aan te bieden."),
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=100)

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Categorie(TaxonomyEntry):
    class Meta(TaxonomyEntry.Meta):
        verbose_name = _("categorie")
        verbose_name_plural = _("categorieën")


class Doelgroep(TaxonomyEntry):
    class Meta(TaxonomyEntry.Meta):
        verbose_name = _("doelgroep")
        verbose_name_plural = _("doelgroepen")


class Bron(TaxonomyEntry):
    class Meta(TaxonomyEntry.Meta):
        verbose_name = _("bron")
        verbose_name_plural = _("bronnen")
