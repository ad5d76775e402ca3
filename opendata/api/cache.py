"""The API's answers, cached whole and keyed on what they show.

Like the officers' dashboard (dashboard/officer.py `page_cached`): the key holds the
endpoint, its checked parameters, the generations of the gemeenten or wijken the answer
covers (wijken/generations.py: renewed by every write that changes what is shown of
them), the language (labels), K (which counts show) and, where periods depend on it,
the day. A cached answer is then exactly what would be computed now; reading the key
costs one cache round trip and no query. The timeout only bounds how long an unused
answer stays.

Each entry keeps a hash of its data, so an ETag can be given (and a 304 answered)
without rendering the body again: the hash of the data, the media type asked for and
the address asked (the page links are made from it).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.http import quote_etag

from core.cache_keys import page_key

PREFIX = "bw:api"


@dataclass(frozen=True)
class Answer:
    """Data an endpoint computed, and the hash of that data."""

    data: Any
    digest: str

    def etag(self, *, media_type: str, address: str) -> str:
        """The ETag of this data rendered as `media_type` at `address`: a body
        differs only when one of the three does."""
        state = f"{self.digest}\n{media_type}\n{address}"
        return quote_etag(hashlib.sha256(state.encode()).hexdigest()[:32])


def cache_seconds() -> int:
    return int(getattr(settings, "API_DATA_CACHE_SECONDS", 15 * 60))


def digest_of(data: Any) -> str:
    text = json.dumps(data, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def key_for(
    endpoint: str, parts: tuple[Any, ...], *, stamp: str, by_day: bool = False
) -> str:
    """The cache key of an answer (see the module docstring)."""
    day = timezone.localdate() if by_day else None
    return page_key(PREFIX, endpoint, (parts, day), stamp=stamp)


def answer(
    endpoint: str,
    parts: tuple[Any, ...],
    *,
    stamp: str,
    compute: Callable[[], Any],
    by_day: bool = False,
) -> Answer:
    """What `compute` returns, from the cache when nothing it shows has changed.

    `stamp` is the generation stamp of what the answer covers; `by_day` when its
    periods depend on today. An exception (a 404 for a page past the end) is not
    cached."""
    key = key_for(endpoint, parts, stamp=stamp, by_day=by_day)
    found = cache.get(key)
    if isinstance(found, Answer):
        return found
    data = compute()
    made = Answer(data=data, digest=digest_of(data))
    cache.set(key, made, cache_seconds())
    return made
