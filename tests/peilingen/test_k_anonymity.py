"""Every survey figure that leaves the team is k-anonymous, also against differencing."""

from __future__ import annotations

import csv
import io
import random
from collections import Counter

import pytest

from peilingen import queries
from peilingen.models import PeilingStatus, VraagSoort
from peilingen.queries import FilterError, dimension_groups, peiling_results
from signalen.kanon import _hidden_cells_derivable
from tests.peilingen.conftest import add_response, make_peiling

K = 5
pytestmark = pytest.mark.django_db


# --- Groups per dimension --------------------------------------------------------------------


def test_a_narrow_value_joins_overig_and_never_stands_alone():
    dim = dimension_groups(
        Counter({"A": 10, "B": 8, "C": 2, "": 4}), labels={}, dimension="buurt", k=K
    )
    assert [g.key for g in dim.groups] == ["A", "B", queries.REST]
    assert dim.group(queries.REST).members == frozenset({"C", ""})
    assert all(g.size >= K for g in dim.groups)


def test_an_overig_below_k_takes_the_smallest_group_in():
    dim = dimension_groups(
        Counter({"A": 10, "B": 6, "C": 2}), labels={}, dimension="buurt", k=K
    )
    assert [g.key for g in dim.groups] == ["A", queries.REST]
    assert dim.group(queries.REST).members == frozenset({"B", "C"})


def test_one_age_band_alone_gives_no_filter():
    """Everyone in one band but a few: the band would be 'everyone minus three'."""
    dim = dimension_groups(
        Counter({"65-plus": 12, "": 3}), labels={}, dimension="leeftijd", k=K
    )
    # The few unknowns pull the only band into "overig": one group, no filter.
    assert not dim.filterable


def test_everyone_together_below_k_gives_no_groups():
    dim = dimension_groups(Counter({"A": 2, "B": 1}), labels={}, dimension="buurt", k=K)
    assert dim.groups == ()


# --- Results ------------------------------------------------------------------------------------


def _results(peiling, **filters):
    return peiling_results(peiling, filters=filters, k=K)


def _cell(result, key):
    return next(c.count for c in result.cells if c.key == key)


def test_a_narrow_buurt_is_never_a_filter_of_its_own(wijk, buurt_a, buurt_b, buurt_c):
    peiling = make_peiling(wijk)
    for _i in range(8):
        add_response(peiling, buurt=buurt_a, een=0)
    for _i in range(7):
        add_response(peiling, buurt=buurt_b, een=1)
    for _i in range(2):
        add_response(peiling, buurt=buurt_c, een=2)
    results = _results(peiling)
    buurt = next(d for d in results.dimensions if d.key == "buurt")
    keys = [g.key for g in buurt.groups]
    assert buurt_c.code not in keys
    with pytest.raises(FilterError):
        _results(peiling, buurt=buurt_c.code)
    # Cornelis' two people are inside a group of at least K.
    for group in buurt.groups:
        assert group.size >= K


def test_wijk_total_minus_buurt_a_does_not_reveal_buurt_b(wijk, buurt_a, buurt_b):
    """Option 'Groen': 8 in A, 2 in B. The wijk shows 10; if A showed 8, B's 2 would
    be 10 - 8. So A's cell hides too (secondary suppression)."""
    peiling = make_peiling(wijk)
    for i in range(10):
        add_response(peiling, buurt=buurt_a, een=0 if i < 8 else 1)
    for i in range(6):
        add_response(peiling, buurt=buurt_b, een=0 if i < 2 else 1)
    wijk_view = _results(peiling).questions[0]
    a_view = _results(peiling, buurt=buurt_a.code).questions[0]
    b_view = _results(peiling, buurt=buurt_b.code).questions[0]
    assert _cell(wijk_view, "0").value == 10
    assert _cell(b_view, "0").is_hidden
    assert _cell(a_view, "0").is_hidden, "10 - 8 would give B's hidden 2 away"


def test_a_filter_combination_is_refused(wijk, buurt_a, buurt_b, client):
    peiling = make_peiling(wijk)
    for i in range(12):
        add_response(
            peiling,
            buurt=buurt_a if i % 2 else buurt_b,
            age_band="65-plus" if i < 6 else "25-44",
            een=0,
        )
    with pytest.raises(FilterError):
        _results(peiling, buurt=buurt_a.code, leeftijd="65-plus")
    response = client.get(
        f"/peilingen/{peiling.pk}/resultaten/",
        {"buurt": buurt_a.code, "leeftijd": "65-plus"},
    )
    assert response.status_code == 400
    assert "Kies één filter tegelijk" in response.content.decode()


def test_no_shown_filter_group_holds_fewer_than_k_people(
    wijk, buurt_a, buurt_b, client
):
    peiling = make_peiling(wijk)
    for i in range(11):
        add_response(
            peiling, buurt=buurt_a, age_band="65-plus" if i < 3 else "45-64", een=0
        )
    for _i in range(5):
        add_response(peiling, buurt=buurt_b, age_band="tot-25", een=1)
    results = _results(peiling)
    for dim in results.dimensions:
        for group in dim.groups:
            assert group.size >= K, (dim.key, group.key)
            # ...and the rest of the wijk beside it too (the complement).
            assert len(peiling.responses.all()) - group.size >= K or not dim.filterable


