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


def figure_label(analysis, statement) -> str:
    figures = [analysis.figure(i) for i in statement.figures]
    speaker = next((f.speaker for f in figures if f.speaker), None)
    return statement.text + (f" (per {speaker})" if speaker else "")


def date_label(event) -> str:
    if event.date is None:
        return f"{event.date_text} (relative, undated)"
    if event.date.startswith("--"):
        return f"{event.date_text} (year not given)"
    return event.date
