from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from accounts.models import User

        # The public API caches answers that name people (organisers of initiatives):
        # a changed name or a removed account renews their generation
        # (wijken/generations.py). A save that names its fields and leaves the name
        # alone (the last login) changes nothing shown. (The dispatch_uid keeps the
        # name it had when this lived in dashboard/.)
        post_save.connect(
            _names_changed, sender=User, dispatch_uid="dashboard.names:save"
        )
        post_delete.connect(
            _names_changed, sender=User, dispatch_uid="dashboard.names:delete"
        )


def _names_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    from wijken import generations

    if kwargs.get("raw"):
        return
    fields = kwargs.get("update_fields")
    if fields is not None and "display_name" not in fields:
        return
    generations.bump_names()
