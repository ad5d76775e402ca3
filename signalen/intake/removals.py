# mypy: disallow-untyped-defs, disallow-incomplete-defs, warn-return-any
"""What the scrubber took out of a signal, kept a few minutes for its author's eyes.

The scrub runs on the worker after the POST has answered, so the confirm page cannot
take the removals from the scrub's return value any more. The worker leaves them in
the cache, sealed with the signal seal key (signalen.intake.sealing, a key that is not
in the cache), for REMOVALS_TTL seconds; the author's confirm page reads them. Never in
the database, never in a task message, never logged. When the cache is down or the
time is up, the page shows only the kinds and counts (`Signaal.scrub_summary`).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable

from django.core.cache import cache

from signalen.intake.scrub.types import Removal
from signalen.intake.sealing import InvalidToken, seal, unseal

REMOVALS_TTL = 10 * 60  # seconds: long enough for the confirm page, no longer
KEY_PREFIX = "signalen:removals:"


def _key(signaal_id: int) -> str:
    return f"{KEY_PREFIX}{int(signaal_id)}"


def remember(*, signaal_id: int, removals: Iterable[Removal]) -> None:
    """Worker side: keep the removals of a freshly scrubbed text, sealed."""
    data = [[r.kind, r.label, r.original] for r in removals]
    with contextlib.suppress(Exception):  # the cache may be down: the kinds remain
        if data:
            cache.set(_key(signaal_id), seal(json.dumps(data)), timeout=REMOVALS_TTL)
        else:
            cache.delete(_key(signaal_id))


def recall(*, signaal_id: int) -> list[Removal] | None:
    """The removals of the signal's text, or None when they are gone (time up, cache
    down, key changed). Only for the author's confirm page."""
    try:
        token = cache.get(_key(signaal_id))
    except Exception:
        return None
    if not token:
        return None
    try:
        data = json.loads(unseal(token))
    except (InvalidToken, ValueError, TypeError):
        return None
    return [
        Removal(kind=str(kind), label=str(label), original=str(original))
        for kind, label, original in data
    ]


def forget(*, signaal_id: int) -> None:
    """The text changed or went: its removals go too."""
    with contextlib.suppress(Exception):
        cache.delete(_key(signaal_id))
