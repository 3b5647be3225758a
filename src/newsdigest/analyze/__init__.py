"""Cross-source analysis: who, who said what, what the numbers are, where sources differ, when.

    from newsdigest.analyze import analyze, Analysis
    analysis = analyze(documents, sentences, digest=None)
    analysis.to_dict()          # JSON-ready; schema in newsdigest.analyze.schema and docs/analysis-schema.md

One spaCy pass per document feeds every concern: :mod:`.entities`,
:mod:`.quotes`, :mod:`.figures`, :mod:`.timeline`; :mod:`.coverage` compares
sentences with TF-IDF.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

from newsdigest.analyze.parsing import DEFAULT_MAX_CHARS, load_nlp, parse
from newsdigest.analyze.coverage import CoveragePoint, SourceCoverage, compute_coverage
from newsdigest.analyze.entities import Entity, extract_entities
from newsdigest.analyze.figures import Figure, FigureGroup, extract_figures, group_figures
from newsdigest.analyze.quotes import Quote, extract_quotes
from newsdigest.analyze.timeline import TimelineEvent, extract_timeline
from newsdigest.model import Digest, Document, Sentence

SCHEMA_VERSION = 1

__all__ = [
    "Analysis", "SourceInfo", "analyze", "analyze_documents", "load_nlp",
    "Entity", "Quote", "Figure", "FigureGroup", "TimelineEvent", "CoveragePoint", "SourceCoverage",
]


@dataclass(frozen=True)
class SourceInfo:
    """A document as the analysis names it."""

    id: str
    label: str
    source: str
    title: str
    url: str
    date: str | None  # ISO publication date
    truncated: bool  # only the first ``max_chars`` characters went through spaCy


@dataclass
class Analysis:
    documents: list[SourceInfo]
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    figure_groups: list[FigureGroup] = field(default_factory=list)
    timeline: list[TimelineEvent] = field(default_factory=list)
    points: list[CoveragePoint] = field(default_factory=list)
    sources: list[SourceCoverage] = field(default_factory=list)
    max_chars: int = DEFAULT_MAX_CHARS
    # (doc id, sentence index) -> text of every analysed sentence, for renderers; not serialised.
    sentence_texts: dict[tuple[str, int], str] = field(default_factory=dict, repr=False)

    def sentence(self, doc_id: str, index: int) -> str:
        return self.sentence_texts.get((doc_id, index), "")

    def document(self, doc_id: str) -> SourceInfo:
        for d in self.documents:
            if d.id == doc_id:
                return d
        raise KeyError(doc_id)

    def entity(self, entity_id: str) -> Entity:
        for e in self.entities:
            if e.id == entity_id:
                return e
        raise KeyError(entity_id)

    def figure(self, figure_id: str) -> Figure:
        for f in self.figures:
            if f.id == figure_id:
                return f
        raise KeyError(figure_id)

    def to_dict(self) -> dict:
        """Plain JSON types only, stable keys (see ``newsdigest.analyze.schema.ANALYSIS_SCHEMA``)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "max_chars": self.max_chars,
            **{f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self) if f.name not in {"max_chars", "sentence_texts"}},
        }


def _plain(value):
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def analyze(
    documents: Sequence[Document],
    sentences: Sequence[Sentence],
    digest: Digest | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Analysis:
    """Entities, quotes, figures, timeline and coverage of a cluster of documents.

    ``sentences`` are those of :func:`newsdigest.nlp.text.split_sentences` for every
    document; ``digest``, when given, adds the coverage of each summary sentence.
    Only the first ``max_chars`` characters of each document are analysed.
    """
    documents = list(documents)
    parsed = parse(documents, sentences, max_chars=max_chars)
    index = extract_entities(parsed)
    figures = extract_figures(parsed, index)
    points, coverage = compute_coverage(parsed, digest)
    return Analysis(
        documents=[
            SourceInfo(
                d.id, d.label, d.source, d.title, d.url, d.date.isoformat() if d.date else None, len(d.text) > max_chars
            )
            for d in documents
        ],
        entities=index.entities,
        quotes=extract_quotes(parsed, index),
        figures=figures,
        figure_groups=group_figures(figures, parsed),
        timeline=extract_timeline(parsed, index),
        points=points,
        sources=coverage,
        max_chars=max_chars,
        sentence_texts={(s.doc_id, s.index): s.text for pd in parsed for s in pd.sentences},
    )


def analyze_documents(
    documents: Sequence[Document], digest: Digest | None = None, max_chars: int = DEFAULT_MAX_CHARS
) -> Analysis:
    """:func:`analyze`, segmenting the documents itself (what the CLI calls)."""
    from newsdigest.pipeline import segment

    return analyze(documents, segment(documents), digest=digest, max_chars=max_chars)
