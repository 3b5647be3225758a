"""The analysis as one self-contained HTML page.

No external requests: the CSS (``render/static/analysis.css``) is inlined and
there is no script. The page is ``render/templates/analysis.html``, built from
one block per section in ``render/templates/analysis/`` (summary, sources,
entities, quotes, figures, timeline, coverage, source_additions; citation
macros in ``macros.html``) that other pages can include. Article text is
untrusted, so every value goes through Jinja2's autoescaping (``<`` and
quotes become entities, also inside ``title`` attributes). A citation shows
the source sentence on hover, both as a CSS tooltip and a ``title``.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from jinja2 import Environment, PackageLoader, select_autoescape

from newsdigest.model import Digest
from newsdigest.render.labels import (
    UNDATED_HEADING,
    date_label,
    row_label,
    short_label,
    source_numbers,
    speaker_label,
    timeline_note,
)


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The Jinja2 environment of ``render/templates``, autoescaping everything.

    Hosts that build pages from the same blocks (``analysis/*.html``) use this.
    """
    return Environment(
        loader=PackageLoader("newsdigest.render", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """``render/static/analysis.css``, inlined into the page (it makes no request)."""
    return resources.files("newsdigest.render").joinpath("static", "analysis.css").read_text(encoding="utf-8")


def render_html(analysis, digest: Digest | None = None, title: str = "") -> str:
    """The whole report as one self-contained page."""
    context = report_context(analysis, digest)
    return environment().get_template("analysis.html").render(
        title=title or _default_title(analysis), css=stylesheet(), **context
    )


def render_report_sections(analysis, digest: Digest | None = None) -> str:
    """The report's sections only (summary to coverage grid), for a host's own page around them."""
    return environment().get_template("analysis/sections.html").render(**report_context(analysis, digest))


def report_context(analysis, digest: Digest | None = None) -> dict:
    """What the report templates read: the analysis (and digest) as plain values, labels resolved."""
    numbers = source_numbers(analysis)
    labels = {d.id: short_label(d) for d in analysis.documents}
    sentence_text = _sentence_lookup(analysis, digest)

    summary = []
    if digest is not None:
        for ds in digest.sentences:
            texts = {ds.sentence.doc_id: ds.sentence.text}
            for s in ds.support:
                texts.setdefault(s.doc_id, s.text)
            summary.append({"text": ds.text, "cites": [{"doc_id": d, "text": texts.get(d, "")} for d in ds.citations if d in numbers]})

    groups = []
    grouped = set()
    for g in analysis.figure_groups:
        statements = []
        for s in g.statements:
            grouped.update(s.figures)
        for row in g.rows:  # one per source; a copy of the same wire story is named in the label
            first = g.statements[row.statements[0]]
            copies = "".join(f" [{numbers[d]}]" for d in row.doc_ids[1:] if d in numbers)
            statements.append({"label": row_label(analysis, g, row) + (f" (also{copies})" if copies else ""),
                               "doc_id": first.doc_id, "sentence": sentence_text(first.doc_id, first.sentence_index)})
        groups.append({"label": g.label, "verdict": g.verdict, "note": g.note, "statements": statements})
    singles = [f for f in analysis.figures if f.id not in grouped and f.counts][:30]

    first_undated = next((t.id for t in analysis.timeline if t.date is None), None)
    timeline = [
        {"date_label": date_label(t), "resolved": t.resolved, "text": t.text, "first_undated": t.id == first_undated,
         # one citation per source (its first sentence of that day), not one per sentence
         "sources": [{"doc_id": s.doc_id, "sentence": sentence_text(s.doc_id, s.sentence_index)}
                     for s in {s.doc_id: s for s in reversed(t.sources)}.values()][::-1]}
        for t in analysis.timeline
    ]
    quotes = [
        {"text": q.text, "speaker": speaker_label(q.speaker, q.speaker_resolved),
         "sources": [{"doc_id": s.doc_id, "sentence": sentence_text(s.doc_id, s.sentence_index)} for s in q.sources]}
        for q in analysis.quotes
    ]
    points = [{"text": p.text, "from_digest": p.from_digest, "by_doc": {s.doc_id: s for s in p.sources}} for p in analysis.points]

    return dict(
        documents=analysis.documents,
        max_chars=analysis.max_chars,
        numbers=numbers,
        labels=labels,
        summary=summary,
        entities=analysis.entities[:40],
        quotes=quotes,
        groups=groups,
        singles=singles,
        timeline=timeline,
        timeline_note=timeline_note(analysis),
        undated_heading=UNDATED_HEADING,
        points=points,
        sources=analysis.sources,
    )


def _default_title(analysis) -> str:
    people = [e.name for e in analysis.entities if e.kind == "person"][:2]
    return "Cross-source analysis" + (": " + ", ".join(people) if people else "")


def _sentence_lookup(analysis, digest: Digest | None):
    """(doc id, sentence index) -> sentence text, from what the analysis already holds."""
    known: dict[tuple[str, int], str] = {}
    for f in analysis.figures:
        known[(f.doc_id, f.sentence_index)] = f.sentence
    for p in analysis.points:
        for s in p.sources:
            known[(s.doc_id, s.sentence_index)] = s.text
    for src in analysis.sources:
        for u in src.unique:
            known[(src.doc_id, u.sentence_index)] = u.text
    for t in analysis.timeline:
        for s in t.sources:
            known.setdefault((s.doc_id, s.sentence_index), t.text)
    if digest is not None:
        for ds in digest.sentences:
            for s in (ds.sentence, *ds.support):
                known[(s.doc_id, s.index)] = s.text
    known.update(getattr(analysis, "sentence_texts", None) or {})

    def lookup(doc_id: str, index: int) -> str:
        return known.get((doc_id, index), "")

    return lookup
