"""The pure roll-up engine: thresholds, determinism, stable identities, trend, edges."""

from __future__ import annotations

import ast
import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from signalen.themes.rollup import (
    ExistingTheme,
    InputSignal,
    Params,
    classify_trend,
    match_themes,
    rollup,
    run_wijk,
)
from signalen.themes.rollup.engine import trend

AS_OF = dt.date(2026, 11, 20)
WIJK = "WK990101"

SCHIMMEL = [
    "schimmel in slaapkamer kinderen, corporatie reageert niet",
    "zwarte schimmel badkamer, kind hoest al weken",
    "vocht en schimmel in huurwoning, astma zoontje erger",
    "schimmel op muren, corporatie doet niks aan vocht",
    "vochtplekken en schimmel, melding bij corporatie al 3x",
    "schimmel achter kast, benauwd, vocht in huurwoning",
    "kind vaak ziek, schimmel in kinderkamer, corporatie doet niks",
    "schimmelplekken keuken en badkamer, vocht in muren",
]
EENZAAM = [
    "voelt zich eenzaam sinds buurthuis dicht is",
    "oudere alleen, eenzaam, mist de soos in buurthuis",
    "eenzaam sinds sluiting buurthuis, geen koffieochtend meer",
    "eenzaamheid, zit hele dag alleen, buurthuis gesloten",
    "mist ontmoetingsplek, buurthuis dicht, eenzaam",
    "eenzaam en alleen, kaartclub weg sinds buurthuis dicht",
    "oudere eenzaam, buurthuis gesloten, niemand komt langs",
    "eenzaam, ging altijd naar buurthuis, nu alleen thuis",
]
NOISE = [
    "vraag over parkeervergunning",
    "fietsenrek bij school kapot",
    "wil vrijwilligerswerk in bibliotheek",
]


def signals(
    texts: list[str],
    *,
    start: int = 1,
    category: str = "wonen-woonoverlast",
    authors: tuple[str, ...] = ("p1", "p2", "p3"),
    wijk: str = WIJK,
    days_ago: int = 10,
) -> list[InputSignal]:
    return [
        InputSignal(
            id=start + i,
            wijk=wijk,
            text=text,
            category=category,
            target_groups=("huurders",),
            author=authors[i % len(authors)],
            observed_on=AS_OF - dt.timedelta(days=days_ago + i),
        )
        for i, text in enumerate(texts)
    ]


def two_themes() -> list[InputSignal]:
    return (
        signals(SCHIMMEL, start=1)
        + signals(EENZAAM, start=101, category="eenzaamheid")
        + signals(NOISE, start=201, category="overig")
    )


def test_two_clear_themes_are_found_with_words_and_category() -> None:
    result = run_wijk(WIJK, two_themes(), as_of=AS_OF)
    assert len(result.themes) == 2
    by_category = {theme.category: theme for theme in result.themes}
    assert set(by_category) == {"wonen-woonoverlast", "eenzaamheid"}
    assert "schimmel" in by_category["wonen-woonoverlast"].keywords
    assert "buurthuis" in by_category["eenzaamheid"].keywords
    assert set(by_category["eenzaamheid"].member_ids) == set(range(101, 109))
    assert all(theme.theme_id is None for theme in result.themes)
    assert result.signals_read == 19
    assert set(result.noise_ids) >= {201, 202, 203}


def test_a_cluster_below_k_signals_is_no_theme() -> None:
    few = signals(SCHIMMEL[:4])
    assert run_wijk(WIJK, few, params=Params(k=5), as_of=AS_OF).themes == ()
    assert len(run_wijk(WIJK, few, params=Params(k=4), as_of=AS_OF).themes) == 1


def test_a_wijk_with_one_author_only_has_no_themes() -> None:
    result = run_wijk(WIJK, signals(SCHIMMEL, authors=("p1",)), as_of=AS_OF)
    assert result.themes == ()
    assert len(result.noise_ids) == len(SCHIMMEL)


def test_without_authors_the_two_author_rule_is_skipped() -> None:
    anonymous = [replace(s, author=None) for s in signals(SCHIMMEL)]
    assert len(run_wijk(WIJK, anonymous, as_of=AS_OF).themes) == 1


def test_empty_and_tiny_wijken_give_no_themes() -> None:
    assert run_wijk(WIJK, [], as_of=AS_OF).themes == ()
    assert run_wijk(WIJK, signals(SCHIMMEL[:1]), as_of=AS_OF).themes == ()
    assert run_wijk(WIJK, signals(["", "[NAAM]", "ivm"]), as_of=AS_OF).themes == ()
    assert rollup([]) == {}


