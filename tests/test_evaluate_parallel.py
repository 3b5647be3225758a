"""Reading and scoring in forked children: same items, same order, same scores, errors raised here."""

from __future__ import annotations

import os

import pytest

from newsdigest.evaluate import evaluate_system, score_summary
from newsdigest.evaluate.datasets import Cluster
from newsdigest.evaluate.parallel import ChildWorker, iterate_in_child
from newsdigest.model import Document


def _items_then_error():
    yield os.getpid()
    yield 2
    raise ValueError("broken.jsonl: line 3 is not JSON")


def test_iterate_in_child_yields_in_order_from_another_process_then_raises():
    items = iterate_in_child(_items_then_error)
    first = next(items)
    assert first != os.getpid()  # produced in the child
    assert next(items) == 2
    with pytest.raises(ValueError, match="line 3 is not JSON"):
        next(items)


def test_iterate_in_child_of_nothing():
    assert list(iterate_in_child(lambda: iter(()))) == []


def _divide(a, b=1):
    return a / b, os.getpid()


def test_child_worker_keeps_order_and_raises_the_child_error():
    with ChildWorker(_divide) as worker:
        for a in range(50):
            worker.submit(a, b=2)
        results = worker.results()
    assert [value for value, _ in results] == [a / 2 for a in range(50)]
    assert {pid for _, pid in results} != {os.getpid()}
    with ChildWorker(_divide) as worker:
        worker.submit(1, b=0)
        with pytest.raises(ZeroDivisionError):
            worker.results()


class LeadSentences:
    name = "lead"

    def summarize(self, cluster, words):
        return [d.text for d in cluster.documents][:2]


def test_scores_from_the_child_equal_scores_here():
    docs = [
        Document(id="a", text="Rescue teams reached the flooded village of Alden on Monday."),
        Document(id="b", text="Heavy rain flooded the village, and rivers rose overnight."),
    ]
    clusters = [
        Cluster("c1", docs, ["Rescue teams reached Alden.", "The village flooded."]),
        Cluster("c2", docs[::-1], ["Rivers rose after heavy rain."]),
    ]
    here = evaluate_system(clusters, LeadSentences(), words=12, metric="recall")
    there = evaluate_system(iter(clusters), LeadSentences(), words=12, metric="recall", score_in_child=True)
    assert [c.scores for c in there.clusters] == [c.scores for c in here.clusters]
    assert there.clusters[0].scores == score_summary([d.text for d in docs], clusters[0].references, truncate=12)
    assert 0 < here.mean("rouge1") < 1
