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

    variants = [("defaults", GroupingOptions()), ("without splitting stories", GroupingOptions(split_size=0)),
                ("without merging small stories", GroupingOptions(merge_size=0)),
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


def input_orders(documents, gold, shuffles: int = 9, options=None) -> list[str]:
    """How much B-cubed F1 owes to the order of the input: the defaults on the file as given and on shuffles of it.

    Dated articles are grouped in date order whatever the input order; undated ones (on dev the
    Multi-News and MultiLing articles) in input order, so a shuffle moves them. A difference
    between two settings smaller than the spread across orders is not a difference.
    ``options``: the :class:`~newsdigest.stories.GroupingOptions` to check (the defaults when None).
    """
    import statistics

    orders = []
    for seed in range(shuffles):
        order = list(range(len(documents)))
        random.Random(seed).shuffle(order)
        orders.append(order)
    given = ours(documents, gold, options)[0].bcubed_f1
    shuffled = [ours([documents[i] for i in o], [gold[i] for i in o], options)[0].bcubed_f1 for o in orders]
    undated = sum(1 for d in documents if d.date is None)
    return [f"Input order ({undated} undated articles, grouped in input order): B³ F1 {given:.3f} as given; "
            f"over {shuffles} shuffles (seeds 0-{shuffles - 1}) mean {statistics.mean(shuffled):.3f}, "
            f"min {min(shuffled):.3f}, max {max(shuffled):.3f}."]


def copy_pairs(documents, gold, grouping) -> str:
    """How many copies were merged, whether each is the same story and outlet as its original, and the recall
    against the pairs whose exact Jaccard similarity of word 5-gram sets reaches the threshold."""
    from newsdigest.stories.copies import CopyOptions

    by_id = {d.id: (d, label) for d, label in zip(documents, gold)}
    pairs = [(by_id[original], (d, label)) for d, label, original in zip(documents, gold, grouping.copy_of) if original]
    same_story = sum(a[1] == b[1] for a, b in pairs)
    same_outlet = sum(a[0].source == b[0].source for a, b in pairs)
    options = CopyOptions()
    group = {d.id: original or d.id for d, original in zip(documents, grouping.copy_of)}
    exact = exact_copy_pairs(documents, options.threshold, options.max_words)
    found = [pair for pair in exact if group[pair[0]] == group[pair[1]]]
    missed = sorted(j for pair, j in exact.items() if group[pair[0]] != group[pair[1]])
    return (
        f"Copies (MinHash LSH, word 5-grams, Jaccard >= {options.threshold}): {len(pairs)} articles merged into an earlier one; "
        f"{same_story} of {len(pairs)} in the same gold story, {same_outlet} from the same outlet (a wire story filed twice). "
        f"Of the {len(exact)} pairs of articles whose exact Jaccard similarity reaches {options.threshold}, {len(found)} end up"
        f" together" + (f"; those missed have {', '.join(f'{j:.3f}' for j in missed)}." if missed else ".")
    )


def exact_copy_pairs(documents, threshold: float, max_words: int) -> dict[tuple[str, str], float]:
    """(id, id) -> exact Jaccard similarity of word 5-gram sets (as CopyFinder shingles them), for pairs >= threshold."""
    shingles = []
    for d in documents:
        words = d.text.lower().split(maxsplit=max_words)[:max_words]
        shingles.append({" ".join(words[i : i + 5]) for i in range(max(len(words) - 4, 1))} if words else set())
    holders: dict[str, list[int]] = {}
    for n, runs in enumerate(shingles):
        for run in runs:
            holders.setdefault(run, []).append(n)
    shared: dict[tuple[int, int], int] = {}
    for owners in holders.values():
        for i, a in enumerate(owners):
            for b in owners[i + 1 :]:
                shared[a, b] = shared.get((a, b), 0) + 1
    result = {}
    for (a, b), common in shared.items():
        j = common / (len(shingles[a]) + len(shingles[b]) - common)
        if j >= threshold:
            result[documents[a].id, documents[b].id] = j
    return result


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


PROGRESS_EVERY = 50_000  # articles between the progress lines a child writes to stderr


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

    def measured(count: int) -> dict:
        spent = time.perf_counter() - start - timed.seconds
        return {
            "size": count,
            "seconds": spent,
            "articles_per_second": count / spent,
            "articles_per_cpu_second": count / (time.process_time() - cpu - timed.cpu),
            "stories": len(stories),
            "peak_mib": vm_kib("VmHWM") / 1024,
            "baseline_mib": before / 1024,
            "load": Path("/proc/loadavg").read_text().split()[0],
        }

    for count, (key, _) in enumerate(assign_stream(timed), 1):
        stories.add(key)
        if count % PROGRESS_EVERY == 0 and count < size:
            print(json.dumps(measured(count)), file=sys.stderr, flush=True)  # what is known if the run is stopped
    return measured(size)


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


# --- scale table and plot --------------------------------------------------------------

SCALE_START = "Scale: synthetic dated stream"


def scale_section(data: Path, sizes: list[int], timeout: float, plot_path: Path, saved: Path | None = None) -> list[str]:
    """Each size in a fresh child (bounded by ``timeout``): the table lines, and the plot written to ``plot_path``.

    ``saved``: a folder where each size's result is kept as ``SIZE.json``; a size found there is not run again
    (so sizes can run in separate invocations, and one last ``--write`` puts them together).
    """
    lines = ["", f"{SCALE_START} (real dev sentences recombined into planted stories over 2020), "
             "`assign_stream` with the defaults (copies and one pass; the second pass needs every article's vector, "
             "so a stream has none), each size in a fresh child (`python bench/stories.py --scale-only`). "
             "Articles/s leaves out the generator's own time (sampling sentences); "
             "CPU-second rates are the child's user+system time, which the load of this shared 2-core machine "
             "does not change much; wall rates fall with it. The planted stories draw on about 100 sentence pools "
             "and none closes within the year (`close_after_days` is 1000), so many merge: the table measures speed "
             "and memory, not quality.", "",
             "| articles | stories opened | seconds | articles/s | articles per CPU-second | peak RSS (MiB) "
             "| RSS before the stream (MiB) | load average (1 min) at the end |",
             "|---|---|---|---|---|---|---|---|"]
    results, earlier = [], []
    for size in sizes:
        kept = saved / f"{size}.json" if saved else None
        if kept and kept.exists():
            r = json.loads(kept.read_text())
            results.append(r)
            lines.append(scale_row(r))
            stamp = dt.datetime.fromtimestamp(kept.stat().st_mtime, dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
            earlier.append(f"{size:,} (measured {stamp})")
            continue
        try:
            out = subprocess.run([sys.executable, __file__, "--data", str(data), "--child", str(size)],
                                 capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as stopped:
            progress = [json.loads(line) for line in (stopped.stderr or b"").decode().splitlines() if line.startswith("{")]
            if not progress:
                lines.append(f"| {size:,} | stopped after {timeout:,.0f} s | | | | | | |")
                continue
            r = progress[-1]  # the stream so far: its first r["size"] articles
            r.update(stopped=size, timeout=timeout)
        else:
            if out.returncode:
                reason = out.stderr.strip().splitlines()[-1] if out.stderr.strip() else out.returncode
                lines.append(f"| {size:,} | failed: {reason} | | | | | | |")
                continue
            r = json.loads(out.stdout)
        if kept:
            kept.parent.mkdir(parents=True, exist_ok=True)
            kept.write_text(json.dumps(r))
        results.append(r)
        lines.append(scale_row(r))
        print(lines[-1], flush=True)
    if earlier:
        lines += ["", "Rows read back from `--saved` rather than run by this invocation, with the code of their time: "
                  + ", ".join(earlier) + "."]
    if results:
        plot_scale(results, plot_path)
        lines += ["", f"![articles per second and peak memory by stream length]({plot_path.relative_to(REPO)})"
                  if plot_path.is_relative_to(REPO) else f"Plot: {plot_path}"]
    return lines


def scale_row(r: dict) -> str:
    size = f"{r['size']:,}"
    if "stopped" in r:
        size = f"first {r['size']:,} of {r['stopped']:,} (stopped at the {r['timeout']:,.0f} s bound)"
    return (
        f"| {size} | {r['stories']:,} | {r['seconds']:,.0f} | {r['articles_per_second']:,.0f} "
        f"| {r['articles_per_cpu_second']:,.0f} | {r['peak_mib']:,.0f} | {r['baseline_mib']:,.0f} | {r['load']} |"
    )


def plot_scale(results: list[dict], path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")  # no display on servers and CI
    import matplotlib.pyplot as plt

    sizes = [r["size"] for r in results]
    fig, (ax_rate, ax_mem) = plt.subplots(1, 2, figsize=(9, 3.6))
    ax_rate.plot(sizes, [r["articles_per_cpu_second"] for r in results], marker="o", label="per CPU-second")
    ax_rate.plot(sizes, [r["articles_per_second"] for r in results], marker="o", label="per second (wall, shared machine)")
    ax_rate.axhline(2000, color="grey", linestyle="--", linewidth=1, label="target 2,000/s")
    ax_rate.set(xscale="log", xlabel="articles in the stream", ylabel="articles/s", title="grouping speed", ylim=(0, None))
    ax_rate.legend(fontsize=8)
    ax_mem.plot(sizes, [r["peak_mib"] for r in results], marker="o", color="tab:orange", label="peak RSS")
    ax_mem.plot(sizes, [r["baseline_mib"] for r in results], marker=".", color="tab:grey", label="RSS before the stream")
    ax_mem.axhline(1536, color="grey", linestyle="--", linewidth=1, label="limit 1.5 GB")
    ax_mem.set(xscale="log", xlabel="articles in the stream", ylabel="MiB", title="memory", ylim=(0, None))
    ax_mem.legend(fontsize=8)
    for ax in (ax_rate, ax_mem):
        ax.grid(True, which="both", alpha=0.3)
    fig.suptitle("newsdigest stories: synthetic dated stream (copies + one pass)")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def write_part(text: str, start: str | None = None) -> None:
    """Replace the Stories section of BENCHMARKS.md, or only its part from the line starting with ``start``."""
    target = REPO / "BENCHMARKS.md"
    current = target.read_text(encoding="utf-8")
    if SECTION not in current:
        current = current.rstrip("\n") + "\n\n" + SECTION + "\n"
    head, rest = current.split(SECTION, 1)
    body, *tail = rest.split("\n## ", 1)
    if start is None:
        body = text[len(SECTION):]
    elif ("\n" + start) in body:
        body = body[: body.index("\n" + start)].rstrip("\n") + "\n" + text
    else:
        body = body.rstrip("\n") + "\n" + text
    current = head + SECTION + body.rstrip("\n") + "\n" + ("\n## " + tail[0] if tail else "")
    target.write_text(current, encoding="utf-8")


# --- report -------------------------------------------------------------------------


def row(name, scores, seconds, note=""):
    return (
        f"| {name} | {scores.bcubed_precision:.3f} | {scores.bcubed_recall:.3f} | **{scores.bcubed_f1:.3f}** | "
        f"{scores.pairwise_f1:.3f} | {scores.stories_found} / {scores.stories_gold} | {scores.articles / seconds:,.0f} | {note} |"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds a size may run before it is stopped")
    parser.add_argument("--plot", type=Path, default=REPO / "bench" / "stories_speed.png")
    parser.add_argument("--saved", type=Path, help="folder keeping each size's result (SIZE.json); sizes found there are not run again")
    parser.add_argument("--scale-only", action="store_true",
                        help="only the synthetic-stream sizes (with --write: replaces the scale part of the section)")
    parser.add_argument("--write", action="store_true", help="replace the Stories section of BENCHMARKS.md")
    parser.add_argument("--no-dense", action="store_true", help="skip the dense-embedding rows (bench/dense.py)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    dataset = args.data / "stories" / "dev.jsonl"
    if args.child:
        print(json.dumps(scale_child(dataset, args.child)))
        return 0
    if args.scale_only:
        scale = scale_section(args.data, [int(s) for s in args.sizes.split(",") if s], args.timeout, args.plot, args.saved)
        text = "\n".join(scale) + "\n"
        print(text)
        if args.write:
            write_part(text, SCALE_START)
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
    scores, seconds, cpu, _ = ours(documents, gold, GroupingOptions(split_size=0))
    lines.append(row("newsdigest, second pass without splitting stories (`split_size=0`)", scores, seconds,
                     f"{len(documents) / cpu:,.0f} per CPU-second"))
    threshold, scores, seconds = agglomerative(documents, gold, [x / 100 for x in range(50, 100, 5)])
    lines.append(row("scikit-learn agglomerative, TF-IDF cosine, average link", scores, seconds, f"best distance threshold {threshold:.2f}"))
    threshold, scores, seconds = single_pass(documents, gold, [x / 100 for x in range(5, 45, 5)])
    lines.append(row("single-pass TF-IDF threshold", scores, seconds, f"best threshold {threshold:.2f}"))
    dense_notes = []
    if not args.no_dense:
        dense_lines, dense_notes = dense_rows(documents, gold)
        lines += dense_lines
        if dense_lines:
            dense_notes.append("Dense rows: what they cost and why neither model is in the grouping:"
                               " docs/stories.md, \"What was tried\".")
    lines += ["", *[note + "\n" for note in dense_notes], *split_half(documents, gold), "", *input_orders(documents, gold), "",
              "What else was tried on dev and not kept, with split-half checks: docs/stories.md, \"What was tried\";"
              " `python bench/story_errors.py` lists the errors left.", ""]
    lines += [copy_pairs(documents, gold, grouping), "",
              f"Machine: {os.cpu_count()} cores, load average {load} at the start of the run (wall-clock rates fall"
              " with the load; the CPU-second rates do not). The first row's rate is the process's first grouping (stemmer"
              " and term caches cold, as in a command-line run); \"warm\" and the rows after it run with them filled."]
    print("\n".join(lines), flush=True)
    scale = scale_section(args.data, [int(s) for s in args.sizes.split(",") if s], args.timeout, args.plot, args.saved)
    lines += scale
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        write_part(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
