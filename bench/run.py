"""Side-by-side benchmark: every newsdigest method against sumy and lexrank.

One command runs every system on the same clusters through the same loop and
scorer (:func:`newsdigest.evaluate.runner.evaluate_system`), then the scaling
runs (``bench/scaling.py``), and writes BENCHMARKS.md::

    .venv/bin/python bench/run.py            # full run, ~10 minutes on 2 cores
    .venv/bin/python bench/run.py --quick    # 3 clusters per dataset, prints only

Each cluster is summarized in a child forked from this process (the parent
loads the data once and scores everything), so a per-cluster time limit stops
even a long call into C, and peak memory is the child's resident-set growth.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shlex
import sys
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import ablation, analysis_speed, cleaning_report, readability, scaling  # noqa: E402
from bench.peers import available_peers  # noqa: E402
from newsdigest.evaluate.datasets import Cluster, load_dataset  # noqa: E402
from newsdigest.evaluate.rouge import MEASURES, bootstrap_ci  # noqa: E402
from newsdigest.evaluate.isolation import run_in_child  # noqa: E402
from newsdigest.evaluate.results import EvaluationResult  # noqa: E402
from newsdigest.evaluate.runner import evaluate_system  # noqa: E402
from newsdigest.evaluate.systems import NewsdigestSystem  # noqa: E402
from newsdigest.summarize.registry import DEFAULT_METHOD, available_methods  # noqa: E402


@dataclass(frozen=True)
class Setting:
    """A dataset and the convention it is reported with."""

    name: str
    path: str  # relative to --data
    words: int
    metric: str
    # Fork a child per cluster: only where a peer must be stopped mid-call (the
    # 145,000-word Multi-News record). Elsewhere each system runs all clusters
    # in one fresh process, as `newsdigest evaluate` does, ``runs`` times.
    isolate: bool
    runs: int = 1


SETTINGS = (
    # Timings vary by ±20% from one run to the next on this machine: the median of three.
    Setting(name="DUC 2003 (task 2)", path="duc2003", words=100, metric="recall", isolate=False, runs=3),
    Setting(name="Multi-News dev sample", path="multinews/dev.jsonl", words=250, metric="f1", isolate=True),
)
QUICK_CLUSTERS = 3
TIMEOUT = 30.0  # seconds per cluster and system
MEASURE_HEADERS = {"rouge1": "R-1", "rouge2": "R-2", "rougeLsum": "R-Lsum"}


def all_systems() -> tuple[list, list[str]]:
    """newsdigest's methods (default first), then the peers that are installed."""
    peers, missing = available_peers()
    return [NewsdigestSystem(name) for name in available_methods()] + peers, missing


def in_child(function):
    """``function()`` run in a forked child process (:func:`run_in_child`); its result comes back."""
    outcome = run_in_child(function)
    if outcome.status != "done":
        raise RuntimeError("the benchmark's child process died")
    return outcome.value


