"""The wijkteam's contact and the places of a wijk: validation, services and the
public reads (wijken/models.py, wijken/services.py, wijken/queries.py)."""

from __future__ import annotations

import dataclasses
import json

import pytest
from django.core.exceptions import ValidationError

from tests.factories import BuurtFactory, WijkFactory
from wijken import queries, services
from wijken.geometry import distance_to_area_m
from wijken.models import NEAR_WIJK_METRES, Plek, PlekSoort, WijkteamContact

pytestmark = pytest.mark.django_db

# The standing wijk (tests/factories.py) is a square from 5.00 E, 52.00 N to 5.02 E,
# 52.02 N: this point lies in the middle.
INSIDE = {"latitude": 52.01, "longitude": 5.01}


def plek_data(**overrides):
    data = {
        "kind": PlekSoort.BUURTHUIS,
        "name": "Buurthuis De Kerkuil",
        "description": "Koffieochtend voor ouderen en een taalcafé.",
        "address": "Kerkpad 7, 1441 CK Purmerend",
        "opening_hours": "Maandag 9.00 - 17.00 uur",
        "phone": "0299 123 456",
        "website": "https://kerkuil.example.nl",
        **INSIDE,
    }
    data.update(overrides)
    return data


def contact_data(**overrides):
    data = {
        "name": "Sociaal wijkteam Centrum",
        "phone": "14 0299",
        "email": "wijkteam@purmerend.example.nl",
        "walk_in_hours": "Dinsdag 9.00 - 12.00 uur",
        "address": "Marktplein 4, 1441 AB Purmerend",
        "website": "",
    }
    data.update(overrides)
    return data


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# --- Phone numbers ------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone",
    [
        "0299 123 456",
        "020-1234567",
        "06 12345678",
        "+31 6 1234 5678",
        "(0299) 123456",
        "0800 1234",
        "0900-1234567",
        "14 020",
        "14 0299",
    ],
)
def test_dutch_phone_numbers_are_accepted(wijk, phone):
    contact = services.contact_save(wijk=wijk, data=contact_data(phone=phone))
    assert contact.phone == " ".join(phone.split())


@pytest.mark.parametrize(
    "phone",
    ["12345", "0299 12 34", "bel me", "+49 30 1234567", "06 123456789", "14 2", "0"],
)
def test_a_number_that_is_no_dutch_phone_number_is_refused(wijk, phone):
    with pytest.raises(ValidationError) as excinfo:
        services.contact_save(wijk=wijk, data=contact_data(phone=phone))
    assert "Nederlands telefoonnummer" in errors_of(excinfo)["phone"][0]
    assert not WijkteamContact.objects.exists()


def test_the_contact_needs_a_phone_number(wijk):
    with pytest.raises(ValidationError) as excinfo:
        services.contact_save(wijk=wijk, data=contact_data(phone="   "))
    assert "phone" in errors_of(excinfo)


def test_a_bad_email_address_is_refused(wijk):
    with pytest.raises(ValidationError) as excinfo:
        services.contact_save(wijk=wijk, data=contact_data(email="wijkteam@"))
    assert "email" in errors_of(excinfo)


def test_saving_the_contact_twice_changes_the_one_row(wijk):
    services.contact_save(wijk=wijk, data=contact_data())
    services.contact_save(wijk=wijk, data=contact_data(name="Wijkteam Noord"))
    assert WijkteamContact.objects.get().name == "Wijkteam Noord"


def test_walk_in_hours_keep_their_lines_and_lose_extra_spaces(wijk):
    contact = services.contact_save(
        wijk=wijk,
        data=contact_data(
            walk_in_hours="  Dinsdag   9-12 uur \r\n\r\n\r\n\r\nDonderdag 13-16  "
        ),
    )
    assert contact.walk_in_hours == "Dinsdag 9-12 uur\n\nDonderdag 13-16"


def test_contact_delete_removes_it(wijk):
    services.contact_save(wijk=wijk, data=contact_data())
    assert services.contact_delete(wijk=wijk) is True
    assert services.contact_delete(wijk=wijk) is False
    assert not WijkteamContact.objects.exists()


# --- Places ---------------------------------------------------------------------------


def test_a_place_inside_the_wijk_is_saved(wijk):
    plek = services.plek_create(wijk=wijk, data=plek_data())
    assert plek.wijk == wijk
    assert plek.name == "Buurthuis De Kerkuil"


def test_a_point_just_outside_the_wijk_is_accepted(wijk):
    # About 330 m north of the square: the GP across the border road.
    services.plek_create(wijk=wijk, data=plek_data(latitude=52.023))


