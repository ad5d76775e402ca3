"""The query parameters of the API, checked by DRF serializers: a malformed value is a
400 with a message per parameter; a well-formed code that does not exist is a 404.

Periods are runs of whole 4-week blocks of the fixed grid (signalen.kanon.Period),
the same as the officers' dashboard: either the last `blocks` blocks that are over, or
the blocks holding `start` to `end` (snapped to the grid, whole blocks only).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from initiatieven import queries as initiatieven_queries
from opendata import public_data
from signalen.intake import queries as signal_queries
from signalen.kanon import PERIOD_MAX_WEEKS, Period
from wijken.models import BUURT_CODE, GEMEENTE_CODE, WIJK_CODE, Buurt, Gemeente, Wijk

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
MAX_PAGE = 100_000
EARLIEST = datetime.date(2000, 1, 1)


def _code_field(validator: Any, help_text: Any) -> serializers.CharField:
    return serializers.CharField(
        required=False,
        max_length=10,
        validators=[validator],
        help_text=help_text,
    )


class PageQuery(serializers.Serializer):
    page = serializers.IntegerField(
        required=False,
        default=1,
        min_value=1,
        max_value=MAX_PAGE,
        help_text=_("Paginanummer, vanaf 1."),
    )
    page_size = serializers.IntegerField(
        required=False,
        default=DEFAULT_PAGE_SIZE,
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        help_text=_(
            "Aantal per pagina, 1 tot en met 200 (standaard 50). Meer geeft een fout "
            "(400), nooit stilzwijgend minder."
        ),
    )


class GeoPageQuery(PageQuery):
    format = serializers.ChoiceField(
        required=False,
        choices=["json", "geojson"],
        help_text=_(
            "`geojson`: een GeoJSON FeatureCollection (WGS84) met de vormen, "
            "de kerncijfers als properties."
        ),
    )


class InitiativeQuery(PageQuery):
    gemeente = _code_field(GEMEENTE_CODE, _("CBS-code van de gemeente, bv. GM0439."))
    wijk = _code_field(WIJK_CODE, _("CBS-code van de wijk, bv. WK043901."))
    buurt = _code_field(BUURT_CODE, _("CBS-code van de buurt, bv. BU04390101."))
    theme = serializers.SlugField(
        required=False, max_length=40, help_text=_("Code van een thema.")
    )
    status = serializers.ChoiceField(
        required=False,
        choices=[code for code, _label in initiatieven_queries.initiative_statuses()],
        help_text=_("Status van het initiatief."),
    )

    def validate_theme(self, value: str) -> str:
        codes = {
            code for code, _name in initiatieven_queries.initiative_themes_active()
        }
        if value not in codes:
            raise serializers.ValidationError(
                gettext("Dit thema bestaat niet. Kies een van: %(codes)s.")
                % {"codes": ", ".join(sorted(codes))}
            )
        return value


class ThemeQuery(PageQuery):
    gemeente = _code_field(GEMEENTE_CODE, _("CBS-code van de gemeente."))
    wijk = _code_field(WIJK_CODE, _("CBS-code van de wijk."))
    call = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("true: alleen oproepen aan bewoners; false: alleen de andere."),
    )


class PeriodQuery(serializers.Serializer):
    blocks = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=public_data.MAX_BLOCKS,
        help_text=_(
            "De laatste zoveel blokken van vier weken die voorbij zijn "
            "(1 tot en met 39, standaard 3). Niet samen met start en end."
        ),
    )
    start = serializers.DateField(
        required=False,
        help_text=_(
            "Begindatum (JJJJ-MM-DD); telt vanaf het blok van vier weken waarin hij valt."
        ),
    )
    end = serializers.DateField(
        required=False,
        help_text=_(
            "Einddatum (JJJJ-MM-DD); telt tot en met het blok waarin hij valt, alleen "
            "blokken die voorbij zijn."
        ),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        today = timezone.localdate()
        start, end = attrs.get("start"), attrs.get("end")
        if attrs.get("blocks") is not None and (start or end):
            raise serializers.ValidationError(
                {"blocks": [gettext("Geef blocks, of start en end; niet allebei.")]}
            )
        if start is None and end is None:
            blocks = attrs.get("blocks") or public_data.DEFAULT_BLOCKS
            attrs["period"] = public_data.last_blocks(blocks, today=today)
            return attrs
        if start is None or end is None:
            missing = "start" if start is None else "end"
            raise serializers.ValidationError(
                {missing: [gettext("Geef zowel start als end.")]}
            )
        if start > end:
            raise serializers.ValidationError(
                {"end": [gettext("De einddatum ligt voor de begindatum.")]}
            )
        if start < EARLIEST:
            raise serializers.ValidationError(
                {"start": [gettext("Kies een datum na 1 januari 2000.")]}
            )
        if end > today:
            raise serializers.ValidationError(
                {"end": [gettext("De einddatum ligt in de toekomst.")]}
            )
        if Period.between(start, end).week_count > PERIOD_MAX_WEEKS:
            raise serializers.ValidationError(
                {
                    "end": [
                        gettext("Kies een periode van hoogstens %(weeks)s weken.")
                        % {"weeks": PERIOD_MAX_WEEKS}
                    ]
                }
            )
        period = Period.snapped(start, end, as_of=today)
        if period is None:
            raise serializers.ValidationError(
                {
                    "end": [
                        gettext(
                            "In deze periode is nog geen blok van vier weken voorbij. "
                            "Kies een eerdere begindatum."
                        )
                    ]
                }
            )
        attrs["period"] = period
        return attrs


class WijkSignalQuery(PeriodQuery):
    category = serializers.SlugField(
        required=False,
        max_length=60,
        help_text=_(
            "Code van een categorie: alleen die kolom per week. Het totaal blijft dat "
            "van alle categorieën."
        ),
    )
    buurt = _code_field(
        BUURT_CODE,
        _(
            "CBS-code van een buurt van deze wijk: dan alleen totalen (per periode en "
            "per blok), geen cellen per week."
        ),
    )

    def validate_category(self, value: str) -> str:
        codes = [c.code for c in signal_queries.categories_active()]
        if value not in codes:
            raise serializers.ValidationError(
                gettext("Deze categorie bestaat niet. Kies een van: %(codes)s.")
                % {"codes": ", ".join(codes)}
            )
        return value


def check(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    """Validate query parameters; a 400 (through the exception handler) when wrong."""
    # A plain dict, not the QueryDict: DRF reads an empty form value as "absent", but
    # here `?wijk=` is a wrong value (400). With a repeated parameter the last counts.
    serializer = serializer_class(data={key: data.get(key) for key in data})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _not_found(kind: str, code: str) -> Http404:
    return Http404(
        gettext("Er is geen %(kind)s met code %(code)s.") % {"kind": kind, "code": code}
    )


def _well_formed(validator: Any, code: str) -> bool:
    try:
        validator(code)
    except DjangoValidationError:
        return False
    return True


def gemeente_or_404(code: str) -> Gemeente:
    gemeente = (
        public_data.active_gemeente(code)
        if _well_formed(GEMEENTE_CODE, code.upper())
        else None
    )
    if gemeente is None:
        raise _not_found(gettext("gemeente"), code)
    return gemeente


def wijk_or_404(code: str) -> Wijk:
    wijk = (
        public_data.active_wijk(code) if _well_formed(WIJK_CODE, code.upper()) else None
    )
    if wijk is None:
        raise _not_found(gettext("wijk"), code)
    return wijk


def buurt_or_404(code: str, *, wijk: Wijk | None = None) -> Buurt:
    buurt = (
        public_data.active_buurt(code)
        if _well_formed(BUURT_CODE, code.upper())
        else None
    )
    if buurt is None or (wijk is not None and buurt.wijk_id != wijk.pk):
        raise _not_found(gettext("buurt"), code)
    return buurt
