"""`newsdigest batch` throughput and memory: engines and worker counts side by side.

1. Throughput (clusters/s) on Multi-News dev (250 words) and DUC 2003 (100
   words) with the local engine at 1 and 2 workers and Dask (a LocalCluster of
   processes) at 2 workers. Each engine is started and warmed on the first two
   clusters first; the time is that of the whole dataset after that (startup is
   reported on its own). Targets: 2 workers >= 1.8x one; Dask within 15% of the
   local engine at the same count. Startup (engine start plus the warm-up
   run: processes, imports, models) is reported on its own.
2. A synthetic corpus of N clusters (real articles recombined: 2-6 random
   articles of DUC 2003, Multi-News dev and MultiLing 2011 each, seeded)
   digested end to end with Dask at 2 workers, with each worker's peak resident
   memory (getrusage on the worker) and the client's (the corpus is written by
   a child process, so the client's peak is that of the run).

Run: ``PYTHONPATH=src python bench/batch.py [--data DIR] [--synthetic 20000] [--markdown] [--write]``
(``--write`` puts the section into BENCHMARKS.md)
(the shared machine of this run: see BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from itertools import islice
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.scaling import document_pool  # noqa: E402
from newsdigest.apps.batch import Options, make_engine, run_batch  # noqa: E402
from newsdigest.apps.batch.inputs import dataset_jobs  # noqa: E402

DATASETS = (("Multi-News dev", "multinews/dev.jsonl", 250), ("DUC 2003", "duc2003", 100))
CONFIGS = (("local", 1), ("local", 2), ("dask", 2))
BATCH_SIZE = 4
WARM_UP = 2  # clusters digested before the clock starts
LOAD_AT_START = os.getloadavg()[0]  # a shared machine makes the numbers noisy: say how busy it was
HEADING = "## Batch"  # its section of BENCHMARKS.md (bench/run.py keeps it when it rewrites the file)


def peak_rss_mib() -> float:
    """This process's peak resident set size (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def start(engine: str, workers: int, options: Options):
    began = time.perf_counter()
    extra = {"dashboard_address": None} if engine == "dask" else {}
    runner = make_engine(engine, options, workers=workers, **extra)
    return runner, time.perf_counter() - began


def repeated_jobs(path: Path, repeat: int):
    """The dataset's jobs ``repeat`` times over, under ids made distinct (a longer, steadier measurement)."""
    for r in range(repeat):
        for job in dataset_jobs(path):
            yield replace(job, id=f"{job.id}#{r}") if repeat > 1 else job


def timed_run(path: Path, runner, out_dir: Path, label: str, repeat: int) -> tuple[float, float, int, int]:
    """Warm the workers on the first clusters, then time the whole dataset: (warm-up s, seconds, digested, failed)."""
    began = time.perf_counter()
    jobs = list(islice(dataset_jobs(path), WARM_UP))
    run_batch(jobs, out_dir / f"warm-{label}.jsonl", runner, batch_size=1)
    warm = time.perf_counter() - began
    began = time.perf_counter()
    result = run_batch(repeated_jobs(path, repeat), out_dir / f"{label}.jsonl", runner, batch_size=BATCH_SIZE)
    return warm, time.perf_counter() - began, result.digested, len(result.failed)


def throughput(data: Path, out_dir: Path, log, repeat: int = 1) -> list[dict]:
    rows = []
    for name, relative, words in DATASETS:
        path = data / relative
        if not path.exists():
            log(f"skip {name}: {path} is absent")
            continue
        options = Options(words=words)
        for engine, workers in CONFIGS:
            runner, startup = start(engine, workers, options)
            try:
                label = f"{relative.replace('/', '_')}-{engine}-{workers}"
                warm, seconds, digested, failed = timed_run(path, runner, out_dir, label, repeat)
            finally:
                runner.close()
            row = {"dataset": name, "engine": engine, "workers": workers, "clusters": digested + failed,
                   "failed": failed, "seconds": seconds, "startup": startup + warm, "rate": (digested + failed) / seconds}
            log(json.dumps(row))
            rows.append(row)
        check_same_digests(out_dir, relative, log)
    return rows


def check_same_digests(out_dir: Path, relative: str, log) -> None:
    """Every engine and worker count must give the same rows (the tests check this too)."""
    tables = []
    for engine, workers in CONFIGS:
        lines = (out_dir / f"{relative.replace('/', '_')}-{engine}-{workers}.jsonl").read_text().splitlines()
        tables.append({json.loads(line)["id"]: line for line in lines})
    log(f"{relative}: same digests across engines: {all(t == tables[0] for t in tables)}")


