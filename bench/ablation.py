"""Ablation of the default method on the three dev sets, with paired bootstrap intervals.

Every row is the whole pipeline (segment, select, reading order, citations:
``summarize_documents``) on the same clusters, scored as ``newsdigest
evaluate`` scores them (:func:`newsdigest.evaluate.rouge.score_summary`):

* DUC 2003, 100 words, ROUGE recall (system and references cut to 100 words);
* Multi-News dev, 250 words, ROUGE F1;
* MultiLing 2011 English, 250 words, ROUGE recall.

Each row changes one thing against the reference row (the first ``ilp`` row,
the default). ``Δ`` is the row's mean minus the reference's, with a 95%
percentile bootstrap interval over clusters, paired (the same resampled
clusters for both; :func:`newsdigest.evaluate.rouge.bootstrap_ci` on the
per-cluster differences). The rule for keeping a change: it helps on at least
two sets and on none is its interval entirely below zero; the last column says
how a row fares by that rule.

Rows that share a ``group`` are values of one setting; for them a second table
gives the *leave-one-set-out* result: for each set, the value that does best
(mean of ΔR-1 and ΔR-2) on the other two sets (ties: the default), and what
that value does on the held-out one. A setting whose left-out results are not positive does not
generalise, whatever its in-sample numbers. ::

    .venv/bin/python bench/ablation.py               # all rows, a few minutes
    .venv/bin/python bench/ablation.py --rows 3      # the first rows only
    .venv/bin/python bench/ablation.py --match signature --match "lead baseline"  # the reference and matching rows
    .venv/bin/python bench/ablation.py --match anchor --match replace-by --match "concept weight:" \
        --match below-floor --match "two stages"   # issue 12 round 3: sentence-level lead choices (docs/summaries.md)
    .venv/bin/python bench/ablation.py --match "compressed alternatives" --match "lead baseline"  # round 6: compression inside the selection
    .venv/bin/python bench/ablation.py --match "fill by" --match "fill continues" --match "fill in lead" \
        --match second-tier --match "clusters of 2-4"   # issue 12 round 4: the fill and small-cluster concepts
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "src") not in sys.path:
    sys.path.insert(0, str(REPO / "src"))

from newsdigest.evaluate.datasets import load_dataset  # noqa: E402
from newsdigest.evaluate.rouge import bootstrap_ci, score_summary  # noqa: E402
from newsdigest.nlp.text import stems  # noqa: E402
from newsdigest.pipeline import summarize_documents  # noqa: E402
from newsdigest.summarize.candidates import candidate_positions, distinct_documents  # noqa: E402
from newsdigest.summarize.concepts import sentence_frequency, sentence_unigrams  # noqa: E402
from newsdigest.summarize.ilp import ConceptILP, remaining_budget  # noqa: E402
from newsdigest.summarize.registry import available_methods, register  # noqa: E402

DATA = REPO.parent / "shared" / "data"
SETTINGS = (
    ("DUC 2003", "duc2003", 100, "recall"),
    ("Multi-News dev", "multinews/dev.jsonl", 250, "f1"),
    ("MultiLing en", "multiling2011", 250, "recall"),
)

# The default before issue 12's readability constraints.
ROUND_1 = {"resolve_references": False, "no_repeats": False}

# (label, method, options[, group]): the first "ilp" row is the reference.
ROWS = (
    ("**ilp (default)**", "ilp", {}),
    ("lead baseline", "lead", {}),
    ("round-1 default (no reference or repeat constraints)", "ilp", ROUND_1),
    ("sentences needing an antecedent chosen alone (resolve_references=False)", "ilp", {"resolve_references": False}),
    ("without the same-fact constraint", "ilp", {"no_repeats": False}),
    ("sentences needing an antecedent dropped (no units)", "ilp", {"max_antecedents": 0}, "antecedents"),
    ("units with at most 1 antecedent", "ilp", {"max_antecedents": 1}, "antecedents"),
    ("units with at most 2 antecedents (default)", "ilp", {}, "antecedents"),
    ("without quoted And/But skip", "ilp", {"skip_conjunctions": ""}),
    ("fill skips sentences >30% covered", "ilp", {"fill_overlap": 0.3}, "fill_overlap"),
    ("fill skips sentences >50% covered (default)", "ilp", {}, "fill_overlap"),
    ("fill skips sentences >70% covered", "ilp", {"fill_overlap": 0.7}, "fill_overlap"),
    ("lead concepts x2 (lead_bonus 1.0)", "ilp", {"lead_bonus": 1.0}, "lead_bonus"),
    ("lead concepts x2.75 (lead_bonus 1.75, default)", "ilp", {}, "lead_bonus"),
    ("lead concepts x3.5 (lead_bonus 2.5)", "ilp", {"lead_bonus": 2.5}, "lead_bonus"),
    ("candidates among the first 10 sentences", "ilp", {"max_position": 10}, "max_position"),
    ("candidates among the first 15 sentences (default)", "ilp", {}, "max_position"),
    ("candidates among the first 25 sentences", "ilp", {"max_position": 25}, "max_position"),
    ("every sentence compressed first (all compress.py rules; offsets lost, not shippable)", "ilp", {"compress_input": True}),
    ("leading datelines (\"LONDON (AP) _\") trimmed from every sentence", "ilp", {"trim_datelines": True}),
    # Issue 12, round 2: what the literature suggests beyond plain G&F.
    ("Lin & Bilmes 2011: submodular coverage + diversity (method submodular)", "submodular", {}),
    ("concepts with a topic-signature stem weigh x1.5, with two x2", "ilp-signatures", {}, "signatures"),
    ("concepts with a topic-signature stem weigh x2, with two x3", "ilp-signatures", {"boost": 2.0}, "signatures"),
    ("no topic-signature boost (default)", "ilp", {}, "signatures"),
    ("only concepts with a topic-signature stem", "ilp-signatures", {"only_signatures": True}),
    ("lead concepts from each article's first two candidate sentences, not positions 0-1", "ilp-candidate-lead", {}),
    # Issue 12, round 3: sentence-level lead choices (the Multi-News margin over lead).
    ("lead anchor: the opening with most concept weight fixed in", "ilp-lead-choice", {"lead_anchor": "concepts"}, "anchor"),
    ("lead anchor: the opening most like the other openings fixed in", "ilp-lead-choice", {"lead_anchor": "openings"}, "anchor"),
    ("lead anchors: the openings of every article (most concept weight first) within half the budget", "ilp-lead-choice", {"lead_anchor": "concepts", "max_anchors": 0, "anchor_share": 0.5}, "anchor"),
    ("lead anchors: the openings of every article (most like the others first) within half the budget", "ilp-lead-choice", {"lead_anchor": "openings", "max_anchors": 0, "anchor_share": 0.5}, "anchor"),
    ("lead anchors: the openings of every article within the whole budget", "ilp-lead-choice", {"lead_anchor": "openings", "max_anchors": 0}, "anchor"),
    ("lead anchors: the openings of at most 2 articles within half the budget", "ilp-lead-choice", {"lead_anchor": "openings", "max_anchors": 2, "anchor_share": 0.5}, "anchor"),
    ("lead anchor (most concept weight) only for budgets of 200+ words", "ilp-lead-choice", {"lead_anchor": "concepts", "anchor_min_words": 200}, "anchor"),
    ("lead anchor (most like the other openings) only for budgets of 200+ words", "ilp-lead-choice", {"lead_anchor": "openings", "anchor_min_words": 200}, "anchor"),
    ("no lead anchor (default)", "ilp", {}, "anchor"),
    ("replace-by-original: a chosen sentence with >=50% of its concept weight in a longer opening swapped for it", "ilp-lead-choice", {"replace_openings": 0.5}, "replace"),
    ("replace-by-original at >=70%", "ilp-lead-choice", {"replace_openings": 0.7}, "replace"),
    ("no replace-by-original (default)", "ilp", {}, "replace"),
    ("concept weight: documents voting 1/(1+candidate rank) of their first mention, x lead bonus", "ilp-lead-choice", {"position_weight": "harmonic"}, "position"),
    ("concept weight: documents voting 1/(1+candidate rank), no lead bonus", "ilp-lead-choice", {"position_weight": "harmonic", "lead_bonus": 0.0}, "position"),
    ("concept weight: documents mentioning it in their first 3 candidates, no lead bonus", "ilp-lead-choice", {"position_weight": "window", "lead_bonus": 0.0}, "position"),
    ("concept weight: document frequency x lead bonus (default)", "ilp", {}, "position"),
    ("below-floor bigrams of each article's first 2 candidates weigh 0.5", "ilp-lead-choice", {"lead_floor_weight": 0.5, "position_window": 2}, "floor"),
    ("below-floor bigrams of each article's first 2 candidates weigh 1", "ilp-lead-choice", {"lead_floor_weight": 1.0, "position_window": 2}, "floor"),
    ("below-floor bigrams of each article's first 3 candidates weigh 0.5", "ilp-lead-choice", {"lead_floor_weight": 0.5, "position_window": 3}, "floor"),
    ("below-floor bigrams of each article's first 1 candidate weigh 1", "ilp-lead-choice", {"lead_floor_weight": 1.0, "position_window": 1}, "floor"),
    ("below-floor bigrams of each article's first candidate weigh 0.5", "ilp-lead-choice", {"lead_floor_weight": 0.5, "position_window": 1}, "floor"),
    ("below-floor bigrams of each article's first candidate weigh 0.25", "ilp-lead-choice", {"lead_floor_weight": 0.25, "position_window": 1}, "floor"),
    ("below-floor bigrams of each article's first candidate weigh 0.1", "ilp-lead-choice", {"lead_floor_weight": 0.1, "position_window": 1}, "floor"),
    ("below-floor bigrams count nothing (default)", "ilp", {}, "floor"),
    ("two stages: what the optimum leaves goes to a second coverage of all bigrams, documents voting 1/(1+rank)", "ilp-lead-choice", {"second_stage": True}),
    # Issue 12, round 4: the fill and small-cluster concepts (Multi-News' optimum spends ~190 of 250 words).
    ("fill by content: added concept weight + sentence frequency of other bigrams, per word", "ilp-content-fill", {"fill_by": "content"}, "fill_by"),
    ("fill by content: added concept weight + repeats of other bigrams, per word", "ilp-content-fill", {"fill_by": "content", "rare": "repeats"}, "fill_by"),
    ("fill by content: added concept weight + 0.25 x sentence frequency of other bigrams, per word", "ilp-content-fill", {"fill_by": "content", "rare_value": 0.25}, "fill_by"),
    ("fill by cosine with the cluster centroid of content stems", "ilp-content-fill", {"fill_by": "centroid"}, "fill_by"),
    ("fill by content: added concept weight per word only, then lead order", "ilp-content-fill", {"fill_by": "content", "rare_value": 0.0}, "fill_by"),
    ("fill by content: added concept weight per word, then cosine with the centroid", "ilp-content-fill", {"fill_by": "content+centroid", "rare_value": 0.0}, "fill_by"),
    ("fill by cosine with the centroid of content stems weighted by article count", "ilp-content-fill", {"fill_by": "centroid-df"}, "fill_by"),
    ("fill by content: added concept weight per word, then cosine with the article-count centroid", "ilp-content-fill", {"fill_by": "content+centroid-df", "rare_value": 0.0}, "fill_by"),
    ("fill by content stems not yet in the summary, by their sentence frequency, per word", "ilp-content-fill", {"fill_by": "stems"}, "fill_by"),
    ("fill by content stems not yet in the summary, by how many articles hold them, per word", "ilp-content-fill", {"fill_by": "stems-df"}, "fill_by"),
    ("fill continues the most central article, then lead order", "ilp-content-fill", {"fill_by": "article"}, "fill_by"),
    ("fill in lead order (default)", "ilp", {}, "fill_by"),
    ("second-tier concepts: below-floor bigrams in 2+ sentences weigh 0.1", "ilp-content-fill", {"rare_weight": 0.1}, "rare_weight"),
    ("second-tier concepts: below-floor bigrams in 2+ sentences weigh 0.25", "ilp-content-fill", {"rare_weight": 0.25}, "rare_weight"),
    ("second-tier concepts: below-floor bigrams in 2+ sentences weigh 0.5", "ilp-content-fill", {"rare_weight": 0.5}, "rare_weight"),
    ("no second-tier concepts (default)", "ilp", {}, "rare_weight"),
    ("clusters of 2-4 articles: single-article bigrams weigh 0.1", "ilp-content-fill", {"small_cluster_weight": 0.1}, "small_cluster"),
    ("clusters of 2-4 articles: single-article bigrams weigh 0.25", "ilp-content-fill", {"small_cluster_weight": 0.25}, "small_cluster"),
    ("clusters of 2-4 articles: only shared bigrams (default)", "ilp", {}, "small_cluster"),
    # Issue 12, round 6: compression inside the selection (each candidate offered whole and compressed).
    ("compressed alternatives: every compress.py rule (the solver picks a sentence whole or compressed)", "ilp", {"compress_inside": "all"}, "compress_inside"),
    ("compressed alternatives: every rule but datelines", "ilp", {"compress_inside": "no datelines"}, "compress_inside"),
    ("compressed alternatives: attributions dropped (\", officials said\", \"according to ...\")", "ilp", {"compress_inside": "attributions"}, "compress_inside"),
    ("compressed alternatives: asides dropped (parentheticals, dashes, ages, who-clauses)", "ilp", {"compress_inside": "asides"}, "compress_inside"),
    ("compressed alternatives: leading datelines dropped", "ilp", {"compress_inside": "datelines"}, "compress_inside"),
    ("compressed alternatives: connectives dropped", "ilp", {"compress_inside": "connectives"}, "compress_inside"),
    ("no compressed alternatives (default)", "ilp", {}, "compress_inside"),
)


class SignatureILP(ConceptILP):
    """``ilp`` with topic signatures (Lin & Hovy 2000; Conroy et al. 2006), bench only.

    A stem is a signature term of a cluster when its log-likelihood ratio
    (Dunning 1993) against :attr:`background` (stem counts of every dev article,
    minus the cluster's own) exceeds ``threshold`` (10.83: p < 0.001) and it is
    more frequent in the cluster. A concept weighs ``1 + boost * t / 2`` times
    more with ``t`` signature stems among its two, or (``only_signatures``)
    concepts without one are dropped.
    """

    name = "ilp-signatures"
    description = "ilp with topic-signature concept weights (bench only)"
    background: Counter = Counter()

    def __init__(self, *, boost: float = 1.0, only_signatures: bool = False, threshold: float = 10.83, **options):
        super().__init__(**options)
        self.boost, self.only_signatures, self.threshold = boost, only_signatures, threshold

    def concept_weights(self, sentences, bigrams, ranks=None):
        weights = super().concept_weights(sentences, bigrams, ranks)
        terms = signature_terms([s.text for s in sentences], self.background, self.threshold)
        if self.only_signatures:
            return {g: w for g, w in weights.items() if any(x in terms for x in g)}
        return {g: w * (1 + self.boost * sum(x in terms for x in g) / 2) for g, w in weights.items()}


def signature_terms(texts, background: Counter, threshold: float) -> set[str]:
    """Stems of ``texts`` whose log-likelihood ratio against ``background`` (which contains them) exceeds ``threshold``."""

    def log_likelihood(k: float, n: float, p: float) -> float:
        p = min(max(p, 1e-12), 1 - 1e-12)
        return k * math.log(p) + (n - k) * math.log(1 - p)

    counts = Counter(x for t in texts for x in stems(t, drop_stop_words=True))
    n1 = sum(counts.values())
    n2 = max(sum(background.values()) - n1, 1)
    terms = set()
    for term, k1 in counts.items():
        k2 = max(background.get(term, 0) - k1, 0)
        p1, p2, p = k1 / n1, k2 / n2, (k1 + k2) / (n1 + n2)
        ratio = 2 * (
            log_likelihood(k1, n1, p1) + log_likelihood(k2, n2, p2) - log_likelihood(k1, n1, p) - log_likelihood(k2, n2, p)
        )
        if p1 > p2 and ratio > threshold:
            terms.add(term)
    return terms


class CandidateLeadILP(ConceptILP):
    """``ilp`` with the lead concepts taken from each article's first ``lead_sentences``
    *candidate* sentences (skipping headlines, datelines and furniture), bench only."""

    name = "ilp-candidate-lead"
    description = "ilp with lead concepts from the first candidate sentences (bench only)"

    def concept_weights(self, sentences, bigrams, ranks=None):
        bonus, self.lead_bonus = self.lead_bonus, 0.0
        try:
            weights = super().concept_weights(sentences, bigrams, ranks)
        finally:
            self.lead_bonus = bonus
        rank: Counter = Counter()
        lead: set = set()
        for i in candidate_positions(sentences, min_words=self.min_sentence_words):
            if rank[sentences[i].doc_id] < self.lead_sentences:
                lead |= bigrams[i]
            rank[sentences[i].doc_id] += 1
        return {g: w * (1 + bonus) if g in lead else w for g, w in weights.items()}


class LeadChoiceILP(ConceptILP):
    """``ilp`` with sentence-level lead choices (issue 12, round 3), bench only.

    * ``lead_anchor`` (``"concepts"`` / ``"openings"``): each distinct article's opening
      (its earliest one-sentence unit) ranked by centrality -- the summed weight of its
      concepts, or its summed content-word cosine with the other openings -- and the most
      central ``max_anchors`` (0: all) fixed into the selection (x = 1) within
      ``anchor_share`` of the budget, only for budgets of ``anchor_min_words`` or more;
      the solver fills the rest (so "anchor first, then the ILP on what is left" is the
      same program).
    * ``replace_openings`` (a share): after solving, a chosen unit whose concept weight
      lies at least that much in a longer, unchosen opening is swapped for the opening
      when the budget allows (the original instead of a shorter paraphrase).
    * ``position_weight``: each (distinct) document votes for a concept by its first
      mention, ``"harmonic"``: 1 / (1 + candidate rank), ``"window"``: 1 within its first
      ``position_window`` candidates; replaces the document frequency (the floor stays).
    * ``lead_floor_weight``: a bigram below the document-frequency floor that occurs in an
      article's first ``position_window`` candidates weighs this much.
    * ``second_stage``: what the optimum leaves of the budget goes to a second coverage
      problem over every bigram not yet covered, weighted as ``"harmonic"``, before the fill.
    """

    name = "ilp-lead-choice"
    description = "ilp with sentence-level lead choices (bench only)"

    def __init__(
        self, *, lead_anchor: str = "", anchor_min_words: int = 0, max_anchors: int = 1, anchor_share: float = 1.0,
        replace_openings: float = 0.0, position_weight: str = "", position_window: int = 3,
        lead_floor_weight: float = 0.0, second_stage: bool = False, **options,
    ):
        super().__init__(**options)
        self.lead_anchor, self.anchor_min_words, self.max_anchors = lead_anchor, anchor_min_words, max_anchors
        self.anchor_share, self.replace_openings = anchor_share, replace_openings
        self.position_weight, self.position_window = position_weight, position_window
        self.lead_floor_weight, self.second_stage = lead_floor_weight, second_stage

    def concept_weights(self, sentences, bigrams, ranks=None):
        weights = super().concept_weights(sentences, bigrams, ranks)
        if ranks is None:
            ranks = [s.index for s in sentences]
        kept = set(distinct_documents(sentences)) if self.dedupe_documents else {s.doc_id for s in sentences}
        triples = [(s, b, r) for s, b, r in zip(sentences, bigrams, ranks) if s.doc_id in kept]
        if self.position_weight and len(kept) > 1:
            votes = self.position_votes(triples, self.position_weight)
            bonus = 1 + self.lead_bonus
            lead = set().union(*(b for s, b, _ in triples if s.index < self.lead_sentences)) if self.lead_bonus else set()
            weights = {g: votes[g] * (bonus if g in lead else 1) for g in weights if votes.get(g, 0) > 0}
        if self.lead_floor_weight:
            for _, b, r in triples:
                if r < self.position_window:
                    for g in b:
                        weights.setdefault(g, self.lead_floor_weight)
        return weights

    def position_votes(self, triples, how: str) -> dict:
        """Each document votes for a concept by its earliest mention: 1 / (1 + rank)
        (``"harmonic"``), or 1 within its first ``position_window`` candidates (``"window"``)."""
        best: dict = {}
        for s, grams, r in triples:
            for g in grams:
                key = (s.doc_id, g)
                if r < best.get(key, r + 1):
                    best[key] = r
        votes: dict = defaultdict(float)
        for (_, g), r in best.items():
            if how == "harmonic":
                votes[g] += 1.0 / (1 + r)
            elif r < self.position_window:
                votes[g] += 1.0
        return votes

    def fixed_units(self, sentences, units, grams, weights, sizes, budget):
        if not self.lead_anchor or (budget.words is not None and budget.words < self.anchor_min_words):
            return []
        openings = self.openings(sentences, units)
        if not openings:
            return []
        ks = list(openings.values())
        if self.lead_anchor == "concepts":
            centrality = [sum(weights.get(g, 0.0) for g in grams[k]) for k in ks]
        else:
            words = [set().union(*(sentence_unigrams(sentences[i].text) for i in units[k])) for k in ks]
            centrality = [
                sum(len(a & b) / max(1.0, (len(a) * len(b)) ** 0.5) for n, b in enumerate(words) if n != m)
                for m, a in enumerate(words)
            ]
        room = None if budget.words is None else self.anchor_share * budget.words
        fixed: list[int] = []
        used = 0
        for m in sorted(range(len(ks)), key=lambda m: (-centrality[m], m)):
            k = ks[m]
            if (self.max_anchors and len(fixed) >= self.max_anchors) or (centrality[m] <= 0 and len(ks) > 1):
                break
            if room is not None and used + sizes[k] > room:
                continue
            if not budget.admits(0, sum(len(units[j]) for j in fixed) + len(units[k])):
                continue
            if self.no_repeats and self._repeats(sentences, units, fixed + [k]):
                continue
            fixed.append(k)
            used += sizes[k]
        return fixed

    def openings(self, sentences, units) -> dict:
        """Each distinct document's opening: its earliest unit of one sentence."""
        kept = set(distinct_documents(sentences)) if self.dedupe_documents else None
        openings: dict = {}
        for k, unit in enumerate(units):
            doc = sentences[unit[0]].doc_id
            if len(unit) != 1 or (kept is not None and doc not in kept):
                continue
            if doc not in openings or sentences[unit[0]].index < sentences[units[openings[doc]][0]].index:
                openings[doc] = k
        return openings

    def revise(self, sentences, units, chosen, bigrams, grams, weights, sizes, budget, ranks):
        if self.second_stage:
            chosen = self.fill_second_stage(sentences, units, chosen, bigrams, grams, sizes, budget, ranks)
        if self.replace_openings:
            chosen = self.replace_by_openings(sentences, units, chosen, grams, weights, sizes, budget)
        return chosen

    def fill_second_stage(self, sentences, units, chosen, bigrams, grams, sizes, budget, ranks):
        votes = self.position_votes(list(zip(sentences, bigrams, ranks)), "harmonic")
        covered = set().union(*(grams[k] for k in chosen)) if chosen else set()
        weights = {g: w for g, w in votes.items() if g not in covered}
        left = remaining_budget(budget, sum(sizes[k] for k in chosen), sum(len(units[k]) for k in chosen))
        if left is None:
            return chosen
        taken = {i for k in chosen for i in units[k]}
        score = [sum(weights.get(g, 0.0) for g in b) for b in grams]
        free = sorted((k for k in range(len(units)) if not set(units[k]) & taken and score[k] > 0), key=lambda k: (-score[k], k))
        if not free:
            return chosen
        picked = self._local(free[: self.max_candidates], grams, weights, [0.0] * len(units), sizes, left)
        result = list(chosen)
        for k in sorted(picked, key=lambda k: -score[k]):
            if not self.no_repeats or not self._repeats(sentences, units, result + [k]):
                result.append(k)
        return sorted(result)

    def replace_by_openings(self, sentences, units, chosen, grams, weights, sizes, budget):
        chosen = list(chosen)
        openings = set(self.openings(sentences, units).values())
        used = sum(sizes[k] for k in chosen)
        count = sum(len(units[k]) for k in chosen)
        for k in sorted(chosen, key=lambda k: sentences[units[k][0]].index):
            own = sum(weights.get(g, 0.0) for g in grams[k])
            if k in openings or own <= 0:
                continue
            taken = {i for c in chosen for i in units[c]}
            best, best_share = None, 0.0
            for o in openings:
                if o in chosen or sizes[o] <= sizes[k] or set(units[o]) & taken:
                    continue
                if not budget.admits(used - sizes[k] + sizes[o], count - len(units[k]) + len(units[o])):
                    continue
                share = sum(weights.get(g, 0.0) for g in grams[k] & grams[o]) / own
                if share >= self.replace_openings and (best is None or share > best_share):
                    best, best_share = o, share
            rest = [c for c in chosen if c != k]
            if best is None or (self.no_repeats and self._repeats(sentences, units, rest + [best])):
                continue
            chosen = rest + [best]
            used += sizes[best] - sizes[k]
            count += len(units[best]) - len(units[k])
        return sorted(chosen)


class ContentFillILP(ConceptILP):
    """``ilp`` with the fill and the small-cluster concepts changed (issue 12, round 4), bench only.

    On Multi-News the optimum spends about 190 of the 250 words (clusters of 2-4
    articles share few bigrams), and the fill adds the rest in lead order.

    * ``fill_by``: how the fill ranks the units left (the same checks: budget,
      ``fill_overlap``, same fact). ``"content"``: greedy by the value of the
      bigrams a unit adds, per word -- a concept its weight, any other bigram
      ``rare_value`` times its sentence frequency in the cluster (``rare="tf"``)
      or that minus one (``rare="repeats"``: only bigrams said more than once
      count); ``"centroid"``: the cosine of the unit's content stems with the
      cluster's (stem sentence frequencies); ``"article"``: the most central
      article (most concept weight) continued in order, then lead order.
    * ``rare_weight``: inside the ILP, a bigram below the document floor that
      occurs in two or more sentences weighs this much (a second tier of concepts).
    * ``small_cluster_weight``: inside the ILP, in clusters of at most
      ``small_cluster`` articles, a bigram of one article weighs this much.
    """

    name = "ilp-content-fill"
    description = "ilp with a content-ranked fill or second-tier concepts (bench only)"

    def __init__(
        self, *, fill_by: str = "", rare: str = "tf", rare_value: float = 1.0, rare_weight: float = 0.0,
        small_cluster_weight: float = 0.0, small_cluster: int = 4, **options,
    ):
        super().__init__(**options)
        self.fill_by, self.rare, self.rare_value = fill_by, rare, rare_value
        self.rare_weight, self.small_cluster_weight, self.small_cluster = rare_weight, small_cluster_weight, small_cluster

    def distinct(self, sentences, bigrams):
        kept = set(distinct_documents(sentences)) if self.dedupe_documents else {s.doc_id for s in sentences}
        return [(s, b) for s, b in zip(sentences, bigrams) if s.doc_id in kept]

    def concept_weights(self, sentences, bigrams, ranks=None):
        weights = super().concept_weights(sentences, bigrams, ranks)
        if not (self.rare_weight or self.small_cluster_weight):
            return weights
        pairs = self.distinct(sentences, bigrams)
        if self.rare_weight:
            for g, n in sentence_frequency([b for _, b in pairs]).items():
                if n >= 2:
                    weights.setdefault(g, self.rare_weight)
        if self.small_cluster_weight and 1 < len({s.doc_id for s, _ in pairs}) <= self.small_cluster:
            for _, b in pairs:
                for g in b:
                    weights.setdefault(g, self.small_cluster_weight)
        return weights

    def fill_priority(self, sentences, units, bigrams, weights):
        if not self.fill_by:
            return None
        pairs = self.distinct(sentences, bigrams)
        cosine = {}
        if "centroid" in self.fill_by:
            if self.fill_by.endswith("-df"):  # stems weighted by how many articles hold them
                by_doc = defaultdict(set)
                for s, _ in pairs:
                    by_doc[s.doc_id] |= sentence_unigrams(s.text)
                centroid = Counter(x for words in by_doc.values() for x in words)
            else:
                centroid = Counter(x for s, _ in pairs for x in sentence_unigrams(s.text))
            norm = math.sqrt(sum(v * v for v in centroid.values())) or 1.0
            for k, unit in enumerate(units):
                words = set().union(*(sentence_unigrams(sentences[i].text) for i in unit))
                cosine[k] = sum(centroid[x] for x in words) / (norm * math.sqrt(len(words) or 1))
        if self.fill_by.startswith("content"):
            tf = sentence_frequency([b for _, b in pairs])
            less = 1 if self.rare == "repeats" else 0

            def value(g):
                return weights[g] if g in weights else self.rare_value * max(tf.get(g, 1) - less, 0)

            return lambda k, position, new, length, covered: (-sum(map(value, new)) / max(length, 1), -cosine.get(k, 0.0), position)
        if self.fill_by.startswith("centroid"):
            return lambda k, position, new, length, covered: (-cosine[k], position)
        if self.fill_by.startswith("stems"):  # content stems not yet in the summary, by cluster frequency, per word
            by_doc = defaultdict(set)
            for s, _ in pairs:
                by_doc[s.doc_id] |= sentence_unigrams(s.text)
            if self.fill_by.endswith("-df"):
                counts = Counter(x for words in by_doc.values() for x in words)
            else:
                counts = Counter(x for s, _ in pairs for x in sentence_unigrams(s.text))
            stems_of = {k: {x for i in unit for (x,) in sentence_unigrams(sentences[i].text)} for k, unit in enumerate(units)}

            def gain(k, length, covered):
                seen = {x for g in covered for x in g}
                return sum(counts[(x,)] for x in stems_of[k] - seen) / max(length, 1)

            return lambda k, position, new, length, covered: (-gain(k, length, covered), position)
        if self.fill_by == "article":
            mass: Counter = Counter()
            for s, b in pairs:
                mass[s.doc_id] += sum(weights.get(g, 0.0) for g in b)
            central = max(mass, key=lambda d: (mass[d], d)) if mass else None
            return lambda k, position, new, length, covered: (sentences[units[k][0]].doc_id != central, position)
        raise ValueError(f"unknown fill_by {self.fill_by!r}")


def register_bench_methods(datasets) -> None:
    """Make the bench-only variants available by name; the signature background is every dev article."""
    SignatureILP.background = Counter(
        x for _, clusters, _, _ in datasets for c in clusters for d in c.documents for x in stems(d.text, drop_stop_words=True)
    )
    for cls in (SignatureILP, CandidateLeadILP, LeadChoiceILP, ContentFillILP):
        if cls.name not in available_methods():
            register(cls)


def compressed_documents(documents):
    """Each sentence of each document through :func:`compress.compress`, one per line.

    Only for measuring what sentence compression would buy: the compressed text
    is not a substring of the source, so a digest of it cannot keep offsets.
    """
    from dataclasses import replace

    from newsdigest.nlp.text import split_sentences
    from newsdigest.summarize.compress import compress

    return [replace(d, text="\n".join(compress(d.text[a:b]) for a, b in split_sentences(d.text))) for d in documents]


# compress.py's rules by what they drop, for the compressed-alternative rows.
_ATTRIBUTIONS = ("attribution_tail", "attribution_tail_inverted", "according_to_tail")
_ASIDES = ("agency_or_short_parenthetical", "dash_aside", "age_appositive", "who_clause_mid", "who_clause_end")
_CONNECTIVES = ("mid_connective", "leading_connective")
COMPRESSION_GROUPS = {
    "all": None,
    "no datelines": _ASIDES + _ATTRIBUTIONS + _CONNECTIVES,
    "attributions": _ATTRIBUTIONS,
    "asides": _ASIDES,
    "datelines": ("dateline",),
    "connectives": _CONNECTIVES,
}


def with_compressed_alternatives(sentences, group: str):
    """``sentences`` and, after them, a compressed copy of each standalone sentence that ``group``'s rules shorten.

    A copy keeps its sentence's article, position and offsets (so position and
    lead weights are the same) and needs no antecedent; whole and compressed
    are both units of the solver. Nothing forbids taking both: a rule that cuts
    out the middle of a sentence (asides, connectives, inverted attributions)
    joins two words into a bigram the whole lacks, and the same-fact check
    does not always pair them (found in review: Multi-News cluster 26 with
    every rule holds a sentence and its compression). Copies also count as
    units for ``max_candidates`` and as sentences for the reading order (and,
    in a one-document cluster, for sentence frequencies). Bench only: the
    compressed text is not a substring of the source, so a digest of it could
    not keep offsets.
    """
    from dataclasses import replace

    from newsdigest.summarize.cohesion import needs_antecedent
    from newsdigest.summarize.compress import RULES, compress

    names = COMPRESSION_GROUPS[group]
    rules = [r for r in RULES if names is None or r.name in names]
    alternatives = []
    for sentence in sentences:
        if needs_antecedent(sentence.text):
            continue
        shorter = compress(sentence.text, rules=rules)
        if shorter != sentence.text and len(shorter.split()) < sentence.words and not needs_antecedent(shorter):
            alternatives.append(replace(sentence, text=shorter))
    return list(sentences) + alternatives


def compressive_summary(documents, words: int, group: str, options: dict) -> list[str]:
    """:func:`summarize_documents` with ``ilp`` choosing among whole and compressed sentences; the texts in reading order."""
    from newsdigest.model import Budget
    from newsdigest.pipeline import checked_documents, segment
    from newsdigest.summarize.cite import cite
    from newsdigest.summarize.order import reading_order

    documents = checked_documents(documents)
    pool = with_compressed_alternatives(segment(documents), group)
    chosen = ConceptILP(**options).select(pool, Budget(words=words))
    support = {i: len(c.support) for i, c in zip(chosen, cite(chosen, pool))}
    return [pool[i].text for i in reading_order(chosen, pool, documents, support)]


def run_row(clusters, words: int, metric: str, method: str, options: dict) -> tuple[np.ndarray, np.ndarray, float]:
    """Per-cluster ROUGE-1 and ROUGE-2 (x100) and mean milliseconds per cluster of one configuration.

    The option ``compress_input=True`` (bench only) summarizes :func:`compressed_documents`;
    ``compress_inside=GROUP`` (bench only, method ``ilp``) lets the solver choose among whole
    sentences and their compressions by the rules of :data:`COMPRESSION_GROUPS` (:func:`compressive_summary`).
    """
    r1, r2 = [], []
    seconds = 0.0
    options = dict(options)
    squeeze = options.pop("compress_input", False)
    inside = options.pop("compress_inside", None)
    for cluster in clusters:
        start = time.perf_counter()
        documents = compressed_documents(cluster.documents) if squeeze else cluster.documents
        if inside:
            texts = compressive_summary(documents, words, inside, options)
        else:
            texts = [s.text for s in summarize_documents(documents, words=words, method=method, **options).sentences]
        seconds += time.perf_counter() - start
        scores = score_summary(texts, cluster.references, truncate=words if metric == "recall" else None)
        r1.append(100 * getattr(scores["rouge1"], metric))
        r2.append(100 * getattr(scores["rouge2"], metric))
    return np.array(r1), np.array(r2), 1000 * seconds / max(len(clusters), 1)


def _delta(values: np.ndarray, reference: np.ndarray) -> tuple[float, float, float]:
    diff = values - reference
    low, high = bootstrap_ci(diff)
    return float(diff.mean()), low, high


def _verdict(deltas) -> str:
    """deltas: per set ((d1, lo1, hi1), (d2, lo2, hi2))."""
    helps = sum(1 for a, b in deltas if a[0] + b[0] > 0)
    hurts = sum(1 for a, b in deltas if a[2] < 0 or b[2] < 0)
    return f"helps {helps}/{len(deltas)}" + (f", hurts {hurts}" if hurts else "")


def ablation_table(datasets, *, rows=ROWS, log=None) -> str:
    """The markdown tables; ``datasets``: (name, clusters, words, metric) tuples."""
    register_bench_methods(datasets)
    for _, clusters, words, _ in datasets:  # warm-up: imports, stemmer caches
        for cluster in clusters:
            summarize_documents(cluster.documents, words=words)
    results = []
    for row in rows:
        label, method, options = row[:3]
        cells = [run_row(c, w, m, method, options) for _, c, w, m in datasets]
        results.append(cells)
        if log:
            log(f"  {label}: " + ", ".join(f"{a.mean():.2f}/{b.mean():.2f}" for a, b, _ in cells))
    reference = next((k for k, row in enumerate(rows) if row[1] == "ilp"), 0)
    head = "| row | " + " | ".join(
        f"{name} R-1 | {name} R-2 | {name} ΔR-1 [95% CI] | {name} ΔR-2 [95% CI] | {name} ms/cluster" for name, *_ in datasets
    ) + " | verdict |"
    lines = [head, "|" + "---|" * (2 + 5 * len(datasets))]
    for row, cells in zip(rows, results):
        deltas = []
        parts = []
        for (r1, r2, ms), (b1, b2, _) in zip(cells, results[reference]):
            d1, d2 = _delta(r1, b1), _delta(r2, b2)
            deltas.append((d1, d2))
            parts.append(
                f"{r1.mean():.2f} | {r2.mean():.2f} | {d1[0]:+.2f} [{d1[1]:+.2f}, {d1[2]:+.2f}] "
                f"| {d2[0]:+.2f} [{d2[1]:+.2f}, {d2[2]:+.2f}] | {ms:.1f}"
            )
        verdict = "reference" if row is rows[reference] else _verdict(deltas)
        lines.append(f"| {row[0]} | " + " | ".join(parts) + f" | {verdict} |")
    names = "; ".join(f"{name}: {w} words, {'recall' if m == 'recall' else 'F1'}" for name, _, w, m in datasets)
    out = "\n".join(lines) + f"\n\n{names}; rouge-score with stemming.\n"
    loso = leave_one_set_out(rows, results, [d[0] for d in datasets])
    return out + ("\n" + loso if loso else "")


def leave_one_set_out(rows, results, names) -> str:
    """For each group of rows: the value chosen on the other sets, scored on the held-out one."""
    groups: dict[str, list[int]] = {}
    for k, row in enumerate(rows):
        if len(row) > 3:
            groups.setdefault(row[3], []).append(k)
    if not groups or len(names) < 2:
        return ""
    base = next((k for k, row in enumerate(rows) if row[1] == "ilp"), 0)
    lines = ["| setting | held-out set | value chosen on the other sets | held-out ΔR-1 | held-out ΔR-2 |", "|---|---|---|---:|---:|"]
    for group, members in groups.items():
        for s, name in enumerate(names):

            def gain(k: int, t: int) -> float:
                (r1, r2, _), (b1, b2, _) = results[k][t], results[base][t]
                return float((r1 - b1).mean() + (r2 - b2).mean()) / 2

            # Ties go to the default (a row with no options), then to the first row.
            chosen = max(
                members,
                key=lambda k: (round(sum(gain(k, t) for t in range(len(names)) if t != s), 6), not rows[k][2], -k),
            )
            (r1, r2, _), (b1, b2, _) = results[chosen][s], results[base][s]
            lines.append(
                f"| {group} | {name} | {rows[chosen][0]} | {(r1 - b1).mean():+.2f} | {(r2 - b2).mean():+.2f} |"
            )
    return "Leave one set out (Δ against the reference row):\n\n" + "\n".join(lines) + "\n"


def load_datasets(data: Path, loaded: dict | None = None):
    """(name, clusters, words, metric) for every dev set, reusing ``loaded`` (path -> clusters)."""
    loaded = loaded or {}
    return [
        (name, loaded.get(path) or load_dataset(data / path), words, metric) for name, path, words, metric in SETTINGS
    ]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--rows", type=int, default=len(ROWS), help="run only the first N rows")
    parser.add_argument("--match", action="append", default=[], help="only the reference row and rows whose label contains this (repeatable)")
    args = parser.parse_args(argv)
    datasets = load_datasets(args.data)
    rows = [r for k, r in enumerate(ROWS[: args.rows]) if k == 0 or not args.match or any(m.lower() in r[0].lower() for m in args.match)]
    print(ablation_table(datasets, rows=rows, log=lambda line: print(line, file=sys.stderr, flush=True)))


if __name__ == "__main__":
    main()
