"""An incremental run: new signals into the themes a full run made, without the window.

A full run (``engine.run_wijk``) reads every signal of the wijk's window. When only a
few signals are new, that is wasted work: the themes are known. An incremental run
reads the new signals, a fixed sample of each theme's members (their centroid), a
fixed sample of the window (the wijk's own similarity scale for the relative cut
rules) and the signals in no theme (noise), and then:

1. a new signal the team attached to a theme stays there (must-link);
2. every other new signal joins the theme with the nearest centroid, above the
   wijk's assign threshold and never a theme it may not join (cannot-link); one
   nearest to a dismissed theme joins nothing (the noise gate would keep it out);
3. the new signals that joined nothing are clustered with the noise near them; a
   cluster with a new signal that passes the thresholds (K signals, two authors) is
   a new theme, labelled from stored stems.

The vectors are fitted on these rows only, so a run for 100 new signals in a wijk of
60,000 costs about as much as one for a wijk of a few thousand. What it cannot see
(a theme drifting, two themes growing together) the next full run settles: the run
layer starts one when enough has been taken in incrementally (``Params
.full_after_fraction``) and for ``recluster``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from scipy import sparse
from sklearn.preprocessing import normalize

from signalen.themes.rollup.cluster import NOISE, cluster, gram
from signalen.themes.rollup.data import (
    Constraints,
    ExistingTheme,
    InputSignal,
    Params,
    Theme,
    ThemeId,
)
from signalen.themes.rollup.engine import (
    _noise_gate,
    dominant_category,
    effective_params,
    keywords,
    passes_thresholds,
    trend,
    with_stems,
)
from signalen.themes.rollup.represent import vectorise

SignalId = int | str


@dataclass(frozen=True)
class ThemeSample:
    """An existing theme as an incremental run sees it: a fixed sample of members."""

    id: ThemeId
    members: tuple[InputSignal, ...]
    dismissed: bool = False


@dataclass(frozen=True)
class Increment:
    """What an incremental run decided; the run layer writes it."""

    joined: dict[ThemeId, tuple[SignalId, ...]] = field(default_factory=dict)
    themes: tuple[Theme, ...] = ()  # new themes (``theme_id`` None)
    rows_read: int = 0


def run_increment(
    wijk: str,
    new: Sequence[InputSignal],
    samples: Sequence[ThemeSample],
    background: Sequence[InputSignal],
    noise: Sequence[InputSignal],
    params: Params,
    *,
    as_of: dt.date,
    window_size: int,
    constraints: Constraints | None = None,
) -> Increment:
    """Place ``new`` signals among the themes of ``samples`` (see the module text).

    ``background`` is a fixed sample of the window, ``noise`` the window's signals in
    no theme, ``window_size`` the number of signals in the window (it chooses the
    variant as a full run would). Deterministic for the same input."""
    constraints = constraints or Constraints()
    if not new:
        return Increment()
    if window_size < params.relative_min_signals and params.variant.startswith("e5+"):
        params = replace(params, variant="tfidf+char+category")
    rows: list[InputSignal] = []
    row_of: dict[SignalId, int] = {}

    def take(signals: Sequence[InputSignal]) -> list[int]:
        taken = []
        for signal in signals:
            if signal.id not in row_of:
                row_of[signal.id] = len(rows)
                rows.append(signal)
            taken.append(row_of[signal.id])
        return taken

    background_rows = take(background)
    sample_rows = [take(sample.members) for sample in samples]
    noise_rows = take(noise)
    new_rows = take(new)
    rows = with_stems(rows)
    matrix, _ = vectorise(rows, params)
    if background_rows:
        params = effective_params(matrix[background_rows], params)

    # 1-2: must-link, then the nearest centroid.
    theme_index = {sample.id: i for i, sample in enumerate(samples)}
    usable = [i for i, members in enumerate(sample_rows) if members]
    centres = (
        normalize(
            np.vstack([np.asarray(matrix[sample_rows[i]].mean(axis=0)) for i in usable])
        )
        if usable
        else np.zeros((0, matrix.shape[1]))
    )
    joined: dict[ThemeId, list[SignalId]] = {}
    left: list[int] = []
    for row in new_rows:
        signal = rows[row]
        pinned = constraints.must_link.get(signal.id)
        if pinned is not None and pinned in theme_index:
            joined.setdefault(pinned, []).append(signal.id)
            continue
        if not usable:
            left.append(row)
            continue
        similarity = np.asarray(matrix[row] @ centres.T, dtype=np.float64).ravel()
        for j, i in enumerate(usable):
            if constraints.forbidden(signal.id, samples[i].id):
                similarity[j] = -np.inf
        best = int(similarity.argmax())
        if similarity[best] < params.assign_min_similarity:
            left.append(row)
            continue
        chosen = samples[usable[best]]
        if not chosen.dismissed:
            joined.setdefault(chosen.id, []).append(signal.id)
        # Nearest to a dismissed theme: in no theme, and not the seed of a new one.

    # 3: what joined nothing, clustered with the noise near it.
    themes = _new_themes(
        wijk,
        matrix,
        rows,
        left,
        noise_rows,
        samples,
        sample_rows,
        constraints,
        params,
        as_of,
    )
    return Increment(
        joined={key: tuple(ids) for key, ids in joined.items()},
        themes=themes,
        rows_read=len(rows),
    )


def _new_themes(
    wijk: str,
    matrix: sparse.csr_matrix,
    rows: Sequence[InputSignal],
    left: Sequence[int],
    noise_rows: Sequence[int],
    samples: Sequence[ThemeSample],
    sample_rows: Sequence[Sequence[int]],
    constraints: Constraints,
    params: Params,
    as_of: dt.date,
) -> tuple[Theme, ...]:
    if not left:
        return ()
    left_set = set(left)
    others = [r for r in noise_rows if r not in left_set]
    near: list[int] = []
    if others:
        similarity = gram(matrix[others], matrix[list(left)])
        near = [
            r
            for r, best in zip(others, similarity.max(axis=1), strict=True)
            if best >= params.density_min_similarity
        ]
    candidates = np.asarray(sorted(left_set | set(near)), dtype=np.int64)
    labels = cluster(matrix[candidates], params)
    found: dict[int, list[int]] = {}
    for row, label in zip(candidates.tolist(), labels.tolist(), strict=True):
        if label != NOISE:
            found.setdefault(int(label), []).append(row)
    check_authors = any(s.author for s in rows)
    kept: list[tuple[int, list[int], bool]] = []
    for key, members in sorted(found.items()):
        if not left_set & set(members):
            continue  # noise that clusters without a new signal: the full run's
        if passes_thresholds(
            [rows[r] for r in members], params, check_authors=check_authors
        ):
            kept.append((key, sorted(members), False))
    if not kept:
        return ()
    dismissed = [
        ExistingTheme(
            id=sample.id,
            wijk=wijk,
            member_ids=frozenset(rows[r].id for r in members),
            dismissed=True,
        )
        for sample, members in zip(samples, sample_rows, strict=True)
        if sample.dismissed
    ]
    kept = _noise_gate(
        matrix,
        rows,
        kept,
        constraints,
        dismissed,
        {},
        params,
        check_authors=check_authors,
    )
    words = keywords(
        [s.text for s in rows],
        [members for _, members, _ in kept],
        params.keywords,
        stems=[s.stems or () for s in rows],
    )
    themes = []
    for (_, members, _), label in zip(kept, words, strict=True):
        signals = [rows[r] for r in members]
        direction, recent, baseline = trend(
            [s.observed_on for s in signals], as_of, params
        )
        themes.append(
            Theme(
                theme_id=None,
                wijk=wijk,
                member_ids=tuple(s.id for s in signals),
                keywords=label,
                category=dominant_category(signals),
                trend=direction,
                recent_count=recent,
                baseline_count=baseline,
                authors=len({s.author for s in signals if s.author}),
            )
        )
    return tuple(themes)
