"""Story grouping side by side on stories/dev.jsonl, and at scale on a synthetic stream.

Quality (one run, the same articles for every system, none reads ``story``):

* ours: ``newsdigest.stories.group_documents`` (copies, one pass, second pass,
  defaults), and the same without the second pass (``reassign_rounds=0``);
* scikit-learn ``AgglomerativeClustering`` of TF-IDF vectors (cosine, average
  linkage), at the best distance threshold of a grid (an oracle choice: it
  sees the gold labels, so it is an upper bound for that baseline);
* a plain single-pass TF-IDF threshold clusterer (batch IDF, each article to
  the nearest cluster centroid or a new cluster), also at its best threshold;
* dense embeddings from models shipped inside PyPI packages (bench/dense.py,
  the optional extra ``embed``; skipped with a note when not installed, or
  with ``--no-dense``): agglomerative clustering of them, and ours with their
  cosine mixed into the one pass, each at the best point of a grid.

Speed counts the grouping only; "with start-up" runs ``newsdigest evaluate``
in a fresh interpreter (imports and reading included).

Scale: a synthetic dated stream of real sentences from the dev set recombined
into planted stories (3-20 articles each, spread over up to a week) across one
year, generated lazily; each size runs in a fresh child process that reports
articles per second of ``assign_stream`` and the peak resident set (VmHWM).

Run: ``python bench/stories.py [--data DIR] [--sizes 10000,100000] [--no-dense] [--write]``
(``--write`` replaces the "Stories" section of BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
for path in (REPO, REPO / "src"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from newsdigest.evaluate.stories import load_story_dataset  # noqa: E402
from newsdigest.evaluate.story_metrics import score_grouping  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data"
SECTION = "## Stories"


# --- baselines ------------------------------------------------------------------


def tfidf_matrix(documents):
    from newsdigest.nlp.similarity import tfidf_vectors

    return tfidf_vectors([f"{d.title}\n{d.text}" for d in documents])


def agglomerative(documents, gold, thresholds, vectors=None):
    """Best (threshold, scores, seconds) on a grid; ``vectors``: unit rows to cluster (default: TF-IDF, timed)."""
    import numpy as np
    from sklearn.cluster import AgglomerativeClustering

    start = time.perf_counter()
    if vectors is None:
        vectors = tfidf_matrix(documents)
    gram = vectors @ vectors.T
    distances = np.clip(1.0 - (gram.toarray() if hasattr(gram, "toarray") else gram), 0.0, 2.0)
    prepared = time.perf_counter() - start
    best = None
    for threshold in thresholds:
        t0 = time.perf_counter()
        labels = AgglomerativeClustering(
            n_clusters=None, metric="precomputed", linkage="average", distance_threshold=threshold
        ).fit_predict(distances)
        seconds = prepared + time.perf_counter() - t0
        scores = score_grouping([str(x) for x in labels], gold)
        if best is None or scores.bcubed_f1 > best[1].bcubed_f1:
            best = (threshold, scores, seconds)
    return best


def single_pass(documents, gold, thresholds):
    """Each article (stream order) joins the cluster whose centroid is nearest if cosine >= threshold."""
    import numpy as np

    from newsdigest.stories import stream_order

    order = stream_order(documents)
    start = time.perf_counter()
    vectors = tfidf_matrix([documents[i] for i in order]).tocsr()
    prepared = time.perf_counter() - start
    gram = (vectors @ vectors.T).toarray()  # dot products between articles
    best = None
    for threshold in thresholds:
        t0 = time.perf_counter()
        labels = np.full(len(order), -1)
        norms = []  # squared norm of each cluster's summed vector
        members: list[list[int]] = []
        for k in range(len(order)):
            label, top = -1, threshold
            for c, idx in enumerate(members):
                if norms[c] <= 0:
                    continue
                score = gram[k, idx].sum() / np.sqrt(norms[c])
                if score >= top:
                    label, top = c, score
            if label < 0:
                members.append([k])
                norms.append(gram[k, k])
                label = len(members) - 1
            else:
                norms[label] += 2 * gram[k, members[label]].sum() + gram[k, k]
                members[label].append(k)
            labels[k] = label
        seconds = prepared + time.perf_counter() - t0
        predicted = [""] * len(order)
        for position, i in enumerate(order):
            predicted[i] = str(labels[position])
        scores = score_grouping(predicted, gold)
        if best is None or scores.bcubed_f1 > best[1].bcubed_f1:
            best = (threshold, scores, seconds)
    return best


def ours(documents, gold, options=None):
    from newsdigest.stories import group_documents

    start, cpu = time.perf_counter(), time.process_time()
    grouping = group_documents(documents, options)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return score_grouping(list(grouping.story), gold), seconds, cpu, grouping


def split_half(documents, gold) -> list[str]:
    """Does a setting tuned on dev hold on stories it was not tuned on? B-cubed F1 on two halves of the gold stories.

    The halves are fixed by a hash of the gold label; each half is grouped on its own.
    """
    import hashlib

    from newsdigest.stories import GroupingOptions

    variants = [("defaults", GroupingOptions()), ("without merging small stories", GroupingOptions(merge_size=0)),
                ("one pass only", GroupingOptions(reassign_rounds=0))]
    halves = [[i for i, label in enumerate(gold) if hashlib.sha1(label.encode()).digest()[-1] % 2 == h] for h in (0, 1)]
    out = ["Split-half check (gold stories halved by a hash of their label; each half grouped alone):", "",
           "| variant | " + " | ".join(f"half {h + 1}: {len(idx)} articles, {len({gold[i] for i in idx})} stories"
                                      for h, idx in enumerate(halves)) + " |", "|---|---|---|"]
    for name, options in variants:
        cells = []
        for idx in halves:
            scores = ours([documents[i] for i in idx], [gold[i] for i in idx], options)[0]
            cells.append(f"{scores.bcubed_f1:.3f} (P {scores.bcubed_precision:.3f}, R {scores.bcubed_recall:.3f})")
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    return out


def copy_pairs(documents, gold, grouping) -> str:
    """How many copies were merged, and whether each is the same story and outlet as its original."""
    by_id = {d.id: (d, label) for d, label in zip(documents, gold)}
    pairs = [(by_id[original], (d, label)) for d, label, original in zip(documents, gold, grouping.copy_of) if original]
    same_story = sum(a[1] == b[1] for a, b in pairs)
    same_outlet = sum(a[0].source == b[0].source for a, b in pairs)
    return (
        f"Copies (MinHash LSH, word 5-grams, Jaccard >= 0.8): {len(pairs)} articles merged into an earlier one; "
        f"{same_story} of {len(pairs)} in the same gold story, {same_outlet} from the same outlet (a wire story filed twice)."
    )


def ours_cold(dataset: Path) -> tuple[float, dict]:
    """``newsdigest evaluate`` in a fresh interpreter: wall time with start-up and reading."""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "newsdigest", "evaluate", str(dataset), "--json"],
        capture_output=True, text=True, check=True, env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"},
    )
    return time.perf_counter() - start, json.loads(out.stdout)


def dense_rows(documents, gold) -> tuple[list[str], list[str]]:
    """Table rows for the dense-embedding variants (bench/dense.py), and a note for each encoder not installed.

    Every rate counts the embedding of all articles; loading the model is
    given apart. Grids as for the baselines: the best of each is an oracle choice.
    """
    from bench import dense

    encoders, missing = dense.available_encoders()
    lines, notes = [], [f"Dense embeddings, {message}" for message in missing]
    for note in notes:
        print(note, flush=True)
    for encoder in encoders:
        vectors, embed_seconds, embed_cpu = dense.embed(encoder, documents)
        load = f"model load {encoder.load_seconds:.1f} s not counted"
        threshold, scores, seconds = agglomerative(documents, gold, [x / 100 for x in range(40, 85, 5)], vectors)
        lines.append(row(f"scikit-learn agglomerative, {encoder.name} cosine, average link", scores, seconds + embed_seconds,
                         f"best distance threshold {threshold:.2f}; embedding {len(documents) / embed_cpu:,.0f} articles"
                         f" per CPU-second; {load}"))
        best = None
        for weight in (0.25, 0.5):
            for threshold in (0.25, 0.3, 0.35, 0.4):
                start, cpu = time.perf_counter(), time.process_time()
                story = dense.group_with_embeddings(documents, vectors, weight, threshold)
                seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
                scores = score_grouping(story, gold)
                if best is None or scores.bcubed_f1 > best[0].bcubed_f1:
                    best = (scores, seconds, cpu, weight, threshold)
        scores, seconds, cpu, weight, threshold = best
        lines.append(row(f"newsdigest + {encoder.name} cosine in the one pass", scores, seconds + embed_seconds,
                         f"best of weight 0.25/0.5 x threshold 0.25-0.40: {weight} x dense + {1 - weight} x TF-IDF >= "
                         f"{threshold}; {len(documents) / (cpu + embed_cpu):,.0f} per CPU-second with embedding; {load}"))
        print("\n".join(lines[-2:]), flush=True)
    return lines, notes


# --- synthetic stream -------------------------------------------------------------


def sentence_pools(dataset: Path) -> list[list[str]]:
    from newsdigest.nlp.text import split_sentences

    documents, gold = load_story_dataset(dataset)
    pools: dict[str, list[str]] = {}
    for doc, label in zip(documents, gold):
        pool = pools.setdefault(label, [])
        pool += [doc.text[a:b] for a, b in split_sentences(doc.text) if len(doc.text[a:b].split()) >= 6]
    return [p for p in pools.values() if len(p) >= 20]


def synthetic_stream(pools, size: int, seed: int = 7):
    """``size`` dated articles in date order: planted stories of 3-20 articles over 2020."""
    from newsdigest.model import Document

    rng = random.Random(seed)
    plan = []  # (day, story number)
    story = 0
    while len(plan) < size:
        start, length = rng.randrange(365), rng.randint(3, 20)
        plan += [(min(364, start + rng.randrange(7)), story) for _ in range(length)]
        story += 1
    plan = sorted(plan[:size])
    base = dt.date(2020, 1, 1)
    pool_of = {}
    for n, (day, story) in enumerate(plan):
        pool = pool_of.setdefault(story, rng.randrange(len(pools)))
        sentences = rng.sample(pools[pool], rng.randint(6, 14))
        yield Document(id=f"syn-{n}", text="\n".join(sentences), source=f"outlet-{rng.randrange(40)}",
                       date=base + dt.timedelta(days=day))


def vm_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def scale_child(dataset: Path, size: int) -> dict:
    from newsdigest.nlp.text import stop_words
    from newsdigest.stories import assign_stream

    stop_words()
    pools = sentence_pools(dataset)
    before = vm_kib("VmHWM")
    generated = synthetic_stream(pools, size)
    stories = set()
    stream = iter(generated)
    # Time only the grouping: the generator's sampling is not part of it.
    timed = _Timed(stream)
    start, cpu = time.perf_counter(), time.process_time()
    for key, _ in assign_stream(timed):
        stories.add(key)
    total, cpu = time.perf_counter() - start, time.process_time() - cpu
    spent = total - timed.seconds
    return {
        "size": size,
        "seconds": spent,
        "articles_per_second": size / spent,
        "articles_per_cpu_second": size / (cpu - timed.cpu),
        "stories": len(stories),
        "peak_mib": vm_kib("VmHWM") / 1024,
        "baseline_mib": before / 1024,
    }


class _Timed:
    """An iterator that adds up the time spent producing its items."""

    def __init__(self, iterator) -> None:
        self.iterator, self.seconds, self.cpu = iterator, 0.0, 0.0

    def __iter__(self):
        return self

    def __next__(self):
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            return next(self.iterator)
        finally:
            self.seconds += time.perf_counter() - t0
            self.cpu += time.process_time() - c0


# --- report -------------------------------------------------------------------------


def row(name, scores, seconds, note=""):
    return (
        f"| {name} | {scores.bcubed_precision:.3f} | {scores.bcubed_recall:.3f} | **{scores.bcubed_f1:.3f}** | "
        f"{scores.pairwise_f1:.3f} | {scores.stories_found} / {scores.stories_gold} | {scores.articles / seconds:,.0f} | {note} |"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--write", action="store_true", help="replace the Stories section of BENCHMARKS.md")
    parser.add_argument("--no-dense", action="store_true", help="skip the dense-embedding rows (bench/dense.py)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    dataset = args.data / "stories" / "dev.jsonl"
    if args.child:
        print(json.dumps(scale_child(dataset, args.child)))
        return 0
    documents, gold = load_story_dataset(dataset)
    shown = "../shared/data/stories/dev.jsonl" if args.data == DEFAULT_DATA else dataset
    lines = [SECTION, "", f"`python bench/stories.py --write` on {shown}"
             f" ({len(documents)} articles, {len(set(gold))} gold stories), {dt.date.today().isoformat()}.", ""]
    lines += [
        "| system | B³ P | B³ R | B³ F1 | pairwise F1 | stories found / gold | articles/s | note |",
        "|---|---|---|---|---|---|---|---|",
    ]
    load = Path("/proc/loadavg").read_text().split()[0]
    scores, seconds, cpu, grouping = ours(documents, gold)
    warm_cpu = ours(documents, gold)[2]  # the same again, caches warm, as the rows below run
    cold_seconds, cold = ours_cold(dataset)
    lines.append(row("newsdigest (one pass + second pass, copies merged)", scores, seconds,
                     f"{len(documents) / cpu:,.0f} per CPU-second ({len(documents) / warm_cpu:,.0f} warm); "
                     f"{len(documents) / cold_seconds:,.0f}/s with start-up and reading"))
    from newsdigest.stories import GroupingOptions

    scores, seconds, cpu, _ = ours(documents, gold, GroupingOptions(reassign_rounds=0))
    lines.append(row("newsdigest, one pass only (`reassign_rounds=0`)", scores, seconds,
                     f"{len(documents) / cpu:,.0f} per CPU-second"))
    scores, seconds, cpu, _ = ours(documents, gold, GroupingOptions(merge_size=0))
    lines.append(row("newsdigest, second pass without merging small stories (`merge_size=0`)", scores, seconds,
                     f"{len(documents) / cpu:,.0f} per CPU-second"))
    threshold, scores, seconds = agglomerative(documents, gold, [x / 100 for x in range(50, 100, 5)])
    lines.append(row("scikit-learn agglomerative, TF-IDF cosine, average link", scores, seconds, f"best distance threshold {threshold:.2f}"))
    threshold, scores, seconds = single_pass(documents, gold, [x / 100 for x in range(5, 45, 5)])
    lines.append(row("single-pass TF-IDF threshold", scores, seconds, f"best threshold {threshold:.2f}"))
    dense_notes = []
    if not args.no_dense:
        dense_lines, dense_notes = dense_rows(documents, gold)
        lines += dense_lines
    lines += ["", *[note + "\n" for note in dense_notes], *split_half(documents, gold), "",
              "What else was tried on dev and not kept, with split-half checks: docs/stories.md, \"What was tried\";"
              " `python bench/story_errors.py` lists the errors left.", ""]
    lines += [copy_pairs(documents, gold, grouping), "",
              f"Machine: {os.cpu_count()} cores, load average {load} at the start of the run (wall-clock rates fall"
              " with the load; the CPU-second rates do not). The first row's rate is the process's first grouping (stemmer"
              " and term caches cold, as in a command-line run); \"warm\" and the rows after it run with them filled."]
    print("\n".join(lines), flush=True)

    scale = ["", "Scale: synthetic dated stream (real dev sentences recombined into planted stories over 2020), "
             "`assign_stream` with the defaults, each size in a fresh child. The planted stories draw on about 100 "
             "sentence pools and none closes within the year (`close_after_days` is 1000), so many merge: "
             "the table measures speed and memory, not quality.", "",
             "| articles | stories opened | articles/s | articles per CPU-second | peak RSS (MiB) | RSS before the stream (MiB) |",
             "|---|---|---|---|---|---|"]
    for size in [int(s) for s in args.sizes.split(",") if s]:
        out = subprocess.run([sys.executable, __file__, "--data", str(args.data), "--child", str(size)],
                             capture_output=True, text=True)
        if out.returncode:
            scale.append(f"| {size:,} | failed: {out.stderr.strip().splitlines()[-1] if out.stderr.strip() else out.returncode} | | | | |")
            continue
        r = json.loads(out.stdout)
        scale.append(
            f"| {size:,} | {r['stories']:,} | {r['articles_per_second']:,.0f} | {r['articles_per_cpu_second']:,.0f} "
            f"| {r['peak_mib']:,.0f} | {r['baseline_mib']:,.0f} |"
        )
        print(scale[-1], flush=True)
    lines += scale
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        target = REPO / "BENCHMARKS.md"
        current = target.read_text(encoding="utf-8")
        if SECTION in current:
            head, rest = current.split(SECTION, 1)
            tail = rest.split("\n## ", 1)
            current = head + text + ("\n## " + tail[1] if len(tail) > 1 else "")
        else:
            current = current.rstrip("\n") + "\n\n" + text
        target.write_text(current, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
