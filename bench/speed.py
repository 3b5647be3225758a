"""Speed: the whole ``newsdigest evaluate`` run on DUC 2003 against sumy's LexRank summarizing alone.

``newsdigest evaluate ../shared/data/duc2003 --words 100`` runs as a user runs
it, in a fresh process: start-up, reading the dataset, summarizing, ROUGE and
the printed table are all in its wall-clock time. sumy's LexRank (English
stemmer and stop words, as its own CLI runs it; ``bench/peers.py``) gets the
clusters already read and is timed on its ``summarize`` calls only, after its
imports, in a fresh process of its own. The two alternate, ``--runs`` times
each, and the medians are compared: the machine is shared, and a run of either
can be slowed by other work. Each ``src/`` timed is byte-compiled first, as
an install compiles it (``make install`` runs the same ``compileall``; sumy's
modules in the venv were compiled by pip), so no run spends its time compiling.

    PYTHONPATH=src .venv/bin/python bench/speed.py --runs 3 [--write]
"""

from __future__ import annotations

import argparse
import os
import resource
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
start, cpu = time.perf_counter(), time.process_time()
for cluster in clusters:
    peer.summarize(cluster, {words})
print(time.perf_counter() - start, time.process_time() - cpu)
"""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def compile_sources(src: Path) -> None:
    """Byte-compile ``src`` in place (``__pycache__``, git-ignored), as ``make install`` does.

    compileall writes the bytecode even under PYTHONDONTWRITEBYTECODE (set here), which only stops
    imports from writing it; imports still read it while it is up to date.
    """
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(src)], check=True, capture_output=True)


def evaluate_seconds(data: Path, src: Path = REPO / "src") -> tuple[float, float]:
    """(wall-clock, CPU) seconds of one fresh ``newsdigest evaluate`` process (from ``src``), everything included."""
    command = [sys.executable, "-m", "newsdigest", "evaluate", str(data), "--words", str(WORDS)]
    cpu, start = _children_cpu(), time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(src)})
    return time.perf_counter() - start, _children_cpu() - cpu


def sumy_seconds(data: Path) -> tuple[float, float]:
    """(wall-clock, CPU) seconds sumy's LexRank spends in its summarize calls over the dataset (fresh process)."""
    code = _SUMY_ALONE.format(src=str(REPO / "src"), repo=str(REPO), data=str(data), words=WORDS)
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, env=dict(os.environ))
    wall, cpu = out.stdout.split()[-2:]
    return float(wall), float(cpu)


def measure(data: Path, runs: int, before: Path | None = None, log=lambda line: None) -> dict[str, list[tuple[float, float]]]:
    """(wall, CPU) seconds per run of: this checkout's evaluate, sumy, and the evaluate of ``before`` (another src/)."""
    times: dict[str, list[tuple[float, float]]] = {"ours": [], "sumy": [], "before": []}
    for src in [REPO / "src"] + ([before] if before is not None else []):
        compile_sources(src)
    for run in range(runs):
        times["ours"].append(evaluate_seconds(data))
        times["sumy"].append(sumy_seconds(data))
        if before is not None:
            times["before"].append(evaluate_seconds(data, before))
        line = ", ".join(f"{name} {wall:.2f} s ({cpu:.2f} s CPU)" for name, values in times.items() if values for wall, cpu in values[-1:])
        log(f"run {run + 1}: {line}")
    return times


def section(times: dict[str, list[tuple[float, float]]], clusters: int, before: str = "") -> str:
    def median(name: str, which: int) -> float:
        return statistics.median(v[which] for v in times[name])

    runs = len(times["ours"])
    rows = [
        ("`newsdigest evaluate`, whole run", "ours"),
        ("sumy LexRank, summarizing alone", "sumy"),
    ]
    if times["before"]:
        rows.append((f"`newsdigest evaluate` of {before}", "before"))
    table = [
        f"| {clusters} DUC 2003 clusters, {WORDS} words | wall seconds (median) | CPU seconds (median) | sumy / this |",
        "|---|---:|---:|---:|",
    ]
    for label, name in rows:
        table.append(
            f"| {label} | {median(name, 0):.2f} | {median(name, 1):.2f} |"
            f" {median('sumy', 0) / median(name, 0):.1f}x wall, {median('sumy', 1) / median(name, 1):.1f}x CPU |"
        )
    return "\n".join(
        [
            HEADING,
            "",
            f"`bench/speed.py` (`PYTHONPATH=src .venv/bin/python bench/speed.py --runs {runs}"
            + (" --before OTHER_CHECKOUT/src" if times["before"] else "")
            + " --write`):"
            f" `newsdigest evaluate ../shared/data/duc2003 --words {WORDS}` as a fresh process, start-up, reading,"
            " summarizing, ROUGE and printing included, against sumy's LexRank (its English stemmer and stop"
            " words) timed on its summarize calls alone, data already read. They alternate; medians of"
            f" {runs} runs each. CPU seconds: user + system time of the evaluate process and its children; of"
            " sumy's process while it summarizes. Each timed `src/` is byte-compiled first, as `make install`"
            " does. The evaluate command reads the dataset in a forked child,"
            " summarizes in its own process and in a second child, and scores in a third"
            " (`newsdigest.evaluate.parallel`), so with a second core free its wall time is well below its CPU"
            " time; on a machine busy with other work (as here: see the load) the wall-clock ratio falls toward"
            " the CPU ratio.",
            "",
            *table,
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "duc2003")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", type=Path, default=None, help="another checkout's src/ to time as well (e.g. main's)")
    parser.add_argument("--before-label", default="main before this branch", help="what --before is, for the table")
    parser.add_argument("--write", action="store_true", help="put the section into BENCHMARKS.md")
    args = parser.parse_args(argv)
    sys.path[:0] = [str(REPO / "src"), str(REPO)]
    from bench.batch import with_section
    from newsdigest.evaluate.datasets import count_clusters

    load = os.getloadavg()[0]
    times = measure(args.data, args.runs, args.before, log=lambda line: print(line, file=sys.stderr, flush=True))
    text = section(times, count_clusters(args.data), before=args.before_label)
    text = text.rstrip("\n") + f"\n\nLoad average (1 min) when the runs started: {load:.1f}, on {os.cpu_count()} cores.\n"
    if args.write:
        output = REPO / "BENCHMARKS.md"
        output.write_text(with_section(output.read_text(encoding="utf-8"), text, HEADING), encoding="utf-8")
        print(f"wrote {output}", file=sys.stderr)
    else:
        sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
