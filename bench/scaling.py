"""How the default method's time and memory grow with the size of one cluster.

A cluster of N sentences is built by concatenating real articles (DUC 2003,
Multi-News dev, MultiLing 2011 English) until N sentences are reached, the last
article cut at a sentence boundary. Those sets hold about 13,000 distinct
sentences; bigger clusters repeat articles under new ids (noted in the table).
Each size runs in a forked child (``summarize_isolated``), so the time is that
of one cold call of ``summarize_documents`` and the memory is that call's peak
resident-set growth, native memory (HiGHS) included.

Run alone: ``python bench/scaling.py [--data DIR] [--sizes 100,1000]``.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from newsdigest.evaluate.datasets import Cluster, load_dataset  # noqa: E402
from newsdigest.evaluate.runner import summarize_isolated  # noqa: E402
from newsdigest.evaluate.systems import NewsdigestSystem  # noqa: E402
from newsdigest.model import Document  # noqa: E402
from newsdigest.summarize.registry import DEFAULT_METHOD  # noqa: E402
from newsdigest.nlp.text import count_words, split_sentences  # noqa: E402

SIZES = (100, 1_000, 10_000, 50_000)
WORDS = 250
TIMEOUT = 300.0  # seconds per size: past this the method is reported too slow, not waited for
HUGE_RECORD = "multinews_4403"  # the 145,000-word record of multinews/dev.jsonl (a trade log)


@dataclass
class ScalingRow:
    label: str
    sentences: int
    words: int
    documents: int
    repeated: bool  # articles were reused to reach the size
    seconds: float
    peak_bytes: int
    error: str = ""


def document_pool(data: Path) -> list[Document]:
    """Every real article we have, DUC first, without the trade-log record."""
    pool: list[Document] = []
    for name in ("duc2003", "multinews/dev.jsonl", "multiling2011"):
        path = data / name
        if path.exists():
            for cluster in load_dataset(path):
                if cluster.id != HUGE_RECORD:
                    pool.extend(cluster.documents)
    return pool


def build_cluster(pool: list[Document], sentences: int) -> tuple[list[Document], bool]:
    """Articles from ``pool`` totalling exactly ``sentences`` sentences (by our splitter)."""
    if not pool:
        raise ValueError("no documents to build a cluster from")
    documents: list[Document] = []
    count, round_number, repeated = 0, 0, False
    while count < sentences:
        for doc in pool:
            spans = split_sentences(doc.text)
            if not spans:
                continue
            need = sentences - count
            text = doc.text if len(spans) <= need else doc.text[: spans[need - 1][1]]
            # Repeats get new ids: to the summarizer they are other outlets' copies.
            new_id = doc.id if round_number == 0 else f"{doc.id}#{round_number}"
            repeated = repeated or round_number > 0
            documents.append(replace(doc, id=new_id, text=text))
            count += min(len(spans), need)
            if count >= sentences:
                break
        round_number += 1
    return documents, repeated


def time_cluster(documents: list[Document], *, label: str, repeated: bool, method: str, timeout: float) -> ScalingRow:
    from newsdigest.pipeline import segment

    system = NewsdigestSystem(method)
    system.prepare()
    cluster = Cluster(id=label, documents=documents, references=["-"])
    summary, error, seconds, peak = summarize_isolated(system, cluster, words=WORDS, timeout=timeout, memory="rss")
    return ScalingRow(
        label=label,
        sentences=len(segment(documents)),
        words=sum(count_words(d.text) for d in documents),
        documents=len(documents),
        repeated=repeated,
        seconds=seconds,
        peak_bytes=peak,
        error=error,
    )


def run_scaling(
    data: Path,
    *,
    sizes=SIZES,
    method: str = DEFAULT_METHOD,
    timeout: float = TIMEOUT,
    huge_record: bool = True,
    progress=print,
) -> list[ScalingRow]:
    pool = document_pool(data)
    rows = []
    for size in sizes:
        documents, repeated = build_cluster(pool, size)
        row = time_cluster(documents, label=f"{size:,} sentences", repeated=repeated, method=method, timeout=timeout)
        progress(f"scaling: {row.label}: {row.seconds:.2f} s, {row.peak_bytes / 1e6:.0f} MB {row.error}")
        rows.append(row)
    huge_path = data / "multinews" / "dev.jsonl"
    if huge_record and huge_path.exists():
        record = [c for c in load_dataset(huge_path) if c.id == HUGE_RECORD]
        if record:
            row = time_cluster(
                record[0].documents, label=f"{HUGE_RECORD} (whole record)", repeated=False, method=method, timeout=timeout
            )
            progress(f"scaling: {row.label}: {row.seconds:.2f} s, {row.peak_bytes / 1e6:.0f} MB {row.error}")
            rows.append(row)
    return rows


def plot(rows: list[ScalingRow], path: Path, *, method: str = DEFAULT_METHOD) -> Path:
    import matplotlib

    matplotlib.use("Agg")  # no display on servers and CI
    import matplotlib.pyplot as plt

    grown = [r for r in rows if not r.error and "sentences" in r.label]
    fig, (ax_time, ax_mem) = plt.subplots(1, 2, figsize=(9, 3.6))
    xs = [r.sentences for r in grown]
    ax_time.plot(xs, [r.seconds for r in grown], marker="o")
    ax_time.set(xscale="log", yscale="log", xlabel="sentences in the cluster", ylabel="seconds", title="time")
    ax_mem.plot(xs, [r.peak_bytes / 1e6 for r in grown], marker="o", color="tab:orange")
    ax_mem.set(xscale="log", xlabel="sentences in the cluster", ylabel="MB", title="peak RSS growth")
    for ax in (ax_time, ax_mem):
        ax.grid(True, which="both", alpha=0.3)
    fig.suptitle(f"newsdigest '{method}' ({WORDS}-word summary) as one cluster grows")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def markdown_table(rows: list[ScalingRow]) -> str:
    lines = [
        "| cluster | sentences | words | articles | seconds | peak RSS growth (MB) | note |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        note = r.error or ("articles repeated to reach the size" if r.repeated else "")
        lines.append(
            f"| {r.label} | {r.sentences:,} | {r.words:,} | {r.documents:,} | {r.seconds:.2f} | {r.peak_bytes / 1e6:.0f} | {note} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--plot", type=Path, default=REPO / "bench" / "scaling.png")
    args = parser.parse_args(argv)
    rows = run_scaling(args.data, sizes=[int(s) for s in args.sizes.split(",")])
    print(markdown_table(rows))
    print(f"plot: {plot(rows, args.plot)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
