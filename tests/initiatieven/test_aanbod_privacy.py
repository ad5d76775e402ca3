"""What a resident can give: the privacy statement and the offers page say the same,
and it is what the code does: only the resident (and a beheerder in the admin) sees
it, organisers do not (#18 item 11)."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from initiatieven.services import aanbod_save
from tests.factories import UserFactory
from tests.initiatieven.factories import BehoefteFactory, InitiatiefFactory

pytestmark = pytest.mark.django_db

WHO_SEES = (
    "Wat u kunt geven ziet alleen u. Organisatoren en andere bewoners zien het niet. "
    "Alleen de beheerder kan het zien, als dat nodig is voor het werk."
)
TALENT = "Ik repareer fietsen op zaterdag"


def _text(response) -> str:
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body))


def test_the_privacy_statement_and_the_offers_page_say_the_same_about_who_sees_it(
    client, bewoner
):
    statement = _text(client.get(reverse("privacy:statement")))
    client.force_login(bewoner)
    offers = _text(client.get(reverse("initiatieven:aanbod")))
    for text in (statement, offers):
        assert WHO_SEES in text
        assert "U zoekt zelf contact met de organisatoren." in text
        # The old, contradicting promises.
        assert "Zo kunnen organisatoren u vinden" not in text
        assert "Niemand anders ziet deze gegevens" not in text


def test_the_english_pages_say_the_same_too(client, bewoner):
    client.cookies["django_language"] = "en"
    statement = _text(client.get(reverse("privacy:statement")))
    client.force_login(bewoner)
    offers = _text(client.get(reverse("initiatieven:aanbod")))
    english = "Only you see what you can give. Organisers and other residents do not"
    assert english in statement
    assert english in offers


def test_an_organiser_never_sees_what_a_matching_resident_can_give(
    client, bewoner, wijk
):
    organiser = UserFactory(wijk=wijk)
    initiatief = InitiatiefFactory(wijk=wijk, owner=organiser, title="Fietsclub")
    BehoefteFactory(initiatief=initiatief, kind="kennis", description="Sleutelaars")
    aanbod_save(user=bewoner, talents=TALENT, kinds=["kennis"], hours_per_month=4)
    client.force_login(organiser)
    for url in (
        reverse("initiatieven:detail", args=[initiatief.pk]),
        reverse("initiatieven:mijn"),
        reverse("initiatieven:list"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        text = _text(response)
        assert TALENT not in text, url
        assert bewoner.display_name not in text, url
    # The resident does see it, and the initiative that looks for it.
    client.force_login(bewoner)
    mine = _text(client.get(reverse("initiatieven:aanbod")))
    assert TALENT in mine
    assert "Fietsclub" in _text(client.get(reverse("initiatieven:mijn")))
