"""The open-data CSV files go through the one formula-safe writer (core.exports): a
resident's initiative title `=HYPERLINK("http://x","y")` is published as text, not as
a live formula, and so is every other text cell that starts with =, +, -, @, a tab or
a carriage return. Numbers stay numbers."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from initiatieven.models import Initiatief
from opendata import builds
from signalen.models import WijkThema
from tests.opendata import api_data as fixtures
from wijken.models import Buurt, Wijk

api_data = fixtures.api_data

pytestmark = pytest.mark.django_db

STARTS = ["=", "+", "-", "@", "\t", "\r"]
TITLE = '=HYPERLINK("http://x","y")'


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _rows(filename: str) -> list[dict[str, str]]:
    manifest = builds.manifest("GM0439")
    assert manifest is not None
    path = builds.file_path("GM0439", manifest["date"], filename)
    assert path is not None, filename
    with default_storage.open(path, "rb") as handle:
        text = handle.read().decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _build() -> None:
    call_command("opendata_build", "--no-progress", stdout=io.StringIO())


def test_an_initiative_title_with_hyperlink_is_published_as_text(api_data, kerncijfers):
    Initiatief.objects.filter(pk=api_data["tuin"].pk).update(title=TITLE)
    _build()
    titles = [row["title"] for row in _rows("initiatieven.csv")]
    assert "'" + TITLE in titles
    assert TITLE not in titles


@pytest.mark.parametrize("start", STARTS)
def test_every_open_data_csv_neutralises_text_starting_with(
    api_data, kerncijfers, wijk, buurten, start
):
    value = start + "cmd|' /C calc'!A0"
    Initiatief.objects.filter(pk=api_data["tuin"].pk).update(title=value)
    WijkThema.objects.filter(pk=api_data["call"].pk).update(public_title=value)
    Wijk.objects.filter(pk=wijk.pk).update(name=value)
    Buurt.objects.filter(pk=buurten[0].pk).update(name=value)
    _build()
    expected = "'" + value
    assert expected in [r["title"] for r in _rows("initiatieven.csv")]
    assert expected in [r["title"] for r in _rows("themas.csv")]
    assert expected in [r["name"] for r in _rows("wijken.csv")]
    assert expected in [r["name"] for r in _rows("buurten.csv")]
    assert expected in [r["name"] for r in _rows("signalen_per_blok.csv")]
    for filename in (
        "initiatieven.csv",
        "themas.csv",
        "wijken.csv",
        "buurten.csv",
        "signalen_per_blok.csv",
        "signalen_per_week.csv",
    ):
        for row in _rows(filename):
            assert not any(
                cell.startswith(tuple(STARTS)) for cell in row.values() if cell
            ), (filename, row)


def test_numbers_in_open_data_stay_numbers(api_data, kerncijfers):
    _build()
    wijken = {r["code"]: r for r in _rows("wijken.csv")}
    assert wijken["WK043901"]["inhabitants"] == "8000"


def test_rewriting_a_published_file_without_a_name_keeps_it_formula_safe():
    from opendata.builds import _csv_without_names

    published = b"titel,organisatoren\r\n'=HYPERLINK(x),Fatima\r\n"
    rewritten, named = _csv_without_names(published, ["Fatima"])
    assert named
    text = rewritten.decode()
    assert "'=HYPERLINK(x)" in text
    assert "''=HYPERLINK" not in text
    assert "Fatima" not in text
