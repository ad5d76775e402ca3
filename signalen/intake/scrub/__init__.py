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


def cache_build() -> None:
    """Build deduce's lookup cache unless it is there (`make run` starts this in the
    background); the process exits without holding deduce's ~1 GB."""
    from .names import deduce_cache_built

    if deduce_cache_built():
        print("==> Dutch de-identification lookup cache: ready", flush=True)
        return
    seconds = warm()
    print(
        f"==> Dutch de-identification lookup cache: built in {seconds:.0f} s",
        flush=True,
    )


__all__ = [
    "KINDS",
    "Removal",
    "ScrubResult",
    "cache_build",
    "get_deduce",
    "scrub",
    "warm",
]
