"""Clustering one wijk's signal vectors, and assigning signals to centroids.

Average-linkage agglomerative clustering on cosine distance with a distance threshold,
after a low-density pre-filter that keeps isolated signals (noise) out of every cluster.
Pairwise work is O(n²), so above ``Params.cluster_cap`` rows a seeded sample is clustered
and the other rows are assigned to the nearest cluster centroid (O(n · clusters)).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.cluster import AgglomerativeClustering
from sklearn.preprocessing import normalize

from signalen.themes.rollup.data import Params

NOISE = -1

# A column set in more than this share of the rows is multiplied as a dense block.
DENSE_SHARE = 0.3


def gram(a: sparse.csr_matrix, b: sparse.csr_matrix | None = None) -> np.ndarray:
    """``a @ b.T`` as a dense float64 array (the cosines of unit rows).

    The stored sentence vectors make hundreds of columns dense in an otherwise sparse
    matrix; sparse-times-sparse is slow on those (it was 70 % of a big wijk's run).
    Those columns go through BLAS as a dense block, the rest stays sparse: the same
    numbers, several times faster."""
    b = a if b is None else b
    if a.shape[0] == 0 or b.shape[0] == 0:
        return np.zeros((a.shape[0], b.shape[0]), dtype=np.float64)
    used = np.bincount(a.indices, minlength=a.shape[1]) + np.bincount(
        b.indices, minlength=b.shape[1]
    )
    is_dense = used > DENSE_SHARE * (a.shape[0] + b.shape[0])
    if not is_dense.any():
        return np.asarray((a @ b.T).todense(), dtype=np.float64)
    dense_cols = np.flatnonzero(is_dense)
    sparse_cols = np.flatnonzero(~is_dense)
    a_dense = np.asarray(a[:, dense_cols].todense(), dtype=np.float64)
    b_dense = np.asarray(b[:, dense_cols].todense(), dtype=np.float64)
    out: np.ndarray = a_dense @ b_dense.T
    if len(sparse_cols):
        out += np.asarray((a[:, sparse_cols] @ b[:, sparse_cols].T).todense())
    return out


def centroids(
    matrix: sparse.csr_matrix, labels: np.ndarray
) -> tuple[list[int], np.ndarray]:
    """Unit-length mean vector per label (NOISE excluded), labels in ascending order."""
    keys = sorted(int(label) for label in set(labels.tolist()) if label != NOISE)
    if not keys:
        return [], np.zeros((0, matrix.shape[1]), dtype=np.float32)
    index = {key: i for i, key in enumerate(keys)}
    rows = [i for i, label in enumerate(labels.tolist()) if label != NOISE]
    cols = [index[int(labels[i])] for i in rows]
    membership = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (cols, rows)),
        shape=(len(keys), matrix.shape[0]),
    )
    means = np.asarray((membership @ matrix).todense(), dtype=np.float32)
    return keys, normalize(means)


def assign(
    matrix: sparse.csr_matrix, centres: np.ndarray, min_similarity: float
) -> np.ndarray:
    """Index of the most similar centre per row, or NOISE below ``min_similarity``."""
    if centres.shape[0] == 0 or matrix.shape[0] == 0:
        return np.full(matrix.shape[0], NOISE, dtype=np.int64)
    similarity = np.asarray(matrix @ centres.T)
    best = similarity.argmax(axis=1)  # first maximum: deterministic
    best_similarity = similarity[np.arange(matrix.shape[0]), best]
    return np.where(best_similarity >= min_similarity, best, NOISE).astype(np.int64)


def _dense_cluster(matrix: sparse.csr_matrix, params: Params) -> np.ndarray:
    n = matrix.shape[0]
    labels = np.full(n, NOISE, dtype=np.int64)
    if n < 2:
        return labels
    similarity = gram(matrix)
    np.fill_diagonal(similarity, -1.0)
    # The neighbourhood grows with the number of signals: in a big wijk, three look-alikes
    # are found for almost anything.
    wanted = max(params.density_neighbours, round(n * params.density_fraction))
    m = min(wanted, n - 1)
    # Similarity to the m-th nearest neighbour: low means an isolated signal.
    kth = -np.partition(-similarity, m - 1, axis=1)[:, m - 1]
    core = np.flatnonzero(kth >= params.density_min_similarity)
    if len(core) < 2:
        return labels
    distance = 1.0 - similarity[np.ix_(core, core)]
    np.fill_diagonal(distance, 0.0)
    np.clip(distance, 0.0, 2.0, out=distance)
    model = AgglomerativeClustering(
        n_clusters=None,
        metric="precomputed",
        linkage="average",
        distance_threshold=params.distance_threshold,
    )
    raw = model.fit_predict(distance)
    # Renumber by first appearance so the numbering does not depend on the library.
    renumber: dict[int, int] = {}
    for position, label in zip(core.tolist(), raw.tolist(), strict=True):
        labels[position] = renumber.setdefault(label, len(renumber))
    return labels


def cluster(matrix: sparse.csr_matrix, params: Params) -> np.ndarray:
    """A cluster number per row, NOISE for rows in no cluster.

    Above ``cluster_cap`` rows: cluster a seeded sample, assign the other rows to the
    nearest centroid, and repeat on what is left until it fits under the cap (or a
    round finds nothing), so what a later run sees as "left over" was clustered too.
    """
    n = matrix.shape[0]
    labels = np.full(n, NOISE, dtype=np.int64)
    remaining = np.arange(n)
    rng = np.random.default_rng(params.seed)
    next_label = 0
    while len(remaining) > params.cluster_cap:
        sample = np.sort(rng.choice(remaining, size=params.cluster_cap, replace=False))
        sample_labels = _dense_cluster(matrix[sample], params)
        keys, centres = centroids(matrix[sample], sample_labels)
        if not keys:
            break
        rest = np.setdiff1d(remaining, sample)
        chosen = assign(matrix[rest], centres, params.assign_min_similarity)
        found = sample_labels != NOISE
        labels[sample[found]] = sample_labels[found] + next_label
        key_array = np.asarray(keys, dtype=np.int64) + next_label
        joined = chosen != NOISE
        labels[rest[joined]] = key_array[chosen[joined]]
        next_label += max(keys) + 1
        remaining = np.concatenate([sample[~found], rest[~joined]])
        remaining.sort()
    if len(remaining) <= params.cluster_cap:
        last = _dense_cluster(matrix[remaining], params)
        found = last != NOISE
        labels[remaining[found]] = last[found] + next_label
    return labels
