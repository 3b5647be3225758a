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
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import NewsdigestError
from ..model import Document, Problem
from ..nlp.dates import parse_date
from .clean import clean_text, one_line
from .decode import surrogates_replaced, without_lone_surrogates
from .multinews import parse_multinews

__all__ = ["article_from_record", "not_a_date", "parse_jsonl", "parse_record", "read_jsonl_lines", "streams_as_lines"]


_TEXT_FIELDS = ("id", "title", "source", "url")


def _text_field(record: dict, key: str) -> str:
    """A field as one line of text: a number is written out; an object or a list is no text (ignored, and said)."""
    value = record.get(key)
    return one_line(str(value)) if value is not None and not isinstance(value, (dict, list)) else ""


def _records(text: str) -> list[tuple[int, str]]:
    """``(line number, JSON text)`` pairs: the lines, or the whole text when it is one pretty-printed object."""
    lines = list(enumerate(text.split("\n"), start=1))
    stripped = text.strip()
    first_line = stripped.split("\n", 1)[0].rstrip()
    if not stripped.startswith("{") or "\n" not in stripped or first_line.endswith("}"):
        return lines
    # A .json file holding one pretty-printed object is one record, not many lines;
    # but a JSON lines file whose first line is broken must not be read as one.
    try:
        json.loads(stripped)
    except json.JSONDecodeError:
        if any(_is_object(line) for _, line in lines[1:]):
            return lines
    first = text[: len(text) - len(text.lstrip())].count("\n") + 1
    return [(first, stripped)]


def _is_object(line: str) -> bool:
    line = line.strip()
    if not (line.startswith("{") and line.endswith("}")):
        return False
    try:
        return isinstance(json.loads(line), dict)
    except json.JSONDecodeError:
        return False


def parse_jsonl(text: str, path: str) -> tuple[list[Document], list[Problem]]:
    """Documents from JSON lines, and one problem per line that could not be used."""
    stem = Path(path).stem if path != "-" else "stdin"
    documents: list[Document] = []
    problems: list[Problem] = []
    for number, line in _records(text):
        found, problem = parse_record(line, number=number, path=path, stem=stem)
        documents.extend(found)
        if problem is not None:
            problems.append(problem)
    return documents, problems


def parse_record(line: str, *, number: int, path: str, stem: str) -> tuple[list[Document], Problem | None]:
    """The documents of one JSON line (none for a blank line), or the problem that makes it unusable.

    ``number``: the line's number in the file, named by the problem and in the id of a record without one
    (``stem-number``, ``stem`` being the file name without its extension).
    """
    if not line.strip():
        return [], None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        where = number + error.lineno - 1
        return [], Problem(path, f"line {where}: invalid JSON ({error.msg}), line skipped")
    except RecursionError:
        return [], Problem(path, f"line {number}: JSON nested too deep to read, line skipped")
    if not isinstance(record, dict):
        return [], Problem(path, f"line {number}: expected a JSON object, got {type(record).__name__}")
    notes = []
    if "\\u" in line:  # only an escape makes a lone surrogate
        record, replaced = without_lone_surrogates(record)
        if replaced:
            notes.append(surrogates_replaced(replaced))
    found, problem = _documents_of(record, number=number, path=path, stem=stem)
    if found:
        notes.extend(_ignored_fields(record, found))
    if problem is None and notes:
        problem = Problem(path, f"line {number}: " + "; ".join(notes), fatal=False)
    return found, problem


def _ignored_fields(record: dict, found: list[Document]) -> list[str]:
    """What is said of the fields of an article's record that were not used as given (a date that is none,
    an object or a list where text belongs); ``found``: the record's documents."""
    notes = [
        f"\"{key}\" must be text, not {'an object' if isinstance(record[key], dict) else 'a list'}, ignored"
        for key in _TEXT_FIELDS
        if isinstance(record.get(key), (dict, list))
    ]
    value = record.get("date")
    if value is None or value == "":
        return notes
    # A "text" record's document holds parse_date of its "date" (read once, on this per-article path).
    date = found[0].date if isinstance(record.get("text"), str) else parse_date(value)
    return notes if date is not None else [*notes, f"{not_a_date(value)}, ignored"]


