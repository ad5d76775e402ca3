from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiatievenConfig(AppConfig):
    name = "initiatieven"
    verbose_name = _("Initiatieven")

    def ready(self) -> None:
        from initiatieven import models
        from wijken import generations

        # What the dashboards show of a wijk changes with these rows (see
        # wijken/generations.py); following, notices, reports and what is said in
        # an initiative do not change any figure.
        quiet = {
            models.Volger,
            models.Meldingsvoorkeur,
            models.Notificatie,
            models.Melding,
            models.Bericht,
            models.Bijeenkomst,
            models.Afspraak,
        }
        generations.connect([models.Thema], everything=True)
        generations.connect(
            [m for m in self.get_models() if m not in quiet | {models.Thema}],
            domain="initiatieven",
        )
