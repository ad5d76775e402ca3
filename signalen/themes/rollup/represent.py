"""Vectors for signals: the stored sentence vector (centred per wijk), word TF-IDF on
stems, character n-grams, category, target groups.

Each block is L2-normalised and scaled by the square root of its weight, then the whole
row is normalised again: the cosine of two signals is then a weighted mean of the cosines
per block. Sparse throughout, so 20,000 signals stay cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from signalen.themes.rollup import text as dutch
from signalen.themes.rollup.data import InputSignal, Params


def word_vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer=dutch.stems, sublinear_tf=True, min_df=1, dtype=np.float32
    )


def _stored_stems(value: tuple[str, ...]) -> tuple[str, ...]:
    return value


def _stems_of(signal: InputSignal) -> tuple[str, ...]:
    return signal.stems or ()


def _word_block(
    signals: Sequence[InputSignal],
) -> tuple[sparse.csr_matrix, TfidfVectorizer]:
    """Word TF-IDF; stored stems are used as they are (no tokenising again)."""
    if all(s.stems is not None for s in signals):
        words = TfidfVectorizer(
            analyzer=_stored_stems, sublinear_tf=True, min_df=1, dtype=np.float32
        )
        stored: list[Any] = [_stems_of(s) for s in signals]
        return _fit(words, stored), words
    words = word_vectorizer()
    return _fit(words, [s.text for s in signals]), words


def vector_block(signals: Sequence[InputSignal]) -> np.ndarray | None:
    """The stored sentence vectors, centred on the mean of these signals (one wijk)
    and normalised; a signal without a vector gets a zero row. None when no signal
    has one."""
    present = [i for i, s in enumerate(signals) if s.vector is not None]
    if not present:
        return None
    dims = len(signals[present[0]].vector)
    block = np.zeros((len(signals), dims), dtype=np.float32)
    for i in present:
        block[i] = np.asarray(signals[i].vector, dtype=np.float32)
    block[present] -= block[present].mean(axis=0)
    centred: np.ndarray = normalize(block)
    return centred


def _onehot(values: Sequence[Sequence[str]]) -> sparse.csr_matrix:
    vocabulary = sorted({value for row in values for value in row if value})
    index = {value: i for i, value in enumerate(vocabulary)}
    rows, cols = [], []
    for r, row in enumerate(values):
        for value in set(row):
            if value:
                rows.append(r)
                cols.append(index[value])
    data = np.ones(len(rows), dtype=np.float32)
    shape = (len(values), max(len(vocabulary), 1))
    return sparse.csr_matrix((data, (rows, cols)), shape=shape)


def _fit(vectorizer: TfidfVectorizer, texts: list[str]) -> sparse.csr_matrix:
    """Fit and transform; texts without a single usable word give an empty block."""
    try:
        return sparse.csr_matrix(vectorizer.fit_transform(texts))
    except ValueError:  # empty vocabulary
        return sparse.csr_matrix((len(texts), 1), dtype=np.float32)


def vectorise(
    signals: Sequence[InputSignal], params: Params
) -> tuple[sparse.csr_matrix, TfidfVectorizer]:
    """Rows in the order of ``signals``; returns the word vectorizer for the labels."""
    texts = [signal.text for signal in signals]
    word_matrix, words = _word_block(signals)
    blocks: list[tuple[sparse.csr_matrix, float]] = [(word_matrix, params.weight_word)]
    if params.variant.startswith("e5+"):
        dense = vector_block(signals)
        if dense is not None:
            blocks.append((sparse.csr_matrix(dense), params.weight_vector))
    if params.variant != "tfidf":
        chars = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(3, 5),
            preprocessor=dutch.normalise,
            sublinear_tf=True,
            min_df=2 if len(texts) > 50 else 1,
            dtype=np.float32,
        )
        blocks.append((_fit(chars, texts), params.weight_char))
    if params.variant.endswith("+category"):
        blocks.append(
            (
                _onehot([(signal.category,) for signal in signals]),
                params.weight_category,
            )
        )
        blocks.append(
            (
                _onehot([signal.target_groups for signal in signals]),
                params.weight_target,
            )
        )
    scaled = [normalize(block) * np.sqrt(weight) for block, weight in blocks]
    matrix = normalize(sparse.hstack(scaled, format="csr"))
    return sparse.csr_matrix(matrix, dtype=np.float32), words
