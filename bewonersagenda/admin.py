"""The admin holds the threshold per gemeente and lists concerns (hide from the page)."""

from django.contrib import admin

from bewonersagenda.models import AgendaInstelling, Agendapunt


@admin.register(AgendaInstelling)
class AgendaInstellingAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("gemeente", "minimum", "per_thousand")
    raw_id_fields = ("gemeente",)


@admin.register(Agendapunt)
class AgendapuntAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("title", "wijk", "status", "created_at", "is_hidden")
    list_filter = ("status", "is_hidden")
    search_fields = ("title",)
    raw_id_fields = ("wijk", "author", "answered_by", "themas")
    readonly_fields = ("created_at",)
