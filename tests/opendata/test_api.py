"""The public read API (/api/v1/): every endpoint, its bad inputs, caching, CORS, the
rate limit and the schema."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.test import Client

from signalen import kanon
from signalen.answers import queries as answer_queries
from signalen.intake import queries as signal_queries
from signalen.kanon import Period
from tests.conftest import mfa_client
from tests.dashboard.conftest import week
from tests.factories import GemeenteFactory, WijkFactory
from tests.opendata import api_data as fixtures
from tests.opendata.api_data import CO_NAME, HIDDEN_NAME, PUBLIC_TEXT, SHOWN_NAME

API = "/api/v1"
api_data = fixtures.api_data


def get(client: Client, url: str, **extra):
    response = client.get(API + url, **extra)
    assert response["Content-Type"].startswith(
        ("application/json", "application/geo+json")
    ), (url, response.status_code, response["Content-Type"])
    return response


def ok(client: Client, url: str, **extra):
    response = get(client, url, **extra)
    assert response.status_code == 200, (url, response.json())
    return response.json()


# --- Geography -----------------------------------------------------------------------


def test_gemeenten_list_and_detail(client, api_data, gemeente, outsider_gemeente):
    data = ok(client, "/gemeenten/")
    assert data["count"] == 2
    codes = [row["code"] for row in data["results"]]
    assert codes == ["GM0405", "GM0439"]  # by name: Hoorn, Purmerend
    detail = ok(client, "/gemeenten/gm0439/")
    assert detail["code"] == "GM0439"
    assert detail["name"] == "Purmerend"
    assert detail["wijk_count"] == 2


def test_inactive_gemeente_is_unknown(client, db):
    GemeenteFactory(code="GM0001", name="Opgeheven", is_active=False)
    assert get(client, "/gemeenten/GM0001/").status_code == 404
    assert ok(client, "/gemeenten/")["count"] == 0


def test_wijken_of_gemeente_with_figures(client, api_data, wijk, kerncijfers):
    data = ok(client, "/gemeenten/GM0439/wijken/")
    assert [row["code"] for row in data["results"]] == ["WK043901", "WK043902"]
    first = data["results"][0]
    assert first["figures"]["inhabitants"] == 8000
    assert first["url"] == "/wijk/WK043901/"
    assert first["buurt_count"] == 3
    assert "geometry" not in first


def test_wijken_as_geojson(client, api_data, wijk):
    for url, extra in (
        ("/gemeenten/GM0439/wijken/?format=geojson", {}),
        ("/gemeenten/GM0439/wijken/", {"HTTP_ACCEPT": "application/geo+json"}),
    ):
        response = get(client, url, **extra)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/geo+json")
        data = response.json()
        assert data["type"] == "FeatureCollection"
        assert data["numberMatched"] == 2
        feature = data["features"][0]
        assert feature["id"] == "WK043901"
        assert feature["geometry"]["type"] == "Polygon"
        assert feature["properties"]["inhabitants"] == 8000


def test_wijk_detail_buurten_and_buurt(client, api_data, wijk, buurten):
    detail = ok(client, "/wijken/WK043901/")
    assert detail["buurten"] == ["BU04390101", "BU04390102", "BU04390103"]
    data = ok(client, "/wijken/WK043901/buurten/")
    assert [b["code"] for b in data["results"]] == detail["buurten"]
    assert data["results"][2]["figures"]["pct_age_65_plus"] == 38.0
    geo = ok(client, "/wijken/WK043901/buurten/?format=geojson")
    assert [f["id"] for f in geo["features"]] == detail["buurten"]
    buurt = ok(client, "/buurten/BU04390103/")
    assert buurt["wijk"] == "WK043901"
    assert buurt["figures"]["inhabitants"] == 2000


def test_pagination(client, gemeente):
    for n in range(5):
        WijkFactory(code=f"WK04391{n}", name=f"Wijk {n}", gemeente=gemeente)
    first = ok(client, "/gemeenten/GM0439/wijken/?page_size=2")
    assert first["count"] == 5
    assert len(first["results"]) == 2
    assert first["previous"] is None
    assert "page=2" in first["next"]
    second = client.get(first["next"]).json()
    assert [w["code"] for w in second["results"]] == ["WK043912", "WK043913"]
    assert "page=" not in second["previous"]
    last = ok(client, "/gemeenten/GM0439/wijken/?page_size=2&page=3")
    assert last["next"] is None
    assert len(last["results"]) == 1


# --- Initiatives ---------------------------------------------------------------------


def test_initiatives_public_only(client, api_data):
    data = ok(client, "/initiatieven/")
    titles = {row["title"] for row in data["results"]}
    assert titles == {"Buurttuin Binnenstad", "Koffie Overwhere"}
    row = next(r for r in data["results"] if r["title"] == "Buurttuin Binnenstad")
    assert row["organisers"] == ["Bea Bewoner", CO_NAME]
    assert row["participants"] == 2
    assert row["supporters"] == 1
    assert row["themes"] == ["groen"]
    assert row["buurt"] == "BU04390101"
    assert row["open_needs"] == 1


def test_initiative_detail_names_only_when_chosen(client, api_data):
    tuin = api_data["tuin"]
    data = ok(client, f"/initiatieven/{tuin.pk}/")
    assert data["public_participants"] == [{"name": SHOWN_NAME, "kind": "doe_mee"}]
    assert HIDDEN_NAME not in str(data)
    assert [u["title"] for u in data["updates"]] == ["Eerste oogst"]
    assert data["needs"][0]["description"] == "Iemand met een schoffel"


def test_hidden_initiative_is_404(client, api_data):
    response = get(client, f"/initiatieven/{api_data['hidden'].pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert "Verborgen initiatief" not in str(ok(client, "/initiatieven/"))


def test_initiatives_are_the_same_when_logged_in(client, api_data, beheerder):
    """The API reads no login: a beheerder (who sees hidden initiatives on the site)
    gets the same public answer."""
    anonymous = ok(client, "/initiatieven/")
    mfa_client(client, beheerder)
    assert ok(client, "/initiatieven/") == anonymous


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("gemeente=GM0439", {"Buurttuin Binnenstad", "Koffie Overwhere"}),
        ("wijk=WK043902", {"Koffie Overwhere"}),
        ("wijk=WK043901", {"Buurttuin Binnenstad"}),
        ("buurt=BU04390101", {"Buurttuin Binnenstad"}),
        ("buurt=BU04390102", set()),
        ("theme=groen", {"Buurttuin Binnenstad"}),
        ("status=idee", {"Koffie Overwhere"}),
    ],
)
def test_initiative_filters(client, api_data, query, titles):
    data = ok(client, f"/initiatieven/?{query}")
    assert {row["title"] for row in data["results"]} == titles


# --- Public themes -------------------------------------------------------------------


def test_themes_public_only_with_k_anonymous_size(client, api_data):
    data = ok(client, "/themas/")
    titles = [row["title"] for row in data["results"]]
    assert titles == ["Samen koffie in de flat", "Weinig gezien"]
    call, small = data["results"]
    assert call["is_call"] is True
    assert call["size"] == {"count": 12, "hidden": False, "reason": None}
    assert small["size"] == {"count": None, "hidden": True, "reason": "k_anonymity"}
    assert call["initiative_count"] == 1  # the hidden initiative is not counted
    assert call["trekker_count"] == 2
    assert ok(client, "/themas/?call=true")["count"] == 1
    assert ok(client, "/themas/?call=false")["count"] == 1
    assert ok(client, "/themas/?wijk=WK043902")["count"] == 0


def test_theme_rows_agree_with_the_wijk_page(api_data, wijk):
    """The batched read gives the same rows, in the same order, as the wijk page's."""
    rows = [r.theme for r in answer_queries.public_themes(wijk_id=wijk.pk)]
    assert rows == answer_queries.public_themes_for_wijk(wijk)


