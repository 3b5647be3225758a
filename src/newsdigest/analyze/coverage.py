"""Who reports what: coverage of each summary point, and what each source alone adds.

Sentences are compared as everywhere else (:mod:`newsdigest.nlp.similarity`:
TF-IDF cosine over content-word stems, the same thing from
:data:`newsdigest.settings.SAME_THING`). A summary point is
reported by the documents its ``DigestSentence.citations`` name; without a
digest, the points are the statements most sources share, picked greedily
so no two say the same thing. A source's own contribution is its sentences
least like any sentence of the other sources.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from newsdigest.analyze.parsing import ParsedDocument
from newsdigest.model import Digest
from newsdigest.nlp.similarity import sentence_similarities, tfidf_vectors
from newsdigest.settings import SAME_THING

UNIQUE_BELOW = 0.2  # a sentence is the source's own when no other source comes this close
MIN_WORDS = 8


@dataclass(frozen=True)
class PointSource:
    doc_id: str
    sentence_index: int
    text: str  # the sentence of that document that reports the point
    similarity: float  # 1.0 for the sentence the point was taken from


@dataclass(frozen=True)
class CoveragePoint:
    index: int
    text: str
    doc_id: str  # where the point's text comes from
    sentence_index: int
    sources: tuple[PointSource, ...]  # every reporting document, origin first
    from_digest: bool


@dataclass(frozen=True)
class UniqueSentence:
    sentence_index: int
    text: str
    similarity: float  # to the closest sentence of any other source


@dataclass(frozen=True)
class SourceCoverage:
    doc_id: str
    sentences: int
    shared: int  # sentences some other source also reports
    unique: tuple[UniqueSentence, ...]  # the best few it alone reports


def compute_coverage(
    parsed: Sequence[ParsedDocument], digest: Digest | None = None, unique_per_source: int = 3, max_points: int = 8
) -> tuple[list[CoveragePoint], list[SourceCoverage]]:
    sentences = [s for pd in parsed for s in pd.sentences]
    doc_ids = [pd.id for pd in parsed]
    matrix = tfidf_vectors([s.text for s in sentences])
    if matrix.nnz == 0:  # no content word at all
        return [], [SourceCoverage(d, 0, 0, ()) for d in doc_ids]
    owner = np.array([doc_ids.index(s.doc_id) for s in sentences])
    sims = sentence_similarities(matrix)
    row_of = {(s.doc_id, s.index): row for row, s in enumerate(sentences)}
    np.fill_diagonal(sims, 0.0)

    sources = []
    for di, doc_id in enumerate(doc_ids):
        rows = np.where(owner == di)[0]
        if len(rows) == 0:
            sources.append(SourceCoverage(doc_id, 0, 0, ()))
            continue
        others = owner != di
        best = sims[np.ix_(rows, np.where(others)[0])].max(axis=1) if others.any() else np.zeros(len(rows))
        shared = int((best >= SAME_THING).sum())
        candidates = []
        for row, sim in zip(rows, best):
            s = sentences[row]
            if sim < UNIQUE_BELOW and s.words >= MIN_WORDS:
                weight = matrix[row].sum()  # more distinct content words, more to add
                candidates.append(((1 - sim) * weight, row, sim))
        candidates.sort(key=lambda c: -c[0])
        unique = tuple(
            UniqueSentence(sentences[row].index, sentences[row].text, round(float(sim), 3))
            for _, row, sim in sorted(candidates[:unique_per_source], key=lambda c: c[1])
        )
        sources.append(SourceCoverage(doc_id, len(rows), shared, unique))

    if digest is not None:
        points = _digest_points(digest, sims, row_of)
    else:
        points = _shared_points(sims, sentences, owner, doc_ids, max_points)
    return points, sources


def _best_per_doc(sim_row, owner, doc_ids, sentences, skip_doc: int | None):
    found = []
    for di, doc_id in enumerate(doc_ids):
        if di == skip_doc:
            continue
        rows = np.where(owner == di)[0]
        if len(rows) == 0:
            continue
        best = rows[int(np.argmax(sim_row[rows]))]
        if sim_row[best] >= SAME_THING:
            found.append(PointSource(doc_id, sentences[best].index, sentences[best].text, round(float(sim_row[best]), 3)))
    return found


def _digest_points(digest: Digest, sims, row_of) -> list[CoveragePoint]:
    points = []
    for n, ds in enumerate(digest.sentences):
        origin_row = row_of.get((ds.sentence.doc_id, ds.sentence.index))
        found = {ds.sentence.doc_id: PointSource(ds.sentence.doc_id, ds.sentence.index, ds.sentence.text, 1.0)}
        for s in ds.support:
            if s.doc_id not in found:
                # the cosine that made citation finding count this sentence, for display
                row = row_of.get((s.doc_id, s.index))
                similarity = 0.0 if origin_row is None or row is None else round(float(sims[origin_row, row]), 3)
                found[s.doc_id] = PointSource(s.doc_id, s.index, s.text, similarity)
        ordered = tuple(found[d] for d in ds.citations if d in found)
        points.append(CoveragePoint(n, ds.sentence.text, ds.sentence.doc_id, ds.sentence.index, ordered, True))
    return points


def _shared_points(sims, sentences, owner, doc_ids, max_points: int) -> list[CoveragePoint]:
    scored = []
    for row, s in enumerate(sentences):
        if s.words < MIN_WORDS:
            continue
        reporting = _best_per_doc(sims[row], owner, doc_ids, sentences, int(owner[row]))
        if reporting:
            scored.append((len(reporting), sum(p.similarity for p in reporting), row, reporting))
    scored.sort(key=lambda x: (-x[0], -x[1], x[2]))
    chosen: list[int] = []
    points = []
    for _count, _total, row, reporting in scored:
        if len(points) >= max_points:
            break
        if any(sims[row, c] >= SAME_THING for c in chosen) or any(owner[c] == owner[row] and sims[row, c] > 0.2 for c in chosen):
            continue
        chosen.append(row)
        s = sentences[row]
        origin = PointSource(s.doc_id, s.index, s.text, 1.0)
        points.append(CoveragePoint(len(points), s.text, s.doc_id, s.index, (origin, *reporting), False))
    return points
