"""The dashboard filters: period, category, target group and buurt, all in the URL (GET)
so a view can be shared. django-filter gives the form; the figures are read by
signalen.kanon, so the FilterSet filters no queryset of its own."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from signalen.intake import queries as signal_queries
from signalen.kanon import PERIOD_MAX_WEEKS, Period
from wijken.models import Buurt, Wijk

# Whole blocks of four weeks that are over (signalen.kanon.Period.of_blocks).
PRESETS = {"3m": 3, "6m": 6, "12m": 13}
DEFAULT_PRESET = "3m"
PERIOD_CHOICES = [
    ("3m", _("Laatste 12 weken")),
    ("6m", _("Laatste 24 weken")),
    ("12m", _("Laatste 52 weken")),
    ("eigen", _("Eigen periode (van en tot)")),
]
EARLIEST = datetime.date(2000, 1, 1)
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _keep(queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
    return queryset


class DashboardFilter(django_filters.FilterSet):
    periode = django_filters.ChoiceFilter(
        label=_("Periode"),
        choices=PERIOD_CHOICES,
        empty_label=None,
        method=_keep,
    )
    van = django_filters.DateFilter(
        label=_("Van"),
        method=_keep,
        widget=DATE_WIDGET,
        help_text=_(
            "Vult u een datum in, dan telt die periode. Wij rekenen in vaste blokken "
            "van vier weken die al voorbij zijn, zodat niemand kleine aantallen kan "
            "uitrekenen door perioden van elkaar af te trekken. Een signaal telt in "
            "het blok waarin het is gemeld."
        ),
    )
    tot = django_filters.DateFilter(
        label=_("Tot en met"), method=_keep, widget=DATE_WIDGET
    )
    categorie = django_filters.ChoiceFilter(
        label=_("Categorie"), empty_label=_("Alle categorieën"), method=_keep
    )
    doelgroep = django_filters.ChoiceFilter(
        label=_("Doelgroep"), empty_label=_("Alle doelgroepen"), method=_keep
    )
    buurt = django_filters.ChoiceFilter(
        label=_("Buurt"), empty_label=_("Alle buurten"), method=_keep
    )

    def __init__(self, data: Any = None, *, wijk: Wijk | None = None) -> None:
        super().__init__(data, queryset=Wijk.objects.none())
        self.filters["categorie"].extra["choices"] = [
            (c.code, gettext(c.name)) for c in signal_queries.categories_active()
        ]
        self.filters["doelgroep"].extra["choices"] = [
            (d.code, gettext(d.name)) for d in signal_queries.doelgroepen_active()
        ]
        if wijk is not None:
            # The buurten the wijk came with (wijken.queries), or read now.
            buurten = getattr(wijk, "active_buurten", None)
            if buurten is None:
                buurten = Buurt.objects.filter(wijk=wijk, is_active=True)
            self.filters["buurt"].extra["choices"] = sorted(
                ((b.code, b.name) for b in buurten), key=lambda c: (c[1], c[0])
            )
        else:
            del self.filters["buurt"]
            del self.filters["doelgroep"]


@dataclass
class DashboardQuery:
    """The filters in force, after checking; `notices` say what was ignored and why."""

    period: Period
    preset: str
    categorie: str = ""
    doelgroep: str = ""
    buurt: str = ""
    notices: list[str] = field(default_factory=list)
    params: dict[str, str] = field(default_factory=dict)

    @property
    def querystring(self) -> str:
        return urlencode(self.params)

    def as_detail(self) -> dict[str, str]:
        return {
            "van": self.period.first_week.isoformat(),
            "tot": self.period.last_day.isoformat(),
            **{k: v for k, v in self.params.items() if k not in ("van", "tot")},
        }


def resolve(
    data: Any, *, wijk: Wijk | None = None, today: datetime.date | None = None
) -> tuple[DashboardFilter, DashboardQuery]:
    """Check the GET data. Wrong values are reported on the form and not used: the
    page then shows the default period, never an error page."""
    today = today or timezone.localdate()
    filterset = DashboardFilter(data or None, wijk=wijk)
    form = filterset.form
    cleaned: dict[str, Any] = {}
    if filterset.is_bound:
        form.is_valid()
        cleaned = dict(getattr(form, "cleaned_data", {}))
        preset = cleaned.get("periode") or DEFAULT_PRESET
        # A date filled in wins over the preset left in the select.
        if (data.get("van") or data.get("tot")) and "periode" not in form.errors:
            preset = "eigen"
        first, last = cleaned.get("van"), cleaned.get("tot")
        if preset == "eigen" and "van" not in form.errors and "tot" not in form.errors:
            if first is None or last is None:
                form.add_error(
                    "van",
                    gettext("Vul bij een eigen periode een begin- en einddatum in."),
                )
            elif first > last:
                form.add_error("tot", gettext("De einddatum ligt voor de begindatum."))
            elif first < EARLIEST:
                form.add_error("van", gettext("Kies een datum na 1 januari 2000."))
            elif last > today:
                form.add_error("tot", gettext("De einddatum ligt in de toekomst."))
            elif Period.between(first, last).week_count > PERIOD_MAX_WEEKS:
                form.add_error(
                    "tot",
                    gettext("Kies een periode van hoogstens %(weeks)s weken.")
                    % {"weeks": PERIOD_MAX_WEEKS},
                )
            elif Period.snapped(first, last, as_of=today) is None:
                form.add_error(
                    "tot",
                    gettext(
                        "In deze periode is nog geen blok van vier weken voorbij. "
                        "Kies een eerdere begindatum."
                    ),
                )
    else:
        preset = DEFAULT_PRESET
    query_params: dict[str, str] = {}
    notices: list[str] = []
    if preset == "eigen" and not form.errors.get("van") and not form.errors.get("tot"):
        snapped = Period.snapped(cleaned["van"], cleaned["tot"], as_of=today)
        assert snapped is not None
        period = snapped
        query_params = {
            "periode": "eigen",
            "van": cleaned["van"].isoformat(),
            "tot": cleaned["tot"].isoformat(),
        }
    else:
        if preset == "eigen":
            notices.append(
                gettext("De eigen periode klopt niet; wij tonen de laatste 12 weken.")
            )
            preset = DEFAULT_PRESET
        period = Period.of_blocks(blocks=PRESETS[preset], as_of=today)
        if preset != DEFAULT_PRESET:
            query_params["periode"] = preset
    query = DashboardQuery(period=period, preset=preset, notices=notices)
    for name in ("categorie", "doelgroep", "buurt"):
        if name in form.errors:
            notices.append(
                gettext(
                    "De gekozen %(name)s bestaat niet; dit filter is niet gebruikt."
                )
                % {"name": str(filterset.filters[name].label).lower()}
            )
            continue
        value = cleaned.get(name) or ""
        if value:
            setattr(query, name, value)
            query_params[name] = value
    if query.buurt and query.doelgroep:
        notices.append(
            gettext(
                "Er zijn geen tellingen per buurt én doelgroep tegelijk. Wij tonen de "
                "gekozen buurt voor alle doelgroepen; het doelgroepfilter is niet gebruikt."
            )
        )
        query.doelgroep = ""
        query_params.pop("doelgroep", None)
    query.params = query_params
    return filterset, query
