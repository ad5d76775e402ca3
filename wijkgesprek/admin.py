"""The admin lists meetings, their agenda points and agreements, and the residents
who want to chair. A meeting's place and facilitator edited here go through the
scrubber like on the plan form (residents and, with public minutes, anyone read them)."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from wijkgesprek.models import GesprekAfspraak, GesprekPunt, Voorzitter, Wijkgesprek


class GesprekPuntInline(admin.TabularInline):  # type: ignore[type-arg]
    model = GesprekPunt
    extra = 0


class GesprekAfspraakInline(admin.TabularInline):  # type: ignore[type-arg]
    model = GesprekAfspraak
    extra = 0


class WijkgesprekAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Wijkgesprek
        fields = [
            "wijk",
            "starts_at",
            "place",
            "chair",
            "facilitator",
            "minutes",
            "minutes_public",
            "minutes_published_at",
            "created_by",
            "reminded_at",
        ]

    def clean(self) -> dict[str, Any]:
        from wijkgesprek.services import GesprekError, where_and_who_scrub

        super().clean()
        data = self.cleaned_data
        wijk = data.get("wijk")
        if wijk is None or self.errors:
            return data
        try:
            place, facilitator, removed = where_and_who_scrub(
                place=data.get("place") or "",
                facilitator=data.get("facilitator") or "",
                wijk=wijk,
            )
        except GesprekError as error:
            raise forms.ValidationError(error.messages) from error
        data["place"], data["facilitator"] = place, facilitator
        self.removed = removed
        return data


@admin.register(Wijkgesprek)
class WijkgesprekAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = WijkgesprekAdminForm
    list_display = ("wijk", "starts_at", "place", "minutes_published_at")
    list_filter = ("minutes_public",)
    raw_id_fields = ("wijk", "chair", "created_by")
    inlines = [GesprekPuntInline, GesprekAfspraakInline]

    def save_model(
        self, request: HttpRequest, obj: Wijkgesprek, form: Any, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        removed = getattr(form, "removed", ())
        if removed:
            self.message_user(
                request,
                _(
                    "Uit de plaats of de gespreksleider is weggehaald, omdat het "
                    "naar een persoon kan wijzen: %(kinds)s."
                )
                % {"kinds": ", ".join(removed)},
                messages.INFO,
            )


@admin.register(Voorzitter)
class VoorzitterAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("wijk", "user", "created_at")
    raw_id_fields = ("wijk", "user")
