"""Run a summarizer over a dataset and score it: the ``newsdigest evaluate`` command.

:func:`evaluate` is the plain API (clusters in, :class:`EvaluationResult` out);
:func:`evaluate_system` does the same for any :class:`System`, which is how the
benchmark puts other tools through the very same loop and scorer.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import math
import os
import pickle
import select
import signal
import struct
import sys
import threading
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from newsdigest.evaluate.datasets import DEFAULT_METRIC, Cluster, load_dataset
from newsdigest.evaluate.rouge import MEASURES, Score, bootstrap_ci, score_summary

# Label for the three measures in tables.
MEASURE_LABELS = {"rouge1": "ROUGE-1", "rouge2": "ROUGE-2", "rougeLsum": "ROUGE-Lsum"}


class System(Protocol):
    """Anything that turns a cluster into summary sentences within a word budget."""

    name: str

    def summarize(self, cluster: Cluster, words: int) -> list[str]: ...


# Optional on a System: ``prepare()``, called once before the first cluster (imports).


class NewsdigestSystem:
    """A newsdigest method, run exactly as a user runs it (ordering and citations included)."""

    def __init__(self, method: str = "ilp") -> None:
        from newsdigest.summarize.registry import available_methods

        if method not in available_methods():
            known = ", ".join(available_methods())
            raise ValueError(f"unknown method {method!r} (known: {known})")
        self.method = method
        self.name = method

    def prepare(self) -> None:
        from newsdigest.model import Document
        from newsdigest.pipeline import summarize_documents

        # Load what every run loads once (nupunkt's model, solver and scikit-learn
        # code paths) outside the timed clusters, as peers load theirs.
        toy = [
            Document(id="a", text="The army left the city on Monday, officials said."),
            Document(id="b", text="Officials said the army left the city on Monday night."),
        ]
        summarize_documents(toy, words=20, method=self.method)

    def summarize(self, cluster: Cluster, words: int) -> list[str]:
        from newsdigest.pipeline import summarize_documents

        digest = summarize_documents(cluster.documents, words=words, method=self.method)
        return [s.text for s in digest.sentences]


class ClusterTimeout(Exception):
    """A system exceeded its per-cluster time limit."""


@dataclass
class ClusterResult:
    id: str
    scores: dict[str, Score]
    seconds: float  # wall-clock time of the summarizer alone (scoring excluded)
    words: int  # words in the produced summary
    summary: list[str] = field(repr=False, default_factory=list)
    error: str = ""  # "timeout after 60 s", or the error message; scored as an empty summary


@dataclass
class EvaluationResult:
    system: str
    metric: str  # "recall" or "f1": the figure the means and intervals are of
    words: int
    truncate: bool
    clusters: list[ClusterResult]
    peak_memory: int | None = None  # bytes, peak over the clusters (when measured; see memory_kind)
    memory_kind: str = ""  # "rss": peak RSS growth (VmHWM); "tracemalloc": Python heap peak

    def values(self, measure: str, metric: str | None = None) -> list[float]:
        metric = metric or self.metric
        return [c.scores[measure].get(metric) for c in self.clusters]

    def mean(self, measure: str, metric: str | None = None) -> float:
        values = self.values(measure, metric)
        return sum(values) / len(values) if values else math.nan

    def ci(self, measure: str, metric: str | None = None) -> tuple[float, float]:
        return bootstrap_ci(self.values(measure, metric))

    @property
    def seconds(self) -> float:
        return sum(c.seconds for c in self.clusters)

    @property
    def clusters_per_second(self) -> float:
        return len(self.clusters) / self.seconds if self.seconds > 0 else math.inf

    @property
    def failures(self) -> list[ClusterResult]:
        return [c for c in self.clusters if c.error]

    def to_dict(self) -> dict:
        return {
            "system": self.system,
            "metric": self.metric,
            "words": self.words,
            "truncate": self.truncate,
            "clusters": len(self.clusters),
            "seconds": round(self.seconds, 4),
            "clusters_per_second": round(self.clusters_per_second, 3),
            "peak_memory_bytes": self.peak_memory,
            "memory_kind": self.memory_kind,
            "scores": {
                m: {
                    "mean": {k: round(self.mean(m, k), 5) for k in ("recall", "precision", "f1")},
                    "ci95": [round(v, 5) for v in self.ci(m)],
                }
                for m in MEASURES
            },
            "failures": [{"id": c.id, "error": c.error} for c in self.failures],
            "per_cluster": [
                {
                    "id": c.id,
                    "seconds": round(c.seconds, 4),
                    "words": c.words,
                    "error": c.error,
                    **{m: {k: round(c.scores[m].get(k), 5) for k in ("recall", "precision", "f1")} for m in MEASURES},
                }
                for c in self.clusters
            ],
        }


@contextlib.contextmanager
def _time_limit(seconds: float | None):
    # SIGALRM interrupts pure-Python loops (the slow peers), which is where a limit
    # is needed; it is only available in the main thread on POSIX.
    usable = seconds is not None and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def on_alarm(signum, frame):
        raise ClusterTimeout()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- peak memory ------------------------------------------------------------------
# Linux keeps the high-water mark of a process's resident set (VmHWM) and lets a
# process reset it (clear_refs 5). That measures everything a summarizer holds,
# native memory included (HiGHS, BLAS), in the same process and without the 3-10x
# slowdown tracemalloc costs pure-Python code; tracemalloc is the fallback.


def _status_kib(field_name: str, pid: int | str = "self") -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    raise OSError(f"/proc/{pid}/status has no {field_name}")


def _reset_peak_rss() -> None:
    with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
        refs.write("5")


def rss_supported() -> bool:
    try:
        _status_kib("VmHWM")
        _reset_peak_rss()
    except OSError:
        return False
    return True


def _release_free_memory() -> None:
    # Hand freed heap back to the OS so a system is not credited with the pages a
    # previous one left resident.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _summarize_guarded(system: System, cluster: Cluster, *, words: int, timeout: float | None):
    """(summary, error, seconds) of one cluster in this process."""
    error = ""
    start = time.perf_counter()
    try:
        with _time_limit(timeout):
            summary = list(system.summarize(cluster, words))
    except ClusterTimeout:
        summary, error = [], f"timeout after {timeout:g} s"
    except Exception as problem:  # noqa: BLE001 - one bad cluster must not end a benchmark
        summary, error = [], f"{problem.__class__.__name__}: {problem}"
    seconds = time.perf_counter() - start
    if error.startswith("timeout"):
        seconds = float(timeout)
    return summary, error, seconds


def summarize_isolated(system: System, cluster: Cluster, *, words: int, timeout: float | None, memory: str | None):
    """(summary, error, seconds, peak bytes) of one cluster in a forked child."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: summarize, send the result up the pipe, leave without cleanup
        try:
            os.close(read_end)
            baseline = 0
            if memory == "rss":
                _reset_peak_rss()
                baseline = _status_kib("VmRSS")
            with os.fdopen(write_end, "wb") as pipe:
                # The starting RSS goes first, so the parent can still work out the
                # peak of a child it has to stop.
                pipe.write(struct.pack("<q", baseline))
                pipe.flush()
                summary, error, seconds = _summarize_guarded(system, cluster, words=words, timeout=None)
                peak = 1024 * (_status_kib("VmHWM") - baseline) if memory == "rss" else 0
                pipe.write(pickle.dumps((summary, error, seconds, peak)))
        finally:
            os._exit(0)
    os.close(write_end)
    chunks: list[bytes] = []
    deadline = None if timeout is None else time.monotonic() + timeout
    timed_out = False
    with os.fdopen(read_end, "rb", buffering=0) as pipe:
        while True:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([pipe], [], [], wait)
            if not ready:
                timed_out = True
                break
            chunk = pipe.read(1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    data = b"".join(chunks)
    header = struct.calcsize("<q")
    stopped_peak = 0
    if timed_out:
        if memory == "rss" and len(data) >= header:
            with contextlib.suppress(OSError, ValueError):
                baseline = struct.unpack("<q", data[:header])[0]
                stopped_peak = max(0, 1024 * (_status_kib("VmHWM", pid) - baseline))
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    if timed_out:
        return [], f"timeout after {timeout:g} s", float(timeout), stopped_peak
    if len(data) <= header:
        return [], "the summarizer's process died", 0.0, 0
    return pickle.loads(data[header:])


def _progress(total: int, *, label: str, enabled: bool):
    from tqdm import tqdm

    # delay: the bar only appears once a run has taken more than a second.
    return tqdm(total=total, desc=label, unit="cluster", file=sys.stderr, delay=1.0, disable=not enabled, leave=False)


def evaluate_system(
    clusters: Sequence[Cluster],
    system: System,
    *,
    words: int,
    metric: str = "recall",
    timeout: float | None = None,
    memory: str | None = None,
    isolate: bool = False,
    save_summaries: str | Path | None = None,
    progress: bool = False,
) -> EvaluationResult:
    """Summarize every cluster with ``system`` and score it (see :func:`evaluate`).

    ``timeout`` (seconds per cluster): a cluster that takes longer is scored as an
    empty summary and reported in ``failures``. ``memory``: ``"rss"`` (peak
    resident-set growth, native memory included; Linux) or ``"tracemalloc"``
    (Python heap; slows pure-Python code several times). ``isolate``: run each
    cluster in a forked child process, so a timeout can stop even a long call
    into C (numpy's SVD) and every cluster starts from the same warm-but-clean
    state; POSIX only.
    """
    if metric not in ("recall", "f1"):
        raise ValueError(f"metric must be 'recall' or 'f1', got {metric!r}")
    if words < 1:
        raise ValueError(f"words must be at least 1, got {words}")
    truncate = metric == "recall"
    out_dir = Path(save_summaries) if save_summaries is not None else None
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)

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
    prepare = getattr(system, "prepare", None)
    if prepare is not None:
        prepare()  # imports and models load once here, not in every forked child
    if memory == "rss" and not isolate:
        gc.collect()
        _release_free_memory()
        baseline = _status_kib("VmRSS")
    peak = 0
    results = []
    try:
        with _progress(len(clusters), label=system.name, enabled=progress) as bar:
            for cluster in clusters:
                if isolate:
                    summary, error, seconds, cluster_peak = summarize_isolated(
                        system, cluster, words=words, timeout=timeout, memory=memory
                    )
                    peak = max(peak, cluster_peak)
                else:
                    if memory == "tracemalloc":
                        tracemalloc.reset_peak()
                    elif memory == "rss":
                        _reset_peak_rss()
                    summary, error, seconds = _summarize_guarded(system, cluster, words=words, timeout=timeout)
                    if memory == "tracemalloc":
                        peak = max(peak, tracemalloc.get_traced_memory()[1])
                    elif memory == "rss":
                        peak = max(peak, 1024 * (_status_kib("VmHWM") - baseline))
                scores = score_summary(summary, cluster.references, truncate=words if truncate else None)
                results.append(
                    ClusterResult(
                        id=cluster.id,
                        scores=scores,
                        seconds=seconds,
                        words=sum(len(s.split()) for s in summary),
                        summary=list(summary),
                        error=error,
                    )
                )
                if out_dir is not None:
                    (out_dir / f"{cluster.id}.txt").write_text("\n".join(summary) + ("\n" if summary else ""), encoding="utf-8")
                bar.update(1)
    finally:
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


