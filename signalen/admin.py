"""Beheerders manage the taxonomy. Signals and the audit log are read-only here, and
signal text is never shown in a list. Every look at signals here (the list, one
signal, its history) is written to the audit log, like the team's own pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from signalen.intake.services import audit_log
from signalen.models import (
    AuditAction,
    AuditEntry,
    Bron,
    Categorie,
    Doelgroep,
    RollupRun,
    Signaal,
    ThemaGebeurtenis,
    WijkThema,
)


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

    # Audit: written only for a page that was shown (200), so a refused or redirected
    # request leaves no entry, and never for the row's text (the admin has none).

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if response.status_code == 200 and changelist is not None:
            _admin_audit(
                request,
                action=AuditAction.LIST,
                detail={
                    "filters": {
                        key: request.GET.get(key, "") for key in sorted(request.GET)
                    },
                    "page": changelist.page_num + 1,
                    "rows": len(changelist.result_list),
                    "total": changelist.result_count,
                },
            )
        return response

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        self._audit_one(request, object_id, response, page="change")
        return response

    def history_view(
        self,
        request: HttpRequest,
        object_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().history_view(request, object_id, extra_context)
        self._audit_one(request, object_id, response, page="history")
        return response

    def _audit_one(
        self, request: HttpRequest, object_id: str, response: HttpResponse, page: str
    ) -> None:
        if response.status_code != 200:
            return
        signaal = self.get_object(request, unquote(object_id))
        if signaal is not None:
            _admin_audit(
                request, action=AuditAction.VIEW, signaal=signaal, detail={"page": page}
            )


def _admin_audit(
    request: HttpRequest,
    *,
    action: str,
    detail: dict[str, Any],
    signaal: Signaal | None = None,
) -> None:
    audit_log(
        actor=request.user,  # type: ignore[arg-type]
        action=action,
        signaal=signaal,
        detail={"source": "admin", **detail},
    )


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "action", "wijk", "signaal_id"]
    list_filter = ["action"]
    list_select_related = ["actor", "wijk"]
    date_hierarchy = "created_at"
    search_fields = ["actor__email"]
    readonly_fields = ["created_at", "actor", "action", "signaal", "wijk", "detail"]


# --- Roll-up: runs and themes -------------------------------------------------------------
# Read-only: runs are a record; a theme's name, status and visibility are changed by the
# team (with an event in its history), never here. No signal text anywhere: a theme
# shows its engine keywords and figures, not its members.


@admin.register(RollupRun)
class RollupRunAdmin(ReadOnlyAdmin):
    list_display = [
        "wijk",
        "trigger",
        "mode",
        "status",
        "started_at",
        "run_duration",
        "signals_read",
        "signals_changed",
        "themes_created",
        "themes_updated",
        "themes_closed",
        "short_error",
    ]
    list_filter = ["status", "trigger", "mode", "recluster"]
    list_select_related = ["wijk"]
    date_hierarchy = "started_at"
    search_fields = ["wijk__code", "wijk__name", "task_id"]
    fields = readonly_fields = (
        "wijk",
        "trigger",
        "status",
        "recluster",
        "started_at",
        "finished_at",
        "run_duration",
        "signals_read",
        "themes_created",
        "themes_updated",
        "themes_closed",
        "params",
        "error",
        "task_id",
    )

    @admin.display(description=_("duur"))
    def run_duration(self, obj: RollupRun) -> str:
        duration = obj.duration
        if duration is None:
            return "-"
        return f"{duration.total_seconds():.1f} s"

    @admin.display(description=_("fout"))
    def short_error(self, obj: RollupRun) -> str:
        return Truncator(obj.error).chars(80)


class ThemaGebeurtenisInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ThemaGebeurtenis
    fields = readonly_fields = ("created_at", "soort", "actor", "detail")
    extra = 0
    can_delete = False
    ordering = ["-created_at", "-pk"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WijkThema)
class WijkThemaAdmin(ReadOnlyAdmin):
    list_display = [
        "wijk",
        "display_name",
        "status",
        "visibility",
        "size",
        "authors",
        "trend",
        "is_current",
        "updated_at",
    ]
    list_filter = ["is_current", "status", "visibility", "trend", "categorie"]
    list_select_related = ["wijk", "categorie"]
    search_fields = ["wijk__code", "wijk__name", "name", "label"]
    inlines = [ThemaGebeurtenisInline]
    # The members (ThemaLid) are deliberately absent: they would lead to signal text.
    fields = readonly_fields = (
        "wijk",
        "display_name",
        "name",
        "label",
        "keywords",
        "categorie",
        "status",
        "status_reason",
        "visibility",
        "size",
        "authors",
        "trend",
        "recent_count",
        "baseline_count",
        "first_observed_on",
        "last_observed_on",
        "is_current",
        "created_at",
        "updated_at",
        "status_changed_at",
        "status_changed_by",
        "last_run",
    )

    @admin.display(description=_("naam"))
    def display_name(self, obj: WijkThema) -> str:
        return str(obj.display_name)


# --- Beleidssignalen (signalen/escalations/services.py) -----------------------------------------
# Imported here, not at the top, to keep this section self-contained.
from signalen.models import Escalatie, EscalatieGebeurtenis  # noqa: E402


class EscalatieGebeurtenisInline(admin.TabularInline):  # type: ignore[type-arg]
    model = EscalatieGebeurtenis
    fields = readonly_fields = ("created_at", "status", "actor", "text")
    extra = 0
    can_delete = False
    ordering = ["created_at", "pk"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Escalatie)
class EscalatieAdmin(ReadOnlyAdmin):
    # Read-only: the timeline is the record both sides rely on.
    list_display = ["title", "wijk", "team", "status", "sent_at", "answered_at"]
    list_filter = ["status"]
    list_select_related = ["wijk", "team"]
    search_fields = ["title", "wijk__code", "wijk__name", "team__name"]
    inlines = [EscalatieGebeurtenisInline]
    fields = readonly_fields = (
        "thema",
        "team",
        "wijk",
        "title",
        "argument",
        "request",
        "snapshot",
        "status",
        "answer",
        "sent_by",
        "sent_at",
        "received_at",
        "answered_at",
        "handled_by",
        "last_reminder_at",
    )


# --- Wijk goals (signalen/goals/services.py) ----------------------------------------------------
# Imported here, not at the top, to keep this section self-contained.
from signalen.models import DoelReactie, DoelVoortgang, WijkDoel  # noqa: E402


class DoelVoortgangInline(admin.TabularInline):  # type: ignore[type-arg]
    model = DoelVoortgang
    fields = readonly_fields = ("date", "value", "note", "author", "created_at")
    extra = 0
    can_delete = False
    ordering = ["date", "pk"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DoelReactieInline(admin.TabularInline):  # type: ignore[type-arg]
    model = DoelReactie
    fields = readonly_fields = (
        "created_at",
        "author",
        "from_gemeente",
        "voortgang",
        "text",
    )
    extra = 0
    can_delete = False
    ordering = ["created_at", "pk"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WijkDoel)
class WijkDoelAdmin(ReadOnlyAdmin):
    # Read-only: the team keeps its goals on its own pages (signalen/goals/views.py).
    list_display = [
        "title",
        "wijk",
        "team",
        "direction",
        "target_value",
        "deadline",
        "is_closed",
    ]
    list_filter = ["is_closed"]
    list_select_related = ["wijk", "team"]
    search_fields = ["title", "indicator", "wijk__code", "wijk__name", "team__name"]
    inlines = [DoelVoortgangInline, DoelReactieInline]
    fields = readonly_fields = (
        "wijk",
        "team",
        "title",
        "doelgroep",
        "indicator",
        "direction",
        "start_value",
        "target_value",
        "start_date",
        "deadline",
        "thema",
        "agreed_by",
        "created_by",
        "is_closed",
        "created_at",
    )
