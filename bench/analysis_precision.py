"""Precision of the cross-source analysis against hand-checked facts.

tests/fixtures/analysis_checked.json holds, for the Syria seeds and three DUC
2003 clusters, every claim the analysis made when it was checked by hand, with
the answers a reader checking the articles accepts:

- quotes: the speaker shown for each quotation (a name, a description the
  article gives, or words kept as written and marked unresolved when the
  article names nobody better);
- figure groups: the verdict, or no accepted verdict when the group mixes
  different quantities (another place, another count);
- events: the ISO date of each dated timeline row.

Precision of a section = claims whose answer is accepted / claims judged.
A claim the fixture does not know (the analysis changed since) is counted as
unjudged and listed, so the check can be redone.

    python bench/analysis_precision.py            # table for BENCHMARKS.md
    python bench/analysis_precision.py --draft d30010t > draft.json   # claims to check by hand
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHECKED = REPO / "tests" / "fixtures" / "analysis_checked.json"
SHARED_DATA = REPO.parent / "shared" / "data"
SECTIONS = ("quotes", "figure_groups", "events")


def cluster_path(name: str, shared_data: Path = SHARED_DATA) -> Path:
    """examples/<name> for the seeds, else a DUC 2003 cluster of the shared data."""
    seed = REPO / "examples" / name
    return seed if seed.is_dir() else shared_data / "duc2003" / "docs" / name


def claims(analysis) -> dict[str, dict[str, object]]:
    """What the analysis says, per section, under keys a hand check can name."""
    quotes = {
        f"{q.sources[0].doc_id}|{q.sources[0].sentence_index}|{' '.join(q.text.split()[:8])}": q.speaker
        for q in analysis.quotes
        if q.speaker
    }
    groups = {
        g.label + "|" + " ".join(sorted(f"{s.doc_id}:{s.sentence_index}" for s in g.statements)): g.verdict
        for g in analysis.figure_groups
    }
    events = {
        f"{t.sources[0].doc_id}|{t.sources[0].sentence_index}|{t.date_text}": t.date for t in analysis.timeline if t.date
    }
    return {"quotes": quotes, "figure_groups": groups, "events": events}


def score(found: dict[str, dict[str, object]], checked: dict[str, dict[str, list]]) -> dict[str, dict]:
    """Per section: correct, judged, and the keys of wrong and unjudged claims."""
    result = {}
    for section in SECTIONS:
        accepted = checked.get(section, {})
        correct, wrong, unjudged = 0, [], []
        for key, value in found[section].items():
            if key not in accepted:
                unjudged.append(key)
            elif value in accepted[key]:
                correct += 1
            else:
                wrong.append(key)
        result[section] = {"correct": correct, "judged": correct + len(wrong), "wrong": wrong, "unjudged": unjudged}
    return result


def analyse(path: Path):
    from newsdigest.analyze import analyze_documents
    from newsdigest.ingest import load_documents

    documents, _problems = load_documents([path])
    return analyze_documents(documents)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--draft", metavar="CLUSTER", help="print the claims of one cluster as a fixture to check by hand")
    args = parser.parse_args(argv)
    if args.draft:
        found = claims(analyse(cluster_path(args.draft)))
        print(json.dumps({s: {k: [v] for k, v in found[s].items()} for s in SECTIONS}, indent=1, ensure_ascii=False))
        return 0
    fixture = json.loads(CHECKED.read_text(encoding="utf-8"))
    totals = {group: {s: [0, 0] for s in SECTIONS} for group in ("checked while fixing", "held out")}
    print("| cluster | quotes (speaker right) | figure groups (grouping and verdict right) | dated events (date right) |")
    print("|---|---|---|---|")
    for name, checked in fixture["clusters"].items():
        path = cluster_path(name)
        if not path.is_dir():
            print(f"| {name} | (absent: {path}) | | |")
            continue
        result = score(claims(analyse(path)), checked)
        group = "held out" if checked.get("held_out") else "checked while fixing"
        cells = []
        for s in SECTIONS:
            r = result[s]
            totals[group][s][0] += r["correct"]
            totals[group][s][1] += r["judged"]
            extra = f", {len(r['unjudged'])} unjudged" if r["unjudged"] else ""
            cells.append(f"{r['correct']}/{r['judged']}{extra}")
            for key in r["wrong"]:
                print(f"wrong {name} {s}: {key}", file=sys.stderr)
            for key in r["unjudged"]:
                print(f"unjudged {name} {s}: {key}", file=sys.stderr)
        print(f"| {name}{' (held out)' if checked.get('held_out') else ''} | " + " | ".join(cells) + " |")
    for group, sections in totals.items():
        cells = [f"**{c}/{j} = {c / j:.0%}**" if j else "–" for c, j in sections.values()]
        print(f"| {group} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
