"""Sparse vectors over integer term ids, and the dot products of one vector with many, in NumPy.

The story grouping compares each article with a few dozen story centroids.
As Python dicts every comparison is a key intersection and a sum (~12 µs);
here the article is scattered once into a dense scratch array indexed by term
id, the centroids' ids are gathered from it in one NumPy call, and
``np.add.reduceat`` sums each centroid's products: one call for all of them.

* :class:`TermIds`: the vocabulary, term -> id, ids given in order of first sight;
* :class:`Scratch`: the dense scratch arrays (zero, or -1 for positions,
  between uses), grown as the vocabulary grows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

IDS = np.int32  # a vocabulary of up to 2 billion terms; half the memory of int64


class TermIds:
    """Term -> id, the next id for a term never seen; ``terms[id]`` reads an id back."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.terms: list[str] = []

    def __len__(self) -> int:
        return len(self.terms)

    def __call__(self, terms: Sequence[str]) -> np.ndarray:
        ids = self.ids
        try:
            found = list(map(ids.__getitem__, terms))  # C-level lookups: most articles bring no new term
        except KeyError:
            found = []
            for term in terms:
                if term not in ids:
                    ids[term] = len(self.terms)
                    self.terms.append(term)
                found.append(ids[term])
        return np.array(found, dtype=IDS)


class Scratch:
    """Dense work arrays over term ids: ``values`` all zero and ``positions`` all -1 between calls."""

    def __init__(self, size: int = 1 << 12) -> None:
        self.values = np.zeros(size)
        self.positions = np.full(size, -1, dtype=IDS)

    def fit(self, size: int) -> None:
        """Room for ids below ``size`` (the arrays double until they have it)."""
        if size > len(self.values):
            length = len(self.values)
            while length < size:
                length *= 2
            self.values = np.zeros(length)
            self.positions = np.full(length, -1, dtype=IDS)

    def dots(self, ids: np.ndarray, weights: np.ndarray, sums: Sequence[SparseSum]) -> np.ndarray:
        """The dot product of (``ids``, ``weights``) with each of ``sums`` (an empty one gives 0)."""
        if not sums:
            return np.zeros(0)
        lengths = np.fromiter(map(len, sums), dtype=np.int64, count=len(sums))
        starts = np.zeros(len(sums), dtype=np.int64)
        np.cumsum(lengths[:-1], out=starts[1:])
        other_ids = np.concatenate([s.ids for s in sums])
        other_weights = np.concatenate([s.weights for s in sums])
        return self.dots_concatenated(ids, weights, other_ids, other_weights, starts)

    def dots_concatenated(self, ids, weights, other_ids, other_weights, starts) -> np.ndarray:
        """:meth:`dots` with the others laid end to end: their ids, their weights, and where each starts."""
        values = self.values
        values[ids] = weights
        products = values[other_ids]
        products *= other_weights
        values[ids] = 0.0
        if not len(products):
            return np.zeros(len(starts))
        sums = np.add.reduceat(products, np.minimum(starts, len(products) - 1))
        ends = np.append(starts[1:], len(products))
        sums[ends == starts] = 0.0  # reduceat gives an empty run the value at its start
        return sums

    def find(self, ids: np.ndarray, among: np.ndarray) -> np.ndarray:
        """For each of ``ids``, its position in ``among`` (distinct ids), or -1."""
        positions = self.positions
        positions[among] = np.arange(len(among), dtype=IDS)
        found = positions[ids]
        positions[among] = -1
        return found


def heaviest(weights: np.ndarray, count: int) -> np.ndarray:
    """Positions of the ``count`` largest weights, heaviest first, ties in array order (a stable sort)."""
    return np.argsort(-weights, kind="stable")[:count]


SparseVector = tuple[np.ndarray, np.ndarray]  # term ids (distinct) and their weights


