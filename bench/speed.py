"""Speed: the whole ``newsdigest evaluate`` run on DUC 2003 against sumy's LexRank summarizing alone.

``newsdigest evaluate ../shared/data/duc2003 --words 100`` runs as a user runs
it, in a fresh process: start-up, reading the dataset, summarizing, ROUGE and
the printed table are all in its wall-clock time. sumy's LexRank (English
stemmer and stop words, as its own CLI runs it; ``bench/peers.py``) gets the
clusters already read and is timed on its ``summarize`` calls only, after its
imports, in a fresh process of its own. The two alternate, ``--runs`` times
each, and the medians are compared: the machine is shared, and a run of either
can be slowed by other work.

    PYTHONPATH=src .venv/bin/python bench/speed.py --runs 3 [--write]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HEADING = "## Speed: evaluate end to end vs sumy"
WORDS = 100

_SUMY_ALONE = """
import sys, time
sys.path[:0] = [{src!r}, {repo!r}]
from bench.peers import available_peers
from newsdigest.evaluate.datasets import load_dataset
clusters = load_dataset({data!r})
peer = next(p for p in available_peers()[0] if p.name == "sumy LexRank")
peer.prepare()
start = time.perf_counter()
for cluster in clusters:
    peer.summarize(cluster, {words})
print(time.perf_counter() - start)
"""


def evaluate_seconds(data: Path) -> float:
    """Wall-clock seconds of one fresh ``newsdigest evaluate`` process, everything included."""
    command = [sys.executable, "-m", "newsdigest", "evaluate", str(data), "--words", str(WORDS)]
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    return time.perf_counter() - start


def sumy_seconds(data: Path) -> float:
    """Seconds sumy's LexRank spends in its summarize calls over the dataset (fresh process)."""
    code = _SUMY_ALONE.format(src=str(REPO / "src"), repo=str(REPO), data=str(data), words=WORDS)
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, env=dict(os.environ))
    return float(out.stdout.strip().splitlines()[-1])


def measure(data: Path, runs: int, log=lambda line: None) -> tuple[list[float], list[float]]:
    ours, sumy = [], []
    for run in range(runs):
        ours.append(evaluate_seconds(data))
        sumy.append(sumy_seconds(data))
        log(f"run {run + 1}: newsdigest evaluate {ours[-1]:.2f} s, sumy LexRank summarizing {sumy[-1]:.2f} s")
    return ours, sumy


def section(ours: list[float], sumy: list[float], clusters: int) -> str:
    ours_median, sumy_median = statistics.median(ours), statistics.median(sumy)
    runs = ", ".join(f"{a:.2f}/{b:.2f}" for a, b in zip(ours, sumy))
    return "\n".join(
        [
            HEADING,
            "",
            f"`bench/speed.py` (`PYTHONPATH=src .venv/bin/python bench/speed.py --runs {len(ours)} --write`):"
            f" `newsdigest evaluate ../shared/data/duc2003 --words {WORDS}` as a fresh process, start-up, reading,"
            " summarizing, ROUGE and printing included, against sumy's LexRank (its English stemmer and stop"
            " words) timed on its summarize calls alone, data already read. The two alternate; medians of"
            f" {len(ours)} runs each (per run, ours/sumy: {runs} s). The evaluate command reads the dataset and"
            " scores in two forked children while it summarizes (`newsdigest.evaluate.parallel`), so it uses both"
            " cores of this machine; the machine is shared with other work, so the absolute times move from run"
            " to run, the ratio less.",
            "",
            f"| {clusters} DUC 2003 clusters, {WORDS} words | seconds (median) |",
            "|---|---:|",
            f"| `newsdigest evaluate`, whole run | {ours_median:.2f} |",
            f"| sumy LexRank, summarizing alone | {sumy_median:.2f} |",
            f"| **ratio** | **{sumy_median / ours_median:.1f}x** |",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "duc2003")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="put the section into BENCHMARKS.md")
    args = parser.parse_args(argv)
    sys.path[:0] = [str(REPO / "src"), str(REPO)]
    from bench.batch import with_section
    from newsdigest.evaluate.datasets import count_clusters

    ours, sumy = measure(args.data, args.runs, log=lambda line: print(line, file=sys.stderr, flush=True))
    text = section(ours, sumy, count_clusters(args.data))
    if args.write:
        output = REPO / "BENCHMARKS.md"
        output.write_text(with_section(output.read_text(encoding="utf-8"), text, HEADING), encoding="utf-8")
        print(f"wrote {output}", file=sys.stderr)
    else:
        sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
