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

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.preprocessing import normalize

from signalen.themes.rollup import text as dutch
from signalen.themes.rollup.cluster import NOISE, assign, cluster
from signalen.themes.rollup.data import (
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
    texts: Sequence[str], groups: Sequence[Sequence[int]], count: int
) -> list[tuple[str, ...]]:
    """The most characteristic words per group by class-based TF-IDF (c-TF-IDF).

    Each group is one document of all its texts; the signals in no group form one more
    background class so common words of the wijk sink. Stems are shown as their most
    frequent surface word.
    """
    if not groups:
        return []
    counter = CountVectorizer(analyzer=dutch.stems)
    try:
        counts = counter.fit_transform(texts).tocsr()
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
    surface = dutch.surface_forms(texts)
    result = []
    for row in scores[: len(groups)]:
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


def dominant_category(members: Iterable[InputSignal]) -> str:
    counts = Counter(s.category for s in members if s.category)
    if not counts:
        return ""
    return min(counts.items(), key=lambda item: (-item[1], item[0]))[0]


def settle(
    matrix: sparse.csr_matrix,
    groups: dict[int, list[int]],
    passing: Callable[[Sequence[int]], bool],
    params: Params,
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
    next_key = max(groups, default=-1) + 1
    groups = {key: sorted(rows) for key, rows in groups.items() if passing(rows)}
    for _ in range(params.max_passes):
        taken = {row for rows in groups.values() for row in rows}
        fresh = np.asarray([r for r in range(n) if r not in taken], dtype=np.int64)
        keys = sorted(groups)
        while len(fresh) and keys:
            centres = normalize(
                np.vstack([np.asarray(matrix[groups[k]].mean(axis=0)) for k in keys])
            )
            chosen = assign(matrix[fresh], centres, params.assign_min_similarity)
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
) -> WijkResult:
    """Roll up one wijk. ``as_of`` defaults to the latest ``observed_on``."""
    params = params or Params()
    signals = [s for s in signals if s.wijk == wijk]
    existing = sorted(
        (t for t in existing if t.wijk == wijk), key=lambda t: _id_key(t.id)
    )
    if as_of is None:
        dates = [s.observed_on for s in signals if s.observed_on is not None]
        as_of = max(dates) if dates else None
    current = in_window(signals, as_of, params.window_days)
    if not current:
        closed = tuple(t.id for t in existing if not t.dismissed)
        return WijkResult(wijk=wijk, signals_read=0, themes=(), closed_theme_ids=closed)

    matrix, _ = vectorise(current, params)
    check_authors = any(s.author for s in current)
    row_of = {s.id: i for i, s in enumerate(current)}
    groups: dict[int, list[int]] = {}  # group key → rows
    theme_of_group: dict[int, ThemeId] = {}

    if recluster or not existing:
        labels = cluster(matrix, params)
        for row, label in enumerate(labels.tolist()):
            if label != NOISE:
                groups.setdefault(label, []).append(row)
    else:
        for key, theme in enumerate(existing):
            rows = sorted(row_of[i] for i in theme.member_ids if i in row_of)
            if rows:
                groups[key] = rows
                theme_of_group[key] = theme.id

    def passing(rows: Sequence[int]) -> bool:
        return passes_thresholds(
            [current[r] for r in rows], params, check_authors=check_authors
        )

    groups = settle(matrix, groups, passing, params)
    if recluster or not existing:
        member_ids = {
            key: frozenset(current[r].id for r in rows) for key, rows in groups.items()
        }
        theme_of_group, _ = match_themes(member_ids, existing, params.match_min_jaccard)

    dismissed = {t.id: t for t in existing if t.dismissed}
    kept: list[tuple[int, list[int], bool]] = []  # (group key, rows, reopened)
    for key in sorted(groups, key=lambda k: min(groups[k])):
        rows = sorted(groups[key])
        if not passes_thresholds(
            [current[r] for r in rows], params, check_authors=check_authors
        ):
            continue
        theme_id = theme_of_group.get(key)
        reopened = False
        if theme_id is not None and theme_id in dismissed:
            before = len(dismissed[theme_id].member_ids)
            if len(rows) < math.ceil(before * (1 + params.dismissed_growth)):
                continue  # stays dismissed
            reopened = True
        kept.append((key, rows, reopened))

    labels_per_theme = keywords(
        [s.text for s in current], [rows for _, rows, _ in kept], params.keywords
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


def rollup(
    signals: Iterable[InputSignal],
    existing: Sequence[ExistingTheme] = (),
    params: Params | None = None,
    *,
    as_of: dt.date | None = None,
    recluster: bool = False,
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
        )
        for wijk in wijken
    }
