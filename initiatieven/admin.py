from django.contrib import admin

from initiatieven.models import (
    Aanbod,
    Afspraak,
    Behoefte,
    Bericht,
    Bijeenkomst,
    Deelname,
    Initiatief,
    Melding,
    Meldingsvoorkeur,
    Partner,
    Thema,
    Volger,
)


@admin.register(Thema)
class ThemaAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order", "is_active"]
    list_editable = ["order", "is_active"]


class BehoefteInline(admin.TabularInline):
    model = Behoefte
    extra = 0


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0


@admin.register(Initiatief)
class InitiatiefAdmin(admin.ModelAdmin):
    list_display = ["title", "wijk", "status", "owner", "is_hidden", "created_at"]
    list_filter = ["status", "is_hidden", "themas"]
    search_fields = ["title", "summary"]
    raw_id_fields = ["wijk", "buurt", "owner", "co_organisers"]
    inlines = [BehoefteInline, PartnerInline]


admin.site.register(Deelname)
admin.site.register(Volger)
admin.site.register(Aanbod)


@admin.register(Bericht)
class BerichtAdmin(admin.ModelAdmin):
    list_display = ["__str__", "initiatief", "author", "is_hidden", "created_at"]
    list_filter = ["is_hidden"]
    raw_id_fields = ["initiatief", "author"]


class AfspraakInline(admin.TabularInline):
    model = Afspraak
    extra = 0
    raw_id_fields = ["who_user"]


@admin.register(Bijeenkomst)
class BijeenkomstAdmin(admin.ModelAdmin):
    list_display = ["initiatief", "starts_at", "place", "reminded_at"]
    raw_id_fields = ["initiatief", "created_by"]
    inlines = [AfspraakInline]


@admin.register(Melding)
class MeldingAdmin(admin.ModelAdmin):
    list_display = ["initiatief", "bericht", "reason", "status", "created_at"]
    list_filter = ["status", "reason"]
    raw_id_fields = ["reporter", "initiatief", "bericht", "handled_by"]


admin.site.register(Meldingsvoorkeur)
