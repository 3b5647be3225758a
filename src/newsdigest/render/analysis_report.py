"""The analysis as text: terminal (rich), markdown and JSON; HTML lives in analysis_html.

    from newsdigest.render.analysis_report import render_analysis
    render_analysis(analysis, "markdown", digest=digest)
"""

from __future__ import annotations

import io
import json

from newsdigest.errors import NewsdigestError
from newsdigest.model import Digest
import newsdigest.render.escape as escape
from newsdigest.render.labels import (
    UNDATED_HEADING,
    cite_marks,
    date_label,
    row_label,
    short_label,
    source_numbers,
    speaker_label,
    timeline_note,
)

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
    raise NewsdigestError(f"unknown analysis format {fmt!r} (known: {', '.join(FORMATS)})")


# ---------------------------------------------------------------- markdown


def render_markdown(analysis, digest: Digest | None = None) -> str:
    numbers = source_numbers(analysis)
    out: list[str] = ["# Cross-source analysis", ""]
    out += ["## Sources", ""]
    for info in analysis.documents:
        extra = f" ({escape.markdown(info.date)})" if info.date else ""
        out.append(f"{numbers[info.id]}. {escape.markdown(info.label)}{extra}")
    out.append("")
    if digest is not None and digest.sentences:
        out += ["## Summary", ""]
        out.append(" ".join(f"{escape.markdown(ds.text)} {cite_marks(ds.citations, numbers)}" for ds in digest.sentences))
        out.append("")
    out += ["## Who", "", "| Name | Kind | Role | Sources | Also written |", "|---|---|---|---|---|"]
    for e in analysis.entities[:25]:
        aliases = ", ".join(a for a in e.aliases if a != e.name)
        role = e.roles[0] if e.roles else ""
        out.append(f"| {escape.markdown(e.name)} | {escape.markdown(e.kind)} | {escape.markdown(role)} | {cite_marks(e.documents, numbers)} | {escape.markdown(aliases)} |")
    out.append("")
    out += ["## Who said what", ""]
    for q in analysis.quotes:
        speaker = speaker_label(q.speaker, q.speaker_resolved)
        out.append(f"- “{escape.markdown(q.text)}” — **{escape.markdown(speaker)}** {cite_marks(q.documents, numbers)}")
    out.append("")
    out += ["## Numbers", ""]
    if not analysis.figure_groups:
        out += ["No figure is given by more than one sentence.", ""]
    for g in analysis.figure_groups:
        out += [f"### {escape.markdown(g.label)}: {escape.markdown(g.verdict)}", "", f"_{escape.markdown(g.note)}_", "", "| Figure | Source |", "|---|---|"]
        for row in g.rows:
            out.append(f"| {escape.markdown(row_label(analysis, g, row))} | {cite_marks(row.doc_ids, numbers)} |")
        out.append("")
    out += ["## When", ""]
    if timeline_note(analysis):
        out += [f"_{escape.markdown(timeline_note(analysis))}_", ""]
    undated = [t for t in analysis.timeline if t.date is None]
    for title, events in (("", [t for t in analysis.timeline if t.date is not None]), (UNDATED_HEADING, undated)):
        if title and events:
            out += [f"### {title}", "", "_No publication date: one row per article and day, not in order._", ""]
        if events or not title:
            out += ["| Date | What | Sources |", "|---|---|---|"]
        for t in events:
            out.append(f"| {escape.markdown(date_label(t))} | {escape.markdown(t.text)} | {cite_marks([s.doc_id for s in t.sources], numbers)} |")
        out.append("")
    if analysis.points:
        heading = "summary point" if analysis.points[0].from_digest else "shared point"
        cols = " | ".join(f"[{numbers[d.id]}]" for d in analysis.documents)
        out += ["## Who reports what", "", f"| {heading} | {cols} |", "|---|" + "---|" * len(analysis.documents)]
        for p in analysis.points:
            reporting = {s.doc_id for s in p.sources}
            cells = " | ".join("●" if d.id in reporting else "" for d in analysis.documents)
            out.append(f"| {escape.markdown(p.text)} | {cells} |")
        out.append("")
    out += ["## What each source adds", ""]
    for src in analysis.sources:
        info = analysis.document(src.doc_id)
        out.append(f"**[{numbers[src.doc_id]}] {escape.markdown(short_label(info))}** — {src.shared} of {src.sentences} sentences reported elsewhere")
        out.append("")
        for u in src.unique:
            out.append(f"- {escape.markdown(u.text)}")
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
        parts.append(escape.terminal(f"[{numbers[info.id]}] {info.label}" + (f" ({info.date})" if info.date else "")))
    if digest is not None and digest.sentences:
        heading("Summary")
        summary = Text()
        for ds in digest.sentences:
            summary.append(escape.terminal(ds.text)).append(" ")
            summary.append(cite_marks(ds.citations, numbers) + " ", style="cyan")
        parts.append(summary)

    heading("Who")
    table = Table(box=box.SIMPLE, show_edge=False, expand=False)
    for col in ("Name", "Kind", "Role", "Sources", "Also written"):
        table.add_column(col, overflow="fold")
    for e in analysis.entities[:20]:
        cells = (e.name, e.kind, e.roles[0] if e.roles else "", cite_marks(e.documents, numbers),
                 ", ".join(a for a in e.aliases if a != e.name))
        table.add_row(*map(escape.terminal, cells))
    parts.append(table)

    heading("Who said what")
    for q in analysis.quotes:
        line = escape.terminal("• “" + q.text + "” — ")
        line.append(escape.terminal(speaker_label(q.speaker, q.speaker_resolved), style="bold"))
        line.append(" " + cite_marks(q.documents, numbers), style="cyan")
        parts.append(line)

    heading("Numbers")
    for g in analysis.figure_groups:
        title = escape.terminal(f"{g.label}: ")
        title.append(escape.terminal(g.verdict, style=VERDICT_STYLE.get(g.verdict, "")))
        parts.append(title)
        parts.append(Text("  ").append(escape.terminal(g.note, style="dim")))
        for row in g.rows:
            parts.append(Text("  ").append(escape.terminal(f"{cite_marks(row.doc_ids, numbers)} {row_label(analysis, g, row)}")))
    if not analysis.figure_groups:
        parts.append(Text("No figure is given by more than one sentence.", style="dim"))

    heading("When")
    if timeline_note(analysis):
        parts.append(escape.terminal(timeline_note(analysis), style="dim"))
    undated = [t for t in analysis.timeline if t.date is None]
    for title, events in (("", [t for t in analysis.timeline if t.date is not None]), (UNDATED_HEADING, undated)):
        if title and events:
            parts.append(Text(title + " (no publication date: one row per article and day, not in order)", style="bold"))
        table = Table(box=box.SIMPLE, show_edge=False)
        table.add_column("Date", no_wrap=True)
        table.add_column("What", overflow="fold")
        table.add_column("Sources", no_wrap=True)
        for t in events:
            table.add_row(*map(escape.terminal, (date_label(t), t.text, cite_marks([s.doc_id for s in t.sources], numbers))))
        if events or not title:
            parts.append(table)

    if analysis.points:
        heading("Who reports what")
        table = Table(box=box.SIMPLE, show_edge=False)
        table.add_column("Point", overflow="fold")
        for d in analysis.documents:
            table.add_column(Text(f"[{numbers[d.id]}]"), justify="center")
        for p in analysis.points:
            reporting = {s.doc_id for s in p.sources}
            table.add_row(escape.terminal(p.text), *("●" if d.id in reporting else "·" for d in analysis.documents))
        parts.append(table)

    heading("What each source adds")
    for src in analysis.sources:
        info = analysis.document(src.doc_id)
        parts.append(escape.terminal(f"[{numbers[src.doc_id]}] {short_label(info)}: {src.shared}/{src.sentences} sentences shared", style="bold"))
        for u in src.unique:
            parts.append(Text("  + ").append(escape.terminal(u.text)))

    group = Group(*parts)
    if console is not None:
        console.print(group)
        return ""
    buffer = Console(file=io.StringIO(), width=width, record=True, color_system=None, force_terminal=False)
    buffer.print(group)
    return buffer.export_text()
