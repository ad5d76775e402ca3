from __future__ import annotations

from django.apps import AppConfig


class BuurtwijsConfig(AppConfig):
    name = "buurtwijs"
    verbose_name = "Buurtwijs"

    def ready(self) -> None:
        from buurtwijs import (
            checks,  # noqa: F401  (registers the deploy checks)
            forms_text,
            representation_sources,
        )

        forms_text.install()
        representation_sources.install()
