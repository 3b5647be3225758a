"""Sentence splitting, word tokens and stems.

Sentences come from nupunkt (a maintained Punkt implementation that ships
its model, so it works offline); we only add what news text needs on top:
every line break ends a sentence (paragraphs, headlines), and a quotation
that spans several sentences stays one sentence.
"""

from __future__ import annotations

import operator
import re
from functools import lru_cache
from importlib import resources
from itertools import compress

import nupunkt
import Stemmer

from newsdigest.nlp.quotes import unclosed_quotes

WORD_RE = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
# Reporting verbs and honorifics carry no content in news text.
_NEWS_STOP_WORDS = {"s", "said", "says", "say", "told", "t", "mr", "ms", "mrs"}


# scikit-learn's English stop words, shipped beside this module (with its licence):
# importing scikit-learn for them would cost about a second of every run.
STOP_WORDS_FILE = "english_stop_words.txt"


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """scikit-learn's English stop words (``english_stop_words.txt``) plus news reporting words.

    Read on first use.
    """
    text = resources.files(__package__).joinpath(STOP_WORDS_FILE).read_text(encoding="utf-8")
    listed = (line.strip() for line in text.splitlines())
    return frozenset(word for word in listed if word and not word.startswith("#")) | _NEWS_STOP_WORDS


# A sentence that leaves a quotation open is merged with the next ones, at most
# this many in all.
_MAX_QUOTE_MERGE = 5

_LINE_RE = re.compile(r"[^\n]+")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the sentences of ``text``, stripped."""
    # One nupunkt call per document (a call per line costs twice as much), then
    # every line break ends a sentence: headlines and paragraphs have no full stop.
    pieces = [
        (m.start(), m.end())
        for a, b in nupunkt.sent_spans(text)
        for m in _LINE_RE.finditer(text, a, b)
    ]
    merged: list[tuple[int, int]] = []
    pending: tuple[int, int] | None = None
    joined = 0
    for span in pieces:
        if pending is not None and "\n" in text[pending[1] : span[0]]:
            merged.append(pending)  # a quote never runs on past its paragraph
            pending = None
        if pending is None:
            pending, joined = span, 1
        else:
            pending, joined = (pending[0], span[1]), joined + 1
        if unclosed_quotes(text[pending[0] : pending[1]]) <= 0 or joined >= _MAX_QUOTE_MERGE:
            merged.append(pending)
            pending = None
    if pending is not None:
        merged.append(pending)
    spans = []
    for a, b in merged:
        chunk = text[a:b]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk) - len(chunk.rstrip())
        if b - trail > a + lead:
            spans.append((a + lead, b - trail))
    return spans


def words(text: str) -> list[str]:
    """Lower-cased word tokens (letters and digits, inner hyphens and apostrophes kept)."""
    return [w.lower() for w in WORD_RE.findall(text)]


_NON_WORD = re.compile(r"[\W_]+")


def normalize_sentence(text: str) -> str:
    """Lower-cased words separated by single spaces: punctuation, case and spacing ignored
    (how two sentences, titles or texts are compared for being the same words)."""
    return _NON_WORD.sub(" ", text).strip().casefold()


def count_words(text: str) -> int:
    """Words as a reader counts them: whitespace-separated tokens."""
    return len(text.split())


# Porter's original algorithm in Snowball's C implementation (PyStemmer): the
# same family of stems ROUGE matches on, about nine times faster than nltk's.
_stemmer = Stemmer.Stemmer("porter")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


@lru_cache(maxsize=100_000)
def stemmed_words(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The lower-cased words of ``text`` and their stems, position by position.

    Cached: selection, citation and analysis all read the same sentences.
    """
    tokens = tuple(WORD_RE.findall(text.lower()))
    return tokens, tuple(map(stem, tokens))


def stems(text: str, drop_stop_words: bool = False) -> list[str]:
    """Porter stems of the words of ``text``."""
    tokens, stemmed = stemmed_words(text)
    if not drop_stop_words:
        return list(stemmed)
    # The stems of the words that are not stop words, picked in C.
    return list(compress(stemmed, map(operator.not_, map(stop_words().__contains__, tokens))))
