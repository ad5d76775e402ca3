from django.contrib import admin
from django.db import models

from wijken.models import Buurt, Gemeente, Kerncijfers, Plek, Wijk, WijkteamContact


@admin.register(Gemeente)
class GemeenteAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_active", "is_demo"]
    list_filter = ["is_active", "is_demo"]
    search_fields = ["code", "name"]
    exclude = ["geometry"]


@admin.register(Wijk)
class WijkAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "gemeente", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name", "gemeente__name"]
    list_select_related = ["gemeente"]
    exclude = ["geometry"]


@admin.register(Buurt)
class BuurtAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "wijk", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]
    list_select_related = ["wijk"]
    exclude = ["geometry"]


@admin.register(Kerncijfers)
class KerncijfersAdmin(admin.ModelAdmin):
    list_display = ["code", "level", "year", "inhabitants", "households"]
    list_filter = ["level", "year"]
    search_fields = ["code"]


@admin.register(WijkteamContact)
class WijkteamContactAdmin(admin.ModelAdmin):
    list_display = ["wijk", "name", "phone", "email", "updated_at"]
    search_fields = ["wijk__code", "wijk__name", "name", "email"]
    list_select_related = ["wijk"]
    autocomplete_fields = ["wijk"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Plek)
class PlekAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "wijk", "buurt", "address", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["name", "address", "wijk__code", "wijk__name"]
    list_select_related = ["wijk", "buurt"]
    autocomplete_fields = ["wijk", "buurt"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
