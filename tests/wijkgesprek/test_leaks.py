"""Two leaks a review reproduced: the place and facilitator skipped the scrubber
(residents, the .ics and, with public minutes, anyone read them), and the chair's name
was on the public page of a meeting with public minutes."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from signalen.intake.scrubbing import ScrubUnavailable
from tests.conftest import mfa_client
from wijkgesprek.models import Wijkgesprek

pytestmark = pytest.mark.django_db

PLACE = "Thuis bij mevrouw Jansen, Dorpsstraat 12, 06-12345678"
FACILITATOR = "Karin de Vries (karin@example.nl)"


def _plan(client, wijk, **over):
    day = timezone.localdate() + datetime.timedelta(days=5)
    data = {
        "date": day.isoformat(),
        "time": "19:30",
        "place": PLACE,
        "facilitator": FACILITATOR,
        "chair": "",
    }
    data.update(over)
    return client.post(reverse("wijkgesprek:create", args=[wijk.code]), data)


# --- 1. Place and facilitator go through the scrubber -------------------------------


@pytest.mark.real_scrubber
def test_place_and_facilitator_are_scrubbed_everywhere_they_are_shown(
    client, wijk, team, professional, bewoner
):
    mfa_client(client, professional)
    response = _plan(client, wijk)
    assert response.status_code == 302
    shown = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "telefoonnummer" in shown
    assert "e-mailadres" in shown
    gesprek = Wijkgesprek.objects.get(wijk=wijk)
    for leak in ("06-12345678", "Jansen", "Dorpsstraat 12"):
        assert leak not in gesprek.place
    assert "karin@example.nl" not in gesprek.facilitator
    client.force_login(bewoner)
    page = client.get(gesprek.get_absolute_url()).content.decode()
    ics = client.get(reverse("wijkgesprek:ics", args=[gesprek.pk])).content.decode()
    for text in (page, ics):
        assert "06-12345678" not in text
        assert "karin@example.nl" not in text
        assert "Jansen" not in text


def test_the_planner_is_told_nothing_when_nothing_was_removed(
    client, wijk, team, professional
):
    mfa_client(client, professional)
    response = _plan(client, wijk, place="Buurthuis De Ster", facilitator="")
    assert response.status_code == 302
    shown = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "weggehaald" not in shown
    assert Wijkgesprek.objects.get(wijk=wijk).place == "Buurthuis De Ster"


def test_place_goes_through_the_scrubber_stand_in(client, wijk, team, professional):
    # The stand-in scrubber (conftest) only takes out "Jansen".
    mfa_client(client, professional)
    assert _plan(client, wijk, facilitator="Buurtbemiddeling Jansen").status_code == 302
    gesprek = Wijkgesprek.objects.get(wijk=wijk)
    assert "Jansen" not in gesprek.place
    assert "Jansen" not in gesprek.facilitator


def test_without_the_scrubber_nothing_is_planned(
    client, wijk, team, professional, monkeypatch
):
    from signalen.intake import staff_text

    def down(*args, **kwargs):
        raise ScrubUnavailable("down")

    monkeypatch.setattr(staff_text, "text_scrub", down)
    mfa_client(client, professional)
    response = _plan(client, wijk)
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert response.context["form"]["place"].value() == PLACE
    assert not Wijkgesprek.objects.exists()


# --- 2. The chair's name is for those who see the planned meeting -------------------


@pytest.fixture
def public_minutes(held):
    held.minutes_published_at = timezone.now()
    held.minutes_public = True
    held.save()
    return held


def test_anonymous_reads_a_resident_not_the_chairs_name(client, wijk, public_minutes):
    page = client.get(public_minutes.get_absolute_url())
    assert page.status_code == 200
    assert "Buur Bram" not in page.content.decode()
    assert "een bewoner uit de wijk" in page.content.decode()
    listing = client.get(reverse("wijkgesprek:wijk", args=[wijk.code]))
    assert "Buur Bram" not in listing.content.decode()
    panel = client.get(reverse("dashboard:wijk", args=[wijk.code]))
    assert "Buur Bram" not in panel.content.decode()


def test_other_wijken_read_a_resident_not_the_chairs_name(
    client, public_minutes, outsider_resident, outsider_professional, outsider_ambtenaar
):
    for user in (outsider_resident, outsider_professional, outsider_ambtenaar):
        mfa_client(client, user)
        page = client.get(public_minutes.get_absolute_url()).content.decode()
        assert "Buur Bram" not in page
        assert "een bewoner uit de wijk" in page


def test_the_wijk_and_its_planners_see_the_chairs_name(
    client, public_minutes, bewoner, professional, ambtenaar, neighbour
):
    for user in (bewoner, professional, ambtenaar, neighbour):
        mfa_client(client, user)
        page = client.get(public_minutes.get_absolute_url()).content.decode()
        assert "Buur Bram" in page


def test_the_volunteer_text_says_who_sees_the_chairs_name(client, wijk, neighbour):
    client.force_login(neighbour)
    page = client.get(reverse("wijkgesprek:wijk", args=[wijk.code])).content.decode()
    assert "Ik wil voorzitter zijn" in page
    assert "zien de bewoners van deze wijk, het wijkteam en de gemeente uw naam" in page


def test_an_edit_in_the_admin_goes_through_the_scrubber_too(gesprek):
    from django.forms.models import model_to_dict

    from wijkgesprek.admin import WijkgesprekAdminForm

    data = {k: v for k, v in model_to_dict(gesprek).items() if v is not None}
    data.update(place="Thuis bij Jansen", facilitator="Buurtbemiddeling Jansen")
    form = WijkgesprekAdminForm(data=data, instance=gesprek)
    assert form.is_valid(), form.errors
    form.save()
    gesprek.refresh_from_db()
    assert "Jansen" not in gesprek.place
    assert "Jansen" not in gesprek.facilitator


@pytest.mark.real_scrubber
def test_a_registered_place_of_the_wijk_keeps_its_name_and_address(wijk):
    """Residents must find the meeting: the wijk's own places (public, in the places
    list) keep their name and address; a home address and a phone number go."""
    from wijken.models import Plek
    from wijkgesprek.services import where_and_who_scrub

    Plek.objects.create(
        wijk=wijk,
        kind="buurthuis",
        name="Buurthuis De Linde",
        address="Kerkstraat 4",
        latitude=52.5,
        longitude=4.95,
    )
    place, _who, removed = where_and_who_scrub(
        place="Buurthuis De Linde, Kerkstraat 4", facilitator="", wijk=wijk
    )
    assert place == "Buurthuis De Linde, Kerkstraat 4"
    assert removed == ()
    home, _who, removed = where_and_who_scrub(
        place="Thuis bij mevrouw Jansen, Dorpsstraat 12, 06-12345678",
        facilitator="",
        wijk=wijk,
    )
    assert "Dorpsstraat 12" not in home
    assert "06-12345678" not in home
    assert "Jansen" not in home
