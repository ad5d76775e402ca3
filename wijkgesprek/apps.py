from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WijkgesprekConfig(AppConfig):
    name = "wijkgesprek"
    verbose_name = _("Wijkgesprek")
