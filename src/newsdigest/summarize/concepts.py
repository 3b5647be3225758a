"""Concepts for coverage-based selection: stemmed word bigrams.

Following Gillick & Favre (2009), a concept is a bigram of Porter stems that
is not made of stop words only; its weight is the number of documents that
contain it, so content most outlets share weighs most.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from newsdigest.model import Sentence
from newsdigest.text import STOP_WORDS, stem, words


def sentence_bigrams(text: str) -> set[tuple[str, str]]:
    """Stemmed bigrams of a sentence, minus those made of stop words only."""
    tokens = words(text)
    out = set()
    for a, b in zip(tokens, tokens[1:]):
        if a in STOP_WORDS and b in STOP_WORDS:
            continue
        out.add((stem(a), stem(b)))
    return out


def document_frequency(
    sentences: Sequence[Sentence], bigrams: Sequence[set[tuple[str, str]]]
) -> Counter:
    """For every bigram, in how many documents it occurs."""
    docs_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    for sentence, grams in zip(sentences, bigrams):
        for g in grams:
            docs_of[g].add(sentence.doc_id)
    return Counter({g: len(d) for g, d in docs_of.items()})
