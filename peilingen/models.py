"""A wijkpeiling: a short survey for one wijk, answered online and in the street.

Privacy by shape:
- a response (Respons) has no link to an account: a resident who answers online is
  recorded apart from the answer (PeilingDeelname, like the list of voters beside a
  ballot box). The response has a random UUID key and only a date, so neither the
  order of the keys nor a time can join the two;
- a street or door answer has no account and no name at all; a round records streets
  and house-number ranges, never who lives there;
- open answers are stored scrubbed (signalen's scrubber), or sealed until a worker
  scrubs them (Antwoord.text_sealed), never unscrubbed in plain text.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Team
from signalen.models import WijkThema
from wijken.models import Buurt, Wijk

TITLE_MAX_LENGTH = 120
INTRO_MAX_LENGTH = 600
QUESTION_MAX_LENGTH = 200
OPTION_MAX_LENGTH = 80
OPEN_ANSWER_MAX_LENGTH = 500
STREET_MAX_LENGTH = 80
SUMMARY_MAX_LENGTH = 2000
# The version of the consent sentence, stored with every response (peilingen/texts.py).
CONSENT_VERSION = "2026-12-v1"


class PeilingStatus(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    OPEN = "open", _("Open")
    GESLOTEN = "gesloten", _("Gesloten")


class VraagSoort(models.TextChoices):
    EEN = "een", _("Eén keuze")
    MEER = "meer", _("Meer keuzes")
    SCHAAL = "schaal", _("Schaal van 1 tot 5")
    OPEN = "open", _("Open vraag")


class Kanaal(models.TextChoices):
    ONLINE = "online", _("Online")
    STRAAT = "straat", _("Op straat")
    DEUR = "deur", _("Aan de deur")


class Leeftijd(models.TextChoices):
    TOT_25 = "tot-25", _("Jonger dan 25")
    TOT_45 = "25-44", _("25 tot 45")
    TOT_65 = "45-64", _("45 tot 65")
    VANAF_65 = "65-plus", _("65 of ouder")


class Huishouden(models.TextChoices):
    ALLEEN = "alleen", _("Alleen")
    SAMEN = "samen", _("Met partner, zonder kinderen")
    KINDEREN = "kinderen", _("Met kinderen")
    ANDERS = "anders", _("Anders")


class BezoekUitkomst(models.TextChoices):
    GESPROKEN = "gesproken", _("Gesproken")
    NIET_THUIS = "niet-thuis", _("Niet thuis")
    GEEN_INTERESSE = "geen-interesse", _("Geen interesse")


class SamenvattingStatus(models.TextChoices):
    PENDING = "pending", _("Wacht op een tweede professional")
    PUBLISHED = "published", _("Openbaar")
    REJECTED = "rejected", _("Afgewezen")
    WITHDRAWN = "withdrawn", _("Vervangen")


class Peiling(models.Model):
    wijk = models.ForeignKey(
        Wijk, on_delete=models.PROTECT, related_name="peilingen", verbose_name=_("wijk")
    )
    # The wijkteam that wrote it; empty when the gemeente (an officer) wrote it.
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="peilingen",
        verbose_name=_("wijkteam"),
    )
    title = models.CharField(_("titel"), max_length=TITLE_MAX_LENGTH)
    intro = models.TextField(_("inleiding"), max_length=INTRO_MAX_LENGTH, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PeilingStatus.choices,
        default=PeilingStatus.CONCEPT,
    )
    opens_on = models.DateField(_("open vanaf"), null=True, blank=True)
    closes_on = models.DateField(_("open tot en met"), null=True, blank=True)
    online = models.BooleanField(_("bewoners vullen online in"), default=True)
    street = models.BooleanField(_("op straat en aan de deur"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gemaakt door"),
    )
    themas = models.ManyToManyField(
        WijkThema, blank=True, related_name="peilingen", verbose_name=_("thema's")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(_("gesloten op"), null=True, blank=True)

    class Meta:
        verbose_name = _("wijkpeiling")
        verbose_name_plural = _("wijkpeilingen")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("peilingen:detail", args=[self.pk])

    @property
    def by_gemeente(self) -> bool:
        return self.team_id is None

    @property
    def is_open(self) -> bool:
        return self.status == PeilingStatus.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == PeilingStatus.GESLOTEN


class Vraag(models.Model):
    peiling = models.ForeignKey(
        Peiling, on_delete=models.CASCADE, related_name="vragen"
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    kind = models.CharField(_("soort"), max_length=8, choices=VraagSoort.choices)
    text = models.CharField(_("vraag"), max_length=QUESTION_MAX_LENGTH)
    options = models.JSONField(_("antwoorden om uit te kiezen"), default=list)

    class Meta:
        verbose_name = _("vraag")
        verbose_name_plural = _("vragen")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def is_choice(self) -> bool:
        return self.kind in (VraagSoort.EEN, VraagSoort.MEER)

    @property
    def is_open(self) -> bool:
        return self.kind == VraagSoort.OPEN


class Ronde(models.Model):
    """A street or door round: one day, one area, one or more people asking."""

    peiling = models.ForeignKey(
        Peiling, on_delete=models.CASCADE, related_name="rondes"
    )
    date = models.DateField(_("datum"))
    buurt = models.ForeignKey(
        Buurt,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("buurt"),
    )
    streets = models.CharField(_("straten"), max_length=300, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gestart door"),
    )
    # Residents who help (volunteers), added by the professional by e-mail address.
    helpers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="peiling_rondes",
        verbose_name=_("vrijwilligers"),
    )
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ronde")
        verbose_name_plural = _("rondes")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.peiling} {self.date}"


class Bezoek(models.Model):
    """A street or a range of house numbers visited in a round: no names, ever."""

    ronde = models.ForeignKey(Ronde, on_delete=models.CASCADE, related_name="bezoeken")
    buurt = models.ForeignKey(
        Buurt,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("buurt"),
    )
    street = models.CharField(_("straat"), max_length=STREET_MAX_LENGTH)
    number_from = models.PositiveIntegerField(
        _("van huisnummer"), null=True, blank=True
    )
    number_to = models.PositiveIntegerField(
        _("tot en met huisnummer"), null=True, blank=True
    )
    outcome = models.CharField(
        _("uitkomst"), max_length=16, choices=BezoekUitkomst.choices
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bezoek")
        verbose_name_plural = _("bezoeken")
        ordering = ["street", "number_from", "pk"]

    def __str__(self) -> str:
        return self.street


class Respons(models.Model):
    """One person's answers. No account, no name, no time of day (see the module)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    peiling = models.ForeignKey(
        Peiling, on_delete=models.CASCADE, related_name="responses"
    )
    channel = models.CharField(_("kanaal"), max_length=8, choices=Kanaal.choices)
    ronde = models.ForeignKey(
        Ronde,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responses",
        verbose_name=_("ronde"),
    )
    buurt = models.ForeignKey(
        Buurt,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("buurt"),
    )
    age_band = models.CharField(
        _("leeftijd"), max_length=8, choices=Leeftijd.choices, blank=True
    )
    household = models.CharField(
        _("huishouden"), max_length=10, choices=Huishouden.choices, blank=True
    )
    consent = models.BooleanField(_("toestemming"), default=False)
    consent_version = models.CharField(_("versie toestemmingszin"), max_length=20)
    created_on = models.DateField(_("datum"))

    class Meta:
        verbose_name = _("respons")
        verbose_name_plural = _("responsen")
        # A random key: the order of creation is not kept.
        ordering = ["created_on"]

    def __str__(self) -> str:
        return str(self.created_on)