# --- the command -----------------------------------------------------------------


def format_table(result: EvaluationResult, *, title: str = ""):
    """A rich Table of the means and intervals of one result."""
    from rich.table import Table

    table = Table(title=title or None)
    table.add_column("measure")
    table.add_column(result.metric, justify="right")
    table.add_column("95% CI", justify="right")
    for other in ("recall", "precision", "f1"):
        if other != result.metric:
            table.add_column(other, justify="right", style="dim")
    for m in MEASURES:
        low, high = result.ci(m)
        row = [MEASURE_LABELS[m], f"{100 * result.mean(m):.2f}", f"{100 * low:.2f}–{100 * high:.2f}"]
        row += [f"{100 * result.mean(m, other):.2f}" for other in ("recall", "precision", "f1") if other != result.metric]
        table.add_row(*row)
    return table


def evaluate_command(
    dataset: str | Path,
    *,
    words: int,
    method: str = "ilp",
    save_summaries: str | Path | None = None,
    json_output: bool = False,
    limit: int | None = None,
    metric: str | None = None,
) -> int:
    """``newsdigest evaluate``: load, summarize, score, print. Returns the exit code.

    Bad input (unknown layout, unknown method, bad numbers) is one line on stderr
    and exit code 2, never a traceback.
    """
    from rich.console import Console

    try:
        if limit is not None and limit < 1:
            raise ValueError(f"--limit must be at least 1, got {limit}")
        clusters = load_dataset(dataset, limit=limit)
        metric = metric or DEFAULT_METRIC[clusters[0].kind]
        system = NewsdigestSystem(method)
        result = evaluate_system(
            clusters,
            system,
            words=words,
            metric=metric,
            save_summaries=save_summaries,
            progress=sys.stderr.isatty(),
        )
    except (ValueError, OSError) as problem:
        # Plain write: rich would wrap a long path over two lines.
        sys.stderr.write(f"newsdigest: error: {problem}\n")
        return 2

    if json_output:
        payload = {"dataset": str(dataset), "kind": clusters[0].kind, **result.to_dict()}
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
    else:
        console = Console()
        convention = "truncated to %d words, recall" % words if result.truncate else "F1, no truncation"
        console.print(
            format_table(result, title=f"{method} on {dataset} ({len(clusters)} clusters, {convention})")
        )
        console.print(
            f"{result.seconds:.2f} s summarizing ({result.clusters_per_second:.2f} clusters/s); "
            f"mean summary length {sum(c.words for c in result.clusters) / len(result.clusters):.0f} words",
            highlight=False,
        )
    for failure in result.failures:
        sys.stderr.write(f"newsdigest: warning: {failure.id}: {failure.error} (scored as an empty summary)\n")
    return 0
