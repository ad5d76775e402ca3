from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignalenConfig(AppConfig):
    name = "signalen"
    verbose_name = _("Signalen")

    def ready(self) -> None:
        from signalen import models
        from signalen.intake.warmup import start_with_server
        from wijken import generations

        # What the dashboards show of a wijk changes with these rows (see
        # wijken/generations.py). Members and counts are written in bulk by a roll-up
        # run, which renews the generation itself; the audit log changes nothing shown.
        # Facts and counts of a block that is still running: nothing outside the team
        # shows them until the block is over (signalen.intake.facts).
        quiet = {
            models.AuditEntry,
            models.ThemaLid,
            models.SignaalTelling,
            models.SignaalFeit,
        }
        taxonomy = {models.Categorie, models.Doelgroep, models.Bron}
        runs = {models.RollupRun}
        generations.connect(
            [
                m
                for m in self.get_models()
                if m not in quiet | taxonomy | runs | {models.Signaal}
            ]
        )
        # A run changes which signals are in which theme (so the theme counts).
        generations.connect(runs, domain="leden")
        generations.connect(taxonomy, everything=True)
        # A withdrawn signal leaves the theme counts at once, before the next run.
        generations.connect(
            [models.Signaal],
            deletes=False,
            domain=lambda signaal: "leden" if signaal.withdrawn_at else "",
        )
        # The confirm page of the quick-log form suggests the wijk's closest themes:
        # the themes package plugs into intake (which may not import it).
        from signalen.intake import views as intake_views
        from signalen.themes.correction_views import suggestion_context

        if suggestion_context not in intake_views.CONFIRM_PANELS:
            intake_views.CONFIRM_PANELS.append(suggestion_context)
        # The embedded demo's server loads the scrubber in a thread (intake/warmup.py).
        start_with_server()
