"""One roll-up run: signals of a wijk in, themes out. Pure and deterministic.

Steps (ARCHITECTURE.md, "The roll-up engine"):
1. the wijk's signals within the window, sorted by id;
2. vectors (``represent``);
3. new signals join the existing theme with the nearest centroid (above a similarity
   threshold); only what is left is clustered (``cluster``); with ``recluster=True``
   everything is clustered afresh and clusters are matched to themes by member overlap;
4. a cluster becomes a theme with ≥ K signals from ≥ 2 authors;
5. keywords by class-based TF-IDF, the dominant category, and a trend.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.preprocessing import normalize

from signalen.themes.rollup import text as dutch
from signalen.themes.rollup.cluster import NOISE, assign, cluster, gram
from signalen.themes.rollup.data import (
    Constraints,
    ExistingTheme,
    InputSignal,
    Params,
    Theme,
    ThemeId,
    Trend,
    WijkResult,
)
from signalen.themes.rollup.represent import vectorise

SignalId = int | str


def _id_key(value: SignalId | ThemeId) -> tuple[int, int, str]:
    """Sort ids of mixed type deterministically (numbers first, by value)."""
    if isinstance(value, int):
        return (0, value, "")
    return (1, 0, str(value))


def in_window(
    signals: Iterable[InputSignal], as_of: dt.date | None, window_days: int
) -> list[InputSignal]:
    """Signals observed within ``window_days`` up to ``as_of``, sorted by id.

    Signals without a date count as current.
    """
    start = as_of - dt.timedelta(days=window_days) if as_of else None
    kept = [
        s
        for s in signals
        if s.observed_on is None
        or start is None
        or as_of is None
        or start < s.observed_on <= as_of
    ]
    return sorted(kept, key=lambda s: _id_key(s.id))


def passes_thresholds(
    members: Sequence[InputSignal], params: Params, *, check_authors: bool
) -> bool:
    """≥ K signals and, when authors are known, ≥ ``min_authors`` different authors."""
    if len(members) < params.k:
        return False
    if check_authors:
        authors = {s.author for s in members if s.author}
        return len(authors) >= params.min_authors
    return True


def trend(
    dates: Iterable[dt.date | None], as_of: dt.date | None, params: Params
) -> tuple[Trend, int, int]:
    """(trend, recent count, baseline count): recent weeks against the weeks before.

    Rates per week are compared; below ``trend_min_count`` signals in both periods
    together the answer is "stable", so a handful of signals is never a trend.
    """
    if as_of is None:
        return "stable", 0, 0
    recent_start = as_of - dt.timedelta(weeks=params.recent_weeks)
    baseline_start = recent_start - dt.timedelta(weeks=params.baseline_weeks)
    recent = sum(1 for d in dates if d is not None and recent_start < d <= as_of)
    baseline = sum(
        1 for d in dates if d is not None and baseline_start < d <= recent_start
    )
    return classify_trend(recent, baseline, params), recent, baseline


def classify_trend(recent: int, baseline: int, params: Params) -> Trend:
    if recent + baseline < params.trend_min_count:
        return "stable"
    recent_rate = recent / params.recent_weeks
    baseline_rate = baseline / params.baseline_weeks
    if recent_rate >= params.trend_ratio * baseline_rate and recent > 0:
        return "rising"
    if recent_rate * params.trend_ratio <= baseline_rate:
        return "falling"
    return "stable"


def match_themes(
    clusters: Mapping[int, frozenset[SignalId]],
    existing: Sequence[ExistingTheme],
    min_jaccard: float = 0.5,
) -> tuple[dict[int, ThemeId], list[int]]:
    """Match clusters to existing themes by member overlap (Jaccard).

    Returns (cluster → theme it updates, clusters that are new). Greedy on the highest
    Jaccard first; each theme and each cluster is used once; ties by id: deterministic.
    """
    pairs: list[tuple[float, tuple[int, int, str], int, ThemeId]] = []
    for key, members in clusters.items():
        for theme in existing:
            union = len(members | theme.member_ids)
            if not union:
                continue
            jaccard = len(members & theme.member_ids) / union
            if jaccard >= min_jaccard:
                pairs.append((-jaccard, _id_key(theme.id), key, theme.id))
    pairs.sort(key=lambda p: (p[0], p[1], p[2]))
    updates: dict[int, ThemeId] = {}
    used: set[ThemeId] = set()
    for _, _, key, theme_id in pairs:
        if key in updates or theme_id in used:
            continue
        updates[key] = theme_id
        used.add(theme_id)
    new = sorted(key for key in clusters if key not in updates)
    return updates, new


def keywords(
    texts: Sequence[str],
    groups: Sequence[Sequence[int]],
    count: int,
    stems: Sequence[Sequence[str]] | None = None,
) -> list[tuple[str, ...]]:
    """The most characteristic words per group by class-based TF-IDF (c-TF-IDF).

    Each group is one document of all its texts; the signals in no group form one more
    background class so common words of the wijk sink. ``stems`` (one list per text,
    as stored at intake) spare stemming every text again. Stems are shown as their
    most frequent surface word in (at most ``SURFACE_SAMPLE`` of) the group's texts.
    """
    if not groups:
        return []
    analyzed: list[Sequence[str]] = (
        list(stems) if stems is not None else [dutch.stems(t) for t in texts]
    )
    counter = CountVectorizer(analyzer=_as_is)
    try:
        counts = counter.fit_transform(analyzed).tocsr()
    except ValueError:  # no words at all
        return [() for _ in groups]
    vocabulary = counter.get_feature_names_out()
    grouped = set().union(*map(set, groups))
    background = [i for i in range(len(texts)) if i not in grouped]
    classes = [list(group) for group in groups] + ([background] if background else [])
    per_class = np.vstack(
        [np.asarray(counts[rows].sum(axis=0)).ravel() for rows in classes]
    ).astype(np.float64)
    totals = per_class.sum(axis=1, keepdims=True)
    tf = np.divide(per_class, totals, out=np.zeros_like(per_class), where=totals > 0)
    average = per_class.sum() / len(classes)
    idf = np.log1p(average / np.maximum(per_class.sum(axis=0), 1.0))
    scores = tf * idf
    result = []
    for group, row in zip(groups, scores[: len(groups)], strict=True):
        # Surface words from the group's own texts (a bounded, fixed part of them):
        # the same words as from all texts in practice, without tokenising the window.
        surface = dutch.surface_forms(texts[i] for i in sorted(group)[:SURFACE_SAMPLE])
        order = sorted(
            (i for i in np.flatnonzero(row > 0)), key=lambda i: (-row[i], vocabulary[i])
        )
        words: list[str] = []
        for i in order:
            word = surface.get(str(vocabulary[i]), str(vocabulary[i]))
            if word not in words:
                words.append(word)
            if len(words) == count:
                break
        result.append(tuple(words))
    return result


SURFACE_SAMPLE = 400


def _as_is(stems: Sequence[str]) -> Sequence[str]:
    return stems


def with_stems(signals: Iterable[InputSignal]) -> list[InputSignal]:
    """The signals, each with its stems: the stored ones, or made once here."""
    return [
        s if s.stems is not None else replace(s, stems=tuple(dutch.stems(s.text)))
        for s in signals
    ]


def dominant_category(members: Iterable[InputSignal]) -> str:
    counts = Counter(s.category for s in members if s.category)
    if not counts:
        return ""
    return min(counts.items(), key=lambda item: (-item[1], item[0]))[0]


def similarity_stats(
    matrix: sparse.csr_matrix, seed: int, sample: int = 1500
) -> tuple[float, float]:
    """Mean and standard deviation of the similarities between different signals of
    the wijk (a seeded sample of rows above ``sample``): the scale of the relative
    cut rules."""
    n = matrix.shape[0]
    if n < 3:
        return 0.0, 1.0
    rows = np.arange(n)
    if n > sample:
        rows = np.sort(
            np.random.default_rng(seed).choice(n, size=sample, replace=False)
        )
    part = matrix[rows]
    similarity = gram(part)
    upper = similarity[np.triu_indices(len(rows), k=1)]
    return float(upper.mean()), float(max(upper.std(), 1e-6))


def effective_params(matrix: sparse.csr_matrix, params: Params) -> Params:
    """``params`` with the wijk's own thresholds when the cut rule is relative."""
    if params.cut != "relative" or matrix.shape[0] < params.relative_min_signals:
        return params
    mean, sd = similarity_stats(matrix, params.seed)
    return replace(
        params,
        distance_threshold=float(1.0 - (mean + params.z_cut * sd)),
        density_min_similarity=float(mean + params.z_density * sd),
        assign_min_similarity=float(mean + params.z_assign * sd),
    )


