"""The API's answers are cached whole (opendata/api/cache.py), keyed on the generations
of what they cover: a write shows in the very next answer, a warm answer costs only
the look-ups of its areas, and a 304 is answered without computing or rendering."""

from __future__ import annotations

import datetime
import random
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from initiatieven.services import initiatief_create
from opendata import public_data
from opendata.api import cache as api_cache
from opendata.public_data import SignalQuery
from signalen.intake import queries as signal_queries
from signalen.intake.services import signaal_create, signaal_withdraw
from signalen.kanon import Period
from signalen.models import Bron, Categorie, Signaal
from signalen.themes.runs import counts_rebuild
from tests.dashboard.conftest import telling, week
from tests.factories import BuurtFactory, GemeenteFactory, WijkFactory
from tests.opendata import api_data as fixtures
from tests.signalen.helpers import publish_approved
from wijken import generations

pytestmark = pytest.mark.django_db

API = "/api/v1"
api_data = fixtures.api_data


@pytest.fixture(autouse=True)
def locmem_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "test-api-cache",
        }
    }
    cache.clear()
    yield
    cache.clear()


def ok(client, url: str, **extra):
    response = client.get(API + url, **extra)
    assert response.status_code == 200, (url, response.content[:300])
    return response.json()


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(API + url).status_code == 200
    return len(ctx.captured_queries)


# --- A write shows in the next answer -------------------------------------------------


def test_new_initiative_shows_at_once(client, api_data, bewoner, wijk, gemeente):
    urls = [
        "/initiatieven/",
        f"/initiatieven/?gemeente={gemeente.code}",
        f"/initiatieven/?wijk={wijk.code}",
        "/initiatieven/?status=idee",
    ]
    before = {url: ok(client, url)["count"] for url in urls}
    assert {url: ok(client, url)["count"] for url in urls} == before  # from the cache
    initiatief_create(
        owner=bewoner, title="Nieuwe moestuin", summary="Samen zaaien.", wijk=wijk
    )
    for url in urls:
        data = ok(client, url)
        assert data["count"] == before[url] + 1, url
        assert "Nieuwe moestuin" in [row["title"] for row in data["results"]]


def test_signals_dated_back_leave_the_published_blocks_alone(
    client, api_data, professional, wijk, gemeente
):
    """New signals through signalen.services, seen in a block that is over: they
    count in the block in which they were logged (still running, #15 item 4), so
    neither the cached answer nor a fresh one moves, before or after the run."""
    wijk_url = f"/wijken/{wijk.code}/signalen/?blocks=6"
    gemeente_url = f"/gemeenten/{gemeente.code}/signalen/?blocks=6"
    before = ok(client, wijk_url), ok(client, gemeente_url)
    today = timezone.localdate()
    for _ in range(9):
        signaal_create(
            author=professional,
            wijk=wijk,
            categorie=Categorie.objects.get(code="veiligheid"),
            bron=Bron.objects.get(code="huisbezoek"),
            text="Onveilig gevoel bij de brug.",
            observed_on=week(1),
        )
    ok(client, wijk_url)  # asked between the signals and the counts
    counts_rebuild(wijk)
    generations.bump(wijk_ids=[wijk.pk], domains=["leden"])  # as the run does
    period = public_data.last_blocks(6, today=today)
    fresh_wijk = public_data.wijk_signals(wijk, SignalQuery(period=period))
    fresh_gemeente = public_data.gemeente_signals(gemeente, period)
    after = ok(client, wijk_url), ok(client, gemeente_url)
    assert after[0]["blocks"][-1]["total"] == fresh_wijk["blocks"][-1]["total"]
    assert after[0]["total"] == public_data.count_dict(
        signal_queries.wijk_week_table(wijk=wijk, period=period).total
    )
    assert after[1]["wijken"][0]["blocks"] == [
        {**row, "start": str(row["start"]), "end": str(row["end"])}
        for row in fresh_gemeente["wijken"][0]["blocks"]
    ]
    assert after == before


