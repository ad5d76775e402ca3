"""Wijkbudget: a budget round per wijk, residents' requests, the wijkteam's advice,
a secret ballot of the wijk's residents, the gemeente's decision and the accounting.

Ballot secrecy is built into the tables. Who voted (Stemmer for an account, the used
Stemcode for a printed code) and what was voted (Stembiljet with its Keuzes) share no
key, and the ballot rows carry no time and a random id: nothing in the database puts
a person next to their choices, not even the order of insertion.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from initiatieven.models import Initiatief
from signalen.models import WijkThema
from wijken.models import Wijk


class Fase(models.TextChoices):
    """Where a round stands; derived from its dates and decisions, never stored."""

    AANGEKONDIGD = "aangekondigd", _("Aangekondigd")
    AANVRAGEN = "aanvragen", _("Aanvragen indienen")
    ADVIES = "advies", _("Advies van het wijkteam")
    STEMMEN = "stemmen", _("Stemmen")
    GESLOTEN = "gesloten", _("Stemmen gesloten, besluit volgt")
    BESLOTEN = "besloten", _("Besloten")


class Ronde(models.Model):
    """A budget round for one wijk: an amount, the windows for requests and votes,
    and the rules in plain words."""

    wijk = models.ForeignKey(
        Wijk,
        on_delete=models.PROTECT,
        related_name="budgetrondes",
        verbose_name=_("wijk"),
    )
    title = models.CharField(_("titel"), max_length=120)
    amount = models.PositiveIntegerField(_("bedrag in euro"))
    rules = models.TextField(_("spelregels"), max_length=5000)
    requests_open = models.DateField(_("aanvragen vanaf"))
    requests_close = models.DateField(_("aanvragen tot en met"))
    vote_open = models.DateField(_("stemmen vanaf"))
    vote_close = models.DateField(_("stemmen tot en met"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gemaakt door"),
    )
    created_at = models.DateTimeField(_("gemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("budgetronde")
        verbose_name_plural = _("budgetrondes")
        ordering = ["-vote_close", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(requests_open__lte=models.F("requests_close"))
                & Q(requests_close__lt=models.F("vote_open"))
                & Q(vote_open__lte=models.F("vote_close")),
                name="wijkbudget_ronde_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("wijkbudget:ronde", kwargs={"pk": self.pk})

    def phase(self, today: datetime.date, *, all_decided: bool = False) -> Fase:
        if today < self.requests_open:
            return Fase.AANGEKONDIGD
        if today <= self.requests_close:
            return Fase.AANVRAGEN
        if today < self.vote_open:
            return Fase.ADVIES
        if today <= self.vote_close:
            return Fase.STEMMEN
        return Fase.BESLOTEN if all_decided else Fase.GESLOTEN

    def takes_requests(self, today: datetime.date) -> bool:
        return self.requests_open <= today <= self.requests_close

    def is_voting(self, today: datetime.date) -> bool:
        return self.vote_open <= today <= self.vote_close

    def is_closed(self, today: datetime.date) -> bool:
        """Voting is over: the totals are public and nothing changes a ballot."""
        return today > self.vote_close


class Advies(models.TextChoices):
    HAALBAAR = "haalbaar", _("Haalbaar")
    AANPASSEN = "aanpassen", _("Haalbaar met aanpassingen")
    NIET_HAALBAAR = "niet_haalbaar", _("Niet haalbaar")


class Besluit(models.TextChoices):
    TOEGEKEND = "toegekend", _("Toegekend")
    AFGEWEZEN = "afgewezen", _("Afgewezen")


class Aanvraag(models.Model):
    """An initiative's request for money from a round, with the team's advice and the
    gemeente's decision."""

    ronde = models.ForeignKey(
        Ronde,
        on_delete=models.CASCADE,
        related_name="aanvragen",
        verbose_name=_("budgetronde"),
    )
    initiatief = models.ForeignKey(
        Initiatief,
        on_delete=models.CASCADE,
        related_name="budgetaanvragen",
        verbose_name=_("initiatief"),
    )
    amount = models.PositiveIntegerField(_("gevraagd bedrag in euro"))
    purpose = models.TextField(_("waar is het geld voor"), max_length=2000)
    # One cost line per row: {"what": str, "amount": int}.
    breakdown = models.JSONField(_("begroting"), default=list)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budgetaanvragen",
        verbose_name=_("ingediend door"),
    )
    created_at = models.DateTimeField(_("ingediend op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    advice = models.CharField(
        _("advies"), max_length=20, choices=Advies.choices, blank=True
    )
    advice_text = models.TextField(_("toelichting bij het advies"), blank=True)
    # Public themes the request answers, shown by their public name and size only.
    advice_themas = models.ManyToManyField(
        WijkThema,
        blank=True,
        related_name="budgetaanvragen",
        verbose_name=_("thema's uit de wijk"),
    )
    advice_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("advies door"),
    )
    advice_at = models.DateTimeField(_("advies op"), null=True, blank=True)

    decision = models.CharField(
        _("besluit"), max_length=20, choices=Besluit.choices, blank=True
    )
    decision_amount = models.PositiveIntegerField(
        _("toegekend bedrag in euro"), null=True, blank=True
    )
    decision_reason = models.TextField(_("reden van het besluit"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("besloten door"),
    )
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)

    class Meta:
        verbose_name = _("budgetaanvraag")
        verbose_name_plural = _("budgetaanvragen")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["ronde", "initiatief"], name="wijkbudget_one_request_per_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiatief} ({self.ronde})"

    def get_absolute_url(self) -> str:
        return reverse(
            "wijkbudget:aanvraag", kwargs={"pk": self.ronde_id, "aanvraag_pk": self.pk}
        )

    @property
    def is_funded(self) -> bool:
        return self.decision == Besluit.TOEGEKEND


