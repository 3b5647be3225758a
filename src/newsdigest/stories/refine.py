"""A second look once the one pass is over: articles move to the story that fits them best.

The one pass decides with the stories as they were when an article came: the
first articles of a story meet a centroid of one or two articles, and an
article that came before the rest of its story opened a story of its own. With
every story complete, :func:`reassign` compares each article with the final
centroids (its own story's without itself, "leave one out") and moves it to
the most similar story when that reaches the grouping threshold. Rounds repeat
until no article moves (at most ``rounds``); a move updates both centroids at
once, so look-alike articles cannot swap stories back and forth. Every round is deterministic and
costs about what the first pass did: an article meets only the stories sharing
one of its heaviest terms (an inverted index).

On stories/dev.jsonl one round lifts B-cubed F1 from 0.890 to 0.914 at the
same threshold (0.15; 0.918 at the default 0.16, see
BENCHMARKS.md, "Stories"): it mostly brings lone early articles home.

Last, a story of a few articles whose centroid is close to a (larger) story's
centroid joins it (:func:`merge_small_stories`): two or three articles of one
story that the pass kept apart are nearer as a group than one by one.

Before that, a story made of two tight groups of articles is cut in two
(:func:`split_stories`): related events that the pass merged, such as a dam
and the floods on its river, part again (dev B-cubed F1 0.927 -> 0.940).

Vectors are :data:`~newsdigest.stories.sparse.SparseVector` pairs (term ids
and weights, as the pass packs them); the dot products of one vector with many
centroids are one NumPy call each (:class:`~newsdigest.stories.sparse.Scratch`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import numpy as np

from newsdigest.stories.grouping import GroupingOptions
from newsdigest.stories.sparse import (
    Scratch,
    SparseSum,
    SparseVector,
    heaviest,
    id_bound,
    mean_vector,
    sums_by_label,
    vector_sum,
)


def reassign(
    vectors: Sequence[SparseVector],
    labels: Sequence[str],
    dates: Sequence[dt.date | None],
    options: GroupingOptions,
) -> list[str]:
    """Story labels after up to ``options.reassign_rounds`` rounds of moving articles to their best final story.

    ``options.probe_terms`` of an article's heaviest terms look up the stories
    that hold one of them among their ``centroid_terms`` heaviest (as in the
    pass). A dated article only moves to a story it could have met in the
    pass: one whose dated articles span to within ``close_after_days`` of it.
    Then stories of two distinct groups are cut (:func:`split_stories`) and
    small stories join their closest story (:func:`merge_small_stories`).
    """
    labels = list(labels)
    scratch = _scratch(vectors)
    for _ in range(options.reassign_rounds):
        moved = _one_round(vectors, labels, dates, options, scratch)
        if not moved:
            break
    if options.reassign_rounds > 0:  # 0 rounds: no second pass at all
        labels = split_stories(vectors, labels, options, scratch)
    if options.reassign_rounds > 0 and options.merge_size > 0:
        labels = merge_small_stories(vectors, labels, dates, options, scratch)
    return labels


def _scratch(vectors: Sequence[SparseVector]) -> Scratch:
    scratch = Scratch()
    scratch.fit(id_bound(vectors))
    return scratch


def merge_small_stories(
    vectors: Sequence[SparseVector],
    labels: Sequence[str],
    dates: Sequence[dt.date | None],
    options: GroupingOptions,
    scratch: Scratch | None = None,
) -> list[str]:
    """Story labels after each story of at most ``options.merge_size`` articles joined its closest story.

    Smallest stories go first (ties: the story seen first); a small story
    joins the story, at least as large, whose centroid is closest to its own,
    when that cosine reaches ``options.merge_threshold``, and the merged
    centroid counts for the stories that come after. Centroids are compared
    centred (the mean article of the input subtracted): what every article
    shares (a site's boilerplate, the words of a small one-topic input) is
    more alike between centroids than between articles, and must not merge
    stories. Candidates come from the inverted index of heaviest terms, as in
    the rounds; a story with dated articles only meets stories within
    ``close_after_days`` of its span.
    """
    if not vectors:
        return list(labels)
    scratch = scratch or _scratch(vectors)
    centroids = sums_by_label(vectors, labels)
    sizes: dict[str, int] = {}
    spans: dict[str, list[dt.date]] = {}
    for key, date in zip(labels, dates):
        sizes[key] = sizes.get(key, 0) + 1
        if date:
            _widen(spans, key, date)
    mean = mean_vector(vectors)
    mean_square = mean.square()
    rank = {key: n for n, key in enumerate(centroids)}
    keys = list(centroids)
    # centroid . mean, kept up to date on merges
    with_mean = dict(zip(keys, scratch.dots(mean.ids, mean.weights, list(centroids.values())).tolist()))
    squares = {key: c.square() for key, c in centroids.items()}

    def centred_norm(key: str) -> float:
        return math.sqrt(max(centred_square(squares[key], sizes[key], with_mean[key], mean_square), 0.0))

    postings: dict[int, set[str]] = {}
    for key, centroid in centroids.items():
        for term in centroid.ids[heaviest(centroid.weights, options.centroid_terms)].tolist():
            postings.setdefault(term, set()).add(key)
    reach = dt.timedelta(days=options.close_after_days)
    target: dict[str, str] = {}
    for key in sorted(centroids, key=lambda k: (sizes[k], rank[k])):
        norm = centred_norm(key)
        if sizes[key] > options.merge_size or norm <= 1e-9:
            continue
        centroid = centroids[key]
        candidates: set[str] = set()
        for term in centroid.ids[heaviest(centroid.weights, options.probe_terms)].tolist():
            candidates.update(postings.get(term, ()))
        others, other_norms = [], []
        for other in sorted(candidates, key=rank.__getitem__):
            if other == key or other in target or sizes[other] < sizes[key]:
                continue
            if key in spans and other in spans and not (
                spans[other][0] - reach <= spans[key][1] and spans[key][0] <= spans[other][1] + reach
            ):
                continue
            other_norm = centred_norm(other)
            if other_norm > 1e-9:
                others.append(other)
                other_norms.append(other_norm)
        products = scratch.dots(centroid.ids, centroid.weights, [centroids[o] for o in others])
        best, best_score = None, options.merge_threshold
        for other, other_norm, raw in zip(others, other_norms, products.tolist()):
            product = centred_dot(raw, sizes[key], with_mean[key], sizes[other], with_mean[other], mean_square)
            score = product / (norm * other_norm)
            if score >= best_score and (best is None or score > best_score):
                best, best_score = other, score
        if best is None:
            continue
        target[key] = best
        merged = centroids[best]
        fresh = scratch.find(centroid.ids, merged.ids) < 0
        for term in centroid.ids[fresh].tolist():
            postings.setdefault(term, set()).add(best)
        merged.add(centroid.ids, centroid.weights, scratch)
        squares[best] = merged.square()
        with_mean[best] += with_mean[key]
        sizes[best] += sizes[key]
        if key in spans:
            for date in spans[key]:
                _widen(spans, best, date)
    final = {}
    for key in centroids:  # a story merged into one that merged later follows it
        end = key
        while end in target:
            end = target[end]
        final[key] = end
    return [final[key] for key in labels]


def _one_round(
    vectors: Sequence[SparseVector], labels: list[str], dates: Sequence[dt.date | None], options: GroupingOptions, scratch: Scratch
) -> int:
    centroids = sums_by_label(vectors, labels)
    spans: dict[str, list[dt.date]] = {}  # first and last date of each story's dated articles
    for key, date in zip(labels, dates):
        if date:
            _widen(spans, key, date)
    reach = dt.timedelta(days=options.close_after_days)
    rank = {key: n for n, key in enumerate(centroids)}  # ties go to the story seen first
    squares = {key: c.square() for key, c in centroids.items()}
    postings: dict[int, list[str]] = {}
    for key, centroid in centroids.items():
        for term in centroid.ids[heaviest(centroid.weights, options.centroid_terms)].tolist():
            postings.setdefault(term, []).append(key)
    moved = 0
    for position, ((ids, weights), own, date) in enumerate(zip(vectors, labels, dates)):
        if not len(ids):
            continue
        candidates = {own}
        for term in ids[heaviest(weights, options.probe_terms)].tolist():
            candidates.update(postings.get(term, ()))
        if date:
            candidates = {
                key for key in candidates
                if key == own or key not in spans or spans[key][0] - reach <= date <= spans[key][1] + reach
            }
        self_square = float(np.dot(weights, weights))
        keys = sorted(candidates, key=rank.__getitem__)
        dots = scratch.dots(ids, weights, [centroids[k] for k in keys]).tolist()
        best, best_score = own, -math.inf
        for key, product in zip(keys, dots):
            square = squares[key]
            if key == own:  # leave the article out of its own story
                square -= 2 * product - self_square
                product -= self_square
            if square <= 1e-12:
                continue
            score = product / math.sqrt(square)
            if score > best_score:
                best, best_score = key, score
        if best != own and best_score >= options.threshold:
            # Move now (not at the end of the round): two look-alike articles could otherwise swap stories forever.
            centroids[own].add(ids, weights, scratch, -1.0)
            centroids[best].add(ids, weights, scratch)
            squares[own] += self_square - 2 * dots[keys.index(own)]
            squares[best] += self_square + 2 * dots[keys.index(best)]
            labels[position] = best
            if date:
                _widen(spans, best, date)
            moved += 1
    return moved


def centred_square(square, size, with_mean, mean_square):
    """|s - n m|^2 of a sum ``s`` of ``size`` articles and the mean article ``m``, from |s|^2, s . m and |m|^2.

    Merging and splitting compare stories centred on the mean article; this and :func:`centred_dot` give the
    centred quantities from plain dot products (floats or NumPy arrays alike).
    """
    return square - 2 * size * with_mean + size * size * mean_square


def centred_dot(product, size, with_mean, other_size, other_with_mean, mean_square):
    """(s - n m) . (t - k m) from s . t, the sizes n and k, s . m, t . m and |m|^2 (see :func:`centred_square`)."""
    return product - other_size * with_mean - size * other_with_mean + size * other_size * mean_square


def _widen(spans: dict[str, list[dt.date]], key: str, date: dt.date) -> None:
    span = spans.get(key)
    if span is None:
        spans[key] = [date, date]
    elif date < span[0]:
        span[0] = date
    elif date > span[1]:
        span[1] = date


def split_stories(
    vectors: Sequence[SparseVector], labels: Sequence[str], options: GroupingOptions, scratch: Scratch | None = None
) -> list[str]:
    """Story labels after each story made of two clearly distinct groups of articles was cut in two.

    A story of at least ``2 * options.split_size`` articles is parted by
    2-means (spherical k-means on the articles' vectors, centred on the mean
    article as in :func:`merge_small_stories`; seeds: the article least like
    the story, then the article least like that one). The cut stays when both
    parts hold at least ``split_size`` articles and the articles are, on
    average, nearer their own part than the other one by ``split_margin``: the
    mean over articles of cos(article, own part without it) - cos(article,
    other part), a silhouette in cosines. Each part is tried again. Two related
    events that the pass merged (a dam and the floods on its river) are two
    tight groups; one event's articles split anyhow are not (on
    stories/dev.jsonl their margin stays below 0.15, the merged pairs' reach
    0.25). The part holding the story's first article keeps its label; the
    other gets a new one (``label/position``). The cost is about a dozen dot
    products per article of a story tried (seeds, at most ``split_rounds``
    rounds, the margin), linear in the story.
    """
    labels = list(labels)
    if options.split_size <= 0 or not vectors:
        return labels
    scratch = scratch or _scratch(vectors)
    mean = mean_vector(vectors)
    mean_square = mean.square()
    members: dict[str, list[int]] = {}
    for position, key in enumerate(labels):
        members.setdefault(key, []).append(position)
    pending = [positions for positions in members.values() if len(positions) >= 2 * options.split_size]
    while pending:
        positions = pending.pop()
        parts = _bisect(_Story([vectors[p] for p in positions], mean, mean_square, scratch), options)
        if parts is None:
            continue
        parts = tuple([positions[i] for i in part] for part in parts)
        for part in parts:
            key = labels[part[0]] if part[0] == positions[0] else f"{labels[positions[0]]}/{part[0]}"
            for position in part:
                labels[position] = key
            if len(part) >= 2 * options.split_size:
                pending.append(part)
    return labels


class _Story:
    """The articles of a story tried by :func:`split_stories`, laid end to end for dot products with a part."""

    def __init__(self, vectors: list[SparseVector], mean: SparseSum, mean_square: float, scratch: Scratch) -> None:
        self.vectors = vectors
        self.mean_square = mean_square
        self.scratch = scratch
        self.ids = np.concatenate([v[0] for v in vectors])
        self.weights = np.concatenate([v[1] for v in vectors])
        self.starts = np.cumsum([0] + [len(v[0]) for v in vectors[:-1]])
        self.with_mean = self.dots(mean)  # article . mean
        squares = np.fromiter((np.dot(w, w) for _, w in vectors), dtype=np.float64, count=len(vectors))
        self.own_squares = np.maximum(centred_square(squares, 1, self.with_mean, mean_square), 0.0).tolist()  # |article - mean|^2

    def __len__(self) -> int:
        return len(self.vectors)

    def dots(self, centroid: SparseSum) -> np.ndarray:
        return self.scratch.dots_concatenated(centroid.ids, centroid.weights, self.ids, self.weights, self.starts)

    def part(self, members) -> _Part:
        """A part holding ``members``: the same sums as moving them in one by one, in one NumPy pass."""
        members = list(members)
        part = _Part()
        part.centroid = vector_sum([self.vectors[m] for m in members])
        part.size = len(members)
        with_mean = self.with_mean.tolist()
        for member in members:  # in order from 0.0, as moves add
            part.with_mean += with_mean[member]
        part.update()
        return part

    def products(self, part: _Part) -> list[float]:
        """(article - mean) . (part's centroid - n mean), for every article."""
        return centred_dot(self.dots(part.centroid), 1, self.with_mean, part.size, part.with_mean, self.mean_square).tolist()


class _Part:
    """A group of articles in :func:`split_stories`: their summed vector and what its centred cosines need."""

    __slots__ = ("size", "centroid", "square", "with_mean")

    def __init__(self) -> None:
        self.size = 0
        self.centroid = SparseSum()
        self.with_mean = 0.0

    def move(self, story: _Story, member: int, sign: int) -> None:
        """Add (``sign`` 1) or remove (-1) an article; :meth:`update` afterwards."""
        ids, weights = story.vectors[member]
        self.centroid.add(ids, weights, story.scratch, float(sign))
        self.with_mean += sign * float(story.with_mean[member])
        self.size += sign

    def update(self) -> None:
        self.square = self.centroid.square()

    def centred_square(self, mean_square: float) -> float:
        return max(centred_square(self.square, self.size, self.with_mean, mean_square), 0.0)


def _bisect(story: _Story, options: GroupingOptions) -> tuple[list[int], list[int]] | None:
    """The two parts of the story (positions among its articles, in order) if it should be cut, else None."""
    mean_square = story.mean_square
    own_squares = story.own_squares
    articles = range(len(story))

    def cosine(product: float, own_square: float, part_square: float) -> float:
        denominator = math.sqrt(own_square * part_square)
        return product / denominator if denominator > 1e-12 else 0.0

    whole = story.part(articles)
    whole_square = whole.centred_square(mean_square)
    to_whole = story.products(whole)
    first = min(articles, key=lambda i: cosine(to_whole[i], own_squares[i], whole_square))
    seed = story.part([first])
    seed_square = seed.centred_square(mean_square)
    to_seed = story.products(seed)
    second = min((i for i in articles if i != first), key=lambda i: cosine(to_seed[i], own_squares[i], seed_square))
    centres = (seed, story.part([second]))
    dots = (to_seed, story.products(centres[1]))
    side: list[int] = []
    for _ in range(max(options.split_rounds, 1)):  # at least one round: the seeds alone are not parts
        part_squares = [part.centred_square(mean_square) for part in centres]
        if side:
            dots = (story.products(centres[0]), story.products(centres[1]))
        new = [
            0 if cosine(dots[0][i], own_squares[i], part_squares[0]) >= cosine(dots[1][i], own_squares[i], part_squares[1]) else 1
            for i in articles
        ]
        if new == side:  # converged: the dots are those of the final parts
            break
        if not side:
            centres = (story.part([i for i in articles if new[i] == 0]), story.part([i for i in articles if new[i] == 1]))
        else:  # only the articles that changed sides move
            for i in articles:
                if side[i] != new[i]:
                    centres[side[i]].move(story, i, -1)
                    centres[new[i]].move(story, i, 1)
            centres[0].update()
            centres[1].update()
        side = new
        if min(centres[0].size, centres[1].size) < options.split_size:
            return None
    else:  # out of rounds: the dots of the last parts are still to compute
        part_squares = [part.centred_square(mean_square) for part in centres]
        dots = (story.products(centres[0]), story.products(centres[1]))
    margin = 0.0
    for i, own in enumerate(side):
        to_part, self_square = dots[own][i], own_squares[i]
        without_square = part_squares[own] - 2 * to_part + self_square  # the part without the article
        if without_square <= 1e-12 or self_square <= 1e-12:
            continue
        margin += (to_part - self_square) / math.sqrt(self_square * without_square)
        margin -= cosine(dots[1 - own][i], self_square, part_squares[1 - own])
    if margin / len(story) < options.split_margin:
        return None
    return [i for i in articles if side[i] == 0], [i for i in articles if side[i] == 1]
