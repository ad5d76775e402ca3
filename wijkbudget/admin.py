"""Admin for rounds, requests, code batches and spending. Ballots, choices and who
voted are not in the admin: nobody browses them, and totals show only after closing
on the round's own pages."""

from __future__ import annotations

from django.contrib import admin

from wijkbudget.models import Aanvraag, Ronde, StemcodeReeks, Uitgave


@admin.register(Ronde)
class RondeAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "wijk",
        "amount",
        "requests_open",
        "vote_open",
        "vote_close",
    )
    list_filter = ("wijk__gemeente",)
    search_fields = ("title", "wijk__name", "wijk__code")
    raw_id_fields = ("wijk", "created_by")


@admin.register(Aanvraag)
class AanvraagAdmin(admin.ModelAdmin):
    list_display = ("initiatief", "ronde", "amount", "advice", "decision")
    list_filter = ("advice", "decision")
    search_fields = ("initiatief__title", "ronde__title")
    raw_id_fields = (
        "ronde",
        "initiatief",
        "submitted_by",
        "advice_by",
        "decided_by",
    )
    filter_horizontal = ()
    exclude = ("advice_themas",)


@admin.register(StemcodeReeks)
class StemcodeReeksAdmin(admin.ModelAdmin):
    list_display = ("ronde", "size", "note", "created_at", "withdrawn_at")
    readonly_fields = ("ronde", "size", "created_by", "created_at")


@admin.register(Uitgave)
class UitgaveAdmin(admin.ModelAdmin):
    list_display = ("aanvraag", "amount", "spent_on")
    raw_id_fields = ("aanvraag", "author")
