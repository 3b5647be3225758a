"""Submodular coverage plus diversity (Lin & Bilmes, 2011), greedy under a budget.

The objective of Lin & Bilmes, "A Class of Submodular Functions for Document
Summarization" (ACL 2011), over TF-IDF cosines ``w[i, j]`` between every
sentence ``i`` of the input and every candidate ``j``:

* coverage ``L(S) = sum_i min(C_i(S), alpha * C_i(V))`` with ``C_i(S) = sum_{j in S} w[i, j]``
  and ``alpha = coverage_saturation / N`` (N sentences): each input sentence
  counts as covered once the summary is about as similar to it as a few
  sentences are, so a second sentence on the same point adds little;
* diversity ``R(S) = sum_k sqrt(sum_{j in S, j in P_k} r_j)``, ``P_k`` the
  k-means clusters of the candidates (``cluster_fraction`` * candidates of them)
  (SciPy's k-means++) and ``r_j`` a candidate's mean similarity to the input: one sentence from each
  sub-topic pays more than two from one;
* ``F(S) = L(S) + diversity_weight * R(S)``, maximised by the cost-scaled greedy
  (gain / words ** ``cost_scaling``), or the best single sentence when that is better.

The defaults are the paper's (alpha = 5/N, lambda = 6, K = 0.2 N, r = 0.3).
Candidates are chosen as for ``ilp`` (:func:`candidate_positions`, the first
``max_position`` sentences of each article). Measured against ``ilp`` in
``bench/ablation.py``: below it on all three dev sets, so it is a method to
compare with, not the default.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from newsdigest.model import Budget, Sentence
from newsdigest.nlp.similarity import tfidf_vectors
from newsdigest.summarize.candidates import candidate_positions, first_of_each_text


class SubmodularCoverage:
    name = "submodular"
    description = "Coverage plus diversity, greedy under the budget (Lin & Bilmes, 2011)."

    def __init__(
        self,
        *,
        coverage_saturation: float = 5.0,
        diversity_weight: float = 6.0,
        cluster_fraction: float = 0.2,
        cost_scaling: float = 0.3,
        max_position: int = 15,
        min_sentence_words: int = 6,
    ) -> None:
        self.coverage_saturation = coverage_saturation
        self.diversity_weight = diversity_weight
        self.cluster_fraction = cluster_fraction
        self.cost_scaling = cost_scaling
        self.max_position = max_position
        self.min_sentence_words = min_sentence_words

    def select(self, sentences: Sequence[Sentence], budget: Budget) -> list[int]:
        candidates = [
            i
            for i in first_of_each_text(candidate_positions(sentences, min_words=self.min_sentence_words), sentences)
            if (not self.max_position or sentences[i].index < self.max_position)
            and (budget.words is None or sentences[i].words <= budget.words)
        ]
        if not candidates:
            return []
        n, m = len(sentences), len(candidates)
        vectors = tfidf_vectors([s.text for s in sentences])
        similarity = (vectors @ vectors[candidates].T).toarray()  # every sentence x every candidate
        total = np.asarray(vectors @ vectors.sum(axis=0).T).ravel()  # C_i(V)
        cap = self.coverage_saturation / n * total
        reward = similarity.sum(axis=0) / n
        labels = self._clusters(vectors[candidates], m)
        lengths = np.array([sentences[i].words for i in candidates], dtype=float)
        max_words = budget.words if budget.words is not None else float(lengths.sum())

        covered = np.zeros(n)
        per_cluster = np.zeros(labels.max() + 1)
        available = np.ones(m, dtype=bool)
        chosen: list[int] = []
        used = 0.0
        while budget.sentences is None or len(chosen) < budget.sentences:
            fits = available & (used + lengths <= max_words)
            if not fits.any():
                break
            base = np.minimum(covered, cap).sum()
            gain = np.minimum(covered[:, None] + similarity, cap[:, None]).sum(axis=0) - base
            held = per_cluster[labels]
            gain += self.diversity_weight * (np.sqrt(held + reward) - np.sqrt(held))
            ratio = np.where(fits, gain / np.maximum(lengths, 1) ** self.cost_scaling, -np.inf)
            best = int(np.argmax(ratio))  # ties: the earlier candidate
            if gain[best] <= 1e-12:
                break
            chosen.append(best)
            available[best] = False
            used += lengths[best]
            covered += similarity[:, best]
            per_cluster[labels[best]] += reward[best]
        value = np.minimum(covered, cap).sum() + self.diversity_weight * np.sqrt(per_cluster).sum()
        alone = np.minimum(similarity, cap[:, None]).sum(axis=0) + self.diversity_weight * np.sqrt(reward)
        alone[lengths > max_words] = -np.inf
        if budget.sentences != 0 and alone.max() > value:
            chosen = [int(np.argmax(alone))]
        return sorted(candidates[k] for k in chosen)

    def _clusters(self, rows, m: int) -> np.ndarray:
        k = min(m, max(1, round(self.cluster_fraction * m)))
        if k == 1 or rows.nnz == 0:
            return np.zeros(m, dtype=int)
        import warnings

        # SciPy's k-means, not scikit-learn's: that one starts an OpenMP thread
        # pool, and a process forked after it (bench/run.py's timed runs) hangs.
        from scipy.cluster.vq import kmeans2

        with warnings.catch_warnings():  # fewer distinct sentences than clusters: some stay empty
            warnings.simplefilter("ignore")
            _, labels = kmeans2(rows.toarray(), k, minit="++", rng=0)
        return np.asarray(labels, dtype=int)
