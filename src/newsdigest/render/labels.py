"""How the analysis reports name things: source numbers and labels, figure and date labels.

Shared by every analysis format (terminal, markdown, HTML), so a source is
[2] and a date reads the same in all of them.
"""

from __future__ import annotations


def source_numbers(analysis) -> dict[str, int]:
    """Document id -> the 1-based number citations use."""
    return {d.id: n for n, d in enumerate(analysis.documents, 1)}


def short_label(info) -> str:
    return info.source or info.title or info.id


def cite_marks(doc_ids, numbers) -> str:
    """``[1][3]`` for these documents, each once, in order."""
    return "".join(f"[{numbers[d]}]" for d in dict.fromkeys(doc_ids) if d in numbers)


def speaker_label(speaker: str | None, resolved: bool) -> str:
    """A speaker as shown: "unattributed", a name, or words the article does not resolve, marked so."""
    if not speaker:
        return "unattributed"
    return speaker if resolved else f"{speaker} (as written; not resolved)"


def figure_label(analysis, statement) -> str:
    figures = [analysis.figure(i) for i in statement.figures]
    speaker = next((f for f in figures if f.speaker), None)
    return statement.text + (f" (per {speaker_label(speaker.speaker, speaker.speaker_resolved)})" if speaker else "")


def row_label(analysis, group, row) -> str:
    """What one source says in a figure group: its statements, and whether they agree with each other."""
    text = " / ".join(dict.fromkeys(figure_label(analysis, group.statements[i]) for i in row.statements))
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
    return (f"Sources without a date ({cite_marks(undated, source_numbers(analysis))}) are read against the story's date, "
            f"{anchors[0]} (the median publication date of the others).")


def date_label(event) -> str:
    if event.anchor and event.date:
        return f"{event.date} (from the story's date)"
    if event.date is None:
        return f"{event.date_text} (relative, undated)"
    if event.date.startswith("--"):
        return f"{event.date_text} (year not given)"
    return event.date
