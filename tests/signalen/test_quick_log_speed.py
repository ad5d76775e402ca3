"""The empty quick-log form stays cheap: a fixed number of queries however many wijken,
buurten and taxonomy entries there are, and selects written without a template per
option but with the same HTML as Django's."""

from __future__ import annotations

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from signalen.intake.widgets import FastSelect
from signalen.models import Categorie
from tests.factories import BuurtFactory, WijkFactory

pytestmark = pytest.mark.django_db

URL = "/signalen/nieuw/"


def queries_of_get(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_empty_form_keeps_a_fixed_number_of_queries(
    client, professional, team, gemeente, wijk
):
    client.force_login(professional)
    second = WijkFactory(gemeente=gemeente, code="WK043980", name="Oosterpark")
    team.wijken.add(second)
    client.get(URL)  # sessions and the like settle
    few, _ = queries_of_get(client)
    for i, name in enumerate(("Noord", "Zuid", "West")):
        team.wijken.add(WijkFactory(gemeente=gemeente, code=f"WK04399{i}", name=name))
    for i in range(6):
        BuurtFactory(wijk=wijk, name=f"Buurt {i}")
    Categorie.objects.create(code="extra", name="Extra", order=99)
    many, html = queries_of_get(client)
    assert many == few
    assert few == 10  # middleware (session, user, 2FA) plus 7 for the form
    assert "Oosterpark" in html
    assert "Zuid" in html


def test_the_form_does_not_load_wijk_shapes(client, professional):
    client.force_login(professional)
    with CaptureQueriesContext(connection) as captured:
        client.get(URL)
    wijk_selects = [
        q["sql"] for q in captured.captured_queries if 'FROM "wijken_wijk"' in q["sql"]
    ]
    assert wijk_selects
    assert not any('"geometry"' in sql for sql in wijk_selects)


@pytest.mark.parametrize("value", [None, "", 2, "4"])
def test_the_fast_select_writes_the_same_html_as_djangos_select(value):
    choices = [
        ("", "Kies <een>"),
        (1, "Eén & twee"),
        (2, 'Drie "x"'),
        ("Groep", [(3, "a"), (4, "b")]),
    ]
    attrs = {
        "id": "id_categorie",
        "class": "utrecht-select",
        "required": True,
        "disabled": False,
        "aria-describedby": "id_categorie_helptext",
    }
    django_html = forms.Select(choices=choices).render("categorie", value, attrs)
    fast_html = FastSelect(choices=choices).render("categorie", value, attrs)
    assert " ".join(fast_html.split()) == " ".join(django_html.split())


def test_the_chosen_wijk_is_still_selected(client, professional, team, gemeente):
    second = WijkFactory(gemeente=gemeente, code="WK043980", name="Oosterpark")
    team.wijken.add(second)
    client.force_login(professional)
    html = client.get(URL, {"wijk": second.pk}).content.decode()
    assert (
        f'<option value="{second.pk}" selected>Oosterpark (WK043980)</option>' in html
    )
