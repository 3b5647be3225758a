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
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from itertools import repeat
from operator import add, mul

from newsdigest.stories.features import Vector, dot, heaviest_terms, squared_norm
from newsdigest.stories.grouping import GroupingOptions


def reassign(
    vectors: Sequence[Vector],
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
    for _ in range(options.reassign_rounds):
        moved = _one_round(vectors, labels, dates, options)
        if not moved:
            break
    if options.reassign_rounds > 0:  # 0 rounds: no second pass at all
        labels = split_stories(vectors, labels, options)
    if options.reassign_rounds > 0 and options.merge_size > 0:
        labels = merge_small_stories(vectors, labels, dates, options)
    return labels


def merge_small_stories(
    vectors: Sequence[Vector],
    labels: Sequence[str],
    dates: Sequence[dt.date | None],
    options: GroupingOptions,
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
    centroids: dict[str, dict[str, float]] = {}
    sizes: dict[str, int] = {}
    spans: dict[str, list[dt.date]] = {}
    mean: dict[str, float] = {}
    for vector, key, date in zip(vectors, labels, dates):
        _move(vector, centroids.setdefault(key, {}), 1.0)
        _move(vector, mean, 1.0 / len(vectors))
        sizes[key] = sizes.get(key, 0) + 1
        if date:
            _widen(spans, key, date)
    mean_square = squared_norm(mean)
    rank = {key: n for n, key in enumerate(centroids)}
    with_mean = {key: dot(c, mean) for key, c in centroids.items()}  # centroid . mean, kept up to date on merges
    squares = {key: squared_norm(c) for key, c in centroids.items()}

    def centred_norm(key: str) -> float:
        n = sizes[key]
        return math.sqrt(max(squares[key] - 2 * n * with_mean[key] + n * n * mean_square, 0.0))

    postings: dict[str, set[str]] = {}
    for key, centroid in centroids.items():
        for term in heaviest_terms(centroid, options.centroid_terms):
            postings.setdefault(term, set()).add(key)
    reach = dt.timedelta(days=options.close_after_days)
    target: dict[str, str] = {}
    for key in sorted(centroids, key=lambda k: (sizes[k], rank[k])):
        norm = centred_norm(key)
        if sizes[key] > options.merge_size or norm <= 1e-9:
            continue
        centroid = centroids[key]
        candidates: set[str] = set()
        for term in heaviest_terms(centroid, options.probe_terms):
            candidates.update(postings.get(term, ()))
        best, best_score = None, options.merge_threshold
        for other in sorted(candidates, key=rank.__getitem__):
            if other == key or other in target or sizes[other] < sizes[key]:
                continue
            if key in spans and other in spans and not (
                spans[other][0] - reach <= spans[key][1] and spans[key][0] <= spans[other][1] + reach
            ):
                continue
            other_norm = centred_norm(other)
            if other_norm <= 1e-9:
                continue
            product = (
                dot(centroid, centroids[other]) - sizes[other] * with_mean[key] - sizes[key] * with_mean[other]
                + sizes[key] * sizes[other] * mean_square
            )
            score = product / (norm * other_norm)
            if score >= best_score and (best is None or score > best_score):
                best, best_score = other, score
        if best is None:
            continue
        target[key] = best
        merged = centroids[best]
        for term in centroid.keys() - merged.keys():
            postings.setdefault(term, set()).add(best)
        _move(centroid, merged, 1.0)
        squares[best] = squared_norm(merged)
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


def _one_round(vectors: Sequence[Vector], labels: list[str], dates: Sequence[dt.date | None], options: GroupingOptions) -> int:
    centroids: dict[str, dict[str, float]] = {}
    spans: dict[str, list[dt.date]] = {}  # first and last date of each story's dated articles
    for vector, key, date in zip(vectors, labels, dates):
        _move(vector, centroids.setdefault(key, {}), 1.0)
        if date:
            _widen(spans, key, date)
    reach = dt.timedelta(days=options.close_after_days)
    rank = {key: n for n, key in enumerate(centroids)}  # ties go to the story seen first
    squares = {key: squared_norm(c) for key, c in centroids.items()}
    postings: dict[str, list[str]] = {}
    for key, centroid in centroids.items():
        for term in heaviest_terms(centroid, options.centroid_terms):
            postings.setdefault(term, []).append(key)
    moved = 0
    for position, (vector, own, date) in enumerate(zip(vectors, labels, dates)):
        if not vector:
            continue
        candidates = {own}
        for term in heaviest_terms(vector, options.probe_terms):
            candidates.update(postings.get(term, ()))
        if date:
            candidates = {
                key for key in candidates
                if key == own or key not in spans or spans[key][0] - reach <= date <= spans[key][1] + reach
            }
        self_square = squared_norm(vector)
        best, best_score, dots = own, -math.inf, {}
        for key in sorted(candidates, key=rank.__getitem__):
            product = dots[key] = dot(vector, centroids[key])
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
            _move(vector, centroids[own], -1.0)
            _move(vector, centroids[best], 1.0)
            squares[own] += self_square - 2 * dots[own]
            squares[best] += self_square + 2 * dots[best]
            labels[position] = best
            if date:
                _widen(spans, best, date)
            moved += 1
    return moved


def _widen(spans: dict[str, list[dt.date]], key: str, date: dt.date) -> None:
    span = spans.get(key)
    if span is None:
        spans[key] = [date, date]
    elif date < span[0]:
        span[0] = date
    elif date > span[1]:
        span[1] = date


def _move(vector: Vector, centroid: dict[str, float], sign: float) -> None:
    """``centroid[t] += sign * vector[t]`` for every term, with C-level maps."""
    centroid.update(zip(vector, map(add, map(centroid.get, vector, repeat(0.0)), map(mul, repeat(sign), vector.values()))))


def split_stories(vectors: Sequence[Vector], labels: Sequence[str], options: GroupingOptions) -> list[str]:
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
    mean: dict[str, float] = {}
    for vector in vectors:
        _move(vector, mean, 1.0 / len(vectors))
    mean_square = squared_norm(mean)
    members: dict[str, list[int]] = {}
    for position, key in enumerate(labels):
        members.setdefault(key, []).append(position)
    pending = [positions for positions in members.values() if len(positions) >= 2 * options.split_size]
    while pending:
        positions = pending.pop()
        parts = _bisect(vectors, positions, mean, mean_square, options)
        if parts is None:
            continue
        for part in parts:
            key = labels[part[0]] if part[0] == positions[0] else f"{labels[positions[0]]}/{part[0]}"
            for position in part:
                labels[position] = key
            if len(part) >= 2 * options.split_size:
                pending.append(part)
    return labels


class _Part:
    """A group of articles in :func:`split_stories`: their summed vector and what its centred cosines need."""

    __slots__ = ("size", "centroid", "square", "with_mean")

    def __init__(self, vectors: Sequence[Vector], members: Iterable[int], with_mean: Sequence[float]) -> None:
        self.size = 0
        self.centroid: dict[str, float] = {}
        self.with_mean = 0.0
        for member in members:
            self.move(vectors[member], with_mean[member], 1)
        self.update()

    def move(self, vector: Vector, vector_with_mean: float, sign: int) -> None:
        """Add (``sign`` 1) or remove (-1) an article; :meth:`update` afterwards."""
        _move(vector, self.centroid, float(sign))
        self.with_mean += sign * vector_with_mean
        self.size += sign

    def update(self) -> None:
        self.square = squared_norm(self.centroid)

    def centred_square(self, mean_square: float) -> float:
        n = self.size
        return max(self.square - 2 * n * self.with_mean + n * n * mean_square, 0.0)

    def centred_dot(self, vector: Vector, vector_with_mean: float, mean_square: float) -> float:
        """(vector - mean) . (centroid - n mean)."""
        n = self.size
        return dot(vector, self.centroid) - n * vector_with_mean - self.with_mean + n * mean_square


def _bisect(vectors, positions, mean, mean_square, options) -> tuple[list[int], list[int]] | None:
    """The two parts of ``positions`` (each in input order) if the story should be cut, else None."""
    story = [vectors[p] for p in positions]  # read once (packed vectors unpack at each read)
    story_with_mean = [dot(vector, mean) for vector in story]
    # |article - mean|^2
    own_squares = [max(squared_norm(v) - 2 * m + mean_square, 0.0) for v, m in zip(story, story_with_mean)]
    articles = range(len(positions))

    def cosine(product: float, own_square: float, part_square: float) -> float:
        denominator = math.sqrt(own_square * part_square)
        return product / denominator if denominator > 1e-12 else 0.0

    def products(part: _Part) -> list[float]:
        return [part.centred_dot(vector, product, mean_square) for vector, product in zip(story, story_with_mean)]

    whole = _Part(story, articles, story_with_mean)
    whole_square = whole.centred_square(mean_square)
    to_whole = products(whole)
    first = min(articles, key=lambda i: cosine(to_whole[i], own_squares[i], whole_square))
    seed = _Part(story, [first], story_with_mean)
    seed_square = seed.centred_square(mean_square)
    to_seed = products(seed)
    second = min((i for i in articles if i != first), key=lambda i: cosine(to_seed[i], own_squares[i], seed_square))
    centres = (seed, _Part(story, [second], story_with_mean))
    dots = (to_seed, products(centres[1]))
    side: list[int] = []
    for _ in range(max(options.split_rounds, 1)):  # at least one round: the seeds alone are not parts
        part_squares = [part.centred_square(mean_square) for part in centres]
        if side:
            dots = (products(centres[0]), products(centres[1]))
        new = [
            0 if cosine(dots[0][i], own_squares[i], part_squares[0]) >= cosine(dots[1][i], own_squares[i], part_squares[1]) else 1
            for i in articles
        ]
        if new == side:  # converged: the dots are those of the final parts
            break
        if not side:
            centres = (_Part(story, [i for i in articles if new[i] == 0], story_with_mean),
                       _Part(story, [i for i in articles if new[i] == 1], story_with_mean))
        else:  # only the articles that changed sides move
            for i in articles:
                if side[i] != new[i]:
                    centres[side[i]].move(story[i], story_with_mean[i], -1)
                    centres[new[i]].move(story[i], story_with_mean[i], 1)
            centres[0].update()
            centres[1].update()
        side = new
        if min(centres[0].size, centres[1].size) < options.split_size:
            return None
    else:  # out of rounds: the dots of the last parts are still to compute
        part_squares = [part.centred_square(mean_square) for part in centres]
        dots = (products(centres[0]), products(centres[1]))
    margin = 0.0
    for i, own in enumerate(side):
        to_part, self_square = dots[own][i], own_squares[i]
        without_square = part_squares[own] - 2 * to_part + self_square  # the part without the article
        if without_square <= 1e-12 or self_square <= 1e-12:
            continue
        margin += (to_part - self_square) / math.sqrt(self_square * without_square)
        margin -= cosine(dots[1 - own][i], self_square, part_squares[1 - own])
    if margin / len(positions) < options.split_margin:
        return None
    return [p for p, a in zip(positions, side) if a == 0], [p for p, a in zip(positions, side) if a == 1]
