"""The k-anonymity helper: nothing below K is shown, and nothing shown gives it away."""

from __future__ import annotations

import itertools
import random

import pytest

from signalen.intake.queries import signal_counts_for_wijk
from signalen.kanon import KCount, k_anonymous_counts, k_count
from tests.signalen.helpers import make_signaal

K = 5


def test_counts_below_k_are_hidden_and_read_as_less_than_k():
    table = k_anonymous_counts({"a": 12, "b": 3, "c": 7, "d": 2}, k=K)
    assert table["a"].value == 12
    assert table["b"].is_hidden
    assert table["b"].value is None
    assert str(table["b"]) == "verborgen"
    assert str(table["a"]) == "12"


def test_zero_is_hidden_too_so_that_hidden_means_somewhere_from_0_to_k_minus_1():
    table = k_anonymous_counts({"a": 10, "b": 0, "c": 1}, k=K)
    assert table["b"].is_hidden
    assert table["c"].is_hidden


def test_the_threshold_comes_from_settings(settings):
    settings.K_ANONYMITY = 10
    table = k_anonymous_counts({"a": 9, "b": 30})
    assert table["a"].is_hidden
    assert str(table["a"]) == "verborgen"
    assert table["b"].value == 30
    assert k_count(9).is_hidden
    assert k_count(10).value == 10


def test_a_total_below_k_is_hidden():
    table = k_anonymous_counts({"a": 2, "b": 1}, k=K)
    assert table.total is not None
    assert table.total.is_hidden
    assert str(table.total) == "verborgen"


def test_one_hidden_cell_beside_a_shown_total_hides_the_total():
    # 20 - 12 - 6 would give 2.
    table = k_anonymous_counts({"a": 12, "b": 6, "c": 2}, k=K)
    assert table["c"].is_hidden
    assert table.total is not None
    assert table.total.is_hidden
    assert table.total.suppressed
    assert str(table.total) == "verborgen"


def test_two_hidden_cells_that_could_be_several_values_keep_the_total():
    table = k_anonymous_counts({"a": 12, "b": 3, "c": 2}, k=K)
    assert table.total is not None
    assert table.total.value == 17


@pytest.mark.parametrize(
    "cells",
    [
        {"a": 12, "b": 4, "c": 4},  # 8 = 2 x 4: both must be 4
        {"a": 12, "b": 0, "c": 0},  # 0: both must be 0
    ],
)
def test_hidden_cells_at_their_extremes_hide_the_total(cells):
    table = k_anonymous_counts(cells, k=K)
    assert table.total is not None
    assert table.total.is_hidden


def test_hidden_cells_sort_as_a_block_in_key_order_after_the_shown_ones():
    table = k_anonymous_counts({"z": 1, "a": 4, "m": 9, "b": 30, "c": 2}, k=K)
    assert [key for key, _count in table.cells] == ["b", "m", "a", "c", "z"]


def test_sorting_hidden_cells_does_not_depend_on_their_values():
    first = k_anonymous_counts({"x": 1, "y": 4, "big": 10}, k=K)
    second = k_anonymous_counts({"x": 4, "y": 1, "big": 10}, k=K)
    assert [k for k, _ in first.cells] == [k for k, _ in second.cells]
    assert [str(c) for _, c in first.cells] == [str(c) for _, c in second.cells]


def test_without_a_total_only_the_cells_are_given():
    table = k_anonymous_counts({"a": 12, "b": 2}, total=False, k=K)
    assert table.total is None
    assert table["b"].is_hidden


def test_an_empty_table_has_a_hidden_total():
    table = k_anonymous_counts({}, k=K)
    assert len(table) == 0
    assert table.total is not None
    assert table.total.is_hidden


def test_negative_counts_are_refused():
    with pytest.raises(ValueError, match="negative"):
        k_anonymous_counts({"a": -1}, k=K)


def test_a_kcount_never_carries_the_hidden_value():
    count = k_count(3, k=K)
    assert count == KCount(None, K)
    assert count.sort_value == -1


def _published(table, keys):
    """What a reader sees: per key the shown value or None, and the total."""
    cells = {key: table[key].value for key in keys}
    total = table.total
    return cells, total


