from django.contrib import admin

from initiatieven.models import (
    Aanbod,
    Behoefte,
    Deelname,
    Initiatief,
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
