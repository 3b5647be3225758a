"""The analysis as one self-contained HTML page.

No external requests: the CSS is inlined and there is no script. Article text
is untrusted, so every value goes through Jinja2's autoescaping (``<`` and
quotes become entities, also inside ``title`` attributes). A citation shows
the source sentence on hover, both as a CSS tooltip and a ``title``.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from jinja2 import Environment, select_autoescape

from newsdigest.model import Digest
from newsdigest.render.analysis_report import (
    UNDATED_HEADING, _date_label, row_label, short_label, source_numbers, speaker_label, timeline_note,
)

TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>{{ title }}</title>
<style>{{ css }}</style>
</head>
<body><main>
<h1>{{ title }}</h1>
<p class="muted">{{ documents|length }} sources · analysed by newsdigest</p>
<nav>{% if summary %}<a href="#summary">Summary</a>{% endif %}<a href="#sources">Sources</a><a href="#who">Who</a><a href="#quotes">Who said what</a><a href="#numbers">Numbers</a><a href="#when">When</a><a href="#coverage">Who reports what</a><a href="#adds">What each adds</a></nav>

{% macro cite(doc_id, text) -%}
<a class="cite" href="#src-{{ numbers[doc_id] }}" title="{{ labels[doc_id] }}: {{ text }}">[{{ numbers[doc_id] }}]<span class="tip"><b>{{ labels[doc_id] }}</b>{{ text }}</span></a>
{%- endmacro %}
{% macro cites(doc_ids) -%}
{% for d in doc_ids %}<a class="cite" href="#src-{{ numbers[d] }}" title="{{ labels[d] }}">[{{ numbers[d] }}]</a>{% endfor %}
{%- endmacro %}

{% if summary %}
<section id="summary" class="summary"><h2>Summary</h2>
<p>{% for s in summary %}<span class="sentence">{{ s.text }}</span>{% for c in s.cites %}{{ cite(c.doc_id, c.text) }}{% endfor %} {% endfor %}</p>
</section>
{% endif %}

<section id="sources"><h2>Sources</h2>
<ol>{% for d in documents %}<li id="src-{{ loop.index }}">{{ d.label }}{% if d.date %} <span class="muted">({{ d.date }})</span>{% endif %}{% if d.url %} <span class="muted">{{ d.url }}</span>{% endif %}{% if d.truncated %} <span class="muted">(first {{ max_chars }} characters analysed)</span>{% endif %}</li>{% endfor %}</ol>
</section>

<section id="who"><h2>Who</h2>
<table><thead><tr><th>Name</th><th>Role</th><th>Sources</th><th>Also written</th></tr></thead><tbody>
{% for e in entities %}<tr><td>{{ e.name }} <span class="kind">{{ e.kind }}</span></td><td>{{ e.roles|join("; ") }}</td><td>{{ cites(e.documents) }}</td><td>{{ e.aliases|reject("equalto", e.name)|join(", ") }}</td></tr>
{% endfor %}</tbody></table>
</section>

<section id="quotes"><h2>Who said what</h2>
{% for q in quotes %}<blockquote><p>“{{ q.text }}”</p><footer>— {{ q.speaker or "unattributed" }}{% for s in q.sources %}{{ cite(s.doc_id, s.sentence) }}{% endfor %}</footer></blockquote>
{% else %}<p class="muted">No direct quotation found.</p>{% endfor %}
</section>

<section id="numbers"><h2>Numbers</h2>
{% for g in groups %}<div class="group"><h3>{{ g.label }}<span class="verdict verdict-{{ g.verdict|replace(" ", "-") }}">{{ g.verdict }}</span></h3>
<p class="note">{{ g.note }}</p>
<div class="figures">{% for s in g.statements %}<div class="figure"><div class="num">{{ s.label }}</div>{{ cite(s.doc_id, s.sentence) }}</div>{% endfor %}</div></div>
{% else %}<p class="muted">No figure is given by more than one sentence.</p>{% endfor %}
{% if singles %}<h3>Other figures</h3><table><tbody>{% for f in singles %}<tr><td>{{ f.text }} {{ f.counts }}</td><td>{{ cite(f.doc_id, f.sentence) }}</td></tr>{% endfor %}</tbody></table>{% endif %}
</section>

<section id="when"><h2>When</h2>
<table><thead><tr><th>Date</th><th>What</th><th>Sources</th></tr></thead><tbody>
{% if timeline_note %}<caption class="note">{{ timeline_note }}</caption>{% endif %}
{% for t in timeline %}{% if t.first_undated %}<tr><th colspan="3" scope="rowgroup">{{ undated_heading }} <span class="muted">(no publication date: one row per article and day, not in order)</span></th></tr>{% endif %}<tr><td{% if not t.resolved %} class="relative"{% endif %}>{{ t.date_label }}</td><td>{{ t.text }}</td><td>{% for s in t.sources %}{{ cite(s.doc_id, s.sentence) }}{% endfor %}</td></tr>
{% else %}<tr><td colspan="3" class="muted">No dated event found.</td></tr>{% endfor %}</tbody></table>
</section>

<section id="coverage"><h2>Who reports what</h2>
{% if points %}<table class="grid"><thead><tr><th>{{ "Summary point" if points[0].from_digest else "Shared point" }}</th>{% for d in documents %}<th title="{{ d.label }}">[{{ loop.index }}]</th>{% endfor %}</tr></thead><tbody>
{% for p in points %}<tr><td>{{ p.text }}</td>{% for d in documents %}{% set s = p.by_doc.get(d.id) %}{% if s %}<td class="mark yes" title="{{ s.text }}">●</td>{% else %}<td class="mark"></td>{% endif %}{% endfor %}</tr>
{% endfor %}</tbody></table>{% else %}<p class="muted">No point is reported by two sources.</p>{% endif %}
</section>

<section id="adds"><h2>What each source adds</h2>
{% for src in sources %}<h3>[{{ numbers[src.doc_id] }}] {{ labels[src.doc_id] }} <span class="muted">{{ src.shared }} of {{ src.sentences }} sentences reported elsewhere</span></h3>
<ul class="adds">{% for u in src.unique %}<li>{{ u.text }}</li>{% else %}<li class="muted">Nothing that no other source reports.</li>{% endfor %}</ul>
{% endfor %}
</section>
</main></body></html>
"""


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(autoescape=select_autoescape(default=True, default_for_string=True), trim_blocks=True, lstrip_blocks=True)


@lru_cache(maxsize=1)
def _css() -> str:
    return resources.files("newsdigest.render").joinpath("analysis.css").read_text(encoding="utf-8")


def render_html(analysis, digest: Digest | None = None, title: str = "") -> str:
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
        {"date_label": _date_label(t), "resolved": t.resolved, "text": t.text, "first_undated": t.id == first_undated,
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

    return _environment().from_string(TEMPLATE).render(
        title=title or _default_title(analysis),
        css=_css(),
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
