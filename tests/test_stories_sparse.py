"""Sparse vectors over term ids (stories/sparse.py): the same numbers as the dict arithmetic they replace."""

import random

import numpy as np
import pytest

from newsdigest.stories.sparse import Scratch, SparseSum, TermIds, mean_vector, sparse_vectors, sums_by_label, vector_sum


def _random_vectors(count: int, seed: int = 3) -> list[dict[str, float]]:
    rng = random.Random(seed)
    words = [f"w{n}" for n in range(60)]
    return [{w: rng.random() for w in rng.sample(words, rng.randint(1, 12))} for _ in range(count)]


def _dict_dot(a: dict, b: dict) -> float:
    return sum(a[t] * b[t] for t in a.keys() & b.keys())


def test_term_ids_are_given_in_order_of_first_sight_and_read_back():
    ids = TermIds()
    assert ids(["quake", "city"]).tolist() == [0, 1]
    assert ids(["city", "rescue", "quake"]).tolist() == [1, 2, 0]
    assert [ids.terms[i] for i in (2, 0)] == ["rescue", "quake"] and len(ids) == 3


def test_dots_of_one_vector_with_many_equal_the_dict_dot_products():
    dicts = _random_vectors(40)
    vectors = sparse_vectors(dicts)
    scratch = Scratch(size=8)  # grown by fit, as the vocabulary grows
    scratch.fit(64)
    for one, (ids, weights) in zip(dicts[:5], vectors[:5]):
        got = scratch.dots(ids, weights, [SparseSum(*v) for v in vectors])
        assert got == pytest.approx([_dict_dot(one, other) for other in dicts], abs=1e-12)
    assert not scratch.values.any()  # left as it was found


def test_an_empty_vector_among_the_others_has_a_dot_product_of_zero():
    vectors = sparse_vectors([{"a": 1.0, "b": 2.0}, {}, {"b": 3.0}, {}])
    scratch = Scratch()
    ids, weights = vectors[0]
    assert scratch.dots(ids, weights, [SparseSum(*v) for v in vectors]).tolist() == [5.0, 0.0, 6.0, 0.0]
    assert scratch.dots(ids, weights, []).tolist() == []


def test_sums_by_label_add_the_vectors_as_dicts_would_in_order():
    dicts = _random_vectors(30)
    labels = [n % 4 for n in range(30)]
    labels[7] = "alone"
    sums = sums_by_label(sparse_vectors(dicts), labels)
    term_ids = TermIds()
    term_ids([t for d in dicts for t in d])  # the same vocabulary sparse_vectors made
    assert list(sums) == [0, 1, 2, 3, "alone"]  # labels in order of first appearance
    for label, total in sums.items():
        expected: dict[str, float] = {}
        for d, own in zip(dicts, labels):
            if own == label:
                for term, weight in d.items():
                    expected[term] = expected.get(term, 0.0) + weight
        got = dict(zip((term_ids.terms[i] for i in total.ids.tolist()), total.weights.tolist()))
        assert list(got) == list(expected) and got == expected  # same terms, same order, same doubles


def test_vector_sum_is_adding_the_vectors_one_by_one():
    vectors = sparse_vectors(_random_vectors(50, seed=11))
    scratch = Scratch()
    scratch.fit(64)
    for count in (0, 1, 2, 17, 50):
        one_by_one = SparseSum()
        for ids, weights in vectors[:count]:
            one_by_one.add(ids, weights, scratch)
        total = vector_sum(vectors[:count])
        assert total.ids.tolist() == one_by_one.ids.tolist()  # terms in order of first appearance
        assert total.weights.tolist() == one_by_one.weights.tolist()  # the very same doubles
    single = vector_sum(vectors[:1])
    single.weights[0] += 1.0
    assert single.weights[0] != vectors[0][1][0]  # a copy: adding to the sum leaves the vector alone


def test_a_sparse_sum_adds_and_takes_away_and_says_what_it_held():
    vectors = sparse_vectors([{"a": 1.0, "b": 2.0}, {"b": 0.5, "c": 4.0}])
    scratch = Scratch()
    total = SparseSum()
    olds, new = total.add(*vectors[0], scratch)
    assert olds.tolist() == [0.0, 0.0] and new.tolist() == [0, 1]
    olds, new = total.add(*vectors[1], scratch)
    assert olds.tolist() == [2.0, 0.0] and new.tolist() == [2]
    total.add(*vectors[0], scratch, -1.0)
    assert total.ids.tolist() == [0, 1, 2] and total.weights.tolist() == [0.0, 0.5, 4.0]
    assert total.square() == 16.25


def test_the_mean_vector_weighs_each_vector_one_nth():
    dicts = _random_vectors(25)
    mean = mean_vector(sparse_vectors(dicts), chunk=7)
    term_ids = TermIds()
    term_ids([t for d in dicts for t in d])
    got = dict(zip((term_ids.terms[i] for i in mean.ids.tolist()), mean.weights.tolist()))
    expected: dict[str, float] = {}
    for d in dicts:
        for term, weight in d.items():
            expected[term] = expected.get(term, 0.0) + weight / 25
    assert got.keys() == expected.keys()
    assert np.allclose([got[t] for t in expected], list(expected.values()), rtol=0, atol=1e-15)
