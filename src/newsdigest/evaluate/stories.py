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
from newsdigest.model import Document, Problem


def is_story_dataset(path: str | Path) -> bool:
    """True for a JSON lines file whose first record carries a gold ``story`` label."""
    p = Path(path)
    if not p.is_file():
        return False
    try:
        with p.open("rb") as handle:  # lines decoded one by one: a bad line further on is its own problem
            for raw in handle:
                if raw.strip():
                    record = json.loads(raw.decode("utf-8-sig"))
                    return isinstance(record, dict) and "story" in record and "text" in record
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return False


def load_story_dataset(path: str | Path, problems: list[Problem] | None = None) -> tuple[list[Document], list[str]]:
    """The articles of ``path`` and their gold story labels, position by position.

    Lines are read as the JSON lines reader reads them: a broken line, one that is not UTF-8, or an
    article that cannot be used is one problem (added to ``problems``) naming its line, and the
    others are still read.
    """
    from newsdigest.ingest.jsonl import parse_record

    p = Path(path)
    found: list[Problem] = []
    gold: dict[str, str] = {}
    documents: list[Document] = []
    for number, raw in enumerate(p.read_bytes().split(b"\n"), start=1):
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as error:
            found.append(Problem(str(p), f"line {number}: not UTF-8 (byte {error.start} of the line), line skipped"))
            continue
        articles, problem = parse_record(line, number=number, path=str(p), stem=p.stem)
        if problem is not None:
            found.append(problem)
        if not articles:
            continue
        record = json.loads(line)  # parse_record read it: it is an object
        if "id" in record and "story" in record:
            for article in articles:
                gold[article.id] = str(record["story"])
            documents.extend(articles)
        else:
            found.append(Problem(str(p), f"line {number}: no \"id\" or no \"story\" label, not scored"))
    if problems is not None:
        problems.extend(found)
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


def evaluate_grouping(
    path: str | Path, options=None, copy_options=None, problems: list[Problem] | None = None
) -> StoryEvaluation:
    """Group the articles of ``path`` (never reading ``story``) and score against it; what could not be
    read is added to ``problems``."""
    from newsdigest.stories import group_documents

    documents, gold = load_story_dataset(path, problems)
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
    problems: list[Problem] = []
    try:
        result = evaluate_grouping(dataset, problems=problems)
    except (ValueError, OSError) as problem:
        sys.stderr.write(f"newsdigest: error: {problem}\n")
        return 2
    finally:
        for problem in problems:
            sys.stderr.write(f"newsdigest: {problem}\n")
    if json_output:
        sys.stdout.write(json.dumps(result.to_dict(), indent=2) + "\n")
    else:
        sys.stdout.write(format_evaluation(result))
    return 0
