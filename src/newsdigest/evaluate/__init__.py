"""Evaluation: dataset readers, ROUGE with the conventions papers use, and the runner.

>>> from newsdigest.evaluate import load_dataset, evaluate
>>> result = evaluate(load_dataset("../shared/data/duc2003"), method="ilp", words=100, metric="recall")
>>> round(result.mean("rouge2"), 3)  # doctest: +SKIP
"""

from newsdigest.evaluate.datasets import DEFAULT_METRIC, Cluster, detect_format, load_dataset
from newsdigest.evaluate.rouge import Score, bootstrap_ci, score_summary, truncate_words
from newsdigest.evaluate.runner import (
    ClusterResult,
    EvaluationResult,
    NewsdigestSystem,
    evaluate,
    evaluate_command,
    evaluate_system,
)

__all__ = [
    "DEFAULT_METRIC",
    "Cluster",
    "ClusterResult",
    "EvaluationResult",
    "NewsdigestSystem",
    "Score",
    "bootstrap_ci",
    "detect_format",
    "evaluate",
    "evaluate_command",
    "evaluate_system",
    "load_dataset",
    "score_summary",
    "truncate_words",
]