class Antwoord(models.Model):
    respons = models.ForeignKey(
        Respons, on_delete=models.CASCADE, related_name="antwoorden"
    )
    vraag = models.ForeignKey(
        Vraag, on_delete=models.CASCADE, related_name="antwoorden"
    )
    choices = models.JSONField(_("gekozen"), default=list, blank=True)
    scale = models.PositiveSmallIntegerField(_("schaal"), null=True, blank=True)
    text = models.TextField(_("tekst (zonder persoonsgegevens)"), blank=True)
    # Open text that waits for the scrubber, encrypted (signalen.intake.sealing).
    text_sealed = models.BinaryField(null=True, blank=True, editable=False)
    scrub_pending = models.BooleanField(default=False, db_default=False)
    scrub_summary = models.JSONField(default=dict, blank=True)
    # Set when a professional turned this open answer into a signal.
    signaal_made = models.BooleanField(_("signaal van gemaakt"), default=False)

    class Meta:
        verbose_name = _("antwoord")
        verbose_name_plural = _("antwoorden")
        constraints = [
            models.UniqueConstraint(
                fields=["respons", "vraag"], name="peiling_one_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return str(self.vraag)


class PeilingDeelname(models.Model):
    """That a resident answered online (not what): one response per survey.

    A random key, like the response's: with counting keys on both, the n-th resident
    to answer could be paired with the n-th set of answers."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    peiling = models.ForeignKey(
        Peiling, on_delete=models.CASCADE, related_name="deelnames"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="peiling_deelnames",
    )

    class Meta:
        verbose_name = _("deelname")
        verbose_name_plural = _("deelnames")
        constraints = [
            models.UniqueConstraint(
                fields=["peiling", "user"], name="peiling_one_response_per_resident"
            )
        ]

    def __str__(self) -> str:
        return f"{self.peiling_id}"


class PeilingSamenvatting(models.Model):
    """A professional's summary of the open answers, public after a second one agrees."""

    peiling = models.ForeignKey(
        Peiling, on_delete=models.CASCADE, related_name="samenvattingen"
    )
    text = models.TextField(_("samenvatting"), max_length=SUMMARY_MAX_LENGTH)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SamenvattingStatus.choices,
        default=SamenvattingStatus.PENDING,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("geschreven door"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beoordeeld door"),
    )
    reason = models.CharField(_("reden"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("samenvatting")
        verbose_name_plural = _("samenvattingen")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text[:40]
