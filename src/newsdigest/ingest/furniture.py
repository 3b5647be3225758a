"""Page furniture no rule names: sentences that recur across unrelated stories.

A sentence printed word for word under articles about different stories
("You always have the option to delete your Tweet location history.", "For
Use By Clients of the New York Times News Service") belongs to the page or
the wire, not to any story. The rules in :mod:`newsdigest.ingest.clean` name
the families we know; this signal needs no phrase in advance.

Two sources feed it:

* the shipped list, ``furniture.txt`` beside this module: built from the
  development articles (``bench/furniture.py build-list``) and read by a
  person line by line, so that no news sentence is in it;
* any stream being processed: :func:`recurring_sentences` finds the
  sentences that recur in at least :data:`MIN_STORIES` different stories,
  and a pipeline passes them (unioned with what it found before) to
  ``clean_text(..., furniture=...)`` for the articles it reads next, and to
  :func:`drop_furniture_sentences` for articles it has already cleaned. With
  :class:`~newsdigest.model.Story` objects:
  ``recurring_sentences({s.id: s.articles for s in stories})``. A store keeps
  the count run after run (:mod:`newsdigest.store`, from :func:`sentence_keys`).

Only *different* stories count: the same wire story filed twice, or copied
by several papers, repeats all its sentences within one story, and those are
news. Sentences are compared after :func:`normalize_sentence` (case,
punctuation and spacing ignored), so "nearly verbatim" copies match.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from functools import lru_cache
from importlib import resources

from ..model import Document
from ..nlp.text import normalize_sentence

__all__ = [
    "FURNITURE_FILE",
    "MIN_STORIES",
    "MIN_WORDS",
    "normalize_sentence",
    "shipped_furniture",
    "sentence_keys",
    "story_counts",
    "recurring_sentences",
    "drop_furniture_sentences",
]

FURNITURE_FILE = "furniture.txt"
# A sentence is furniture when it recurs in this many unrelated stories: two
# can be chance (two obituaries ending "He was 77."), three rarely are.
MIN_STORIES = 3
# Shorter pieces ("He did not elaborate.", a date line) recur in news by
# chance; they are never taken as furniture.
MIN_WORDS = 4
# Above this many entries the cheap substring pre-check costs more than it saves.
_PRECHECK_LIMIT = 200


@lru_cache(maxsize=1)
def shipped_furniture() -> frozenset[str]:
    """The normalised sentences of the shipped ``furniture.txt`` (``#`` lines are comments)."""
    text = resources.files(__package__).joinpath(FURNITURE_FILE).read_text(encoding="utf-8")
    lines = (line.strip() for line in text.splitlines())
    return frozenset(n for line in lines if line and not line.startswith("#") if (n := normalize_sentence(line)))


def _text_of(document: Document | str) -> str:
    return document if isinstance(document, str) else document.text


def sentence_keys(text: str, *, min_words: int = MIN_WORDS) -> dict[str, str]:
    """The normalised sentences of ``text`` that could be furniture (``min_words`` or more), each with its wording."""
    from newsdigest.nlp.text import split_sentences

    keys: dict[str, str] = {}
    for start, end in split_sentences(text):
        sentence = text[start:end]
        key = normalize_sentence(sentence)
        if len(key.split()) >= min_words:
            keys.setdefault(key, sentence)
    return keys


def story_counts(
    documents_by_story: Mapping[str, Iterable[Document | str]], *, min_words: int = MIN_WORDS
) -> tuple[Counter[str], dict[str, str]]:
    """How many stories each normalised sentence occurs in, and one original wording of each.

    A sentence counts once per story, however many of the story's articles repeat it.
    """
    counts: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for documents in documents_by_story.values():
        seen: set[str] = set()
        for document in documents:
            for key, sentence in sentence_keys(_text_of(document), min_words=min_words).items():
                seen.add(key)
                examples.setdefault(key, sentence)
        counts.update(seen)
    return counts, examples


def recurring_sentences(
    documents_by_story: Mapping[str, Iterable[Document | str]],
    *,
    min_stories: int = MIN_STORIES,
    min_words: int = MIN_WORDS,
) -> set[str]:
    """Normalised sentences that occur in at least ``min_stories`` of the stories.

    ``documents_by_story`` maps a story id to its documents (or their texts).
    Pass the result, unioned with earlier results, as ``clean_text(...,
    furniture=...)``: documents cleaned with it no longer contain those
    sentences, so a later call on them will not find them again.
    """
    counts, _ = story_counts(documents_by_story, min_words=min_words)
    return {key for key, n in counts.items() if n >= min_stories}


def _words_of(furniture: Collection[str]) -> list[tuple[str, ...]]:
    """Each entry's distinct words, longest first."""
    return [tuple(sorted(set(entry.split()), key=len, reverse=True)) for entry in furniture]


@lru_cache(maxsize=8)
def _words_of_frozen(furniture: frozenset[str]) -> list[tuple[str, ...]]:
    return _words_of(furniture)  # the shipped list: worked out once, not for every article


def _may_contain(text: str, furniture: Collection[str]) -> bool:
    if len(furniture) > _PRECHECK_LIMIT:
        return True
    # First the words of each entry in the case-folded text, without normalising it: every word
    # of a normalised sentence found in normalize_sentence(text) is in text.casefold() too
    # (casefold maps character by character, and normalising only turns runs of other characters
    # into spaces). Most articles lack one word of every entry ("xxxx" of "xxxx end of story").
    folded = text.casefold()
    entries = _words_of_frozen(furniture) if isinstance(furniture, frozenset) else _words_of(furniture)
    if not any(all(word in folded for word in words) for words in entries):
        return False
    flat = normalize_sentence(text)
    return any(entry in flat for entry in furniture)


def drop_furniture_sentences(text: str, *furniture_sets: Collection[str]) -> str:
    """``text`` without the sentences whose normalised form is in one of ``furniture_sets``.

    The rest of a line stays where it was: furniture glued to a real sentence
    costs only itself. Lines left empty are dropped.
    """
    sets = [s for s in furniture_sets if s]
    if not sets or not any(_may_contain(text, s) for s in sets):
        return text
    from newsdigest.nlp.text import split_sentences

    pieces: list[str] = []
    position = 0
    for start, end in split_sentences(text):
        key = normalize_sentence(text[start:end])
        if any(key in s for s in sets):
            pieces.append(text[position:start])
            position = end
    if position == 0 and not pieces:
        return text
    pieces.append(text[position:])
    lines = (" ".join(line.split()) for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in lines if line)
