"""Plain data in and out of the roll-up engine (no ORM, no Django)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

ThemeId = int | str
Trend = Literal["rising", "stable", "falling"]
Variant = Literal["tfidf", "tfidf+char", "tfidf+char+category"]
VARIANTS: tuple[Variant, ...] = ("tfidf", "tfidf+char", "tfidf+char+category")


@dataclass(frozen=True)
class InputSignal:
    """One signal as the engine sees it. ``text`` is already scrubbed."""

    id: int | str
    wijk: str
    text: str
    category: str = ""
    target_groups: tuple[str, ...] = ()
    author: str | None = None  # opaque; None = unknown (the two-author rule is skipped)
    observed_on: dt.date | None = None


@dataclass(frozen=True)
class ExistingTheme:
    """A theme from an earlier run: its id and the signals it held then."""

    id: ThemeId
    wijk: str
    member_ids: frozenset[int | str]
    dismissed: bool = False


@dataclass(frozen=True)
class Params:
    """Every knob of a run, recorded with the run. Defaults chosen on bench/rollup_eval.csv."""

    window_days: int = 180
    k: int = 5  # anonymity threshold: K_ANONYMITY
    min_authors: int = 2  # corroboration; skipped when no signal has an author
    variant: Variant = "tfidf+char+category"
    weight_word: float = 1.0
    weight_char: float = 1.0
    weight_category: float = 0.6
    weight_target: float = 0.2
    # Agglomerative clustering, average linkage on cosine distance.
    distance_threshold: float = 0.90
    # Low-density pre-filter: a signal whose n-th nearest neighbour is less similar
    # than this is noise and takes no part in clustering.
    density_neighbours: int = 3
    density_min_similarity: float = 0.33
    density_fraction: float = 0.0  # neighbours as a share of the rows, if more
    # Assigning new signals to existing themes (nearest centroid).
    assign_min_similarity: float = 0.40
    # Above this many unassigned signals, cluster a seeded sample and assign the rest.
    cluster_cap: int = 2500
    # Rounds of "assign to the nearest theme, cluster the rest" while the rest still
    # holds a new theme (see engine.settle).
    max_passes: int = 10
    seed: int = 20261123
    # Stable identities.
    match_min_jaccard: float = 0.5
    dismissed_growth: float = 0.5  # a dismissed theme returns at ≥ 50 % more members
    # Trend: the last ``recent_weeks`` against the ``baseline_weeks`` before them.
    recent_weeks: int = 4
    baseline_weeks: int = 8
    trend_min_count: int = 6
    trend_ratio: float = 1.5
    keywords: int = 5


@dataclass(frozen=True)
class Theme:
    """A cluster that passed the thresholds. ``theme_id`` is None for a new theme."""

    theme_id: ThemeId | None
    wijk: str
    member_ids: tuple[int | str, ...]
    keywords: tuple[str, ...]
    category: str
    trend: Trend
    recent_count: int
    baseline_count: int
    authors: int
    reopened: bool = False  # a dismissed theme that grew markedly


@dataclass(frozen=True)
class WijkResult:
    wijk: str
    signals_read: int
    themes: tuple[Theme, ...]
    closed_theme_ids: tuple[ThemeId, ...] = ()  # existing themes that no longer pass
    noise_ids: tuple[int | str, ...] = ()  # in the window, in no theme
