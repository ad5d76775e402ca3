"""Geography: gemeenten, wijken and buurten keyed by their CBS codes, and CBS key figures.

Geometry is GeoJSON (WGS84) in a JSON field, so SQLite works without PostGIS.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

GEMEENTE_CODE = RegexValidator(r"^GM\d{4}$", _("Een gemeentecode is GM en 4 cijfers."))
# Since 2022 Amsterdam gives its wijken and buurten letters after the gemeente's digits
# (WK0363AA, BU0363AA01); everywhere else they are digits.
WIJK_CODE = RegexValidator(
    r"^WK\d{4}[0-9A-Z]{2}$",
    _("Een wijkcode is WK, de 4 cijfers van de gemeente en 2 cijfers of letters."),
)
BUURT_CODE = RegexValidator(
    r"^BU\d{4}[0-9A-Z]{4}$",
    _("Een buurtcode is BU, de 4 cijfers van de gemeente en 4 cijfers of letters."),
)


class Area(models.Model):
    """What gemeente, wijk and buurt share: a CBS code, a name and an outline."""

    name = models.CharField(_("naam"), max_length=200)
    geometry = models.JSONField(_("vorm (GeoJSON, WGS84)"), null=True, blank=True)
    # Areas that disappear from a newer CBS year (merged municipalities) stay for history.
    is_active = models.BooleanField(_("actief"), default=True)
    source = models.CharField(_("bron"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"  # type: ignore[attr-defined]


class Gemeente(Area):
    code = models.CharField(
        _("CBS-code"), max_length=6, unique=True, validators=[GEMEENTE_CODE]
    )
    # A generated, fictional municipality for demos; never mixed up with a real one.
    is_demo = models.BooleanField(_("demo"), default=False)

    class Meta(Area.Meta):
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")

    def get_absolute_url(self) -> str:
        return reverse("wijken:gemeente", kwargs={"code": self.code})


class Wijk(Area):
    code = models.CharField(
        _("CBS-code"), max_length=8, unique=True, validators=[WIJK_CODE]
    )
    gemeente = models.ForeignKey(
        Gemeente,
        on_delete=models.PROTECT,
        related_name="wijken",
        verbose_name=_("gemeente"),
    )

    class Meta(Area.Meta):
        verbose_name = _("wijk")
        verbose_name_plural = _("wijken")
        indexes = [models.Index(fields=["gemeente", "is_active"])]

    def get_absolute_url(self) -> str:
        # The public wijk page combines geography with the other apps, so the
        # dashboard app serves it (ARCHITECTURE.md: dashboard owns the wijk page).
        return reverse("dashboard:wijk", kwargs={"code": self.code})


class Buurt(Area):
    code = models.CharField(
        _("CBS-code"), max_length=10, unique=True, validators=[BUURT_CODE]
    )
    wijk = models.ForeignKey(
        Wijk, on_delete=models.PROTECT, related_name="buurten", verbose_name=_("wijk")
    )

    class Meta(Area.Meta):
        verbose_name = _("buurt")
        verbose_name_plural = _("buurten")
        indexes = [models.Index(fields=["wijk", "is_active"])]


class Level(models.TextChoices):
    GEMEENTE = "gemeente", _("gemeente")
    WIJK = "wijk", _("wijk")
    BUURT = "buurt", _("buurt")


class Kerncijfers(models.Model):
    """CBS key figures of one area in one year.

    The figures every page needs have their own column; whatever else the source carries
    is kept in `extra` under the source's own name. NULL means unknown: CBS's negative
    sentinels never become numbers.
    """

    level = models.CharField(_("niveau"), max_length=8, choices=Level.choices)
    code = models.CharField(_("CBS-code"), max_length=10, db_index=True)
    year = models.PositiveSmallIntegerField(_("jaar"))
    inhabitants = models.PositiveIntegerField(_("inwoners"), null=True, blank=True)
    men = models.PositiveIntegerField(_("mannen"), null=True, blank=True)
    women = models.PositiveIntegerField(_("vrouwen"), null=True, blank=True)
    households = models.PositiveIntegerField(_("huishoudens"), null=True, blank=True)
    avg_household_size = models.FloatField(
        _("gemiddelde huishoudensgrootte"), null=True, blank=True
    )
    pct_age_0_15 = models.FloatField(_("0 tot 15 jaar (%)"), null=True, blank=True)
    pct_age_15_25 = models.FloatField(_("15 tot 25 jaar (%)"), null=True, blank=True)
    pct_age_25_45 = models.FloatField(_("25 tot 45 jaar (%)"), null=True, blank=True)
    pct_age_45_65 = models.FloatField(_("45 tot 65 jaar (%)"), null=True, blank=True)
    pct_age_65_plus = models.FloatField(
        _("65 jaar en ouder (%)"), null=True, blank=True
    )
    pct_single_person_households = models.FloatField(
        _("eenpersoonshuishoudens (%)"), null=True, blank=True
    )
    population_density = models.FloatField(_("inwoners per km²"), null=True, blank=True)
    income_per_inhabitant = models.FloatField(
        _("gemiddeld inkomen per inwoner (x 1000 euro)"), null=True, blank=True
    )
    extra = models.JSONField(_("overige cijfers"), default=dict, blank=True)
    source = models.CharField(_("bron"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kerncijfers")
        verbose_name_plural = _("kerncijfers")
        ordering = ["code", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "year"], name="kerncijfers_code_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.year}"
