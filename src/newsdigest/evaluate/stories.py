"""``newsdigest evaluate`` on a story-grouping dataset: JSON lines with a gold ``story`` field.

The articles are read with the ordinary JSON lines reader (which ignores
``story``), grouped by :func:`newsdigest.stories.group_documents`, and the
labels are scored with :mod:`newsdigest.evaluate.story_metrics`. The time is
the grouping's alone (copies included), in articles per second.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from newsdigest.evaluate.story_metrics import GroupingScores, score_grouping
from newsdigest.model import Document


def is_story_dataset(path: str | Path) -> bool:
    """True for a JSON lines file whose first record carries a gold ``story`` label."""
    p = Path(path)
    if not p.is_file():
        return False
    try:
        with p.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    record = json.loads(line)
                    return isinstance(record, dict) and "story" in record and "text" in record
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return False


def load_story_dataset(path: str | Path) -> tuple[list[Document], list[str]]:
    """The articles of ``path`` and their gold story labels, position by position."""
    from newsdigest.ingest.jsonl import parse_jsonl

    p = Path(path)
    text = p.read_text(encoding="utf-8")
    gold: dict[str, str] = {}
    for line in text.splitlines():
        if line.strip():
            record = json.loads(line)
            if isinstance(record, dict) and "id" in record and "story" in record:
                gold[str(record["id"])] = str(record["story"])
    documents, _ = parse_jsonl(text, str(p))
    documents = [d for d in documents if d.id in gold]
    if not documents:
        raise ValueError(f"{p}: no article has both an id and a story label")
    if len({d.id for d in documents}) != len(documents):
        raise ValueError(f"{p}: article ids repeat; a grouping dataset needs unique ids")
    return documents, [gold[d.id] for d in documents]


@dataclass(frozen=True)
class StoryEvaluation:
    dataset: str
    scores: GroupingScores
    seconds: float

    @property
    def articles_per_second(self) -> float:
        return self.scores.articles / self.seconds if self.seconds else float("inf")

    def to_dict(self) -> dict:
        return {
            "dataset": self.dataset,
            "kind": "stories",
            **self.scores.to_dict(),
            "seconds": self.seconds,
            "articles_per_second": self.articles_per_second,
        }


def evaluate_grouping(path: str | Path, options=None, copy_options=None) -> StoryEvaluation:
    """Group the articles of ``path`` (never reading ``story``) and score against it."""
    from newsdigest.stories import group_documents

    documents, gold = load_story_dataset(path)
    start = time.perf_counter()
    grouping = group_documents(documents, options, copy_options)
    seconds = time.perf_counter() - start
    return StoryEvaluation(str(path), score_grouping(list(grouping.story), gold), seconds)


def format_evaluation(result: StoryEvaluation) -> str:
    s = result.scores
    return "\n".join(
        [
            f"Story grouping on {result.dataset} ({s.articles} articles)",
            f"B-cubed   precision {s.bcubed_precision:.3f}  recall {s.bcubed_recall:.3f}  F1 {s.bcubed_f1:.3f}",
            f"pairwise  precision {s.pairwise_precision:.3f}  recall {s.pairwise_recall:.3f}  F1 {s.pairwise_f1:.3f}",
            f"stories   found {s.stories_found}, gold {s.stories_gold}",
            f"speed     {result.articles_per_second:.0f} articles/s ({result.seconds:.2f} s grouping)",
        ]
    ) + "\n"


def evaluate_stories_command(dataset: str | Path, *, json_output: bool = False) -> int:
    """``newsdigest evaluate`` for a grouping dataset; returns the exit code."""
    try:
        result = evaluate_grouping(dataset)
    except (ValueError, OSError) as problem:
        sys.stderr.write(f"newsdigest: error: {problem}\n")
        return 2
    if json_output:
        sys.stdout.write(json.dumps(result.to_dict(), indent=2) + "\n")
    else:
        sys.stdout.write(format_evaluation(result))
    return 0
