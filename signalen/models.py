"""Signals: anonymous observations about a wijk, their taxonomy and the audit log.

A signal is never a case file about a person. Its text is scrubbed before it is
saved (signalen/scrubbing.py); only the scrubbed text and a count of what was
removed are stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Team
from wijken.models import Buurt, Wijk

SIGNAAL_TEXT_MAX_LENGTH = 1000
HOUSEHOLDS_MAX = 500


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
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(households_estimate__isnull=True)
                | models.Q(
                    households_estimate__gte=1, households_estimate__lte=HOUSEHOLDS_MAX
                ),
                name="signaal_households_in_range",
            ),
        ]

    def __str__(self) -> str:
        return _("Signaal %(pk)s") % {"pk": self.pk}

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


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


# --- Roll-up: wijk themes, their members, runs and pre-aggregated counts ----------------


class ThemaStatus(models.TextChoices):
    GESIGNALEERD = "gesignaleerd", _("gesignaleerd")
    ERKEND = "erkend", _("erkend")
    OPGEPAKT = "opgepakt", _("opgepakt")
    AFGEROND = "afgerond", _("afgerond")
    VERWORPEN = "verworpen", _("verworpen")


class ThemaZichtbaarheid(models.TextChoices):
    TEAM = "team", _("alleen het wijkteam")
    GEMEENTE = "gemeente", _("ook de gemeente (alleen aantallen)")
    PUBLIEK = "publiek", _("openbaar op de wijkpagina")


class ThemaTrend(models.TextChoices):
    RISING = "rising", _("stijgt")
    STABLE = "stable", _("gelijk")
    FALLING = "falling", _("daalt")


class WijkThema(models.Model):
    """A collective theme in a wijk, found by the roll-up engine from several signals.

    The engine owns the figures (size, keywords, category, trend); professionals own the
    name, the status and the visibility, which no run overwrites.
    """

    wijk = models.ForeignKey(
        Wijk, on_delete=models.PROTECT, related_name="themas", verbose_name=_("wijk")
    )
    # The engine's label (its keywords) and the name a professional chose, if any.
    label = models.CharField(_("label"), max_length=200, blank=True)
    name = models.CharField(
        _("naam"),
        max_length=120,
        blank=True,
        help_text=_("Laat leeg om de woorden van het systeem te gebruiken."),
    )
    keywords = models.JSONField(_("kernwoorden"), default=list, blank=True)
    categorie = models.ForeignKey(
        Categorie,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="themas",
        verbose_name=_("belangrijkste categorie"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ThemaStatus.choices,
        default=ThemaStatus.GESIGNALEERD,
    )
    status_reason = models.CharField(
        _("reden"),
        max_length=500,
        blank=True,
        help_text=_("Verplicht bij verwerpen."),
    )
    visibility = models.CharField(
        _("zichtbaarheid"),
        max_length=16,
        choices=ThemaZichtbaarheid.choices,
        default=ThemaZichtbaarheid.TEAM,
    )
    # Figures from the last run that kept this theme.
    size = models.PositiveIntegerField(_("aantal signalen"), default=0)
    authors = models.PositiveIntegerField(_("aantal melders"), default=0)
    trend = models.CharField(
        _("trend"),
        max_length=8,
        choices=ThemaTrend.choices,
        default=ThemaTrend.STABLE,
    )
    recent_count = models.PositiveIntegerField(_("signalen recente weken"), default=0)
    baseline_count = models.PositiveIntegerField(
        _("signalen weken daarvoor"), default=0
    )
    first_observed_on = models.DateField(_("eerste signaal"), null=True, blank=True)
    last_observed_on = models.DateField(_("laatste signaal"), null=True, blank=True)
    # True while the last run kept the theme; False once it no longer passes the
    # thresholds (too few signals in the window): it stays for the record.
    is_current = models.BooleanField(_("actueel"), default=True)
    created_at = models.DateTimeField(_("gevonden op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("bijgewerkt op"), auto_now=True)
    status_changed_at = models.DateTimeField(
        _("status gewijzigd op"), null=True, blank=True
    )
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("status gewijzigd door"),
    )
    # The public face of a theme (the collective loop): written or approved by a
    # professional, never signal text. Shown on the wijk page when visibility is
    # "publiek"; with is_call the page invites residents to start or join an initiative.
    public_title = models.CharField(_("openbare titel"), max_length=120, blank=True)
    public_text = models.TextField(_("openbare tekst"), max_length=2000, blank=True)
    is_call = models.BooleanField(_("oproep aan bewoners"), default=False)
    public_approved_at = models.DateTimeField(
        _("openbare tekst goedgekeurd op"), null=True, blank=True
    )
    public_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("openbare tekst goedgekeurd door"),
    )
    last_run = models.ForeignKey(
        "RollupRun",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("laatste run"),
    )

    class Meta:
        verbose_name = _("wijkthema")
        verbose_name_plural = _("wijkthema's")
        ordering = ["-is_current", "-size", "pk"]
        indexes = [
            models.Index(fields=["wijk", "is_current"], name="thema_wijk_current"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="verworpen") | ~models.Q(status_reason=""),
                name="thema_verworpen_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name:
            return self.name
        if self.label:
            return self.label
        return _("Thema %(pk)s") % {"pk": self.pk}

    @property
    def is_dismissed(self) -> bool:
        return self.status == ThemaStatus.VERWORPEN


class ThemaLid(models.Model):
    """A signal that belongs to a theme (as of the last run that kept the theme)."""

    thema = models.ForeignKey(
        WijkThema,
        on_delete=models.CASCADE,
        related_name="leden",
        verbose_name=_("thema"),
    )
    signaal = models.ForeignKey(
        Signaal,
        on_delete=models.CASCADE,
        related_name="thema_leden",
        verbose_name=_("signaal"),
    )
    added_at = models.DateTimeField(_("toegevoegd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("signaal in thema")
        verbose_name_plural = _("signalen in thema's")
        constraints = [
            models.UniqueConstraint(
                fields=["thema", "signaal"], name="themalid_unique"
            ),
        ]
        indexes = [models.Index(fields=["signaal"], name="themalid_signaal")]

    def __str__(self) -> str:
        return f"{self.thema_id}: {self.signaal_id}"


class ThemaGebeurtenis(models.Model):
    """What happened to a theme, by whom: the theme's history for the team."""

    class Soort(models.TextChoices):
        FOUND = "found", _("gevonden door het systeem")
        GREW = "grew", _("bijgewerkt door het systeem")
        CLOSED = "closed", _("niet meer actueel")
        REOPENED = "reopened", _("terug: flink gegroeid na verwerpen")
        STATUS = "status", _("status gewijzigd")
        RENAMED = "renamed", _("naam gewijzigd")
        VISIBILITY = "visibility", _("zichtbaarheid gewijzigd")
        LINKED = "linked", _("initiatief gekoppeld")
        UNLINKED = "unlinked", _("initiatief ontkoppeld")
        PUBLISHED = "published", _("openbare tekst gewijzigd")
        ADOPTED = "adopted", _("bewoner is trekker geworden")
        ESCALATED = "escalated", _("naar de gemeente gestuurd")
        UNPUBLISHED = "unpublished", _("niet meer openbaar gemaakt")
        PROGRESS_HIDDEN = "progress_hidden", _("voortgang verborgen")
        PROGRESS_SHOWN = "progress_shown", _("voortgang weer getoond")

    thema = models.ForeignKey(
        WijkThema,
        on_delete=models.CASCADE,
        related_name="gebeurtenissen",
        verbose_name=_("thema"),
    )
    soort = models.CharField(_("soort"), max_length=16, choices=Soort.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    detail = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("tijdstip"), auto_now_add=True)

    class Meta:
        verbose_name = _("gebeurtenis van een thema")
        verbose_name_plural = _("gebeurtenissen van thema's")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.thema_id} {self.soort}"


