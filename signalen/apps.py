from django.apps import AppConfig
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

# The part of a wijk (wijken.generations.PARTS) that the rows of each models module
# belong to.
PARTS_BY_MODULE = {
    "signalen.models.themes": "themas",
    "signalen.models.answers": "themas",
    "signalen.models.escalations": "beleidssignalen",
    "signalen.models.goals": "doelen",
}


def _part_of(instance: Model) -> str:
    """A row's part of its wijk; "" (every part) for a module not named above."""
    return PARTS_BY_MODULE.get(type(instance).__module__, "")


class SignalenConfig(AppConfig):
    name = "signalen"
    verbose_name = _("Signalen")

    def ready(self) -> None:
        from signalen import models
        from signalen.intake.warmup import start_with_server
        from wijken import generations

        # What the dashboards show of a wijk changes with these rows (see
        # wijken/generations.py), each in its own part of the wijk. Members and counts
        # are written in bulk by a roll-up run, which renews the generation itself;
        # the audit log, the stored vectors and the debounce change nothing shown.
        # Facts and counts of a block that is still running: nothing outside the team
        # shows them until the block is over (signalen.intake.facts).
        quiet = {
            models.AuditEntry,
            models.ThemaLid,
            models.SignaalTelling,
            models.SignaalFeit,
            models.ThemaBlokTelling,
            models.ThemaGepubliceerd,
            models.SignaalVector,
            models.RollupPending,
            # Taps go to the running block, which nothing outside the team shows.
            models.InformeleHulpTelling,
        }
        taxonomy = {models.Categorie, models.Doelgroep, models.Bron}
        runs = {models.RollupRun}
        generations.connect(
            [
                m
                for m in self.get_models()
                if m not in quiet | taxonomy | runs | {models.Signaal}
            ],
            domain=_part_of,
        )
        # A run changes which signals are in which theme and its freshness shows
        # with the themes; a run renews its other parts when it ends
        # (signalen.themes.blocks.rollup_finished).
        generations.connect(runs, domain=lambda run: ("themas", "leden"))
        generations.connect(taxonomy, everything=True)
        # A signal changes the wijk's signal counts; a withdrawn one leaves the theme
        # counts at once, before the next run.
        generations.connect(
            [models.Signaal],
            deletes=False,
            domain=lambda signaal: (
                ("signalen", "leden") if signaal.withdrawn_at else ("signalen",)
            ),
        )
        # The confirm page of the quick-log form suggests the wijk's closest themes:
        # the themes package plugs into intake (which may not import it).
        from signalen.intake import views as intake_views
        from signalen.themes.correction_views import suggestion_context

        if suggestion_context not in intake_views.CONFIRM_PANELS:
            intake_views.CONFIRM_PANELS.append(suggestion_context)
        # ... and what already exists for the signal's category and target groups.
        from signalen.terecht.views import confirm_panel

        if confirm_panel not in intake_views.CONFIRM_PAGE_PANELS:
            intake_views.CONFIRM_PAGE_PANELS.append(confirm_panel)
        # The embedded demo's server loads the scrubber in a thread (intake/warmup.py).
        start_with_server()
