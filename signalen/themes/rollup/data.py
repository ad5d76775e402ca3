"""Plain data in and out of the roll-up engine (no ORM, no Django)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

ThemeId = int | str
Trend = Literal["rising", "stable", "falling"]
Variant = Literal[
    "tfidf", "tfidf+char", "tfidf+char+category", "e5+tfidf+char+category"
]
VARIANTS: tuple[Variant, ...] = (
    "tfidf",
    "tfidf+char",
    "tfidf+char+category",
    "e5+tfidf+char+category",
)
Cut = Literal["fixed", "relative"]


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
    # The stored sentence vector (a float array, any length; None = not embedded yet)
    # and the stored stems (None = derive them from ``text``). Not compared: an array
    # has no plain equality, and both follow from the text.
    vector: Any = field(default=None, compare=False, repr=False)
    stems: tuple[str, ...] | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ExistingTheme:
    """A theme from an earlier run: its id and the signals it held then."""

    id: ThemeId
    wijk: str
    member_ids: frozenset[int | str]
    dismissed: bool = False


@dataclass(frozen=True)
class Constraints:
    """What the team said, as every run must keep it (ARCHITECTURE.md, engine step 3).

    - ``must_link``: signal → the theme a professional put it in (attached at intake,
      moved, merged, split off); it stays there whatever the vectors say;
    - ``cannot_link``: (signal, theme) pairs marked "hoort er niet bij" (or moved away);
      the signal never joins that theme again;
    - ``noise_ids``: signals marked "hoort er niet bij" that belong nowhere now, and the
      members of dismissed themes: the noise gate keeps signals that look more like
      these than like their theme out of it.
    """

    must_link: Mapping[int | str, ThemeId] = field(default_factory=dict)
    cannot_link: frozenset[tuple[int | str, ThemeId]] = frozenset()
    noise_ids: frozenset[int | str] = frozenset()

    def forbidden(self, signal_id: int | str, theme_id: ThemeId | None) -> bool:
        return theme_id is not None and (signal_id, theme_id) in self.cannot_link


@dataclass(frozen=True)
class Params:
    """Every knob of a run, recorded with the run. Defaults chosen on bench/rollup_eval.csv."""

    window_days: int = 180
    k: int = 5  # anonymity threshold: K_ANONYMITY
    min_authors: int = 2  # corroboration; skipped when no signal has an author
    variant: Variant = "e5+tfidf+char+category"
    weight_vector: float = 2.0  # the stored sentence vectors, centred per wijk
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
    # Relative cut rules (engine v2): the thresholds above are replaced per wijk by
    # mean + z · sd of the similarities between the wijk's signals, so they follow the
    # wijk's text instead of one set's cosine scale. "fixed" keeps the numbers above.
    cut: Cut = "relative"
    # Below this many signals a wijk has too few pairs to judge its own scale: the
    # fixed thresholds above apply.
    relative_min_signals: int = 60
    z_cut: float = 0.6  # average linkage merges while mean similarity ≥ mean + z·sd
    z_density: float = 2.2  # the n-th neighbour must be this similar, else noise
    z_assign: float = 2.5  # a signal joins a theme's centroid at this similarity
    # Noise gate: a member that is more similar (by this margin) to a signal the team
    # marked "hoort er niet bij" than to its own theme leaves the theme.
    gate_margin: float = 0.0
    # Incremental runs (signalen/themes/rollup/incremental.py): a wijk with at least
    # this many signals in the window takes new signals in without reading the whole
    # window; below it a full run is cheap enough and exact.
    incremental_min_signals: int = 2000
    incremental_sample: int = 40  # members per theme that stand for its centroid
    incremental_background: int = 800  # window signals that set the wijk's scale
    incremental_noise: int = 1000  # the most recent signals in no theme
    # A full run once the signals taken in incrementally since the last full run
    # reach this share of the window (drift).
    full_after_fraction: float = 0.2


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