def test_a_point_far_outside_the_wijk_is_refused_with_the_distance(wijk):
    with pytest.raises(ValidationError) as excinfo:
        services.plek_create(wijk=wijk, data=plek_data(latitude=52.5, longitude=4.9))
    message = errors_of(excinfo)["latitude"][0]
    assert "km buiten de wijk" in message
    assert "Purmerend Centrum" in message
    assert not Plek.objects.exists()


def test_a_wijk_without_an_outline_takes_any_point_on_earth(gemeente):
    wijk = WijkFactory(code="WK043950", gemeente=gemeente, geometry=None)
    services.plek_create(wijk=wijk, data=plek_data(latitude=53.2, longitude=6.5))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("latitude", 91.0),
        ("latitude", -90.5),
        ("longitude", 181.0),
        ("longitude", -200.0),
        ("latitude", None),
    ],
)
def test_coordinates_off_the_globe_are_refused(wijk, field, value):
    with pytest.raises(ValidationError) as excinfo:
        services.plek_create(wijk=wijk, data=plek_data(**{field: value}))
    assert field in errors_of(excinfo)


@pytest.mark.parametrize("name", ["", "   "])
def test_a_place_needs_a_name(wijk, name):
    with pytest.raises(ValidationError) as excinfo:
        services.plek_create(wijk=wijk, data=plek_data(name=name))
    assert "name" in errors_of(excinfo)


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("name", 120),
        ("address", 200),
        ("description", 1000),
        ("opening_hours", 500),
    ],
)
def test_too_long_text_is_refused(wijk, field, limit):
    with pytest.raises(ValidationError) as excinfo:
        services.plek_create(wijk=wijk, data=plek_data(**{field: "x" * (limit + 1)}))
    assert field in errors_of(excinfo)
    services.plek_create(wijk=wijk, data=plek_data(**{field: "y" * limit}))


def test_an_unknown_kind_is_refused(wijk):
    with pytest.raises(ValidationError) as excinfo:
        services.plek_create(wijk=wijk, data=plek_data(kind="casino"))
    assert "kind" in errors_of(excinfo)


@pytest.mark.parametrize(
    "website", ["javascript:alert(1)", "geen adres", "https://" + "a" * 300 + ".nl"]
)
def test_a_bad_website_is_refused(wijk, website):
    with pytest.raises(ValidationError) as excinfo:
        services.plek_create(wijk=wijk, data=plek_data(website=website))
    assert "website" in errors_of(excinfo)


def test_a_buurt_of_another_wijk_is_refused(wijk, other_wijk):
    elders = BuurtFactory(code="BU04390299", wijk=other_wijk)
    with pytest.raises(ValidationError) as excinfo:
        services.plek_create(wijk=wijk, data=plek_data(buurt=elders))
    assert "buurt" in errors_of(excinfo)


def test_two_places_with_one_name_in_one_wijk_are_refused(wijk, other_wijk):
    services.plek_create(wijk=wijk, data=plek_data())
    with pytest.raises(ValidationError) as excinfo:
        services.plek_create(wijk=wijk, data=plek_data())
    assert "Er is al een plek met deze naam" in str(excinfo.value)
    # The same name in another wijk is another place.
    services.plek_create(wijk=other_wijk, data=plek_data())


def test_update_keeps_the_wijk_and_validates_again(wijk):
    plek = services.plek_create(wijk=wijk, data=plek_data())
    with pytest.raises(ValidationError):
        services.plek_update(plek=plek, data={"latitude": 40.0})
    plek.refresh_from_db()
    assert plek.latitude == INSIDE["latitude"]
    changed = services.plek_update(plek=plek, data={"name": "  De   Kerkuil "})
    assert changed.name == "De Kerkuil"
    assert changed.wijk_id == wijk.pk


def test_delete_removes_the_place(wijk):
    plek = services.plek_create(wijk=wijk, data=plek_data())
    services.plek_delete(plek=plek)
    assert not Plek.objects.exists()


# --- Geometry ---------------------------------------------------------------------------


def test_distance_is_zero_inside_and_in_metres_outside(wijk):
    assert distance_to_area_m(wijk.geometry, lat=52.01, lon=5.01) == 0
    # 0.01 degree of latitude is about 1.1 km.
    assert distance_to_area_m(wijk.geometry, lat=52.03, lon=5.01) == pytest.approx(
        1113, rel=0.01
    )
    assert NEAR_WIJK_METRES < 1113


@pytest.mark.parametrize(
    "geometry", [None, {}, {"type": "Polygon", "coordinates": []}, {"type": "Nope"}]
)
def test_an_unusable_outline_gives_no_distance(geometry):
    assert distance_to_area_m(geometry, lat=52.0, lon=5.0) is None


# --- Public reads ---------------------------------------------------------------------


