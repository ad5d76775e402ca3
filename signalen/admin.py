"""Beheerders manage the taxonomy. Signals and the audit log are read-only here, and
signal text is never shown in a list."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from signalen.models import AuditEntry, Bron, Categorie, Doelgroep, Signaal


class TaxonomyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "code", "is_active", "order"]
    list_editable = ["is_active", "order"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]
    ordering = ["order", "name"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A code is stable once signals use it: exports and the roll-up refer to it.
        if obj is not None and obj.signalen.exists():
            return ["code"]
        return []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Retire an entry instead (is_active off); used entries must stay.
        if obj is not None and obj.signalen.exists():
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> Any:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


admin.site.register(Categorie, TaxonomyAdmin)
admin.site.register(Doelgroep, TaxonomyAdmin)
admin.site.register(Bron, TaxonomyAdmin)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return False


@admin.register(Signaal)
class SignaalAdmin(ReadOnlyAdmin):
    # No text in the list: a beheerder manages the platform, not the team's signals.
    list_display = [
        "pk",
        "wijk",
        "categorie",
        "bron",
        "observed_on",
        "team",
        "withdrawn_at",
    ]
    list_filter = ["categorie", "bron", "withdrawn_at"]
    list_select_related = ["wijk", "categorie", "bron", "team"]
    date_hierarchy = "created_at"
    exclude = ["text"]
    readonly_fields = [
        "wijk",
        "buurt",
        "categorie",
        "doelgroepen",
        "bron",
        "scrub_summary",
        "households_estimate",
        "observed_on",
        "team",
        "created_at",
        "updated_at",
        "text_wiped_at",
        "withdrawn_at",
        "withdrawn_reason",
    ]

    def has_view_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return bool(request.user.is_superuser) and super().has_view_permission(
            request, obj
        )


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "action", "wijk", "signaal_id"]
    list_filter = ["action"]
    list_select_related = ["actor", "wijk"]
    date_hierarchy = "created_at"
    search_fields = ["actor__email"]
    readonly_fields = ["created_at", "actor", "action", "signaal", "wijk", "detail"]
