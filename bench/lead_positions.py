"""How much reference content sits at each position of an article, on the three dev sets.

For every candidate sentence (``candidate_positions``) the share of its stemmed
bigrams (stop words included, as ROUGE-2 counts them) that occur in one of the
cluster's references, averaged per candidate rank (how many candidates come
before it in its article; 10 stands for 10 and later). A set where rank 0 stands
out rewards lead choices (anchoring an article's opening); a flat profile does
not. Issue 12, round 3 (``docs/summaries.md``)::

    .venv/bin/python bench/lead_positions.py
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "src") not in sys.path:
    sys.path.insert(0, str(REPO / "src"))

from newsdigest.evaluate.datasets import load_dataset  # noqa: E402
from newsdigest.nlp.text import stems  # noqa: E402
from newsdigest.pipeline import segment  # noqa: E402
from newsdigest.summarize.candidates import candidate_positions, candidate_ranks  # noqa: E402

DATA = REPO.parent / "shared" / "data"
SETS = (("DUC 2003", "duc2003"), ("Multi-News dev", "multinews/dev.jsonl"), ("MultiLing en", "multiling2011"))
LAST_RANK = 10


def bigrams(text: str) -> list[tuple[str, str]]:
    words = stems(text)
    return list(zip(words, words[1:]))


def rank_profile(clusters) -> dict[int, tuple[float, int]]:
    """Candidate rank -> (share of its sentences' bigrams found in a reference, number of sentences)."""
    found: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for cluster in clusters:
        reference = {g for text in cluster.references for g in bigrams(text)}
        sentences = segment(cluster.documents)
        positions = candidate_positions(sentences)
        ranks = candidate_ranks(sentences, positions)
        for i in positions:
            grams = bigrams(sentences[i].text)
            if grams:
                cell = found[min(ranks[i], LAST_RANK)]
                cell[0] += sum(g in reference for g in grams)
                cell[1] += len(grams)
                cell[2] += 1
    return {r: (hit / total, n) for r, (hit, total, n) in sorted(found.items())}


def main() -> None:
    ranks = range(LAST_RANK + 1)
    print("| set | " + " | ".join(f"rank {r}" + ("+" if r == LAST_RANK else "") for r in ranks) + " |")
    print("|---|" + "---:|" * len(ranks))
    for name, path in SETS:
        profile = rank_profile(load_dataset(DATA / path))
        print(f"| {name} | " + " | ".join(f"{profile[r][0]:.3f}" if r in profile else "" for r in ranks) + " |")


if __name__ == "__main__":
    main()
