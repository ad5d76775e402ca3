"""The team's actions on themes, turned into the constraints every run keeps.

One action per signal and step, in the order they happened (oldest first):
- ``attach`` (at intake, from the suggestion), ``move``, ``merge``, ``split``: the
  signal belongs to ``theme_id`` (must-link); a move or split also says it does not
  belong to ``from_theme_id`` (cannot-link);
- ``not_belong`` ("hoort er niet bij"): the signal never joins ``theme_id`` again
  (cannot-link) and, while no theme holds it by a must-link, it is an example for the
  noise gate.
A later action wins over an earlier one for the same signal and theme.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from signalen.themes.rollup.data import Constraints, ThemeId

ActionKind = Literal["attach", "move", "not_belong", "merge", "split"]
LINKING: frozenset[str] = frozenset({"attach", "move", "merge", "split"})


@dataclass(frozen=True)
class Action:
    signal_id: int | str
    kind: ActionKind
    theme_id: ThemeId
    from_theme_id: ThemeId | None = None


def constraints_from_actions(actions: Iterable[Action]) -> Constraints:
    must: dict[int | str, ThemeId] = {}
    cannot: set[tuple[int | str, ThemeId]] = set()
    marked: set[int | str] = set()
    for action in actions:
        key = (action.signal_id, action.theme_id)
        if action.kind in LINKING:
            must[action.signal_id] = action.theme_id
            cannot.discard(key)
            moved_away = action.kind in ("move", "split")
            if moved_away and action.from_theme_id not in (None, action.theme_id):
                cannot.add((action.signal_id, action.from_theme_id))
        elif action.kind == "not_belong":
            cannot.add(key)
            if must.get(action.signal_id) == action.theme_id:
                del must[action.signal_id]
            marked.add(action.signal_id)
        else:  # pragma: no cover - the model's choices hold the kinds
            raise ValueError(f"unknown action {action.kind!r}")
    return Constraints(
        must_link=must,
        cannot_link=frozenset(cannot),
        noise_ids=frozenset(marked - set(must)),
    )
