"""Signals and the audit log of who read them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Team
from signalen.models.taxonomy import Bron, Categorie, Doelgroep
from wijken.models import Buurt, Wijk

SIGNAAL_TEXT_MAX_LENGTH = 1000


HOUSEHOLDS_MAX = 500


class Signaal(models.Model):
    wijk = models.ForeignKey(
        Wijk,
        on_delete=models.PROTECT,
        related_name="signalen",
        verbose_name=_("wijk"),
    )
    buurt = models.ForeignKey(
        Buurt,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signalen",
        verbose_name=_("buurt"),
    )
    categorie = models.ForeignKey(
        Categorie,
        on_delete=models.PROTECT,
        related_name="signalen",
        verbose_name=_("categorie"),
    )
    doelgroepen = models.ManyToManyField(
        Doelgroep,
        blank=True,
        related_name="signalen",
        verbose_name=_("doelgroepen"),
    )
    bron = models.ForeignKey(
        Bron,
        on_delete=models.PROTECT,
        related_name="signalen",
        verbose_name=_("bron"),
    )
    # Scrubbed text only. Blank once the retention period has passed.
    text = models.TextField(
        _("beschrijving"), max_length=SIGNAAL_TEXT_MAX_LENGTH, blank=True
    )
    text_wiped_at = models.DateTimeField(_("tekst gewist op"), null=True, blank=True)
    # While the scrubber is unreachable the typed text waits here, encrypted
    # (signalen.intake.sealing), never in plain text; the worker scrubs it into `text`
    # and clears this. `text` stays blank until then.
    text_sealed = models.BinaryField(null=True, blank=True, editable=False)
    # A database default too: rows written in bulk outside the ORM (COPY in the
    # benchmarks, restores) are scrubbed ones.
    scrub_pending = models.BooleanField(
        _("wordt nog geanonimiseerd"), default=False, db_default=False, db_index=True
    )
    # The form's one-time token: a post sent twice (a retry on a slow connection)
    # saves one signal.
    intake_token = models.UUIDField(null=True, blank=True, editable=False)
    # What the scrubber removed, as kind -> count; never the removed text itself.
    scrub_summary = models.JSONField(
        _("verwijderd uit tekst"), default=dict, blank=True
    )
    households_estimate = models.PositiveSmallIntegerField(
        _("geschat aantal huishoudens"), null=True, blank=True
    )
    observed_on = models.DateField(_("gezien op"))
    # SET_NULL: when a professional leaves, their signals stay, without a name.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signalen",
        verbose_name=_("gemeld door"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="signalen",
        verbose_name=_("wijkteam"),
    )
    created_at = models.DateTimeField(_("gemeld op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    withdrawn_reason = models.CharField(
        _("reden van intrekken"), max_length=200, blank=True
    )

    class Meta:
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["wijk", "observed_on"], name="signaal_wijk_observed"),
            models.Index(fields=["team", "created_at"], name="signaal_team_created"),
            # What changed in a wijk since its last roll-up (signalen.themes
            # .increments): an index range per kind of change, not a scan of the wijk.
            models.Index(fields=["wijk", "created_at"], name="signaal_wijk_created"),
            models.Index(fields=["wijk", "updated_at"], name="signaal_wijk_updated"),
            models.Index(
                fields=["wijk", "withdrawn_at"],
                name="signaal_wijk_withdrawn",
                condition=models.Q(withdrawn_at__isnull=False),
            ),
            models.Index(
                fields=["wijk", "text_wiped_at"],
                name="signaal_wijk_wiped",
                condition=models.Q(text_wiped_at__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(households_estimate__isnull=True)
                | models.Q(
                    households_estimate__gte=1, households_estimate__lte=HOUSEHOLDS_MAX
                ),
                name="signaal_households_in_range",
            ),
            models.UniqueConstraint(
                fields=["author", "intake_token"],
                condition=models.Q(intake_token__isnull=False),
                name="signaal_intake_token_once",
            ),
        ]

    def __str__(self) -> str:
        return _("Signaal %(pk)s") % {"pk": self.pk}

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class SignaalFeit(models.Model):
    """What one signal adds to the counts outside the team (#15): its wijk, buurt,
    category and target groups, in the 4-week block in which it was LOGGED (the week
    of `created_at` in Europe/Amsterdam), never the date it was seen.

    Written when the signal is saved and kept in step with edits and withdrawal while
    its block is still running (signalen.intake.facts); once the block is over the
    row never changes and is never deleted, whatever happens to the signal afterwards
    (an edit, withdrawal, deletion, the retention job, an account that goes). So a
    block, once published outside the team, never moves. No text, no author, no team:
    the link to the signal is only there to follow it while its block runs.
    """

    signaal = models.OneToOneField(
        Signaal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feit",
        verbose_name=_("signaal"),
    )
    wijk = models.ForeignKey(
        Wijk, on_delete=models.PROTECT, related_name="+", verbose_name=_("wijk")
    )
    buurt = models.ForeignKey(
        Buurt,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("buurt"),
    )
    categorie = models.ForeignKey(
        Categorie,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("categorie"),
    )
    doelgroepen = models.ManyToManyField(
        Doelgroep, blank=True, related_name="+", verbose_name=_("doelgroepen")
    )
    # The Monday of the week in which the signal was logged.
    week = models.DateField(_("gemeld in week (maandag)"))

    class Meta:
        verbose_name = _("telfeit")
        verbose_name_plural = _("telfeiten")
        indexes = [
            models.Index(fields=["wijk", "week"], name="feit_wijk_week"),
        ]

    def __str__(self) -> str:
        return f"{self.wijk_id} {self.week} {self.categorie_id}"


class AuditAction(models.TextChoices):
    LIST = "list", _("lijst bekeken")
    VIEW = "view", _("signaal bekeken")
    CREATE = "create", _("signaal gemeld")
    EDIT = "edit", _("signaal gewijzigd")
    WITHDRAW = "withdraw", _("signaal ingetrokken")
    EXPORT = "export", _("geëxporteerd")


class AuditEntry(models.Model):
    """Who listed, viewed, changed or exported signals. Append-only: the code never
    updates or deletes a row, and the admin offers no way to."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="signaal_audit_entries",
        verbose_name=_("door"),
    )
    action = models.CharField(
        _("handeling"), max_length=16, choices=AuditAction.choices
    )
    signaal = models.ForeignKey(
        Signaal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
        verbose_name=_("signaal"),
    )
    wijk = models.ForeignKey(
        Wijk,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signaal_audit_entries",
        verbose_name=_("wijk"),
    )
    detail = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog signalen")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"
