"""Evaluation: dataset readers, ROUGE with the conventions papers use, and the runner.

Modules: ``datasets``, ``rouge``, ``systems`` (what is run), ``runner`` (the
loop), ``results``, ``isolation`` (time limits, forked children), ``memory``
(/proc), ``tables`` (printing), ``command`` (``newsdigest evaluate``).

>>> from newsdigest.evaluate import load_dataset, evaluate
>>> result = evaluate(load_dataset("../shared/data/duc2003"), method="ilp", words=100, metric="recall")
>>> round(result.mean("rouge2"), 3)  # doctest: +SKIP
"""

from importlib import import_module

# Each name is imported from its module on first use (PEP 562): ``newsdigest evaluate``
# starts reading the dataset in a child before it loads NumPy and the summarizers,
# and importing ``newsdigest.evaluate.datasets`` must not load them first.
_MODULE_OF = {
    "DEFAULT_METRIC": "datasets",
    "Cluster": "datasets",
    "detect_format": "datasets",
    "load_dataset": "datasets",
    "Score": "rouge",
    "bootstrap_ci": "rouge",
    "score_summary": "rouge",
    "truncate_words": "rouge",
    "evaluate_command": "command",
    "ClusterResult": "results",
    "EvaluationResult": "results",
    "evaluate": "runner",
    "evaluate_system": "runner",
    "NewsdigestSystem": "systems",
    "System": "systems",
}


def __getattr__(name: str):
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_MODULE_OF[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


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