def test_theme_detail(client, api_data):
    call = api_data["call"]
    data = ok(client, f"/themas/{call.pk}/")
    assert data["text"] == PUBLIC_TEXT
    assert data["trekker_names"] == [SHOWN_NAME]
    assert [i["title"] for i in data["initiatives"]] == ["Buurttuin Binnenstad"]
    for theme in ("unapproved",):
        response = get(client, f"/themas/{api_data[theme].pk}/")
        assert response.status_code == 404


# --- Signal counts -------------------------------------------------------------------


def test_wijk_signals_match_the_officers_table(client, api_data, wijk):
    data = ok(client, "/wijken/WK043901/signalen/")
    period = Period.of_blocks(blocks=3, as_of=datetime.date.today())
    table = signal_queries.wijk_week_table(wijk=wijk, period=period)
    assert data["period"]["blocks"] == 3
    assert data["period"]["start"] == period.first_week.isoformat()
    assert data["total"]["count"] == table.total.value
    assert data["k_anonymity"] == 5
    cells = {
        (w["week"], c["code"]): c["count"]
        for block in data["blocks"]
        for w in block["weeks"]
        for c in w["categories"]
    }
    for (when, code), count in table.cells.items():
        assert cells[(when.isoformat(), code)] == count.value
    assert data["per_1000_inhabitants"] == kanon.per_thousand(table.total, 8000)


