"""A resident starts an initiative with a photo, is told "bestaat dit al?", and another
resident joins; axe-core on every page, on a phone and on a desktop."""

from __future__ import annotations

import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from initiatieven.demo import themas_ensure
from initiatieven.models import Deelname, Initiatief
from tests.browser.conftest import assert_accessible
from tests.browser.test_foundation import go, log_in
from tests.factories import BuurtFactory, UserFactory, square

VIEWPORTS = {
    "phone": {"width": 375, "height": 812},
    "desktop": {"width": 1280, "height": 900},
}


@pytest.fixture
def existing(wijk):
    # transactional_db empties every table after a test, the seeded themes too.
    themas_ensure()
    BuurtFactory(
        code="BU04390101", name="Binnenstad", wijk=wijk, geometry=square(5.0, 52.0)
    )
    owner = UserFactory(
        email="wandelaar@example.nl", display_name="Wim Wandel", wijk=wijk
    )
    return Initiatief.objects.create(
        title="Wandelclub De Wagenweg",
        summary="Elke dinsdag wandelen we samen een uur.",
        wijk=wijk,
        owner=owner,
    )


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def log_out(page) -> None:
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_resident_starts_an_initiative_and_a_neighbour_joins(
    page, viewport, bewoner, existing, tmp_path
):
    page.set_viewport_size(VIEWPORTS[viewport])
    photo = tmp_path / "wandeling.jpg"
    Image.new("RGB", (400, 300), (60, 140, 60)).save(photo, format="JPEG")

    go(page, "/initiatieven/")
    expect(page.locator("h1")).to_contain_text("Initiatieven")
    # One place on the map, with its count (#18 item 9).
    expect(page.locator(".bw-map-pin--count")).to_have_count(1)
    assert_accessible(page, context=f"list, anonymous, {viewport}")

    log_in(page, bewoner)
    page.wait_for_url(re.compile(r"/account/start/"))
    go(page, "/initiatieven/")
    page.get_by_role("link", name="Zelf een initiatief starten").click()
    page.wait_for_url(re.compile(r"/initiatieven/nieuw/"))
    assert_accessible(page, context=f"start form, {viewport}")

    page.fill("input[name=title]", "Wandelclub voor ouderen")
    # htmx asks the server while the title is typed.
    expect(page.get_by_role("heading", name="Bestaat dit al?")).to_be_visible()
    expect(page.get_by_role("link", name="Wandelclub De Wagenweg")).to_be_visible()
    assert_accessible(page, context=f"start form with suggestions, {viewport}")

    page.fill(
        "textarea[name=summary]", "Rustig wandelen op donderdag, met koffie na afloop."
    )
    page.get_by_label("Ouderen").check()
    page.set_input_files("input[name=photo]", str(photo))
    page.fill("input[name=photo_alt]", "Wandelaars in het park")
    page.get_by_role("button", name="Initiatief starten").click()
    page.wait_for_url(re.compile(r"/initiatieven/\d+/$"))
    expect(page.locator("h1")).to_contain_text("Wandelclub voor ouderen")
    assert_accessible(page, context=f"detail as organiser, {viewport}")
    created = Initiatief.objects.get(title="Wandelclub voor ouderen")
    assert created.owner == bewoner
    assert created.photo.name.endswith(".jpg")

    page.get_by_text("Iets toevoegen wat nodig is").click()
    page.get_by_label("Soort hulp").select_option("vrijwilligers")
    page.get_by_label("Omschrijving").fill("Iemand die de route uitzet")
    page.get_by_role("button", name="Toevoegen").first.click()
    expect(
        page.get_by_text("Iemand die de route uitzet", exact=True).first
    ).to_be_visible()
    log_out(page)

    neighbour = UserFactory(
        email="buurvrouw@example.nl", display_name="Bep Buurvrouw", wijk=bewoner.wijk
    )
    log_in(page, neighbour)
    page.wait_for_url(re.compile(r"/account/start/"))
    go(page, created.get_absolute_url())
    assert_accessible(page, context=f"detail as resident, {viewport}")
    page.get_by_label("Mijn naam mag op deze pagina staan").check()
    page.get_by_role("button", name="Ik doe mee").click()
    expect(page.get_by_text("U doet mee. Fijn!")).to_be_visible()
    expect(page.get_by_text("1 persoon doet mee")).to_be_visible()
    expect(page.get_by_text("Bep Buurvrouw (ik doe mee)")).to_be_visible()
    assert_accessible(page, context=f"detail after joining, {viewport}")
    assert Deelname.objects.filter(user=neighbour, initiatief=created).exists()

    go(page, "/initiatieven/wat-ik-kan-geven/")
    assert_accessible(page, context=f"aanbod, {viewport}")
    page.get_by_label("Vrijwilligers").check()
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(re.compile(r"/initiatieven/mijn/"))
    expect(page.get_by_role("region", name="Wat ik kan geven")).to_contain_text(
        "Iemand die de route uitzet"
    )
    assert_accessible(page, context=f"mijn buurtwijs, {viewport}")
