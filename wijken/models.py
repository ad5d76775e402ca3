"""Geography: gemeenten, wijken and buurten keyed by their CBS codes, and CBS key figures.

Geometry is GeoJSON (WGS84) in a JSON field, so SQLite works without PostGIS.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wijken.geometry import distance_to_area_m

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


# --- The wijkteam's contact and the places of a wijk -----------------------------------

# Dutch phone numbers as people type them: spaces, dashes, dots and brackets are
# ignored. Accepted: 10 digits from 0 (020 123 4567, 06 12345678), +31 and 9 digits,
# the free and paid service numbers (0800, 0900, 0906, 0909 and 4 to 7 digits) and the
# gemeente's 14 number (14 and the area code without its 0: 14 020, 14 0299).
PHONE_SEPARATORS = re.compile(r"[\s\-.()/]")
PHONE_RE = re.compile(
    r"^(0[1-9]\d{8}|\+31[1-9]\d{8}|0(800|900|906|909)\d{4,7}|14\d{3,4})$"
)
PHONE_MAX_LENGTH = 20
NAME_MAX_LENGTH = 120
ADDRESS_MAX_LENGTH = 200
HOURS_MAX_LENGTH = 500
DESCRIPTION_MAX_LENGTH = 1000
WEBSITE_MAX_LENGTH = 300
# A place may lie just outside the wijk's outline (the GP across the border road that
# serves the wijk), but not further than this.
NEAR_WIJK_METRES = 500


def phone_digits(value: str) -> str:
    """The number without separators: what a tel: link dials."""
    return PHONE_SEPARATORS.sub("", value or "")


def validate_phone(value: str) -> None:
    if not PHONE_RE.match(phone_digits(value)):
        raise ValidationError(
            _(
                "Dit is geen Nederlands telefoonnummer. Typ bijvoorbeeld 0299 123 456, "
                "06 12345678, 0800 1234 of 14 0299."
            ),
            code="phone",
        )


class PlekSoort(models.TextChoices):
    BUURTHUIS = "buurthuis", _("Buurthuis")
    BIBLIOTHEEK = "bibliotheek", _("Bibliotheek")
    WIJKCENTRUM = "wijkcentrum", _("Wijkcentrum")
    HUISARTS = "huisarts", _("Huisarts")
    SCHOOL = "school", _("School")
    ANDERS = "anders", _("Andere plek")


class WijkteamContact(models.Model):
    """How residents reach the wijkteam of one wijk. Public: the team's general
    number and address, never a person's own."""

    wijk = models.OneToOneField(
        Wijk,
        on_delete=models.CASCADE,
        related_name="wijkteam_contact",
        verbose_name=_("wijk"),
    )
    name = models.CharField(
        _("naam van het team"), max_length=NAME_MAX_LENGTH, blank=True
    )
    phone = models.CharField(
        _("telefoonnummer"), max_length=PHONE_MAX_LENGTH, validators=[validate_phone]
    )
    email = models.EmailField(_("e-mailadres"), blank=True)
    walk_in_hours = models.TextField(
        _("inloopspreekuur"),
        max_length=HOURS_MAX_LENGTH,
        blank=True,
        # A TextField's max_length only reaches forms; this holds for every caller.
        validators=[MaxLengthValidator(HOURS_MAX_LENGTH)],
    )
    address = models.CharField(_("adres"), max_length=ADDRESS_MAX_LENGTH, blank=True)
    website = models.URLField(_("website"), max_length=WEBSITE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("contact van het wijkteam")
        verbose_name_plural = _("contact van de wijkteams")

    def __str__(self) -> str:
        return self.name or str(self.wijk)


class Plek(models.Model):
    """A place in the wijk where residents can go: a buurthuis, the library, a GP."""

    wijk = models.ForeignKey(
        Wijk, on_delete=models.CASCADE, related_name="plekken", verbose_name=_("wijk")
    )
    buurt = models.ForeignKey(
        Buurt,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plekken",
        verbose_name=_("buurt"),
    )
    kind = models.CharField(_("soort plek"), max_length=16, choices=PlekSoort.choices)
    name = models.CharField(_("naam"), max_length=NAME_MAX_LENGTH)
    description = models.TextField(
        _("wat is hier te doen?"),
        max_length=DESCRIPTION_MAX_LENGTH,
        blank=True,
        validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)],
    )
    address = models.CharField(_("adres"), max_length=ADDRESS_MAX_LENGTH)
    opening_hours = models.TextField(
        _("openingstijden"),
        max_length=HOURS_MAX_LENGTH,
        blank=True,
        validators=[MaxLengthValidator(HOURS_MAX_LENGTH)],
    )
    website = models.URLField(_("website"), max_length=WEBSITE_MAX_LENGTH, blank=True)
    phone = models.CharField(
        _("telefoonnummer"),
        max_length=PHONE_MAX_LENGTH,
        blank=True,
        validators=[validate_phone],
    )
    latitude = models.FloatField(
        _("breedtegraad"),
        validators=[MinValueValidator(-90.0), MaxValueValidator(90.0)],
    )
    longitude = models.FloatField(
        _("lengtegraad"),
        validators=[MinValueValidator(-180.0), MaxValueValidator(180.0)],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("plek")
        verbose_name_plural = _("plekken")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["wijk", "kind"])]
        constraints = [
            models.UniqueConstraint(
                fields=["wijk", "name"],
                name="plek_wijk_name",
                violation_error_message=_(
                    "Er is al een plek met deze naam in deze wijk."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """The buurt lies in the place's wijk, and the point in or near the wijk."""
        errors: dict[str, Any] = {}
        if (
            self.buurt_id is not None
            and self.wijk_id is not None
            and self.buurt is not None
            and self.buurt.wijk_id != self.wijk_id
        ):
            errors["buurt"] = _("Kies een buurt van deze wijk.")
        if (
            self.wijk_id is not None
            and isinstance(self.latitude, float)
            and isinstance(self.longitude, float)
            and -90 <= self.latitude <= 90
            and -180 <= self.longitude <= 180
        ):
            distance = distance_to_area_m(
                self.wijk.geometry, lat=self.latitude, lon=self.longitude
            )
            if distance is not None and distance > NEAR_WIJK_METRES:
                errors["latitude"] = _(
                    "Dit punt ligt %(km)s km buiten de wijk %(wijk)s. Kies een punt "
                    "in de wijk of vlak erbij (hoogstens %(near)s meter erbuiten)."
                ) % {
                    "km": f"{distance / 1000:.1f}".replace(".", ","),
                    "wijk": self.wijk.name,
                    "near": NEAR_WIJK_METRES,
                }
        if errors:
            raise ValidationError(errors)
