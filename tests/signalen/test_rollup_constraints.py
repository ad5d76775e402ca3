"""The team's actions as constraints of the pure engine: kept by every later run."""

from __future__ import annotations

import pytest

from signalen.themes.rollup import Constraints, ExistingTheme, run_wijk
from signalen.themes.rollup.constraints import Action, constraints_from_actions
from signalen.themes.rollup.suggest import rank_themes
from tests.signalen.test_rollup_engine import AS_OF, WIJK, signals, two_themes


def _existing(result) -> list[ExistingTheme]:
    return [
        ExistingTheme(id=f"t{n}", wijk=WIJK, member_ids=frozenset(theme.member_ids))
        for n, theme in enumerate(result.themes)
    ]


def _theme_holding(result, existing, signal_id):
    for theme, _old in zip(result.themes, existing, strict=False):
        if signal_id in theme.member_ids:
            return theme.theme_id
    return None


def _first_run():
    data = two_themes()
    existing = _existing(run_wijk(WIJK, data, as_of=AS_OF))
    mould = next(t for t in existing if 1 in t.member_ids)
    lonely = next(t for t in existing if 101 in t.member_ids)
    return data, existing, mould, lonely


@pytest.mark.parametrize("recluster", [False, True])
def test_a_moved_signal_stays_in_its_new_theme_after_another_run(recluster) -> None:
    data, existing, mould, lonely = _first_run()
    constraints = constraints_from_actions(
        [Action(1, "move", lonely.id, from_theme_id=mould.id)]
    )
    for _ in range(2):
        result = run_wijk(
            WIJK,
            data,
            existing,
            as_of=AS_OF,
            recluster=recluster,
            constraints=constraints,
        )
        by_id = {t.theme_id: set(t.member_ids) for t in result.themes}
        assert 1 in by_id[lonely.id]
        assert 1 not in by_id[mould.id]
        existing = [
            ExistingTheme(id=t.theme_id, wijk=WIJK, member_ids=frozenset(t.member_ids))
            for t in result.themes
        ]


@pytest.mark.parametrize("recluster", [False, True])
def test_a_signal_marked_not_belonging_never_returns_to_that_theme(recluster) -> None:
    data, existing, mould, _lonely = _first_run()
    constraints = constraints_from_actions([Action(2, "not_belong", mould.id)])
    for _ in range(2):
        result = run_wijk(
            WIJK,
            data,
            existing,
            as_of=AS_OF,
            recluster=recluster,
            constraints=constraints,
        )
        kept = {t.theme_id: set(t.member_ids) for t in result.themes}
        assert mould.id in kept
        assert 2 not in kept[mould.id]
        existing = [
            ExistingTheme(id=t.theme_id, wijk=WIJK, member_ids=frozenset(t.member_ids))
            for t in result.themes
        ]


def test_a_signal_attached_as_noise_stays_in_its_theme() -> None:
    data, existing, mould, _lonely = _first_run()
    constraints = constraints_from_actions([Action(201, "attach", mould.id)])
    result = run_wijk(WIJK, data, existing, as_of=AS_OF, constraints=constraints)
    assert 201 in next(t for t in result.themes if t.theme_id == mould.id).member_ids
    assert 201 not in result.noise_ids


def test_merged_themes_stay_one_theme_after_another_run() -> None:
    data, existing, mould, lonely = _first_run()
    actions = [
        Action(i, "merge", mould.id, from_theme_id=lonely.id)
        for i in sorted(lonely.member_ids)
    ]
    still = [t for t in existing if t.id != lonely.id]  # the source is closed
    result = run_wijk(
        WIJK, data, still, as_of=AS_OF, constraints=constraints_from_actions(actions)
    )
    (merged,) = [t for t in result.themes if t.theme_id == mould.id]
    assert set(lonely.member_ids) | set(mould.member_ids) <= set(merged.member_ids)
    assert len(result.themes) == 1


def test_signals_split_off_keep_their_new_theme_and_leave_the_old_one() -> None:
    data, existing, mould, _lonely = _first_run()
    part = sorted(mould.member_ids)[:5]
    new = ExistingTheme(id="split", wijk=WIJK, member_ids=frozenset(part))
    actions = [Action(i, "split", "split", from_theme_id=mould.id) for i in part]
    rest = ExistingTheme(
        id=mould.id, wijk=WIJK, member_ids=frozenset(set(mould.member_ids) - set(part))
    )
    themes = [t for t in existing if t.id != mould.id] + [rest, new]
    constraints = constraints_from_actions(actions)
    for _ in range(2):
        result = run_wijk(WIJK, data, themes, as_of=AS_OF, constraints=constraints)
        kept = {t.theme_id: set(t.member_ids) for t in result.themes}
        assert set(part) <= kept["split"]
        assert not set(part) & kept.get(mould.id, set())
        themes = [
            ExistingTheme(id=t.theme_id, wijk=WIJK, member_ids=frozenset(t.member_ids))
            for t in result.themes
        ]


def test_the_noise_gate_keeps_look_alikes_of_marked_signals_out() -> None:
    data = two_themes() + signals(
        ["vraag over parkeervergunning bij de schimmel"], start=300
    )
    without = run_wijk(WIJK, data, as_of=AS_OF)
    assert 300 in {i for t in without.themes for i in t.member_ids}
    gate = Constraints(noise_ids=frozenset({201}))
    result = run_wijk(WIJK, data, as_of=AS_OF, constraints=gate)
    assert 300 not in {i for t in result.themes for i in t.member_ids}


def test_a_later_action_wins_and_not_belonging_ends_a_must_link() -> None:
    constraints = constraints_from_actions(
        [
            Action(1, "attach", "a"),
            Action(1, "not_belong", "a"),
            Action(2, "attach", "a"),
            Action(3, "not_belong", "b"),
            Action(3, "attach", "b"),
        ]
    )
    assert dict(constraints.must_link) == {2: "a", 3: "b"}
    assert constraints.cannot_link == frozenset({(1, "a")})
    assert constraints.noise_ids == frozenset({1})


def test_suggestions_rank_by_stored_vector_and_skip_forbidden_themes() -> None:
    base = signals(["a", "b", "c", "d"], start=1)
    vectors = {1: [1.0, 0.0], 2: [0.9, 0.1], 3: [0.0, 1.0], 4: [0.1, 0.9]}
    window = [s.__class__(**{**s.__dict__, "vector": vectors[s.id]}) for s in base]
    new = window[0].__class__(**{**window[0].__dict__, "id": 9, "vector": [1.0, 0.05]})
    themes = {"x": [1, 2], "y": [3, 4]}
    assert [t for t, _ in rank_themes(new, window, themes)] == ["x", "y"]
    blocked = Constraints(cannot_link=frozenset({(9, "x")}))
    assert [t for t, _ in rank_themes(new, window, themes, constraints=blocked)] == [
        "y"
    ]
    assert (
        rank_themes(window[0].__class__(id=9, wijk=WIJK, text=""), window, themes) == []
    )