def not_a_date(value: object) -> str:
    """What is said of a "date" field :func:`~newsdigest.nlp.dates.parse_date` gave no date for."""
    shown = one_line(str(value))
    shown = shown if len(shown) <= 40 else shown[:39] + "…"
    return f"\"date\" {shown!r} is not a date between the years 1000 and 8999"


def _documents_of(record: dict, *, number: int, path: str, stem: str) -> tuple[list[Document], Problem | None]:
    record_id = _text_field(record, "id") or f"{stem}-{number}"
    if record.get("text") is None and isinstance(record.get("document"), str):
        articles = parse_multinews(record["document"], record_id, path)
        if not articles:
            return [], Problem(path, f"line {number}: Multi-News record {record_id!r} has no articles")
        return articles, None
    if record.get("text") is None and "document" in record:
        return [], Problem(path, f"line {number}: \"document\" must be a string")
    if "text" not in record and "html" not in record:
        return [], Problem(path, f"line {number}: no \"text\" field (nor a Multi-News \"document\")")
    try:
        return [article_from_record(record, record_id=record_id, path=path)], None
    except NewsdigestError as error:
        return [], Problem(path, f"line {number}: {error}")


def streams_as_lines(head: str) -> bool:
    """Whether a file starting with ``head`` can be read line by line: its first line is a whole JSON object.

    Then every line is one record (a pretty-printed object, or a broken first line, need the whole text).
    """
    first = head.lstrip("\ufeff \t\r\n").split("\n", 1)[0].rstrip()
    return first.startswith("{") and first.endswith("}") and _is_object(first)


def read_jsonl_lines(handle: BinaryIO, path: str, *, max_line_bytes: int) -> Iterator[tuple[list[Document], Problem | None]]:
    """What :func:`parse_record` makes of each line of an open binary file, read one line at a time.

    Memory stays that of one line, however long the file: a file of a million articles is read
    without holding its text. Lines must be UTF-8 (a byte-order mark on the first is skipped);
    a line that is not, or is longer than ``max_line_bytes``, is a problem of its own.
    """
    stem = Path(path).stem if path != "-" else "stdin"
    number = 0
    while True:
        raw = handle.readline(max_line_bytes + 1)
        if not raw:
            return
        number += 1
        if len(raw) > max_line_bytes and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # skip the rest of the line without holding it
                raw = handle.readline(1 << 20)
            yield [], Problem(path, f"line {number}: longer than the limit of {max_line_bytes:,} bytes, line skipped")
            continue
        if raw.endswith(b"\n"):  # as when the whole text is split into lines: a JSON error at the line's end is on it
            raw = raw[:-1]
        if b"\x00" in raw:
            yield [], Problem(path, f"line {number}: holds NUL bytes (binary data, not JSON), line skipped")
            continue
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as error:
            yield [], Problem(path, f"line {number}: not UTF-8 (byte {error.start} of the line), line skipped")
            continue
        yield parse_record(line, number=number, path=path, stem=stem)


def article_from_record(record: dict, *, record_id: str, path: str) -> Document:
    """One article object ``{"id"?, "title"?, "source"?, "url"?, "date"?, "text"}`` as a cleaned document.

    ``html`` instead of ``text`` is a web page, read as the HTML reader reads
    one; the record's own title, source, url and date win over the page's.
    Raises :class:`NewsdigestError` saying what is wrong with the record.
    """
    title = _text_field(record, "title")
    text = record.get("text")
    if text is None and isinstance(record.get("html"), str):
        from .html import parse_html

        (page,) = parse_html(record["html"], doc_id=record_id, path=path)
        return Document(
            id=record_id,
            text=page.text,
            title=title or page.title,
            source=_text_field(record, "source") or page.source,
            url=_text_field(record, "url") or page.url,
            date=parse_date(record.get("date")) or page.date,
            path=path,
        )
    if not isinstance(text, str):
        field = "html" if text is None and "html" in record else "text"
        value = record.get(field)
        kind = "null" if value is None else type(value).__name__
        raise NewsdigestError(f"\"{field}\" must be a string, not {kind}")
    return Document(
        id=record_id,
        text=clean_text(text, title=title),
        title=title,
        source=_text_field(record, "source"),
        url=_text_field(record, "url"),
        date=parse_date(record.get("date")),
        path=path,
    )
