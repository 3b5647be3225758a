"""The data flow: documents -> sentences -> selection -> reading order -> cited digest."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from newsdigest.summarize.cite import cite
from newsdigest.errors import NewsdigestError
from newsdigest.model import Budget, Digest, Document, Problem, Sentence, Story
from newsdigest.summarize.order import reading_order
from newsdigest.summarize.registry import DEFAULT_METHOD, get_method
from newsdigest.nlp.text import count_words, split_sentences

# Default length: a twentieth of the input, kept between a short paragraph and
# a long one (the seeds' ~3,400 words give 170).
DEFAULT_WORDS_MIN = 100
DEFAULT_WORDS_MAX = 250
DEFAULT_WORDS_FRACTION = 1 / 20


def default_words(documents: Sequence[Document]) -> int:
    total = sum(count_words(d.text) for d in documents)
    return int(min(DEFAULT_WORDS_MAX, max(DEFAULT_WORDS_MIN, total * DEFAULT_WORDS_FRACTION)))


def cluster_warnings(documents: Sequence[Document]) -> list[Problem]:
    """Warnings about the cluster as a whole (the documents themselves were fine)."""
    if len(documents) == 1:
        d = documents[0]
        return [Problem(d.path or d.id, "only one article: nothing to cross-check, the digest summarizes it alone", fatal=False)]
    return []


def checked_documents(documents: Sequence[Document]) -> list[Document]:
    """``documents`` as a list, or NewsdigestError naming the first item that is not a usable Document."""
    if isinstance(documents, (str, bytes, Document)) or not isinstance(documents, Iterable):
        raise NewsdigestError(f"documents must be a list of Document, got {type(documents).__name__}")
    documents = list(documents)
    for k, doc in enumerate(documents):
        if not isinstance(doc, Document):
            raise NewsdigestError(f"documents[{k}] is a {type(doc).__name__}, not a Document")
        if not isinstance(doc.text, str) or not isinstance(doc.id, str):
            raise NewsdigestError(f"documents[{k}]: id and text must be strings")
    return documents


def segment(documents: Sequence[Document], *, trim_datelines: bool = False) -> list[Sentence]:
    """Every sentence of every document, in document order, with offsets into its text.

    ``trim_datelines``: a sentence's leading dateline ("LONDON (AP) _ ") is left
    out (its start offset moves past it; :func:`compress.dateline_length`).
    """
    if trim_datelines:
        from newsdigest.summarize.compress import dateline_length  # its rules compile on first use
    out = []
    for doc in checked_documents(documents):
        for k, (start, end) in enumerate(split_sentences(doc.text)):
            if trim_datelines:
                start += dateline_length(doc.text[start:end])
            out.append(Sentence(doc.text[start:end], doc.id, k, start, end))
    return out


def summarize_documents(
    documents: Sequence[Document],
    *,
    words: int | None = None,
    sentences: int | None = None,
    method: str = DEFAULT_METHOD,
    problems: Sequence[Problem] = (),
    trim_datelines: bool = False,
    **method_options,
) -> Digest:
    """Summarize already loaded documents; see :func:`summarize` for the arguments.

    ``trim_datelines``: leave leading datelines out of every sentence (see :func:`segment`).
    """
    documents = checked_documents(documents)
    if not documents:
        raise NewsdigestError("no documents to summarize")
    if isinstance(problems, (str, Problem)) or not isinstance(problems, Iterable):
        raise NewsdigestError(f"problems must be a list of Problem, got {type(problems).__name__}")
    if words is None and sentences is None:
        words = default_words(documents)
    budget = Budget(words=words, sentences=sentences)
    summarizer = get_method(method, **method_options)
    all_sentences = segment(documents, trim_datelines=trim_datelines)
    if not all_sentences:
        raise NewsdigestError("the documents contain no sentences")
    chosen = summarizer.select(all_sentences, budget)
    if not chosen:
        shortest = min(s.words for s in all_sentences)
        raise NewsdigestError(
            f"no sentence fits the budget of {words} words (the shortest has {shortest})"
        )
    cited = dict(zip(chosen, cite(chosen, all_sentences)))
    support = {i: len(d.support) for i, d in cited.items()}
    ordered = reading_order(chosen, all_sentences, documents, support)
    return Digest(
        sentences=[cited[i] for i in ordered],
        documents=documents,
        method=method,
        budget=budget,
        problems=list(problems) + cluster_warnings(documents),
    )


def summarize(
    sources: Sequence[str | Path] | str | Path,
    *,
    words: int | None = None,
    sentences: int | None = None,
    method: str = DEFAULT_METHOD,
    **method_options,
) -> Digest:
    """Load articles from files, folders or "-" (stdin) and summarize them.

    ``words`` / ``sentences`` set the budget (default: :func:`default_words`);
    ``method`` names a registered summarizer (see ``available_methods()``).
    Inputs that cannot be read are reported in ``Digest.problems``; an error
    is raised only when nothing at all could be read.
    """
    from newsdigest.ingest import load_documents

    if isinstance(sources, (str, os.PathLike)):
        sources = [sources]
    if not isinstance(sources, Iterable) or isinstance(sources, bytes):
        raise NewsdigestError(f"sources must be file or folder names, got {type(sources).__name__}")
    documents, problems = load_documents(list(sources))
    if not documents:
        detail = "; ".join(f"{p.path}: {p.message}" for p in problems) or "no input"
        raise NewsdigestError(f"nothing to summarize ({detail})")
    return summarize_documents(
        documents, words=words, sentences=sentences, method=method, problems=problems, **method_options
    )


def summarize_stories(
    stories: Sequence[Story], *, words: int | None = None, method: str = DEFAULT_METHOD
) -> tuple[dict[str, Digest], list[Problem]]:
    """A digest per story (story id -> digest); a story that cannot be digested becomes a problem.

    Copies merged into an article (``Document.copies``) are not separate
    documents here, so they are never cited as independent sources.
    """
    digests: dict[str, Digest] = {}
    problems: list[Problem] = []
    for story in stories:
        try:
            digests[story.id] = summarize_documents(story.documents, words=words, method=method)
        except NewsdigestError as error:
            problems.append(Problem(story.id, f"no digest: {error}", fatal=False))
    return digests, problems
