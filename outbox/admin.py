"""The outbox in the admin, read only: what waits, what was given up."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from outbox.models import OutboxTask


@admin.register(OutboxTask)
class OutboxTaskAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "name",
        "created_at",
        "sent",
        "runs",
        "started_at",
        "due_at",
        "done_at",
        "gave_up",
    ]
    list_filter = ["gave_up", "name"]
    # The arguments may hold names (taking them out of open data): not shown.
    exclude = ["args", "kwargs"]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [f.name for f in OutboxTask._meta.fields if f.name not in self.exclude]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
