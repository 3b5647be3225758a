"""`newsdigest batch --stories` at scale: time per stage on a synthetic stream.

The stream is bench/stories.py's: real sentences of stories/dev.jsonl
recombined into planted stories of 3-20 articles over 2020, written here as
JSON lines. Stages, as ``newsdigest batch STREAM --stories`` runs them:

* read: the client reads and cleans the stream (``read_stream``);
* group: the time windows grouped on the local engine's worker processes
  (``group_sharded``: a first pass for the document frequencies, then the rounds);
* build: copies folded, stories named and ranked, furniture found and dropped;
* digest: the first ``--digest-sample`` stories digested by the same engine
  (stories/s; the time for all stories at that rate is an estimate, marked so).

With ``--compare`` the one-pass grouping (``group_documents``) runs on the same
articles: its time, and the B-cubed F1 of the sharded grouping taking the
one-pass grouping as the truth (1.000: the same stories).

Run: ``python bench/stories_scale.py --size 100000 --workers 2 [--compare] [--write]``
(``--write`` adds a row to the "Stories at scale" section of BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
for path in (REPO, REPO / "src"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from bench.stories import DEFAULT_DATA, sentence_pools, synthetic_stream, vm_kib  # noqa: E402

SECTION = "## Stories at scale"
HEADER = [
    "| articles | workers | window days | rounds | stories | read s | group s | build s | furniture sentences "
    "| digest stories/s (sample) | digest all, estimated s | one-pass group s | B³ F1 vs one pass | client peak MiB |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
]


def write_stream(dataset: Path, size: int, target: Path) -> None:
    pools = sentence_pools(dataset)
    with target.open("w", encoding="utf-8") as handle:
        for document in synthetic_stream(pools, size):
            record = {"id": document.id, "source": document.source, "date": document.date.isoformat(), "text": document.text}
            handle.write(json.dumps(record) + "\n")


def run(args) -> dict:
    from newsdigest.apps.batch.run import make_engine, run_batch
    from newsdigest.apps.batch.stories import StoryStages, group_stream, read_stream, story_jobs
    from newsdigest.apps.batch.tasks import Options

    result = {"size": args.size, "workers": args.workers, "window_days": args.window_days, "rounds": args.rounds}
    with tempfile.TemporaryDirectory() as tmp:
        stream = Path(tmp) / "stream.jsonl"
        write_stream(args.data / "stories" / "dev.jsonl", args.size, stream)
        engine = make_engine("local", Options(words=100), workers=args.workers)
        try:
            start = time.perf_counter()
            documents, problems = read_stream(stream)
            stages = StoryStages(seconds={"read": time.perf_counter() - start})
            assert not problems, problems[:3]
            stories = group_stream(documents, engine, window_days=args.window_days, rounds=args.rounds, stages=stages)
            result.update(stories=stages.stories, furniture=stages.furniture, **{f"{k}_s": v for k, v in stages.seconds.items()})
            sample = list(islice(story_jobs(stories), args.digest_sample))
            start = time.perf_counter()
            outcome = run_batch(sample, Path(tmp) / "out.jsonl", engine)
            seconds = time.perf_counter() - start
            result["digest_sample"] = len(sample)
            result["digest_failed"] = len(outcome.failed)
            result["digest_stories_per_s"] = len(sample) / seconds
            result["digest_all_estimated_s"] = len(stories) / result["digest_stories_per_s"]
        finally:
            engine.close()
        if args.compare:
            from newsdigest.evaluate.story_metrics import score_grouping
            from newsdigest.stories import group_documents

            start = time.perf_counter()
            one_pass = group_documents(documents)
            result["one_pass_s"] = time.perf_counter() - start
            key = {a.id: s.id for s in stories for a in s.articles}
            for story in stories:
                for article in story.articles:
                    for copy in article.copies:
                        key[copy.id] = story.id
            result["f1_vs_one_pass"] = score_grouping([key[d.id] for d in documents], list(one_pass.story)).bcubed_f1
    result["client_peak_mib"] = vm_kib("VmHWM") / 1024
    result["load"] = Path("/proc/loadavg").read_text().split()[0]
    return result


def table_row(r: dict) -> str:
    def opt(key, fmt):
        return format(r[key], fmt) if key in r else "not run"

    return (
        f"| {r['size']:,} | {r['workers']} | {r['window_days']} | {r['rounds'] or 'until stable'} | {r['stories']:,} "
        f"| {r['read_s']:.0f} | {r['group_s']:.0f} | {r['build_s']:.0f} | {r['furniture']} "
        f"| {r['digest_stories_per_s']:.2f} ({r['digest_sample']}) | ~{r['digest_all_estimated_s']:,.0f} "
        f"| {opt('one_pass_s', '.0f')} | {opt('f1_vs_one_pass', '.3f')} | {r['client_peak_mib']:,.0f} |"
    )


def dev_table(data: Path, settings: list[tuple[int, int | None]]) -> list[str]:
    """B-cubed F1 on stories/dev.jsonl: one pass, and sharded at each (window days, rounds)."""
    from newsdigest.evaluate.stories import load_story_dataset
    from newsdigest.evaluate.story_metrics import score_grouping
    from newsdigest.stories import group_documents
    from newsdigest.stories.sharded import group_sharded, time_windows

    documents, gold = load_story_dataset(data / "stories" / "dev.jsonl")
    start = time.perf_counter()
    one_pass = group_documents(documents)
    seconds = time.perf_counter() - start
    lines = [
        f"`python bench/stories_scale.py --dev` on stories/dev.jsonl ({len(documents)} articles, "
        f"{sum(d.date is None for d in documents)} undated), windows grouped in this process:",
        "",
        "| grouping | windows | B³ F1 | same story as one pass (B³ F1) | seconds |",
        "|---|---|---|---|---|",
        f"| one pass | 1 | {score_grouping(list(one_pass.story), gold).bcubed_f1:.4f} | 1.0000 | {seconds:.1f} |",
    ]
    for days, rounds in settings:
        start = time.perf_counter()
        sharded, _ = group_sharded(documents, window_days=days, rounds=rounds)
        seconds = time.perf_counter() - start
        windows = len(time_windows([d.date for d in documents], days))
        lines.append(
            f"| {days}-day windows, {rounds or 'rounds until stable (--exact)'}{' rounds' if rounds else ''} | {windows} "
            f"| {score_grouping(list(sharded.story), gold).bcubed_f1:.4f} "
            f"| {score_grouping(list(sharded.story), list(one_pass.story)).bcubed_f1:.4f} | {seconds:.1f} |"
        )
        print(lines[-1], flush=True)
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--window-days", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=2, help="0: until stable (the one-pass result)")
    parser.add_argument("--digest-sample", type=int, default=100)
    parser.add_argument("--compare", action="store_true")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--dev", action="store_true", help="print the stories/dev.jsonl table instead")
    args = parser.parse_args(argv)
    args.rounds = args.rounds or None
    if args.dev:
        print("\n".join(dev_table(args.data, [(30, 1), (30, 2), (30, 3), (365, 2), (365, None)])))
        return 0
    result = run(args)
    print(json.dumps(result), flush=True)
    row = table_row(result)
    print(row)
    if args.write:
        target = REPO / "BENCHMARKS.md"
        current = target.read_text(encoding="utf-8")
        if SECTION not in current:
            intro = [
                "",
                SECTION,
                "",
                "`python bench/stories_scale.py --size N --workers 2 --compare --write`: a synthetic stream (bench/stories.py's:"
                " real dev sentences recombined into planted stories over 2020) through `newsdigest batch --stories` stage by"
                " stage, local engine. Digest time is measured on a sample of stories; the time for all is that rate times"
                " the number of stories (an estimate). Wall-clock seconds on a 2-core machine shared with other jobs"
                f" (load average {result['load']} at the end of the first run, {dt.date.today().isoformat()}).",
                "",
                *HEADER,
            ]
            current = current.rstrip("\n") + "\n" + "\n".join(intro) + "\n"
        head, rest = current.split(SECTION, 1)
        tail = rest.split("\n## ", 1)
        body = tail[0].rstrip("\n") + "\n" + row + "\n"
        current = head + SECTION + body + ("\n## " + tail[1] if len(tail) > 1 else "")
        target.write_text(current, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
