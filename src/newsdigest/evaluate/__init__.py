"""Evaluation: dataset readers, ROUGE with the conventions papers use, and the runner.

Modules: ``datasets``, ``rouge``, ``systems`` (what is run), ``runner`` (the
loop), ``results``, ``isolation`` (time limits, forked children), ``memory``
(/proc), ``tables`` (printing), ``command`` (``newsdigest evaluate``).

>>> from newsdigest.evaluate import load_dataset, evaluate
>>> result = evaluate(load_dataset("../shared/data/duc2003"), method="ilp", words=100, metric="recall")
>>> round(result.mean("rouge2"), 3)  # doctest: +SKIP
"""

from newsdigest.evaluate.datasets import DEFAULT_METRIC, Cluster, detect_format, load_dataset
from newsdigest.evaluate.rouge import Score, bootstrap_ci, score_summary, truncate_words
from newsdigest.evaluate.command import evaluate_command
from newsdigest.evaluate.results import ClusterResult, EvaluationResult
from newsdigest.evaluate.runner import evaluate, evaluate_system
from newsdigest.evaluate.systems import NewsdigestSystem, System

__all__ = [
    "DEFAULT_METRIC",
    "Cluster",
    "ClusterResult",
    "EvaluationResult",
    "NewsdigestSystem",
    "Score",
    "System",
    "bootstrap_ci",
    "detect_format",
    "evaluate",
    "evaluate_command",
    "evaluate_system",
    "load_dataset",
    "score_summary",
    "truncate_words",
]
