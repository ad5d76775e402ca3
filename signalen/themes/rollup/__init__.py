"""The roll-up engine: signals in, wijk themes out. Pure Python, no Django, no ORM.

Import-linter forbids this package to import Django or any app of ours, so it can be
tested and benchmarked alone; the Celery tasks and models wrap it.
"""

from signalen.themes.rollup.data import (
    VARIANTS,
    Constraints,
    ExistingTheme,
    InputSignal,
    Params,
    Theme,
    ThemeId,
    Trend,
    Variant,
    WijkResult,
)
from signalen.themes.rollup.engine import classify_trend, match_themes, rollup, run_wijk

__all__ = [
    "VARIANTS",
    "Constraints",
    "ExistingTheme",
    "InputSignal",
    "Params",
    "Theme",
    "ThemeId",
    "Trend",
    "Variant",
    "WijkResult",
    "classify_trend",
    "match_themes",
    "rollup",
    "run_wijk",
]
