"""Run a summarizer over a dataset and score it.

:func:`evaluate` is the plain API (clusters in, :class:`EvaluationResult` out);
:func:`evaluate_system` does the same for any :class:`System`, which is how the
benchmark puts other tools through the very same loop and scorer. The parts
live beside it: :mod:`.systems` (what is run), :mod:`.results` (what comes
out), :mod:`.isolation` (time limits, forked children), :mod:`.memory`
(peak memory from /proc), :mod:`.tables` (printing) and :mod:`.command`
(``newsdigest evaluate`` and its exit codes).
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import time
import tracemalloc
from collections.abc import Iterable, Sequence
from pathlib import Path

from newsdigest.evaluate.datasets import Cluster
from newsdigest.evaluate.isolation import TimeLimitExceeded, run_in_child, time_limit
from newsdigest.evaluate.memory import release_free_memory, reset_peak_rss, rss_supported, status_kib
from newsdigest.evaluate.parallel import ChildWorker
from newsdigest.evaluate.results import ClusterResult, EvaluationResult
from newsdigest.evaluate.rouge import load_scorer, score_summary
from newsdigest.evaluate.systems import NewsdigestSystem, System


# How many clusters the summarizing child holds at most: the one it works on and the next. It
# takes a cluster only when this process is between two of its own, so with one at a time it sat
# idle from the end of each cluster to the end of this process's current one (on DUC 2003, on a
# busy machine, a fifth of its time); with the next one waiting it goes straight on. The cost: at
# the end this process may wait for the child's last two.
_HELPER_AHEAD = 2


def summarize_guarded(system: System, cluster: Cluster, *, words: int, timeout: float | None):
    """(summary, error, seconds) of one cluster in this process."""
    error = ""
    start = time.perf_counter()
    try:
        with time_limit(timeout):
            summary = list(system.summarize(cluster, words))
    except TimeLimitExceeded:
        summary, error = [], f"timeout after {timeout:g} s"
    except Exception as problem:  # noqa: BLE001 - one bad cluster must not end a benchmark
        summary, error = [], f"{problem.__class__.__name__}: {problem}"
    seconds = time.perf_counter() - start
    if error.startswith("timeout"):
        seconds = float(timeout)
    return summary, error, seconds


def summarize_isolated(system: System, cluster: Cluster, *, words: int, timeout: float | None, memory: str | None):
    """(summary, error, seconds, peak bytes) of one cluster in a forked child."""
    baseline = 0

    def start() -> int:  # in the child, before the cluster
        nonlocal baseline
        if memory == "rss":
            reset_peak_rss()
            baseline = status_kib("VmRSS")
        return baseline

    def run():  # in the child
        summary, error, seconds = summarize_guarded(system, cluster, words=words, timeout=None)
        peak = 1024 * (status_kib("VmHWM") - baseline) if memory == "rss" else 0
        return summary, error, seconds, peak

    def stopped_peak(pid: int, started: int | None) -> int:  # of a child about to be stopped
        if memory == "rss" and started is not None:
            with contextlib.suppress(OSError, ValueError):
                return max(0, 1024 * (status_kib("VmHWM", pid) - started))
        return 0

    outcome = run_in_child(run, start=start, timeout=timeout, on_timeout=stopped_peak)
    if outcome.status == "timeout":
        return [], f"timeout after {timeout:g} s", float(timeout), outcome.value
    if outcome.status == "died":
        return [], "the summarizer's process died", 0.0, 0
    return outcome.value


class _NoProgress:
    """A disabled progress bar that does not import tqdm (a few hundredths of a second)."""

    def __enter__(self) -> _NoProgress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def update(self, n: int = 1) -> None:
        return None


def _progress(total: int, *, label: str, enabled: bool):
    if not enabled:
        return _NoProgress()
    from tqdm import tqdm

    # delay: the bar only appears once a run has taken more than a second.
    return tqdm(total=total, desc=label, unit="cluster", file=sys.stderr, delay=1.0, disable=not enabled, leave=False)


def evaluate_system(
    clusters: Iterable[Cluster],
    system: System,
    *,
    words: int,
    metric: str = "recall",
    timeout: float | None = None,
    memory: str | None = None,
    isolate: bool = False,
    save_summaries: str | Path | None = None,
    progress: bool = False,
    total: int | None = None,
    score_in_child: bool = False,
    summarize_in_child: bool = False,
) -> EvaluationResult:
    """Summarize every cluster with ``system`` and score it (see :func:`evaluate`).

    ``timeout`` (seconds per cluster): a cluster that takes longer is scored as an
    empty summary and reported in ``failures``. ``memory``: ``"rss"`` (peak
    resident-set growth, native memory included; Linux) or ``"tracemalloc"``
    (Python heap; slows pure-Python code several times). ``isolate``: run each
    cluster in a forked child process, so a timeout can stop even a long call
    into C (numpy's SVD) and every cluster starts from the same warm-but-clean
    state; POSIX only. ``clusters`` may be any iterable (``total``: its length,
    for the progress bar, when it has none). ``score_in_child``: ROUGE is
    computed in a forked child while the next cluster is summarized
    (:class:`~newsdigest.evaluate.parallel.ChildWorker`); the scores are the same.
    ``summarize_in_child``: a forked child summarizes a cluster whenever it has
    fewer than two to do (see ``_HELPER_AHEAD``), this process the others, so two cores summarize at once; the
    summaries and their order are the same (not with ``isolate`` or ``memory``,
    which measure one cluster at a time).
    """
    if metric not in ("recall", "f1"):
        raise ValueError(f"metric must be 'recall' or 'f1', got {metric!r}")
    if words < 1:
        raise ValueError(f"words must be at least 1, got {words}")
    truncate = metric == "recall"
    out_dir = Path(save_summaries) if save_summaries is not None else None
    if out_dir is not None:
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:  # a file in the way, no permission, a read-only disk
            raise OSError(f"cannot write summaries to {out_dir}: {error.strerror or error}") from None

    if memory not in (None, "rss", "tracemalloc"):
        raise ValueError(f"memory must be None, 'rss' or 'tracemalloc', got {memory!r}")
    if memory == "rss" and not rss_supported():
        memory = "tracemalloc"
    started_tracing = memory == "tracemalloc" and not tracemalloc.is_tracing()
    if started_tracing:
        tracemalloc.start()
    if isolate and not hasattr(os, "fork"):
        isolate = False
    if isolate and memory == "tracemalloc":
        raise ValueError("memory='tracemalloc' cannot be combined with isolate=True; use 'rss'")
    if total is None and hasattr(clusters, "__len__"):
        total = len(clusters)
    reference_words = words if truncate else None
    scorer = helper = None
    frozen = False
    peak = 0
    results: list[ClusterResult] = []
    scored: list[int] = []  # positions in ``results`` of the summaries sent to the scorer, in order
    handed: list[tuple[int, Cluster]] = []  # the clusters sent to the helper, in order
    try:
        prepare = getattr(system, "prepare", None)
        if prepare is not None:
            prepare()  # imports and models load once here, not in every forked child
        # Both forked after the system's imports, which they share. rouge-score's own imports
        # take the scorer ~0.2 CPU-s, while the first clusters are summarized.
        summarize_in_child = summarize_in_child and not isolate and memory is None
        if score_in_child or summarize_in_child:
            # What is loaded now lives to the end: the collector stops scanning it, here and in
            # the children (on DUC 2003 it spent ~0.09 of ~1.2 CPU-s of summarizing, ~0.045
            # after this), and the children do not copy those pages for it either (gc.freeze
            # right before fork, as the gc docs advise).
            gc.freeze()
            frozen = True
        scorer = ChildWorker(score_summary, start=load_scorer) if score_in_child else None
        if summarize_in_child:
            helper = ChildWorker(lambda cluster: summarize_guarded(system, cluster, words=words, timeout=timeout))
        if memory == "rss" and not isolate:
            gc.collect()
            release_free_memory()
            baseline = status_kib("VmRSS")

        def record(position: int, cluster: Cluster, summary: list[str], error: str, seconds: float) -> None:
            result = results[position]
            result.summary, result.error, result.seconds = list(summary), error, seconds
            result.words = sum(len(s.split()) for s in summary)
            if scorer is not None:
                scorer.submit(summary, cluster.references, truncate=reference_words)
                scored.append(position)  # its scores are filled in below, when the child has scored them all
            else:
                result.scores = score_summary(summary, cluster.references, truncate=reference_words)
            if out_dir is not None:
                (out_dir / f"{cluster.id}.txt").write_text("\n".join(summary) + ("\n" if summary else ""), encoding="utf-8")
            bar.update(1)

        def record_helped(outcomes: list) -> None:
            for outcome in outcomes:
                position, cluster = handed.pop(0)
                record(position, cluster, *outcome)

        with _progress(total, label=system.name, enabled=progress) as bar:
            for cluster in clusters:
                results.append(ClusterResult(id=cluster.id, scores={}, seconds=0.0, words=0))
                if helper is not None:
                    record_helped(helper.finished())
                    if helper.pending < _HELPER_AHEAD:  # see _HELPER_AHEAD
                        handed.append((len(results) - 1, cluster))
                        helper.submit(cluster)
                        continue
                if isolate:
                    summary, error, seconds, cluster_peak = summarize_isolated(
                        system, cluster, words=words, timeout=timeout, memory=memory
                    )
                    peak = max(peak, cluster_peak)
                else:
                    if memory == "tracemalloc":
                        tracemalloc.reset_peak()
                    elif memory == "rss":
                        reset_peak_rss()
                    summary, error, seconds = summarize_guarded(system, cluster, words=words, timeout=timeout)
                    if memory == "tracemalloc":
                        peak = max(peak, tracemalloc.get_traced_memory()[1])
                    elif memory == "rss":
                        peak = max(peak, 1024 * (status_kib("VmHWM") - baseline))
                record(len(results) - 1, cluster, summary, error, seconds)
            if helper is not None:
                record_helped(helper.results())
        if scorer is not None:
            for position, scores in zip(scored, scorer.results(), strict=True):
                results[position].scores.update(scores)
    finally:
        for child in (helper, scorer):
            if child is not None:
                child.close()
        if frozen:
            gc.unfreeze()
        if started_tracing:
            tracemalloc.stop()
    return EvaluationResult(
        system=system.name,
        metric=metric,
        words=words,
        truncate=truncate,
        clusters=results,
        peak_memory=peak if memory else None,
        memory_kind=memory or "",
    )


def evaluate(
    clusters: Sequence[Cluster],
    method: str = "ilp",
    words: int = 100,
    metric: str = "recall",
    *,
    save_summaries: str | Path | None = None,
    progress: bool = False,
) -> EvaluationResult:
    """Summarize every cluster with a newsdigest ``method`` and score it with ROUGE.

    ``metric="recall"``: system and references truncated to ``words`` words,
    recall (DUC convention). ``metric="f1"``: no truncation, F1 (Multi-News).
    Per-cluster scores and times, means and bootstrap 95% intervals are in the
    result. A cluster the method fails on is scored as an empty summary and
    listed in ``result.failures``.
    """
    return evaluate_system(
        clusters,
        NewsdigestSystem(method),
        words=words,
        metric=metric,
        save_summaries=save_summaries,
        progress=progress,
    )
