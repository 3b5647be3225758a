"""Concept weights learned from reference summaries (issue 12, round 5).

Li, Qian & Liu (2013) and Hong & Nenkova (2014) weigh a bigram by a model's
estimate that it appears in a human summary of its cluster, from features
such as its document frequency and where it is first mentioned. Here the
model is a logistic regression trained by ``bench/learned_weights.py`` on the
three dev sets and shipped as plain coefficients
(``learned_weights.json``: feature names, standardisation, coefficients), so
the package applies it with numpy alone (scikit-learn stays a bench
dependency).

:class:`LearnedILP` (method ``ilp-learned``) is ``ilp`` with these weights in
place of document frequency x lead bonus; the features are computed by
:func:`bigram_features`, the one definition the training script uses too.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

import numpy as np

from newsdigest.model import Sentence
from newsdigest.nlp.text import stemmed_words, stop_words
from newsdigest.summarize.candidates import distinct_documents
from newsdigest.summarize.ilp import ConceptILP

WEIGHTS_FILE = "learned_weights.json"

# Each bigram of a cluster (its distinct documents) is described by these, in this order.
FEATURES = (
    "document_count",  # distinct documents holding it
    "document_fraction",  # ... over the cluster's distinct documents
    "log_document_count",  # log(document_count): with in_lead, ilp's own weight as a log-linear model
    "log_sentence_count",  # log(1 + sentences holding it)
    "log_documents",  # log(1 + the cluster's distinct documents): lets the others mean different things by size
    "lead_count",  # documents that mention it in their first two sentences
    "lead_fraction",  # ... over the documents holding it
    "in_lead",  # lead_count > 0: ilp's lead bonus
    "opening_count",  # documents that mention it before their second candidate sentence
    "log_first_rank",  # log(1 + the earliest candidate rank of a first mention)
    "mean_first_position",  # mean over the documents holding it of (index of first mention / document length)
    "has_stop_word",  # one of its two words is a stop word (never both: such bigrams are no concepts)
    "characters",  # length of its two stems
    "has_digit",  # a figure
)
LEAD_SENTENCES = 2
WEIGHTINGS = ("probability", "odds", "log-odds", "ilp x probability")


@lru_cache(maxsize=1)
def _stop_stems() -> frozenset[str]:
    """Stop words as stems, since bigrams hold stems ("was" -> "wa")."""
    return frozenset(stemmed_words(" ".join(sorted(stop_words())))[1])


def bigram_features(
    sentences: Sequence[Sentence], bigrams: Sequence[set], ranks: Sequence[int]
) -> tuple[list[tuple], np.ndarray]:
    """Every bigram of the cluster's distinct documents and its :data:`FEATURES` row.

    Exact copies of an earlier document are left out (as ``ilp``'s
    ``dedupe_documents``), so a story filed twice does not pass for agreement.
    """
    kept = set(distinct_documents(sentences))
    length = Counter(s.doc_id for s in sentences if s.doc_id in kept)
    n_docs = len(length)
    df: Counter = Counter()
    tf: Counter = Counter()
    lead: Counter = Counter()
    opening: Counter = Counter()
    first_rank: dict = {}
    position: Counter = Counter()
    seen: dict[str, set] = {}
    for s, grams, rank in zip(sentences, bigrams, ranks):
        if s.doc_id not in kept:
            continue
        tf.update(grams)
        known = seen.setdefault(s.doc_id, set())
        new = grams - known
        if not new:
            continue
        known |= new
        df.update(new)
        if s.index < LEAD_SENTENCES:
            lead.update(new)
        if rank == 0:
            opening.update(new)
        share = s.index / length[s.doc_id]
        for g in new:
            position[g] += share
            if rank < first_rank.get(g, math.inf):
                first_rank[g] = rank
    stop = _stop_stems()
    keys = list(df)
    rows = np.array(
        [
            (
                df[g],
                df[g] / n_docs,
                math.log(df[g]),
                math.log1p(tf[g]),
                math.log1p(n_docs),
                lead[g],
                lead[g] / df[g],
                float(lead[g] > 0),
                opening[g],
                math.log1p(first_rank[g]),
                position[g] / df[g],
                float(g[0] in stop or g[-1] in stop),
                sum(map(len, g)),
                float(any(c.isdigit() for x in g for c in x)),
            )
            for g in keys
        ],
        dtype=float,
    ).reshape(len(keys), len(FEATURES))
    return keys, rows


def load_models(path=None) -> dict[str, dict]:
    """The shipped models (``learned_weights.json`` beside this module), or those at ``path``:
    one per concept population (``"floor"``, ``"all"``, as :class:`LearnedILP`'s ``concepts``)."""
    if path is None:
        text = resources.files(__package__).joinpath(WEIGHTS_FILE).read_text(encoding="utf-8")
    else:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    return json.loads(text)


def predict(model: dict, rows: np.ndarray, names: Sequence[str] = FEATURES) -> np.ndarray:
    """The model's probability that each row's bigram is in a reference summary (columns: ``names``)."""
    if tuple(model["features"]) != tuple(names):
        raise ValueError(f"the model's features {model['features']} are not {list(names)}")
    z = (rows - np.asarray(model["mean"])) / np.asarray(model["scale"])
    logit = z @ np.asarray(model["coef"]) + float(model["intercept"])
    return 1.0 / (1.0 + np.exp(-logit))


class LearnedILP(ConceptILP):
    """``ilp`` whose concept weights are a logistic regression's estimate that the bigram
    is in a human summary (Li, Qian & Liu 2013; Hong & Nenkova 2014).

    * ``model``: the coefficients of one model (a dict as each entry of
      ``learned_weights.json``); None loads the shipped one for ``concepts``,
      trained on the three dev sets.
    * ``concepts="floor"``: the concepts are ``ilp``'s (bigrams held by at least
      ``min_document_fraction`` of the documents), reweighted; ``"all"``: every
      bigram the model gives at least ``min_probability``.
    * ``weighting="probability"``: a concept weighs its probability; ``"odds"``:
      p / (1 - p), the exponential of a linear score, as ``ilp``'s df x 2.75
      is of log df and the lead indicator (so the model can reproduce ``ilp``'s
      weights and depart from them where the data say so);
      ``"log-odds"``: its log-odds above the model's training base rate, clipped
      at zero (only bigrams rated above the base rate count); ``"ilp x probability"``:
      ``ilp``'s weight (df x lead bonus) times the probability, the model as a
      correction of ``ilp`` rather than a replacement.
    * ``lead_prior=True``: the learned weight of a bigram in an article's first
      two sentences is multiplied by ``1 + lead_bonus`` as ``ilp``'s is (a
      sentence-level pull towards openings that per-bigram probabilities lose).
    * ``power``: the weight raised to this power (> 1 sharpens the contrast
      between concepts, < 1 flattens it; the solver's choice depends on it).

    ``bench/learned_weights.py`` measures it (in-sample, K-fold within each set,
    leave one set out); ``docs/summaries.md``, round 5, has the table.
    """

    name = "ilp-learned"
    description = "ilp with concept weights learned from reference summaries (issue 12, round 5)."
    feature_names: tuple[str, ...] = FEATURES

    def __init__(
        self, *, model: dict | None = None, concepts: str = "floor", weighting: str = "probability",
        min_probability: float = 0.5, power: float = 1.0, lead_prior: bool = False, **options,
    ) -> None:
        if concepts not in ("floor", "all"):
            raise ValueError(f"unknown concepts {concepts!r} (known: floor, all)")
        if weighting not in WEIGHTINGS:
            raise ValueError(f"unknown weighting {weighting!r} (known: {', '.join(WEIGHTINGS)})")
        super().__init__(**options)
        self.model = load_models()[concepts] if model is None else model
        self.concepts, self.weighting, self.min_probability, self.power = concepts, weighting, min_probability, power
        self.lead_prior = lead_prior

    def features(self, sentences, bigrams, ranks) -> tuple[list[tuple], np.ndarray]:
        """The bigrams and their :attr:`feature_names` rows: :func:`bigram_features`; a hook for
        bench variants that add features (``bench/learned_weights.py``'s background IDF)."""
        return bigram_features(sentences, bigrams, ranks)

    def concept_weights(self, sentences, bigrams, ranks=None) -> dict[tuple, float]:
        if ranks is None:
            raise ValueError("learned concept weights need the candidate ranks")
        keys, rows = self.features(sentences, bigrams, ranks)
        if not keys:
            return {}
        p = predict(self.model, rows, self.feature_names)
        floor = super().concept_weights(sentences, bigrams, ranks)
        if self.concepts == "floor":
            keep = np.array([g in floor for g in keys])
        else:
            keep = p >= self.min_probability
        if self.weighting == "odds":
            w = p / np.maximum(1 - p, 1e-9)
        elif self.weighting == "log-odds":
            prior = float(self.model["prior"])
            clipped = np.clip(p, 1e-9, 1 - 1e-9)
            w = np.maximum(np.log(clipped / (1 - clipped)) - math.log(prior / (1 - prior)), 0.0)
        elif self.weighting == "ilp x probability":
            w = p * np.array([floor.get(g, 0.0) for g in keys])
        else:
            w = p
        if self.power != 1.0:
            w = w**self.power
        if self.lead_prior and self.lead_bonus and self.weighting != "ilp x probability":
            w = w * np.where(rows[:, FEATURES.index("in_lead")] > 0, 1 + self.lead_bonus, 1.0)
        return {g: float(x) for g, x, k in zip(keys, w, keep) if k and x > 0}