class SparseSum:
    """A sum of sparse vectors (a story's centroid): term ids in order of first appearance, summed weights.

    ``c[t] += sign * v[t]`` term by term, as a dict would add them: the same
    doubles, and the same order of terms (ties in :func:`heaviest` fall the same way).
    """

    __slots__ = ("ids", "weights")

    def __init__(self, ids: np.ndarray | None = None, weights: np.ndarray | None = None) -> None:
        self.ids = np.zeros(0, dtype=IDS) if ids is None else ids
        self.weights = np.zeros(0) if weights is None else weights

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, ids: np.ndarray, weights: np.ndarray, scratch: Scratch, sign: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
        """Add ``sign`` times the vector; returns the weights the sum held at ``ids`` before (0 for a new
        term), and the ids that are new to it."""
        found = scratch.find(ids, self.ids)
        held = found >= 0
        olds = np.where(held, self.weights[found], 0.0) if len(self.ids) else np.zeros(len(ids))
        added = weights if sign == 1.0 else sign * weights
        self.weights[found[held]] += added[held]
        new = ids[~held]
        if len(new):
            self.ids = np.concatenate((self.ids, new))
            self.weights = np.concatenate((self.weights, added[~held]))
        return olds, new

    def square(self) -> float:
        return float(np.dot(self.weights, self.weights))

    def keep(self, positions: np.ndarray) -> None:
        self.ids, self.weights = self.ids[positions], self.weights[positions]


def sums_by_label(vectors: Sequence[SparseVector], labels: Sequence) -> dict:
    """label -> :class:`SparseSum` of its vectors (:func:`vector_sum`), labels in order of first appearance.

    Memory beyond the sums is that of the largest label's vectors.
    """
    members: dict = {}
    for position, label in enumerate(labels):
        members.setdefault(label, []).append(position)
    return {label: vector_sum([vectors[p] for p in positions]) for label, positions in members.items()}


def vector_sum(vectors: Sequence[SparseVector]) -> SparseSum:
    """The :class:`SparseSum` of ``vectors``: the same doubles and term order as adding them one by one.

    The vectors are laid end to end and summed term by term by ``np.bincount``,
    in the order of the vectors and from 0.0, as :meth:`SparseSum.add` would;
    terms in order of first appearance.
    """
    if not vectors:
        return SparseSum()
    if len(vectors) == 1:
        ids, weights = vectors[0]
        return SparseSum(ids.copy(), weights.copy())
    ids = np.concatenate([v[0] for v in vectors])
    weights = np.concatenate([v[1] for v in vectors])
    unique, first, inverse = np.unique(ids, return_index=True, return_inverse=True)
    totals = np.bincount(inverse, weights=weights, minlength=len(unique))
    order = np.argsort(first, kind="stable")
    return SparseSum(unique[order], totals[order])


def id_bound(vectors: Sequence[SparseVector]) -> int:
    """One more than the largest term id of ``vectors`` (0 when they hold none): the room a :class:`Scratch` needs."""
    return 1 + max((int(ids.max()) for ids, _ in vectors if len(ids)), default=-1)


def mean_vector(vectors: Sequence[SparseVector], chunk: int = 1000) -> SparseSum:
    """The mean of the vectors: each added with weight 1/n, in order (``np.add.at`` over chunks of them).

    Terms in id order; memory: one dense array over the vocabulary and one chunk.
    """
    size = id_bound(vectors)
    total = np.zeros(size)
    held = np.zeros(size, dtype=bool)
    scale = 1.0 / len(vectors) if vectors else 0.0
    for start in range(0, len(vectors), chunk):
        part = vectors[start : start + chunk]
        ids = np.concatenate([v[0] for v in part])
        np.add.at(total, ids, scale * np.concatenate([v[1] for v in part]))
        held[ids] = True
    ids = np.flatnonzero(held).astype(IDS)
    return SparseSum(ids, total[ids])


def sparse_vectors(vectors: Sequence[dict]) -> list[SparseVector]:
    """Dict vectors (term -> weight) as :data:`SparseVector` pairs over one new vocabulary, terms in dict order."""
    term_ids = TermIds()
    return [(term_ids(list(v)), np.fromiter(v.values(), dtype=np.float64, count=len(v))) for v in vectors]

