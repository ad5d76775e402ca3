"""Issue 18 item 14: the demo runs with DEBUG on, and a wrong address showed Django's
technical 404 page with every URL pattern of the site. Now it shows the site's own."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

TECHNICAL = "Using the URLconf defined in"


def test_a_wrong_address_in_the_demo_shows_the_friendly_page(client, settings):
    settings.DEBUG = True
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Deze pagina bestaat niet" in page
    assert TECHNICAL not in page
    assert "beheer/" not in page  # no list of the site's URLs


def test_a_404_raised_by_a_view_in_the_demo_is_friendly_too(client, settings):
    settings.DEBUG = True
    response = client.get("/wijk/WK999999/")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in response.content.decode()
    assert TECHNICAL not in response.content.decode()


def test_a_developer_can_have_the_technical_page_back(client, settings):
    settings.DEBUG = True
    settings.FRIENDLY_404 = False
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert TECHNICAL in response.content.decode()


def test_the_api_keeps_its_json_404_in_the_demo(client, settings):
    settings.DEBUG = True
    response = client.get("/api/v1/bestaat-niet/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_a_missing_slash_is_still_added(client, settings):
    settings.DEBUG = True
    response = client.get("/initiatieven")
    assert response.status_code == 301
    assert response["Location"] == "/initiatieven/"


def test_the_friendly_page_knows_who_is_logged_in(client, settings, bewoner):
    settings.DEBUG = True
    client.force_login(bewoner)
    page = client.get("/bestaat-niet/").content.decode()
    assert "Uitloggen" in page
