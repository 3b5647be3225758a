"""Concept coverage solved exactly as an integer program (Gillick & Favre, 2009).

Maximise the summed weight of the concepts (stemmed bigrams, weighted by how
many documents contain them) that the chosen sentences cover, subject to the
budget. The program is solved by HiGHS (highspy) with a time limit; should HiGHS not return a solution in time, a greedy
weight-per-word selection is used instead.

For large inputs the program is kept small by pruning: only the
``max_candidates`` sentences with the most concept weight enter it, which
keeps solve times in the tens of milliseconds however large the cluster.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import highspy
from scipy.optimize import LinearConstraint
from scipy.sparse import csc_array, csr_array, issparse, vstack

from newsdigest.model import Budget, Sentence
from newsdigest.order import is_dangling_opener
from newsdigest.summarize.candidates import candidate_positions
from newsdigest.summarize.concepts import document_frequency, sentence_bigrams
from newsdigest.summarize.registry import register

log = logging.getLogger(__name__)

# Restarts and large cut pools cost more than they save on programs this small
# (measured on duc2003: about half the solve time, same optima).
HIGHS_OPTIONS = {"mip_allow_restart": False, "mip_lp_age_limit": 1, "mip_pool_soft_limit": 50}


def _has_quote(text: str) -> bool:
    return any(q in text for q in ('"', "“", "``"))


@register
class ConceptILP:
    name = "ilp"
    description = "Concept coverage, exact integer program (HiGHS): the content most sources share, no redundancy."

    def __init__(
        self,
        *,
        min_document_fraction: float = 0.3,
        max_candidates: int = 100,
        min_sentence_words: int = 6,
        lead_sentences: int = 2,
        lead_bonus: float = 1.0,
        skip_quotes: bool = False,
        skip_dangling: bool = False,
        time_limit: float = 10.0,
        mip_rel_gap: float = 1e-4,
        tight: bool = True,
    ) -> None:
        self.mip_rel_gap = mip_rel_gap
        self.tight = tight
        self.min_document_fraction = min_document_fraction
        self.min_sentence_words = min_sentence_words
        self.lead_sentences = lead_sentences
        self.lead_bonus = lead_bonus
        self.skip_quotes = skip_quotes
        self.skip_dangling = skip_dangling
        self.max_candidates = max_candidates
        self.time_limit = time_limit
        self.solver_status = ""  # "optimal", "time limit", "greedy" after select()

    def concept_weights(
        self, sentences: Sequence[Sentence], bigrams: Sequence[set]
    ) -> dict[tuple[str, str], float]:
        n_docs = len({s.doc_id for s in sentences})
        if n_docs > 1:
            df = document_frequency(sentences, bigrams)
            floor = max(2, round(self.min_document_fraction * n_docs))
        else:
            # One document: shared content means repeated content.
            df = document_frequency(
                [Sentence("", str(i), 0, 0, 0) for i in range(len(sentences))], bigrams
            )
            floor = 2
        weights = {g: float(n) for g, n in df.items() if n >= floor}
        if self.lead_bonus and self.lead_sentences:
            lead = set().union(*(b for s, b in zip(sentences, bigrams) if s.index < self.lead_sentences))
            weights = {g: w * (1 + self.lead_bonus) if g in lead else w for g, w in weights.items()}
        return weights

    def select(self, sentences: Sequence[Sentence], budget: Budget) -> list[int]:
        if not sentences:
            return []
        bigrams = [sentence_bigrams(s.text) for s in sentences]
        weights = self.concept_weights(sentences, bigrams)
        positions = [
            i
            for i in candidate_positions(sentences, min_words=self.min_sentence_words)
            if (budget.words is None or sentences[i].words <= budget.words)
            and not (self.skip_quotes and _has_quote(sentences[i].text))
            and not (self.skip_dangling and is_dangling_opener(sentences[i].text))
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
        n_s = len(positions)
        lengths = np.array([sentences[i].words for i in positions], dtype=float)

        # Two exact reductions keep the program small. A concept that only one
        # candidate holds is covered exactly when that sentence is chosen, so its
        # weight moves into the sentence's coefficient; concepts held by the same
        # set of sentences are covered together, so they become one variable.
        holders: dict[tuple, list[int]] = defaultdict(list)
        for j, i in enumerate(positions):
            for g in bigrams[i]:
                if g in weights:
                    holders[g].append(j)
        groups: dict[tuple[int, ...], float] = defaultdict(float)
        for g, js in holders.items():
            groups[tuple(js)] += weights[g]
        own_weight = np.zeros(n_s)
        shared = []
        for js, w in sorted(groups.items()):
            if len(js) == 1:
                own_weight[js[0]] += w
            else:
                shared.append((js, w))
        n_c = len(shared)

        # Variables: shared concept groups c_0..c_{m-1}, then sentences s_0..s_{n-1}.
        # A group counts only if a chosen sentence holds it: c_k - sum_j s_j <= 0 ...
        rows, cols, vals = [], [], []
        for k, (js, _) in enumerate(shared):
            rows.append(k), cols.append(k), vals.append(1.0)
            for j in js:
                rows.append(k), cols.append(n_c + j), vals.append(-1.0)
        constraints = []
        if n_c:
            constraints.append(
                LinearConstraint(csr_array((vals, (rows, cols)), shape=(n_c, n_c + n_s)), -np.inf, 0.0)
            )
        if self.tight and n_c:
            # ... and s_j - c_k <= 0 for each sentence holding it: redundant for the
            # optimum, but it tightens the LP relaxation, which speeds up HiGHS.
            pairs = [(k, j) for k, (js, _) in enumerate(shared) for j in js]
            m = len(pairs)
            t_rows = np.repeat(np.arange(m), 2)
            t_cols = np.array([[n_c + j, k] for k, j in pairs]).ravel()
            t_vals = np.tile([1.0, -1.0], m)
            constraints.append(
                LinearConstraint(csr_array((t_vals, (t_rows, t_cols)), shape=(m, n_c + n_s)), -np.inf, 0.0)
            )
        if budget.words is not None:
            row = np.concatenate([np.zeros(n_c), lengths])
            constraints.append(LinearConstraint(row[None, :], -np.inf, budget.words))
        if budget.sentences is not None:
            row = np.concatenate([np.zeros(n_c), np.ones(n_s)])
            constraints.append(LinearConstraint(row[None, :], -np.inf, budget.sentences))

        # A tiny preference for shorter sentences breaks ties deterministically.
        total = sum(weights.values()) or 1.0
        tie_break = 1e-4 * lengths / (lengths.sum() * total)
        objective = np.concatenate([-np.array([w for _, w in shared]), tie_break - own_weight])
        solution = self._run_highs(objective, constraints)
        if solution is None:
            log.warning("HiGHS found no solution in %.1fs; using greedy selection", self.time_limit)
            self.solver_status = "greedy"
            return self._greedy(sentences, positions, bigrams, weights, budget)
        chosen = [positions[j] for j in range(n_s) if solution[n_c + j] > 0.5]
        return sorted(chosen)

    def _run_highs(self, objective: np.ndarray, constraints: list) -> np.ndarray | None:
        """Solve min objective.x over binary x subject to ``A x <= ub`` rows."""
        n = len(objective)
        matrix = vstack([c.A if issparse(c.A) else csr_array(np.atleast_2d(c.A)) for c in constraints], format="csc") if constraints else csc_array((0, n))
        upper = np.concatenate([np.broadcast_to(c.ub, (c.A.shape[0],)) for c in constraints]) if constraints else np.zeros(0)
        lp = highspy.HighsLp()
        lp.num_col_ = n
        lp.num_row_ = matrix.shape[0]
        lp.col_cost_ = objective
        lp.col_lower_ = np.zeros(n)
        lp.col_upper_ = np.ones(n)
        lp.row_lower_ = np.full(matrix.shape[0], -highspy.kHighsInf)
        lp.row_upper_ = upper
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = matrix.indptr
        lp.a_matrix_.index_ = matrix.indices
        lp.a_matrix_.value_ = matrix.data
        lp.integrality_ = [highspy.HighsVarType.kInteger] * n
        highs = highspy.Highs()
        highs.setOptionValue("output_flag", False)
        highs.setOptionValue("time_limit", float(self.time_limit))
        highs.setOptionValue("mip_rel_gap", float(self.mip_rel_gap))
        highs.setOptionValue("threads", 1)
        for name, value in HIGHS_OPTIONS.items():
            highs.setOptionValue(name, value)
        highs.passModel(lp)
        highs.run()
        status = highs.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            self.solver_status = "optimal"
        elif highs.getInfo().primal_solution_status == 2:  # feasible point at the time limit
            self.solver_status = "time limit"
        else:
            return None
        return np.asarray(highs.getSolution().col_value)

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
