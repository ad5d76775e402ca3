"""The admin lists meetings, their agenda points and agreements, and the residents
who want to chair."""

from django.contrib import admin

from wijkgesprek.models import GesprekAfspraak, GesprekPunt, Voorzitter, Wijkgesprek


class GesprekPuntInline(admin.TabularInline):  # type: ignore[type-arg]
    model = GesprekPunt
    extra = 0


class GesprekAfspraakInline(admin.TabularInline):  # type: ignore[type-arg]
    model = GesprekAfspraak
    extra = 0


@admin.register(Wijkgesprek)
class WijkgesprekAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("wijk", "starts_at", "place", "minutes_published_at")
    list_filter = ("minutes_public",)
    raw_id_fields = ("wijk", "chair", "created_by")
    inlines = [GesprekPuntInline, GesprekAfspraakInline]


@admin.register(Voorzitter)
class VoorzitterAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("wijk", "user", "created_at")
    raw_id_fields = ("wijk", "user")
