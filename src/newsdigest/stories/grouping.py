"""Online story grouping: one pass, each article joins the best open story or opens one.

In the spirit of Miranda et al. (2018), "Multilingual clustering of streaming
news": every open story keeps a centroid (the sum of its articles' TF-IDF
vectors, see :mod:`newsdigest.stories.features`); an article is compared with
the centroids of the open stories that share one of its rarest terms (an
inverted index, so the cost does not grow with the length of the stream) and
joins the most similar one when the cosine reaches ``threshold``, else opens a
new story. A story with no new article for ``close_after_days`` days of stream
time closes and leaves memory; so does the least recently updated one when
more than ``max_open`` are open. Memory is therefore flat in the length of the
stream (apart from the document frequencies, which grow with the vocabulary).

Articles must arrive in publication-date order (:func:`stream_order`); an
undated article is compared without time decay. The grouper is plain dicts and
NumPy arrays (centroids over term ids, :mod:`newsdigest.stories.sparse`): it
pickles (Dask workers) and :meth:`StoryGrouper.state` gives a JSON form, with
terms rather than ids, that a store can keep between runs. Like the document
frequencies, the vocabulary of term ids grows with the stream's vocabulary.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, OrderedDict
from dataclasses import asdict, dataclass, field

import numpy as np

from newsdigest.model import Document
from newsdigest.stories.features import (
    DocumentFrequencies,
    FeatureOptions,
    article_terms,
    weigh_arrays,
)
from newsdigest.stories.sparse import Scratch, SparseSum, SparseVector, TermIds, heaviest


@dataclass(frozen=True)
class GroupingOptions:
    """Every setting of the grouping, with the reason for its default.

    ``threshold``: least cosine between an article and a story centroid for the
    article to join it (tuned on stories/dev.jsonl with the second pass on:
    B-cubed F1 0.899 / 0.902 / 0.914 / 0.918 / 0.918 at 0.13 / 0.14 / 0.15 /
    0.16 / 0.17 before small stories were merged; with it, 0.910 / 0.922 /
    0.927 / 0.924 / 0.923 at 0.14 / 0.15 / 0.16 / 0.17 / 0.18, see BENCHMARKS.md).
    ``decay_days``: the cosine is multiplied by ``exp(-gap / decay_days)``,
    ``gap`` being the days since the story's last article (``None``: no decay).
    ``close_after_days``: a story with no new article for this many days of
    stream time closes. ``max_open``: at most this many stories stay open (the
    least recently updated close first). ``centroid_terms``: a centroid keeps
    its heaviest terms only. ``probe_terms``: how many of an article's heaviest
    terms look up candidate stories in the inverted index. ``warmup``: the
    first articles of a batch count in the IDF before the pass starts.
    ``idf_prior``: the IDF counts this many extra documents that hold no term,
    so that in a small input (five articles on one story) the words every
    article shares are not weighed down to nothing; on stories/dev.jsonl it
    also lifts B-cubed F1 from 0.886 to 0.892.
    ``reassign_rounds``: after the pass over a whole batch
    (:func:`~newsdigest.stories.group_documents`), at most this many rounds
    move articles to the story whose final centroid fits them best
    (:mod:`newsdigest.stories.refine`); 0 keeps the one pass as it is. The
    stream (:class:`StoryGrouper`, ``assign_stream``) has no second pass.
    ``merge_size`` and ``merge_threshold``: after those rounds, a story of at
    most ``merge_size`` articles joins the story (at least as large) whose
    centroid is most similar to its own, centred on the mean article, when that
    cosine reaches ``merge_threshold`` (:func:`~newsdigest.stories.refine.merge_small_stories`):
    pieces of one story that the pass opened apart come together (0 turns it
    off). On stories/dev.jsonl B-cubed F1 0.918 -> 0.927; on two halves of the
    gold stories, each grouped alone, 0.953 -> 0.956 and 0.911 -> 0.924 with
    the same setting (0.16 also gains on both halves, 0.20 on one; see
    BENCHMARKS.md). Part of the second pass: off with ``reassign_rounds=0``. Larger stories are not merged: the centroids of two big
    stories on related events (Turkey and Syria, the Kurds) are as close as
    those of two halves of one story.
    ``split_size``, ``split_margin`` and ``split_rounds``: before small stories
    merge, a story of at least ``2 * split_size`` articles is cut in two when
    2-means (at most ``split_rounds`` rounds) finds two parts of at least
    ``split_size`` articles each, each article nearer its own part than the
    other by ``split_margin`` on average (centred cosines,
    :func:`~newsdigest.stories.refine.split_stories`; 0 turns it off). It
    parts related events the pass merged (the Three Gorges dam and the
    Yangtze floods; Turkey and Syria, the Kurds): on stories/dev.jsonl
    B-cubed F1 0.927 -> 0.940, on the two halves 0.956 -> 0.968 and
    0.924 -> 0.932 (the same at margin 0.15 and 0.25 on the whole set).
    """

    threshold: float = 0.16
    decay_days: float | None = None
    close_after_days: int = 1000
    max_open: int = 20_000
    centroid_terms: int = 200
    probe_terms: int = 12
    warmup: int = 1000
    idf_prior: int = 100
    reassign_rounds: int = 1
    merge_size: int = 3
    merge_threshold: float = 0.18
    split_size: int = 4
    split_margin: float = 0.2
    split_rounds: int = 5
    features: FeatureOptions = field(default_factory=FeatureOptions)

    @classmethod
    def from_dict(cls, data: dict) -> GroupingOptions:
        data = dict(data)
        features = FeatureOptions(**data.pop("features", {}))
        return cls(features=features, **data)


class _OpenStory:
    """An open story: its centroid (term ids and weights) and what closing it needs."""

    __slots__ = ("key", "seq", "centroid", "norm", "size", "last_date", "last_time")

    def __init__(self, key: str, seq: int) -> None:
        self.key = key
        self.seq = seq
        self.centroid = SparseSum()
        self.norm = 0.0
        self.size = 0
        self.last_date: dt.date | None = None  # of its latest dated article
        self.last_time: dt.date | None = None  # stream clock when it last grew


def stream_order(documents: list[Document]) -> list[int]:
    """Indices of ``documents`` in processing order: dated ones by (date, id), then undated in input order.

    Sorting dated articles by id on equal dates makes the grouping of dated
    input independent of the order it was given in.
    """
    dated = sorted((i for i, d in enumerate(documents) if d.date), key=lambda i: (documents[i].date, documents[i].id))
    undated = [i for i, d in enumerate(documents) if not d.date]
    return dated + undated


class StoryGrouper:
    """Assign articles to stories one at a time (see the module docstring).

    >>> grouper = StoryGrouper()
    >>> key = grouper.add(document)   # the id of the first article of its story
    """

    def __init__(self, options: GroupingOptions | None = None, *, keep_vectors: bool = False) -> None:
        self.options = options or GroupingOptions()
        # keep_vectors: remember every article's vector by id, as term ids and weights (for a second pass,
        # :mod:`newsdigest.stories.refine`): about 2 KB an article.
        self.vectors: dict[str, SparseVector] | None = {} if keep_vectors else None
        self.frequencies = DocumentFrequencies(prior=self.options.idf_prior)
        self.open: OrderedDict[str, _OpenStory] = OrderedDict()  # least recently updated first
        self.by_seq: dict[int, _OpenStory] = {}
        self.term_ids = TermIds()
        self.scratch = Scratch()
        self.postings: dict[int, set[int]] = {}  # term id -> seq of the open stories whose centroid holds it
        self.clock: dt.date | None = None
        self.created = 0
        self.primed: dict[str, Counter] = {}  # id -> term counts of articles counted by prime()

    # --- the pass -----------------------------------------------------------

    def prime(self, documents) -> None:
        """Count ``documents`` in the document frequencies before the pass (see ``warmup``).

        At the start of a stream the IDF knows too few articles to tell a
        common word from a rare one; priming with the first articles gives
        them the weights they would have later.
        """
        for document in documents:
            counts = article_terms(document.title, document.text, self.options.features)
            self.frequencies.add(counts)
            self.primed[document.id] = counts  # kept until the article comes, so it is read once

    def weighed(self, document: Document) -> tuple[list[str], np.ndarray]:
        """The article's terms and TF-IDF weights; counts it in the document frequencies (unless primed with it)."""
        options = self.options.features
        counts = self.primed.pop(document.id, None)
        if counts is None:
            counts = article_terms(document.title, document.text, options)
            self.frequencies.add(counts)
        return weigh_arrays(counts, self.frequencies, options.max_terms)

    def sparse_vector(self, document: Document) -> SparseVector:
        """The article's TF-IDF vector as term ids (of this grouper's vocabulary) and weights (see :meth:`weighed`)."""
        terms, weights = self.weighed(document)
        return self._ids(terms), weights

    def add(self, document: Document) -> str:
        """Put ``document`` in a story; returns the story key (id of its first article)."""
        if document.date and (self.clock is None or document.date > self.clock):
            self.clock = document.date
            self._close_expired()
        ids, weights = self.sparse_vector(document)
        if self.vectors is not None:
            self.vectors[document.id] = (ids, weights)
        story = self._best_story(ids, weights, document.date)
        if story is None:
            story = _OpenStory(document.id, self.created)
            self.created += 1
            self.open[story.key] = story
            self.by_seq[story.seq] = story
        self._grow(story, ids, weights, document.date)
        while len(self.open) > self.options.max_open:
            self._close(next(iter(self.open.values())))
        return story.key

    def _ids(self, terms: list[str]) -> np.ndarray:
        ids = self.term_ids(terms)
        self.scratch.fit(len(self.term_ids))
        return ids

    def scores(self, ids: np.ndarray, weights: np.ndarray, stories: list[_OpenStory], date: dt.date | None) -> np.ndarray:
        """Cosine of the article with each story's centroid, times the time decay (a subclass may score otherwise: bench/dense.py)."""
        products = self.scratch.dots(ids, weights, [story.centroid for story in stories])
        norms = np.fromiter((story.norm for story in stories), dtype=np.float64, count=len(stories))
        scores = np.divide(products, norms, out=np.zeros(len(stories)), where=norms > 0)
        decay = self.options.decay_days
        if decay and date:
            gaps = np.fromiter(
                (abs((date - s.last_date).days) if s.last_date else 0 for s in stories), dtype=np.float64, count=len(stories)
            )
            scores *= np.exp(-gaps / decay)
        return scores

    def _best_story(self, ids: np.ndarray, weights: np.ndarray, date: dt.date | None) -> _OpenStory | None:
        """The open story the article joins: among those sharing one of its heaviest terms, the first of the best
        cosines (stories in order of creation) that reaches the threshold; None when none does."""
        postings = self.postings
        seqs: set[int] = set()
        for term in ids[heaviest(weights, self.options.probe_terms)].tolist():
            seqs.update(postings.get(term, ()))
        if not seqs:
            return None
        stories = list(map(self.by_seq.__getitem__, sorted(seqs)))
        scores = self.scores(ids, weights, stories, date)
        best = int(np.argmax(scores))  # the first of the largest
        return stories[best] if scores[best] >= self.options.threshold else None

    def _grow(self, story: _OpenStory, ids: np.ndarray, weights: np.ndarray, date: dt.date | None) -> None:
        centroid = story.centroid
        olds, new = centroid.add(ids, weights, self.scratch)
        # |c + v|^2 = |c|^2 + the sum of v_t (2 c_t + v_t)
        square = story.norm * story.norm + float(np.dot(weights, 2.0 * olds + weights))
        postings = self.postings
        for term in new.tolist():
            seqs = postings.get(term)
            if seqs is None:
                postings[term] = {story.seq}
            else:
                seqs.add(story.seq)
        limit = self.options.centroid_terms
        if len(centroid) > limit * 2:  # trim now and then, not at every article
            # A stable sort: equal weights keep their order, so the same input keeps the same terms.
            order = heaviest(centroid.weights, len(centroid))
            self._unpost_all(centroid.ids[order[limit:]].tolist(), story.seq)
            centroid.keep(order[:limit])
            square = centroid.square()
        story.norm = math.sqrt(max(square, 0.0))
        story.size += 1
        if date and (story.last_date is None or date > story.last_date):
            story.last_date = date
        story.last_time = self.clock
        self.open.move_to_end(story.key)

    # --- closing ------------------------------------------------------------

    def _close_expired(self) -> None:
        horizon = self.clock - dt.timedelta(days=self.options.close_after_days)
        while self.open:
            oldest = next(iter(self.open.values()))
            if oldest.last_time is None or oldest.last_time >= horizon:
                break
            self._close(oldest)

    def _close(self, story: _OpenStory) -> None:
        del self.open[story.key]
        del self.by_seq[story.seq]
        self._unpost_all(story.centroid.ids.tolist(), story.seq)

    def _unpost_all(self, terms: list[int], seq: int) -> None:
        """Take story ``seq`` off the postings of ``terms`` (a term no story holds leaves the index)."""
        postings = self.postings
        for term in terms:
            seqs = postings.get(term)
            if seqs is not None:
                seqs.discard(seq)
                if not seqs:
                    del postings[term]

    def is_open(self, key: str) -> bool:
        return key in self.open

    def _terms_of(self, centroid: SparseSum) -> dict[str, float]:
        """A centroid as a dict of terms (for :meth:`state`)."""
        return dict(zip(map(self.term_ids.terms.__getitem__, centroid.ids.tolist()), centroid.weights.tolist()))

    # --- persistence --------------------------------------------------------

    def state(self) -> dict:
        """Everything needed to go on later, as JSON-ready data."""
        return {
            "options": asdict(self.options),
            "frequencies": {"documents": self.frequencies.documents, "counts": self.frequencies.counts},
            "clock": self.clock.isoformat() if self.clock else None,
            "created": self.created,
            "open": [
                {
                    "key": s.key,
                    "seq": s.seq,
                    "centroid": self._terms_of(s.centroid),
                    "size": s.size,
                    "last_date": s.last_date.isoformat() if s.last_date else None,
                    "last_time": s.last_time.isoformat() if s.last_time else None,
                }
                for s in self.open.values()
            ],
        }

    @classmethod
    def from_state(cls, state: dict, options: GroupingOptions | None = None) -> StoryGrouper:
        grouper = cls(options or GroupingOptions.from_dict(state["options"]))
        grouper.frequencies = DocumentFrequencies(
            state["frequencies"]["counts"], state["frequencies"]["documents"], grouper.options.idf_prior
        )
        grouper.clock = dt.date.fromisoformat(state["clock"]) if state["clock"] else None
        grouper.created = state["created"]
        for item in state["open"]:
            story = _OpenStory(item["key"], item["seq"])
            centroid = dict(item["centroid"])
            story.centroid = SparseSum(grouper._ids(list(centroid)), np.fromiter(centroid.values(), dtype=np.float64, count=len(centroid)))
            story.norm = math.sqrt(sum(w * w for w in centroid.values()))
            story.size = item["size"]
            story.last_date = dt.date.fromisoformat(item["last_date"]) if item["last_date"] else None
            story.last_time = dt.date.fromisoformat(item["last_time"]) if item["last_time"] else None
            grouper.open[story.key] = story
            grouper.by_seq[story.seq] = story
            for term in story.centroid.ids.tolist():
                grouper.postings.setdefault(term, set()).add(story.seq)
        return grouper
