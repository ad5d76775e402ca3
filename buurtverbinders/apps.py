from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BuurtverbindersConfig(AppConfig):
    name = "buurtverbinders"
    verbose_name = _("Buurtverbinders")

    def ready(self) -> None:
        # The team report (signalen, a layer below) counts the connectors' work through
        # a plug-in, as the dashboard plugs its wijk page into the engine's runs.
        from buurtverbinders import queries
        from signalen.goals.report import report_section_add

        report_section_add(queries.report_section)
        # "Waar kan iemand terecht?" shows that the wijk has connectors (no names).
        from buurtverbinders import terecht

        terecht.register()
