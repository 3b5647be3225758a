"""How much text each cleaning rule removes, over every article of ../shared/data.

A cleaning rule that eats real sentences loses news without a word, so this
report is read, not just run: for every rule it gives the articles it hit, the
characters it removed, and its largest single removal with an excerpt.
Articles are read the way the tool reads them (the DUC and Multi-News readers
of ``newsdigest.evaluate.datasets``, ``load_documents`` for the rest), with
:func:`newsdigest.ingest.clean.record_removals` logging every rule's matches::

    PYTHONPATH=src .venv/bin/python bench/cleaning_report.py            # markdown table
    PYTHONPATH=src .venv/bin/python bench/cleaning_report.py --top 5    # + the 5 largest removals per rule
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "src") not in sys.path:
    sys.path.insert(0, str(REPO / "src"))

from newsdigest.evaluate.datasets import load_dataset  # noqa: E402
from newsdigest.ingest import load_documents  # noqa: E402
from newsdigest.ingest.clean import CleanedArticle, Removal, record_removals  # noqa: E402

DATA = REPO.parent / "shared" / "data"
# (name, path under DATA, reader): every data set of ../shared/data.
DATASETS = (
    ("DUC 2003", "duc2003", "dataset"),
    ("Multi-News dev", "multinews/dev.jsonl", "dataset"),
    ("MultiLing 2011 (7 languages)", "multiling2011/SourceTexts", "documents"),
    ("stories dev", "stories/dev.jsonl", "documents"),
)
EXCERPT = 90


@dataclass
class RuleTotal:
    articles: int = 0
    chars: int = 0
    largest: list[Removal] = field(default_factory=list)


def cleaned_articles(path: Path, reader: str) -> list[CleanedArticle]:
    """Every clean_text call made while reading ``path``."""
    with record_removals() as log:
        if reader == "dataset":
            load_dataset(path)
        else:
            load_documents([path], duplicate_threshold=None)
    return log


def totals(articles: list[CleanedArticle], top: int) -> dict[str, RuleTotal]:
    by_rule: dict[str, RuleTotal] = {}
    for article in articles:
        per_article: dict[str, int] = {}
        for removal in article.removals:
            per_article[removal.rule] = per_article.get(removal.rule, 0) + removal.chars
            total = by_rule.setdefault(removal.rule, RuleTotal())
            total.largest = sorted(total.largest + [removal], key=lambda r: -r.chars)[:top]
        for rule, chars in per_article.items():
            by_rule[rule].articles += 1
            by_rule[rule].chars += chars
    return by_rule


def excerpt(text: str, width: int = EXCERPT) -> str:
    text = " ".join(text.split())
    text = text if len(text) <= width else text[: width - 1] + "…"
    return text.replace("|", "\\|").replace("`", "'")


def table(by_rule: dict[str, RuleTotal], articles: int, raw_chars: int) -> list[str]:
    rows = [
        f"{articles:,} articles, {raw_chars:,} characters before cleaning.",
        "",
        "| rule | articles hit | chars removed | largest removal | excerpt of the largest |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for name, total in sorted(by_rule.items(), key=lambda item: -item[1].chars):
        big = total.largest[0]
        rows.append(f"| {name} | {total.articles:,} | {total.chars:,} | {big.chars:,} | `{excerpt(big.text)}` |")
    return rows


def report(data: Path = DATA, top: int = 1) -> tuple[str, dict[str, RuleTotal]]:
    """The markdown report (a line per data set, then the table) and the totals per rule."""
    lines: list[str] = []
    everything: list[CleanedArticle] = []
    for name, relative, reader in DATASETS:
        if not (data / relative).exists():
            lines.append(f"- {name}: absent, skipped")
            continue
        articles = cleaned_articles(data / relative, reader)
        everything += articles
        removed = sum(r.chars for a in articles for r in a.removals)
        raw = sum(a.raw_chars for a in articles)
        lines.append(f"- {name}: {len(articles):,} articles, {removed:,} of {raw:,} characters removed ({removed / max(raw, 1):.2%})")
    by_rule = totals(everything, max(top, 1))
    lines += ["", *table(by_rule, len(everything), sum(a.raw_chars for a in everything))]
    return "\n".join(lines), by_rule


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="dataset folder")
    parser.add_argument("--top", type=int, default=1, help="also list the N largest removals of every rule")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"{args.data} is absent: the report needs ../shared/data", file=sys.stderr)
        return 1
    markdown, by_rule = report(args.data, args.top)
    print(markdown)
    if args.top > 1:
        for name, total in sorted(by_rule.items()):
            print(f"\n{name}:")
            for removal in total.largest:
                print(f"  {removal.chars:>6,}  {excerpt(removal.text, 300)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
