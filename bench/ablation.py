"""Ablation of the default method: what each idea adds, on each dev set.

Every row is the whole pipeline (segment, select, reading order, citations:
``summarize_documents``) on the same clusters, scored the same way:

* duc2003, 100 words, ROUGE recall (system and references cut to 100 words,
  averaged over a cluster's references, then over clusters);
* Multi-News dev sample, 250 words, ROUGE F1.

ROUGE is Google's ``rouge-score`` with the Porter stemmer. ``ms/cluster`` is
wall time per cluster for ``summarize_documents`` (after one warm-up pass, so
caches such as the stemmer's are warm for every row alike); the sumy LexRank
row, run through ``bench/peers.py`` on the same clusters, gives the speed
reference. Prints a markdown table::

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

from rouge_score import rouge_scorer  # noqa: E402

from newsdigest.evaluate.datasets import load_dataset  # noqa: E402
from newsdigest.pipeline import summarize_documents  # noqa: E402

DATA = REPO.parent / "shared" / "data"
SETTINGS = (
    ("DUC 2003", "duc2003", 100, "recall"),
    ("Multi-News dev", "multinews/dev.jsonl", 250, "fmeasure"),
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


def _score(scorer, summary: str, references, words: int, metric: str) -> tuple[float, float]:
    if metric == "recall":
        summary = " ".join(summary.split()[:words])
        references = [" ".join(r.split()[:words]) for r in references]
    totals = [0.0, 0.0]
    for ref in references:
        result = scorer.score(ref, summary)
        totals[0] += getattr(result["rouge1"], metric)
        totals[1] += getattr(result["rouge2"], metric)
    return 100 * totals[0] / len(references), 100 * totals[1] / len(references)


def run_row(clusters, words: int, metric: str, method: str, options: dict, scorer) -> tuple[float, float, float]:
    texts, seconds = [], 0.0
    for cluster in clusters:
        start = time.perf_counter()
        digest = summarize_documents(cluster.documents, words=words, method=method, **options)
        seconds += time.perf_counter() - start
        texts.append(digest.text)
    r1 = r2 = 0.0
    for cluster, text in zip(clusters, texts):
        a, b = _score(scorer, text, cluster.references, words, metric)
        r1, r2 = r1 + a, r2 + b
    n = len(clusters)
    return r1 / n, r2 / n, 1000 * seconds / n


def run_sumy_lexrank(clusters, words: int, metric: str, scorer) -> tuple[float, float, float] | None:
    try:
        from bench.peers import SumyPeer, _sumy_factory
    except ImportError:
        return None
    peer = SumyPeer("sumy LexRank", _sumy_factory("sumy.summarizers.lex_rank.LexRankSummarizer"))
    peer.prepare()
    texts, seconds = [], 0.0
    for cluster in clusters:
        start = time.perf_counter()
        texts.append(" ".join(peer.summarize(cluster, words)))
        seconds += time.perf_counter() - start
    r1 = r2 = 0.0
    for cluster, text in zip(clusters, texts):
        a, b = _score(scorer, text, cluster.references, words, metric)
        r1, r2 = r1 + a, r2 + b
    n = len(clusters)
    return r1 / n, r2 / n, 1000 * seconds / n


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--rows", type=int, default=len(ROWS), help="run only the first N rows")
    parser.add_argument("--no-sumy", action="store_true", help="skip the sumy LexRank reference row")
    args = parser.parse_args(argv)

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    datasets = [(name, load_dataset(args.data / path), words, metric) for name, path, words, metric in SETTINGS]
    for _, clusters, words, _ in datasets:  # warm-up: imports, stemmer caches
        for cluster in clusters:
            summarize_documents(cluster.documents, words=words)

    results = {}
    rows = list(ROWS[: args.rows])
    for label, method, options in rows:
        results[label] = [run_row(c, w, m, method, options, scorer) for _, c, w, m in datasets]
        print(f"{label}: {results[label]}", file=sys.stderr, flush=True)
    if not args.no_sumy:
        # DUC only: the speed target is set there, and sumy's LexRank is
        # quadratic in sentences (minutes on Multi-News's 145,000-word record).
        sumy = [run_sumy_lexrank(c, w, m, scorer) if name == "DUC 2003" else None for name, c, w, m in datasets]
        if sumy[0]:
            rows.append(("sumy LexRank (speed reference)", "", {}))
            results["sumy LexRank (speed reference)"] = sumy

    head = "| row | " + " | ".join(
        f"{name} R-1 | {name} R-2 | {name} ms/cluster" for name, *_ in datasets
    ) + " |"
    print(head)
    print("|" + "---|" * (1 + 3 * len(datasets)))
    for label, *_ in rows:
        cells = []
        for cell in results[label]:
            cells += [f"{cell[0]:.2f}", f"{cell[1]:.2f}", f"{cell[2]:.1f}"] if cell else ["—"] * 3
        print(f"| {label} | " + " | ".join(cells) + " |")
    print()
    print("DUC 2003: 100 words, recall; Multi-News: 250 words, F1; rouge-score with stemming.")


if __name__ == "__main__":
    main()
