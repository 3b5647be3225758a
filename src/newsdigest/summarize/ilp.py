"""Concept coverage solved exactly as an integer program (Gillick & Favre, 2009).

Maximise the summed weight of the concepts (stemmed bigrams, weighted by how
many documents contain them) that the chosen sentences cover, subject to the
budget. The program is solved by HiGHS through :func:`scipy.optimize.milp`
with a time limit; should HiGHS not return a solution in time, a greedy
weight-per-word selection is used instead.

For large inputs the program is kept small by pruning: only the
``max_candidates`` sentences with the most concept weight enter it, which
keeps solve times in the tens of milliseconds however large the cluster.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from newsdigest.model import Budget, Sentence
from newsdigest.summarize.candidates import candidate_positions
from newsdigest.summarize.concepts import document_frequency, sentence_bigrams
from newsdigest.summarize.registry import register

log = logging.getLogger(__name__)


@register
class ConceptILP:
    name = "ilp"
    description = "Concept coverage, exact integer program (HiGHS): the content most sources share, no redundancy."

    def __init__(
        self,
        *,
        min_document_frequency: int = 2,
        max_candidates: int = 250,
        time_limit: float = 10.0,
    ) -> None:
        self.min_document_frequency = min_document_frequency
        self.max_candidates = max_candidates
        self.time_limit = time_limit
        self.solver_status = ""  # "optimal", "time limit", "greedy" after select()

    def concept_weights(
        self, sentences: Sequence[Sentence], bigrams: Sequence[set]
    ) -> dict[tuple[str, str], float]:
        n_docs = len({s.doc_id for s in sentences})
        if n_docs > 1:
            df = document_frequency(sentences, bigrams)
            floor = self.min_document_frequency
        else:
            # One document: shared content means repeated content.
            df = document_frequency(
                [Sentence("", str(i), 0, 0, 0) for i in range(len(sentences))], bigrams
            )
            floor = 2
        return {g: float(n) for g, n in df.items() if n >= floor}

    def select(self, sentences: Sequence[Sentence], budget: Budget) -> list[int]:
        if not sentences:
            return []
        bigrams = [sentence_bigrams(s.text) for s in sentences]
        weights = self.concept_weights(sentences, bigrams)
        positions = [
            i
            for i in candidate_positions(sentences)
            if budget.words is None or sentences[i].words <= budget.words
        ]
        if not positions:
            return []
        if not weights:
            # Nothing is shared: fall back to every bigram counting once.
            weights = {g: 1.0 for i in positions for g in bigrams[i]}
        score = {i: sum(weights.get(g, 0.0) for g in bigrams[i]) for i in positions}
        # Highest concept weight first; earlier in its document on ties.
        positions.sort(key=lambda i: (-score[i], sentences[i].index, i))
        positions = [i for i in positions[: self.max_candidates] if score[i] > 0] or positions[:1]
        return self._solve(sentences, positions, bigrams, weights, budget)

    def _solve(self, sentences, positions, bigrams, weights, budget) -> list[int]:
        concepts = sorted({g for i in positions for g in bigrams[i] if g in weights})
        index = {g: k for k, g in enumerate(concepts)}
        n_c, n_s = len(concepts), len(positions)
        lengths = np.array([sentences[i].words for i in positions], dtype=float)

        # Variables: concepts c_0..c_{m-1}, then sentences s_0..s_{n-1}.
        # A concept counts only if a chosen sentence contains it:  c_k - sum_j occ_kj s_j <= 0.
        rows, cols, vals = list(range(n_c)), list(range(n_c)), [1.0] * n_c
        for j, i in enumerate(positions):
            for g in bigrams[i]:
                if g in index:
                    rows.append(index[g])
                    cols.append(n_c + j)
                    vals.append(-1.0)
        occ = csr_array((vals, (rows, cols)), shape=(n_c, n_c + n_s))
        constraints = [LinearConstraint(occ, -np.inf, 0.0)]
        if budget.words is not None:
            row = np.concatenate([np.zeros(n_c), lengths])
            constraints.append(LinearConstraint(row[None, :], -np.inf, budget.words))
        if budget.sentences is not None:
            row = np.concatenate([np.zeros(n_c), np.ones(n_s)])
            constraints.append(LinearConstraint(row[None, :], -np.inf, budget.sentences))

        # A tiny preference for shorter sentences breaks ties deterministically.
        total = sum(weights[g] for g in concepts) or 1.0
        tie_break = 1e-4 * lengths / (lengths.sum() * total)
        objective = np.concatenate([-np.array([weights[g] for g in concepts]), tie_break])
        result = milp(
            objective,
            constraints=constraints,
            integrality=np.ones(n_c + n_s),
            bounds=Bounds(0, 1),
            options={"time_limit": self.time_limit, "disp": False},
        )
        if result.x is None:
            log.warning("HiGHS found no solution (%s); using greedy selection", result.message)
            self.solver_status = "greedy"
            return self._greedy(sentences, positions, bigrams, weights, budget)
        self.solver_status = "optimal" if result.status == 0 else "time limit"
        chosen = [positions[j] for j in range(n_s) if result.x[n_c + j] > 0.5]
        return sorted(chosen)

    @staticmethod
    def _greedy(sentences, positions, bigrams, weights, budget) -> list[int]:
        covered: set = set()
        chosen: list[int] = []
        used = 0
        remaining = list(positions)
        while remaining:
            def gain(i):
                return sum(weights.get(g, 0.0) for g in bigrams[i] - covered) / sentences[i].words

            best = max(remaining, key=gain)
            remaining.remove(best)
            if gain(best) <= 0:
                break
            if not budget.admits(used + sentences[best].words, len(chosen) + 1):
                continue
            chosen.append(best)
            used += sentences[best].words
            covered |= bigrams[best]
        return sorted(chosen)
