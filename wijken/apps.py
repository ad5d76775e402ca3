from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WijkenConfig(AppConfig):
    name = "wijken"
    verbose_name = _("Wijken en buurten")

    def ready(self) -> None:
        from wijken import generations, models

        # Geography and CBS figures reach every page (see wijken/generations.py).
        generations.connect(
            [models.Gemeente, models.Wijk, models.Buurt, models.Kerncijfers],
            everything=True,
        )
        # The wijkteam's contact and places belong to one wijk.
        generations.connect([models.WijkteamContact, models.Plek], domain="plekken")