def test_contact_for_wijk_is_plain_public_data(wijk):
    assert queries.contact_for_wijk(wijk) is None
    services.contact_save(wijk=wijk, data=contact_data(phone="0299 123 456"))
    loaded = queries.wijk_get(code=wijk.code)
    contact = queries.contact_for_wijk(loaded)
    assert contact.wijk_code == wijk.code
    assert contact.phone == "0299 123 456"
    assert contact.phone_href == "+31299123456"
    as_dict = dataclasses.asdict(contact)
    assert set(as_dict) == {
        "wijk_code",
        "name",
        "phone",
        "phone_href",
        "email",
        "walk_in_hours",
        "address",
        "website",
        "updated_at",
    }
    json.dumps(as_dict, default=str)


def test_contact_comes_with_wijk_get_at_no_cost(wijk, django_assert_num_queries):
    services.contact_save(wijk=wijk, data=contact_data())
    loaded = queries.wijk_get(code=wijk.code)
    with django_assert_num_queries(0):
        assert queries.contact_for_wijk(loaded).name == "Sociaal wijkteam Centrum"


def test_places_for_wijk_is_plain_public_data_of_that_wijk_only(
    wijk, other_wijk, django_assert_num_queries
):
    buurt = BuurtFactory(code="BU04390101", name="Binnenstad", wijk=wijk)
    for i in range(5):
        services.plek_create(wijk=wijk, data=plek_data(name=f"Plek {i}", buurt=buurt))
    services.plek_create(wijk=other_wijk, data=plek_data(name="Elders"))
    with django_assert_num_queries(1):
        places = queries.places_for_wijk(wijk)
    assert [p.name for p in places] == [f"Plek {i}" for i in range(5)]
    first = places[0]
    assert first.buurt_code == "BU04390101"
    assert first.kind_label == "Buurthuis"
    assert first.phone_href == "+31299123456"
    json.dumps([dataclasses.asdict(p) for p in places], default=str)


def test_map_points_are_numbered_like_the_list(wijk):
    services.plek_create(wijk=wijk, data=plek_data(name="B"))
    services.plek_create(wijk=wijk, data=plek_data(name="A"))
    points = queries.places_map_points(queries.places_for_wijk(wijk))
    assert [(p["number"], p["name"]) for p in points] == [(1, "A"), (2, "B")]
    assert points[0]["anchor"].startswith("plek-")


@pytest.mark.parametrize(
    ("phone", "href"),
    [
        ("0299 123 456", "+31299123456"),
        ("+31 6 1234 5678", "+31612345678"),
        ("14 0299", "140299"),
        ("0800 1234", "08001234"),
        ("", ""),
    ],
)
def test_phone_links_dial_the_number(phone, href):
    assert queries._tel(phone) == href


# --- Matching ---------------------------------------------------------------------------


def test_places_matching_finds_words_and_kinds_best_first(wijk, other_wijk):
    services.plek_create(
        wijk=wijk,
        data=plek_data(
            name="Bibliotheek Centrum",
            kind=PlekSoort.BIBLIOTHEEK,
            description="Taalhuis en hulp bij de computer.",
        ),
    )
    services.plek_create(
        wijk=wijk,
        data=plek_data(
            name="Buurthuis De Kerkuil",
            kind=PlekSoort.BUURTHUIS,
            description="Koffieochtend voor ouderen.",
        ),
    )
    services.plek_create(
        wijk=wijk,
        data=plek_data(
            name="Sportschool Fit", kind=PlekSoort.ANDERS, description="Fitness."
        ),
    )
    services.plek_create(
        wijk=other_wijk,
        data=plek_data(name="Buurthuis Elders", description="Ouderen eenzaamheid."),
    )
    found = queries.places_matching(
        wijk=wijk, words="eenzaamheid ouderen flat", kinds=("buurthuis", "bibliotheek")
    )
    assert [p.name for p in found] == ["Buurthuis De Kerkuil", "Bibliotheek Centrum"]
    # Words alone: "taal" finds the Taalhuis; generic words find nothing.
    assert [p.name for p in queries.places_matching(wijk=wijk, words="taal")] == [
        "Bibliotheek Centrum"
    ]
    assert queries.places_matching(wijk=wijk, words="wijk bewoners buurt") == []
    assert len(queries.places_matching(wijk=wijk, words="", kinds=("anders",))) == 1


def test_places_matching_ignores_accents_and_case(wijk):
    services.plek_create(
        wijk=wijk,
        data=plek_data(name="Taalcafé", description="Praten in het Nederlands"),
    )
    assert queries.places_matching(wijk=wijk, words="TAALCAFE")[0].name == "Taalcafé"
