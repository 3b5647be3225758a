"""Honest baselines behind the same protocol: lead, centroid and LexRank."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from newsdigest.model import Budget, Sentence
from newsdigest.nlp.similarity import tfidf_vectors
from newsdigest.settings import REDUNDANT_SIMILARITY
from newsdigest.summarize.candidates import candidate_positions, fill_budget, first_of_each_text


_ROWS_PER_BLOCK = 1000


def _not_redundant(vectors, threshold: float):
    """An ``accept`` rule for fill_budget: reject sentences too similar to one already kept."""

    def accept(i: int, chosen: list[int]) -> bool:
        if not chosen:
            return True
        sims = (vectors[chosen] @ vectors[i].T).toarray().ravel()
        return float(sims.max()) < threshold

    return accept


def _select_by_score(sentences: Sequence[Sentence], budget: Budget, score, redundancy_threshold: float) -> list[int]:
    """Candidates best-scored first, skipping near-duplicates of those already kept.

    ``score`` maps the candidates' TF-IDF rows to one number per row.
    """
    positions = candidate_positions(sentences)
    vectors = tfidf_vectors([sentences[i].text for i in positions])
    order = np.argsort(-score(vectors), kind="stable")
    chosen = fill_budget(
        order.tolist(),
        [sentences[i] for i in positions],
        budget,
        accept=_not_redundant(vectors, redundancy_threshold),
    )
    return sorted(positions[k] for k in chosen)


class Lead:
    name = "lead"
    description = "First sentences of each document, taken round-robin across documents (a sentence an earlier one repeats is skipped)."

    def select(self, sentences: Sequence[Sentence], budget: Budget) -> list[int]:
        by_doc: dict[str, list[int]] = {}
        for i in first_of_each_text(candidate_positions(sentences), sentences):
            by_doc.setdefault(sentences[i].doc_id, []).append(i)
        queues = [sorted(q, key=lambda i: sentences[i].index) for q in by_doc.values()]
        ranked = []
        for depth in range(max((len(q) for q in queues), default=0)):
            ranked.extend(q[depth] for q in queues if depth < len(q))
        return sorted(fill_budget(ranked, sentences, budget))


class Centroid:
    name = "centroid"
    description = "Sentences closest to the TF-IDF centroid of the cluster (Radev et al., 2004)."

    def __init__(self, *, redundancy_threshold: float = REDUNDANT_SIMILARITY) -> None:
        self.redundancy_threshold = redundancy_threshold

    @staticmethod
    def scores(vectors) -> np.ndarray:
        centroid = np.asarray(vectors.mean(axis=0)).ravel()
        return vectors @ centroid

    def select(self, sentences: Sequence[Sentence], budget: Budget) -> list[int]:
        return _select_by_score(sentences, budget, self.scores, self.redundancy_threshold)


class LexRank:
    name = "lexrank"
    description = "LexRank: PageRank over the TF-IDF cosine graph of sentences (Erkan & Radev, 2004)."

    def __init__(
        self,
        *,
        edge_threshold: float = 0.1,
        damping: float = 0.85,
        redundancy_threshold: float = REDUNDANT_SIMILARITY,
        iterations: int = 100,
    ) -> None:
        self.edge_threshold = edge_threshold
        self.damping = damping
        self.redundancy_threshold = redundancy_threshold
        self.iterations = iterations

    def scores(self, vectors) -> np.ndarray:
        from scipy.sparse import csr_matrix, diags, vstack

        n = vectors.shape[0]
        # Threshold the similarity graph a block of rows at a time: the full
        # product is nearly dense on big clusters (11,000 sentences: 2 GB).
        blocks = []
        for start in range(0, n, _ROWS_PER_BLOCK):
            block = (vectors[start : start + _ROWS_PER_BLOCK] @ vectors.T).tocsr()
            block.data = (block.data >= self.edge_threshold).astype(float)
            block.eliminate_zeros()
            blocks.append(block)
        adjacency = vstack(blocks, format="csr") if blocks else csr_matrix((0, 0))
        degree = np.asarray(adjacency.sum(axis=1)).ravel()
        degree[degree == 0] = 1.0
        transition_t = (diags(1.0 / degree) @ adjacency).T.tocsr()
        rank = np.full(n, 1.0 / n)
        for _ in range(self.iterations):
            new = (1 - self.damping) / n + self.damping * (transition_t @ rank)
            if np.abs(new - rank).sum() < 1e-8:
                rank = new
                break
            rank = new
        return rank

    def select(self, sentences: Sequence[Sentence], budget: Budget) -> list[int]:
        return _select_by_score(sentences, budget, self.scores, self.redundancy_threshold)
