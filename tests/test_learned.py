"""Learned concept weights (method ilp-learned): the shipped model, its features, its digests."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from newsdigest.model import Budget, Document
from newsdigest.pipeline import segment, summarize_documents
from newsdigest.summarize.candidates import candidate_positions, candidate_ranks
from newsdigest.summarize.ilp import ConceptILP
from newsdigest.summarize.learned import FEATURES, WEIGHTINGS, LearnedILP, bigram_features, load_models, predict

REPO = Path(__file__).resolve().parents[1]

ARTICLES = [
    "Rescue teams reached the flooded village of Alden on Monday. The river rose four meters overnight. "
    "Officials said two people were missing in the flooded village. The governor promised emergency funds.",
    "Heavy rain flooded the village of Alden. Rescue teams reached the flooded village on Monday. "
    "Two people were missing, officials said. Farmers fear the harvest is lost.",
    "The flood in Alden is the worst in forty years. The river rose four meters in one night. "
    "Rescue teams reached the flooded village after the rain stopped.",
]


def documents():
    return [Document(id=f"d{k}", text=text) for k, text in enumerate(ARTICLES)]


def features_of(docs):
    sentences = segment(docs)
    ilp = ConceptILP()
    bigrams = ilp._concepts(sentences)
    ranks = candidate_ranks(sentences, candidate_positions(sentences, min_words=ilp.min_sentence_words))
    return sentences, bigrams, ranks, bigram_features(sentences, bigrams, ranks)


def test_shipped_models_load_with_the_features_the_code_computes():
    models = load_models()
    assert set(models) == {"floor", "all"}
    for model in models.values():
        assert tuple(model["features"]) == FEATURES
        assert len(model["coef"]) == len(model["mean"]) == len(model["scale"]) == len(FEATURES)
        assert 0 < model["prior"] < 1
        assert all(s > 0 for s in model["scale"])


def test_features_count_documents_and_first_mentions():
    _, _, _, (keys, rows) = features_of(documents())
    row = dict(zip(FEATURES, rows[keys.index(("flood", "villag"))]))
    assert row["document_count"] == 3  # "flooded village" is in all three articles
    assert row["document_fraction"] == 1.0
    assert row["lead_count"] == 2  # ... in the first two sentences of two (the third's is its third)
    assert row["lead_fraction"] == pytest.approx(2 / 3)
    assert row["in_lead"] == 1.0
    assert row["log_sentence_count"] == pytest.approx(np.log1p(4))
    assert row["log_first_rank"] == 0.0  # d0 says it in its first candidate
    farmers = dict(zip(FEATURES, rows[keys.index(("farmer", "fear"))]))
    assert farmers["document_count"] == 1 and farmers["lead_count"] == 0 and farmers["in_lead"] == 0.0


def test_copied_article_does_not_count_twice():
    docs = documents()
    copy = Document(id="copy", text=ARTICLES[0])
    _, _, _, (keys, rows) = features_of(docs + [copy])
    assert dict(zip(FEATURES, rows[keys.index(("flood", "villag"))]))["document_count"] == 3


def test_predict_applies_standardisation_and_coefficients():
    n = len(FEATURES)
    model = {"features": list(FEATURES), "mean": [1.0] * n, "scale": [2.0] * n, "coef": [0.0] * n, "intercept": 0.0, "prior": 0.5}
    model["coef"][0] = 1.0
    rows = np.ones((2, n))
    rows[1, 0] = 5.0  # (5 - 1) / 2 = 2 standard units of document_count
    assert predict(model, rows) == pytest.approx([0.5, 1 / (1 + np.exp(-2.0))])
    with pytest.raises(ValueError, match="features"):
        predict({**model, "features": list(FEATURES[:-1])}, rows)


@pytest.mark.parametrize("weighting", WEIGHTINGS)
def test_floor_weights_reweigh_ilp_concepts(weighting):
    sentences, bigrams, ranks, _ = features_of(documents())
    learned = LearnedILP(weighting=weighting).concept_weights(sentences, bigrams, ranks)
    floor = ConceptILP().concept_weights(sentences, bigrams, ranks)
    assert learned and set(learned) <= set(floor)
    assert all(w > 0 for w in learned.values())
    if weighting == "probability":
        assert all(w < 1 for w in learned.values())
    # Shared by all three articles and in their leads: rated above a bigram two articles share later on.
    assert learned[("flood", "villag")] > learned.get(("offici", "said"), 0.0)


def test_all_bigrams_rated_above_the_threshold_become_concepts():
    sentences, bigrams, ranks, (keys, rows) = features_of(documents())
    ilp = LearnedILP(concepts="all", min_probability=0.0)
    weights = ilp.concept_weights(sentences, bigrams, ranks)
    assert set(weights) == set(keys)  # every bigram, single-article ones included
    assert set(LearnedILP(concepts="all", min_probability=1.0).concept_weights(sentences, bigrams, ranks)) == set()


@pytest.mark.parametrize("options", [{}, {"concepts": "all", "min_probability": 0.1}, {"weighting": "odds"}])
def test_learned_digest_is_valid_and_within_budget(options):
    docs = documents()
    digest = summarize_documents(docs, words=30, method="ilp-learned", **options)
    assert digest.sentences
    assert sum(len(s.text.split()) for s in digest.sentences) <= 30
    texts = {d.id: d.text for d in docs}
    for s in (d.sentence for d in digest.sentences):
        assert texts[s.doc_id][s.start : s.end] == s.text
    chosen = LearnedILP(**options).select(segment(docs), Budget(words=30))
    assert len(chosen) == len(digest.sentences)


def test_unknown_options_are_clear_errors():
    with pytest.raises(ValueError, match="concepts"):
        LearnedILP(concepts="some")
    with pytest.raises(ValueError, match="weighting"):
        LearnedILP(weighting="rank")


def test_shipped_coefficients_are_what_the_script_trains(shared_data):
    pytest.importorskip("sklearn")
    sys.path.insert(0, str(REPO))
    from bench import learned_weights
    from bench.ablation import load_datasets

    trained = learned_weights.shipped_models(learned_weights.dev_examples(load_datasets(shared_data)))
    shipped = load_models()
    assert set(trained) == set(shipped)
    for population, model in trained.items():
        for key in ("mean", "scale", "coef"):
            assert model[key] == pytest.approx(shipped[population][key], rel=1e-5, abs=1e-7), (population, key)
        assert model["intercept"] == pytest.approx(shipped[population]["intercept"], rel=1e-5, abs=1e-7)
