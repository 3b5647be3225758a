"""Concepts for coverage-based selection: stemmed word bigrams.

Following Gillick & Favre (2009), a concept is a bigram of Porter stems that
is not made of stop words only; its weight is the number of documents that
contain it, so content most outlets share weighs most.
"""

from __future__ import annotations

import operator
from collections import Counter, defaultdict
from functools import lru_cache
from itertools import compress
from collections.abc import Sequence

from newsdigest.model import Sentence
from newsdigest.nlp.text import stemmed_words, stop_words


@lru_cache(maxsize=100_000)
def sentence_bigrams(text: str) -> frozenset[tuple[str, str]]:
    """Stemmed bigrams of a sentence, minus those made of stop words only.

    Cached (selection and reading order both read them), hence frozen.
    """
    tokens, stems = stemmed_words(text)
    stop = list(map(stop_words().__contains__, tokens))
    # Every adjacent pair but stop word + stop word, built with C-level iterators:
    # this runs on every sentence of every input.
    content = map(operator.not_, map(operator.and_, stop, stop[1:]))
    return frozenset(compress(zip(stems, stems[1:]), content))


def document_frequency(
    sentences: Sequence[Sentence], bigrams: Sequence[set[tuple[str, str]]]
) -> Counter:
    """For every bigram, in how many documents it occurs."""
    by_document: dict[str, set] = defaultdict(set)
    for sentence, grams in zip(sentences, bigrams):
        by_document[sentence.doc_id] |= grams
    df: Counter = Counter()
    for grams in by_document.values():
        df.update(grams)
    return df


def sentence_frequency(bigrams: Sequence[set[tuple[str, str]]]) -> Counter:
    """For every bigram, in how many sentences it occurs."""
    counts: Counter = Counter()
    for grams in bigrams:
        counts.update(grams)
    return counts


def sentence_unigrams(text: str) -> set[tuple[str]]:
    """Stems of the content words of a sentence, as one-word concepts."""
    tokens, stems = stemmed_words(text)
    stop = stop_words()
    return {(s,) for t, s in zip(tokens, stems) if t not in stop}
