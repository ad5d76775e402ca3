"""The filters of the initiatives list and map (django-filter)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from initiatieven.models import Behoefte, BehoefteKind, Initiatief, Status, Thema
from initiatieven.queries import initiatieven_search
from wijken.models import Buurt, Wijk

SORTS = [
    ("nieuw", _("Nieuwste eerst")),
    ("deelnemers", _("Meeste deelnemers")),
    ("naam", _("Naam (A-Z)")),
]


class WijkFilterField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj: Wijk) -> str:  # type: ignore[override]
        return f"{obj.name} ({obj.gemeente.name})"


class WijkFilter(django_filters.ModelChoiceFilter):
    field_class = WijkFilterField


def _wijken(request: Any) -> QuerySet[Wijk]:
    # Only wijken that have initiatives: a useful list, not every wijk in the country.
    # EXISTS instead of DISTINCT over a join, and no geometry: on large data the join
    # sorted megabytes of outlines on every request (bench/bench_initiatieven.py).
    visible = Initiatief.objects.filter(wijk=OuterRef("pk"), is_hidden=False)
    return (
        Wijk.objects.filter(Exists(visible), is_active=True)
        .select_related("gemeente")
        .only("id", "code", "name", "gemeente__id", "gemeente__name")
        .order_by("name")
    )


def _buurten(request: Any) -> QuerySet[Buurt]:
    visible = Initiatief.objects.filter(buurt=OuterRef("pk"), is_hidden=False)
    return (
        Buurt.objects.filter(Exists(visible), is_active=True)
        .only("id", "code", "name", "wijk_id")
        .order_by("name")
    )


class InitiatiefFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Zoeken"), method="filter_search", max_length=200
    )
    wijk = WijkFilter(
        label=_("Wijk"),
        queryset=_wijken,
        empty_label=_("Alle wijken"),
        error_messages={"invalid_choice": _("Kies een wijk uit de lijst.")},
    )
    buurt = django_filters.ModelChoiceFilter(
        label=_("Buurt"),
        queryset=_buurten,
        empty_label=_("Alle buurten"),
        error_messages={"invalid_choice": _("Kies een buurt uit de lijst.")},
    )
    thema = django_filters.ModelChoiceFilter(
        label=_("Thema"),
        field_name="themas",
        to_field_name="code",
        queryset=Thema.objects.filter(is_active=True),
        empty_label=_("Alle thema's"),
        error_messages={"invalid_choice": _("Kies een thema uit de lijst.")},
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Status.choices,
        empty_label=_("Alle"),
        error_messages={"invalid_choice": _("Kies een status uit de lijst.")},
    )
    behoefte = django_filters.ChoiceFilter(
        label=_("Zoekt hulp met"),
        choices=BehoefteKind.choices,
        method="filter_behoefte",
        empty_label=_("Maakt niet uit"),
        error_messages={"invalid_choice": _("Kies uit de lijst.")},
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sorteren"),
        choices=SORTS,
        method="filter_sort",
        empty_label=None,
        error_messages={"invalid_choice": _("Kies uit de lijst.")},
    )

    class Meta:
        model = Initiatief
        fields = ["q", "wijk", "buurt", "thema", "status", "behoefte", "sort"]

    def filter_search(
        self, queryset: QuerySet[Initiatief], name: str, value: str
    ) -> QuerySet[Initiatief]:
        return initiatieven_search(queryset, term=value)

    def filter_behoefte(
        self, queryset: QuerySet[Initiatief], name: str, value: str
    ) -> QuerySet[Initiatief]:
        open_need = Behoefte.objects.filter(
            initiatief=OuterRef("pk"), kind=value, is_met=False
        )
        return queryset.filter(Exists(open_need))

    def filter_sort(
        self, queryset: QuerySet[Initiatief], name: str, value: str
    ) -> QuerySet[Initiatief]:
        return queryset  # applied by the view, after the counts are annotated

    def _cleaned(self, name: str) -> str:
        # Valid fields still count when another one is wrong.
        if not self.is_bound:
            return ""
        self.form.is_valid()
        return (getattr(self.form, "cleaned_data", {}).get(name) or "").strip()

    @property
    def sort_value(self) -> str:
        return self._cleaned("sort")

    @property
    def search_value(self) -> str:
        return self._cleaned("q")
