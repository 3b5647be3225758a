"""Ablation of the default method: what each idea adds, on each dev set.

Every row is the whole pipeline (segment, select, reading order, citations:
``summarize_documents``) on the same clusters, scored the same way:

* duc2003, 100 words, ROUGE recall (system and references cut to 100 words,
  averaged over a cluster's references, then over clusters);
* Multi-News dev sample, 250 words, ROUGE F1.

ROUGE is scored as everywhere else (:func:`newsdigest.evaluate.rouge.score_summary`).
``ms/cluster`` is wall time per cluster for ``summarize_documents`` (after
one warm-up pass, so caches such as the stemmer's are warm for every row
alike). ``bench/run.py`` puts the table in BENCHMARKS.md next to the peers;
alone it prints it::

    .venv/bin/python bench/ablation.py               # all rows, ~8 minutes
    .venv/bin/python bench/ablation.py --rows 3      # the first rows only
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from newsdigest.evaluate.datasets import load_dataset  # noqa: E402
from newsdigest.evaluate.rouge import score_summary  # noqa: E402
from newsdigest.pipeline import summarize_documents  # noqa: E402

DATA = REPO.parent / "shared" / "data"
SETTINGS = (
    ("DUC 2003", "duc2003", 100, "recall"),
    ("Multi-News dev", "multinews/dev.jsonl", 250, "f1"),
)

# The previous default, for the rows that rebuild it idea by idea.
PREVIOUS = {
    "dedupe_documents": False, "fill": False, "max_position": 0, "skip_conjunctions": "", "lead_bonus": 1.0,
}
LEAD_1 = {"lead_bonus": 1.0}  # the rows before the last step kept lead concepts at x2

# (label, method, options): each row adds one idea to the row before it,
# unless its label says "without" or "rejected" (one idea added to the row
# "candidates among first 15 sentences", then left out).
ROWS = (
    ("lead baseline", "lead", {}),
    ("LexRank (ours)", "lexrank", {}),
    ("ilp, older default: HiGHS MIP (G&F bigrams, df>=30% docs, lead bonus, 100 cand.)", "ilp", PREVIOUS | {"solver": "highs"}),
    ("ilp, local search only (greedy + add/swap/2-for-1 moves)", "ilp", PREVIOUS | {"solver": "local"}),
    ("ilp, branch and bound, df>=2 instead of 30% of docs", "ilp", PREVIOUS | {"min_document_fraction": 0.0}),
    ("ilp, branch and bound, without lead bonus", "ilp", PREVIOUS | {"lead_bonus": 0.0}),
    ("ilp, branch and bound, 50 candidates", "ilp", PREVIOUS | {"max_candidates": 50}),
    ("ilp, branch and bound + dominance, exact (previous default)", "ilp", PREVIOUS),
    ("+ exact-copy documents count once in df", "ilp", PREVIOUS | {"dedupe_documents": True}),
    ("+ fill the unused budget in lead order", "ilp", PREVIOUS | {"dedupe_documents": True, "fill": True, "fill_overlap": 1.0}),
    ("+ fill skips sentences >50% covered (near-duplicates)", "ilp", PREVIOUS | {"dedupe_documents": True, "fill": True}),
    ("+ candidates among first 15 sentences of each document", "ilp", LEAD_1 | {"skip_conjunctions": ""}),
    ("rejected: + tf term (weight += 0.5 per extra sentence)", "ilp", LEAD_1 | {"skip_conjunctions": "", "tf_weight": 0.5}),
    ("rejected: + unigram concepts (x0.3)", "ilp", LEAD_1 | {"skip_conjunctions": "", "unigram_weight": 0.3}),
    ("rejected: + first-sentence bonus 3 (sentence position prior)", "ilp", LEAD_1 | {"skip_conjunctions": "", "first_sentence_bonus": 3.0}),
    ("rejected: + no candidate opening with And/But/Or/So/Yet/Nor", "ilp", LEAD_1 | {"skip_conjunctions": "all"}),
    ("+ no quoted sentence opening with And/But/...", "ilp", LEAD_1),
    ("rejected: + first-sentence bonus 0.5", "ilp", LEAD_1 | {"first_sentence_bonus": 0.5}),
    ("rejected: + lead concepts from the first 3 sentences", "ilp", {"lead_sentences": 3}),
    ("rejected: + lead concepts x3 (lead_bonus 2.0)", "ilp", {"lead_bonus": 2.0}),
    ("**ilp (default): + lead concepts x2.75 (lead_bonus 1.75)**", "ilp", {}),
)


def run_row(clusters, words: int, metric: str, method: str, options: dict) -> tuple[float, float, float]:
    """Mean ROUGE-1, ROUGE-2 (x100) and milliseconds per cluster of one configuration."""
    r1 = r2 = seconds = 0.0
    for cluster in clusters:
        start = time.perf_counter()
        digest = summarize_documents(cluster.documents, words=words, method=method, **options)
        seconds += time.perf_counter() - start
        scores = score_summary(
            [s.text for s in digest.sentences], cluster.references, truncate=words if metric == "recall" else None
        )
        r1 += getattr(scores["rouge1"], metric)
        r2 += getattr(scores["rouge2"], metric)
    n = len(clusters)
    return 100 * r1 / n, 100 * r2 / n, 1000 * seconds / n


def ablation_table(datasets, *, rows=ROWS, log=None) -> str:
    """The markdown table; ``datasets``: (name, clusters, words, metric) tuples."""
    for _, clusters, words, _ in datasets:  # warm-up: imports, stemmer caches
        for cluster in clusters:
            summarize_documents(cluster.documents, words=words)
    lines = [
        "| row | " + " | ".join(f"{name} R-1 | {name} R-2 | {name} ms/cluster" for name, *_ in datasets) + " |",
        "|" + "---|" * (1 + 3 * len(datasets)),
    ]
    for label, method, options in rows:
        cells = [run_row(c, w, m, method, options) for _, c, w, m in datasets]
        if log:
            log(f"  {label}: " + ", ".join(f"{a:.2f}/{b:.2f}" for a, b, _ in cells))
        lines.append(f"| {label} | " + " | ".join(f"{a:.2f} | {b:.2f} | {ms:.1f}" for a, b, ms in cells) + " |")
    names = "; ".join(f"{name}: {w} words, {'recall' if m == 'recall' else 'F1'}" for name, _, w, m in datasets)
    return "\n".join(lines) + f"\n\n{names}; rouge-score with stemming.\n"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--rows", type=int, default=len(ROWS), help="run only the first N rows")
    args = parser.parse_args(argv)
    datasets = [(name, load_dataset(args.data / path), words, metric) for name, path, words, metric in SETTINGS]
    print(ablation_table(datasets, rows=ROWS[: args.rows], log=lambda line: print(line, file=sys.stderr, flush=True)))


if __name__ == "__main__":
    main()
