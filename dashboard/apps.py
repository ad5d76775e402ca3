from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self) -> None:
        from dashboard import views
        from signalen.themes.queries import after_run_prepare

        # After a roll-up run the officer's wijk dashboard is made ahead, in the
        # worker, so the first officer after the run (after every signal) finds it.
        after_run_prepare(views.wijk_prepare)
