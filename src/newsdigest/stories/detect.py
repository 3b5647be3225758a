"""From mixed articles to ranked stories: copies merged, one grouping pass, titles.

:func:`group_documents` is the pure core (documents in, labels out; it
pickles, so a Dask worker can run it); :func:`build_stories` turns its labels
into :class:`~newsdigest.model.Story` objects; :func:`detect_stories` does both.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from newsdigest.errors import NewsdigestError
from newsdigest.model import Document, Story
from newsdigest.stories.copies import CopyFinder, CopyOptions, as_copy
from newsdigest.stories.grouping import GroupingOptions, StoryGrouper, stream_order
from newsdigest.stories.refine import reassign

TITLE_WORDS = 12  # a story without any headline is named by its lead's first words


@dataclass(frozen=True)
class Grouping:
    """Where every input article went, position by position.

    ``story[i]``: key of the story of article ``i`` (the id of the story's first
    article); ``copy_of[i]``: the id of the article it copies, or None.
    """

    story: tuple[str, ...]
    copy_of: tuple[str | None, ...]


def story_id(first_article_id: str) -> str:
    """A stable story id: the same first article gives the same id on every run."""
    return "story-" + hashlib.sha1(first_article_id.encode("utf-8")).hexdigest()[:12]


def assign_stream(
    documents: Iterable[Document],
    options: GroupingOptions | None = None,
    copy_options: CopyOptions | None = None,
    *,
    find_copies: bool = True,
    warmup: Iterable[Document] = (),
    grouper: StoryGrouper | None = None,
) -> Iterator[tuple[str, str | None]]:
    """For each document of a stream already in publication order: (story key, id of the article it copies or None).

    Memory stays flat however long the stream: only open stories and recent
    articles (for copies) are kept, plus the map of recent originals to stories.
    ``warmup``: articles (usually the stream's first) counted in the IDF first.
    ``grouper``: the grouper to use (a new one with ``options`` when None), so
    a caller can read its open stories afterwards.
    """
    grouper = grouper if grouper is not None else StoryGrouper(options)
    grouper.prime(warmup)
    finder = CopyFinder(copy_options) if find_copies else None
    key_of_id: dict[str, str] = {}
    for doc in documents:
        original = finder.add(doc) if finder else None
        if original is not None:
            yield key_of_id[original], original
        else:
            key = grouper.add(doc)
            if finder:
                key_of_id[doc.id] = key
                if len(key_of_id) > finder.options.max_entries:  # a copy is looked up among recent articles only
                    del key_of_id[next(iter(key_of_id))]
            yield key, None


def group_documents(
    documents: Sequence[Document],
    options: GroupingOptions | None = None,
    copy_options: CopyOptions | None = None,
    *,
    find_copies: bool = True,
    grouper: StoryGrouper | None = None,
) -> Grouping:
    """Assign every document to a story (see :mod:`newsdigest.stories.grouping`).

    Copies (see :mod:`newsdigest.stories.copies`) join the story of the
    article they copy without being compared on their own. Document ids must
    be unique (``load_documents`` makes them so). The first ``warmup``
    articles warm the IDF up before the pass; after it, up to
    ``reassign_rounds`` rounds move articles to their best final story
    (:mod:`newsdigest.stories.refine`), and copies follow their originals.
    ``grouper``: the one pass's grouper (a subclass scoring otherwise, as
    bench/dense.py's), made with ``keep_vectors`` when there is a second
    pass; by default a :class:`StoryGrouper` with ``options``, which the
    second pass uses either way.
    """
    documents = list(documents)
    seen: set[str] = set()
    for doc in documents:
        if doc.id in seen:
            raise NewsdigestError(f"document id {doc.id!r} repeats: story grouping needs unique ids (load_documents gives them)")
        seen.add(doc.id)
    options = options or GroupingOptions()
    order = stream_order(documents)
    story: list[str] = [""] * len(documents)
    copy_of: list[str | None] = [None] * len(documents)
    warmup = [documents[i] for i in order[: options.warmup]]
    if grouper is None:
        grouper = StoryGrouper(options, keep_vectors=options.reassign_rounds > 0)
    stream = assign_stream(
        (documents[i] for i in order), options, copy_options, find_copies=find_copies, warmup=warmup, grouper=grouper
    )
    for i, (key, original) in zip(order, stream):
        story[i], copy_of[i] = key, original
    if options.reassign_rounds > 0:
        story = refined(documents, story, copy_of, grouper.vectors, options)
    return Grouping(story=tuple(story), copy_of=tuple(copy_of))


def refined(
    documents: Sequence[Document],
    story: Sequence[str],
    copy_of: Sequence[str | None],
    vectors: dict[str, object],
    options: GroupingOptions,
) -> list[str]:
    """The story keys after the second pass (:mod:`newsdigest.stories.refine`); copies follow their originals.

    ``vectors``: each original article's vector as the pass computed it, by id, as term ids and weights
    (:meth:`~newsdigest.stories.grouping.StoryGrouper.sparse_vector`).
    """
    order = stream_order(list(documents))
    grouped = [i for i in order if copy_of[i] is None]
    labels = reassign(
        [vectors[documents[i].id] for i in grouped],
        [story[i] for i in grouped],
        [documents[i].date for i in grouped],
        options,
    )
    # A story is named by its first article again: the one that opened it may have moved.
    first: dict[str, str] = {}
    labels = [first.setdefault(label, documents[i].id) for i, label in zip(grouped, labels)]
    final = {documents[i].id: key for i, key in zip(grouped, labels)}
    return [final[documents[i].id if copy_of[i] is None else copy_of[i]] for i in range(len(documents))]


def stream_vectors(documents: Sequence[Document], copy_of: Sequence[str | None], options: GroupingOptions) -> dict[str, object]:
    """Every original article's vector as one pass in stream order computes it (IDF warmed up the same way), sparse."""
    order = stream_order(list(documents))
    grouper = StoryGrouper(options)
    grouper.prime(documents[i] for i in order[: options.warmup])
    return {documents[i].id: grouper.sparse_vector(documents[i]) for i in order if copy_of[i] is None}


def build_stories(documents: Sequence[Document], grouping: Grouping) -> list[Story]:
    """Stories from a :class:`Grouping`, copies folded into their originals, ranked.

    Ranking: most distinct sources first, then the most recent, then the largest.
    """
    copies: dict[str, list] = {}
    for doc, original in zip(documents, grouping.copy_of):
        if original is not None:
            copies.setdefault(original, []).append(as_copy(doc))
    members: dict[str, list[Document]] = {}
    for doc, key, original in zip(documents, grouping.story, grouping.copy_of):
        if original is None:
            merged = replace(doc, copies=doc.copies + tuple(copies.get(doc.id, ()))) if doc.id in copies else doc
            members.setdefault(key, []).append(merged)
    stories = []
    for key, articles in members.items():
        order = stream_order(articles)
        articles = [articles[i] for i in order]
        stories.append(Story(id=story_id(key), articles=tuple(articles), title=story_title(articles)))
    return sorted(stories, key=rank_key)


def rank_key(story: Story):
    end = story.end or dt.date.min
    return (-len(story.sources), -end.toordinal(), -len(story.articles), story.id)


def story_title(articles: Sequence[Document]) -> str:
    """The headline most articles share; else the one closest to the others; else the lead's first words."""
    titles = [" ".join(a.title.split()) for a in articles if a.title.strip()]
    if titles:
        counts = Counter(t.casefold() for t in titles)
        top, count = counts.most_common(1)[0]
        if count > 1:
            return next(t for t in titles if t.casefold() == top)
        from newsdigest.nlp.text import stems

        bags = [set(stems(t, drop_stop_words=True)) for t in titles]
        # How many words each title shares with the others, summed: linear in the titles, not quadratic.
        frequency = Counter(stem for bag in bags for stem in bag)
        shared = [sum(frequency[stem] - 1 for stem in bag) for bag in bags]
        return titles[shared.index(max(shared))]
    from newsdigest.nlp.text import split_sentences

    text = articles[0].text
    spans = split_sentences(text[:2000])
    lead = text[spans[0][0] : spans[0][1]] if spans else text
    words = lead.split()
    return " ".join(words[:TITLE_WORDS]) + (" …" if len(words) > TITLE_WORDS else "")


def detect_stories(
    documents: Sequence[Document],
    *,
    threshold: float | None = None,
    close_after_days: int | None = None,
    options: GroupingOptions | None = None,
    copy_options: CopyOptions | None = None,
    find_copies: bool = True,
    drop_furniture: bool = True,
) -> list[Story]:
    """Group mixed articles into stories, ranked by distinct sources then recency.

    Every article ends in exactly one story; copies of one wire story become
    one article listing them (``Document.copies``). ``threshold`` and
    ``close_after_days`` override those of ``options`` (see
    :class:`~newsdigest.stories.grouping.GroupingOptions`). With
    ``drop_furniture``, sentences recurring across unrelated stories of this
    stream are removed from the articles (:mod:`newsdigest.stories.furniture`).
    """
    options = options or GroupingOptions()
    if threshold is not None:
        options = replace(options, threshold=threshold)
    if close_after_days is not None:
        options = replace(options, close_after_days=close_after_days)
    documents = list(documents)
    grouping = group_documents(documents, options, copy_options, find_copies=find_copies)
    stories = build_stories(documents, grouping)
    if drop_furniture:
        from newsdigest.stories.furniture import stream_furniture, without_furniture

        stories = without_furniture(stories, stream_furniture(stories))
    return stories
