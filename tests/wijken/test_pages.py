"""The public geography pages: home, search, gemeente and wijk."""

from __future__ import annotations

import json
import re

import pytest

from tests.factories import (
    BuurtFactory,
    GemeenteFactory,
    KerncijfersFactory,
    WijkFactory,
)


def map_data(html: str, element_id: str) -> dict:
    match = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S
    )
    assert match, f"no {element_id} in page"
    return json.loads(match.group(1))


def test_home_without_geography_says_so(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "Er zijn nog geen wijken ingeladen" in response.content.decode()


def test_home_shows_the_demo_gemeente_first_in_the_demo(client, db, settings):
    settings.DEBUG = True
    GemeenteFactory(code="GM0001", name="Aaa-echt")
    demo = GemeenteFactory(code="GM9901", name="Demostad", is_demo=True)
    WijkFactory(code="WK990101", name="Centrum", gemeente=demo)
    html = client.get("/").content.decode()
    assert "De wijken van Demostad" in html
    assert "verzonnen demo-gemeente" in html
    assert (
        map_data(html, "home-map-data")["features"][0]["properties"]["code"]
        == "WK990101"
    )


def test_a_real_site_never_shows_a_demo_town_first(client, db):
    GemeenteFactory(code="GM0001", name="Zzz-echt")
    GemeenteFactory(code="GM9901", name="Demostad", is_demo=True)
    html = client.get("/").content.decode()
    assert "De wijken van Zzz-echt" in html


def test_home_shows_the_residents_own_gemeente(client, bewoner, outsider_wijk):
    client.force_login(bewoner)
    html = client.get("/").content.decode()
    assert "De wijken van Purmerend" in html


def test_search_finds_wijken_and_gemeenten_by_name(client, wijk, outsider_wijk):
    html = client.get("/gemeenten/", {"q": "centrum"}).content.decode()
    assert wijk.get_absolute_url() in html
    assert outsider_wijk.get_absolute_url() not in html


def test_search_by_code_is_case_insensitive(client, wijk):
    html = client.get("/gemeenten/", {"q": "wk043901"}).content.decode()
    assert wijk.get_absolute_url() in html


@pytest.mark.parametrize(
    "term",
    [
        "<script>alert(1)</script>",
        "x" * 5000,
        "'; DROP TABLE wijken_wijk; --",
        "\u0000",
    ],
    ids=["html", "huge", "sql", "nul"],
)
def test_search_with_strange_input_answers_safely(client, wijk, term):
    response = client.get("/gemeenten/", {"q": term})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    echoed = re.search(r'name="q" value="([^"]*)"', html)
    assert echoed
    assert len(echoed.group(1)) <= 100


def test_a_too_long_search_term_gets_a_clear_error(client, wijk):
    html = client.get("/gemeenten/", {"q": "x" * 101}).content.decode()
    assert "Typ een kortere zoekterm (hoogstens 100 tekens)." in html
    assert 'aria-invalid="true"' in html


@pytest.mark.parametrize("page", ["abc", "-1", "99999", ""])
def test_a_bad_page_number_still_gives_a_page(client, gemeente, page):
    assert client.get("/gemeenten/", {"pagina": page}).status_code == 200


@pytest.mark.parametrize(
    "code", ["GM9999", "gm", "<script>", "GM0439/../x", "x" * 300], ids=str.__len__
)
def test_unknown_gemeente_codes_are_404(client, gemeente, code):
    assert client.get(f"/gemeente/{code}/").status_code == 404


def test_gemeente_page_lists_its_wijken_with_figures(
    client, wijk, other_wijk, outsider_wijk
):
    KerncijfersFactory(code=wijk.code, inhabitants=12345, households=6000)
    html = client.get("/gemeente/gm0439/").content.decode()
    assert "Gemeente Purmerend" in html
    assert wijk.name in html
    assert other_wijk.name in html
    assert outsider_wijk.name not in html
    assert "12.345" in html
    codes = {
        f["properties"]["code"] for f in map_data(html, "gemeente-map-data")["features"]
    }
    assert codes == {wijk.code, other_wijk.code}


def test_a_deactivated_gemeente_says_it_no_longer_exists(client, db):
    old = GemeenteFactory(code="GM0370", name="Beemster", is_active=False)
    html = client.get(old.get_absolute_url()).content.decode()
    assert "bestaat niet meer" in html


def test_wijk_page_shows_buurten_figures_and_unknowns(client, wijk):
    BuurtFactory(code="BU04390101", name="Binnenstad", wijk=wijk)
    BuurtFactory(code="BU04390102", name="Oud", wijk=wijk, is_active=False)
    KerncijfersFactory(
        code=wijk.code,
        inhabitants=8000,
        households=None,
        pct_age_65_plus=21.5,
        pct_single_person_households=44.0,
    )
    html = client.get(wijk.get_absolute_url()).content.decode()
    assert "Binnenstad" in html
    assert "Oud" not in html  # inactive buurten are history, not shown
    assert "8.000" in html
    assert "21,5%" in html or "21.5%" in html
    assert "onbekend" in html  # households are unknown, never 0
    assert (
        map_data(html, "wijk-outline-data")["features"][0]["properties"]["code"]
        == wijk.code
    )


def test_names_with_html_are_escaped_everywhere(client, gemeente):
    wijk = WijkFactory(
        code="WK043909", name="</script><script>alert(1)</script>", gemeente=gemeente
    )
    for url in (wijk.get_absolute_url(), gemeente.get_absolute_url(), "/"):
        html = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html, url


def test_wijk_page_query_count_does_not_grow_with_buurten(
    client, wijk, django_assert_max_num_queries
):
    for i in range(30):
        BuurtFactory(code=f"BU043901{i:02d}", wijk=wijk)
        KerncijfersFactory(code=f"BU043901{i:02d}", level="buurt")
    # 9, and the wijkgesprek panel (the next meeting, the latest public minutes): 11.
    with django_assert_max_num_queries(11):
        assert client.get(wijk.get_absolute_url()).status_code == 200


def test_gemeente_page_query_count_does_not_grow_with_wijken(
    client, gemeente, django_assert_max_num_queries
):
    for i in range(40):
        WijkFactory(code=f"WK0439{i + 10:02d}", gemeente=gemeente)
    with django_assert_max_num_queries(8):
        assert client.get(gemeente.get_absolute_url()).status_code == 200


def test_pages_carry_a_strict_content_security_policy(client, wijk):
    policy = client.get(wijk.get_absolute_url())["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
