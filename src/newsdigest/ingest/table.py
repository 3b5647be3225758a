"""CSV and TSV: one article a row, under a header that names the columns.

Scrapers and spreadsheets export articles as tables::

    id,title,source,date,url,text
    a1,Syrian PM defects,BBC,2012-08-06,https://...,"Syria's prime minister ..."

The header row is required and read case-insensitively; a column is one of
the fields of a JSON line (:func:`~newsdigest.ingest.jsonl.article_from_record`)
under its own name or a common alias (``body``, ``content`` or ``article`` for
``text``; ``headline`` for ``title``; ``link`` for ``url``; ``outlet`` or
``publisher`` for ``source``; ``published`` for ``date``). Other columns are
left out. The header is the first line that is neither blank nor Excel's
``sep=;``. The delimiter is a tab for ``.tsv`` (whose cells are never quoted);
for ``.csv`` the one a ``sep=`` line names, else the first of comma, semicolon
and tab whose header has a text column. A table without a text column, or
without rows, is one problem; a row without text, one the reader refuses, a
quote never closed (the rest of the file fell into one cell) and cells beyond
the header are each named by line, and the other rows are still read.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import NewsdigestError
from ..model import Document, Problem
from .clean import one_line
from .jsonl import article_from_record, not_a_date

__all__ = ["COLUMN_ALIASES", "parse_table"]

# Each field of an article and the header names that give it, in order of preference.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article"),
    "title": ("title", "headline"),
    "id": ("id",),
    "source": ("source", "outlet", "publisher"),
    "url": ("url", "link"),
    "date": ("date", "published"),
}

_DELIMITERS = (",", ";", "\t")
# A cell may hold a whole article: the csv module's default limit (128 KiB) is
# below the size the readers accept for one file.
_CELL_LIMIT = 64 * 1024 * 1024


def _columns(header: list[str]) -> dict[str, int]:
    """Field -> the index of the header cell that gives it (the first alias found)."""
    names = [cell.strip().casefold() for cell in header]  # parse_table strips a byte-order mark first
    columns = {}
    for field, aliases in COLUMN_ALIASES.items():
        for alias in aliases:
            if alias in names:
                columns[field] = names.index(alias)
                break
    return columns


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_EXCEL_SEPARATOR = re.compile(r"sep=(.)\s*$")  # Excel's first line naming the delimiter


@dataclass(frozen=True)
class _Layout:
    delimiter: str
    quoted: bool  # CSV quotes cells; TSV does not (a cell opening with '"' is text)
    columns: dict[str, int]
    header: list[str]
    header_line: int  # 1-based
    body: str  # the text from the header line on


def _first_lines(text: str, limit: int = 50):
    """``(index, offset, line)`` of the first ``limit`` lines of ``text``, whatever their line breaks."""
    offset = 0
    for index in range(limit):
        found = _LINE_BREAK.search(text, offset)
        yield index, offset, text[offset : found.start() if found else len(text)]
        if not found:
            return
        offset = found.end()


def _layout(text: str, name: str) -> _Layout | None:
    """The header (the first line that is not blank nor Excel's ``sep=``), its delimiter and columns."""
    tsv = Path(name).suffix.lower() == ".tsv"
    delimiters = ("\t",) if tsv else _DELIMITERS
    for index, offset, line in _first_lines(text):
        if not line.strip():
            continue
        separator = _EXCEL_SEPARATOR.match(line.strip())
        if separator:
            delimiters = (separator.group(1),)
            continue
        for delimiter in delimiters:
            header = next(csv.reader([line], delimiter=delimiter, quoting=csv.QUOTE_NONE if tsv else csv.QUOTE_MINIMAL), [])
            columns = _columns(header)
            if "text" in columns:
                return _Layout(delimiter, not tsv, columns, header, index + 1, text[offset:])
        return None
    return None


def _ends_inside_a_quote(body: str, delimiter: str) -> bool:
    """Whether the table's last row opens a quoted cell that never closes (the strict reader says so)."""
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter, strict=True)
    error = None
    while True:
        try:
            next(reader)
        except StopIteration:
            return error is not None and "unexpected end of data" in str(error)
        except csv.Error as found:
            error = found


def parse_table(text: str, path: str, name: str = "") -> tuple[list[Document], list[Problem]]:
    """The articles of a CSV or TSV table, and one problem per row that could not be used."""
    text = text.lstrip("\ufeff")
    layout = _layout(text, name or path)
    if layout is None:
        first = next((line.strip() for _, _, line in _first_lines(text) if line.strip()), "")
        shown = first if len(first) <= 80 else first[:79] + "…"
        expected = ", ".join(COLUMN_ALIASES["text"])
        return [], [Problem(path, f"table without a text column: its header is {shown!r} "
                                  f"(a header naming one of {expected} is needed)")]
    stem = Path(path).stem if path != "-" else "stdin"
    if csv.field_size_limit() < _CELL_LIMIT:  # process-wide; raised, never lowered, so threads do not race
        csv.field_size_limit(_CELL_LIMIT)
    documents: list[Document] = []
    problems: list[Problem] = []
    reader = csv.reader(
        io.StringIO(layout.body, newline=""), delimiter=layout.delimiter,
        quoting=csv.QUOTE_MINIMAL if layout.quoted else csv.QUOTE_NONE,
    )
    header, columns, first = layout.header, layout.columns, layout.header_line - 1
    text_column = header[columns["text"]].strip()
    rows = []
    next(reader)  # the header
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:  # a cell over the limit; a NUL
            problems.append(Problem(path, f"line {first + start}: not a table row ({error}), row skipped"))
            start = reader.line_num + 1
            continue
        rows.append((first + start, row))
        start = reader.line_num + 1
    if rows and layout.quoted and _ends_inside_a_quote(layout.body, layout.delimiter):
        line, _ = rows.pop()
        problems.append(Problem(path, f"line {line}: a quote mark opened in this row is never closed "
                                      "(every line after it fell into one cell), row skipped"))
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        record = {field: row[index] for field, index in columns.items() if index < len(row) and row[index].strip()}
        if "text" not in record:
            problems.append(Problem(path, f"line {line}: no text in the {text_column!r} column, row skipped"))
            continue
        try:
            document = article_from_record(record, record_id=one_line(record.get("id", "")) or f"{stem}-{line}", path=path)
        except NewsdigestError as error:
            problems.append(Problem(path, f"line {line}: {error}"))
            continue
        documents.append(document)
        notes = []
        if len(row) > len(header):
            notes.append(f"{len(row)} cells under a header of {len(header)}, the last {len(row) - len(header)} "
                         f"ignored (a {layout.delimiter!r} in a cell that is not quoted?)")
        if "date" in record and document.date is None:
            notes.append(f"{not_a_date(record['date'])}, ignored")
        if notes:
            problems.append(Problem(path, f"line {line}: " + "; ".join(notes), fatal=False))
    if not documents and not problems:
        problems.append(Problem(path, f"table with a header ({', '.join(cell.strip() for cell in header)}) and no rows"))
    return documents, problems
