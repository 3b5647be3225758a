"""The data flow: documents -> sentences -> selection -> reading order -> cited digest."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from newsdigest.summarize.cite import cite
from newsdigest.errors import NewsdigestError
from newsdigest.model import Budget, Digest, Document, Problem, Sentence
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


def segment(documents: Sequence[Document], *, trim_datelines: bool = False) -> list[Sentence]:
    """Every sentence of every document, in document order, with offsets into its text.

    ``trim_datelines``: a sentence's leading dateline ("LONDON (AP) _ ") is left
    out (its start offset moves past it; :func:`compress.dateline_length`).
    """
    if trim_datelines:
        from newsdigest.summarize.compress import dateline_length  # its rules compile on first use
    out = []
    for doc in documents:
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
    documents = list(documents)
    if not documents:
        raise NewsdigestError("no documents to summarize")
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

    if isinstance(sources, (str, Path)):
        sources = [sources]
    documents, problems = load_documents([str(s) for s in sources])
    if not documents:
        detail = "; ".join(f"{p.path}: {p.message}" for p in problems) or "no input"
        raise NewsdigestError(f"nothing to summarize ({detail})")
    return summarize_documents(
        documents, words=words, sentences=sentences, method=method, problems=problems, **method_options
    )
