"""Open data: the nightly build per gemeente, its files, the page and the downloads, and
that nothing private reaches a file."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.core.management import call_command

from buurtwijs.schedule import BEAT_SCHEDULE
from opendata import builds as opendata
from opendata.tasks import build_open_data
from tests.opendata import api_data as fixtures
from tests.opendata.api_data import FORBIDDEN, HIDDEN_NAME

api_data = fixtures.api_data


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def built(api_data, kerncijfers, outsider_gemeente):
    call_command("opendata_build", "--no-progress", stdout=io.StringIO())
    return opendata.manifest("GM0439")


def _file(manifest, filename):
    path = opendata.file_path("GM0439", manifest["date"], filename)
    assert path is not None, filename
    from django.core.files.storage import default_storage

    with default_storage.open(path, "rb") as handle:
        return handle.read().decode("utf-8")


def _rows(manifest, filename):
    return list(csv.DictReader(io.StringIO(_file(manifest, filename))))


def test_build_writes_every_file_with_its_description(built):
    assert built["licence"] == "CC-BY 4.0"
    assert "CBS / PDOK" in built["attribution"]
    assert built["date"] == datetime.date.today().isoformat()
    names = [f["filename"] for f in built["files"]]
    assert names == [d.filename for d in opendata.DATASETS]
    for entry in built["files"]:
        content = _file(built, entry["filename"])
        assert entry["size"] == len(content.encode("utf-8"))
        assert entry["description"]
        assert all(column["description"] for column in entry["columns"])
        if entry["filename"].endswith(".csv"):
            header = next(csv.reader(io.StringIO(content)))
            assert header == [c["name"] for c in entry["columns"]]
    # Every active gemeente gets its own build.
    assert opendata.manifest("GM0405") is not None


def test_wijken_and_buurten(built):
    wijken = {r["code"]: r for r in _rows(built, "wijken.csv")}
    assert set(wijken) == {"WK043901", "WK043902"}
    assert wijken["WK043901"]["inhabitants"] == "8000"
    assert wijken["WK043901"]["url"].endswith("/wijk/WK043901/")
    buurten = {r["code"]: r for r in _rows(built, "buurten.csv")}
    assert buurten["BU04390103"]["pct_age_65_plus"] == "38.0"
    geo = json.loads(_file(built, "wijken.geojson"))
    assert geo["type"] == "FeatureCollection"
    assert geo["licence"] == "CC-BY 4.0"
    assert geo["features"][0]["geometry"]["type"] == "Polygon"
    assert geo["features"][0]["properties"]["inhabitants"] == 8000
    buurt_geo = json.loads(_file(built, "buurten.geojson"))
    assert len(buurt_geo["features"]) == 5


def test_initiatives_and_themes(built):
    titles = {r["title"] for r in _rows(built, "initiatieven.csv")}
    assert titles == {"Buurttuin Binnenstad", "Koffie Overwhere"}
    themes = {r["title"]: r for r in _rows(built, "themas.csv")}
    assert set(themes) == {"Samen koffie in de flat", "Weinig gezien"}
    assert themes["Samen koffie in de flat"]["size"] == "12"
    small = themes["Weinig gezien"]
    assert small["size"] == ""
    assert small["hidden"] == "true"
    assert small["reason"] == "k_anonymity"


def test_signal_files_match_the_api(client, built):
    api = client.get("/api/v1/gemeenten/GM0439/signalen/?blocks=13").json()
    expected = {
        (row["wijk"], block["start"]): block["total"]["count"]
        for row in api["wijken"]
        for block in row["blocks"]
    }
    rows = _rows(built, "signalen_per_blok.csv")
    found = {
        (r["wijk"], r["block_start"]): (int(r["count"]) if r["count"] else None)
        for r in rows
    }
    assert found == expected
    weeks = _rows(built, "signalen_per_week.csv")
    assert len(weeks) == 2 * 52 * len({r["category"] for r in weeks})


def test_no_private_data_and_no_small_count_in_any_file(built, settings):
    k = settings.K_ANONYMITY
    for entry in built["files"]:
        content = _file(built, entry["filename"])
        for secret in (*FORBIDDEN, HIDDEN_NAME):
            assert secret not in content, (entry["filename"], secret)
        if entry["filename"].endswith(".csv"):
            for row in csv.DictReader(io.StringIO(content)):
                for column in ("count", "size"):
                    if row.get(column):
                        assert int(row[column]) >= k, (entry["filename"], row)
                        assert row["hidden"] == "false"
                if row.get("hidden") == "true":
                    assert row.get("count", "") == ""
                    assert row.get("size", "") == ""
    # The small wijk (4 signals) and Grijze Hoek never show a number.
    blocks = _rows(built, "signalen_per_blok.csv")
    assert all(r["count"] == "" for r in blocks if r["wijk"] == "WK043902")


def test_open_data_page_lists_the_files(client, built):
    response = client.get("/open-data/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Purmerend" in html
    assert "CC-BY 4.0" in html
    assert "signalen_per_blok.csv" in html
    assert f"/open-data/GM0439/{built['date']}/wijken.csv" in html
    assert "inhabitants" in html  # the columns are described


def test_open_data_page_before_any_build(client, gemeente):
    response = client.get("/open-data/")
    assert response.status_code == 200
    assert "nog geen bestanden" in response.content.decode()


def test_download(client, built):
    response = client.get(f"/open-data/GM0439/{built['date']}/initiatieven.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode()
    assert "Buurttuin Binnenstad" in body


@pytest.mark.parametrize(
    "url",
    [
        "/open-data/GM0439/2001-01-01/wijken.csv",
        "/open-data/GM9999/{date}/wijken.csv",
        "/open-data/GM0439/{date}/passwords.txt",
        "/open-data/GM0439/{date}/..%2Fmanifest.json",
        "/open-data/GM0439/gisteren/wijken.csv",
        "/open-data/../{date}/wijken.csv",
    ],
)
def test_download_bad_paths_are_404(client, built, url):
    assert client.get(url.format(date=built["date"])).status_code == 404


def test_footer_links_to_open_data_and_api(client, db):
    html = client.get("/open-data/").content.decode()
    assert 'href="/open-data/"' in html
    assert 'href="/api/v1/docs/"' in html


def test_nightly_task_is_scheduled_and_builds(api_data, kerncijfers):
    entry = BEAT_SCHEDULE["dashboard-build-open-data"]
    assert entry["task"] == "dashboard.tasks.build_open_data"
    assert build_open_data.delay().get() == 1
    assert opendata.manifest("GM0439") is not None


def test_old_builds_are_removed(api_data, settings):
    settings.OPENDATA_KEEP_BUILDS = 2
    gemeente = api_data["tuin"].wijk.gemeente
    days = [datetime.date(2026, 1, d) for d in (1, 2, 3)]
    for day in days:
        opendata.build_for_gemeente(gemeente, today=day)
    assert opendata.file_path("GM0439", "2026-01-01", "wijken.csv") is None
    assert opendata.file_path("GM0439", "2026-01-02", "wijken.csv") is not None
    assert opendata.manifest("GM0439")["date"] == "2026-01-03"


def test_command_rejects_an_unknown_gemeente(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("opendata_build", "--gemeente", "GM9999", "--no-progress")