def _assign_allowed(
    matrix: sparse.csr_matrix,
    rows: np.ndarray,
    centres: np.ndarray,
    keys: Sequence[int],
    blocked: Callable[[int, int], bool],
    min_similarity: float,
) -> np.ndarray:
    """Like ``cluster.assign`` but a row never joins a group it may not join."""
    similarity = np.asarray(matrix[rows] @ centres.T, dtype=np.float64)
    for i, row in enumerate(rows.tolist()):
        for j, key in enumerate(keys):
            if blocked(row, key):
                similarity[i, j] = -np.inf
    best = similarity.argmax(axis=1)
    best_similarity = similarity[np.arange(len(rows)), best]
    return np.where(best_similarity >= min_similarity, best, NOISE).astype(np.int64)


def settle(
    matrix: sparse.csr_matrix,
    groups: dict[int, list[int]],
    passing: Callable[[Sequence[int]], bool],
    params: Params,
    *,
    pinned: Mapping[int, int] | None = None,
    blocked: Callable[[int, int], bool] | None = None,
) -> dict[int, list[int]]:
    """Grow groups until a run on its own result would change nothing.

    Groups that fail the thresholds dissolve. Then, repeatedly until no row moves,
    every row in no passing group joins the passing group with the nearest centroid
    (above a similarity threshold; centroids move as rows join, so this repeats — it
    ends because groups only grow). What is left is clustered; when that gives a new
    passing group, everything repeats (at most ``params.max_passes`` times). The next
    run starts from the themes and does exactly these steps, so on the same data it
    finds nothing to do: a re-run is idempotent, also for wijken clustered in pieces.
    """
    n = matrix.shape[0]
    pinned = pinned or {}
    anchored = set(pinned.values())
    next_key = max(groups, default=-1) + 1
    # A group the team pinned signals to stays, even below the thresholds.
    groups = {
        key: sorted(rows)
        for key, rows in groups.items()
        if key in anchored or passing(rows)
    }
    for _ in range(params.max_passes):
        taken = {row for rows in groups.values() for row in rows}
        fresh = np.asarray([r for r in range(n) if r not in taken], dtype=np.int64)
        keys = sorted(groups)
        while len(fresh) and keys:
            centres = normalize(
                np.vstack([np.asarray(matrix[groups[k]].mean(axis=0)) for k in keys])
            )
            if blocked is None:
                chosen = assign(matrix[fresh], centres, params.assign_min_similarity)
            else:
                chosen = _assign_allowed(
                    matrix, fresh, centres, keys, blocked, params.assign_min_similarity
                )
            joined = chosen != NOISE
            if not joined.any():
                break
            moving = zip(fresh[joined].tolist(), chosen[joined].tolist(), strict=True)
            for row, choice in moving:
                groups[keys[choice]].append(row)
            fresh = fresh[~joined]
        for key in keys:
            groups[key].sort()
        if not len(fresh):
            break
        labels = cluster(matrix[fresh], params)
        found: dict[int, list[int]] = {}
        for row, label in zip(fresh.tolist(), labels.tolist(), strict=True):
            if label != NOISE:
                found.setdefault(int(label), []).append(row)
        new = [rows for _, rows in sorted(found.items()) if passing(rows)]
        if not new:
            break
        for rows in new:
            groups[next_key] = rows
            next_key += 1
    return groups


