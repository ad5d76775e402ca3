"""Finding initiatives: search, filters, sorting, pagination, map data, query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from initiatieven.models import Thema
from tests.factories import UserFactory
from tests.initiatieven.factories import (
    BehoefteFactory,
    DeelnameFactory,
    InitiatiefFactory,
)

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [i.title for i in response.context["initiatieven"]]


@pytest.fixture
def some(wijk, other_wijk, buurt):
    groen = Thema.objects.get(code="groen-buitenruimte")
    jeugd = Thema.objects.get(code="jeugd")
    tuin = InitiatiefFactory(
        wijk=wijk,
        buurt=buurt,
        title="Moestuin Achterom",
        summary="Groente kweken met de buren",
        description="Wij zoeken mensen die van tuinieren houden.",
        status="actief",
        themas=[groen],
    )
    huiswerk = InitiatiefFactory(
        wijk=other_wijk,
        title="Huiswerkklas",
        summary="Kinderen helpen met rekenen",
        status="idee",
        themas=[jeugd],
    )
    repair = InitiatiefFactory(
        wijk=wijk,
        title="Repair Café",
        summary="Kapotte spullen samen maken",
        description="Fietsen, lampen en kleding repareren.",
        status="in_voorbereiding",
    )
    BehoefteFactory(initiatief=huiswerk, kind="vrijwilligers")
    BehoefteFactory(initiatief=repair, kind="ruimte", is_met=True)
    return {"tuin": tuin, "huiswerk": huiswerk, "repair": repair}


def test_search_finds_words_in_title_summary_and_description(client, some):
    url = reverse("initiatieven:list")
    assert titles(client.get(url, {"q": "moestuin"})) == ["Moestuin Achterom"]
    assert titles(client.get(url, {"q": "rekenen"})) == ["Huiswerkklas"]
    assert titles(client.get(url, {"q": "lampen"})) == ["Repair Café"]
    assert titles(client.get(url, {"q": "onbekendwoord"})) == []


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Dutch stemming needs PostgreSQL"
)
def test_postgres_search_uses_dutch_stemming_and_ranks_title_first(client, some):
    url = reverse("initiatieven:list")
    # "repareer" finds "repareren" and "kweek" finds "kweken" through the Dutch stemmer.
    assert titles(client.get(url, {"q": "repareer"})) == ["Repair Café"]
    assert titles(client.get(url, {"q": "kweek"})) == ["Moestuin Achterom"]
    InitiatiefFactory(
        wijk=some["tuin"].wijk,
        title="Buurtfeest",
        description="Ook met groente uit de moestuin",
    )
    found = titles(client.get(url, {"q": "moestuin"}))
    assert found == ["Moestuin Achterom", "Buurtfeest"]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the stored vector needs PostgreSQL"
)
def test_the_stored_search_vector_follows_every_kind_of_write(client, some, wijk):
    from initiatieven.models import Initiatief

    url = reverse("initiatieven:list")
    # A bulk update and a bulk insert skip save(): the database trigger still runs.
    Initiatief.objects.filter(pk=some["repair"].pk).update(description="Alleen thee.")
    assert titles(client.get(url, {"q": "lampen"})) == []
    Initiatief.objects.bulk_create(
        [Initiatief(wijk=wijk, title="Lampenwinkel", summary="Lampen voor iedereen")]
    )
    assert titles(client.get(url, {"q": "lampen"})) == ["Lampenwinkel"]
    # Nobody can store a stale or empty vector by hand.
    Initiatief.objects.filter(pk=some["tuin"].pk).update(search_vector=None)
    assert titles(client.get(url, {"q": "moestuin"})) == ["Moestuin Achterom"]


def test_the_list_never_loads_the_search_vector(client, some):
    # The database ranks with it; Python has no use for it, and it can be large.
    response = client.get(reverse("initiatieven:list"), {"q": "moestuin"})
    (found,) = response.context["initiatieven"]
    assert "search_vector" in found.get_deferred_fields()


def test_search_with_html_or_odd_characters_does_not_break(client, some):
    url = reverse("initiatieven:list")
    for q in ("<script>alert(1)</script>", "'; drop table", "&|!():*", "ü" * 300):
        response = client.get(url, {"q": q})
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.content.decode()


def test_filters_by_wijk_buurt_thema_status_and_need(client, some, wijk, buurt):
    url = reverse("initiatieven:list")
    assert sorted(titles(client.get(url, {"wijk": wijk.pk}))) == [
        "Moestuin Achterom",
        "Repair Café",
    ]
    assert titles(client.get(url, {"buurt": buurt.pk})) == ["Moestuin Achterom"]
    assert titles(client.get(url, {"thema": "jeugd"})) == ["Huiswerkklas"]
    assert titles(client.get(url, {"status": "in_voorbereiding"})) == ["Repair Café"]
    assert titles(client.get(url, {"behoefte": "vrijwilligers"})) == ["Huiswerkklas"]
    # A need that is met no longer counts.
    assert titles(client.get(url, {"behoefte": "ruimte"})) == []


def test_a_wrong_filter_value_says_so_and_other_filters_still_apply(client, some):
    response = client.get(
        reverse("initiatieven:list"), {"wijk": "abc", "status": "idee"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Kies een wijk uit de lijst." in body
    assert titles(response) == ["Huiswerkklas"]


def test_sorting_by_name_newest_and_participants(client, some):
    url = reverse("initiatieven:list")
    DeelnameFactory.create_batch(3, initiatief=some["huiswerk"])
    DeelnameFactory(initiatief=some["repair"])
    assert titles(client.get(url, {"sort": "naam"})) == [
        "Huiswerkklas",
        "Moestuin Achterom",
        "Repair Café",
    ]
    assert titles(client.get(url, {"sort": "nieuw"}))[0] == "Repair Café"
    assert titles(client.get(url, {"sort": "deelnemers"}))[:2] == [
        "Huiswerkklas",
        "Repair Café",
    ]


def test_page_links_keep_every_filter(client, wijk):
    for n in range(25):
        InitiatiefFactory(wijk=wijk, title=f"Plan {n:02d}", status="actief")
    response = client.get(
        reverse("initiatieven:list"), {"status": "actief", "sort": "naam", "q": "plan"}
    )
    body = response.content.decode()
    assert len(titles(response)) == 20
    assert "?status=actief&amp;sort=naam&amp;q=plan&amp;pagina=2" in body
    second = client.get(
        reverse("initiatieven:list"),
        {"status": "actief", "sort": "naam", "q": "plan", "pagina": 2},
    )
    assert titles(second) == [f"Plan {n:02d}" for n in range(20, 25)]


def test_map_data_has_a_point_per_initiative_at_its_buurt_or_wijk(
    client, some, buurt, wijk
):
    data = client.get(reverse("initiatieven:map-data"), {"wijk": wijk.pk}).json()
    assert data["type"] == "FeatureCollection"
    by_title = {f["properties"]["title"]: f for f in data["features"]}
    assert set(by_title) == {"Moestuin Achterom", "Repair Café"}
    # Buurt square at (5.0, 52.0) size 0.01; wijk square size 0.02.
    lon, lat = by_title["Moestuin Achterom"]["geometry"]["coordinates"]
    assert 5.0 < lon < 5.01
    assert 52.0 < lat < 52.01
    assert (
        by_title["Repair Café"]["properties"]["url"]
        == some["repair"].get_absolute_url()
    )


def test_map_data_skips_areas_without_geometry(client, wijk):
    wijk.geometry = None
    wijk.save()
    InitiatiefFactory(wijk=wijk)
    assert client.get(reverse("initiatieven:map-data")).json()["features"] == []


def _make(n, wijk, buurt):
    thema = Thema.objects.get(code="ontmoeting")
    for i in range(n):
        initiatief = InitiatiefFactory(
            wijk=wijk, buurt=buurt if i % 2 else None, themas=[thema], description="x"
        )
        BehoefteFactory(initiatief=initiatief)
        DeelnameFactory(initiatief=initiatief, show_name=True)
        initiatief.co_organisers.add(UserFactory())


@pytest.mark.parametrize("n", [1, 30])
def test_the_list_keeps_a_fixed_number_of_queries(
    client, bewoner, wijk, buurt, n, django_assert_max_num_queries
):
    _make(n, wijk, buurt)
    client.force_login(bewoner)
    with django_assert_max_num_queries(10):
        response = client.get(
            reverse("initiatieven:list"), {"thema": "ontmoeting", "q": "initiatief"}
        )
    assert response.status_code == 200
    assert len(response.context["initiatieven"]) == min(n, 20)


@pytest.mark.parametrize("n", [1, 30])
def test_map_data_keeps_a_fixed_number_of_queries(
    client, wijk, buurt, n, django_assert_max_num_queries
):
    _make(n, wijk, buurt)
    with django_assert_max_num_queries(5):
        data = client.get(reverse("initiatieven:map-data")).json()
    assert len(data["features"]) == n


@pytest.mark.parametrize("n", [1, 30])
def test_the_detail_keeps_a_fixed_number_of_queries(
    client, wijk, buurt, n, django_assert_max_num_queries
):
    _make(1, wijk, buurt)
    from initiatieven.models import Bericht, Bijeenkomst, Initiatief

    initiatief = Initiatief.objects.get()
    for _ in range(n):
        DeelnameFactory(initiatief=initiatief, show_name=True)
        BehoefteFactory(initiatief=initiatief)
        initiatief.co_organisers.add(UserFactory())
        Bericht.objects.create(initiatief=initiatief, author=initiatief.owner, text="x")
        Bijeenkomst.objects.create(
            initiatief=initiatief,
            starts_at=timezone.now() + timedelta(days=2),
            place="Buurthuis",
        )
    client.force_login(initiatief.owner)
    # 14: one of them is the wijkbudget panel (its requests and open rounds).
    with django_assert_max_num_queries(14):
        response = client.get(initiatief.get_absolute_url())
    assert response.status_code == 200
