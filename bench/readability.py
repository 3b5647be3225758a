"""Readability of digests on the dev sets: references left hanging, and facts told twice.

Definitions (the same functions the default method uses, in
``src/newsdigest/summarize/cohesion.py``):

* **unresolved opener**: a digest sentence that needs an antecedent (it opens
  with a pronoun, a connective such as But/Also/However, or a bare definite
  reference such as "the official"/"the report", or attributes itself to "he"
  or "the official") and is *not* preceded in the digest by the sentence right
  before it in its own article. Reported as a share of all digest sentences,
  and separately as the number of digests that *open* with one.
* **repeated pair**: two sentences of one digest that report the same fact:
  lower-case content words (what happened) overlapping by at least three stems and half of the shorter sentence, the same actors
  (a shared capitalised name, or none in either), and figures that do not tell
  them apart (some pair within a factor 1.5). Reported as a count and per 50
  digests.

Every digest is made by ``summarize_documents`` exactly as a user gets it::

    .venv/bin/python bench/readability.py                 # the default method, three dev sets
    .venv/bin/python bench/readability.py --method lead --show 5   # + examples of each problem
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "src") not in sys.path:
    sys.path.insert(0, str(REPO / "src"))

from newsdigest.evaluate.datasets import load_dataset  # noqa: E402
from newsdigest.pipeline import summarize_documents  # noqa: E402
from newsdigest.summarize.cohesion import repeated_pairs, unresolved_positions  # noqa: E402

DATA = REPO.parent / "shared" / "data"
DEV_SETS = (
    ("DUC 2003", "duc2003", 100),
    ("Multi-News dev", "multinews/dev.jsonl", 250),
    ("MultiLing 2011 en", "multiling2011", 250),
)


def measure(clusters, words: int, *, method: str = "ilp", options: dict | None = None, show: int = 0) -> dict:
    """Counts over the digests of ``clusters``; prints up to ``show`` examples of each problem."""
    sentences = unresolved = opening = pairs = 0
    examples_open, examples_pair = [], []
    for cluster in clusters:
        digest = summarize_documents(cluster.documents, words=words, method=method, **(options or {}))
        ordered = [d.sentence for d in digest.sentences]
        bad = unresolved_positions(ordered)
        sentences += len(ordered)
        unresolved += len(bad)
        opening += bool(bad and bad[0] == 0)
        examples_open += [(cluster.id, ordered[k].text) for k in bad]
        found = repeated_pairs([s.text for s in ordered])
        pairs += len(found)
        examples_pair += [(cluster.id, ordered[i].text, ordered[j].text) for i, j in found]
    for cid, text in examples_open[:show]:
        print(f"  unresolved [{cid}]: {text}", file=sys.stderr)
    for cid, a, b in examples_pair[:show]:
        print(f"  repeated [{cid}]:\n    {a}\n    {b}", file=sys.stderr)
    n = len(clusters)
    return {
        "digests": n,
        "sentences": sentences,
        "unresolved": unresolved,
        "unresolved_share": unresolved / max(sentences, 1),
        "opening_unresolved": opening,
        "repeated_pairs": pairs,
        "pairs_per_50": 50 * pairs / max(n, 1),
    }


def table(rows) -> str:
    """Markdown table of (label, set name, measure() result) rows."""
    lines = [
        "| method | dev set | digests | sentences | unresolved openers | digests opening with one | repeated pairs (per 50 digests) |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for label, name, r in rows:
        lines.append(
            f"| {label} | {name} | {r['digests']} | {r['sentences']} | {r['unresolved']} ({100 * r['unresolved_share']:.1f}%) "
            f"| {r['opening_unresolved']} | {r['repeated_pairs']} ({r['pairs_per_50']:.1f}) |"
        )
    return "\n".join(lines) + "\n"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--method", action="append", help="method(s) to measure (default: ilp and lead)")
    parser.add_argument("--show", type=int, default=0, help="print N examples of each problem per set (stderr)")
    args = parser.parse_args(argv)
    rows = []
    datasets = [(name, load_dataset(args.data / path), words) for name, path, words in DEV_SETS]
    for method in args.method or ["ilp", "lead"]:
        for name, clusters, words in datasets:
            rows.append((method, name, measure(clusters, words, method=method, show=args.show)))
    print(table(rows))


if __name__ == "__main__":
    main()