def write_synthetic(data: Path, path: Path, clusters: int, seed: int = 13) -> int:
    """``clusters`` clusters of 2-6 real articles drawn at random; returns the number of articles written."""
    pool = document_pool(data)
    rng = random.Random(seed)
    written = 0
    with path.open("w", encoding="utf-8") as handle:
        for k in range(clusters):
            picked = rng.sample(pool, rng.randint(2, 6))
            documents = [{"id": f"s{k}-{n}", "text": d.text, "title": d.title, "source": d.source} for n, d in enumerate(picked)]
            handle.write(json.dumps({"id": f"synthetic-{k:06d}", "documents": documents}) + "\n")
            written += len(documents)
    return written


def synthetic(data: Path, out_dir: Path, clusters: int, log) -> dict:
    corpus = out_dir / "synthetic.jsonl"
    # Written by a child process: the article pool must not count in this client's peak memory.
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as writer:
        articles = writer.submit(write_synthetic, data, corpus, clusters).result()
    log(f"synthetic corpus: {clusters} clusters, {articles} articles, {corpus.stat().st_size / 2**20:.0f} MiB")
    runner, startup = start("dask", 2, Options(words=100))
    try:
        began = time.perf_counter()
        result = run_batch(dataset_jobs(corpus), out_dir / "synthetic-out.jsonl", runner, batch_size=BATCH_SIZE)
        seconds = time.perf_counter() - began
        worker_peaks = runner.client.run(peak_rss_mib)
    finally:
        runner.close()
    row = {"clusters": clusters, "articles": articles, "digested": result.digested, "failed": len(result.failed),
           "seconds": seconds, "startup": startup, "rate": clusters / seconds,
           "worker_peak_mib": sorted(worker_peaks.values()), "client_peak_mib": peak_rss_mib()}
    log(json.dumps(row))
    return row


def markdown(rows: list[dict], synth: dict | None, command: str) -> str:
    lines = [
        f"{HEADING}: `newsdigest batch` throughput by engine and worker count",
        "",
        f"Command: `{command}`. Each engine is started and warmed on two clusters before the clock starts;"
        f" batches of {BATCH_SIZE} clusters, the default method. Load average (1 min) at the start and the end:"
        f" {LOAD_AT_START:.1f} and {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.",
        "",
        "| dataset | engine | workers | clusters | seconds | clusters/s | vs 1 local worker | startup + warm-up s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        base = next(r for r in rows if r["dataset"] == row["dataset"] and r["engine"] == "local" and r["workers"] == 1)
        lines.append(
            f"| {row['dataset']} | {row['engine']} | {row['workers']} | {row['clusters']} | {row['seconds']:.1f} |"
            f" {row['rate']:.2f} | {row['rate'] / base['rate']:.2f}x | {row['startup']:.1f} |"
        )
    if synth:
        peaks = ", ".join(f"{p:.0f}" for p in synth["worker_peak_mib"])
        lines += [
            "",
            f"Synthetic corpus, end to end with Dask at 2 workers (100 words): {synth['clusters']:,} clusters"
            f" ({synth['articles']:,} real articles recombined), {synth['digested']:,} digested, {synth['failed']} failed,"
            f" {synth['seconds']:.0f} s ({synth['rate']:.2f} clusters/s); peak resident memory per worker"
            f" {peaks} MiB, client {synth['client_peak_mib']:.0f} MiB.",
        ]
    return "\n".join(lines) + "\n"


def section_of(text: str, heading: str = HEADING) -> str:
    """The section under ``heading`` (default: Batch) of a BENCHMARKS.md text, up to the next section ('' when absent)."""
    start = text.find("\n" + heading)
    if start < 0:
        return ""
    end = text.find("\n## ", start + 1)
    return text[start + 1 : end if end >= 0 else len(text)]


def with_section(text: str, section: str, heading: str = HEADING) -> str:
    """``text`` with its section under ``heading`` (default: Batch) replaced by ``section`` (appended when absent)."""
    if not section:
        return text
    old = section_of(text, heading)
    return text.replace(old, section) if old else text.rstrip("\n") + "\n\n" + section


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--synthetic", type=int, default=20_000, help="clusters in the synthetic corpus (0: skip)")
    parser.add_argument("--no-throughput", action="store_true")
    parser.add_argument("--repeat", type=int, default=1, help="digest each dataset this many times over per row")
    parser.add_argument("--markdown", action="store_true", help="print the BENCHMARKS.md section")
    parser.add_argument("--write", action="store_true", help="put the section into BENCHMARKS.md")
    args = parser.parse_args()

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="newsdigest-batch-bench-") as tmp:
        out_dir = Path(tmp)
        rows = [] if args.no_throughput else throughput(args.data, out_dir, log, args.repeat)
        synth = synthetic(args.data, out_dir, args.synthetic, log) if args.synthetic else None
    section = markdown(rows, synth, "PYTHONPATH=src python " + " ".join(["bench/batch.py", *sys.argv[1:]]))
    if args.markdown:
        print(section)
    if args.write:
        report = REPO / "BENCHMARKS.md"
        report.write_text(with_section(report.read_text(encoding="utf-8"), section), encoding="utf-8")
        log(f"wrote the Batch section of {report}")


if __name__ == "__main__":
    main()
