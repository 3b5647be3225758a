"""A learned (article, story) score for the one pass (Miranda et al. 2018), measured honestly on stories/dev.jsonl.

Instead of one cosine of the mixed TF-IDF vector against the story centroid
with a hand-set threshold, the one pass scores each candidate story with a
logistic regression over several similarities, and the article joins the best
story when the logit reaches 0 (the bias is the threshold):

* ``cos``: the cosine the grouping uses today (mixed vector vs centroid);
* ``title``, ``body``, ``names``: cosines of the article's title stems, body
  stems (first 3,000 characters) and ``@name`` terms, each TF-IDF and
  L2-normalised, against the sum of the story's articles' vectors of that field;
* ``log_size``: log of the story's article count;
* ``log_gap``: log(1 + days between the article and the story's latest dated
  article), 0 when either is undated; ``dated``: 1 when both are dated;
* ``same_source``: 1 when the article's (non-empty) source already appears in the story.

Training pairs: the one pass run with today's scoring (teacher), every article
against every candidate story it meets, label 1 when the candidate holds the
article's gold story as its majority. The second pass (moves, split, merges)
is left as it is, with its cosine threshold.

Honest check: the gold stories are halved by a hash of the label (as in
bench/stories.py); the model trained on one half's pairs groups the other
half, both directions. The whole-set row uses a model trained on all of dev
(in-sample) and, for honesty, the two half-trained models.

Run: ``python bench/story_lr.py [--data DIR] [--features cos,title,...] [--C 1.0]``
"""

from __future__ import annotations

