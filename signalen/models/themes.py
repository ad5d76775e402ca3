"""Themes the roll-up finds, their members and history, runs and pre-aggregated counts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from signalen.models.signals import Signaal
from signalen.models.taxonomy import Categorie, Doelgroep
from wijken.models import Buurt, Wijk


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
        """The name inside the team: the team's own, else the engine's words (no
        name-like word), else a number. Outside the team: `outside_name`."""
        from signalen.naming import team_label

        if self.name:
            return self.name
        label = team_label(self)
        if label:
            return label
        return _("Thema %(pk)s") % {"pk": self.pk}

    @property
    def outside_name(self) -> str:
        """The name anyone outside the team may read: only a name a professional
        wrote (scrubbed), never the engine's words."""
        from signalen.naming import outside_name

        return outside_name(self)

    @property
    def team_keywords(self) -> list[str]:
        """The engine's keywords the team may see (no name-like word)."""
        from signalen.naming import team_keywords

        return team_keywords(self.keywords or [])

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
        ATTACHED = "attached", _("signaal gekoppeld")
        MOVED_IN = "moved_in", _("signaal hierheen verplaatst")
        MOVED_OUT = "moved_out", _("signaal naar ander thema verplaatst")
        NOT_BELONG = "not_belong", _("signaal hoort er niet bij")
        MERGED = "merged", _("thema's samengevoegd")
        SPLIT = "split", _("thema gesplitst")
        PROPOSED = "proposed", _("openbare tekst voorgesteld")
        REJECTED = "rejected", _("openbare tekst afgewezen")

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

    class Mode(models.TextChoices):
        # What the run looked at (signalen/themes/runs.py, "Three kinds of run").
        FULL = "full", _("alle signalen van de wijk")
        INCREMENTAL = "incremental", _("alleen nieuwe en gewijzigde signalen")
        SKIPPED = "skipped", _("overgeslagen: niets veranderd")

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
    mode = models.CharField(
        _("soort run"), max_length=16, choices=Mode.choices, default=Mode.FULL
    )
    # New, changed, withdrawn or expired signals the run took in (incremental runs);
    # their sum since the last full run decides when the next run is a full one.
    signals_changed = models.PositiveIntegerField(
        _("signalen nieuw of gewijzigd"), default=0
    )
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
    # Set while the run works (every ROLLUP_HEARTBEAT_SECONDS); a running run whose
    # heartbeat is older than ROLLUP_HEARTBEAT_STALE_SECONDS was killed (the beat sweep
    # marks it abandoned).
    heartbeat_at = models.DateTimeField(
        _("laatste teken van leven"), null=True, blank=True
    )
    # The token of the wijk's lock this run holds: once the run is no longer running
    # (abandoned after its worker was killed), the next run may break that lock
    # instead of waiting ROLLUP_LOCK_TTL for it to expire (signalen/themes/runs.py).
    lock_token = models.CharField(_("slot"), max_length=32, blank=True)

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


class RollupPending(models.Model):
    """A roll-up of this wijk is due (new or withdrawn signals): the durable debounce.

    One row per wijk, written after intake commits; the first signal of a burst sets
    `due_at`, the rest find the row. The run that starts deletes it (the countdown
    task or the beat sweep, whichever comes first; the other finds nothing to do), so
    a task lost with a worker or a broker is caught up within a minute of `due_at`.
    """

    wijk = models.OneToOneField(
        Wijk,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("wijk"),
    )
    due_at = models.DateTimeField(_("gepland om"), db_index=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("geplande roll-up")
        verbose_name_plural = _("geplande roll-ups")

    def __str__(self) -> str:
        return f"{self.wijk_id} {self.due_at:%Y-%m-%d %H:%M}"


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


class ThemaBlokTelling(models.Model):
    """Per wijk: the members of its current themes per 4-week block, so the officer's
    page and the public pages read a theme's sparkline and size in one query instead
    of joining the members with their signals.

    Written at the end of every roll-up run and after every correction of the
    members (`signalen.themes.page.theme_blocks_write`); deleted when a signal of the
    wijk is withdrawn or edited, until the run that this schedules writes it again
    (the readers count live meanwhile). Raw counts of signals not withdrawn, by the
    block of their `observed_on`; never shown without the k-anonymity helper.
    """

    wijk = models.OneToOneField(
        Wijk,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("wijk"),
    )
    # {theme pk: {first Monday of the block (ISO): members}}, every current theme of
    # the wijk (an empty one too), every block with members.
    counts = models.JSONField(_("aantallen per thema en blok"), default=dict)
    written_at = models.DateTimeField(_("geschreven op"))

    class Meta:
        verbose_name = _("telling van thema's per blok")
        verbose_name_plural = _("tellingen van thema's per blok")

    def __str__(self) -> str:
        return f"{self.wijk_id} {self.written_at:%Y-%m-%d %H:%M}"


class ThemaGepubliceerd(models.Model):
    """Per theme: its members per 4-week block as they were first shown outside the
    team, written once a block is over and never written again (#15 item 4).

    Roll-up runs, the team's corrections (merge, split, move) and the 180-day window
    change a theme's members, so counting them again would move a block that officers,
    residents, the API and the open data already read. Outside the team a theme's
    figures are therefore only these: the first reader after a block is over (or the
    run) adds that block, counted in the block in which each signal was LOGGED (its
    SignaalFeit), and `through` moves on. Blocks before `through` that have no key
    were 0. Raw counts; never shown without the k-anonymity helper
    (signalen.themes.queries)."""

    thema = models.OneToOneField(
        WijkThema,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="gepubliceerd",
        verbose_name=_("thema"),
    )
    # The first Monday of the first block that is not in `counts` yet: every block
    # before it is final.
    through = models.DateField(_("vast tot"))
    # {first Monday of the block (ISO): members}, blocks with members only.
    counts = models.JSONField(_("aantallen per blok"), default=dict)
    published_at = models.DateTimeField(_("laatst aangevuld op"))

    class Meta:
        verbose_name = _("vaste telling van een thema")
        verbose_name_plural = _("vaste tellingen van thema's")

    def __str__(self) -> str:
        return f"{self.thema_id} < {self.through}"


class ThemaActie(models.Model):
    """What a professional did with a signal and a theme; every later run keeps it
    (signalen.themes.rollup.constraints). One row per signal and action."""

    class Soort(models.TextChoices):
        ATTACH = "attach", _("gekoppeld")
        MOVE = "move", _("verplaatst")
        NOT_BELONG = "not_belong", _("hoort er niet bij")
        MERGE = "merge", _("samengevoegd")
        SPLIT = "split", _("afgesplitst")

    signaal = models.ForeignKey(
        Signaal,
        on_delete=models.CASCADE,
        related_name="thema_acties",
        verbose_name=_("signaal"),
    )
    thema = models.ForeignKey(
        WijkThema,
        on_delete=models.CASCADE,
        related_name="acties",
        verbose_name=_("thema"),
    )
    from_thema = models.ForeignKey(
        WijkThema,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("van thema"),
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
    created_at = models.DateTimeField(_("tijdstip"), auto_now_add=True)

    class Meta:
        verbose_name = _("actie op een thema")
        verbose_name_plural = _("acties op thema's")
        ordering = ["pk"]
        indexes = [models.Index(fields=["thema"], name="themaactie_thema")]

    def __str__(self) -> str:
        return f"{self.signaal_id} {self.soort} {self.thema_id}"
