"""TF-IDF vectors: scikit-learn's TfidfVectorizer to the last bit, computed without importing it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from newsdigest.nlp.similarity import sentence_similarities, similarities_to, tfidf_rows, tfidf_vectors
from newsdigest.nlp.text import split_sentences, stems

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "syria"


def scikit_learn_vectors(texts):
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=lambda t: stems(t, drop_stop_words=True), lowercase=False, sublinear_tf=True)
    return vectorizer.fit_transform(texts).tocsr()


def sentences_of(texts):
    return [text[a:b] for text in texts for a, b in split_sentences(text)]


def assert_same(texts):
    ours, theirs = tfidf_vectors(texts), scikit_learn_vectors(texts)
    assert type(ours) is type(theirs)
    assert ours.shape == theirs.shape
    # Same layout (column numbers, order of entries in each row) and the same bits,
    # so every product of these vectors sums in the same order too.
    assert np.array_equal(ours.indptr, theirs.indptr)
    assert np.array_equal(ours.indices, theirs.indices)
    assert np.array_equal(ours.data, theirs.data)
    assert np.array_equal(sentence_similarities(ours), sentence_similarities(theirs))
    # The cosines citations use, computed without scipy: scipy's own, bit for bit.
    rows = list(range(0, len(texts), 7))[:6] + [len(texts) - 1]
    assert np.array_equal(similarities_to(tfidf_rows(texts), rows), sentence_similarities(ours, rows))


def test_the_vectors_of_the_seed_articles_are_scikit_learns():
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    assert len(texts) >= 5
    sentences = sentences_of(texts)
    assert len(sentences) > 50
    assert_same(sentences)
    assert_same(texts)  # long rows, many repeated terms


def test_the_vectors_of_dev_clusters_are_scikit_learns(shared_data):
    from newsdigest.evaluate.datasets import iter_clusters

    for cluster in iter_clusters(shared_data / "duc2003", limit=3):
        assert_same(sentences_of([d.text for d in cluster.documents]))


def test_texts_without_a_content_word_get_zero_rows():
    vectors = tfidf_vectors(["The army left the city.", "", "and the of"])
    assert vectors.shape[0] == 3
    assert vectors[0].nnz > 0 and vectors[1].nnz == 0 and vectors[2].nnz == 0
    assert sentence_similarities(vectors)[0, 0] == pytest.approx(1.0)
    only_stop_words = tfidf_vectors(["the", "and of"])
    assert only_stop_words.shape == (2, 1) and only_stop_words.nnz == 0
    assert tfidf_vectors([]).shape[0] == 0


def test_similarities_without_content_words():
    rows = tfidf_rows(["The army left the city.", "", "and the of", "The army shelled the city."])
    cosines = similarities_to(rows, [1, 0, 2])
    assert cosines.shape == (3, 4)
    assert not cosines[0].any() and not cosines[2].any()  # rows with no content word meet nothing
    assert cosines[1, 0] == pytest.approx(1.0) and 0 < cosines[1, 3] < 1 and cosines[1, 1] == 0
    assert not similarities_to(tfidf_rows(["the", "and of"]), [0, 1]).any()
    assert similarities_to(tfidf_rows(["The army left."]), []).shape == (0, 1)
