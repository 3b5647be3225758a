"""JSON lines: our own articles, or Multi-News records.

Our format is one article per line::

    {"id": "...", "title": "...", "source": "...", "url": "...", "date": "2012-08-06", "text": "..."}

Only ``text`` is required. A line with a ``document`` field instead is a
Multi-News record ``{"id", "document", "summary"}`` and yields one document per
``|||||``-separated article. A broken line is reported by number and skipped;
the other lines are still read.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..model import Document, Problem
from ..nlp.dates import parse_date
from .clean import clean_text, normalize_whitespace
from .multinews import parse_multinews

__all__ = ["parse_jsonl"]


def _text_field(record: dict, key: str) -> str:
    value = record.get(key)
    return normalize_whitespace(str(value)) if value is not None else ""


def parse_jsonl(text: str, path: str) -> tuple[list[Document], list[Problem]]:
    """Documents from JSON lines, and one problem per line that could not be used."""
    stem = Path(path).stem if path != "-" else "stdin"
    documents: list[Document] = []
    problems: list[Problem] = []
    stripped = text.strip()
    # A single pretty-printed JSON object (a .json file) is one record, not many lines.
    if stripped.startswith("{") and "\n" in stripped and not stripped.split("\n", 1)[0].rstrip().endswith("}"):
        lines = [(1, stripped)]
    else:
        lines = list(enumerate(text.split("\n"), start=1))
    for number, line in lines:
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(Problem(path, f"line {number}: invalid JSON ({error.msg}), line skipped"))
            continue
        if not isinstance(record, dict):
            problems.append(Problem(path, f"line {number}: expected a JSON object, got {type(record).__name__}"))
            continue
        record_id = _text_field(record, "id") or f"{stem}-{number}"
        if isinstance(record.get("document"), str) and not isinstance(record.get("text"), str):
            articles = parse_multinews(record["document"], record_id, path)
            if not articles:
                problems.append(Problem(path, f"line {number}: Multi-News record {record_id!r} has no articles"))
            documents.extend(articles)
            continue
        if not isinstance(record.get("text"), str):
            problems.append(Problem(path, f"line {number}: no \"text\" field (nor a Multi-News \"document\")"))
            continue
        title = _text_field(record, "title")
        documents.append(
            Document(
                id=record_id,
                text=clean_text(record["text"], title=title),
                title=title,
                source=_text_field(record, "source"),
                url=_text_field(record, "url"),
                date=parse_date(record.get("date")),
                path=path,
            )
        )
    return documents, problems
