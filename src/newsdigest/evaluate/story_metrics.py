"""Scores of a story grouping against gold labels: B-cubed and pairwise.

B-cubed (Bagga & Baldwin 1998): for every article, precision is the share of
its predicted story that shares its gold story, recall the share of its gold
story that sits in its predicted story; both are averaged over articles. The
pairwise scores count pairs of articles put together.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class GroupingScores:
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    stories_found: int
    stories_gold: int
    articles: int

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def score_grouping(predicted: Sequence[str], gold: Sequence[str]) -> GroupingScores:
    """Scores of ``predicted`` story labels against ``gold`` labels, article by article."""
    if len(predicted) != len(gold):
        raise ValueError(f"{len(predicted)} predicted labels for {len(gold)} gold labels")
    if not gold:
        raise ValueError("no articles to score")
    joint = Counter(zip(predicted, gold))
    size_p = Counter(predicted)
    size_g = Counter(gold)
    n = len(gold)
    # Every article of a (predicted, gold) cell has the same B-cubed precision and recall.
    precision = sum(c * c / size_p[p] for (p, _), c in joint.items()) / n
    recall = sum(c * c / size_g[g] for (_, g), c in joint.items()) / n
    together = sum(_pairs(c) for c in joint.values())
    pairs_p = sum(_pairs(c) for c in size_p.values())
    pairs_g = sum(_pairs(c) for c in size_g.values())
    pair_p = together / pairs_p if pairs_p else 1.0
    pair_r = together / pairs_g if pairs_g else 1.0
    return GroupingScores(
        bcubed_precision=precision,
        bcubed_recall=recall,
        bcubed_f1=_f1(precision, recall),
        pairwise_precision=pair_p,
        pairwise_recall=pair_r,
        pairwise_f1=_f1(pair_p, pair_r),
        stories_found=len(size_p),
        stories_gold=len(size_g),
        articles=n,
    )
