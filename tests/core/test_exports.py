"""core.exports: every text cell a spreadsheet would run as a formula is neutralised."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core import exports

DANGEROUS = [
    '=HYPERLINK("http://x","y")',
    "+31 6 1234",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_text_cell_starting_with_a_formula_character_gets_an_apostrophe(value):
    assert exports.safe_cell(value) == "'" + value


def test_each_formula_start_character_is_covered():
    assert set(exports.FORMULA_START) == {"=", "+", "-", "@", "\t", "\r"}


@pytest.mark.parametrize("value", [-3, 0, 7, 2.5, -1.25, Decimal("-4.5")])
def test_numbers_stay_numbers(value):
    assert exports.safe_cell(value) == value
    assert type(exports.safe_cell(value)) is type(value)


@pytest.mark.parametrize("value", ["Wandelgroep", "< 5", "a=b", "", "Café 'De Hoek'"])
def test_harmless_text_stays_as_it_is(value):
    assert exports.safe_cell(value) == value


def test_none_becomes_an_empty_cell_and_booleans_text():
    assert exports.safe_cell(None) == ""
    assert exports.safe_cell(True) == "True"


def test_the_csv_writer_neutralises_every_cell_of_every_row():
    text = exports.csv_text([["titel", "aantal"], *[[v, 3] for v in DANGEROUS]])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["titel", "aantal"]
    assert [row[0] for row in rows[1:]] == ["'" + v for v in DANGEROUS]
    assert all(row[1] == "3" for row in rows[1:])


def test_the_dict_writer_neutralises_values_and_keeps_the_header():
    out = io.StringIO()
    writer = exports.csv_dict_writer(out, fieldnames=["title", "count"])
    writer.writeheader()
    writer.writerow({"title": "=1+1", "count": -2})
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows == [{"title": "'=1+1", "count": "-2"}]


def test_the_xlsx_writer_stores_formulas_as_text_and_numbers_as_numbers():
    content = exports.xlsx_bytes(
        [("Blad met een heel lange titel van meer dan 31 tekens", [["=1+1", 5, -2]])]
    )
    workbook = load_workbook(io.BytesIO(content))
    ws = workbook.active
    assert len(ws.title) == 31
    cells = [cell.value for cell in ws[1]]
    assert cells == ["'=1+1", 5, -2]
    assert ws["A1"].data_type == "s"
