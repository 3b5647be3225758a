"""Reading and scoring in forked children: same items, same order, same scores, errors raised here."""

from __future__ import annotations

import os
import subprocess
import sys
import time

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


class ProcessId:
    name = "pid"

    def summarize(self, cluster, words):
        time.sleep(0.02)  # the next cluster always comes before the child is done
        return [f"written by {os.getpid()}"]


def _clusters(count):
    docs = [
        Document(id="a", text="Rescue teams reached the flooded village of Alden on Monday. Roads were closed."),
        Document(id="b", text="Heavy rain flooded the village, and rivers rose overnight. Schools shut."),
    ]
    return [Cluster(f"c{k}", docs[k % 2 :] + docs[: k % 2], ["Rescue teams reached Alden.", f"Rivers rose {k}."]) for k in range(count)]


def test_summarizing_in_a_child_too_gives_the_same_results_in_the_same_order(tmp_path):
    clusters = _clusters(12)
    here = evaluate_system(clusters, LeadSentences(), words=12, metric="recall")
    both = evaluate_system(
        iter(clusters), LeadSentences(), words=12, metric="recall", score_in_child=True, summarize_in_child=True,
        save_summaries=tmp_path,
    )
    assert [(c.id, c.summary, c.words, c.error, c.scores) for c in both.clusters] == [
        (c.id, c.summary, c.words, c.error, c.scores) for c in here.clusters
    ]
    assert (tmp_path / "c5.txt").read_text(encoding="utf-8").splitlines() == both.clusters[5].summary


def test_the_child_summarizes_whenever_it_is_free_and_this_process_the_rest():
    result = evaluate_system(_clusters(8), ProcessId(), words=12, metric="recall", summarize_in_child=True)
    writers = [int(c.summary[0].split()[-1]) for c in result.clusters]
    assert writers[0] != os.getpid()  # the child is free at first
    assert os.getpid() in writers  # while it works, this process takes the next cluster
    assert [c.id for c in result.clusters] == [f"c{k}" for k in range(8)]


def test_the_evaluate_command_forks_its_reader_before_loading_numpy():
    # `newsdigest evaluate` starts reading in a child before its own heavy imports, so what
    # the CLI loads up to that point must not pull in NumPy (newsdigest.evaluate is lazy).
    probe = (
        "import sys\n"
        "import newsdigest.evaluate.stories, newsdigest.evaluate.command, newsdigest.evaluate.datasets\n"
        "print(sorted(m for m in ('numpy', 'scipy', 'rouge_score') if m in sys.modules))\n"
        "from newsdigest import evaluate\n"
        "print(all(getattr(evaluate, name) is not None for name in evaluate.__all__), set(evaluate.__all__) <= set(dir(evaluate)))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[:2] == ["[]", "True True"]


def test_a_reader_closed_early_stops_its_child():
    items = iterate_in_child(lambda: iter(range(10**6)))
    assert next(items) == 0
    items.close()
    assert list(items) == []
