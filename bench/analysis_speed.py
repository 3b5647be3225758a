"""Time of the cross-source analysis per DUC 2003 cluster (about 10 articles each).

    .venv/bin/python bench/analysis_speed.py [../shared/data/duc2003/docs]

Prints one row per cluster (articles, words, seconds) and the mean; the spaCy
model load is timed apart, since a process pays it once.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from newsdigest.analyze import analyze_documents, load_nlp
from newsdigest.ingest import load_documents

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "duc2003" / "docs"


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else DEFAULT
    if not root.is_dir():
        print(f"error: {root}: no such folder (DUC 2003 clusters expected)", file=sys.stderr)
        return 1
    start = time.perf_counter()
    load_nlp()
    print(f"spaCy model load: {time.perf_counter() - start:.2f} s\n")
    print(f"{'cluster':<10} {'articles':>8} {'words':>7} {'seconds':>8} {'entities':>8} {'quotes':>6} {'groups':>6} {'events':>6}")
    times = []
    for cluster in sorted(p for p in root.iterdir() if p.is_dir()):
        documents, _ = load_documents([cluster])
        words = sum(len(d.text.split()) for d in documents)
        t0 = time.perf_counter()
        a = analyze_documents(documents)
        elapsed = time.perf_counter() - t0
        times.append(elapsed)
        print(f"{cluster.name:<10} {len(documents):>8} {words:>7} {elapsed:>8.2f} {len(a.entities):>8} "
              f"{len(a.quotes):>6} {len(a.figure_groups):>6} {len(a.timeline):>6}")
    if times:
        print(f"\n{len(times)} clusters: mean {statistics.mean(times):.2f} s, median {statistics.median(times):.2f} s, "
              f"max {max(times):.2f} s per cluster")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
