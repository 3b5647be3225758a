"""What an evaluation run gives: per-cluster scores and times, and their means and intervals."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from newsdigest.evaluate.rouge import MEASURES, METRICS, Score, bootstrap_ci


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
                    "mean": {k: round(self.mean(m, k), 5) for k in METRICS},
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
                    **{m: {k: round(c.scores[m].get(k), 5) for k in METRICS} for m in MEASURES},
                }
                for c in self.clusters
            ],
        }
