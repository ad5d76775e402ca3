"""The pure privacy scrubber for signal text (no Django; deduce is loaded lazily).

from signalen.intake.scrub import scrub
scrub("Mw. Jansen, 06-12345678, vraagt hulp").text
# 'Mw. [NAAM], [TELEFOON], vraagt hulp'
"""

from __future__ import annotations

from .core import scrub
from .names import get_deduce
from .types import KINDS, Removal, ScrubResult


def warm() -> float:
    """Load deduce and the name lexicon once (deduce builds its lookup cache after an
    install); seconds taken."""
    from .lexicon import warm as _warm_lexicon
    from .names import warm as _warm

    print(
        "==> Dutch de-identification lookup cache (first time: a few minutes)",
        flush=True,
    )
    seconds = _warm()
    _warm_lexicon()
    return seconds


__all__ = ["KINDS", "Removal", "ScrubResult", "get_deduce", "scrub", "warm"]
