"""Story grouping sharded by time window, for streams too long for one process.

The stream is cut into windows of ``window_days`` days of publication date
(:func:`time_windows`); undated articles are one more window, last, as the
single-process grouper takes them last (:func:`stream_order`). Every window is
grouped in date order by :func:`group_window`, a pure function of its
articles and of two pieces of context, so any worker can run it:

* the document frequencies one pass would have when reaching the window:
  counted by a first, cheap parallel pass (:func:`window_terms`) and added up
  on the client (:func:`frequencies_before`);
* the stories open at the end of the previous window (centroids, inverted
  index, clock: :meth:`StoryGrouper.state` without the frequencies), so a
  story that straddles the edge goes on in the next window under the same key.

Round 1 groups every window with no earlier stories, all in parallel. Round
2 re-groups every window but the first, in parallel, starting from the
stories of all the earlier windows of round 1 (:func:`joined_endings`); each
later round re-groups the windows whose previous window ended differently in
the round before, starting from that ending; stories
that straddle an edge are merged there, with the grouper's own similarity
and threshold. After round *r* the first *r* windows are exactly what one
pass gives; ``rounds`` (default 2) bounds the work, and the grouping stops
early when nothing changes (``rounds=None``: until then, which is the one-pass
grouping). How close 2 or 3 rounds come is measured in BENCHMARKS.md. Keys of stories that began
in an earlier window are followed back (:func:`resolve`), so a story joined
across several edges has one key, the id of its first article.

What still differs from one pass: copies (:mod:`newsdigest.stories.copies`)
are found within a window only; a copy of an article of the previous window
is grouped as an article (it usually joins its original's story). Measured on
stories/dev.jsonl in BENCHMARKS.md ("Stories at scale").

Furniture: with ``furniture=True`` a window also returns the sentences that
recur in at least ``MIN_STORIES`` of its stories
(:func:`newsdigest.ingest.furniture.recurring_sentences`), so a pipeline can
drop them from the documents before digesting.

>>> grouping, furniture = group_sharded(documents, window_days=30)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import partial
from itertools import count

from newsdigest.errors import NewsdigestError
from newsdigest.model import Document
from newsdigest.stories.copies import CopyOptions
from newsdigest.stories.detect import Grouping, assign_stream, refined, stream_vectors
from newsdigest.stories.features import DocumentFrequencies, article_terms
from newsdigest.stories.grouping import GroupingOptions, StoryGrouper, stream_order

DEFAULT_WINDOW_DAYS = 30
DEFAULT_ROUNDS = 2


@dataclass(frozen=True)
class Window:
    """The positions (into the input) of one window's articles, in stream order.

    ``number``: days since the first date // window days; None for the undated shard.
    """

    number: int | None
    positions: tuple[int, ...]


@dataclass(frozen=True)
class WindowGrouping:
    """What grouping one window gives back: small, picklable, JSON-ready parts.

    ``story[i]`` / ``copy_of[i]``: as in :class:`~newsdigest.stories.detect.Grouping`,
    for ``ids[i]``. ``ending``: the grouper's state at the end of the window
    without its frequencies (open stories, clock, stories created), the start
    of the next window in a later round. ``furniture``: see the module docstring.
    """

    number: int | None
    ids: tuple[str, ...]
    story: tuple[str, ...]
    copy_of: tuple[str | None, ...]
    ending: dict
    furniture: frozenset[str] = frozenset()


def time_windows(dates: Sequence[dt.date | None], window_days: int = DEFAULT_WINDOW_DAYS) -> list[Window]:
    """Cut a stream into windows of ``window_days`` days of publication date, in date order.

    ``dates[i]`` is the date of article ``i`` (None when undated). Windows
    are counted from the first date; empty windows are left out; the undated
    articles, in input order, come last as a window numbered None.
    """
    if window_days < 1:
        raise NewsdigestError(f"window days must be at least 1, not {window_days}")
    dated = sorted((i for i, d in enumerate(dates) if d), key=lambda i: dates[i])
    windows: list[Window] = []
    if dated:
        first = dates[dated[0]]
        current: list[int] = []
        number = 0
        for i in dated:
            n = (dates[i] - first).days // window_days
            if n != number and current:
                windows.append(Window(number, tuple(current)))
                current = []
            number = n
            current.append(i)
        windows.append(Window(number, tuple(current)))
    undated = tuple(i for i, d in enumerate(dates) if not d)
    if undated:
        windows.append(Window(None, undated))
    return windows


def window_terms(
    documents: Sequence[Document], options: GroupingOptions | None = None, *, primed: int = 0
) -> tuple[DocumentFrequencies, DocumentFrequencies]:
    """The document frequencies of one window's articles, and of its first ``primed`` (stream order).

    The first, cheap pass over the windows: one pass over the stream counts
    every earlier article in the IDF, and its first ``warmup`` articles
    before it starts (see :class:`~newsdigest.stories.grouping.GroupingOptions`).
    """
    options = options or GroupingOptions()
    every = DocumentFrequencies(prior=options.idf_prior)
    first = DocumentFrequencies(prior=options.idf_prior)
    for n, i in enumerate(stream_order(list(documents))):
        terms = article_terms(documents[i].title, documents[i].text, options.features)
        every.add(terms)
        if n < primed:
            first.add(terms)
    return every, first


def _added(parts: Iterable[DocumentFrequencies], prior: int) -> DocumentFrequencies:
    total = DocumentFrequencies(prior=prior)
    for part in parts:
        counts = total.counts
        for term, count in part.counts.items():
            counts[term] = counts.get(term, 0) + count
        total.documents += part.documents
    return total


def frequencies_before(terms: Sequence[tuple[DocumentFrequencies, DocumentFrequencies]], prior: int) -> list[DocumentFrequencies]:
    """For each window, what one pass would have counted when reaching it.

    That is every article of the earlier windows, plus the primed articles
    (the stream's first ``warmup``) of this window and the later ones.
    """
    before = []
    for k in range(len(terms)):
        before.append(_added([every for every, _ in terms[:k]] + [first for _, first in terms[k:]], prior))
    return before


def primed_counts(sizes: Sequence[int], warmup: int) -> list[int]:
    """How many of each window's articles are among the stream's first ``warmup``."""
    counts, seen = [], 0
    for size in sizes:
        counts.append(max(0, min(size, warmup - seen)))
        seen += size
    return counts


def group_window(
    documents: Sequence[Document],
    options: GroupingOptions | None = None,
    copy_options: CopyOptions | None = None,
    *,
    number: int | None = 0,
    frequencies: DocumentFrequencies | None = None,
    primed: int = 0,
    start: dict | None = None,
    find_copies: bool = True,
    furniture: bool = False,
) -> WindowGrouping:
    """Group one window's articles in one pass, as :func:`group_documents` does a whole stream.

    ``frequencies``: the document frequencies one pass over the whole stream
    would have when reaching this window (:func:`frequencies_before`), so the
    window weighs terms as that pass would; its first ``primed`` articles are
    already counted there. Without it, the window primes with its own first
    ``warmup`` articles, like :func:`group_documents`.
    ``start``: the ``ending`` of the previous window: its open stories stay
    open here, so an article can join a story that began before.
    """
    options = options or GroupingOptions()
    documents = list(documents)
    order = stream_order(documents)
    ordered = [documents[i] for i in order]
    grouper = _starting_from(start, options)
    warmup: list[Document] = ordered[: options.warmup]
    if frequencies is not None:
        grouper.frequencies = DocumentFrequencies(frequencies.counts, frequencies.documents, options.idf_prior)
        # already counted in ``frequencies``: the grouper reads their terms without counting them again
        grouper.primed.update((d.id, article_terms(d.title, d.text, options.features)) for d in ordered[:primed])
        warmup = []
    stream = assign_stream(ordered, options, copy_options, find_copies=find_copies, warmup=warmup, grouper=grouper)
    assigned = list(stream)
    ending = grouper.state()
    del ending["frequencies"], ending["options"]
    found: frozenset[str] = frozenset()
    if furniture:
        from newsdigest.ingest.furniture import recurring_sentences

        members: dict[str, list[Document]] = {}
        for doc, (key, original) in zip(ordered, assigned):
            if original is None:  # a copy repeats its original's sentences within one story
                members.setdefault(key, []).append(doc)
        found = frozenset(recurring_sentences(members))
    return WindowGrouping(
        number=number,
        ids=tuple(d.id for d in ordered),
        story=tuple(key for key, _ in assigned),
        copy_of=tuple(original for _, original in assigned),
        ending=ending,
        furniture=found,
    )


def _starting_from(start: dict | None, options: GroupingOptions) -> StoryGrouper:
    """A new grouper, or one holding the open stories, clock and counter of ``start`` (no frequencies)."""
    if not start:
        return StoryGrouper(options)
    state = {**start, "options": asdict(options), "frequencies": {"documents": 0, "counts": {}}}
    return StoryGrouper.from_state(state, options)


def joined_endings(endings: Sequence[dict], options: GroupingOptions) -> dict:
    """One start made of the open stories of several windows grouped alone (round 2).

    Stories one pass would have closed by the end of the last window (idle for
    ``close_after_days``; beyond ``max_open``, the least recent) are left out.
    """
    clock = max((e["clock"] for e in endings if e["clock"]), default=None)
    stories = [item for ending in endings for item in ending["open"]]
    if clock is not None:
        horizon = (dt.date.fromisoformat(clock) - dt.timedelta(days=options.close_after_days)).isoformat()
        stories = [item for item in stories if item["last_time"] is None or item["last_time"] >= horizon]
    stories = sorted(stories, key=lambda item: item["last_time"] or "")[-options.max_open :]  # stable: window order kept
    items = [{**item, "seq": seq} for seq, item in enumerate(stories)]  # seq: unique
    return {"open": items, "clock": clock, "created": len(items)}


def resolve(windows: Iterable[WindowGrouping]) -> Callable[[str], str]:
    """Story key of a window -> final story key, following the keys of earlier windows' stories.

    A key is the id of a story's first article; when that article joined a
    story of an earlier window, the story is that one, and so on back. Each
    step goes to an article earlier in the stream, so it ends. Once the
    rounds have converged, a key never points back further than one step.
    """
    label: dict[str, str] = {}
    for window in windows:
        label.update(zip(window.ids, window.story))

    def final(key: str) -> str:
        while (up := label.get(key, key)) != key:
            key = up
        return key

    return final


def group_sharded(
    documents: Sequence[Document],
    options: GroupingOptions | None = None,
    copy_options: CopyOptions | None = None,
    *,
    window_days: int = DEFAULT_WINDOW_DAYS,
    find_copies: bool = True,
    rounds: int | None = DEFAULT_ROUNDS,
    furniture: bool = False,
    map_windows: Callable = map,
) -> tuple[Grouping, frozenset[str]]:
    """The grouping of ``documents`` by time window, and the furniture found (empty unless ``furniture``).

    ``rounds``: at most this many rounds (see the module docstring); None:
    until nothing changes, which gives exactly the one-pass grouping (copies
    apart) but may take as many rounds as there are windows.
    ``map_windows(function, iterable of items)``: how the windows are grouped
    (the built-in ``map`` here; a process pool's or a Dask client's map to
    spread them over workers). The result does not depend on it.
    """
    documents = list(documents)
    if len({d.id for d in documents}) != len(documents):
        raise NewsdigestError("document ids repeat: story grouping needs unique ids (load_documents gives them)")
    windows = time_windows([d.date for d in documents], window_days)
    parts = [[documents[i] for i in w.positions] for w in windows]
    options = options or GroupingOptions()
    primed = primed_counts([len(part) for part in parts], options.warmup)
    terms = list(map_windows(TermsTask(options), zip(parts, primed)))
    before = frequencies_before(terms, options.idf_prior)
    task = WindowTask(partial(group_window, options=options, copy_options=copy_options, find_copies=find_copies, furniture=furniture))
    results: list[WindowGrouping | None] = [None] * len(windows)
    todo = list(range(len(windows)))
    for round_number in count() if rounds is None else range(max(1, rounds)):
        if round_number == 1:  # every window alone so far: start from all earlier windows' stories
            starts = [joined_endings([r.ending for r in results[:k]], options) if k else None for k in todo]
        else:
            starts = [results[k - 1].ending if round_number and k else None for k in todo]
        items = [(windows[k].number, parts[k], before[k], primed[k], start) for k, start in zip(todo, starts)]
        changed = []
        for k, result in zip(todo, map_windows(task, items)):
            if results[k] is None or result.ending != results[k].ending:
                changed.append(k)
            results[k] = result
        todo = [k + 1 for k in changed if k + 1 < len(windows)]
        if not todo:
            break
    final = resolve(results)
    position = {d.id: i for i, d in enumerate(documents)}
    story: list[str] = [""] * len(documents)
    copy_of: list[str | None] = [None] * len(documents)
    for result in results:
        for doc_id, key, original in zip(result.ids, result.story, result.copy_of):
            story[position[doc_id]], copy_of[position[doc_id]] = final(key), original
    if options.reassign_rounds > 0:  # the one-pass grouping's second pass, over the whole stream
        story = refined(documents, story, copy_of, stream_vectors(documents, copy_of, options), options)
    found = frozenset().union(*(r.furniture for r in results))
    return Grouping(story=tuple(story), copy_of=tuple(copy_of)), found


@dataclass(frozen=True)
class TermsTask:
    """:func:`window_terms` of a ``(documents, primed)`` pair (picklable, unlike a lambda)."""

    options: GroupingOptions

    def __call__(self, item: tuple[list[Document], int]) -> tuple[DocumentFrequencies, DocumentFrequencies]:
        documents, primed = item
        return window_terms(documents, self.options, primed=primed)


@dataclass(frozen=True)
class WindowTask:
    """``task`` applied to a ``(number, documents, frequencies before, primed, start)`` item (picklable)."""

    task: Callable

    def __call__(self, item: tuple) -> WindowGrouping:
        number, documents, frequencies, primed, start = item
        return self.task(documents, number=number, frequencies=frequencies, primed=primed, start=start)
