"""The analysis as text: terminal (rich), markdown and JSON; HTML lives in analysis_html.

    from newsdigest.render.analysis_report import render_analysis
    render_analysis(analysis, "markdown", digest=digest)
"""

from __future__ import annotations

import io
import json

from newsdigest.model import Digest
from newsdigest.render.digest_text import md_escape

FORMATS = ("terminal", "markdown", "json", "html")
VERDICT_STYLE = {"agree": "green", "roughly agree": "yellow", "differ": "red", "different measures": "cyan"}


def render_analysis(analysis, fmt: str, digest: Digest | None = None, console=None, width: int = 100) -> str:
    """``analysis`` rendered as ``fmt`` (one of FORMATS).

    ``terminal``: with ``console`` (a rich Console) the report is printed there and
    "" returned; without, the plain text is returned.
    """
    if fmt == "json":
        data = analysis.to_dict()
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "markdown":
        return render_markdown(analysis, digest)
    if fmt == "html":
        from newsdigest.render.analysis_html import render_html

        return render_html(analysis, digest)
    if fmt == "terminal":
        return render_terminal(analysis, digest, console=console, width=width)
    raise ValueError(f"unknown analysis format {fmt!r} (known: {', '.join(FORMATS)})")


def source_numbers(analysis) -> dict[str, int]:
    """Document id -> the 1-based number citations use."""
    return {d.id: n for n, d in enumerate(analysis.documents, 1)}


def short_label(info) -> str:
    return info.source or info.title or info.id


def _cites(doc_ids, numbers) -> str:
    return "".join(f"[{numbers[d]}]" for d in dict.fromkeys(doc_ids) if d in numbers)


def speaker_label(speaker: str | None, resolved: bool) -> str:
    """A speaker as shown: "unattributed", a name, or words the article does not resolve, marked so."""
    if not speaker:
        return "unattributed"
    return speaker if resolved else f"{speaker} (as written; not resolved)"


def _figure_label(analysis, statement) -> str:
    figures = [analysis.figure(i) for i in statement.figures]
    speaker = next((f for f in figures if f.speaker), None)
    return statement.text + (f" (per {speaker_label(speaker.speaker, speaker.speaker_resolved)})" if speaker else "")


def row_label(analysis, group, row) -> str:
    """What one source says in a figure group: its statements, and whether they agree with each other."""
    text = " / ".join(dict.fromkeys(_figure_label(analysis, group.statements[i]) for i in row.statements))
    if row.consistency in {"roughly agree", "differ"}:
        text += f" (this source's own figures {'differ' if row.consistency == 'differ' else 'roughly agree'})"
    return text


UNDATED_HEADING = "Relative dates no source lets us place"


def timeline_note(analysis) -> str:
    """Says when undated articles were read against the story's date."""
    anchors = sorted({t.anchor for t in analysis.timeline if t.anchor})
    if not anchors:
        return ""
    undated = [d.id for d in analysis.documents if not d.date]
    return (f"Sources without a date ({_cites(undated, source_numbers(analysis))}) are read against the story's date, "
            f"{anchors[0]} (the median publication date of the others).")


def _date_label(event) -> str:
    if event.anchor and event.date:
        return f"{event.date} (from the story's date)"
    if event.date is None:
        return f"{event.date_text} (relative, undated)"
    if event.date.startswith("--"):
        return f"{event.date_text} (year not given)"
    return event.date


# ---------------------------------------------------------------- markdown


def _md(text: str) -> str:
    return md_escape(" ".join(str(text).split()))  # article text: no Markdown or HTML markup gets through


