"""The initiatives map's data: the outlines of the wijken and buurten the initiatives
are in, and where each initiative sits, so the map can show a count per place
(#18 item 9)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import BuurtFactory, WijkFactory
from tests.initiatieven.factories import InitiatiefFactory

pytestmark = pytest.mark.django_db


def test_map_data_carries_the_wijk_and_buurt_outlines(client, wijk, buurt):
    InitiatiefFactory(wijk=wijk, buurt=buurt, title="In de buurt")
    InitiatiefFactory(wijk=wijk, title="In de wijk")
    data = client.get(reverse("initiatieven:map-data")).json()
    areas = data["areas"]["features"]
    kinds = {(a["properties"]["kind"], a["properties"]["name"]) for a in areas}
    assert kinds == {("wijk", wijk.name), ("buurt", buurt.name)}
    assert all(a["geometry"]["type"] == "Polygon" for a in areas)
    places = {
        f["properties"]["title"]: f["properties"]["place"] for f in data["features"]
    }
    assert places == {"In de buurt": buurt.name, "In de wijk": wijk.name}


def test_initiatives_at_the_same_place_share_one_point(client, wijk, buurt):
    for i in range(4):
        InitiatiefFactory(wijk=wijk, buurt=buurt, title=f"Samen {i}")
    data = client.get(reverse("initiatieven:map-data")).json()
    points = {tuple(f["geometry"]["coordinates"]) for f in data["features"]}
    assert len(data["features"]) == 4
    assert len(points) == 1  # the map draws one marker with "4" and a list of four


def test_outlines_only_of_wijken_with_initiatives_found(client, wijk, buurt, gemeente):
    elders = WijkFactory(code="WK043909", name="Elders", gemeente=gemeente)
    BuurtFactory(code="BU04390901", name="Verweg", wijk=elders)
    InitiatiefFactory(wijk=wijk, title="Hier")
    InitiatiefFactory(wijk=elders, title="Daar")
    data = client.get(reverse("initiatieven:map-data"), {"wijk": wijk.pk}).json()
    names = {a["properties"]["name"] for a in data["areas"]["features"]}
    assert names == {wijk.name, buurt.name}


def test_a_hidden_initiative_brings_no_outline_either(client, wijk, gemeente):
    elders = WijkFactory(code="WK043909", name="Elders", gemeente=gemeente)
    InitiatiefFactory(wijk=elders, title="Verborgen", is_hidden=True)
    data = client.get(reverse("initiatieven:map-data")).json()
    assert data["features"] == []
    assert data["areas"]["features"] == []
