"""Issue 18 items 10 and 12: the menu leads where people look, and the texts say what
is true, in the site's own "u" and at B1."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import resolve
from django.utils import translation

from initiatieven.models import Deelname, Thema
from tests.accounts.conftest import login_with_password
from tests.conftest import mfa_client
from tests.initiatieven.factories import InitiatiefFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]


# --- Item 10: the menu -------------------------------------------------------------------


def test_a_residents_menu_leads_to_mijn_buurtwijs(client, bewoner):
    client.force_login(bewoner)
    page = client.get("/").content.decode()
    assert 'href="/initiatieven/mijn/">Mijn Buurtwijs</a>' in page
    start = client.get("/account/start/").content.decode()
    assert 'href="/initiatieven/mijn/"' in start
    assert (
        'href="/account/start/"' in client.get("/initiatieven/mijn/").content.decode()
    )


def test_staff_keep_mijn_overzicht_and_officers_get_the_dashboard(
    client, professional, ambtenaar
):
    mfa_client(client, professional)
    page = client.get("/account/start/").content.decode()
    assert 'href="/account/start/">Mijn overzicht</a>' in page
    assert 'href="/initiatieven/mijn/"' not in page
    assert 'href="/dashboard/"' not in page
    mfa_client(client, ambtenaar)
    page = client.get("/account/start/").content.decode()
    assert page.count('href="/dashboard/"') == 2  # the menu and the start page


# --- Item 12: texts ----------------------------------------------------------------------


def test_a_wrong_password_is_told_with_u_and_without_en_of(client, bewoner):
    response = login_with_password(client, bewoner.email, "fout-wachtwoord")
    page = response.content.decode()
    assert "Het e-mailadres of het wachtwoord klopt niet." in page
    assert "jou" not in page
    assert "en/of" not in page


def test_the_delete_account_password_is_not_labelled_optional(client, bewoner):
    client.force_login(bewoner)
    page = client.get("/account/verwijderen/").content.decode()
    assert "Uw wachtwoord" in page
    assert "mag leeg blijven" not in page
    response = client.post("/account/verwijderen/", {"password": ""})
    assert response.status_code == 400
    assert response.content.decode().count("Vul uw wachtwoord in.") >= 1
    bewoner.refresh_from_db()
    assert bewoner.is_active


def _codes_message(path: str) -> str:
    """allauth's message after recovery codes were made, as rendered for a request
    to this path (allauth adds it after the commit, with the request of the view)."""
    request = RequestFactory().post(path)
    request.resolver_match = resolve(path)
    return render_to_string(
        "mfa/messages/recovery_codes_generated.txt", {}, request
    ).strip()


def test_the_first_2fa_set_up_does_not_speak_of_old_codes():
    # Codes made along with the first authenticator app (totp/activate/).
    text = _codes_message("/account/2fa/totp/activate/")
    assert text.startswith("U heeft herstelcodes gekregen.")
    assert "oude codes" not in text


def test_new_recovery_codes_later_do_say_the_old_ones_stop():
    text = _codes_message("/account/2fa/recovery-codes/generate/")
    assert text == "U heeft nieuwe herstelcodes. De oude codes werken niet meer."


def test_organisers_are_not_offered_ik_doe_mee_on_their_own_initiative(
    client, bewoner, wijk
):
    initiatief = InitiatiefFactory(wijk=wijk, owner=bewoner, title="Eigen club")
    client.force_login(bewoner)
    page = client.get(initiatief.get_absolute_url()).content.decode()
    assert "U organiseert dit initiatief." in page
    assert "Ik doe mee" not in page
    response = client.post(
        f"/initiatieven/{initiatief.pk}/meedoen/", {"kind": "doe_mee"}
    )
    assert response.status_code == 302
    assert not Deelname.objects.filter(user=bewoner, initiatief=initiatief).exists()


def test_others_are_still_offered_ik_doe_mee(client, bewoner, wijk):
    from tests.factories import UserFactory

    owner = UserFactory(wijk=wijk, email="eigenaar@example.nl")
    initiatief = InitiatiefFactory(wijk=wijk, owner=owner)
    client.force_login(bewoner)
    assert "Ik doe mee" in client.get(initiatief.get_absolute_url()).content.decode()


def test_topic_tags_are_english_on_english_pages(client, wijk, bewoner):
    thema = Thema.objects.get(code="groen-buitenruimte")
    initiatief = InitiatiefFactory(wijk=wijk, owner=bewoner)
    initiatief.themas.add(thema)
    with translation.override("en"):
        assert str(thema) == "Green spaces and outdoors"
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(initiatief.get_absolute_url()).content.decode()
    assert "Green spaces and outdoors" in page
    assert "Groen en buitenruimte" not in page
    with translation.override("nl"):
        assert str(thema) == "Groen en buitenruimte"


def test_every_page_links_an_svg_favicon(client):
    page = client.get("/").content.decode()
    assert 'rel="icon"' in page
    assert "favicon" in page
    svg = (ROOT / "static" / "favicon.svg").read_text()
    assert svg.lstrip().startswith("<svg")
