"""The admin shows surveys, questions and rounds; never single responses or answers
(one person's answers stay out of every screen but the team's open-answer list)."""

from django.contrib import admin

from peilingen.models import Bezoek, Peiling, Ronde, Vraag


class VraagInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Vraag
    extra = 0


@admin.register(Peiling)
class PeilingAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("title", "wijk", "status", "team", "created_at")
    list_filter = ("status",)
    search_fields = ("title",)
    raw_id_fields = ("wijk", "team", "created_by", "themas")
    inlines = [VraagInline]


class BezoekInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Bezoek
    extra = 0


@admin.register(Ronde)
class RondeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("peiling", "date", "buurt", "closed_at")
    raw_id_fields = ("peiling", "buurt", "started_by", "helpers")
    inlines = [BezoekInline]
