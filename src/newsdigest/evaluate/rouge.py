"""ROUGE-1, ROUGE-2 and ROUGE-Lsum with the two conventions papers report.

Scores come from Google's ``rouge-score`` package
(``RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)``). Its own
sentence splitting for ROUGE-Lsum needs nltk's punkt data, so sentences are
joined with ``"\\n"`` here, using :func:`newsdigest.nlp.text.split_sentences` (or the
summary's own sentences when the caller has them).

Conventions
-----------
``recall`` (DUC, MultiLing)
    System summary and every reference truncated to the first ``words``
    whitespace-separated words (ROUGE-1.5.5 ``-l 100``); recall against each
    reference, averaged over the references of a cluster (``-f A``), then over
    clusters.
``f1`` (Multi-News)
    No truncation of the references; the system summary is scored as produced
    (it is already within its budget). F1, averaged the same way.

How these figures relate to the Perl ROUGE-1.5.5 numbers papers print
--------------------------------------------------------------------
They are comparable in kind, not identical. The differences:

* tokenization: rouge-score lower-cases and keeps ``[a-z0-9]`` runs; the Perl
  script has its own rules for punctuation and digits;
* stemmer: rouge-score's Porter stemmer (nltk's, applied to tokens longer than
  three characters) versus the Perl script's Porter implementation (``-m``);
* stop words are kept (papers almost always run without ``-s``, as here);
* no jackknifing: the Perl script with several references averages over
  leave-one-out subsets (``-f A`` with jackknife); we average over references
  directly, which for recall gives the same expectation but not the same digits;
* truncation counts whitespace tokens, as ``-l`` does, but the Perl script
  counts after its own preprocessing.

In practice the two agree to within about half a ROUGE point on news data;
treat differences smaller than that as noise, and compare systems only within
one run of one scorer (which is what ``bench/run.py`` does).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from newsdigest.nlp.text import split_sentences

MEASURES = ("rouge1", "rouge2", "rougeLsum")
METRICS = ("recall", "precision", "f1")

BOOTSTRAP_SAMPLES = 1000
BOOTSTRAP_SEED = 20030101  # fixed: confidence intervals must not move between runs


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float

    def get(self, metric: str) -> float:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1}[metric]


class CachedTokenizer:
    """rouge-score's own tokenizer and Porter stemmer (the same tokens), with both
    remembered: a reference or a summary sentence is tokenized once however many
    times it is scored, and each word stemmed once (nltk's stemmer is slow).

    rouge-score (and the nltk it imports, seconds of start-up) is imported here,
    on first use: ``newsdigest evaluate`` scores in a child process, so the
    process that summarizes never loads it."""

    def __init__(self) -> None:
        from rouge_score import tokenizers

        self._tokenizer = tokenizers.DefaultTokenizer(use_stemmer=True)
        self._tokenizer._stemmer.stem = lru_cache(maxsize=200_000)(self._tokenizer._stemmer.stem)
        self._tokens = lru_cache(maxsize=20_000)(lambda text: tuple(self._tokenizer.tokenize(text)))

    def tokenize(self, text):
        if "\n" not in text:
            return list(self._tokens(text))
        # A text of several lines (the scorer's sentences, for ROUGE-Lsum) is tokenized line by
        # line: a line break is a separator like any other non-alphanumeric character, so the
        # tokens are the same, and ROUGE-Lsum then finds every line's tokens already remembered.
        return [token for line in text.split("\n") for token in self._tokens(line)]


# rouge-score uses nltk for its Porter stemmer only (``from nltk.stem import porter``; its
# ``nltk.sent_tokenize`` serves ``split_summaries``, which this module never sets). But
# ``import nltk`` runs nltk's ``__init__``, which imports every subpackage (corpora, parsers,
# classifiers, translation metrics) and ``nltk.stem``'s imports every stemmer: ~0.3 of the
# ~0.35 CPU-s rouge-score takes to load. While rouge-score loads, ``nltk`` and ``nltk.stem``
# are therefore bare packages, their ``__init__`` not run (``importlib.util.module_from_spec``),
# so that only ``nltk.stem.porter`` and the three small modules it imports load. Afterwards
# those entries leave ``sys.modules``: rouge-score keeps its own references to them, and an
# ``import nltk`` elsewhere in the process loads the whole package as usual; a name looked
# up on rouge-score's bare ``nltk`` is looked up in that whole package. The price: in that
# process rouge-score's Porter stemmer is its own copy of nltk's class, so an instance of it
# does not pickle (this module's scorer never did: its tokenizer caches hold lambdas), and a
# thread importing nltk while rouge-score loads would get the bare package (the scorer loads
# in a child process of its own).
_BARE_PACKAGES = ("nltk", "nltk.stem")


@contextmanager
def _bare_packages(names: Sequence[str]) -> Iterator[None]:
    import importlib
    import importlib.util

    if any(name in sys.modules for name in names):  # already loaded whole: nothing to spare
        yield
        return
    before = set(sys.modules)
    bare = {}
    for name in names:
        spec = importlib.util.find_spec(name)
        if spec is None:  # not installed: rouge-score's own import fails as it would
            break
        module = bare[name] = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        parent, _, child = name.rpartition(".")
        if parent in bare:
            setattr(bare[parent], child, module)
    try:
        yield
    finally:
        for name in set(sys.modules) - before:
            if name in bare or name.partition(".")[0] in bare:
                del sys.modules[name]
        for module in bare.values():
            whole_name = module.__name__

            def whole(attribute: str, whole_name: str = whole_name):
                return getattr(importlib.import_module(whole_name), attribute)

            module.__getattr__ = whole  # type: ignore[attr-defined]


@lru_cache(maxsize=1)
def _scorer():
    with _bare_packages(_BARE_PACKAGES):
        from rouge_score import rouge_scorer

        tokenizer = CachedTokenizer()
    return rouge_scorer.RougeScorer(list(MEASURES), tokenizer=tokenizer)


def load_scorer() -> None:
    """Import rouge-score and build the scorer now (a worker does it before its first summary)."""
    _scorer()


def summary_sentences(text: str) -> list[str]:
    """The sentences of ``text``, by newsdigest's splitter (no nltk data needed)."""
    return [text[a:b] for a, b in split_sentences(text)]


def truncate_words(sentences: Sequence[str], words: int) -> list[str]:
    """The first ``words`` whitespace-separated words, keeping sentence boundaries.

    The last sentence kept may be cut in the middle, as ROUGE-1.5.5 ``-l`` does.
    """
    kept: list[str] = []
    left = words
    for sentence in sentences:
        if left <= 0:
            break
        tokens = sentence.split()
        if not tokens:
            continue
        kept.append(" ".join(tokens[:left]))
        left -= len(tokens)
    return kept


def _as_sentences(summary: str | Sequence[str]) -> list[str]:
    if isinstance(summary, str):
        return summary_sentences(summary)
    # Sentences from a digest: a line break inside one would split it for Lsum.
    return [" ".join(s.split()) for s in summary if s.strip()]


def score_summary(
    summary: str | Sequence[str],
    references: Sequence[str | Sequence[str]],
    *,
    truncate: int | None = None,
) -> dict[str, Score]:
    """ROUGE of one system summary against the references of its cluster.

    ``summary`` and each reference are a text or a list of sentences. With
    ``truncate``, both sides are cut to that many words first. Precision, recall
    and F1 are averaged over the references.
    """
    if not references:
        raise ValueError("at least one reference summary is needed")
    system = _as_sentences(summary)
    if truncate is not None:
        system = truncate_words(system, truncate)
    prediction = "\n".join(system)
    totals = {m: np.zeros(3) for m in MEASURES}
    for reference in references:
        target_sentences = _as_sentences(reference)
        if truncate is not None:
            target_sentences = truncate_words(target_sentences, truncate)
        result = _scorer().score("\n".join(target_sentences), prediction)
        for m in MEASURES:
            totals[m] += (result[m].precision, result[m].recall, result[m].fmeasure)
    n = len(references)
    return {m: Score(*(float(v) for v in totals[m] / n)) for m in MEASURES}


def bootstrap_ci(
    values: Sequence[float],
    *,
    samples: int = BOOTSTRAP_SAMPLES,
    seed: int = BOOTSTRAP_SEED,
    level: float = 0.95,
) -> tuple[float, float]:
    """Percentile bootstrap confidence interval of the mean, resampling clusters."""
    data = np.asarray(values, dtype=float)
    if data.size == 0:
        return (float("nan"), float("nan"))
    if data.size == 1:
        return (float(data[0]), float(data[0]))
    rng = np.random.default_rng(seed)
    means = data[rng.integers(0, data.size, size=(samples, data.size))].mean(axis=1)
    tail = (1.0 - level) / 2.0 * 100.0
    low, high = np.percentile(means, [tail, 100.0 - tail])
    return (float(low), float(high))