def test_a_count_below_k_is_verborgen_in_the_page_and_the_csv(wijk, buurt_a, client):
    peiling = make_peiling(wijk)
    for i in range(9):
        add_response(peiling, buurt=buurt_a, een=0 if i < 7 else 2, open="Meer bankjes")
    page = client.get(f"/peilingen/{peiling.pk}/resultaten/").content.decode()
    assert "verborgen" in page
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/peilingen/{peiling.pk}/resultaten.csv")
                .content.decode()
                .lstrip("\ufeff")
            ),
            delimiter=";",
        )
    )
    counts = [row[4] for row in rows[1:]]
    assert "verborgen" in counts
    assert all(c == "verborgen" or int(c) >= K for c in counts)


def test_open_answers_leave_the_team_only_as_a_count(wijk, client):
    peiling = make_peiling(wijk)
    for _i in range(6):
        add_response(peiling, een=0, open="Het pad is donker bij de Jansenstraat")
    page = client.get(f"/peilingen/{peiling.pk}/resultaten/").content.decode()
    assert "pad is donker" not in page
    assert "Open antwoorden: 6" in page


def test_results_stay_closed_while_the_survey_is_open(wijk, client):
    peiling = make_peiling(wijk, status=PeilingStatus.OPEN)
    for _i in range(10):
        add_response(peiling, een=0)
    assert client.get(f"/peilingen/{peiling.pk}/resultaten/").status_code == 404
    assert client.get(f"/peilingen/{peiling.pk}/resultaten.csv").status_code == 404


# --- The invariant, on many random surveys ----------------------------------------------------


def _check_no_line_pins_a_hidden_cell(results, peiling):
    """Rebuild the raw counts and check every published line: where its total shows,
    its hidden cells cannot be worked out from it."""
    responses = list(
        peiling.responses.prefetch_related("antwoorden").select_related("buurt")
    )
    for index, vraag in enumerate(peiling.vragen.all()):
        if vraag.kind == VraagSoort.OPEN:
            continue
        options = [key for key, _label in queries._option_keys(vraag)]
        wijk_q = results.all_views[0][2][index]
        raw_w = Counter()
        for r in responses:
            for a in r.antwoorden.all():
                if a.vraag_id == vraag.pk:
                    raw_w.update(queries._answer_keys(vraag, a))
        # Shown cells are the true counts, and at least K.
        for cell in wijk_q.cells:
            if not cell.count.is_hidden:
                assert cell.count.value == raw_w[cell.key] >= K
        row_total = vraag.kind in (VraagSoort.EEN, VraagSoort.SCHAAL)
        if row_total and not wijk_q.answered.is_hidden:
            hidden = [raw_w[c.key] for c in wijk_q.cells if c.count.is_hidden]
            assert not _hidden_cells_derivable(hidden, K)
        for dim in results.dimensions:
            if not dim.filterable:
                continue
            views = {
                group_label: qs[index]
                for dim_label, group_label, qs in results.all_views
                if dim_label == dim.label
            }
            lookup = {v: g for g in dim.groups for v in g.members}
            raw_g = {g.label: Counter() for g in dim.groups}
            for r in responses:
                value = queries._respondent_value(r, dim.key)
                group = lookup[value]
                for a in r.antwoorden.all():
                    if a.vraag_id == vraag.pk:
                        raw_g[group.label].update(queries._answer_keys(vraag, a))
            for option in options:
                wijk_cell = _cell(wijk_q, option)
                column = [(_cell(views[g], option), raw_g[g][option]) for g in views]
                for count, value in column:
                    if not count.is_hidden:
                        assert count.value == value >= K
                if not wijk_cell.is_hidden:
                    hidden = [value for count, value in column if count.is_hidden]
                    assert not _hidden_cells_derivable(hidden, K), (dim.key, option)
            if row_total:
                for g, view in views.items():
                    hidden = [raw_g[g][c.key] for c in view.cells if c.count.is_hidden]
                    assert not _hidden_cells_derivable(hidden, K), (dim.key, g)


@pytest.mark.parametrize("seed", range(12))
def test_no_published_line_pins_a_hidden_cell(seed, wijk, buurt_a, buurt_b, buurt_c):
    rng = random.Random(seed)
    peiling = make_peiling(wijk)
    buurten = [buurt_a, buurt_b, buurt_c, None]
    for _i in range(rng.randint(5, 45)):
        add_response(
            peiling,
            buurt=rng.choice(buurten),
            age_band=rng.choice(["", "tot-25", "25-44", "45-64", "65-plus"]),
            household=rng.choice(["", "alleen", "samen", "kinderen"]),
            een=rng.choices([0, 1, 2], weights=[6, 3, 1])[0],
            schaal=rng.randint(1, 5),
            meer=sorted({rng.randrange(2) for _j in range(rng.randint(1, 2))}),
        )
    results = _results(peiling)
    _check_no_line_pins_a_hidden_cell(results, peiling)
