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

import heapq
import math
import re
from collections import Counter
from dataclasses import dataclass

from newsdigest.nlp.text import WORD_RE, stem, stop_words

# A name: a run of capitalised words. Sentence openers ("The", "But") are stop
# words and are dropped from the run; other openers add a little noise that
# their low IDF keeps small.
NAME_RE = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*")

Vector = dict[str, float]


@dataclass(frozen=True)
class FeatureOptions:
    """How an article becomes terms; see the module docstring for the reasons."""

    body_chars: int = 4000
    title_weight: int = 2
    name_weight: int = 1
    max_terms: int = 150  # an article keeps its heaviest terms only: bounded cost per comparison


def article_terms(title: str, text: str, options: FeatureOptions) -> Counter:
    """Raw term counts of one article (stems, and ``@name`` terms)."""
    stop = stop_words()
    body = text[: options.body_chars]
    words = Counter(WORD_RE.findall(body.lower()))
    if title:
        for word in WORD_RE.findall(title.lower()):
            words[word] += options.title_weight
    counts: Counter = Counter()
    for word, count in words.items():  # each distinct word stemmed once
        if word not in stop and not word.isdigit():
            counts[stem(word)] += count
    if options.name_weight:
        for name in NAME_RE.findall(body):
            parts = name.lower().split()
            while parts and parts[0] in stop:
                del parts[0]
            if parts:
                counts["@" + " ".join(parts)] += options.name_weight
    return counts


class DocumentFrequencies:
    """Document frequency of every term seen so far, for an incremental IDF."""

    def __init__(self, counts: dict[str, int] | None = None, documents: int = 0) -> None:
        self.counts: dict[str, int] = dict(counts or {})
        self.documents = documents

    def add(self, terms) -> None:
        self.documents += 1
        counts = self.counts
        for term in terms:
            counts[term] = counts.get(term, 0) + 1

    def idf(self, term: str) -> float:
        # Smoothed like scikit-learn's TfidfTransformer: never zero, never negative.
        return math.log((self.documents + 1) / (self.counts.get(term, 0) + 1)) + 1.0


def weigh(counts: Counter, frequencies: DocumentFrequencies, max_terms: int) -> Vector:
    """Sublinear TF times IDF, the ``max_terms`` heaviest terms kept, L2-normalised."""
    df = frequencies.counts
    log_n = math.log(frequencies.documents + 1) + 1.0
    log = math.log
    weights = {t: (1.0 + log(c)) * (log_n - log(df.get(t, 0) + 1)) for t, c in counts.items()}
    if len(weights) > max_terms:
        # Ties broken by the term itself: the same input keeps the same terms.
        weights = dict(heapq.nlargest(max_terms, weights.items(), key=lambda kv: (kv[1], kv[0])))
    norm = math.sqrt(sum(w * w for w in weights.values()))
    if not norm:
        return {}
    return {t: w / norm for t, w in weights.items()}
