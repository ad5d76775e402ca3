from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WijkbudgetConfig(AppConfig):
    name = "wijkbudget"
    verbose_name = _("Wijkbudget")
