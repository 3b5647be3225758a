"""The data that flows through newsdigest: documents in, sentences, a digest out.

Everything here is a plain dataclass, so any stage can be used on its own.
``to_dict`` / ``from_dict`` turn a :class:`Document`, :class:`Digest` or
:class:`Story` into plain JSON-ready data and back, so a digest can be stored,
sent to another process, or cached, and come back equal.
"""

from __future__ import annotations

import datetime as _dt
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

from newsdigest.errors import NewsdigestError


@contextmanager
def _reading(kind: str) -> Iterator[None]:
    """``from_dict`` on data that is not what ``to_dict`` wrote raises NewsdigestError, not KeyError."""
    try:
        yield
    except NewsdigestError:
        raise
    except KeyError as error:
        raise NewsdigestError(f"not a serialized {kind}: missing field {error}") from None
    except (TypeError, ValueError, AttributeError) as error:
        raise NewsdigestError(f"not a serialized {kind}: {error}") from None


def _date_or_none(value) -> _dt.date | None:
    if value is None or isinstance(value, _dt.date):
        return value
    return _dt.date.fromisoformat(value)


@dataclass(frozen=True)
class Copy:
    """Another outlet's copy of an article (the same wire story), merged into it."""

    id: str
    source: str = ""
    title: str = ""
    url: str = ""
    date: _dt.date | None = None

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "source": self.source,
            "title": self.title,
            "url": self.url,
            "date": self.date.isoformat() if self.date else None,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Copy:
        return cls(
            id=data["id"],
            source=data.get("source", ""),
            title=data.get("title", ""),
            url=data.get("url", ""),
            date=_date_or_none(data.get("date")),
        )


@dataclass(frozen=True)
class Document:
    """One cleaned article.

    ``text`` is the cleaned body: all sentence offsets point into it.
    ``copies``: the same article republished elsewhere (see
    :mod:`newsdigest.stories.copies`); they are never counted as sources.
    """

    id: str
    text: str
    title: str = ""
    source: str = ""  # the outlet, e.g. "Reuters"
    url: str = ""
    date: _dt.date | None = None  # publication date, when known
    path: str = ""  # where it was read from ("-" for stdin)
    copies: tuple[Copy, ...] = ()

    @property
    def outlets(self) -> list[str]:
        """Its outlet and those of its copies, each once, in order."""
        names: list[str] = []
        for name in [self.source] + [c.source for c in self.copies]:
            if name and name not in names:
                names.append(name)
        return names

    @property
    def label(self) -> str:
        """A short human name for source lists: outlet and title, else the id."""
        parts = [p for p in (self.source, self.title) if p]
        return ": ".join(parts) if parts else self.id

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "text": self.text,
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "date": self.date.isoformat() if self.date else None,
            "path": self.path,
            "copies": [c.to_dict() for c in self.copies],
        }

    @classmethod
    def from_dict(cls, data: dict) -> Document:
        with _reading("Document"):
            return cls(
                id=data["id"],
                text=data["text"],
                title=data.get("title", ""),
                source=data.get("source", ""),
                url=data.get("url", ""),
                date=_date_or_none(data.get("date")),
                path=data.get("path", ""),
                copies=tuple(Copy.from_dict(c) for c in data.get("copies", ())),
            )


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

    def to_dict(self) -> dict:
        return {"text": self.text, "doc_id": self.doc_id, "index": self.index, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, data: dict) -> Sentence:
        with _reading("Sentence"):
            return cls(data["text"], data["doc_id"], data["index"], data["start"], data["end"])


@dataclass(frozen=True)
class Budget:
    """How long a summary may be: a word limit, a sentence limit, or both."""

    words: int | None = None
    sentences: int | None = None

    def __post_init__(self) -> None:
        if self.words is None and self.sentences is None:
            raise NewsdigestError("a budget needs words or sentences")
        for name in ("words", "sentences"):
            value = getattr(self, name)
            if value is None:
                continue
            # bool is an int subclass: words=True is a mistake, not a budget of 1.
            if isinstance(value, bool) or not isinstance(value, int):
                raise NewsdigestError(f"budget {name} must be a whole number, got {value!r}")
            if value < 1:
                raise NewsdigestError(f"budget {name} must be at least 1, got {value}")

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

    def to_dict(self) -> dict:
        return {"path": self.path, "message": self.message, "severity": "error" if self.fatal else "warning"}

    @classmethod
    def from_dict(cls, data: dict) -> Problem:
        with _reading("Problem"):
            return cls(data["path"], data["message"], fatal=data.get("severity", "error") == "error")


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

    def to_dict(self) -> dict:
        """Everything needed to rebuild this digest (documents in full).

        ``analysis`` is stored as its own ``to_dict()``; :meth:`from_dict`
        gives it back as that plain dict.
        """
        analysis = self.analysis
        if analysis is not None and hasattr(analysis, "to_dict"):
            analysis = analysis.to_dict()
        return {
            "sentences": [
                {"sentence": ds.sentence.to_dict(), "support": [s.to_dict() for s in ds.support]}
                for ds in self.sentences
            ],
            "documents": [d.to_dict() for d in self.documents],
            "method": self.method,
            "budget": {"words": self.budget.words, "sentences": self.budget.sentences},
            "problems": [p.to_dict() for p in self.problems],
            "analysis": analysis,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Digest:
        with _reading("Digest"):
            return cls(
                sentences=[
                    DigestSentence(
                        Sentence.from_dict(ds["sentence"]),
                        tuple(Sentence.from_dict(s) for s in ds.get("support", ())),
                    )
                    for ds in data["sentences"]
                ],
                documents=[Document.from_dict(d) for d in data["documents"]],
                method=data["method"],
                budget=Budget(**data["budget"]),
                problems=[Problem.from_dict(p) for p in data.get("problems", ())],
                analysis=data.get("analysis"),
            )


@dataclass(frozen=True)
class Story:
    """Articles from one or more outlets about one news story.

    ``id`` is stable: the same input gives the same ids on every run.
    ``title`` is the headline most articles share, else the digest's opening.
    """

    id: str
    articles: tuple[Document, ...]
    title: str = ""

    @property
    def documents(self) -> list[Document]:
        """The articles, ready for :func:`newsdigest.summarize_documents`."""
        return list(self.articles)

    @property
    def sources(self) -> list[str]:
        """Distinct outlets in order of first appearance (an article without one counts as its id)."""
        seen: list[str] = []
        for a in self.articles:
            name = a.source or a.id
            if name not in seen:
                seen.append(name)
        return seen

    @property
    def start(self) -> _dt.date | None:
        dates = [a.date for a in self.articles if a.date]
        return min(dates) if dates else None

    @property
    def end(self) -> _dt.date | None:
        dates = [a.date for a in self.articles if a.date]
        return max(dates) if dates else None

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "articles": [a.to_dict() for a in self.articles]}

    @classmethod
    def from_dict(cls, data: dict) -> Story:
        with _reading("Story"):
            return cls(
                id=data["id"],
                articles=tuple(Document.from_dict(a) for a in data["articles"]),
                title=data.get("title", ""),
            )