def run_wijk(
    wijk: str,
    signals: Iterable[InputSignal],
    existing: Sequence[ExistingTheme] = (),
    params: Params | None = None,
    *,
    as_of: dt.date | None = None,
    recluster: bool = False,
    constraints: Constraints | None = None,
) -> WijkResult:
    """Roll up one wijk. ``as_of`` defaults to the latest ``observed_on``.

    ``constraints`` (the team's actions) are kept whatever the vectors say: a signal
    pinned to an existing theme stays in it, a signal never joins a theme it was
    marked "hoort er niet bij" for, and the noise gate keeps look-alikes of such
    signals out.
    """
    params = params or Params()
    constraints = constraints or Constraints()
    signals = [s for s in signals if s.wijk == wijk]
    existing = sorted(
        (t for t in existing if t.wijk == wijk), key=lambda t: _id_key(t.id)
    )
    if as_of is None:
        dates = [s.observed_on for s in signals if s.observed_on is not None]
        as_of = max(dates) if dates else None
    current = with_stems(in_window(signals, as_of, params.window_days))
    if not current:
        closed = tuple(t.id for t in existing if not t.dismissed)
        return WijkResult(wijk=wijk, signals_read=0, themes=(), closed_theme_ids=closed)

    if len(current) < params.relative_min_signals and params.variant.startswith("e5+"):
        # Too few signals to centre the vectors and judge the wijk's own scale: the
        # word, character and category blocks with the fixed cuts (engine v1).
        params = replace(params, variant="tfidf+char+category")
    matrix, _ = vectorise(current, params)
    params = effective_params(matrix, params)
    check_authors = any(s.author for s in current)
    row_of = {s.id: i for i, s in enumerate(current)}
    # Existing themes are groups 0 … len(existing) - 1; new clusters come after.
    theme_of_group: dict[int, ThemeId] = {k: t.id for k, t in enumerate(existing)}
    key_of_theme = {t.id: k for k, t in enumerate(existing)}
    pinned: dict[int, int] = {}  # row → group key (must-link)
    for signal_id, theme_id in constraints.must_link.items():
        if signal_id in row_of and theme_id in key_of_theme:
            pinned[row_of[signal_id]] = key_of_theme[theme_id]
    groups: dict[int, list[int]] = {}
    for row, key in pinned.items():
        groups.setdefault(key, []).append(row)

    def blocked(row: int, key: int) -> bool:
        return constraints.forbidden(current[row].id, theme_of_group.get(key))

    if recluster or not existing:
        free = np.asarray([r for r in range(len(current)) if r not in pinned])
        offset = len(existing)
        if len(free):
            labels = cluster(matrix[free], params)
            for row, label in zip(free.tolist(), labels.tolist(), strict=True):
                if label != NOISE:
                    groups.setdefault(offset + int(label), []).append(row)
    else:
        for key, theme in enumerate(existing):
            rows = [
                row_of[i]
                for i in theme.member_ids
                if i in row_of
                and row_of[i] not in pinned
                and not constraints.forbidden(i, theme.id)
            ]
            if rows:
                groups.setdefault(key, []).extend(rows)

    def passing(rows: Sequence[int]) -> bool:
        return passes_thresholds(
            [current[r] for r in rows], params, check_authors=check_authors
        )

    groups = settle(
        matrix,
        groups,
        passing,
        params,
        pinned=pinned,
        blocked=blocked if constraints.cannot_link else None,
    )
    if recluster or not existing:
        anchored = set(pinned.values())
        unmatched = {
            key: frozenset(current[r].id for r in rows)
            for key, rows in groups.items()
            if key not in anchored
        }
        matched, _ = match_themes(unmatched, existing, params.match_min_jaccard)
        theme_of_group = {k: v for k, v in theme_of_group.items() if k in anchored}
        for key, theme_id in matched.items():
            rows = [
                r
                for r in groups[key]
                if not constraints.forbidden(current[r].id, theme_id)
            ]
            anchor = key_of_theme[theme_id]
            if anchor in anchored:  # the cluster joins the theme the team pinned to
                groups[anchor] = sorted(set(groups[anchor]) | set(rows))
                del groups[key]
            else:
                groups[key] = rows
                theme_of_group[key] = theme_id

    dismissed = {t.id: t for t in existing if t.dismissed}
    kept: list[tuple[int, list[int], bool]] = []  # (group key, rows, reopened)
    for key in sorted(groups, key=lambda k: min(groups[k]) if groups[k] else -1):
        rows = sorted(groups[key])
        if not passes_thresholds(
            [current[r] for r in rows], params, check_authors=check_authors
        ):
            continue
        group_theme = theme_of_group.get(key)
        reopened = False
        if group_theme is not None and group_theme in dismissed:
            before = len(dismissed[group_theme].member_ids)
            if len(rows) < math.ceil(before * (1 + params.dismissed_growth)):
                continue  # stays dismissed
            reopened = True
        kept.append((key, rows, reopened))
    kept = _noise_gate(
        matrix,
        current,
        kept,
        constraints,
        dismissed.values(),
        pinned,
        params,
        check_authors=check_authors,
    )

    labels_per_theme = keywords(
        [s.text for s in current],
        [rows for _, rows, _ in kept],
        params.keywords,
        stems=[s.stems or () for s in current],
    )
    themes = []
    for (key, rows, reopened), words in zip(kept, labels_per_theme, strict=True):
        members = [current[r] for r in rows]
        direction, recent, baseline = trend(
            [s.observed_on for s in members], as_of, params
        )
        themes.append(
            Theme(
                theme_id=theme_of_group.get(key),
                wijk=wijk,
                member_ids=tuple(s.id for s in members),
                keywords=words,
                category=dominant_category(members),
                trend=direction,
                recent_count=recent,
                baseline_count=baseline,
                authors=len({s.author for s in members if s.author}),
                reopened=reopened,
            )
        )
    in_theme = {i for theme in themes for i in theme.member_ids}
    surviving = {theme.theme_id for theme in themes}
    closed = tuple(t.id for t in existing if not t.dismissed and t.id not in surviving)
    return WijkResult(
        wijk=wijk,
        signals_read=len(current),
        themes=tuple(themes),
        closed_theme_ids=closed,
        noise_ids=tuple(s.id for s in current if s.id not in in_theme),
    )