def test_signals_outside_the_window_are_not_read() -> None:
    old = signals(SCHIMMEL, days_ago=200)
    result = run_wijk(WIJK, old, as_of=AS_OF)
    assert result.signals_read == 0
    assert result.themes == ()


def test_the_same_input_gives_the_same_output_in_any_order() -> None:
    data = two_themes()
    first = rollup(data, as_of=AS_OF)
    second = rollup(list(reversed(data)), as_of=AS_OF)
    assert first == second


def test_rollup_splits_per_wijk() -> None:
    data = signals(SCHIMMEL) + signals(EENZAAM, start=101, wijk="WK990102")
    results = rollup(data, as_of=AS_OF)
    assert sorted(results) == [WIJK, "WK990102"]
    assert all(len(result.themes) == 1 for result in results.values())


def existing_from(result_themes, *, dismissed: bool = False) -> list[ExistingTheme]:
    return [
        ExistingTheme(
            id=f"T{n}",
            wijk=WIJK,
            member_ids=frozenset(theme.member_ids),
            dismissed=dismissed,
        )
        for n, theme in enumerate(result_themes, start=1)
    ]


@pytest.mark.parametrize("recluster", [False, True])
def test_a_rerun_on_the_same_data_keeps_every_theme_and_its_id(recluster) -> None:
    data = two_themes()
    first = run_wijk(WIJK, data, as_of=AS_OF)
    existing = existing_from(first.themes)
    second = run_wijk(WIJK, data, existing, as_of=AS_OF, recluster=recluster)
    assert [t.theme_id for t in second.themes] == ["T1", "T2"]
    assert [t.member_ids for t in second.themes] == [t.member_ids for t in first.themes]
    assert second.closed_theme_ids == ()


@pytest.mark.parametrize("recluster", [False, True])
def test_a_new_signal_of_a_theme_updates_it_instead_of_making_a_new_one(
    recluster,
) -> None:
    data = two_themes()
    existing = existing_from(run_wijk(WIJK, data, as_of=AS_OF).themes)
    new = signals(["weer schimmel in de badkamer, corporatie doet niks"], start=50)
    result = run_wijk(WIJK, data + new, existing, as_of=AS_OF, recluster=recluster)
    assert len(result.themes) == 2
    updated = next(t for t in result.themes if 50 in t.member_ids)
    assert updated.theme_id is not None


def test_a_theme_keeps_its_id_when_most_members_stay() -> None:
    data = two_themes()
    existing = existing_from(run_wijk(WIJK, data, as_of=AS_OF).themes)
    dropped = [s for s in data if s.id != 1]  # one member left the window
    result = run_wijk(WIJK, dropped, existing, as_of=AS_OF, recluster=True)
    assert sorted(t.theme_id for t in result.themes) == ["T1", "T2"]


def test_a_theme_that_loses_its_signals_is_closed() -> None:
    data = two_themes()
    existing = existing_from(run_wijk(WIJK, data, as_of=AS_OF).themes)
    only_eenzaam = [s for s in data if s.id > 100]
    result = run_wijk(WIJK, only_eenzaam, existing, as_of=AS_OF)
    assert len(result.themes) == 1
    assert len(result.closed_theme_ids) == 1


def test_a_dismissed_theme_stays_away_until_it_grows_markedly() -> None:
    base = signals(SCHIMMEL[:6])
    dismissed = [
        ExistingTheme(
            id="T1", wijk=WIJK, member_ids=frozenset(range(1, 7)), dismissed=True
        )
    ]
    # Two more signals: 8 < 6 * 1.5, stays dismissed and is not reported as closed.
    grown_a_little = base + signals(SCHIMMEL[6:8], start=7)
    result = run_wijk(WIJK, grown_a_little, dismissed, as_of=AS_OF)
    assert result.themes == ()
    assert result.closed_theme_ids == ()
    # Three more: 9 ≥ 6 * 1.5, the theme comes back, marked as reopened.
    more = grown_a_little + signals(
        ["schimmel en vocht in huurwoning, corporatie"], start=9
    )
    result = run_wijk(WIJK, more, dismissed, as_of=AS_OF)
    assert [(t.theme_id, t.reopened) for t in result.themes] == [("T1", True)]