class Stemmer(models.Model):
    """That an account voted in a round (never what). A deleted account leaves the row
    without its user: the round still knows one ballot came from an account."""

    ronde = models.ForeignKey(
        Ronde,
        on_delete=models.CASCADE,
        related_name="stemmers",
        verbose_name=_("budgetronde"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budgetstemmen",
        verbose_name=_("bewoner"),
    )
    # A day, not a moment: nothing precise enough to line up with a ballot.
    voted_on = models.DateField(_("gestemd op"))

    class Meta:
        verbose_name = _("stemmer")
        verbose_name_plural = _("stemmers")
        constraints = [
            models.UniqueConstraint(
                fields=["ronde", "user"],
                condition=Q(user__isnull=False),
                name="wijkbudget_one_vote_per_account",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ronde_id}: {self.user_id}"


class StemcodeReeks(models.Model):
    """A batch of printed vote codes (one per address in the wijk)."""

    ronde = models.ForeignKey(
        Ronde,
        on_delete=models.CASCADE,
        related_name="codereeksen",
        verbose_name=_("budgetronde"),
    )
    size = models.PositiveIntegerField(_("aantal codes"))
    note = models.CharField(_("notitie"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gemaakt door"),
    )
    created_at = models.DateTimeField(_("gemaakt op"), auto_now_add=True)
    # Codes of a withdrawn batch (lost, never posted) no longer vote.
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    class Meta:
        verbose_name = _("reeks stemcodes")
        verbose_name_plural = _("reeksen stemcodes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.ronde}: {self.size}"


class Stemcode(models.Model):
    """One printed vote code, kept only as a keyed hash; usable once."""

    ronde = models.ForeignKey(
        Ronde,
        on_delete=models.CASCADE,
        related_name="stemcodes",
        verbose_name=_("budgetronde"),
    )
    reeks = models.ForeignKey(
        StemcodeReeks,
        on_delete=models.CASCADE,
        related_name="codes",
        verbose_name=_("reeks"),
    )
    code_hash = models.CharField(_("code (versleuteld)"), max_length=64, unique=True)
    used_on = models.DateField(_("gebruikt op"), null=True, blank=True)

    class Meta:
        verbose_name = _("stemcode")
        verbose_name_plural = _("stemcodes")

    def __str__(self) -> str:
        return f"{self.ronde_id}: {self.code_hash[:8]}…"


class Stembiljet(models.Model):
    """One secret ballot: a random id, its round, no voter and no time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ronde = models.ForeignKey(
        Ronde,
        on_delete=models.CASCADE,
        related_name="stembiljetten",
        verbose_name=_("budgetronde"),
    )

    class Meta:
        verbose_name = _("stembiljet")
        verbose_name_plural = _("stembiljetten")

    def __str__(self) -> str:
        return str(self.id)


class Keuze(models.Model):
    """A request chosen on a ballot (random id: no order of insertion)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    stembiljet = models.ForeignKey(
        Stembiljet,
        on_delete=models.CASCADE,
        related_name="keuzes",
        verbose_name=_("stembiljet"),
    )
    aanvraag = models.ForeignKey(
        Aanvraag,
        on_delete=models.CASCADE,
        related_name="keuzes",
        verbose_name=_("budgetaanvraag"),
    )

    class Meta:
        verbose_name = _("keuze")
        verbose_name_plural = _("keuzes")
        constraints = [
            models.UniqueConstraint(
                fields=["stembiljet", "aanvraag"], name="wijkbudget_choice_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.aanvraag_id}"


class Uitgave(models.Model):
    """Accounting for the money: what a funded initiative spent, with a receipt."""

    aanvraag = models.ForeignKey(
        Aanvraag,
        on_delete=models.CASCADE,
        related_name="uitgaven",
        verbose_name=_("budgetaanvraag"),
    )
    amount = models.DecimalField(_("bedrag in euro"), max_digits=10, decimal_places=2)
    text = models.TextField(_("waaraan"), max_length=2000)
    receipt = models.ImageField(
        _("bon"), upload_to="wijkbudget/%Y/%m/", blank=True, max_length=200
    )
    receipt_alt = models.CharField(
        _("beschrijving van de bon"), max_length=200, blank=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budgetuitgaven",
        verbose_name=_("geplaatst door"),
    )
    spent_on = models.DateField(_("datum"))
    created_at = models.DateTimeField(_("geplaatst op"), auto_now_add=True)

    class Meta:
        verbose_name = _("uitgave")
        verbose_name_plural = _("uitgaven")
        ordering = ["spent_on", "pk"]

    def __str__(self) -> str:
        return f"{self.aanvraag_id}: {self.amount}"
