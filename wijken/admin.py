from django.contrib import admin

from wijken.models import Buurt, Gemeente, Kerncijfers, Wijk


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
