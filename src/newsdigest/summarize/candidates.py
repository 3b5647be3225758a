"""Which sentences may enter a summary at all, and filling a budget greedily."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from newsdigest.model import Budget, Sentence
from newsdigest.nlp.quotes import CLOSING_CHARACTERS, OPENING_CHARACTERS, quotes_balanced
from newsdigest.nlp.text import count_words
from newsdigest.settings import MIN_SENTENCE_WORDS
_QUESTION_RE = re.compile(r"\?\W*$")
# A line that ends in a colon introduces something (a list, an embed) and one
# that ends in an ellipsis was cut off (a wire teaser: "... (Associated Press)").
_UNFINISHED_RE = re.compile(rf"""(?::|\.\s?\.\s?\.|…)[{CLOSING_CHARACTERS}]?\s*(?:\([^()]*\))?\s*$""")
# A sentence that opens with a coordinating conjunction continues the one
# before it ("And with the heat on the regime rising, ..."); alone it reads as
# a fragment. The optional quote mark covers a quotation's second sentence.
_CONJUNCTION_RE = re.compile(rf"""^(?P<quote>[{OPENING_CHARACTERS}]+\s*)?(?:and|but|or|so|yet|nor)\b""", re.IGNORECASE)


def _balanced(text: str) -> bool:
    return text.count("(") == text.count(")") and quotes_balanced(text)


def is_candidate(sentence: Sentence, *, min_words: int = MIN_SENTENCE_WORDS) -> bool:
    """Whole, self-standing sentences only: long enough, no question, nothing cut off
    or left hanging on a colon, balanced quotes."""
    text = sentence.text
    if count_words(text) < min_words:
        return False
    if _QUESTION_RE.search(text) or _UNFINISHED_RE.search(text):
        return False
    return _balanced(text)


def candidate_positions(sentences: Sequence[Sentence], *, min_words: int = MIN_SENTENCE_WORDS) -> list[int]:
    """Positions of usable sentences; all of them when none passes the filter."""
    kept = [i for i, s in enumerate(sentences) if is_candidate(s, min_words=min_words)]
    return kept or list(range(len(sentences)))


def opens_with_conjunction(text: str, *, quoted_only: bool = False) -> bool:
    """True when ``text`` opens with And/But/Or/So/Yet/Nor (``quoted_only``: right after a quote mark)."""
    match = _CONJUNCTION_RE.match(text)
    return bool(match) and (not quoted_only or bool(match.group("quote")))


def distinct_documents(sentences: Sequence[Sentence]) -> list[str]:
    """Document ids in order of appearance, minus exact copies of an earlier document.

    Two documents are copies when they have the same sentences in the same
    order (the same wire story filed twice, or the same page boilerplate).
    """
    return [d for d, first in document_copies(sentences).items() if first == d]


def document_copies(sentences: Sequence[Sentence]) -> dict[str, str]:
    """Each document id, in order of appearance -> the id of the first document it is a copy of (itself if none)."""
    texts: dict[str, list[str]] = {}
    for s in sentences:
        texts.setdefault(s.doc_id, []).append(s.text)
    first: dict[tuple[str, ...], str] = {}
    return {d: first.setdefault(tuple(t), d) for d, t in texts.items()}


def fill_budget(
    ranked: Iterable[int],
    sentences: Sequence[Sentence],
    budget: Budget,
    *,
    accept: Callable[[int, list[int]], bool] | None = None,
) -> list[int]:
    """Walk ``ranked`` and keep each sentence that still fits and ``accept`` allows.

    Sentences that do not fit are skipped, not cut, so the budget is never exceeded.
    """
    chosen: list[int] = []
    used = 0
    for i in ranked:
        length = sentences[i].words
        if not budget.admits(used + length, len(chosen) + 1):
            if budget.sentences is not None and len(chosen) >= budget.sentences:
                break
            continue
        if accept is not None and not accept(i, chosen):
            continue
        chosen.append(i)
        used += length
    return chosen
