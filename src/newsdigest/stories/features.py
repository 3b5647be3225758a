"""What the story grouping compares: a sparse TF-IDF vector per article.

One vector mixes three kinds of terms, in the spirit of Miranda et al. (2018),
who score title, body and named entities separately:

* body stems (stop words dropped) of the first ``body_chars`` characters: the
  lead says what the story is; reading further costs time and adds detail that
  other stories share;
* title stems, counted ``title_weight`` times: a headline is a summary;
* names, cheaply: runs of capitalised words inside sentences (``"Hurricane
  Mitch"``, ``"Kofi Annan"``), prefixed ``"@"`` and counted ``name_weight``
  times. No spaCy here: it runs at a few dozen articles a second.

The IDF is incremental (:class:`DocumentFrequencies`): an article is weighed
with the statistics of the stream seen so far, so one pass suffices and the
result does not depend on what comes later.
"""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import mul

from newsdigest.nlp.text import WORD_RE, stem, stop_words

# A name: a run of capitalised words. Sentence openers ("The", "But") are stop
# words and are dropped from the run; other openers add a little noise that
# their low IDF keeps small.
NAME_RE = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*")

Vector = dict[str, float]


@dataclass(frozen=True)
class FeatureOptions:
    """How an article becomes terms; see the module docstring for the reasons."""

    body_chars: int = 3000
    title_weight: int = 2
    name_weight: int = 1
    max_terms: int = 150  # an article keeps its heaviest terms only: bounded cost per comparison


def _term(word: str) -> str:
    """The stem that stands for ``word``, or "" for a stop word or a number."""
    if word in stop_words() or word.isdigit():
        return ""
    return stem(word)


def _name_term(name: str) -> str:
    """``"@kofi annan"`` for ``"The Kofi Annan"``: leading stop words dropped; "" when nothing is left."""
    stop = stop_words()
    parts = name.lower().split()
    while parts and parts[0] in stop:
        del parts[0]
    return "@" + " ".join(parts) if parts else ""


class TermCache:
    """``function(word)`` for many words at once, each new word computed once and kept.

    The words of an article are looked up with C-level maps over a plain dict (an
    ``lru_cache`` hit costs several times a dict lookup, and an article has hundreds of
    words); only the words never seen are computed in Python. At ``max_size`` words the
    cache starts afresh, so memory stays bounded along an endless stream.
    """

    def __init__(self, function, max_size: int = 200_000) -> None:
        self.function = function
        self.max_size = max_size
        self.known: dict[str, str] = {}

    def __call__(self, words: list[str]) -> list[str]:
        known = self.known
        try:
            return list(map(known.__getitem__, words))  # most articles hold no word not seen before
        except KeyError:
            pass
        new = set(words).difference(known)
        if len(known) + len(new) > self.max_size:
            known.clear()
            new = set(words)
        known.update(zip(new, map(self.function, new)))
        return list(map(known.__getitem__, words))


_terms = TermCache(_term)
_name_terms = TermCache(_name_term)


def article_terms(title: str, text: str, options: FeatureOptions) -> Counter:
    """Raw term counts of one article (stems, and ``@name`` terms)."""
    body = text[: options.body_chars]
    # Cached words looked up by map() keep the per-word work out of the Python loop.
    counts = Counter(_terms(WORD_RE.findall(body.lower())))
    if title:
        for term in _terms(WORD_RE.findall(title.lower())):
            counts[term] += options.title_weight
    if options.name_weight:
        for term, count in Counter(_name_terms(NAME_RE.findall(body))).items():
            counts[term] += count * options.name_weight
    counts.pop("", None)
    return counts


def dot(vector: Vector, other: dict[str, float]) -> float:
    """The dot product of two sparse vectors: a C-level key intersection, then C-level maps (no Python loop)."""
    shared = vector.keys() & other.keys()
    return sum(map(mul, map(vector.__getitem__, shared), map(other.__getitem__, shared)))


PackedVector = tuple[tuple[str, ...], array]


def pack(vector: Vector) -> PackedVector:
    """A vector kept compactly for later: its terms and an ``array('d')`` of its weights (the same doubles).

    About 2 KB for a vector of ~110 terms instead of ~7.9 KB as a dict of floats: a second pass over a
    million articles keeps 2 GB of vectors instead of 8.
    """
    return tuple(vector), array("d", vector.values())


def unpack(packed: PackedVector) -> Vector:
    terms, weights = packed
    return dict(zip(terms, weights))


class UnpackedVectors(Sequence):
    """Packed vectors read back as :data:`Vector` dicts one at a time, when used (never all at once)."""

    def __init__(self, packed: list[PackedVector]) -> None:
        self.packed = packed

    def __len__(self) -> int:
        return len(self.packed)

    def __getitem__(self, index: int) -> Vector:
        return unpack(self.packed[index])

    def __iter__(self) -> Iterator[Vector]:
        return map(unpack, self.packed)


def squared_norm(vector: Vector) -> float:
    """The sum of the squared weights (C-level maps, in the vector's order)."""
    weights = vector.values()
    return sum(map(mul, weights, weights))


def heaviest_terms(vector: Vector, count: int) -> list[str]:
    """The ``count`` terms of largest weight, heaviest first, ties in the vector's order.

    The same terms as ``heapq.nlargest(count, vector.items(), key=itemgetter(1))``
    (both are a stable sort cut short), with the comparisons in C.
    """
    return sorted(vector, key=vector.__getitem__, reverse=True)[:count]


class DocumentFrequencies:
    """Document frequency of every term seen so far, for an incremental IDF."""

    def __init__(self, counts: dict[str, int] | None = None, documents: int = 0, prior: int = 0) -> None:
        self.counts: Counter = Counter(counts or {})  # a Counter: update() counts an iterable in C
        self.documents = documents
        self.prior = prior

    def add(self, terms) -> None:
        self.documents += 1
        self.counts.update(iter(terms))  # an iterator (not a mapping): one more for each term, counted in C


def weigh(counts: Counter, frequencies: DocumentFrequencies, max_terms: int) -> Vector:
    """Sublinear TF times IDF, the ``max_terms`` heaviest terms kept, L2-normalised.

    IDF is smoothed like scikit-learn's (never zero), with ``prior`` extra
    documents: ``log((documents + 1 + prior) / (df + 1)) + 1``.
    """
    import numpy as np

    if not counts:
        return {}
    terms = list(counts)
    tf = np.fromiter(counts.values(), dtype=np.float64, count=len(terms))
    df = np.fromiter(map(frequencies.counts.get, terms, repeat(0)), dtype=np.float64, count=len(terms))
    weights = (1.0 + np.log(tf)) * (math.log(frequencies.documents + 1 + frequencies.prior) + 1.0 - np.log(df + 1.0))
    if len(terms) > max_terms:
        # A stable sort: equal weights keep text order, so the same input keeps the same terms.
        keep = np.sort(np.argsort(-weights, kind="stable")[:max_terms])
        terms = [terms[i] for i in keep]
        weights = weights[keep]
    norm = float(np.sqrt(np.dot(weights, weights)))
    if not norm:
        return {}
    return dict(zip(terms, (weights / norm).tolist()))
