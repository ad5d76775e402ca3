"""The shapes of the API's answers: plain serializers over the rows of
opendata.public_data (no model serializers: the dashboard never reads the models of
initiatieven or signalen). They make the OpenAPI schema, and schemathesis checks every
answer against it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("Wat er mis is, voor mensen."))
    code = serializers.CharField(help_text=_("Wat er mis is, voor programma's."))
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("Per parameter: wat er niet klopt."),
    )


class FiguresSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text=_("Jaar van de CBS-cijfers."))
    inhabitants = serializers.IntegerField(allow_null=True)
    men = serializers.IntegerField(allow_null=True)
    women = serializers.IntegerField(allow_null=True)
    households = serializers.IntegerField(allow_null=True)
    avg_household_size = serializers.FloatField(allow_null=True)
    pct_age_0_15 = serializers.FloatField(allow_null=True)
    pct_age_15_25 = serializers.FloatField(allow_null=True)
    pct_age_25_45 = serializers.FloatField(allow_null=True)
    pct_age_45_65 = serializers.FloatField(allow_null=True)
    pct_age_65_plus = serializers.FloatField(allow_null=True)
    pct_single_person_households = serializers.FloatField(allow_null=True)
    population_density = serializers.FloatField(allow_null=True)
    income_per_inhabitant = serializers.FloatField(
        allow_null=True, help_text=_("Gemiddeld inkomen per inwoner, x 1000 euro.")
    )


def _figures() -> FiguresSerializer:
    return FiguresSerializer(
        allow_null=True,
        help_text=_("De nieuwste kerncijfers van het CBS; null als er geen zijn."),
    )


class GemeenteSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    is_demo = serializers.BooleanField(help_text=_("Een verzonnen demo-gemeente."))
    wijk_count = serializers.IntegerField(allow_null=True)
    figures = _figures()


class WijkSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    gemeente = serializers.CharField(help_text=_("CBS-code van de gemeente."))
    buurt_count = serializers.IntegerField(allow_null=True)
    url = serializers.CharField(help_text=_("De openbare wijkpagina."))
    figures = _figures()


class WijkDetailSerializer(WijkSerializer):
    buurten = serializers.ListField(
        child=serializers.CharField(), help_text=_("CBS-codes van de buurten.")
    )


class BuurtSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    wijk = serializers.CharField()
    gemeente = serializers.CharField()
    figures = _figures()


class CountSerializer(serializers.Serializer):
    count = serializers.IntegerField(
        allow_null=True, help_text=_("Het aantal; null als het verborgen is.")
    )
    hidden = serializers.BooleanField()
    reason = serializers.ChoiceField(
        choices=["k_anonymity"],
        allow_null=True,
        help_text=_(
            "Waarom verborgen: altijd k_anonymity (minder dan k_anonymity, of een "
            "aantal dat een klein aantal zou verraden; welk van de twee zeggen wij niet)."
        ),
    )


class InitiativeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)
    status = serializers.CharField()
    status_label = serializers.CharField()
    wijk = serializers.CharField()
    buurt = serializers.CharField(allow_null=True)
    gemeente = serializers.CharField()
    themes = serializers.ListField(child=serializers.CharField())
    where = serializers.CharField(allow_blank=True)
    when = serializers.CharField(allow_blank=True)
    starts_at = serializers.DateTimeField(allow_null=True)
    ends_at = serializers.DateTimeField(allow_null=True)
    organisers = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("Namen van de organisatoren, zoals de openbare pagina ze toont."),
    )
    participants = serializers.IntegerField(help_text=_("Aantal 'ik doe mee'."))
    supporters = serializers.IntegerField(help_text=_("Aantal 'ik steun dit'."))
    open_needs = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    url = serializers.CharField()


class NeedSerializer(serializers.Serializer):
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    description = serializers.CharField()
    is_met = serializers.BooleanField()


class PartnerSerializer(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()


class PublicParticipantSerializer(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.CharField()


class UpdateSerializer(serializers.Serializer):
    title = serializers.CharField(allow_blank=True)
    text = serializers.CharField()
    author = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()


class MeetingSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    place = serializers.CharField()


class InitiativeDetailSerializer(InitiativeSerializer):
    description = serializers.CharField(allow_blank=True)
    needs = NeedSerializer(many=True)
    partners = PartnerSerializer(many=True)
    public_participants = PublicParticipantSerializer(
        many=True,
        help_text=_("Alleen wie zelf koos om zijn naam te laten zien."),
    )
    updates = UpdateSerializer(many=True)
    meetings = MeetingSerializer(many=True)


class ThemeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    text = serializers.CharField(allow_blank=True)
    is_call = serializers.BooleanField(
        help_text=_("Een oproep aan bewoners om een initiatief te beginnen.")
    )
    status = serializers.CharField()
    status_label = serializers.CharField()
    wijk = serializers.CharField()
    gemeente = serializers.CharField()
    size = CountSerializer(help_text=_("Hoe vaak het wijkteam dit zag (k-anoniem)."))
    initiative_count = serializers.IntegerField()
    trekker_count = serializers.IntegerField()
    url = serializers.CharField()


class LinkedInitiativeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class ProgressSerializer(serializers.Serializer):
    text = serializers.CharField()
    author = serializers.CharField()
    created_at = serializers.DateTimeField()


class ThemeDetailSerializer(ThemeSerializer):
    status_text = serializers.CharField()
    initiatives = LinkedInitiativeSerializer(many=True)
    trekker_names = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("Alleen trekkers die zelf kozen om hun naam te laten zien."),
    )
    progress = ProgressSerializer(many=True)


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField(help_text=_("Maandag van het eerste blok."))
    end = serializers.DateField(help_text=_("Zondag van het laatste blok."))
    blocks = serializers.IntegerField()
    weeks = serializers.IntegerField()


class CategorySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class CategoryCellSerializer(CountSerializer):
    code = serializers.CharField()
    name = serializers.CharField()


class WeekSerializer(serializers.Serializer):
    week = serializers.DateField(help_text=_("Maandag van de week."))
    categories = CategoryCellSerializer(many=True)


class BlockSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    total = CountSerializer()
    per_1000_inhabitants = serializers.FloatField(allow_null=True)


class WijkBlockSerializer(BlockSerializer):
    weeks = WeekSerializer(
        many=True, help_text=_("Leeg bij een buurtfilter: dan alleen totalen.")
    )


class WijkSignalsSerializer(serializers.Serializer):
    wijk = serializers.CharField()
    buurt = serializers.CharField(allow_null=True)
    category = serializers.CharField(allow_null=True)
    period = PeriodSerializer()
    k_anonymity = serializers.IntegerField(
        help_text=_("Aantallen kleiner dan dit getal zijn verborgen.")
    )
    inhabitants = serializers.IntegerField(allow_null=True)
    total = CountSerializer(
        help_text=_("Alle signalen in de periode (alle categorieën).")
    )
    per_1000_inhabitants = serializers.FloatField(allow_null=True)
    cells_withheld = serializers.BooleanField()
    categories = CategorySerializer(many=True)
    blocks = WijkBlockSerializer(many=True)


class GemeenteWijkSignalsSerializer(serializers.Serializer):
    wijk = serializers.CharField()
    name = serializers.CharField()
    inhabitants = serializers.IntegerField(allow_null=True)
    total = CountSerializer()
    per_1000_inhabitants = serializers.FloatField(allow_null=True)
    blocks = BlockSerializer(many=True)


class GemeenteSignalsSerializer(serializers.Serializer):
    gemeente = serializers.CharField()
    period = PeriodSerializer()
    k_anonymity = serializers.IntegerField()
    wijken = GemeenteWijkSignalsSerializer(many=True)


class GeoFeatureSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["Feature"])
    id = serializers.CharField()
    geometry = serializers.JSONField(
        allow_null=True, help_text=_("GeoJSON-vorm (WGS84), of null.")
    )
    properties = serializers.DictField()


class FeatureCollectionSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["FeatureCollection"])
    features = GeoFeatureSerializer(many=True)
    numberMatched = serializers.IntegerField()
    numberReturned = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)


_PAGES: dict[str, type[serializers.Serializer]] = {}


def paginated(item: type[serializers.Serializer]) -> type[serializers.Serializer]:
    """The page shape around a list of `item`: count, next, previous, results."""
    name = "Paginated" + item.__name__.replace("Serializer", "") + "List"
    if name not in _PAGES:
        attrs: dict[str, Any] = {
            "count": serializers.IntegerField(),
            "next": serializers.CharField(allow_null=True),
            "previous": serializers.CharField(allow_null=True),
            "results": item(many=True),
        }
        _PAGES[name] = type(name + "Serializer", (serializers.Serializer,), attrs)
    return _PAGES[name]


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True)
    email = serializers.CharField(allow_blank=True)
    walk_in_hours = serializers.CharField(allow_blank=True)
    address = serializers.CharField(allow_blank=True)
    website = serializers.CharField(allow_blank=True)
    updated_at = serializers.DateTimeField()


class PlaceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    buurt = serializers.CharField(allow_null=True, source="buurt_code")
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    address = serializers.CharField(allow_blank=True)
    opening_hours = serializers.CharField(allow_blank=True)
    website = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True)
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    updated_at = serializers.DateTimeField()


class WijkPlacesSerializer(serializers.Serializer):
    wijk = serializers.CharField()
    contact = ContactSerializer(
        allow_null=True,
        help_text=_("Hoe bewoners het wijkteam bereiken; null: onbekend."),
    )
    places = PlaceSerializer(many=True)
