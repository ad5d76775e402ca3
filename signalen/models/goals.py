"""Wijk goals agreed between gemeente and team, progress and comments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Team
from signalen.models.taxonomy import Doelgroep
from signalen.models.themes import WijkThema
from wijken.models import Wijk


class DoelRichting(models.TextChoices):
    """Which way a goal counts: up to a target (more volunteers) or down to it (fewer
    people on a waiting list)."""

    OMHOOG = "omhoog", _("omhoog: meer is beter")
    OMLAAG = "omlaag", _("omlaag: minder is beter")


class WijkDoel(models.Model):
    """A wijk goal ("opdracht"): a measurable target agreed between gemeente and team.
    It counts up (the target is above the start value) or down (below it)."""

    wijk = models.ForeignKey(
        Wijk, on_delete=models.PROTECT, related_name="doelen", verbose_name=_("wijk")
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="doelen",
        verbose_name=_("wijkteam"),
    )
    title = models.CharField(_("doel"), max_length=200)
    doelgroep = models.ForeignKey(
        Doelgroep,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("doelgroep"),
    )
    indicator = models.CharField(
        _("wat tellen we"),
        max_length=200,
        help_text=_("Bijvoorbeeld: bewoners die vrijwilligerswerk doen."),
    )
    direction = models.CharField(
        _("richting"),
        max_length=8,
        choices=DoelRichting.choices,
        default=DoelRichting.OMHOOG,
    )
    start_value = models.PositiveIntegerField(_("beginstand"), default=0)
    target_value = models.PositiveIntegerField(_("doel (aantal)"))
    start_date = models.DateField(_("begindatum"))
    deadline = models.DateField(_("klaar op"))
    thema = models.ForeignKey(
        WijkThema,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="doelen",
        verbose_name=_("bij thema"),
    )
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("afgesproken met (gemeente)"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )
    is_closed = models.BooleanField(_("afgesloten"), default=False)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("wijkdoel")
        verbose_name_plural = _("wijkdoelen")
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline__gt=models.F("start_date")),
                name="wijkdoel_deadline_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class DoelVoortgang(models.Model):
    """A dated progress entry on a wijk goal, by the team."""

    doel = models.ForeignKey(
        WijkDoel,
        on_delete=models.CASCADE,
        related_name="voortgang",
        verbose_name=_("doel"),
    )
    date = models.DateField(_("datum"))
    value = models.PositiveIntegerField(_("stand"))
    note = models.CharField(_("toelichting"), max_length=500, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("door"),
    )
    created_at = models.DateTimeField(_("ingevoerd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("voortgang van een doel")
        verbose_name_plural = _("voortgang van doelen")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.doel_id} {self.date}: {self.value}"


class DoelReactie(models.Model):
    """A dated comment on a wijk goal (or on one of its progress entries): the officer
    of the gemeente responds, the team answers. Both sides see it on the goal's
    timeline."""

    doel = models.ForeignKey(
        WijkDoel,
        on_delete=models.CASCADE,
        related_name="reacties",
        verbose_name=_("doel"),
    )
    voortgang = models.ForeignKey(
        DoelVoortgang,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reacties",
        verbose_name=_("bij de stand van"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("door"),
    )
    # The side the author spoke for, kept so the timeline stays right when the
    # author's account changes or is removed.
    from_gemeente = models.BooleanField(_("van de gemeente"), default=False)
    text = models.TextField(_("reactie"), max_length=2000)
    created_at = models.DateTimeField(_("geplaatst op"), auto_now_add=True)

    class Meta:
        verbose_name = _("reactie op een doel")
        verbose_name_plural = _("reacties op doelen")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.doel_id} {self.created_at:%Y-%m-%d}"
