"""The officers' exports (wijk and gemeente, CSV and Excel) go through the one
formula-safe writer (core.exports): a cell that starts with =, +, -, @, a tab or a
carriage return reaches the spreadsheet as text, never as a formula."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from signalen.models import WijkThema
from tests.conftest import mfa_client
from wijken.models import Wijk

pytestmark = pytest.mark.django_db

STARTS = ["=", "+", "-", "@", "\t", "\r"]


def _value(start: str) -> str:
    return start + 'HYPERLINK("http://x","y")'


def _csv_cells(response) -> list[str]:
    text = response.content.decode("utf-8-sig")
    return [
        cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row
    ]


def _xlsx_cells(response) -> list[object]:
    """Every cell value of every sheet. XML reads a carriage return back as a line
    feed, so cells are compared with \r written as \n."""
    workbook = load_workbook(io.BytesIO(response.content))
    return [
        cell.value
        for ws in workbook.worksheets
        for row in ws.iter_rows()
        for cell in row
    ]


@pytest.mark.parametrize("start", STARTS)
def test_the_wijk_csv_export_neutralises_a_theme_name_starting_with(
    client, ambtenaar, wijk, dash_data, start
):
    WijkThema.objects.filter(label="eenzaam flat lift").update(name=_value(start))
    response = mfa_client(client, ambtenaar).get(
        f"/dashboard/wijk/{wijk.code}/export.csv"
    )
    assert response.status_code == 200
    cells = _csv_cells(response)
    assert "'" + _value(start) in cells
    assert _value(start) not in cells


@pytest.mark.parametrize("start", STARTS)
def test_the_wijk_xlsx_export_neutralises_a_theme_name_starting_with(
    client, ambtenaar, wijk, dash_data, start
):
    WijkThema.objects.filter(label="eenzaam flat lift").update(name=_value(start))
    response = mfa_client(client, ambtenaar).get(
        f"/dashboard/wijk/{wijk.code}/export.xlsx"
    )
    assert response.status_code == 200
    cells = _xlsx_cells(response)
    value = _value(start).replace("\r", "\n")
    assert "'" + value in cells
    assert value not in cells


@pytest.mark.parametrize("start", STARTS)
def test_the_gemeente_csv_export_neutralises_a_wijk_name_starting_with(
    client, ambtenaar, gemeente, wijk, dash_data, start
):
    Wijk.objects.filter(pk=wijk.pk).update(name=_value(start))
    response = mfa_client(client, ambtenaar).get(
        f"/dashboard/{gemeente.code}/export.csv"
    )
    assert response.status_code == 200
    cells = _csv_cells(response)
    assert "'" + _value(start) in cells
    assert _value(start) not in cells


@pytest.mark.parametrize("start", STARTS)
def test_the_gemeente_xlsx_export_neutralises_a_wijk_name_starting_with(
    client, ambtenaar, gemeente, wijk, dash_data, start
):
    Wijk.objects.filter(pk=wijk.pk).update(name=_value(start))
    response = mfa_client(client, ambtenaar).get(
        f"/dashboard/{gemeente.code}/export.xlsx"
    )
    assert response.status_code == 200
    cells = _xlsx_cells(response)
    value = _value(start).replace("\r", "\n")
    assert "'" + value in cells
    assert value not in cells
