"""The cache key of what a page or an API answer shows (the officers' dashboard and
the public API share it, so both renew on the same changes)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.utils.translation import get_language


def page_key(prefix: str, kind: str, parts: tuple[Any, ...], *, stamp: str) -> str:
    """A cache key for what a page (or an API answer) shows: its parts, the generation
    stamp of what it covers, the language (the labels) and K (which counts show).

    K is read from settings.K_ANONYMITY directly, as signalen's k_threshold does: core
    imports no app of ours."""
    k = int(settings.K_ANONYMITY)
    state = repr((parts, stamp, get_language() or "-", k))
    return f"{prefix}:{kind}:{hashlib.sha256(state.encode()).hexdigest()[:40]}"
