"""What the officer's pages show."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import mfa_client
from tests.initiatieven.factories import BehoefteFactory, InitiatiefFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_overview_shows_the_wijken(client, ambtenaar, gemeente, wijk, dash_data):
    page = mfa_client(client, ambtenaar).get(f"/dashboard/{gemeente.code}/")
    text = page.content.decode()
    assert "Dashboard gemeente Purmerend" in text
    row = next(r for r in page.context["rows"] if r.code == wijk.code)
    # 23 + 7 + 7 in the three blocks of this period, 26 in the three before.
    assert str(row.signals) == "37"
    assert row.per_1000 == 4.6
    assert str(row.change) == "+11 (+42 %)"
    assert (row.themes, row.unanswered) == (2, 1)
    assert row.freshness is not None
    assert f'href="/dashboard/wijk/{wijk.code}/"' in text
    assert "Legenda: signalen per 1.000 inwoners" in text
    assert "geen gegevens: minder dan 5 signalen" in text
    assert "Grijze Hoek" in text
    assert "Hoe wij blinde vlekken vinden" in text
    assert 'role="region"' in text


def test_wijk_dashboard_sections(client, ambtenaar, wijk, buurten, dash_data):
    initiatief = InitiatiefFactory(wijk=wijk, status="actief", title="Koffie-ochtend")
    BehoefteFactory(initiatief=initiatief, description="Iemand met een auto")
    page = mfa_client(client, ambtenaar).get(f"/dashboard/wijk/{wijk.code}/")
    text = page.content.decode()
    for expected in [
        "Dashboard wijk Purmerend Centrum",
        "Signalen in deze periode",
        "Verandering: +11 (+42 %)",
        "Signalen per 4 weken en categorie",
        "Tabel met de cijfers van de grafiek",
        'id="dash-chart-data"',
        "Nog geen gezamenlijke aanpak",
        "Schulden jonge gezinnen",
        "Eenzaam in de flat",
        "Iemand met een auto",
        "Koffie-ochtend",
        "De wijk in CBS-cijfers",
        "65 jaar en ouder",
        "Eenpersoonshuishoudens",
        "Grijze Hoek",
        "Afdrukken als rapport",
        "css/dashboard.css",
        "vendor/chartjs/chart.umd.min.js",
        "Cijfers bijgewerkt op",
    ]:
        assert expected in text, expected
    # Themes without a collective answer first.
    assert text.index("Eenzaam in de flat") < text.index("Schulden jonge gezinnen")


def test_print_stylesheet_hides_controls():
    css = (ROOT / "static" / "css" / "dashboard.css").read_text()
    assert "@media print" in css
    assert ".bw-no-print" in css


def test_wijk_without_any_data(client, ambtenaar, other_wijk):
    page = mfa_client(client, ambtenaar).get(f"/dashboard/wijk/{other_wijk.code}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Het wijkteam deelt (nog) geen thema" in text
    assert "Er zijn nog geen CBS-cijfers voor deze wijk ingeladen." in text
    assert "De cijfers zijn nog niet bijgewerkt." in text