def test_withdrawn_signal_leaves_no_public_theme_block_already_shown(
    client, api_data, professional, wijk
):
    call = api_data["call"]

    def size() -> int | None:
        rows = {row["id"]: row for row in ok(client, "/themas/")["results"]}
        return rows[call.pk]["size"]["count"]

    assert size() == 12
    signaal = call.leden.first().signaal
    # Its author may still withdraw it: logged less than 24 hours ago, as on the
    # morning after its block ended (its fact stays in that block, frozen).
    Signaal.objects.filter(pk=signaal.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    signaal.refresh_from_db()
    signaal_withdraw(signaal=signaal, actor=professional, reason="dubbel")
    # The blocks were shown with 12: they keep it (signalen.themes.published).
    assert size() == 12
    assert ok(client, f"/themas/?wijk={wijk.code}")["count"] == 2


def test_theme_made_public_shows_at_once(client, api_data, professional, wijk):
    urls = ["/themas/", f"/themas/?wijk={wijk.code}", "/themas/?gemeente=GM0439"]
    titles = {url: [r["title"] for r in ok(client, url)["results"]] for url in urls}
    assert all("Wat wij zien in de wijk" not in t for t in titles.values())
    publish_approved(
        actor=professional,
        thema=api_data["unapproved"],
        title="Wat wij zien in de wijk",
        text="Het team ziet dit vaak. Doet u mee?",
        is_call=False,
    )
    for url in urls:
        assert "Wat wij zien in de wijk" in [
            r["title"] for r in ok(client, url)["results"]
        ]


def test_a_changed_name_shows_at_once(client, api_data, bewoner):
    def organisers() -> list[str]:
        rows = ok(client, "/initiatieven/")["results"]
        return [name for row in rows for name in row["organisers"]]

    assert bewoner.display_name in organisers()
    old = bewoner.display_name
    bewoner.display_name = "Nieuwe Naam"
    bewoner.save()
    names = organisers()
    assert "Nieuwe Naam" in names
    assert old not in names
    # A login changes no name and leaves the cache alone.
    stamp = generations.stamp_any_wijk(names=True)
    bewoner.last_login = timezone.now()
    bewoner.save(update_fields=["last_login"])
    assert generations.stamp_any_wijk(names=True) == stamp


def test_geography_and_figures_show_at_once(client, api_data, gemeente, wijk):
    assert ok(client, f"/wijken/{wijk.code}/")["name"] == wijk.name
    wijk.name = "Hernoemd"
    wijk.save()
    assert ok(client, f"/wijken/{wijk.code}/")["name"] == "Hernoemd"
    codes = [r["code"] for r in ok(client, "/gemeenten/")["results"]]
    GemeenteFactory(code="GM0001", name="Aaa Nieuw")
    assert [r["code"] for r in ok(client, "/gemeenten/")["results"]] == [
        "GM0001",
        *codes,
    ]


def test_any_wijk_token_is_renewed_by_every_bump(db, wijk, other_wijk):
    site = generations.stamp_any_wijk()
    only_everything = generations.stamp()
    generations.bump(wijk_ids=[other_wijk.pk])
    assert generations.stamp_any_wijk() != site
    assert generations.stamp() == only_everything
    site = generations.stamp_any_wijk()
    generations.bump()  # nothing named: nothing renewed
    assert generations.stamp_any_wijk() == site
    generations.bump_everything()
    assert generations.stamp_any_wijk() != site


def test_k_and_language_are_part_of_the_key(client, api_data, wijk, settings):
    url = f"/wijken/{wijk.code}/signalen/"
    shown = ok(client, url)
    settings.K_ANONYMITY = 50
    strict = ok(client, url)
    assert strict["k_anonymity"] == 50
    assert strict["total"]["hidden"]
    assert shown["k_anonymity"] != 50
    settings.K_ANONYMITY = 5
    assert ok(client, url) == shown
    with translation.override("nl"):
        dutch = api_cache.key_for("initiatieven", (), stamp="s")
    with translation.override("en"):
        english = api_cache.key_for("initiatieven", (), stamp="s")
    assert dutch != english


def test_the_day_is_part_of_the_key_of_periods(client, api_data, wijk):
    url = f"/wijken/{wijk.code}/signalen/"
    first = ok(client, url)["period"]
    later = timezone.localdate() + datetime.timedelta(weeks=4)
    with mock.patch("django.utils.timezone.localdate", return_value=later):
        moved = ok(client, url)["period"]
    assert moved["start"] != first["start"]


# --- ETag and 304 --------------------------------------------------------------------


def test_304_needs_no_computing_and_no_rendering(client, api_data, gemeente, wijk):
    for url in (
        f"/gemeenten/{gemeente.code}/signalen/",
        f"/wijken/{wijk.code}/signalen/?blocks=6",
        "/initiatieven/",
        f"/gemeenten/{gemeente.code}/wijken/?format=geojson",
    ):
        etag = client.get(API + url)["ETag"]
        with (
            mock.patch.object(
                public_data, "gemeente_signals", side_effect=AssertionError
            ),
            mock.patch.object(public_data, "wijk_signals", side_effect=AssertionError),
            mock.patch(
                "rest_framework.renderers.JSONRenderer.render",
                side_effect=AssertionError,
            ),
        ):
            again = client.get(API + url, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304, url
        assert again["ETag"] == etag
        assert "max-age=" in again["Cache-Control"]
        assert again.content == b""


def test_etag_follows_the_content_not_the_generation(client, api_data, outsider_wijk):
    etag = client.get(API + "/initiatieven/")["ETag"]
    # A write elsewhere that changes nothing in this list: a new key, the same data.
    generations.bump(wijk_ids=[outsider_wijk.pk])
    again = client.get(API + "/initiatieven/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    # Another address (its page links differ) or another media type: another ETag.
    other = client.get(API + "/initiatieven/?page_size=1")
    assert other["ETag"] != etag
    geo = client.get(API + "/gemeenten/GM0439/wijken/?format=geojson")["ETag"]
    plain = client.get(API + "/gemeenten/GM0439/wijken/")["ETag"]
    assert geo != plain


def test_page_links_are_those_of_the_request(client, api_data):
    first = ok(client, "/initiatieven/?page_size=1&status=actief")
    second = ok(client, "/initiatieven/?status=actief&page_size=1")
    assert first["results"] == second["results"]
    assert first["next"] is None or "page_size=1&status=actief" in first["next"]
    page = ok(client, "/initiatieven/?page_size=1")
    assert page["next"].endswith("/api/v1/initiatieven/?page=2&page_size=1")
    again = ok(client, "/initiatieven/?page_size=1&extra=x")
    assert again["next"].endswith("?extra=x&page=2&page_size=1")
    last = ok(client, "/initiatieven/?page_size=1&page=2")
    assert last["previous"].endswith("/api/v1/initiatieven/?page_size=1")


def test_a_page_past_the_end_is_not_cached(client, api_data):
    assert client.get(API + "/initiatieven/?page=9").status_code == 404
    assert client.get(API + "/initiatieven/?page=9").status_code == 404


# --- Query counts ----------------------------------------------------------------------

# Per endpoint: (cleared cache, warm cache). Warm, only the look-up of the areas the
# request names is left (a gemeente: 1; a wijk: 2, with its buurten); the answer and
# its key come from the cache (no query).
EXPECTED = {
    "gemeenten": (3, 0),
    "gemeente_wijken": (4, 0),
    "gemeente_wijken_geo": (4, 0),
    "initiatieven": (4, 0),
    "initiatieven_gemeente": (5, 1),
    # The theme sizes: the figures fixed per block that is over (1). The first read
    # after a block ends fixes them once (signalen.themes.published: 3 more, the
    # members per block, one insert, the rows again); the test reads them first.
    "themas": (5, 0),
    "wijk": (3, 0),
    "buurt": (2, 0),
    # The wijk is read without outlines; its contact then comes in a query of its own.
    "plekken": (4, 2),
    # The block totals are read in one pass (signalen.intake.queries.wijk_block_totals):
    # as many queries for 13 blocks as for 3.
    "wijk_signalen": (7, 2),
    "wijk_signalen_13": (7, 2),
    "gemeente_signalen": (7, 1),
    "gemeente_signalen_13": (7, 1),
    # With a buurt each block checks its split on its own (_split_unsafe): with a
    # cleared cache 6 queries per block (3 here); warm the wijk and the buurt only.
    "buurt_signalen": (28, 3),
}


def _urls(gemeente, wijk, buurt):
    return {
        "gemeenten": "/gemeenten/",
        "gemeente_wijken": f"/gemeenten/{gemeente.code}/wijken/",
        "gemeente_wijken_geo": f"/gemeenten/{gemeente.code}/wijken/?format=geojson",
        "initiatieven": "/initiatieven/",
        "initiatieven_gemeente": f"/initiatieven/?gemeente={gemeente.code}",
        "themas": "/themas/",
        "wijk": f"/wijken/{wijk.code}/",
        "buurt": f"/buurten/{buurt.code}/",
        "plekken": f"/wijken/{wijk.code}/plekken/",
        "wijk_signalen": f"/wijken/{wijk.code}/signalen/",
        "wijk_signalen_13": f"/wijken/{wijk.code}/signalen/?blocks=13",
        "gemeente_signalen": f"/gemeenten/{gemeente.code}/signalen/",
        "gemeente_signalen_13": f"/gemeenten/{gemeente.code}/signalen/?blocks=13",
        "buurt_signalen": f"/wijken/{wijk.code}/signalen/?buurt={buurt.code}",
    }


def _counts(client, urls) -> dict[str, tuple[int, int]]:
    found = {}
    for name, url in urls.items():
        cache.clear()
        cold = _queries(client, url)
        found[name] = (cold, _queries(client, url))
    return found


def test_query_counts_are_pinned_and_flat(
    client, api_data, gemeente, wijk, buurten, professional, team
):
    urls = _urls(gemeente, wijk, buurten[0])
    ok(client, "/themas/")  # the theme figures of the blocks that are over fixed
    small = _counts(client, urls)
    for n in range(4):
        extra = WijkFactory(gemeente=gemeente, code=f"WK0439{60 + n}")
        BuurtFactory(wijk=extra, code=f"BU0439{60 + n}01")
        telling(extra, 1, "eenzaamheid", 7 + n)
        telling(wijk, 4 + n, "veiligheid", 5 + n)
        initiatief_create(
            owner=professional,
            title=f"Meer {n}",
            summary="Nog een.",
            wijk=extra,
        )
    large = _counts(client, urls)
    assert small == large
    assert small == EXPECTED


# --- The block totals in one pass are the block totals ---------------------------------


def test_block_totals_in_one_pass_equal_each_block_alone(
    db, wijk, other_wijk, buurten, settings
):
    """signalen.intake.queries.wijk_block_totals gives, per block, exactly the total of that
    block asked alone (wijk_signal_totals and the week table), on random counts with
    small and empty cells, a retired category in some blocks and other K."""
    retired = Categorie.objects.create(
        code="oud", name="Oud", is_active=False, order=99
    )
    codes = [*[c.code for c in signal_queries.categories_active()][:4], retired.code]
    rng = random.Random(7)
    for wijk_ in (wijk, other_wijk):
        for weeks_ago in range(40):
            for code in codes:
                if rng.random() < 0.35:
                    telling(wijk_, weeks_ago, code, rng.choice([1, 1, 2, 3, 4, 5, 9]))
    today = timezone.localdate()
    seen: set[str] = set()
    for k in (2, 5, 8, 60):
        settings.K_ANONYMITY = k
        for blocks in (1, 3, 10):
            period = Period.of_blocks(blocks=blocks, as_of=today)
            ids = [wijk.pk, other_wijk.pk]
            one_pass = signal_queries.wijk_block_totals(wijk_ids=ids, period=period)
            for index, block in enumerate(public_data.block_periods(period)):
                alone = signal_queries.wijk_signal_totals(wijk_ids=ids, period=block)
                for wijk_ in (wijk, other_wijk):
                    table = signal_queries.wijk_week_table(wijk=wijk_, period=block)
                    assert one_pass[wijk_.pk][index] == alone[wijk_.pk].current
                    assert one_pass[wijk_.pk][index] == table.total
                    seen.add(
                        "suppressed"
                        if table.total.suppressed
                        else "hidden"
                        if table.total.is_hidden
                        else "shown"
                    )
    # The random counts reach every kind of block total.
    assert seen == {"shown", "hidden", "suppressed"}
