# mypy: disallow-untyped-defs, disallow-any-generics, disallow-incomplete-defs, warn-return-any, no-implicit-reexport, strict-equality
"""Reads of signals, and the one k-anonymity helper every count that leaves the team
goes through.

k-anonymity here means: a count below settings.K_ANONYMITY is never shown, and no
shown figure lets a reader work it out. A reader knows that each hidden cell lies
between 0 and K-1, and that the shown total is the sum of all cells; from that
alone a hidden cell must never be pinned to one value. So:

- every cell below K (zero included) is hidden and reads "< K";
- a total below K is hidden;
- a total is also hidden when, with it, the hidden cells could be derived: when
  exactly one cell is hidden (total minus the shown parts), or when the hidden cells
  sum to 0 or to their maximum (every one of them 0, or every one K-1). We hide the
  total rather than a second cell, so that "< K" is never shown on a cell that is
  not below K (a false label would itself tell a careful reader something);
- hidden cells sort as one block after the shown ones, in key order, so the order
  of the table says nothing about their values.

Counts combined across several tables (a week table and a category table over the
same signals) are out of reach of one call: dashboards take each figure from one
table only.
"""

from __future__ import annotations

import datetime
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext

from accounts.models import User
from accounts.permissions import wijken_of_user
from signalen.models import Categorie, Doelgroep, Signaal
from wijken.models import Wijk

K = TypeVar("K", bound=Hashable)


def k_threshold() -> int:
    return int(settings.K_ANONYMITY)


@dataclass(frozen=True)
class KCount:
    """A count that may be shown, or is hidden.

    `value` is None when hidden: the real number never leaves this module in a
    KCount, so a template or export cannot print it by mistake.
    """

    value: int | None
    threshold: int
    # True when hidden although not below K (a total hidden to protect its cells).
    suppressed: bool = False

    @property
    def is_hidden(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        if self.value is None:
            if self.suppressed:
                return gettext("verborgen")
            return "< " + number_format(self.threshold)
        return number_format(self.value, force_grouping=True)

    @property
    def sort_value(self) -> int:
        """For sorting: hidden counts as -1, below every shown count."""
        return -1 if self.value is None else self.value


@dataclass(frozen=True)
class KTable(Generic[K]):
    """k-anonymous cells in display order (shown by size, then hidden by key)."""

    cells: tuple[tuple[K, KCount], ...]
    total: KCount | None

    def __getitem__(self, key: K) -> KCount:
        for cell_key, count in self.cells:
            if cell_key == key:
                return count
        raise KeyError(key)

    def __len__(self) -> int:
        return len(self.cells)

    def as_dict(self) -> dict[K, KCount]:
        return dict(self.cells)


def k_count(value: int, *, k: int | None = None) -> KCount:
    """One count on its own (no total beside it)."""
    threshold = k_threshold() if k is None else k
    return KCount(None if value < threshold else value, threshold)


def _hidden_cells_derivable(hidden: list[int], k: int) -> bool:
    """Could a reader pin a hidden cell, knowing only their sum and 0 <= each < k?"""
    if not hidden:
        return False
    if len(hidden) == 1:
        return True
    total = sum(hidden)
    return total in (0, len(hidden) * (k - 1))


def _sort_key(key: Hashable) -> str:
    return str(key)


def k_anonymous_counts(
    cells: Mapping[K, int], *, total: bool = True, k: int | None = None
) -> KTable[K]:
    """Make a table of counts k-anonymous (see the module docstring)."""
    threshold = k_threshold() if k is None else k
    if threshold < 1:
        raise ValueError("K must be at least 1.")
    for value in cells.values():
        if value < 0:
            raise ValueError("Counts cannot be negative.")

    shown = {key: value for key, value in cells.items() if value >= threshold}
    hidden_keys = [key for key, value in cells.items() if value < threshold]

    total_count: KCount | None = None
    if total:
        grand = sum(cells.values())
        if grand < threshold:
            total_count = KCount(None, threshold)
        elif _hidden_cells_derivable([cells[key] for key in hidden_keys], threshold):
            total_count = KCount(None, threshold, suppressed=True)
        else:
            total_count = KCount(grand, threshold)

    ordered_shown = sorted(
        shown.items(), key=lambda item: (-item[1], _sort_key(item[0]))
    )
    ordered: list[tuple[K, KCount]] = [
        (key, KCount(value, threshold)) for key, value in ordered_shown
    ]
    ordered += [
        (key, KCount(None, threshold)) for key in sorted(hidden_keys, key=_sort_key)
    ]
    return KTable(cells=tuple(ordered), total=total_count)


# --- Reads of signals ------------------------------------------------------------


def signalen_for_user(*, user: User) -> QuerySet[Signaal]:
    """The signals a user may read: those of the wijken of their own teams, not
    withdrawn. Everyone else gets none."""
    return (
        Signaal.objects.filter(
            wijk__in=wijken_of_user(user).values("pk"), withdrawn_at__isnull=True
        )
        .select_related("wijk", "buurt", "categorie", "bron", "author")
        .prefetch_related(
            Prefetch("doelgroepen", queryset=Doelgroep.objects.order_by("order"))
        )
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class CategorieCount:
    code: str
    name: str
    count: KCount


def signal_counts_for_wijk(
    *,
    wijk: Wijk,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    k: int | None = None,
) -> tuple[list[CategorieCount], KCount | None]:
    """k-anonymous signal counts per category for one wijk (observed between since and
    until, both inclusive), with a total. Every active category is listed, so the
    list itself does not tell which categories have signals."""
    condition = Q(signalen__wijk=wijk, signalen__withdrawn_at__isnull=True)
    if since is not None:
        condition &= Q(signalen__observed_on__gte=since)
    if until is not None:
        condition &= Q(signalen__observed_on__lte=until)
    rows = (
        Categorie.objects.annotate(n=Count("signalen", filter=condition))
        .filter(Q(is_active=True) | Q(n__gt=0))
        .values_list("code", "name", "n")
    )
    names: dict[str, str] = {}
    cells: dict[str, int] = {}
    for code, name, n in rows:
        names[code] = name
        cells[code] = n
    table = k_anonymous_counts(cells, k=k)
    return (
        [CategorieCount(code, names[code], count) for code, count in table.cells],
        table.total,
    )


def categories_active() -> QuerySet[Categorie]:
    return Categorie.objects.filter(is_active=True).order_by("order", "name")