def _consistent_values(cells, total, k, max_value):
    """Every assignment of the hidden cells that fits what was published."""
    hidden = [key for key, value in cells.items() if value is None]
    shown_sum = sum(value for value in cells.values() if value is not None)
    solutions = []
    for values in itertools.product(range(k), repeat=len(hidden)):
        grand = shown_sum + sum(values)
        if total is not None:
            if total.value is not None and grand != total.value:
                continue
            if total.value is None and not total.suppressed and grand >= k:
                continue
            if total.value is None and total.suppressed and grand < k:
                continue
        solutions.append(dict(zip(hidden, values, strict=True)))
    return hidden, solutions


@pytest.mark.parametrize("seed", range(40))
def test_property_no_hidden_cell_can_be_derived_from_what_is_shown(seed):
    rng = random.Random(seed)
    for _ in range(25):
        size = rng.randint(1, 6)
        keys = [f"c{i}" for i in range(size)]
        # Mostly small numbers, so that many cells are hidden.
        true = {key: rng.choice([0, 1, 2, 3, 4, 4, 5, 6, 9, 15, 40]) for key in keys}
        table = k_anonymous_counts(true, k=K)
        cells, total = _published(table, keys)
        # Nothing below K is shown; nothing shown is false.
        for key in keys:
            if true[key] < K:
                assert cells[key] is None
            else:
                assert cells[key] in (None, true[key])
        if total is not None and total.value is not None:
            assert total.value == sum(true.values())
            assert total.value >= K
        hidden, solutions = _consistent_values(cells, total, K, 40)
        assert {key: true[key] for key in hidden} in solutions
        for key in hidden:
            possible = {solution[key] for solution in solutions}
            assert len(possible) >= 2, (true, key, possible)


@pytest.mark.parametrize("k", [2, 3, 5, 10])
def test_property_holds_for_other_thresholds(k):
    rng = random.Random(k)
    for _ in range(200):
        keys = [f"c{i}" for i in range(rng.randint(1, 4))]
        true = {key: rng.randint(0, 3 * k) for key in keys}
        table = k_anonymous_counts(true, k=k)
        cells, total = _published(table, keys)
        hidden, solutions = _consistent_values(cells, total, k, 3 * k)
        for key in hidden:
            assert len({solution[key] for solution in solutions}) >= 2


@pytest.mark.django_db
def test_signal_counts_for_a_wijk_are_k_anonymous(wijk, team, professional):
    from signalen.models import Categorie

    geld = Categorie.objects.get(code="geldzorgen-schulden")
    for _ in range(6):
        make_signaal(author=professional, team=team)
    for _ in range(2):
        make_signaal(author=professional, team=team, categorie=geld)
    rows, total = signal_counts_for_wijk(wijk=wijk, k=K)
    by_code = {row.code: row.count for row in rows}
    assert by_code["eenzaamheid"].value == 6
    assert by_code["geldzorgen-schulden"].is_hidden
    assert by_code["overig"].is_hidden  # zero: hidden, and listed like the others
    # Other categories are all zero and hidden: at their extreme (all 0) only if
    # the total gives them away, so the total must not pin them.
    assert rows[0].code == "eenzaamheid"
    assert total is not None
    assert total.value in (None, 8)


@pytest.mark.django_db
def test_signal_counts_leave_out_withdrawn_signals_and_other_wijken(
    wijk, team, professional, other_wijk
):
    from signalen.intake.services import signaal_withdraw

    for _ in range(5):
        make_signaal(author=professional, team=team)
    withdrawn = make_signaal(author=professional, team=team)
    # Withdrawn in the block it was logged in (still running): it no longer counts.
    signaal_withdraw(signaal=withdrawn, actor=professional, reason="dubbel")
    rows, _total = signal_counts_for_wijk(wijk=wijk, k=K)
    assert {row.code: row.count for row in rows}["eenzaamheid"].value == 5
    rows, _total = signal_counts_for_wijk(wijk=other_wijk, k=K)
    assert all(row.count.is_hidden for row in rows)


def test_every_hidden_count_reads_the_same_whatever_the_reason():
    """A label that told "below K" from "hidden to protect the others" would tell a
    reader which cells are small, and beside a total that the rest are zero (#15
    item 5)."""
    from signalen.kanon import KCount

    below = KCount(None, 5)
    protecting = KCount(None, 5, suppressed=True)
    assert str(below) == str(protecting) == "verborgen"


def test_the_api_gives_one_reason_for_every_hidden_count():
    from opendata.public_data import count_dict
    from signalen.kanon import KCount

    assert count_dict(KCount(None, 5)) == count_dict(KCount(None, 5, suppressed=True))
    assert count_dict(KCount(None, 5))["reason"] == "k_anonymity"
