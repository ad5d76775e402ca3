"""Filters of the team view. Choices are limited to the user's own wijken, so a value
of another team is simply not valid (and filters nothing open)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.permissions import wijken_of_user
from signalen.intake.forms import BuurtChoiceField, TaxonomyChoiceField
from signalen.models import Bron, Categorie, Doelgroep, Signaal
from wijken.models import Buurt


class BuurtFilter(django_filters.ModelChoiceFilter):
    field_class = BuurtChoiceField


class TaxonomyFilter(django_filters.ModelChoiceFilter):
    field_class = TaxonomyChoiceField


AUTHOR_CHOICES = [
    ("alle", _("Iedereen in het team")),
    ("mijn", _("Alleen mijn signalen")),
]


class SignaalFilter(django_filters.FilterSet):
    wijk = django_filters.ModelChoiceFilter(
        label=_("Wijk"), queryset=None, empty_label=_("Alle wijken")
    )
    buurt = BuurtFilter(label=_("Buurt"), queryset=None, empty_label=_("Alle buurten"))
    categorie = TaxonomyFilter(
        label=_("Categorie"),
        queryset=Categorie.objects.order_by("order", "name"),
        empty_label=_("Alle categorieën"),
    )
    doelgroep = TaxonomyFilter(
        label=_("Doelgroep"),
        field_name="doelgroepen",
        queryset=Doelgroep.objects.order_by("order", "name"),
        empty_label=_("Alle doelgroepen"),
    )
    bron = TaxonomyFilter(
        label=_("Bron"),
        queryset=Bron.objects.order_by("order", "name"),
        empty_label=_("Alle bronnen"),
    )
    van = django_filters.DateFilter(
        label=_("Gezien vanaf"),
        field_name="observed_on",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    tot = django_filters.DateFilter(
        label=_("Gezien tot en met"),
        field_name="observed_on",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    auteur = django_filters.ChoiceFilter(
        label=_("Gemeld door"),
        choices=AUTHOR_CHOICES,
        empty_label=None,
        method="filter_author",
    )

    class Meta:
        model = Signaal
        fields: list[str] = []

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        # Geometry is large and not needed for a select.
        wijken = wijken_of_user(user).defer("geometry").order_by("name")
        self.filters["wijk"].queryset = wijken
        self.filters["buurt"].queryset = (
            Buurt.objects.filter(wijk__in=wijken.values("pk"))
            .defer("geometry")
            .order_by("name")
        )

    def filter_author(
        self, queryset: QuerySet[Signaal], name: str, value: str
    ) -> QuerySet[Signaal]:
        if value == "mijn":
            return queryset.filter(author=self.user)
        return queryset

    def filter_queryset(self, queryset: QuerySet[Signaal]) -> QuerySet[Signaal]:
        queryset = super().filter_queryset(queryset)
        # The doelgroep filter joins a many-to-many table.
        if self.form.cleaned_data.get("doelgroep"):
            queryset = queryset.distinct()
        return queryset

    def used_filters(self) -> dict[str, str]:
        """The valid filter values, as text, for the audit log."""
        used: dict[str, str] = {}
        if not self.is_bound:
            return used
        for name, value in getattr(self.form, "cleaned_data", {}).items():
            if value in (None, "", []):
                continue
            used[name] = str(getattr(value, "pk", None) or value)
        # Refused values (another team's wijk, say) are worth knowing about too.
        for name in self.form.errors:
            used[name] = "ongeldig"
        return used