import argparse
import hashlib
import math
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
for path in (REPO, REPO / "src"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from newsdigest.evaluate.stories import load_story_dataset  # noqa: E402
from newsdigest.evaluate.story_metrics import score_grouping  # noqa: E402
from newsdigest.nlp.text import WORD_RE  # noqa: E402
from newsdigest.stories import GroupingOptions, StoryGrouper, group_documents  # noqa: E402
from newsdigest.stories.features import NAME_RE, _name_terms, _terms  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data"
ALL_FEATURES = ("cos", "title", "body", "names", "log_size", "log_gap", "dated", "same_source")


def _unit(counts: Counter, frequencies) -> dict[str, float]:
    counts.pop("", None)
    if not counts:
        return {}
    base = math.log(frequencies.documents + 1 + frequencies.prior) + 1.0
    get = frequencies.counts.get
    vector = {t: (1.0 + math.log(c)) * (base - math.log(get(t, 0) + 1.0)) for t, c in counts.items()}
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {t: w / norm for t, w in vector.items()} if norm else {}


def _cosine(vector: dict, total: dict, square: float) -> float:
    if not vector or square <= 1e-12:
        return 0.0
    if len(vector) > len(total):
        dot = sum(w * vector.get(t, 0.0) for t, w in total.items())
    else:
        dot = sum(w * total.get(t, 0.0) for t, w in vector.items())
    return dot / math.sqrt(square)


class _FieldSum:
    __slots__ = ("total", "square")

    def __init__(self) -> None:
        self.total: dict[str, float] = {}
        self.square = 0.0

    def add(self, vector: dict) -> None:
        total = self.total
        for t, w in vector.items():
            old = total.get(t, 0.0)
            self.square += w * (2 * old + w)
            total[t] = old + w


class LRStoryGrouper(StoryGrouper):
    """The one pass scoring candidates with a logistic regression (``model``) or, without one, today's cosine.

    ``record``: a list that gets (features, label) for every candidate of every article (needs ``gold``, id -> label).
    """

    def __init__(self, options, *, model=None, features=ALL_FEATURES, gold=None, record=None, keep_vectors=False):
        if model is not None:
            options = replace(options, threshold=0.0)  # the logit's bias is the threshold
        super().__init__(options, keep_vectors=keep_vectors)
        self.model = model  # (coefficients, intercept) over ``features``
        self.features = tuple(features)
        self.gold, self.record = gold, record
        self.fields: dict[str, tuple[_FieldSum, _FieldSum, _FieldSum]] = {}
        self.sources: dict[str, set[str]] = {}
        self.labels: dict[str, Counter] = {}
        self.current = None

    def add(self, document) -> str:
        body = document.text[: self.options.features.body_chars]
        f = self.frequencies
        title = _unit(Counter(_terms(WORD_RE.findall(document.title.lower()))), f) if document.title else {}
        words = _unit(Counter(_terms(WORD_RE.findall(body.lower()))), f)
        names = _unit(Counter(_name_terms(NAME_RE.findall(body))), f)
        self.current = (document, (title, words, names))
        key = super().add(document)
        sums = self.fields.get(key)
        if sums is None:
            sums = self.fields[key] = (_FieldSum(), _FieldSum(), _FieldSum())
        for total, vector in zip(sums, (title, words, names)):
            total.add(vector)
        if document.source:
            self.sources.setdefault(key, set()).add(document.source)
        if self.gold is not None:
            self.labels.setdefault(key, Counter())[self.gold[document.id]] += 1
        self.current = None
        return key

    def feature_rows(self, cosines, stories, date) -> np.ndarray:
        document, vectors = self.current
        rows = []
        for cosine, story in zip(cosines.tolist(), stories):
            sums = self.fields.get(story.key)
            values = {"cos": cosine}
            for name, vector, total in zip(("title", "body", "names"), vectors, sums or (None, None, None)):
                values[name] = _cosine(vector, total.total, total.square) if total is not None else 0.0
            values["log_size"] = math.log(story.size) if story.size else 0.0
            dated = bool(date and story.last_date)
            values["dated"] = 1.0 if dated else 0.0
            values["log_gap"] = math.log1p(abs((date - story.last_date).days)) if dated else 0.0
            values["same_source"] = 1.0 if document.source and document.source in self.sources.get(story.key, ()) else 0.0
            rows.append([values[name] for name in self.features])
        return np.array(rows, dtype=np.float64).reshape(len(stories), len(self.features))

    def scores(self, ids, weights, stories, date):
        cosines = super().scores(ids, weights, stories, date)
        if self.current is None or (self.model is None and self.record is None):
            return cosines
        rows = self.feature_rows(cosines, stories, date)
        if self.record is not None:
            document = self.current[0]
            truth = self.gold[document.id]
            for row, story in zip(rows, stories):
                counts = self.labels.get(story.key)
                top = counts.most_common(1)[0][0] if counts else None
                self.record.append((row, 1 if top == truth else 0))
        if self.model is None:
            return cosines
        coefficients, intercept = self.model
        return rows @ coefficients + intercept


def group(documents, options: GroupingOptions, **grouper_args) -> list[str]:
    """Story keys of ``documents``: the pass with :class:`LRStoryGrouper`, then the usual second pass."""
    grouper = LRStoryGrouper(options, keep_vectors=options.reassign_rounds > 0, **grouper_args)
    return list(group_documents(documents, options, grouper=grouper).story)


def pairs(documents, gold, options, features, model=None):
    record: list = []
    group(documents, options, features=features, gold={d.id: g for d, g in zip(documents, gold)}, record=record, model=model)
    x = np.array([r for r, _ in record]).reshape(len(record), len(features))
    y = np.array([label for _, label in record])
    return x, y


def train(x, y, c: float, balanced: bool = False):
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced" if balanced else None).fit(x, y)
    return model.coef_[0].copy(), float(model.intercept_[0])


def halves(gold, byte: int = -1) -> list[list[int]]:
    """Two halves of the gold stories by the parity of one byte of SHA-1 of the label (-1: bench/stories.py's halves)."""
    return [[i for i, label in enumerate(gold) if hashlib.sha1(label.encode()).digest()[byte] % 2 == h] for h in (0, 1)]


def fmt(scores) -> str:
    return f"{scores.bcubed_f1:.3f} (P {scores.bcubed_precision:.3f} / R {scores.bcubed_recall:.3f})"


def fit(documents, gold, options, features, c, balanced, rounds):
    """Model trained on pairs of the pass with today's scoring, then (``rounds`` > 0) on pairs of its own pass too."""
    x, y = pairs(documents, gold, options, features)
    model = train(x, y, c, balanced)
    for _ in range(rounds):  # DAgger-like: add the pairs the learned pass meets
        x2, y2 = pairs(documents, gold, options, features, model)
        x, y = np.vstack([x, x2]), np.concatenate([y, y2])
        model = train(x, y, c, balanced)
    return model


SHIFTS = [x / 4 for x in range(-8, 9)]


def tuned(model, documents, gold, options, features):
    """``model`` with its bias shifted to the best B-cubed F1 on ``documents`` (its training stories) over SHIFTS."""
    best = None
    for shift in SHIFTS:
        candidate = (model[0], model[1] + shift)
        f1 = score_grouping(group(documents, options, model=candidate, features=features), gold).bcubed_f1
        if best is None or f1 > best[0] + 1e-9:
            best = (f1, shift, candidate)
    print(f"  bias shift {best[1]:+.2f} (training F1 {best[0]:.3f})")
    return best[2]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--features", default=",".join(ALL_FEATURES))
    parser.add_argument("--C", type=float, default=1.0)
    parser.add_argument("--balanced", action="store_true")
    parser.add_argument("--rounds", type=int, default=0, help="extra training rounds on the learned pass's own pairs")
    parser.add_argument("--shift", type=float, default=0.0, help="added to the bias (a margin on the logit)")
    parser.add_argument("--split-byte", type=int, default=-1,
                        help="which byte of the label's SHA-1 halves the gold stories (-1: bench/stories.py's halves; others: a re-split)")
    parser.add_argument("--tune-bias", action="store_true",
                        help="shift each model's bias to the best B-cubed F1 of a grid on its own training stories (never the test half)")
    args = parser.parse_args(argv)
    features = tuple(f for f in args.features.split(",") if f)
    documents, gold = load_story_dataset(args.data / "stories" / "dev.jsonl")
    options = GroupingOptions()
    parts = halves(gold, args.split_byte)
    subsets = [([documents[i] for i in idx], [gold[i] for i in idx]) for idx in parts]
    models = [fit(d, g, options, features, args.C, args.balanced, args.rounds) for d, g in subsets]
    models = [(c, b + args.shift) for c, b in models]
    full = fit(documents, gold, options, features, args.C, args.balanced, args.rounds)
    full = (full[0], full[1] + args.shift)
    if args.tune_bias:
        models = [tuned(m, d, g, options, features) for m, (d, g) in zip(models, subsets)]
        full = tuned(full, documents, gold, options, features)
    print("features:", ", ".join(features), f"C={args.C} balanced={args.balanced} rounds={args.rounds} shift={args.shift}")
    for name, model in (("half 1", models[0]), ("half 2", models[1]), ("all dev", full)):
        print(f"  model trained on {name}: " + ", ".join(f"{f} {w:+.3f}" for f, w in zip(features, model[0])) + f", bias {model[1]:+.3f}")
    base = [score_grouping(group(d, options), g) for d, g in subsets]
    learned = [score_grouping(group(d, options, model=models[1 - h], features=features), g) for h, (d, g) in enumerate(subsets)]
    print("| variant | dev (all) | half 1 | half 2 |")
    print("|---|---|---|---|")
    print(f"| today's cosine >= 0.16 | {fmt(score_grouping(group(documents, options), gold))} | {fmt(base[0])} | {fmt(base[1])} |")
    whole = [score_grouping(group(documents, options, model=m, features=features), gold) for m in (full, *models)]
    print(f"| learned pass (halves: trained on the other half; all: trained on all dev) | {fmt(whole[0])} | {fmt(learned[0])} | {fmt(learned[1])} |")
    print(f"| all dev with the half-1 / half-2 models | {fmt(whole[1])} / {fmt(whole[2])} | | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
