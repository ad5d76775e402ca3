"""Which of the wijk's themes a new signal most likely belongs to (the intake suggestion).

Pure: stored vectors in, ranked theme ids out. The signal's vector and the members'
vectors are centred on the mean of the wijk's window (as the engine does), each theme
is the unit mean of its members, and the score is the cosine, plus a small bonus when
the theme's dominant category is the signal's. Themes the signal was marked "hoort er
niet bij" for are left out. No refit and no text: cheap enough for every intake.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np

from signalen.themes.rollup.data import Constraints, InputSignal, ThemeId

CATEGORY_BONUS = 0.05


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    unit: np.ndarray = np.divide(
        matrix, norms, out=np.zeros_like(matrix), where=norms > 0
    )
    return unit


def rank_themes(
    signal: InputSignal,
    window: Sequence[InputSignal],
    themes: Mapping[ThemeId, Sequence[int | str]],
    k: int = 3,
    constraints: Constraints | None = None,
) -> list[tuple[ThemeId, float]]:
    """The ``k`` best themes for ``signal`` as (theme id, score), best first.

    ``window``: the wijk's signals (with stored vectors) that the themes' member ids
    refer to; ``themes``: theme id → member ids. Ties go to the lower theme id.
    """
    if signal.vector is None or not themes:
        return []
    by_id = {s.id: s for s in window if s.vector is not None}
    if not by_id:
        return []
    vectors = np.vstack(
        [np.asarray(s.vector, dtype=np.float32) for s in by_id.values()]
    )
    mean = vectors.mean(axis=0)
    mine = _unit(np.asarray(signal.vector, dtype=np.float32) - mean)
    scored: list[tuple[float, str, ThemeId]] = []
    for theme_id, member_ids in themes.items():
        if constraints is not None and constraints.forbidden(signal.id, theme_id):
            continue
        members = [by_id[i] for i in member_ids if i in by_id]
        if not members:
            continue
        centre = _unit(
            np.vstack([np.asarray(m.vector, dtype=np.float32) for m in members]).mean(
                axis=0
            )
            - mean
        )
        score = float(mine @ centre)
        categories = Counter(m.category for m in members if m.category)
        if signal.category and categories:
            top = min(categories.items(), key=lambda item: (-item[1], item[0]))[0]
            if top == signal.category:
                score += CATEGORY_BONUS
        scored.append((-score, str(theme_id), theme_id))
    scored.sort(key=lambda item: (item[0], item[1]))
    return [(theme_id, -negative) for negative, _, theme_id in scored[:k]]
