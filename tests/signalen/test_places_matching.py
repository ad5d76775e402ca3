""" "Alles is er al": a theme's "Wat is er al in de wijk?" panel offers the places of
its wijk whose words or kind fit the theme, beside the initiatives
(signalen/answers/services.py place_suggestions)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from signalen.answers import queries as answer_queries
from signalen.models import Categorie
from tests.conftest import mfa_client
from tests.signalen.helpers import make_thema
from tests.wijken.test_plekken_models import plek_data
from wijken import services
from wijken.models import PlekSoort

pytestmark = pytest.mark.django_db


@pytest.fixture
def plekken(wijk, other_wijk):
    services.plek_create(
        wijk=wijk,
        data=plek_data(
            name="Buurthuis De Kerkuil",
            kind=PlekSoort.BUURTHUIS,
            description="Koffieochtend voor ouderen en een eettafel op vrijdag.",
        ),
    )
    services.plek_create(
        wijk=wijk,
        data=plek_data(
            name="Bibliotheek Centrum",
            kind=PlekSoort.BIBLIOTHEEK,
            description="Taalhuis en hulp bij de computer.",
            phone="0299 555 000",
        ),
    )
    services.plek_create(
        wijk=wijk,
        data=plek_data(
            name="Huisartsenpraktijk Plein",
            kind=PlekSoort.HUISARTS,
            description="Huisarts en praktijkondersteuner.",
        ),
    )
    services.plek_create(
        wijk=other_wijk,
        data=plek_data(
            name="Buurthuis Elders",
            kind=PlekSoort.BUURTHUIS,
            description="Koffie voor ouderen.",
        ),
    )


def test_a_loneliness_theme_gets_the_buurthuis_first_then_fitting_kinds(wijk, plekken):
    thema = make_thema(wijk)  # "ouderen, flat, buurthuis", category eenzaamheid
    names = [p.name for p in answer_queries.place_suggestions(thema)]
    assert names == ["Buurthuis De Kerkuil", "Bibliotheek Centrum"]


def test_a_language_theme_finds_the_taalhuis(wijk, plekken):
    thema = make_thema(
        wijk,
        label="taal, nederlands, formulieren",
        keywords=["taal", "formulieren"],
        categorie=Categorie.objects.get(code="taal-meedoen"),
    )
    assert answer_queries.place_suggestions(thema)[0].name == "Bibliotheek Centrum"


def test_a_health_theme_finds_the_gp_by_its_kind(wijk, plekken):
    thema = make_thema(
        wijk,
        label="klachten, pijn",
        keywords=["klachten", "pijn"],
        categorie=Categorie.objects.get(code="gezondheid"),
    )
    assert [p.name for p in answer_queries.place_suggestions(thema)] == [
        "Huisartsenpraktijk Plein"
    ]


def test_no_fit_no_places(wijk, plekken):
    thema = make_thema(
        wijk,
        label="parkeren, auto",
        keywords=["parkeren", "auto"],
        categorie=Categorie.objects.get(code="veiligheid"),
    )
    assert answer_queries.place_suggestions(thema) == []


def test_a_theme_without_category_matches_on_words_only(wijk, plekken):
    thema = make_thema(wijk, label="koffie", keywords=["koffieochtend"], categorie=None)
    assert [p.name for p in answer_queries.place_suggestions(thema)] == [
        "Buurthuis De Kerkuil"
    ]


def test_the_theme_page_shows_the_places_with_their_contact(
    client, professional, wijk, plekken
):
    thema = make_thema(wijk)
    mfa_client(client, professional)
    page = client.get(
        reverse("signalen:thema_detail", kwargs={"pk": thema.pk})
    ).content.decode()
    assert "Plekken in de wijk die misschien passen" in page
    section = page[page.index("Plekken in de wijk die misschien passen") :]
    assert "Buurthuis De Kerkuil" in section
    assert "Bibliotheek Centrum" in section
    assert 'href="tel:+31299555000"' in section
    assert "Buurthuis Elders" not in page
    assert f"/signalen/plekken/{wijk.code}/" in section


def test_the_theme_page_says_so_when_no_place_fits(client, professional, wijk):
    thema = make_thema(wijk)
    mfa_client(client, professional)
    page = client.get(
        reverse("signalen:thema_detail", kwargs={"pk": thema.pk})
    ).content.decode()
    assert "Er staan geen plekken op de wijkpagina die lijken te passen." in page