def render_markdown(analysis, digest: Digest | None = None) -> str:
    numbers = source_numbers(analysis)
    out: list[str] = ["# Cross-source analysis", ""]
    out += ["## Sources", ""]
    for info in analysis.documents:
        extra = f" ({info.date})" if info.date else ""
        out.append(f"{numbers[info.id]}. {_md(info.label)}{extra}")
    out.append("")
    if digest is not None and digest.sentences:
        out += ["## Summary", ""]
        out.append(" ".join(f"{_md(ds.text)} {_cites(ds.citations, numbers)}" for ds in digest.sentences))
        out.append("")
    out += ["## Who", "", "| Name | Kind | Role | Sources | Also written |", "|---|---|---|---|---|"]
    for e in analysis.entities[:25]:
        aliases = ", ".join(a for a in e.aliases if a != e.name)
        role = e.roles[0] if e.roles else ""
        out.append(f"| {_md(e.name)} | {e.kind} | {_md(role)} | {_cites(e.documents, numbers)} | {_md(aliases)} |")
    out.append("")
    out += ["## Who said what", ""]
    for q in analysis.quotes:
        speaker = speaker_label(q.speaker, q.speaker_resolved)
        out.append(f"- “{_md(q.text)}” — **{_md(speaker)}** {_cites(q.documents, numbers)}")
    out.append("")
    out += ["## Numbers", ""]
    if not analysis.figure_groups:
        out += ["No figure is given by more than one sentence.", ""]
    for g in analysis.figure_groups:
        out += [f"### {_md(g.label)}: {g.verdict}", "", f"_{_md(g.note)}_", "", "| Figure | Source |", "|---|---|"]
        for row in g.rows:
            out.append(f"| {_md(row_label(analysis, g, row))} | {_cites(row.doc_ids, numbers)} |")
        out.append("")
    out += ["## When", ""]
    if timeline_note(analysis):
        out += [f"_{_md(timeline_note(analysis))}_", ""]
    undated = [t for t in analysis.timeline if t.date is None]
    for title, events in (("", [t for t in analysis.timeline if t.date is not None]), (UNDATED_HEADING, undated)):
        if title and events:
            out += [f"### {title}", "", "_No publication date: one row per article and day, not in order._", ""]
        if events or not title:
            out += ["| Date | What | Sources |", "|---|---|---|"]
        for t in events:
            out.append(f"| {_md(_date_label(t))} | {_md(t.text)} | {_cites([s.doc_id for s in t.sources], numbers)} |")
        out.append("")
    if analysis.points:
        heading = "summary point" if analysis.points[0].from_digest else "shared point"
        cols = " | ".join(f"[{numbers[d.id]}]" for d in analysis.documents)
        out += ["## Who reports what", "", f"| {heading} | {cols} |", "|---|" + "---|" * len(analysis.documents)]
        for p in analysis.points:
            reporting = {s.doc_id for s in p.sources}
            cells = " | ".join("●" if d.id in reporting else "" for d in analysis.documents)
            out.append(f"| {_md(p.text)} | {cells} |")
        out.append("")
    out += ["## What each source adds", ""]
    for src in analysis.sources:
        info = analysis.document(src.doc_id)
        out.append(f"**[{numbers[src.doc_id]}] {_md(short_label(info))}** — {src.shared} of {src.sentences} sentences reported elsewhere")
        out.append("")
        for u in src.unique:
            out.append(f"- {_md(u.text)}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


# ---------------------------------------------------------------- terminal


def render_terminal(analysis, digest: Digest | None = None, console=None, width: int = 100) -> str:
    from rich import box
    from rich.console import Console, Group
    from rich.table import Table
    from rich.text import Text

    numbers = source_numbers(analysis)
    parts = []

    def heading(title: str):
        parts.append(Text(""))
        parts.append(Text(title, style="bold underline"))

    heading("Sources")
    for info in analysis.documents:
        parts.append(Text(f"[{numbers[info.id]}] {info.label}" + (f" ({info.date})" if info.date else "")))
    if digest is not None and digest.sentences:
        heading("Summary")
        summary = Text()
        for ds in digest.sentences:
            summary.append(ds.text + " ")
            summary.append(_cites(ds.citations, numbers) + " ", style="cyan")
        parts.append(summary)

    heading("Who")
    table = Table(box=box.SIMPLE, show_edge=False, expand=False)
    for col in ("Name", "Kind", "Role", "Sources", "Also written"):
        table.add_column(col, overflow="fold")
    for e in analysis.entities[:20]:
        table.add_row(e.name, e.kind, e.roles[0] if e.roles else "", _cites(e.documents, numbers),
                      ", ".join(a for a in e.aliases if a != e.name))
    parts.append(table)

    heading("Who said what")
    for q in analysis.quotes:
        line = Text("• “" + q.text + "” — ")
        line.append(speaker_label(q.speaker, q.speaker_resolved), style="bold")
        line.append(" " + _cites(q.documents, numbers), style="cyan")
        parts.append(line)

    heading("Numbers")
    for g in analysis.figure_groups:
        title = Text(f"{g.label}: ")
        title.append(g.verdict, style=VERDICT_STYLE.get(g.verdict, ""))
        parts.append(title)
        parts.append(Text("  " + g.note, style="dim"))
        for row in g.rows:
            parts.append(Text(f"  {_cites(row.doc_ids, numbers)} {row_label(analysis, g, row)}"))
    if not analysis.figure_groups:
        parts.append(Text("No figure is given by more than one sentence.", style="dim"))

    heading("When")
    if timeline_note(analysis):
        parts.append(Text(timeline_note(analysis), style="dim"))
    undated = [t for t in analysis.timeline if t.date is None]
    for title, events in (("", [t for t in analysis.timeline if t.date is not None]), (UNDATED_HEADING, undated)):
        if title and events:
            parts.append(Text(title + " (no publication date: one row per article and day, not in order)", style="bold"))
        table = Table(box=box.SIMPLE, show_edge=False)
        table.add_column("Date", no_wrap=True)
        table.add_column("What", overflow="fold")
        table.add_column("Sources", no_wrap=True)
        for t in events:
            table.add_row(_date_label(t), t.text, _cites([s.doc_id for s in t.sources], numbers))
        if events or not title:
            parts.append(table)

    if analysis.points:
        heading("Who reports what")
        table = Table(box=box.SIMPLE, show_edge=False)
        table.add_column("Point", overflow="fold")
        for d in analysis.documents:
            table.add_column(f"[{numbers[d.id]}]", justify="center")
        for p in analysis.points:
            reporting = {s.doc_id for s in p.sources}
            table.add_row(p.text, *("●" if d.id in reporting else "·" for d in analysis.documents))
        parts.append(table)

    heading("What each source adds")
    for src in analysis.sources:
        info = analysis.document(src.doc_id)
        parts.append(Text(f"[{numbers[src.doc_id]}] {short_label(info)}: {src.shared}/{src.sentences} sentences shared", style="bold"))
        for u in src.unique:
            parts.append(Text("  + " + u.text))

    group = Group(*parts)
    if console is not None:
        console.print(group)
        return ""
    buffer = Console(file=io.StringIO(), width=width, record=True, color_system=None, force_terminal=False)
    buffer.print(group)
    return buffer.export_text()
