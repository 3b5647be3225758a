"""Where the story grouping goes wrong on stories/dev.jsonl: merged and split gold stories.

Run: ``python bench/story_errors.py [--data DIR] [--top N]``. For every found
story holding articles of more than one gold story ("merged") and every gold
story spread over more than one found story ("split"), it lists the parts with
their sizes and a headline or lead. Diagnostic only: it reads the gold labels
after the grouping, which never sees them.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
for path in (REPO, REPO / "src"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from newsdigest.evaluate.stories import load_story_dataset  # noqa: E402
from newsdigest.evaluate.story_metrics import score_grouping  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data"


def headline(document, width: int = 70) -> str:
    text = document.title.strip() or " ".join(document.text.split()[:14])
    return " ".join(text.split())[:width]


def lost_pairs(parts: Counter) -> int:
    """Pairs of articles that the split (or merge) puts on the wrong side."""
    total = sum(parts.values())
    return (total * total - sum(n * n for n in parts.values())) // 2


def report(documents, gold, predicted, top: int) -> str:
    found: dict[str, list[int]] = defaultdict(list)
    truth: dict[str, list[int]] = defaultdict(list)
    for i, (label, key) in enumerate(zip(gold, predicted)):
        found[key].append(i)
        truth[label].append(i)
    lines = []
    scores = score_grouping(predicted, gold)
    lines.append(f"B3 P {scores.bcubed_precision:.3f} R {scores.bcubed_recall:.3f} F1 {scores.bcubed_f1:.3f}; "
                 f"{scores.stories_found} found / {scores.stories_gold} gold")
    merged = []
    for key, members in found.items():
        parts = Counter(gold[i] for i in members)
        if len(parts) > 1:
            merged.append((lost_pairs(parts), key, parts))
    merged.sort(key=lambda x: (-x[0], x[1]))
    lines.append(f"\nMERGED: {len(merged)} found stories mix gold stories (wrong pairs inside)")
    for cost, key, parts in merged[:top]:
        lines.append(f"  [{cost} pairs] found story of {sum(parts.values())}:")
        for label, n in parts.most_common():
            example = next(i for i in found[key] if gold[i] == label)
            lines.append(f"     {n:3d} of {len(truth[label]):3d} {label:28s} {headline(documents[example])}")
    split = []
    for label, members in truth.items():
        parts = Counter(predicted[i] for i in members)
        if len(parts) > 1:
            split.append((lost_pairs(parts), label, parts))
    split.sort(key=lambda x: (-x[0], x[1]))
    lines.append(f"\nSPLIT: {len(split)} gold stories spread over several found stories (pairs missed)")
    for cost, label, parts in split[:top]:
        lines.append(f"  [{cost} pairs] {label} ({len(truth[label])} articles):")
        for key, n in parts.most_common():
            inside = Counter(gold[i] for i in found[key])
            example = next(i for i in found[key] if gold[i] == label)
            others = sum(inside.values()) - inside[label]
            lines.append(f"     {n:3d} in a found story of {sum(inside.values()):3d} (+{others} other) "
                         f"{documents[example].date or '-'} {headline(documents[example])}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args(argv)
    from newsdigest.stories import group_documents

    documents, gold = load_story_dataset(args.data / "stories" / "dev.jsonl")
    grouping = group_documents(documents)
    print(report(documents, gold, list(grouping.story), args.top))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
