"""What the bulk-entry page offers: the valid codes, and a CSV template to fill in.

Someone collecting signals on paper needs the codes the check accepts (wijk, buurt,
categorie, bron, doelgroepen); guessing them led to rejected files. The template has
the columns in the order the example shows and one example row that passes the check;
the codes file lists every valid code with its name, for the team's own wijken only.
Retired taxonomy entries are not offered (the check refuses them too).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exports import csv_text
from signalen.intake.forms import BULK_COLUMNS_OPTIONAL, BULK_COLUMNS_REQUIRED
from signalen.models import Bron, Categorie, Doelgroep
from wijken.models import Buurt, Wijk

COLUMNS = (
    "wijk",
    "buurt",
    "categorie",
    "doelgroepen",
    "bron",
    "tekst",
    "huishoudens",
    "datum",
)
assert set(COLUMNS) == set(BULK_COLUMNS_REQUIRED + BULK_COLUMNS_OPTIONAL)


@dataclass(frozen=True)
class CodeList:
    kind: str  # the column
    title: str
    codes: tuple[tuple[str, str], ...]  # (code, name)


def bulk_code_lists(*, wijken: QuerySet[Wijk]) -> list[CodeList]:
    """The valid values per column, for these wijken."""
    wijk_rows = list(
        wijken.defer("geometry").order_by("name").values_list("code", "name")
    )
    buurt_rows = list(
        Buurt.objects.filter(wijk__in=wijken.values("pk"), is_active=True)
        .order_by("wijk__name", "name")
        .values_list("code", "name")
    )

    def active(model: type[Categorie] | type[Bron] | type[Doelgroep]) -> tuple:
        return tuple(
            (code, _(name))
            for code, name in model.objects.filter(is_active=True)
            .order_by("order", "name")
            .values_list("code", "name")
        )

    return [
        CodeList("wijk", _("Wijken"), tuple(wijk_rows)),
        CodeList("buurt", _("Buurten"), tuple(buurt_rows)),
        CodeList("categorie", _("Categorieën"), active(Categorie)),
        CodeList("bron", _("Bronnen"), active(Bron)),
        CodeList("doelgroepen", _("Doelgroepen"), active(Doelgroep)),
    ]


def _csv(rows: list[list[str]]) -> str:
    return csv_text(rows, delimiter=";", lineterminator="\r\n")


def bulk_template_csv(*, wijken: QuerySet[Wijk]) -> str:
    """The header and one example row that passes the check."""
    lists = {item.kind: item.codes for item in bulk_code_lists(wijken=wijken)}

    def first(kind: str) -> str:
        return lists[kind][0][0] if lists[kind] else ""

    example = {
        "wijk": first("wijk"),
        "buurt": "",
        "categorie": first("categorie"),
        "doelgroepen": first("doelgroepen"),
        "bron": first("bron"),
        "tekst": _("Schrijf hier wat u zag of hoorde, zonder namen of adressen."),
        "huishoudens": "1",
        "datum": timezone.localdate().isoformat(),
    }
    return _csv([list(COLUMNS), [example[column] for column in COLUMNS]])


def bulk_codes_csv(*, wijken: QuerySet[Wijk]) -> str:
    """Every valid code with its name: kolom;code;naam."""
    rows = [["kolom", "code", "naam"]]
    for item in bulk_code_lists(wijken=wijken):
        rows += [[item.kind, code, name] for code, name in item.codes]
    return _csv(rows)
