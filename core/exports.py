"""One writer for every spreadsheet the product hands out: CSV and Excel (XLSX).

Spreadsheet programs run a text cell that starts with =, +, -, @, a tab or a carriage
return as a formula ("CSV injection"): a resident's initiative title
`=HYPERLINK("http://x","y")` would become a live link in an officer's Excel. As OWASP
recommends, such a text cell gets a leading apostrophe, so it shows as text. Numbers
(int, float, Decimal) stay numbers; they cannot carry a formula.

`safe_cell` neutralises one value, `csv_writer` / `csv_dict_writer` wrap Python's csv
writers, `csv_text` and `xlsx_bytes` write whole tables.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet must receive it: a text cell that would run as a
    formula gets a leading apostrophe; numbers stay numbers; None becomes ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def safe_text(value: Any) -> str:
    """Like safe_cell, but always text (for writers that want strings)."""
    return str(safe_cell(value))


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


class SafeWriter:
    """csv.writer that passes every cell through safe_cell."""

    def __init__(self, out: Any, **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeDictWriter(csv.DictWriter):  # type: ignore[type-arg]
    """csv.DictWriter that passes every value through safe_cell."""

    def writerow(self, rowdict: Any) -> Any:
        return super().writerow(
            {name: safe_cell(value) for name, value in rowdict.items()}
        )


def csv_writer(out: Any, **options: Any) -> SafeWriter:
    return SafeWriter(out, **options)


def csv_dict_writer(
    out: Any, fieldnames: Sequence[str], **options: Any
) -> SafeDictWriter:
    return SafeDictWriter(out, fieldnames=fieldnames, **options)


def csv_text(rows: Iterable[Iterable[Any]], **options: Any) -> str:
    """The rows as CSV text, every cell made safe."""
    out = io.StringIO()
    csv_writer(out, **options).writerows(rows)
    return out.getvalue()


def xlsx_bytes(sheets: Iterable[tuple[str, Iterable[Iterable[Any]]]]) -> bytes:
    """An Excel workbook with one worksheet per (title, rows), every cell made safe.
    Titles are cut to Excel's 31 characters."""
    from openpyxl import Workbook

    workbook = Workbook()
    first = True
    for title, rows in sheets:
        if first:
            ws = workbook.active
            assert ws is not None
            ws.title = title[:31]
            first = False
        else:
            ws = workbook.create_sheet(title[:31])
        for row in rows:
            ws.append(safe_row(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