def test_wijk_signals_for_one_block(client, api_data, wijk):
    start = week(3)  # the Monday of the last whole block
    data = ok(client, f"/wijken/WK043901/signalen/?start={start}&end={start}")
    assert data["period"]["blocks"] == 1
    assert data["period"]["start"] == start.isoformat()
    assert len(data["blocks"]) == 1
    assert data["blocks"][0]["total"] == data["total"]


def test_wijk_signals_with_category(client, api_data):
    data = ok(client, "/wijken/WK043901/signalen/?category=eenzaamheid")
    assert [c["code"] for c in data["categories"]] == ["eenzaamheid"]
    everything = ok(client, "/wijken/WK043901/signalen/")
    assert data["total"] == everything["total"]


def test_gemeente_signals(client, api_data, wijk, other_wijk):
    data = ok(client, "/gemeenten/GM0439/signalen/?blocks=3")
    period = Period.of_blocks(blocks=3, as_of=datetime.date.today())
    totals = signal_queries.wijk_signal_totals(
        wijk_ids=[wijk.pk, other_wijk.pk], period=period
    )
    rows = {row["wijk"]: row for row in data["wijken"]}
    assert rows["WK043901"]["total"]["count"] == totals[wijk.pk].current.value
    assert rows["WK043902"]["total"] == {
        "count": None,
        "hidden": True,
        "reason": "k_anonymity",
    }
    assert len(rows["WK043901"]["blocks"]) == 3


# --- Bad input: always a 4xx with a JSON error, never a 500 ---------------------------


@pytest.mark.parametrize(
    ("url", "status", "field"),
    [
        ("/gemeenten/GM9999/", 404, None),
        ("/gemeenten/onzin/", 404, None),
        ("/gemeenten/GM9999/wijken/", 404, None),
        ("/wijken/WK999999/", 404, None),
        ("/wijken/WK999999/signalen/", 404, None),
        ("/buurten/BU99999999/", 404, None),
        ("/initiatieven/999999/", 404, None),
        ("/initiatieven/abc/", 404, None),
        ("/themas/999999/", 404, None),
        ("/bestaat-niet/", 404, None),
        ("/initiatieven/?wijk=WK999999", 404, None),
        ("/initiatieven/?wijk=onzin", 400, "wijk"),
        ("/initiatieven/?wijk=wk043901", 400, "wijk"),
        ("/initiatieven/?wijk=", 400, "wijk"),
        ("/themas/?gemeente=", 400, "gemeente"),
        ("/initiatieven/?page_size=", 400, "page_size"),
        ("/initiatieven/?buurt=" + "B" * 500, 400, "buurt"),
        ("/initiatieven/?theme=bestaat-niet", 400, "theme"),
        ("/initiatieven/?status=<script>", 400, "status"),
        ("/initiatieven/?page=0", 400, "page"),
        ("/initiatieven/?page=abc", 400, "page"),
        ("/initiatieven/?page=99", 404, None),
        ("/initiatieven/?page_size=0", 400, "page_size"),
        ("/initiatieven/?page_size=201", 400, "page_size"),
        ("/initiatieven/?page_size=99999999999999999999", 400, "page_size"),
        ("/themas/?call=misschien", 400, "call"),
        ("/gemeenten/GM0439/wijken/?format=xml", 400, "format"),
        ("/wijken/WK043901/signalen/?blocks=0", 400, "blocks"),
        ("/wijken/WK043901/signalen/?blocks=40", 400, "blocks"),
        ("/wijken/WK043901/signalen/?blocks=twee", 400, "blocks"),
        ("/wijken/WK043901/signalen/?blocks=2&start=2025-01-01", 400, "blocks"),
        ("/wijken/WK043901/signalen/?start=2025-01-01", 400, "end"),
        ("/wijken/WK043901/signalen/?start=gisteren&end=2025-01-01", 400, "start"),
        ("/wijken/WK043901/signalen/?start=2025-02-01&end=2025-01-01", 400, "end"),
        ("/wijken/WK043901/signalen/?start=1999-01-01&end=2000-01-01", 400, "start"),
        ("/wijken/WK043901/signalen/?start=2020-01-01&end=2025-01-01", 400, "end"),
        ("/wijken/WK043901/signalen/?start=2025-01-01&end=2999-01-01", 400, "end"),
        ("/wijken/WK043901/signalen/?category=onzin", 400, "category"),
        ("/wijken/WK043901/signalen/?buurt=BU04390201", 404, None),
        ("/gemeenten/GM0439/signalen/?blocks=-1", 400, "blocks"),
    ],
)
def test_bad_input_gets_a_clear_json_error(
    client, api_data, other_buurten, url, status, field
):
    response = get(client, url)
    assert response.status_code == status, response.json()
    body = response.json()
    assert body["detail"]
    assert body["code"]
    if field:
        assert field in body["errors"], body
        assert body["errors"][field][0]


