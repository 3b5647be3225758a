"""Concepts for coverage-based selection: stemmed word bigrams.

Following Gillick & Favre (2009), a concept is a bigram of Porter stems that
is not made of stop words only; its weight is the number of documents that
contain it, so content most outlets share weighs most.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from newsdigest.model import Sentence
from newsdigest.text import STOP_WORDS, WORD_RE, stem

# word -> Porter stem; a plain dict lookup is several times cheaper than the
# lru_cache wrapper of text.stem, and concept extraction is on the hot path.
_STEMS: dict[str, str] = {}
_MAX_CACHED_STEMS = 500_000


def _stem(word: str) -> str:
    try:
        return _STEMS[word]
    except KeyError:
        if len(_STEMS) >= _MAX_CACHED_STEMS:
            _STEMS.clear()
        out = _STEMS[word] = stem(word)
        return out


def sentence_bigrams(text: str) -> set[tuple[str, str]]:
    """Stemmed bigrams of a sentence, minus those made of stop words only."""
    tokens = WORD_RE.findall(text.lower())
    stems = [_stem(t) for t in tokens]
    stop = [t in STOP_WORDS for t in tokens]
    return {
        (stems[k], stems[k + 1])
        for k in range(len(tokens) - 1)
        if not (stop[k] and stop[k + 1])
    }


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
    return {(_stem(t),) for t in WORD_RE.findall(text.lower()) if t not in STOP_WORDS}
