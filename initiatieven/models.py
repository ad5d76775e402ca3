"""Initiatives: residents start, find, join and run neighbourhood initiatives.

An Initiatief belongs to one wijk (and optionally one of its buurten). Residents own their
initiative: an owner plus co-organisers. Needs (Behoefte) and offers (Aanbod) make the
reciprocity visible; Deelname records "ik doe mee" and "ik steun dit".
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wijken.models import Buurt, Wijk


class Thema(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=80)
    is_active = models.BooleanField(_("actief"), default=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        # The seeded names are marked in initiatieven/thema_text.py; a theme a
        # beheerder adds later shows as typed.
        return gettext(self.name)


class Status(models.TextChoices):
    IDEE = "idee", _("Idee")
    IN_VOORBEREIDING = "in_voorbereiding", _("In voorbereiding")
    ACTIEF = "actief", _("Actief")
    AFGEROND = "afgerond", _("Afgerond")
    GESTOPT = "gestopt", _("Gestopt")


class BehoefteKind(models.TextChoices):
    VRIJWILLIGERS = "vrijwilligers", _("Vrijwilligers")
    RUIMTE = "ruimte", _("Een ruimte")
    GELD = "geld", _("Geld")
    MATERIAAL = "materiaal", _("Materiaal")
    KENNIS = "kennis", _("Kennis")


class PartnerKind(models.TextChoices):
    ONDERNEMERS = "ondernemers", _("Ondernemers")
    ONDERWIJS = "onderwijs", _("Onderwijs")
    ONDERZOEK = "onderzoek", _("Onderzoek")
    OVERHEID = "overheid", _("Overheid")
    OMGEVING = "omgeving", _("Omgeving (bewoners en organisaties)")


class DeelnameKind(models.TextChoices):
    DOE_MEE = "doe_mee", _("Ik doe mee")
    STEUN = "steun", _("Ik steun dit")


class InitiatiefManager(models.Manager["Initiatief"]):
    def get_queryset(self) -> models.QuerySet[Initiatief]:
        # Nobody reads the search vector in Python (the database ranks with it), and it
        # can be larger than the row's texts: do not send it to every list and export.
        # A save() of a deferred row leaves the column to the trigger as well.
        return super().get_queryset().defer("search_vector")


class Initiatief(models.Model):
    title = models.CharField(_("titel"), max_length=120)
    summary = models.CharField(_("korte samenvatting"), max_length=280)
    description = models.TextField(_("beschrijving"), max_length=10_000, blank=True)
    wijk = models.ForeignKey(
        Wijk,
        on_delete=models.PROTECT,
        related_name="initiatieven",
        verbose_name=_("wijk"),
    )
    buurt = models.ForeignKey(
        Buurt,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="initiatieven",
        verbose_name=_("buurt"),
    )
    themas = models.ManyToManyField(
        Thema, blank=True, related_name="initiatieven", verbose_name=_("thema's")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IDEE
    )
    # Null once the owner deleted their account and no co-organiser could take over:
    # the initiative stays, without their name (AVG, privacy/services.py).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="initiatieven_owned",
        verbose_name=_("eigenaar"),
    )
    co_organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="initiatieven_co_organised",
        verbose_name=_("mede-organisatoren"),
    )
    photo = models.ImageField(
        _("foto"), upload_to="initiatieven/%Y/%m/", blank=True, max_length=200
    )
    photo_alt = models.CharField(
        _("beschrijving van de foto"), max_length=200, blank=True
    )
    where = models.CharField(_("waar"), max_length=200, blank=True)
    when = models.CharField(_("wanneer"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("begint op"), null=True, blank=True)
    ends_at = models.DateTimeField(_("eindigt op"), null=True, blank=True)
    is_hidden = models.BooleanField(_("verborgen"), default=False)
    hidden_reason = models.TextField(_("reden van verbergen"), blank=True)
    created_at = models.DateTimeField(_("gemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    # Title (A), summary (B) and description (C) for the Dutch full-text search, kept
    # up to date by a PostgreSQL trigger on every write, bulk or not (migration 0008);
    # GIN-indexed there. Always NULL on SQLite, which searches with icontains.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = InitiatiefManager()

    class Meta:
        verbose_name = _("initiatief")
        verbose_name_plural = _("initiatieven")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["wijk", "is_hidden", "status"]),
            models.Index(fields=["is_hidden", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("initiatieven:detail", kwargs={"pk": self.pk})


class Partner(models.Model):
    initiatief = models.ForeignKey(
        Initiatief,
        on_delete=models.CASCADE,
        related_name="partners",
        verbose_name=_("initiatief"),
    )
    name = models.CharField(_("naam"), max_length=120)
    kind = models.CharField(_("soort"), max_length=20, choices=PartnerKind.choices)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Behoefte(models.Model):
    initiatief = models.ForeignKey(
        Initiatief,
        on_delete=models.CASCADE,
        related_name="behoeften",
        verbose_name=_("initiatief"),
    )
    kind = models.CharField(_("soort"), max_length=20, choices=BehoefteKind.choices)
    description = models.CharField(_("wat is er nodig"), max_length=280)
    is_met = models.BooleanField(_("geregeld"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("behoefte")
        verbose_name_plural = _("behoeften")
        ordering = ["is_met", "created_at"]
        indexes = [models.Index(fields=["kind", "is_met"])]

    def __str__(self) -> str:
        return self.description


class Deelname(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="deelnames",
        verbose_name=_("bewoner"),
    )
    initiatief = models.ForeignKey(
        Initiatief,
        on_delete=models.CASCADE,
        related_name="deelnames",
        verbose_name=_("initiatief"),
    )
    kind = models.CharField(_("soort"), max_length=10, choices=DeelnameKind.choices)
    show_name = models.BooleanField(_("naam openbaar tonen"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("deelname")
        verbose_name_plural = _("deelnames")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "initiatief", "kind"], name="deelname_once_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.initiatief_id}"


class Volger(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="volgt",
        verbose_name=_("bewoner"),
    )
    initiatief = models.ForeignKey(
        Initiatief,
        on_delete=models.CASCADE,
        related_name="volgers",
        verbose_name=_("initiatief"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("volger")
        verbose_name_plural = _("volgers")
        constraints = [
            models.UniqueConstraint(fields=["user", "initiatief"], name="volger_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} volgt {self.initiatief_id}"


class Aanbod(models.Model):
    """What a resident can give. Lives here so that accounts never imports us."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="aanbod",
        verbose_name=_("bewoner"),
    )
    talents = models.TextField(_("wat ik kan en wil doen"), max_length=1000, blank=True)
    kinds = models.JSONField(_("wat ik kan geven"), default=list, blank=True)
    hours_per_month = models.PositiveSmallIntegerField(
        _("uren per maand"), null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("aanbod")
        verbose_name_plural = _("aanbod")

    def __str__(self) -> str:
        return f"aanbod {self.user_id}"


class Bericht(models.Model):
    """An update that organisers post on their initiative ("Nieuws")."""

    initiatief = models.ForeignKey(
        Initiatief,
        on_delete=models.CASCADE,
        related_name="berichten",
        verbose_name=_("initiatief"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("geschreven door"),
    )
    title = models.CharField(_("titel"), max_length=120, blank=True)
    text = models.TextField(_("tekst"), max_length=5000)
    is_hidden = models.BooleanField(_("verborgen"), default=False)
    hidden_reason = models.TextField(_("reden van verbergen"), blank=True)
    created_at = models.DateTimeField(_("geplaatst op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("bericht")
        verbose_name_plural = _("berichten")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title or f"bericht {self.pk}"


class Bijeenkomst(models.Model):
    """A meeting of the people behind an initiative."""

    initiatief = models.ForeignKey(
        Initiatief,
        on_delete=models.CASCADE,
        related_name="bijeenkomsten",
        verbose_name=_("initiatief"),
    )
    starts_at = models.DateTimeField(_("datum en tijd"))
    place = models.CharField(_("plaats"), max_length=200)
    agenda = models.TextField(_("agenda"), max_length=5000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("gepland door"),
    )
    reminded_at = models.DateTimeField(
        _("herinnering verstuurd"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bijeenkomst")
        verbose_name_plural = _("bijeenkomsten")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["reminded_at", "starts_at"])]

    def __str__(self) -> str:
        return f"bijeenkomst {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse(
            "initiatieven:bijeenkomst",
            kwargs={"pk": self.initiatief_id, "bijeenkomst_pk": self.pk},
        )

    @property
    def uid(self) -> str:
        return f"bijeenkomst-{self.pk}@buurtwijs.nl"


class Afspraak(models.Model):
    """An agreement made at a meeting: who does what, and when."""

    bijeenkomst = models.ForeignKey(
        Bijeenkomst,
        on_delete=models.CASCADE,
        related_name="afspraken",
        verbose_name=_("bijeenkomst"),
    )
    description = models.CharField(_("wat"), max_length=280)
    who_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wie (deelnemer)"),
    )
    who_text = models.CharField(_("wie"), max_length=120, blank=True)
    due_date = models.DateField(_("wanneer klaar"))
    reminded_at = models.DateTimeField(
        _("herinnering verstuurd"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("afspraak")
        verbose_name_plural = _("afspraken")
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["reminded_at", "due_date"])]

    def __str__(self) -> str:
        return self.description

    @property
    def who(self) -> str:
        if self.who_user_id is not None and self.who_user is not None:
            return self.who_user.display_name
        return self.who_text


class Frequentie(models.TextChoices):
    DIRECT = "direct", _("Meteen, bij elk bericht")
    DAGELIJKS = "dagelijks", _("Eén keer per dag, in één e-mail")
    WEKELIJKS = "wekelijks", _("Eén keer per week, in één e-mail")
    UIT = "uit", _("Geen e-mail")


class Meldingsvoorkeur(models.Model):
    """How a resident wants to hear about initiatives they follow or join."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="meldingsvoorkeur",
        verbose_name=_("bewoner"),
    )
    frequency = models.CharField(
        _("hoe vaak"),
        max_length=10,
        choices=Frequentie.choices,
        default=Frequentie.DAGELIJKS,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meldingsvoorkeur")
        verbose_name_plural = _("meldingsvoorkeuren")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.frequency}"


class Notificatie(models.Model):
    """One thing to tell one person; waits here for the daily or weekly digest.

    Most are about an initiative. Other apps queue notices too (a new public call in
    the wijk, a goal's deadline): those have no initiative, only a title, a text and a
    link, so this app never needs to know what they are about. A non-empty key makes
    a notice once-only per person (the same key is refused a second time)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="initiatief_notificaties",
        verbose_name=_("bewoner"),
    )
    initiatief = models.ForeignKey(
        Initiatief,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("initiatief"),
    )
    title = models.CharField(_("onderwerp"), max_length=200, blank=True)
    key = models.CharField(_("sleutel"), max_length=120, blank=True)
    text = models.CharField(_("tekst"), max_length=300)
    url = models.CharField(_("link"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("notificatie")
        verbose_name_plural = _("notificaties")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["sent_at", "user"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                condition=~models.Q(key=""),
                name="notificatie_once_per_key",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class MeldingReden(models.TextChoices):
    SPAM = "spam", _("Reclame of spam")
    BELEDIGEND = "beledigend", _("Beledigend of kwetsend")
    ONJUIST = "onjuist", _("Niet waar of misleidend")
    PRIVACY = "privacy", _("Er staan persoonlijke gegevens in")
    ANDERS = "anders", _("Iets anders")


class MeldingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    VERBORGEN = "verborgen", _("Verborgen")
    AFGEWEZEN = "afgewezen", _("Afgewezen")


class Melding(models.Model):
    """A report by a resident that an initiative or update is not OK."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="initiatief_meldingen",
        verbose_name=_("gemeld door"),
    )
    initiatief = models.ForeignKey(
        Initiatief,
        on_delete=models.CASCADE,
        related_name="meldingen",
        verbose_name=_("initiatief"),
    )
    bericht = models.ForeignKey(
        Bericht,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meldingen",
        verbose_name=_("bericht"),
    )
    reason = models.CharField(_("reden"), max_length=20, choices=MeldingReden.choices)
    text = models.TextField(_("toelichting"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MeldingStatus.choices,
        default=MeldingStatus.OPEN,
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("behandeld door"),
    )
    handled_at = models.DateTimeField(_("behandeld op"), null=True, blank=True)
    created_at = models.DateTimeField(_("gemeld op"), auto_now_add=True)

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"melding {self.pk}"


def new_organiser_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class OrganiserInvitationStatus(models.TextChoices):
    OPEN = "open", _("Verstuurd")
    ACCEPTED = "accepted", _("Aangenomen")
    DECLINED = "declined", _("Afgeslagen")
    WITHDRAWN = "withdrawn", _("Ingetrokken")


class OrganiserInvitation(models.Model):
    """The owner asks someone, by e-mail address, to organise along.

    Nothing about the address is looked up or shown: the same mail goes out whether or
    not it belongs to an account, and a name appears only when the person accepts
    (initiatieven/organisers.py). Once answered, the address is forgotten.
    """

    initiatief = models.ForeignKey(
        Initiatief,
        on_delete=models.CASCADE,
        related_name="organiser_invitations",
        verbose_name=_("initiatief"),
    )
    email = models.EmailField(_("e-mailadres"), blank=True)
    token = models.CharField(
        max_length=64, unique=True, default=new_organiser_invitation_token
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OrganiserInvitationStatus.choices,
        default=OrganiserInvitationStatus.OPEN,
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uitgenodigd door"),
    )
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangenomen door"),
    )
    created_at = models.DateTimeField(_("verstuurd op"), auto_now_add=True)
    expires_at = models.DateTimeField(_("geldig tot"))
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)

    class Meta:
        verbose_name = _("uitnodiging om mee te organiseren")
        verbose_name_plural = _("uitnodigingen om mee te organiseren")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["initiatief", "status"])]

    def __str__(self) -> str:
        return f"{self.initiatief_id}: {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return (
            self.status == OrganiserInvitationStatus.OPEN
            and self.expires_at > timezone.now()
        )
