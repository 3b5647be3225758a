"""Time of the cross-source analysis per DUC 2003 cluster (about 10 articles each).

    .venv/bin/python bench/analysis_speed.py [../shared/data/duc2003/docs]

Prints one row per cluster (articles, words, seconds) and the mean; the spaCy
model load is timed apart, since a process pays it once. ``bench/run.py``
puts the same measurement in BENCHMARKS.md.
"""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT = REPO.parent / "shared" / "data" / "duc2003" / "docs"


@dataclass(frozen=True)
class ClusterTiming:
    cluster: str
    articles: int
    words: int
    seconds: float
    entities: int
    quotes: int
    figure_groups: int
    events: int


def measure(root: Path, *, limit: int | None = None) -> tuple[float, list[ClusterTiming]]:
    """The model load time and one timing per cluster folder under ``root``."""
    from newsdigest.analyze import analyze_documents, load_nlp
    from newsdigest.ingest import load_documents

    start = time.perf_counter()
    load_nlp()
    load_seconds = time.perf_counter() - start
    rows = []
    for cluster in sorted(p for p in root.iterdir() if p.is_dir())[:limit]:
        documents, _ = load_documents([cluster])
        t0 = time.perf_counter()
        a = analyze_documents(documents)
        rows.append(
            ClusterTiming(
                cluster.name, len(documents), sum(len(d.text.split()) for d in documents),
                time.perf_counter() - t0, len(a.entities), len(a.quotes), len(a.figure_groups), len(a.timeline),
            )
        )
    return load_seconds, rows


def summary_line(rows: list[ClusterTiming]) -> str:
    times = [r.seconds for r in rows]
    articles = statistics.mean(r.articles for r in rows)
    return (
        f"{len(times)} clusters of {articles:.1f} articles on average: mean {statistics.mean(times):.2f} s, "
        f"median {statistics.median(times):.2f} s, max {max(times):.2f} s per cluster"
    )


def markdown_table(load_seconds: float, rows: list[ClusterTiming]) -> str:
    lines = [
        f"spaCy model load, once per process: {load_seconds:.2f} s. {summary_line(rows)}.",
        "",
        "| cluster | articles | words | seconds | entities | quotes | figure groups | timeline events |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r.cluster} | {r.articles} | {r.words:,} | {r.seconds:.2f} | {r.entities} | {r.quotes} | {r.figure_groups} | {r.events} |"
        for r in rows
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else DEFAULT
    if not root.is_dir():
        print(f"error: {root}: no such folder (DUC 2003 clusters expected)", file=sys.stderr)
        return 1
    load_seconds, rows = measure(root)
    print(markdown_table(load_seconds, rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