def test_the_current_block_is_not_a_period(client, api_data):
    today = datetime.date.today()
    response = get(client, f"/wijken/WK043901/signalen/?start={today}&end={today}")
    assert response.status_code == 400
    assert "end" in response.json()["errors"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_read_only(client, api_data, method):
    response = getattr(client, method)(API + "/initiatieven/")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


# --- Caching, CORS, rate limit ----------------------------------------------------------


def test_etag_and_304(client, api_data):
    first = get(client, "/initiatieven/")
    etag = first["ETag"]
    assert etag.startswith('"')
    assert "max-age=" in first["Cache-Control"]
    again = client.get(API + "/initiatieven/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    api_data["tuin"].title = "Buurttuin Nieuw"
    api_data["tuin"].save()
    changed = client.get(API + "/initiatieven/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_cors_on_reads(client, api_data):
    response = get(client, "/gemeenten/", HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        API + "/gemeenten/",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 200
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert "credentials" not in str(preflight.headers).lower()


def test_no_cors_outside_the_api(client, api_data):
    response = client.get("/wijk/WK043901/", HTTP_ORIGIN="https://example.org")
    assert "Access-Control-Allow-Origin" not in response


def test_rate_limit(client, api_data, settings):
    settings.API_RATE_LIMIT = "3/minute"
    for _ in range(3):
        assert get(client, "/gemeenten/").status_code == 200
    response = get(client, "/gemeenten/")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
    # Per client: another address still gets in.
    assert client.get(API + "/gemeenten/", REMOTE_ADDR="10.9.8.7").status_code == 200


def test_rate_limit_ignores_forged_forwarded_for(client, api_data, settings):
    settings.API_RATE_LIMIT = "2/minute"
    for n in range(2):
        client.get(API + "/gemeenten/", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}")
    response = client.get(API + "/gemeenten/", HTTP_X_FORWARDED_FOR="1.2.3.99")
    assert response.status_code == 429


# --- Schema and docs -------------------------------------------------------------------


def test_schema_validates():
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    schema = out.getvalue()
    assert "openapi: 3" in schema
    assert "/api/v1/wijken/{code}/signalen/" in schema
    assert "CC-BY 4.0" in schema


def test_schema_and_docs_are_served(client, db):
    schema = client.get(API + "/schema/")
    assert schema.status_code == 200
    assert b"Buurtwijs API" in schema.content
    docs = client.get(API + "/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    # Our own page from the same schema (Swagger UI failed axe-core): every path is
    # documented, the schema is linked, and no inline script is needed (the site's
    # own static scripts, as on every page, are fine).
    assert "/api/v1/wijken/{code}/signalen/" in html
    assert 'href="/api/v1/schema/"' in html
    assert "swagger" not in html.lower()
    assert "<script>" not in html
    assert all(
        tag.startswith('<script src="/static/')
        for tag in re.findall(r"<script[^>]*>", html)
    )


# --- The wijkteam and its places --------------------------------------------------------


def test_wijk_places_and_contact(client, wijk, buurten):
    from wijken.models import Plek, WijkteamContact

    empty = ok(client, "/wijken/WK043901/plekken/")
    assert empty == {"wijk": "WK043901", "contact": None, "places": []}
    WijkteamContact.objects.create(
        wijk=wijk, name="Wijkteam Centrum", phone="0299 123 456", address="Markt 1"
    )
    Plek.objects.create(
        wijk=wijk,
        buurt=buurten[0],
        kind=Plek._meta.get_field("kind").choices[0][0],
        name="Buurthuis De Hoek",
        address="Hoek 2",
        latitude=52.5,
        longitude=4.95,
    )
    data = ok(client, "/wijken/WK043901/plekken/")
    assert data["contact"]["phone"] == "0299 123 456"
    assert data["places"][0]["name"] == "Buurthuis De Hoek"
    assert data["places"][0]["buurt"] == "BU04390101"
    assert data["places"][0]["latitude"] == 52.5
    assert get(client, "/wijken/WK999999/plekken/").status_code == 404