def test_match_themes_pairs_by_jaccard_and_leaves_the_rest_new() -> None:
    existing = [
        ExistingTheme(id=7, wijk=WIJK, member_ids=frozenset({1, 2, 3, 4})),
        ExistingTheme(id=8, wijk=WIJK, member_ids=frozenset({10, 11, 12})),
    ]
    clusters = {
        0: frozenset({1, 2, 3, 4, 5}),  # Jaccard 0.8 with theme 7
        1: frozenset({10, 20, 21, 22}),  # Jaccard 1/6 with theme 8: new
        2: frozenset({1, 2, 30, 31}),  # 2/6 with theme 7: new
    }
    updates, new = match_themes(clusters, existing, min_jaccard=0.5)
    assert updates == {0: 7}
    assert new == [1, 2]


def test_match_themes_gives_each_theme_to_one_cluster_only() -> None:
    existing = [ExistingTheme(id=1, wijk=WIJK, member_ids=frozenset({1, 2, 3, 4}))]
    clusters = {0: frozenset({1, 2, 3}), 1: frozenset({1, 2, 3, 4})}
    updates, new = match_themes(clusters, existing)
    assert updates == {1: 1}
    assert new == [0]


@pytest.mark.parametrize(
    ("recent", "baseline", "expected"),
    [
        (2, 1, "stable"),  # below the minimum count: never a trend
        (8, 4, "rising"),  # 2/week against 0.5/week
        (6, 0, "rising"),
        (0, 12, "falling"),
        (3, 6, "stable"),  # 0.75/week against 0.75/week
        (1, 16, "falling"),
    ],
)
def test_trend_compares_weekly_rates_with_a_minimum_count(
    recent, baseline, expected
) -> None:
    assert classify_trend(recent, baseline, Params()) == expected


def test_trend_counts_recent_and_baseline_weeks() -> None:
    dates = [AS_OF - dt.timedelta(days=d) for d in (1, 3, 5, 8, 13, 20, 40, 60, 200)]
    direction, recent, baseline = trend(dates, AS_OF, Params())
    assert (recent, baseline) == (6, 2)
    assert direction == "rising"
    assert trend(dates, None, Params()) == ("stable", 0, 0)


def test_many_signals_are_sampled_and_assigned_deterministically() -> None:
    data = [replace(s, id=n * 1000 + s.id) for n in range(40) for s in two_themes()]
    params = Params(cluster_cap=200)
    first = run_wijk(WIJK, data, params=params, as_of=AS_OF)
    assert first == run_wijk(WIJK, data, params=params, as_of=AS_OF)
    assert len(first.themes) >= 2
    assert first.signals_read == len(data)


def _varied(n: int) -> list[InputSignal]:
    """Many signals from the eval set's phrasing, too many to cluster in one piece."""
    import csv

    rows = list(
        csv.DictReader(
            (Path(__file__).resolve().parents[2] / "bench" / "rollup_eval.csv").open(
                encoding="utf-8"
            )
        )
    )
    return [
        InputSignal(
            id=i + 1,
            wijk=WIJK,
            text=rows[i % len(rows)]["text"] + f" ({i // len(rows)})",
            category=rows[i % len(rows)]["category"],
            target_groups=tuple(rows[i % len(rows)]["target_groups"].split(";")),
            author=f"p{i % 5}",
            observed_on=AS_OF - dt.timedelta(days=i % 170),
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("recluster_first", [False, True])
def test_a_rerun_changes_nothing_also_when_the_wijk_is_clustered_in_pieces(
    recluster_first,
) -> None:
    """Above cluster_cap a sample is clustered and the rest assigned: the result must
    still be a fixed point, or the next run would move signals and words around."""
    data = _varied(1400)
    params = Params(cluster_cap=300)
    first = run_wijk(WIJK, data, params=params, as_of=AS_OF)
    if recluster_first:
        first = run_wijk(
            WIJK,
            data,
            existing_from(first.themes),
            params=params,
            as_of=AS_OF,
            recluster=True,
        )
    second = run_wijk(
        WIJK, data, existing_from(first.themes), params=params, as_of=AS_OF
    )
    assert len(first.themes) >= 5
    assert [t.member_ids for t in second.themes] == [t.member_ids for t in first.themes]
    assert [t.keywords for t in second.themes] == [t.keywords for t in first.themes]
    assert all(t.theme_id is not None for t in second.themes)
    assert second.closed_theme_ids == ()


def test_the_engine_imports_neither_django_nor_our_apps() -> None:
    forbidden = ("django", "wijken", "accounts", "initiatieven", "dashboard")
    for path in Path("signalen/themes/rollup").glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert not name.startswith(forbidden), (path, name)
                assert not name.startswith("signalen.") or name.startswith(
                    "signalen.themes.rollup"
                ), (path, name)
