from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeilingenConfig(AppConfig):
    name = "peilingen"
    verbose_name = _("Wijkpeilingen")

    def ready(self) -> None:
        # The embedded demo's scrubber thread (signalen/intake/warmup.py) scrubs open
        # answers saved sealed while it loaded, as it does for signals; signalen may
        # not import this app, so the app plugs itself in.
        from peilingen.services import pending_answers_scrub
        from signalen.intake import warmup

        if pending_answers_scrub not in warmup.AFTER_READY:
            warmup.AFTER_READY.append(pending_answers_scrub)
