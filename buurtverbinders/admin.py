"""The admin lists roles, matches and the log (no consent texts to edit)."""

from django.contrib import admin

from buurtverbinders.models import Koppeling, Logregel, Verbinder


@admin.register(Verbinder)
class VerbinderAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "wijk", "granted_at", "revoked_at")
    list_filter = ("revoked_at",)
    raw_id_fields = ("user", "wijk", "granted_by", "revoked_by")


@admin.register(Koppeling)
class KoppelingAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("pk", "wijk", "status", "created_at", "matched_at")
    list_filter = ("status",)
    raw_id_fields = ("wijk", "behoefte", "helper", "verbinder", "need_confirmed_by")


@admin.register(Logregel)
class LogregelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("wijk", "kind", "date", "created_at")
    list_filter = ("kind",)
    raw_id_fields = ("wijk", "verbinder")
