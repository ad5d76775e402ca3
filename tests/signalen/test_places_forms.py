"""Bad input to the contact and place forms comes back with a clear error, status
400, the typed text kept, and nothing saved."""

from __future__ import annotations

import pytest

from tests.conftest import mfa_client
from tests.signalen.test_places_access import post_data
from tests.wijken.test_plekken_models import contact_data, plek_data
from wijken import services
from wijken.models import Plek, WijkteamContact

pytestmark = pytest.mark.django_db


@pytest.fixture
def pro(client, professional):
    return mfa_client(client, professional)


def new_url(wijk):
    return f"/signalen/plekken/{wijk.code}/nieuw/"


def contact_url(wijk):
    return f"/signalen/plekken/{wijk.code}/contact/"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Vul de naam van de plek in."),
        ({"name": "x" * 121}, "hoogstens 120 tekens"),
        ({"address": ""}, "Vul het adres van de plek in."),
        ({"description": "x" * 1001}, "hoogstens 1000 tekens"),
        ({"opening_hours": "x" * 501}, "hoogstens 500 tekens"),
        ({"kind": "casino"}, "Kies een soort plek uit de lijst."),
        ({"phone": "bel me"}, "geen Nederlands telefoonnummer"),
        ({"website": "javascript:alert(1)"}, "webadres"),
        ({"latitude": "noord"}, "Vul een getal in"),
        ({"latitude": ""}, "klik op de kaart"),
        ({"latitude": "95"}, "hoogstens 90"),
        ({"longitude": "-181"}, "-180"),
        ({"latitude": "52,5", "longitude": "4,9"}, "km buiten de wijk"),
        ({"buurt": "999999"}, "Kies een buurt van deze wijk."),
        ({"description": "x" * 200_000}, "hoogstens 1000 tekens"),
    ],
)
def test_a_bad_place_is_refused_and_the_text_kept(pro, wijk, overrides, message):
    data = post_data(**{"name": "Taalcafé De Brug", **overrides})
    response = pro.post(new_url(wijk), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Er is iets niet goed ingevuld." in html
    if overrides.get("name", "Taalcafé De Brug") == "Taalcafé De Brug":
        assert 'value="Taalcafé De Brug"' in html
    assert not Plek.objects.exists()


def test_coordinates_with_a_decimal_comma_are_read(pro, wijk):
    response = pro.post(new_url(wijk), post_data(latitude="52,01", longitude="5,01"))
    assert response.status_code == 302
    plek = Plek.objects.get()
    assert (plek.latitude, plek.longitude) == (52.01, 5.01)


def test_a_buurt_of_another_wijk_cannot_be_chosen(pro, wijk, other_wijk):
    from tests.factories import BuurtFactory

    elders = BuurtFactory(code="BU04390299", wijk=other_wijk)
    response = pro.post(new_url(wijk), post_data(buurt=str(elders.pk)))
    assert response.status_code == 400
    assert "Kies een buurt van deze wijk." in response.content.decode()


def test_a_second_place_with_the_same_name_is_refused(pro, wijk):
    services.plek_create(wijk=wijk, data=plek_data(name="De Brug"))
    response = pro.post(new_url(wijk), post_data(name="de brug"))
    assert response.status_code == 400
    assert "Er is al een plek met deze naam in deze wijk." in response.content.decode()
    assert Plek.objects.count() == 1


def test_editing_a_place_to_a_bad_point_keeps_the_stored_one(pro, wijk):
    plek = services.plek_create(wijk=wijk, data=plek_data())
    url = f"/signalen/plekken/{wijk.code}/{plek.pk}/wijzigen/"
    response = pro.post(url, post_data(name="Nieuwe naam", latitude="40"))
    assert response.status_code == 400
    html = response.content.decode()
    # The heading names the place as stored; the field keeps what was typed.
    assert "Buurthuis De Kerkuil wijzigen" in html
    assert 'value="Nieuwe naam"' in html
    plek.refresh_from_db()
    assert plek.name == "Buurthuis De Kerkuil"
    assert plek.latitude == 52.01


def test_the_edit_form_keeps_its_own_name_free(pro, wijk):
    plek = services.plek_create(wijk=wijk, data=plek_data())
    url = f"/signalen/plekken/{wijk.code}/{plek.pk}/wijzigen/"
    response = pro.post(url, post_data(name="Buurthuis De Kerkuil", address="Elders 1"))
    assert response.status_code == 302
    plek.refresh_from_db()
    assert plek.address == "Elders 1"


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"phone": ""}, "Vul het telefoonnummer van het team in."),
        ({"phone": "12345"}, "geen Nederlands telefoonnummer"),
        ({"email": "wijkteam@"}, "Vul een geldig e-mailadres in"),
        ({"email": "a" * 250 + "@x.nl"}, "hoogstens 254 tekens"),
        ({"walk_in_hours": "x" * 501}, "hoogstens 500 tekens"),
        ({"name": "x" * 121}, "hoogstens 120 tekens"),
        ({"address": "x" * 201}, "hoogstens 200 tekens"),
        ({"website": "geen adres met spaties"}, "webadres"),
    ],
)
def test_a_bad_contact_is_refused_and_the_text_kept(
    pro, wijk, overrides, field_message
):
    data = contact_data(**overrides)
    response = pro.post(contact_url(wijk), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert field_message in html
    assert "Dinsdag 9.00 - 12.00 uur" in html or "walk_in_hours" in overrides
    assert not WijkteamContact.objects.exists()


def test_a_bad_contact_change_keeps_the_stored_contact(pro, wijk):
    services.contact_save(wijk=wijk, data=contact_data())
    response = pro.post(contact_url(wijk), contact_data(name="Nieuw", phone="1"))
    assert response.status_code == 400
    assert WijkteamContact.objects.get().name == "Sociaal wijkteam Centrum"


def test_html_in_the_forms_is_stored_as_text_and_shown_escaped(pro, wijk):
    script = "<script>alert(1)</script>"
    response = pro.post(new_url(wijk), post_data(name=f"Plek {script}"))
    assert response.status_code == 302
    assert Plek.objects.get().name == f"Plek {script}"
    page = pro.get(f"/signalen/plekken/{wijk.code}/").content.decode()
    assert script not in page
    assert "&lt;script&gt;" in page


def test_wrong_methods_are_refused(pro, wijk):
    assert pro.post("/signalen/plekken/").status_code == 405
    assert pro.put(new_url(wijk)).status_code == 405
    assert pro.delete(contact_url(wijk)).status_code == 405