class RollupRun(models.Model):
    """One roll-up run for one wijk: when, what it read, what it changed, or its error."""

    class Trigger(models.TextChoices):
        INTAKE = "intake", _("na nieuwe signalen")
        NIGHTLY = "nightly", _("nachtelijke run")
        MANUAL = "manual", _("met de hand")

    class Status(models.TextChoices):
        RUNNING = "running", _("bezig")
        SUCCESS = "success", _("gelukt")
        FAILED = "failed", _("mislukt")
        ABANDONED = "abandoned", _("afgebroken (worker gestopt)")

    wijk = models.ForeignKey(
        Wijk,
        on_delete=models.CASCADE,
        related_name="rollup_runs",
        verbose_name=_("wijk"),
    )
    trigger = models.CharField(_("aanleiding"), max_length=16, choices=Trigger.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RUNNING
    )
    recluster = models.BooleanField(_("opnieuw geclusterd"), default=False)
    started_at = models.DateTimeField(_("begonnen"))
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)
    signals_read = models.PositiveIntegerField(_("signalen gelezen"), default=0)
    themes_created = models.PositiveIntegerField(_("thema's nieuw"), default=0)
    themes_updated = models.PositiveIntegerField(_("thema's bijgewerkt"), default=0)
    themes_closed = models.PositiveIntegerField(
        _("thema's niet meer actueel"), default=0
    )
    params = models.JSONField(_("instellingen"), default=dict, blank=True)
    error = models.TextField(_("fout"), blank=True)
    task_id = models.CharField(_("taak"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("roll-up-run")
        verbose_name_plural = _("roll-up-runs")
        ordering = ["-started_at", "-pk"]
        indexes = [
            models.Index(fields=["wijk", "-started_at"], name="rolluprun_wijk_started"),
        ]

    def __str__(self) -> str:
        return f"{self.wijk_id} {self.started_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def duration(self):  # type: ignore[no-untyped-def]
        if self.finished_at is None:
            return None
        return self.finished_at - self.started_at


class SignaalTelling(models.Model):
    """Pre-aggregated signal counts, so no dashboard scans raw signals.

    One row per wijk, week (Monday) and category, for three groupings:
    buurt and doelgroep both empty (all signals of the wijk), per doelgroep (a signal
    with two target groups counts once in each), and per buurt. Rebuilt for a wijk by
    every roll-up run; raw counts, never shown without the k-anonymity helper.
    """

    wijk = models.ForeignKey(
        Wijk, on_delete=models.CASCADE, related_name="+", verbose_name=_("wijk")
    )
    buurt = models.ForeignKey(
        Buurt,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("buurt"),
    )
    categorie = models.ForeignKey(
        Categorie,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("categorie"),
    )
    doelgroep = models.ForeignKey(
        Doelgroep,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("doelgroep"),
    )
    week = models.DateField(_("week (maandag)"))
    count = models.PositiveIntegerField(_("aantal"))

    class Meta:
        verbose_name = _("telling")
        verbose_name_plural = _("tellingen")
        indexes = [
            models.Index(fields=["wijk", "week"], name="telling_wijk_week"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(buurt__isnull=True)
                | models.Q(doelgroep__isnull=True),
                name="telling_one_grouping",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.wijk_id} {self.week} {self.categorie_id}: {self.count}"


# --- The collective loop: answers, residents who adopt a theme, escalations, goals ------


class ThemaInitiatief(models.Model):
    """An initiative that is (part of) the collective answer to a theme."""

    thema = models.ForeignKey(
        WijkThema,
        on_delete=models.CASCADE,
        related_name="antwoorden",
        verbose_name=_("thema"),
    )
    initiatief = models.ForeignKey(
        "initiatieven.Initiatief",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("initiatief"),
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gekoppeld door"),
    )
    note = models.CharField(_("toelichting"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("gekoppeld op"), auto_now_add=True)

    class Meta:
        verbose_name = _("initiatief bij een thema")
        verbose_name_plural = _("initiatieven bij thema's")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["thema", "initiatief"], name="thema_initiatief_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.thema_id} - {self.initiatief_id}"


class ThemaTrekker(models.Model):
    """A resident who adopted a public theme ("trekker")."""

    thema = models.ForeignKey(
        WijkThema,
        on_delete=models.CASCADE,
        related_name="trekkers",
        verbose_name=_("thema"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="getrokken_themas",
        verbose_name=_("bewoner"),
    )
    show_name = models.BooleanField(_("naam openbaar tonen"), default=False)
    created_at = models.DateTimeField(_("sinds"), auto_now_add=True)

    class Meta:
        verbose_name = _("trekker van een thema")
        verbose_name_plural = _("trekkers van thema's")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["thema", "user"], name="thema_trekker_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.thema_id} - {self.user_id}"


class ThemaVoortgang(models.Model):
    """A progress update on a public theme, by a trekker or a professional."""

    thema = models.ForeignKey(
        WijkThema,
        on_delete=models.CASCADE,
        related_name="voortgang",
        verbose_name=_("thema"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    text = models.TextField(_("tekst"), max_length=2000)
    is_hidden = models.BooleanField(_("verborgen"), default=False)
    # Why and by whom an update was hidden from the public page (kept after unhiding,
    # the theme history has every step).
    hidden_reason = models.CharField(
        _("reden van verbergen"), max_length=500, blank=True
    )
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verborgen door"),
    )
    hidden_at = models.DateTimeField(_("verborgen op"), null=True, blank=True)
    created_at = models.DateTimeField(_("geplaatst op"), auto_now_add=True)

    class Meta:
        verbose_name = _("voortgang van een thema")
        verbose_name_plural = _("voortgang van thema's")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.thema_id} {self.created_at:%Y-%m-%d}"


class EscalatieStatus(models.TextChoices):
    VERSTUURD = "verstuurd", _("verstuurd")
    ONTVANGEN = "ontvangen", _("ontvangen")
    IN_BEHANDELING = "in_behandeling", _("in behandeling")
    BEANTWOORD = "beantwoord", _("beantwoord")


class Escalatie(models.Model):
    """A "beleidssignaal": a team sends a theme to the gemeente with its argument and a
    frozen, k-anonymous evidence snapshot; the officer acknowledges and answers."""

    thema = models.ForeignKey(
        WijkThema,
        on_delete=models.PROTECT,
        related_name="escalaties",
        verbose_name=_("thema"),
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("wijkteam")
    )
    wijk = models.ForeignKey(
        Wijk, on_delete=models.PROTECT, related_name="+", verbose_name=_("wijk")
    )
    title = models.CharField(_("titel"), max_length=160)
    argument = models.TextField(_("onderbouwing"), max_length=5000)
    request = models.TextField(_("wat vraagt het team"), max_length=2000, blank=True)
    # Frozen when sent: k-anonymous counts, trend, target groups, linked initiatives.
    snapshot = models.JSONField(_("bewijs (bevroren)"), default=dict)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EscalatieStatus.choices,
        default=EscalatieStatus.VERSTUURD,
    )
    answer = models.TextField(
        _("antwoord van de gemeente"), max_length=5000, blank=True
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("verstuurd door"),
    )
    sent_at = models.DateTimeField(_("verstuurd op"))
    received_at = models.DateTimeField(_("ontvangen op"), null=True, blank=True)
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("behandeld door"),
    )
    last_reminder_at = models.DateTimeField(
        _("laatste herinnering"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("beleidssignaal")
        verbose_name_plural = _("beleidssignalen")
        ordering = ["-sent_at", "-pk"]
        indexes = [
            models.Index(fields=["wijk", "status"], name="escalatie_wijk_status"),
        ]

    def __str__(self) -> str:
        return self.title


class EscalatieGebeurtenis(models.Model):
    """The shared timeline of an escalation: status changes and messages."""

    escalatie = models.ForeignKey(
        Escalatie,
        on_delete=models.CASCADE,
        related_name="gebeurtenissen",
        verbose_name=_("beleidssignaal"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=EscalatieStatus.choices, blank=True
    )
    text = models.TextField(_("bericht"), max_length=5000, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    created_at = models.DateTimeField(_("tijdstip"), auto_now_add=True)

    class Meta:
        verbose_name = _("stap van een beleidssignaal")
        verbose_name_plural = _("stappen van beleidssignalen")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.escalatie_id} {self.status}"


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