def run_setting(
    clusters: list[Cluster],
    systems: list,
    *,
    words: int,
    metric: str,
    timeout: float | None,
    isolate: bool,
    runs: int = 1,
    log=print,
) -> list[EvaluationResult]:
    results = []
    for system in systems:
        fit = getattr(system, "fit_background", None)
        if fit is not None:
            fit(clusters)  # a background model, like a trained one: outside the timed runs
        def run_once():
            return evaluate_system(
                clusters, system, words=words, metric=metric, timeout=timeout, memory="rss", isolate=isolate,
                progress=sys.stderr.isatty(),
            )

        if isolate:
            result = run_once()
        else:
            # Each run in a fresh child: no cache survives from one run (or system) to the next.
            attempts = sorted((in_child(run_once) for _ in range(runs)), key=lambda r: r.seconds)
            result = attempts[len(attempts) // 2]
        log(
            f"  {system.name:<14} R-2 {100 * result.mean('rouge2'):5.2f}  "
            f"{result.clusters_per_second:7.2f} clusters/s  {len(result.failures)} failed"
        )
        results.append(result)
    return results


# --- report ---------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    ram = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    versions = []
    for package in ("newsdigest", "rouge-score", "sumy", "lexrank", "scipy", "numpy"):
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            pass
    return {
        "CPU": cpu or "unknown",
        "cores": str(os.cpu_count()),
        "RAM": ram or "unknown",
        "Python": platform.python_version(),
        "OS": f"{platform.system()} {platform.release()}",
        "packages": ", ".join(versions),
    }


def _cell(result: EvaluationResult, measure: str) -> str:
    low, high = result.ci(measure)
    return f"{100 * result.mean(measure):.2f} [{100 * low:.2f}, {100 * high:.2f}]"


def results_table(results: list[EvaluationResult]) -> str:
    header = ["system"] + [f"{MEASURE_HEADERS[m]} (95% CI)" for m in MEASURES]
    header += ["clusters/s", "peak RSS MB", "failed clusters"]
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 2) + "---|"]
    for r in results:
        failures = ", ".join(f"{c.id}: {c.error}" for c in r.failures) or "0"
        name = f"**{r.system}** (default)" if r.system == DEFAULT_METHOD else r.system
        row = [name] + [_cell(r, m) for m in MEASURES]
        row += [f"{r.clusters_per_second:.2f}", f"{(r.peak_memory or 0) / 1e6:.0f}", failures]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def common_table(results: list[EvaluationResult]) -> str:
    """Means over the clusters every system finished: the comparison without timeouts."""
    failed = {c.id for r in results for c in r.failures}
    if not failed:
        return ""
    if len(failed) == len(results[0].clusters):
        return "No cluster was finished by every system, so there is no common-set comparison."
    lines = [
        f"Over the {len(results[0].clusters) - len(failed)} clusters every system finished "
        f"(without {', '.join(sorted(failed))}):",
        "",
        "| system | " + " | ".join(MEASURE_HEADERS[m] + " (95% CI)" for m in MEASURES) + " |",
        "|---|" + "---:|" * len(MEASURES),
    ]
    for r in results:
        kept = [c for c in r.clusters if c.id not in failed]
        cells = []
        for m in MEASURES:
            values = [c.scores[m].get(r.metric) for c in kept]
            low, high = bootstrap_ci(values)
            cells.append(f"{100 * sum(values) / len(values):.2f} [{100 * low:.2f}, {100 * high:.2f}]")
        lines.append(f"| {r.system} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


ROUGE_NOTE = """\
**How to read the ROUGE figures.** Scores are Google's `rouge-score` 0.1.2
(`RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)`), ×100,
with sentences for ROUGE-Lsum split by newsdigest's own splitter. DUC: system
and references truncated to the first 100 words (as ROUGE-1.5.5 `-l 100`),
**recall**, averaged over the 4 references of a cluster, then over clusters.
Multi-News: **F1**, no truncation of the reference, the system within its
250-word budget. Brackets: 95% percentile bootstrap interval over clusters
(1,000 resamples, fixed seed). These are comparable in kind to the Perl
ROUGE-1.5.5 numbers papers print, not identical: tokenization and the Porter
stemmer differ slightly, stop words are kept (as in papers), and references are
averaged rather than jackknifed (`-f A` with jackknife). Expect agreement within
about half a point; smaller differences between papers and this table are noise.
"""

METHOD_NOTE = """\
**How systems are run.** Every system gets the same sentences (newsdigest's
splitter; sumy's tokenizer would need nltk punkt data) and the same word
budget. newsdigest methods run exactly as `summarize_documents` (selection,
reading order, citations). Peers rank all sentences and keep them best first
while they fit the budget, never cutting a sentence (`bench/peers.py`): sumy
0.13 LexRank, TextRank, LSA, Luhn with sumy's English stemmer and stop words;
the `lexrank` 0.1 package with scikit-learn's English stop words and threshold
0.1, once with IDF from the cluster's own documents and once with IDF fitted
beforehand (untimed) on every document of the dataset, as a background corpus.
On DUC 2003 each system runs all clusters one after another in one fresh
process forked from the benchmark (imports are shared, caches are not), as
`newsdigest evaluate` does, three times: timings vary by about 20% from run to
run on this machine, and the table shows the run of median time. On
Multi-News each cluster runs in a child forked from the benchmark process, so
that a peer still busy on the 145,000-word record can be stopped. **clusters/s** is clusters divided by the
summed summarizer time (data loading and scoring excluded; a stopped cluster
counts as its time limit); **peak RSS MB** is the largest growth of the
resident set over one cluster (Linux VmHWM after a reset; native memory such as
BLAS included; for a stopped cluster, the peak it had reached when stopped;
in-process, growth over the process's size before the system's first cluster,
so caches kept between clusters count). A cluster that takes longer than the
per-cluster limit is stopped, **scored as an empty summary**, and listed under
*failed clusters*.
"""


SCALING_NOTE = 'How it stays fast: concept weights are counted over every sentence (linear in the input), but only the first 15 sentences of each article may be chosen, and of those only the 100 with the most concept weight enter the exact search (branch and bound, dominated sentences dropped first), so the program does not grow with the input; citations compare the chosen sentences with all others in one sparse product. The 50,000-sentence cluster repeats articles (the datasets hold about 13,000 distinct sentences), so part of its per-sentence work hits caches: the 10,000-sentence row is the better guide to time per sentence.'


def render_markdown(
    *,
    command: str,
    started: dt.datetime,
    seconds: float,
    sections: list[tuple[Setting, int, list[EvaluationResult]]],
    scaling_rows: list[scaling.ScalingRow] | None,
    plot_path: str | None,
    analysis_timing: tuple[float, list] | None = None,
    ablation_markdown: str | None = None,
    cleaning_markdown: str | None = None,
    readability_markdown: str | None = None,
    timeout: float | None,
    missing: list[str],
) -> str:
    info = machine()
    out = [
        "# Benchmarks",
        "",
        "Generated by `bench/run.py`; do not edit by hand. Reproduce with:",
        "",
        "```",
        command,
        "```",
        "",
        f"Run {started:%Y-%m-%d %H:%M} UTC, {seconds / 60:.1f} minutes in all.",
        "",
        "| machine | |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in info.items()],
        "",
    ]
    if missing:
        out += [f"Not installed, so not compared: {', '.join(missing)}.", ""]
    targets = targets_table(sections)
    if targets:
        out += [
            "## Targets of the default method, in this run",
            "",
            "The quality and speed targets set for the default method (issue: summary quality), each checked"
            " against the tables below.",
            "",
            targets,
            "",
        ]
    out += [ROUGE_NOTE, METHOD_NOTE.replace("per-cluster limit", f"per-cluster limit ({timeout:g} s)"), ""]
    for setting, n_clusters, results in sections:
        convention = (
            f"{setting.words} words, recall, truncated" if setting.metric == "recall" else f"{setting.words} words, F1"
        )
        out += [f"## {setting.name}: {n_clusters} clusters, {convention}", "", results_table(results), ""]
        common = common_table(results)
        if common:
            out += [common, ""]
    if scaling_rows:
        out += [
            f"## Scaling: the default method (`{DEFAULT_METHOD}`) as one cluster grows",
            "",
            "One cluster built from real DUC 2003, Multi-News and MultiLing articles,"
            f" summarized to {scaling.WORDS} words by `summarize_documents` in a fresh forked child"
            " (time: one call, segmentation to citations; memory: peak RSS growth).",
            "",
            SCALING_NOTE,
            "",
            scaling.markdown_table(scaling_rows),
            "",
        ]
        if plot_path:
            out += [f"![scaling]({plot_path})", ""]
    if ablation_markdown:
        out += [
            f"## Ablation: what each idea in `{DEFAULT_METHOD}` adds",
            "",
            "`bench/ablation.py`: each row changes one thing against the default (the reference row), on"
            " the three dev sets, with paired bootstrap intervals of the difference and leave-one-set-out"
            " results for settings with several values; the whole pipeline on the same clusters, in this"
            " process, after one warm-up pass. Every parameter is documented in"
            " `src/newsdigest/summarize/ilp.py`.",
            "",
            ablation_markdown,
        ]
    if readability_markdown:
        out += [
            "## Readability: references left hanging and facts told twice",
            "",
            "`bench/readability.py` (definitions in its docstring and in `src/newsdigest/summarize/cohesion.py`).",
            "",
            readability_markdown,
        ]
    if analysis_timing and analysis_timing[1]:
        out += [
            "## Cross-source analysis: time per DUC 2003 cluster",
            "",
            "`analyze_documents` (spaCy NER and parse, entity merging, quotes, figures, timeline,"
            " coverage) on each cluster, in the benchmark process (`bench/analysis_speed.py`).",
            "",
            analysis_speed.markdown_table(*analysis_timing),
            "",
        ]
    if cleaning_markdown:
        out += [
            "## Cleaning: characters removed per rule",
            "",
            "Every article of the dev data, read as the tool reads it, with what each cleaning rule removed"
            " (`PYTHONPATH=src .venv/bin/python bench/cleaning_report.py`; `--top N` lists the N largest removals of every rule, to read them).",
            "",
            cleaning_markdown,
            "",
        ]
    return "\n".join(out)


def _mean(result: EvaluationResult, measure: str, ids: set[str] | None = None) -> float:
    values = [getattr(c.scores[measure], result.metric) for c in result.clusters if ids is None or c.id in ids]
    return 100 * sum(values) / len(values)


def targets_table(sections) -> str:
    """Each target of the default method against this run's numbers; "" without the data."""
    by_setting = {setting.path: {r.system: r for r in results} for setting, _, results in sections}
    rows = []

    def row(target: str, measured: str, met: bool) -> None:
        rows.append(f"| {target} | {measured} | {'met' if met else '**not met**'} |")

    duc = by_setting.get("duc2003", {})
    if DEFAULT_METHOD in duc:
        ours = duc[DEFAULT_METHOD]
        r1, r2 = _mean(ours, "rouge1"), _mean(ours, "rouge2")
        row("DUC 2003, 100 words, recall: ROUGE-2 >= 11.5", f"{r2:.2f}", r2 >= 11.5)
        row("DUC 2003, 100 words, recall: ROUGE-1 >= 40.5", f"{r1:.2f}", r1 >= 40.5)
        if "sumy LexRank" in duc:
            ratio = ours.clusters_per_second / duc["sumy LexRank"].clusters_per_second
            row(
                "DUC 2003: the whole run >= 20x faster than sumy's LexRank",
                f"{ratio:.1f}x ({ours.clusters_per_second:.2f} vs {duc['sumy LexRank'].clusters_per_second:.2f} clusters/s)",
                ratio >= 20,
            )
    news = by_setting.get("multinews/dev.jsonl", {})
    if DEFAULT_METHOD in news and "lead" in news:
        ours, lead = news[DEFAULT_METHOD], news["lead"]
        for measure, label in (("rouge1", "ROUGE-1"), ("rouge2", "ROUGE-2")):
            gain = _mean(ours, measure) - _mean(lead, measure)
            row(f"Multi-News dev, 250 words, F1: {label} >= lead + 2", f"{_mean(ours, measure):.2f} vs lead {_mean(lead, measure):.2f} ({gain:+.2f})", gain >= 2)
        if "sumy LexRank" in news:
            peer = news["sumy LexRank"]
            finished = {c.id for c in peer.clusters if not c.error}
            for measure, label in (("rouge1", "ROUGE-1"), ("rouge2", "ROUGE-2")):
                mine, theirs = _mean(ours, measure, finished), _mean(peer, measure, finished)
                row(
                    f"Multi-News dev: {label} above sumy's LexRank (on the {len(finished)} clusters it finished)",
                    f"{mine:.2f} vs {theirs:.2f}",
                    mine > theirs,
                )
    if not rows:
        return ""
    return "\n".join(["| target | measured | |", "|---|---|---|", *rows])


# --- command --------------------------------------------------------------------



def section_key(heading_line: str) -> str:
    """What names a section: its heading up to the first colon ('## Speed: evaluate ...' -> 'Speed')."""
    return heading_line.removeprefix("## ").split(":", 1)[0].strip()


def with_other_sections(report: str, previous: str) -> str:
    """``report`` followed by every section of ``previous`` it does not write itself, in their order."""
    written = {section_key(line) for line in report.splitlines() if line.startswith("## ")}
    kept = [
        "## " + part.rstrip("\n")
        for part in previous.split("\n## ")[1:]
        if section_key(part.splitlines()[0]) not in written
    ]
    return "\n\n".join([report.rstrip("\n"), *kept]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="newsdigest against sumy and lexrank, side by side.")
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data", help="dataset folder")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_CLUSTERS} clusters per dataset, small scaling")
    parser.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds per cluster and system")
    parser.add_argument("--output", type=Path, default=None, help="markdown report (default: BENCHMARKS.md; none with --quick)")
    parser.add_argument("--plot", type=Path, default=None, help="scaling plot (default: bench/scaling.png; none with --quick)")
    parser.add_argument("--no-scaling", action="store_true", help="skip the scaling runs")
    parser.add_argument("--no-analysis", action="store_true", help="skip timing the cross-source analysis")
    parser.add_argument("--no-ablation", action="store_true", help="skip the ablation of the default method")
    args = parser.parse_args(argv)

    output = args.output or (None if args.quick else REPO / "BENCHMARKS.md")
    plot_path = args.plot or (None if args.quick else REPO / "bench" / "scaling.png")
    if not args.data.is_dir():
        print(f"error: {args.data}: no dataset folder (pass --data DIR)", file=sys.stderr)
        return 2

    command = "python bench/run.py" + "".join(" " + shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))
    started = dt.datetime.now(dt.timezone.utc)
    clock = time.perf_counter()
    systems, missing = all_systems()
    for note in missing:
        print(f"warning: {note} is not installed; left out", file=sys.stderr)

    sections = []
    loaded: dict[str, list[Cluster]] = {}
    for setting in SETTINGS:
        path = args.data / setting.path
        if not path.exists():
            print(f"warning: {path} is absent; {setting.name} skipped", file=sys.stderr)
            continue
        clusters = load_dataset(path, limit=QUICK_CLUSTERS if args.quick else None)
        print(f"{setting.name}: {len(clusters)} clusters, {setting.words} words, {setting.metric}", file=sys.stderr)
        results = run_setting(
            clusters,
            systems,
            words=setting.words,
            metric=setting.metric,
            timeout=args.timeout,
            isolate=setting.isolate,
            runs=setting.runs,
            log=lambda line: print(line, file=sys.stderr),
        )
        sections.append((setting, len(clusters), results))
        loaded[setting.path] = clusters

    scaling_rows = None
    if not args.no_scaling:
        sizes = (100, 1_000) if args.quick else scaling.SIZES
        scaling_rows = scaling.run_scaling(
            args.data, sizes=sizes, huge_record=not args.quick, progress=lambda line: print(line, file=sys.stderr)
        )
        if plot_path:
            scaling.plot(scaling_rows, plot_path)

    ablation_markdown = None
    readability_markdown = None
    if not args.no_ablation and not args.quick:
        print("ablation of the default method", file=sys.stderr)
        datasets = ablation.load_datasets(args.data, loaded)
        ablation_markdown = ablation.ablation_table(datasets, log=lambda line: print(line, file=sys.stderr))
        readability_markdown = readability.table(
            [(method, name, readability.measure(clusters, words, method=method))
             for method in ("ilp", "lead") for name, clusters, words, _ in datasets]
        )

    analysis_timing = None
    duc_docs = args.data / "duc2003" / "docs"
    if not args.no_analysis and duc_docs.is_dir():
        print("cross-source analysis, per DUC cluster", file=sys.stderr)
        analysis_timing = analysis_speed.measure(duc_docs, limit=QUICK_CLUSTERS if args.quick else None)
        print("  " + analysis_speed.summary_line(analysis_timing[1]), file=sys.stderr)

    print("cleaning: characters removed per rule", file=sys.stderr)
    cleaning_markdown, _ = cleaning_report.report(args.data)

    plot_link = None
    if plot_path and output:
        plot_link = os.path.relpath(plot_path, output.parent)
    report = render_markdown(
        command=command,
        started=started,
        seconds=time.perf_counter() - clock,
        sections=sections,
        scaling_rows=scaling_rows,
        analysis_timing=analysis_timing,
        ablation_markdown=ablation_markdown,
        cleaning_markdown=cleaning_markdown,
        readability_markdown=readability_markdown,
        plot_path=plot_link,
        timeout=args.timeout,
        missing=missing,
    )
    if output:
        if output.exists():  # sections other scripts write (Batch, Speed, Stories, ...) are kept as they are
            report = with_other_sections(report, output.read_text(encoding="utf-8"))
        output.write_text(report, encoding="utf-8")
        print(f"wrote {output}", file=sys.stderr)
    else:
        sys.stdout.write(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
