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
from collections import Counter
from dataclasses import dataclass
from itertools import repeat

from newsdigest.nlp.text import WORD_RE, stem, stop_words

# A name: a run of capitalised words. Sentence openers ("The", "But") are stop
# words and are dropped from the run; other openers add a little noise that
# their low IDF keeps small.
NAME_RE = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*")

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
    # update() counts a list in C; repeated, it adds the weight (terms new to the counts keep text order).
    if title:
        title_terms = _terms(WORD_RE.findall(title.lower()))
        for _ in range(options.title_weight):
            counts.update(title_terms)
    if options.name_weight:
        names = _name_terms(NAME_RE.findall(body))
        for _ in range(options.name_weight):
            counts.update(names)
    counts.pop("", None)
    return counts


class DocumentFrequencies:
    """Document frequency of every term seen so far, for an incremental IDF."""

    def __init__(self, counts: dict[str, int] | None = None, documents: int = 0, prior: int = 0) -> None:
        self.counts: Counter = Counter(counts or {})  # a Counter: update() counts an iterable in C
        self.documents = documents
        self.prior = prior

    def add(self, terms) -> None:
        self.documents += 1
        self.counts.update(iter(terms))  # an iterator (not a mapping): one more for each term, counted in C


def weigh_arrays(counts: Counter, frequencies: DocumentFrequencies, max_terms: int):
    """The terms (in text order) and a NumPy array of their weights: sublinear TF times IDF, L2-normalised.

    Only the ``max_terms`` heaviest terms are kept. IDF is smoothed like
    scikit-learn's (never zero), with ``prior`` extra documents:
    ``log((documents + 1 + prior) / (df + 1)) + 1``. No terms (or all of zero
    weight): an empty list and array.
    """
    import numpy as np

    if not counts:
        return [], np.zeros(0)
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
        return [], np.zeros(0)
    return terms, weights / norm
