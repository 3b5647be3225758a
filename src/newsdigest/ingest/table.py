"""CSV and TSV: one article a row, under a header that names the columns.

Scrapers and spreadsheets export articles as tables::

    id,title,source,date,url,text
    a1,Syrian PM defects,BBC,2012-08-06,https://...,"Syria's prime minister ..."

The header row is required and read case-insensitively; a column is one of
the fields of a JSON line (:func:`~newsdigest.ingest.jsonl.article_from_record`)
under its own name or a common alias (``body``, ``content`` or ``article`` for
``text``; ``headline`` for ``title``; ``link`` for ``url``; ``outlet`` or
``publisher`` for ``source``; ``published`` for ``date``). Other columns are
left out. The delimiter is a tab for ``.tsv``; for ``.csv`` the first of
comma, semicolon and tab whose header has a text column. A table without a
text column is one problem; a row without text, or that the reader refuses,
is a problem naming its line, and the other rows are still read.
"""

from __future__ import annotations

import csv
import io
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
    names = [cell.strip().lstrip("\ufeff").casefold() for cell in header]
    columns = {}
    for field, aliases in COLUMN_ALIASES.items():
        for alias in aliases:
            if alias in names:
                columns[field] = names.index(alias)
                break
    return columns


def _header_and_delimiter(text: str, name: str) -> tuple[str, dict[str, int], list[str]] | None:
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiters = ("\t",) if Path(name).suffix.lower() == ".tsv" else _DELIMITERS
    for delimiter in delimiters:
        header = next(csv.reader([first_line], delimiter=delimiter), [])
        columns = _columns(header)
        if "text" in columns:
            return delimiter, columns, header
    return None


def parse_table(text: str, path: str, name: str = "") -> tuple[list[Document], list[Problem]]:
    """The articles of a CSV or TSV table, and one problem per row that could not be used."""
    found = _header_and_delimiter(text, name or path)
    if found is None:
        header = text.lstrip("\ufeff").split("\n", 1)[0].strip()
        shown = header if len(header) <= 80 else header[:79] + "…"
        expected = ", ".join(COLUMN_ALIASES["text"])
        return [], [Problem(path, f"table without a text column: its first line is {shown!r} "
                                  f"(a header naming one of {expected} is needed)")]
    delimiter, columns, header = found
    stem = Path(path).stem if path != "-" else "stdin"
    if csv.field_size_limit() < _CELL_LIMIT:  # process-wide; raised, never lowered, so threads do not race
        csv.field_size_limit(_CELL_LIMIT)
    documents: list[Document] = []
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    next(reader)  # the header
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(Problem(path, f"line {start}: not a table row ({error}), the rest of the table skipped"))
            break
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        record = {field: row[index] for field, index in columns.items() if index < len(row) and row[index].strip()}
        if "text" not in record:
            problems.append(Problem(path, f"line {line}: no text in the {header[columns['text']].strip()!r} column, row skipped"))
            continue
        try:
            document = article_from_record(record, record_id=one_line(record.get("id", "")) or f"{stem}-{line}", path=path)
        except NewsdigestError as error:
            problems.append(Problem(path, f"line {line}: {error}"))
            continue
        documents.append(document)
        if "date" in record and document.date is None:
            problems.append(Problem(path, f"line {line}: {not_a_date(record['date'])}, ignored", fatal=False))
    return documents, problems
