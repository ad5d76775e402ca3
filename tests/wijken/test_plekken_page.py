"""The public wijk page shows the wijkteam's contact and the places, in a list and as
numbered points for the map, at a fixed number of queries."""

from __future__ import annotations

import json
import re

import pytest
from django.core.management import call_command

from tests.conftest import mfa_client
from tests.factories import BuurtFactory, KerncijfersFactory
from tests.wijken.test_plekken_models import contact_data, plek_data
from wijken import services
from wijken.demo import DEMO_CODE
from wijken.geometry import distance_to_area_m
from wijken.models import Plek, Wijk, WijkteamContact

pytestmark = pytest.mark.django_db


def page(client, wijk) -> str:
    response = client.get(wijk.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def points_of(html: str) -> list[dict]:
    match = re.search(
        r'<script id="wijk-plekken-data" type="application/json">(.*?)</script>',
        html,
        re.S,
    )
    assert match, "no map points on the page"
    return json.loads(match.group(1))


def test_without_contact_or_places_the_page_says_so(client, wijk):
    html = page(client, wijk)
    assert "Uw wijkteam" in html
    assert "nog geen contactgegevens" in html
    assert "nog geen plekken" in html
    assert "wijk-plekken-data" not in html


def test_the_page_shows_the_contact_with_links_to_call_and_mail(client, wijk):
    services.contact_save(wijk=wijk, data=contact_data(phone="0299 123 456"))
    html = page(client, wijk)
    assert "Sociaal wijkteam Centrum" in html
    assert 'href="tel:+31299123456"' in html
    assert 'href="mailto:wijkteam@purmerend.example.nl"' in html
    assert "Dinsdag 9.00 - 12.00 uur" in html
    assert "Marktplein 4, 1441 AB Purmerend" in html


def test_the_page_lists_the_places_and_gives_the_map_their_points(client, wijk):
    services.plek_create(wijk=wijk, data=plek_data(name="Buurthuis De Kerkuil"))
    services.plek_create(
        wijk=wijk,
        data=plek_data(
            name="Bibliotheek Centrum",
            kind="bibliotheek",
            opening_hours="Dinsdag 10-17\nDonderdag tot 20",
        ),
    )
    html = page(client, wijk)
    assert "Plekken in de wijk" in html
    assert html.index("Bibliotheek Centrum") < html.index("Buurthuis De Kerkuil")
    assert "Dinsdag 10-17<br>Donderdag tot 20" in html
    points = points_of(html)
    assert [(p["number"], p["name"]) for p in points] == [
        (1, "Bibliotheek Centrum"),
        (2, "Buurthuis De Kerkuil"),
    ]
    for point in points:
        assert f'id="{point["anchor"]}"' in html
    assert 'data-points="wijk-plekken-data"' in html


def test_places_of_another_wijk_stay_off_the_page(client, wijk, other_wijk):
    services.plek_create(wijk=other_wijk, data=plek_data(name="Elders"))
    services.contact_save(wijk=other_wijk, data=contact_data(name="Team Elders"))
    html = page(client, wijk)
    assert "Elders" not in html


def test_html_and_script_typed_by_the_team_is_shown_as_text(client, wijk):
    script = "<script>alert(1)</script>"
    services.contact_save(
        wijk=wijk, data=contact_data(name=f"Team {script}", walk_in_hours=script)
    )
    services.plek_create(
        wijk=wijk,
        data=plek_data(
            name=f"Plek {script}",
            description=f"<b>vet</b> {script}",
            address=f"<img src=x onerror=alert(1)> {script}",
            opening_hours=script,
        ),
    )
    html = page(client, wijk)
    assert script not in html.replace("</script>", "")  # no live script from the data
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "<b>vet</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # In the map's JSON the angle brackets are escaped too.
    assert "\\u003Cscript\\u003E" in html


def test_the_manage_link_shows_only_for_those_who_may_manage(
    client, wijk, professional, outsider_professional, bewoner, beheerder
):
    manage = f"/signalen/plekken/{wijk.code}/"
    assert manage not in page(client, wijk)
    for user, shown in (
        (bewoner, False),
        (outsider_professional, False),
        (professional, True),
        (beheerder, True),
    ):
        client.logout()
        mfa_client(client, user)
        assert (manage in page(client, wijk)) is shown, user


def test_the_query_count_does_not_grow_with_places(
    client, wijk, django_assert_num_queries
):
    """Anonymous visitor: the wijk's own row (1), then for the content: the wijk with
    its gemeente and wijkteam contact (1), its buurten (1), their figures (1), the
    places (1), and the initiatives and public themes of the other apps (2); the wijkbudget rounds and the
    bewonersagenda (2); the wijkgesprek panel (2). 30 more
    places and a contact cost nothing more."""
    for i in range(3):
        BuurtFactory(code=f"BU043901{i:02d}", wijk=wijk)
        KerncijfersFactory(code=f"BU043901{i:02d}", level="buurt")
    services.plek_create(wijk=wijk, data=plek_data(name="Plek 0"))
    with django_assert_num_queries(11):
        page(client, wijk)
    services.contact_save(wijk=wijk, data=contact_data())
    for i in range(1, 31):
        services.plek_create(wijk=wijk, data=plek_data(name=f"Plek {i}"))
    with django_assert_num_queries(11):
        html = page(client, wijk)
    assert len(points_of(html)) == 31


def test_load_demo_puts_a_contact_and_places_inside_the_demo_wijk(settings, tmp_path):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path  # load_demo builds the open-data files
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    wijk = Wijk.objects.filter(gemeente__code=DEMO_CODE).order_by("code").first()
    assert WijkteamContact.objects.get(wijk=wijk).phone
    places = list(Plek.objects.filter(wijk=wijk))
    assert 3 <= len(places) <= 4
    assert {p.kind for p in places} >= {"buurthuis", "bibliotheek", "huisarts"}
    for plek in places:
        assert (
            distance_to_area_m(wijk.geometry, lat=plek.latitude, lon=plek.longitude)
            == 0
        )
        assert plek.buurt.wijk_id == wijk.pk
    # A second run changes nothing.
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Plek.objects.filter(wijk=wijk).count() == len(places)
    assert WijkteamContact.objects.filter(wijk=wijk).count() == 1


def test_the_admin_lists_and_validates_places_and_contacts(client, beheerder, wijk):
    services.plek_create(wijk=wijk, data=plek_data())
    services.contact_save(wijk=wijk, data=contact_data())
    mfa_client(client, beheerder)
    for url in (
        "/beheer/wijken/plek/",
        "/beheer/wijken/plek/add/",
        "/beheer/wijken/wijkteamcontact/",
        "/beheer/wijken/wijkteamcontact/add/",
    ):
        assert client.get(url).status_code == 200, url
    assert "Buurthuis De Kerkuil" in client.get("/beheer/wijken/plek/").content.decode()
    response = client.post(
        "/beheer/wijken/plek/add/",
        {
            **plek_data(name="Ver weg", latitude="52.5", longitude="4.9"),
            "wijk": wijk.pk,
        },
    )
    assert response.status_code == 200
    assert "km buiten de wijk" in response.content.decode()
    assert not Plek.objects.filter(name="Ver weg").exists()
