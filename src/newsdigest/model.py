"""The data that flows through newsdigest: documents in, sentences, a digest out.

Everything here is a plain dataclass, so any stage can be used on its own and
every object converts to JSON through :func:`dataclasses.asdict`.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Document:
    """One cleaned article.

    ``text`` is the cleaned body: all sentence offsets point into it.
    """

    id: str
    text: str
    title: str = ""
    source: str = ""  # the outlet, e.g. "Reuters"
    url: str = ""
    date: _dt.date | None = None  # publication date, when known
    path: str = ""  # where it was read from ("-" for stdin)

    @property
    def label(self) -> str:
        """A short human name for source lists: outlet and title, else the id."""
        parts = [p for p in (self.source, self.title) if p]
        return ": ".join(parts) if parts else self.id


@dataclass(frozen=True)
class Sentence:
    """One sentence of a document; ``document.text[start:end] == text``."""

    text: str
    doc_id: str
    index: int  # 0-based position of the sentence in its document
    start: int  # character offsets into Document.text
    end: int

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True)
class Budget:
    """How long a summary may be: a word limit, a sentence limit, or both."""

    words: int | None = None
    sentences: int | None = None

    def __post_init__(self) -> None:
        if self.words is None and self.sentences is None:
            raise ValueError("a budget needs words or sentences")
        for name in ("words", "sentences"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ValueError(f"budget {name} must be at least 1, got {value}")

    def admits(self, word_count: int, sentence_count: int) -> bool:
        """True when a selection of this many words and sentences fits."""
        if self.words is not None and word_count > self.words:
            return False
        if self.sentences is not None and sentence_count > self.sentences:
            return False
        return True


@dataclass(frozen=True)
class DigestSentence:
    """A summary sentence and the documents that report it.

    ``sentence`` is where the text was taken from; ``support`` holds the
    matching sentences of *other* documents that say the same thing.
    """

    sentence: Sentence
    support: tuple[Sentence, ...] = ()

    @property
    def text(self) -> str:
        return self.sentence.text

    @property
    def citations(self) -> list[str]:
        """Document ids: the origin first, then every other reporting document."""
        ids = [self.sentence.doc_id]
        for s in self.support:
            if s.doc_id not in ids:
                ids.append(s.doc_id)
        return ids


@dataclass(frozen=True)
class Problem:
    """Something wrong with one input; the rest of the work goes on."""

    path: str
    message: str
    fatal: bool = True  # False: a warning, the input was still used

    def __str__(self) -> str:
        kind = "error" if self.fatal else "warning"
        return f"{kind}: {self.path}: {self.message}"


@dataclass
class Digest:
    """The result of summarizing a cluster of documents."""

    sentences: list[DigestSentence]
    documents: list[Document]
    method: str
    budget: Budget
    problems: list[Problem] = field(default_factory=list)
    analysis: object | None = None  # newsdigest.analyze.Analysis, when asked for

    @property
    def words(self) -> int:
        return sum(s.sentence.words for s in self.sentences)

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)

    def document(self, doc_id: str) -> Document:
        for d in self.documents:
            if d.id == doc_id:
                return d
        raise KeyError(doc_id)