def _noise_gate(
    matrix: sparse.csr_matrix,
    current: Sequence[InputSignal],
    kept: list[tuple[int, list[int], bool]],
    constraints: Constraints,
    dismissed: Iterable[ExistingTheme],
    pinned: Mapping[int, int],
    params: Params,
    *,
    check_authors: bool,
) -> list[tuple[int, list[int], bool]]:
    """Members (not pinned) more like a known noise signal than like their own theme
    leave it. Known noise: signals marked "hoort er niet bij" and members of dismissed
    themes, as far as no kept theme holds them now."""
    taken = {r for _, rows, _ in kept for r in rows}
    row_of = {s.id: i for i, s in enumerate(current)}
    noise_ids = set(constraints.noise_ids)
    for theme in dismissed:
        noise_ids |= set(theme.member_ids)
    negatives = sorted(
        row_of[i] for i in noise_ids if i in row_of and row_of[i] not in taken
    )
    if not negatives:
        return kept
    negative_matrix = matrix[negatives]
    gated: list[tuple[int, list[int], bool]] = []
    for key, rows, reopened in kept:
        part = matrix[rows]
        own = gram(part)
        np.fill_diagonal(own, 0.0)
        own_mean = own.sum(axis=1) / max(len(rows) - 1, 1)
        nearest_noise = gram(part, negative_matrix).max(axis=1)
        stay = [
            r
            for r, mine, noise in zip(rows, own_mean, nearest_noise, strict=True)
            if r in pinned or noise <= mine + params.gate_margin
        ]
        if passes_thresholds(
            [current[r] for r in stay], params, check_authors=check_authors
        ) or any(r in pinned for r in stay):
            gated.append((key, stay, reopened))
    return gated


def rollup(
    signals: Iterable[InputSignal],
    existing: Sequence[ExistingTheme] = (),
    params: Params | None = None,
    *,
    as_of: dt.date | None = None,
    recluster: bool = False,
    constraints: Constraints | None = None,
) -> dict[str, WijkResult]:
    """Roll up every wijk in ``signals`` (and every wijk with an existing theme)."""
    per_wijk: dict[str, list[InputSignal]] = defaultdict(list)
    for signal in signals:
        per_wijk[signal.wijk].append(signal)
    wijken = sorted(set(per_wijk) | {t.wijk for t in existing})
    return {
        wijk: run_wijk(
            wijk,
            per_wijk.get(wijk, []),
            existing,
            params,
            as_of=as_of,
            recluster=recluster,
            constraints=constraints,
        )
        for wijk in wijken
    }
