"""The summarizers: budget, whole sentences, coverage optimality, baselines' behaviour."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from newsdigest.model import Budget, Document
from newsdigest.pipeline import segment
from newsdigest.summarize.concepts import sentence_bigrams
from newsdigest.summarize.ilp import ConceptILP
from newsdigest.summarize.registry import available_methods, get_method

VOCAB = "army rebels defect regime minister syria border officers jordan turkey fled killed city report source said".split()


def cluster(texts_per_doc):
    return [Document(id=f"d{k}", text="\n".join(texts)) for k, texts in enumerate(texts_per_doc)]


sentence_text = st.lists(st.sampled_from(VOCAB), min_size=3, max_size=25).map(
    lambda ws: " ".join(ws).capitalize() + "."
)
documents_strategy = st.lists(st.lists(sentence_text, min_size=1, max_size=8), min_size=1, max_size=5)


@settings(max_examples=40, deadline=None)
@given(docs=documents_strategy, words=st.integers(min_value=1, max_value=120), method=st.sampled_from(sorted(available_methods())))
def test_budget_never_exceeded_and_sentences_whole(docs, words, method):
    documents = cluster(docs)
    sentences = segment(documents)
    chosen = get_method(method).select(sentences, Budget(words=words))
    assert sum(sentences[i].words for i in chosen) <= words
    assert len(set(chosen)) == len(chosen)
    texts = {d.id: d.text for d in documents}
    for i in chosen:
        s = sentences[i]
        assert texts[s.doc_id][s.start : s.end] == s.text  # a whole source sentence, untouched


@settings(max_examples=25, deadline=None)
@given(docs=documents_strategy, n=st.integers(min_value=1, max_value=4), method=st.sampled_from(sorted(available_methods())))
def test_sentence_budget_respected(docs, n, method):
    sentences = segment(cluster(docs))
    assert len(get_method(method).select(sentences, Budget(sentences=n))) <= n


def covered_weight(ilp, sentences, chosen):
    bigrams = [sentence_bigrams(s.text) for s in sentences]
    weights = ilp.concept_weights(sentences, bigrams)
    return sum(weights.get(g, 0.0) for g in set().union(set(), *(bigrams[i] for i in chosen)))


@settings(max_examples=20, deadline=None)
@given(docs=st.lists(st.lists(sentence_text, min_size=1, max_size=3), min_size=2, max_size=4), words=st.integers(10, 40))
def test_ilp_matches_brute_force_optimum(docs, words):
    sentences = segment(cluster(docs))
    ilp = ConceptILP()
    bigrams = [sentence_bigrams(s.text) for s in sentences]
    usable = [i for i, s in enumerate(sentences) if s.words >= 6]
    assume(usable and ilp.concept_weights(sentences, bigrams))
    chosen = ilp.select(sentences, Budget(words=words))
    best = 0.0
    for r in range(len(usable) + 1):
        for combo in itertools.combinations(usable, r):
            if sum(sentences[i].words for i in combo) <= words:
                best = max(best, covered_weight(ilp, sentences, combo))
    assert covered_weight(ilp, sentences, chosen) == pytest.approx(best)


def test_ilp_prefers_what_most_documents_share():
    shared = "The prime minister fled to Jordan with his family on Monday."
    documents = cluster([
        [shared, "A local bakery sold bread to many happy customers yesterday."],
        ["Officials confirmed the prime minister fled to Jordan with his family.", "Weather was mild across the region all week."],
        ["Reports say the prime minister fled to Jordan with his family overnight.", "The football club signed a new striker for the season."],
    ])
    sentences = segment(documents)
    chosen = ConceptILP().select(sentences, Budget(words=14))
    assert len(chosen) == 1
    assert "prime minister fled to Jordan" in sentences[chosen[0]].text


def test_ilp_greedy_fallback_respects_budget():
    documents = cluster([[f"Rebels and army officers fled the city number {k} today." for k in range(12)]] * 2)
    sentences = segment(documents)
    ilp = ConceptILP()
    bigrams = [sentence_bigrams(s.text) for s in sentences]
    weights = ilp.concept_weights(sentences, bigrams)
    chosen = ilp._greedy(sentences, list(range(len(sentences))), bigrams, weights, Budget(words=25))
    assert chosen and sum(sentences[i].words for i in chosen) <= 25


def test_ilp_reports_solver_status():
    sentences = segment(cluster([["The army officers fled to Turkey on Monday night."]] * 2))
    ilp = ConceptILP()
    ilp.select(sentences, Budget(words=20))
    assert ilp.solver_status == "optimal"


def test_lead_takes_first_sentences_round_robin():
    documents = cluster([
        ["Alpha first sentence of the first article here.", "Alpha second sentence of the first article here."],
        ["Beta first sentence of the second article here.", "Beta second sentence of the second article here."],
    ])
    sentences = segment(documents)
    chosen = get_method("lead").select(sentences, Budget(sentences=2))
    assert [sentences[i].text.split()[0:2] for i in chosen] == [["Alpha", "first"], ["Beta", "first"]]


@pytest.mark.parametrize("method", ["centroid", "lexrank"])
def test_graph_baselines_skip_near_duplicates(method):
    dup = "The defection of the prime minister was a major blow to the regime in Damascus."
    documents = cluster([[dup, "Rebels captured two border posts in the north after heavy fighting."], [dup, "Aid groups warned of food shortages in besieged districts of Aleppo."]])
    sentences = segment(documents)
    chosen = get_method(method).select(sentences, Budget(words=60))
    assert sum(sentences[i].text == dup for i in chosen) == 1


def test_unknown_method_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown method 'nope'"):
        get_method("nope")


def test_registry_lists_default_first():
    assert list(available_methods())[0] == "ilp"
    assert {"ilp", "lead", "centroid", "lexrank"} <= set(available_methods())
