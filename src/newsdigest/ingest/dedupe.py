"""Unique ids and duplicate articles.

The same wire story often arrives twice (a retransmission, two feeds, a page
saved twice). Counting it twice would make the digest cite one report as two
sources, so the later copy is dropped with a warning. "Near-identical" means
the sentence sets overlap by at least ``threshold`` of the longer one: a
retransmission with a fixed typo is caught, an updated story with new
paragraphs is not.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace

from ..model import Document, Problem
from ..nlp.quotes import CLOSING_CHARACTERS
from ..nlp.text import normalize_sentence
from ..settings import DUPLICATE_SHARE

__all__ = ["unique_ids", "drop_duplicates"]

_SENTENCE_BREAK = re.compile(rf"(?<=[.!?])[{CLOSING_CHARACTERS})]*\s+|\n")


def unique_ids(documents: list[Document]) -> list[Document]:
    """Suffix ``-2``, ``-3`` … to repeated ids, so every id names one document."""
    seen: set[str] = {d.id for d in documents}
    counts: dict[str, int] = defaultdict(int)
    result = []
    for doc in documents:
        counts[doc.id] += 1
        if counts[doc.id] == 1:
            result.append(doc)
            continue
        n = counts[doc.id]
        while f"{doc.id}-{n}" in seen:
            n += 1
        new_id = f"{doc.id}-{n}"
        seen.add(new_id)
        result.append(replace(doc, id=new_id))
    return result


def _sentences(text: str) -> set[str]:
    keys = map(normalize_sentence, _SENTENCE_BREAK.split(text))
    return {k for k in keys if k}


def drop_duplicates(documents: list[Document], *, threshold: float = DUPLICATE_SHARE) -> tuple[list[Document], list[Problem]]:
    """Keep the first of every group of identical or near-identical documents."""
    kept: list[Document] = []
    kept_sentences: list[set[str]] = []
    by_text: dict[str, int] = {}
    by_sentence: dict[str, list[int]] = defaultdict(list)
    problems: list[Problem] = []
    for doc in documents:
        full = normalize_sentence(doc.text)
        original = by_text.get(full)
        sentences = _sentences(doc.text)
        message = ""
        if original is not None:
            message = "same text as"
        else:
            shared: dict[int, int] = defaultdict(int)
            for sentence in sentences:
                for index in by_sentence.get(sentence, ()):
                    shared[index] += 1
            for index, count in sorted(shared.items()):
                longer = max(len(sentences), len(kept_sentences[index]))
                if longer and count / longer >= threshold:
                    original = index
                    message = f"{count / longer:.0%} of its sentences are in"
                    break
        if original is not None:
            first = kept[original]
            problems.append(
                Problem(
                    doc.path,
                    f"duplicate article {doc.id} skipped ({message} {first.id} from {first.path})",
                    fatal=False,
                )
            )
            continue
        index = len(kept)
        kept.append(doc)
        kept_sentences.append(sentences)
        by_text[full] = index
        for sentence in sentences:
            by_sentence[sentence].append(index)
    return kept, problems
