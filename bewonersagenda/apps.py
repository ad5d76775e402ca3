from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BewonersagendaConfig(AppConfig):
    name = "bewonersagenda"
    verbose_name = _("Bewonersagenda")
