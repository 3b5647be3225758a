"""Page furniture found in the stream being grouped, dropped before any digest.

A sentence printed under articles of at least ``MIN_STORIES`` unrelated
stories (Twitter embed chrome, archive notices, newsletter prompts) is page
furniture (:mod:`newsdigest.ingest.furniture`). Once a stream is grouped into
stories, :func:`stream_furniture` finds those sentences and
:func:`without_furniture` removes them from every article, so digests,
made from the cleaned text, never quote them and their citations point into
the text they were made from. The list is rebuilt from each stream: it stays
current as the stream changes.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace

from newsdigest.model import Story


def stream_furniture(stories: Sequence[Story]) -> set[str]:
    """Normalised sentences recurring across at least ``MIN_STORIES`` of ``stories``."""
    from newsdigest.ingest.furniture import recurring_sentences

    return recurring_sentences({story.id: story.articles for story in stories})


def without_furniture(stories: Sequence[Story], furniture: Collection[str]) -> list[Story]:
    """``stories`` with the ``furniture`` sentences removed from every article's text.

    An article made only of furniture keeps its place in its story with an
    empty text: it is still reported, but gives no sentence to a digest.
    """
    if not furniture:
        return list(stories)
    from newsdigest.ingest.furniture import drop_furniture_sentences

    cleaned = []
    for story in stories:
        articles = []
        for article in story.articles:
            text = drop_furniture_sentences(article.text, furniture)
            articles.append(article if text == article.text else replace(article, text=text))
        cleaned.append(replace(story, articles=tuple(articles)))
    return cleaned
