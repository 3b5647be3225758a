"""Reading articles: files, folders and stdin in, cleaned documents and problems out.

::

    from newsdigest.ingest import load_documents
    documents, problems = load_documents(["a.txt", "folder/", "-"])

Every input that cannot be used becomes a :class:`~newsdigest.model.Problem`
naming it, never an exception, so one bad file does not cost the others. One
module per format (``text``, ``html``, ``sgml``, ``multinews``, ``jsonl``,
``feeds``, ``opml``, ``table`` for CSV and TSV); ``detect`` picks the reader from the content; ``clean``
holds the boilerplate rules; ``fetch`` and ``urls`` read http(s) URLs.
"""

from __future__ import annotations

import codecs
import io
import json
import os
import stat
import sys
from dataclasses import replace
from pathlib import Path
from typing import Iterable, TextIO

from ..errors import NewsdigestError
from ..model import Document, Problem
from ..nlp.dates import parse_date
from ..settings import DUPLICATE_SHARE
from .clean import CLEANING_RULES, clean_text, drop_title_line
from .decode import MAX_BYTES, DecodeError, decode_bytes, surrogates_replaced, too_large, without_lone_surrogates
from .dedupe import drop_duplicates, unique_ids
from .detect import detect_format, sniff_unsupported, xml_root
from .feeds import parse_feed
from .fetch import is_url
from .html import parse_html
from .jsonl import not_a_date, parse_jsonl, read_jsonl_lines, streams_as_lines
from .table import parse_table
from .multinews import SEPARATOR, parse_multinews
from .sgml import parse_sgml
from .text import parse_text
from .urls import read_feed_list, read_url

__all__ = [
    "load_documents",
    "read_text",
    "parse_sgml",
    "parse_multinews",
    "parse_jsonl",
    "parse_html",
    "parse_text",
    "parse_feed",
    "clean_text",
    "CLEANING_RULES",
    "METADATA_FILE",
]

METADATA_FILE = "metadata.json"
_METADATA_FIELDS = ("source", "title", "url", "date")


def read_text(
    text: str, *, path: str, name: str = "", allow_private_urls: bool = False
) -> tuple[list[Document], list[Problem]]:
    """Documents from already decoded ``text``, the format picked from its content.

    ``path`` is stored on the documents; ``name`` (a file name) gives plain and
    HTML documents their id and breaks format ties by extension. An OPML list's
    feeds are fetched (``allow_private_urls``: see :func:`load_documents`).
    """
    stem = Path(name).stem if name else "stdin"
    fmt = detect_format(text, name)
    try:
        if fmt == "jsonl":
            return parse_jsonl(text, path)
        if fmt == "sgml":
            documents = parse_sgml(text, path)
            return documents, [] if documents else [Problem(path, "SGML without any <DOC> element")]
        if fmt == "feed":
            return parse_feed(text, path=path)
        if fmt == "opml":
            return read_feed_list(text, path=path, allow_private=allow_private_urls)
        if fmt == "multinews":
            documents = parse_multinews(text, stem, path)
            if not documents:
                return [], [Problem(path, f"Multi-News input: no article text between the {SEPARATOR} separators")]
            return documents, []
        if fmt == "html":
            return parse_html(text, doc_id=stem, path=path), []
        if fmt == "xml":
            root = xml_root(text)
            return [], [Problem(path, f"XML document whose root is <{root}>: not a format newsdigest reads "
                                      "(it reads RSS/Atom feeds, OPML, HTML and XHTML), skipped")]
        if fmt == "table":
            return parse_table(text, path, name)
        return parse_text(text, doc_id=stem, path=path), []
    except NewsdigestError as error:  # the reader says what is wrong with the input
        return [], [Problem(path, str(error))]
    except Exception as error:  # a reader bug or a pathological input must not sink the other files
        detail = " ".join(str(error).split())[:200]  # one line, whatever the exception says
        return [], [Problem(path, f"could not read as {fmt}: {type(error).__name__}: {detail}")]


def _folder_files(folder: Path, problems: list[Problem]) -> list[Path]:
    """Article files under ``folder``, recursively, sorted; hidden files and metadata skipped.

    Symlinked folders are followed; one that leads back into a folder already
    being read (a loop) is skipped with a problem naming it. A folder that
    cannot be listed (permissions) is reported, not taken for an empty one.
    """
    files = []

    def unreadable(error: OSError) -> None:
        problems.append(Problem(error.filename or str(folder), f"cannot read folder: {error.strerror or error}"))

    # Real paths of the folders on the way down from ``folder``: a symlink to one of them is a loop.
    ancestors: dict[str, Path] = {}
    for root, dirs, names in os.walk(folder, onerror=unreadable, followlinks=True):
        here = Path(root)
        real = os.path.realpath(root)
        ancestors = {r: p for r, p in ancestors.items() if here.is_relative_to(p)}
        ancestors[real] = here
        kept = []
        for name in sorted(d for d in dirs if not d.startswith(".")):
            sub = here / name
            target = os.path.realpath(sub)
            if target in ancestors:
                problems.append(
                    Problem(str(sub), f"symlink loop: leads back to {ancestors[target]}, not followed", fatal=False)
                )
                continue
            kept.append(name)
        dirs[:] = kept
        for name in names:
            if name.startswith(".") or name == METADATA_FILE:
                continue
            files.append(here / name)
    return sorted(files, key=lambda p: p.relative_to(folder).parts)


class _MetadataCache:
    """``metadata.json`` of each folder, read once; a broken one is reported once."""

    def __init__(self) -> None:
        self._entries: dict[Path, dict] = {}

    def entry(self, file: Path, problems: list[Problem]) -> dict:
        folder = file.parent
        if folder not in self._entries:
            self._entries[folder] = self._read(folder / METADATA_FILE, problems)
        entry = self._entries[folder].get(file.name)
        if entry is not None and not isinstance(entry, dict):
            problems.append(Problem(
                str(folder / METADATA_FILE), f"entry for {file.name!r} ignored: expected an object of fields, "
                f"got {type(entry).__name__}", fatal=False,
            ))
        return entry if isinstance(entry, dict) else {}

    @staticmethod
    def _read(meta_path: Path, problems: list[Problem]) -> dict:
        if not meta_path.is_file():
            return {}
        try:
            data = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            problems.append(Problem(str(meta_path), f"metadata ignored: {error}", fatal=False))
            return {}
        if not isinstance(data, dict):
            problems.append(Problem(str(meta_path), "metadata ignored: expected an object of file name -> fields", fatal=False))
            return {}
        return data


def _apply_metadata(documents: list[Document], entry: dict, file: Path, problems: list[Problem]) -> list[Document]:
    """Fields from ``metadata.json``: they override a single article, fill gaps in a collection.
    A field that is not a string (or a date) is ignored, with a warning."""
    fields: dict[str, object] = {}
    entry, replaced = without_lone_surrogates(entry)
    ignored = [surrogates_replaced(replaced)] if replaced else []
    for key in _METADATA_FIELDS:
        value = entry.get(key)
        if value is None or value == "":
            continue
        if key == "date":
            value = parse_date(value)
            if value is None:
                ignored.append(not_a_date(entry[key]))
        elif isinstance(value, str):
            value = " ".join(value.split())
        else:
            ignored.append(f"{key!r} must be a string, not {type(value).__name__}")
            continue
        if value:
            fields[key] = value
    if ignored:
        problems.append(Problem(
            str(file.parent / METADATA_FILE), f"{file.name}: " + "; ".join(ignored) + " (ignored)", fatal=False
        ))
    if not fields:
        return documents
    if len(documents) == 1:
        doc = replace(documents[0], **fields)
        return [replace(doc, text=drop_title_line(doc.text, doc.title))]
    fields.pop("title", None)
    return [replace(d, **{k: v for k, v in fields.items() if not getattr(d, k)}) for d in documents]


def _load_file(
    file: Path,
    shown: str,
    *,
    max_bytes: int,
    metadata: _MetadataCache,
    problems: list[Problem],
    allow_private_urls: bool = False,
    in_folder: bool = False,
) -> list[Document]:
    try:
        info = file.stat()
        if in_folder and not stat.S_ISREG(info.st_mode):  # a pipe or device file would block or never end
            problems.append(Problem(shown, "not a regular file (a pipe, socket or device), skipped"))
            return []
        with file.open("rb") as handle:  # bounded: a device named on the command line may never end
            head = b""
            if stat.S_ISREG(info.st_mode):
                head = handle.read(_HEAD_BYTES)
                if _streams_as_lines(head, file.name, whole_is_readable=info.st_size <= max_bytes):
                    handle.seek(0)
                    documents = _read_lines(handle, shown, max_bytes=max_bytes, problems=problems)
                    entry = metadata.entry(file, problems)
                    return _apply_metadata(documents, entry, file, problems) if entry else documents
            message = too_large(info.st_size, max_bytes)
            if message:
                problems.append(Problem(shown, message))
                return []
            data = head + handle.read(max(max_bytes + 1 - len(head), 0))  # the head is read once
    except OSError as error:
        problems.append(Problem(shown, f"cannot read: {error.strerror or error}"))
        return []
    message = too_large(len(data), max_bytes, read_so_far=True)  # grew, or a device: stat said less
    if message:
        problems.append(Problem(shown, message))
        return []
    try:
        decoded = decode_bytes(data, max_bytes=max_bytes)
    except DecodeError as error:
        problems.append(Problem(shown, str(error)))
        return []
    if decoded.warning:
        problems.append(Problem(shown, decoded.warning, fatal=False))
    documents, found = read_text(decoded.text, path=shown, name=file.name, allow_private_urls=allow_private_urls)
    if not documents and not found:  # only white space, "\u2028" say: the bytes were not empty, the text is
        found = [Problem(shown, "no text in it (only white space)")]
    problems.extend(found)
    entry = metadata.entry(file, problems)
    return _apply_metadata(documents, entry, file, problems) if entry else documents


# JSON lines are read a line at a time (see _streams_as_lines): this much of the file tells.
_HEAD_BYTES = 65536


def _streams_as_lines(head: bytes, name: str, *, whole_is_readable: bool) -> bool:
    """Whether a file starting with ``head`` is JSON lines that can be read one line at a time.

    Only JSON lines whose first line is a whole object: anything else (binary, UTF-16, one
    pretty-printed object) is read whole, with the checks of
    :func:`~newsdigest.ingest.decode.decode_bytes`. So is a head that is not UTF-8 when the
    file is small enough to read whole (``whole_is_readable``): its encoding is guessed.
    """
    if sniff_unsupported(head) or head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:  # binary, unless JSON lines with a few broken lines (each refused on its own)
        return _json_lines_despite_nul(head)
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(head)  # a character cut at the end waits, unread
    except UnicodeDecodeError:
        if whole_is_readable:
            return False
        text = head.decode("utf-8", errors="replace")  # each line is decoded (or refused) on its own
    return detect_format(text, name) == "jsonl" and streams_as_lines(text)


def _json_lines_despite_nul(head: bytes) -> bool:
    """Whether a head holding NUL bytes is still JSON lines: every whole line of it an object's
    braces, and NUL bytes rare. A NUL is no JSON: only the lines holding one are lost."""
    lines = [line.strip() for line in head.split(b"\n")[:-1] if line.strip()]  # the last may be cut off
    return (
        len(lines) >= 2
        and all(line.startswith(b"{") and line.endswith(b"}") for line in lines)
        and head.count(b"\x00") * 100 < len(head)
    )


def _read_lines(handle, shown: str, *, max_bytes: int, problems: list[Problem]) -> list[Document]:
    """The documents of a JSON lines file read one line at a time; each bad line is one problem.

    No limit on the file's size (a stream of a million articles is a few GB): ``max_bytes``
    bounds each line instead.
    """
    documents: list[Document] = []
    for found, problem in read_jsonl_lines(handle, shown, max_line_bytes=max_bytes):
        documents.extend(found)
        if problem is not None:
            problems.append(problem)
    return documents


def _load_stdin(
    stream: TextIO | io.BufferedIOBase, *, max_bytes: int, problems: list[Problem], allow_private_urls: bool = False
) -> list[Document]:
    try:
        raw = stream.read(max_bytes + 1)
    except (OSError, UnicodeDecodeError, ValueError) as error:  # ValueError: a closed stream
        problems.append(Problem("-", f"cannot read stdin: {error}"))
        return []
    if not isinstance(raw, (str, bytes)):
        problems.append(Problem("-", f"cannot read stdin: the stream gave {type(raw).__name__}, not text"))
        return []
    # Re-encode so stdin gets the same checks as a file (size, binary, encoding);
    # surrogateescape restores bytes Python could not decode.
    try:
        data = raw if isinstance(raw, bytes) else raw.encode("utf-8", errors="surrogateescape")
    except UnicodeEncodeError:  # lone surrogates that no byte stands for: let the decoder refuse them
        data = raw.encode("utf-8", errors="surrogatepass")
    message = too_large(len(data), max_bytes, read_so_far=True)
    if message:
        problems.append(Problem("-", message))
        return []
    try:
        decoded = decode_bytes(data, max_bytes=max_bytes)
    except DecodeError as error:
        message = str(error).replace("empty file", "empty input")
        problems.append(Problem("-", message))
        return []
    if decoded.warning:
        problems.append(Problem("-", decoded.warning, fatal=False))
    documents, found = read_text(decoded.text, path="-", allow_private_urls=allow_private_urls)
    problems.extend(found)
    return documents


def _checked_arguments(paths, stdin, max_bytes) -> list[str | os.PathLike[str]]:
    """The paths as a list; NewsdigestError for arguments of the wrong kind."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    if isinstance(paths, bytes) or not isinstance(paths, Iterable):
        raise NewsdigestError(f"paths must be file or folder names, got {type(paths).__name__}")
    paths = list(paths)
    for given in paths:
        if not isinstance(given, (str, os.PathLike)):
            raise NewsdigestError(f"paths must be file or folder names (str or Path), got {given!r}")
    if stdin is not None and not callable(getattr(stdin, "read", None)):
        raise NewsdigestError(f"stdin must be a readable stream, got {type(stdin).__name__}")
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
        raise NewsdigestError(f"max_bytes must be a positive whole number, got {max_bytes!r}")
    return paths


def load_documents(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    stdin: TextIO | None = None,
    *,
    max_bytes: int = MAX_BYTES,
    duplicate_threshold: float | None = DUPLICATE_SHARE,
    allow_private_urls: bool = False,
) -> tuple[list[Document], list[Problem]]:
    """Read articles from files, folders (recursively), URLs and ``"-"`` (stdin).

    Returns the cleaned documents, in input order with unique ids, and the
    problems met: fatal ones for inputs that were skipped, warnings for inputs
    used with a caveat (guessed encoding, dropped duplicate). Never raises for
    bad input.

    ``stdin``: the text stream read for ``"-"`` (default ``sys.stdin``).
    ``max_bytes``: larger files are refused. ``duplicate_threshold``: share of
    identical sentences from which a later article counts as a duplicate
    (``None`` keeps duplicates, e.g. to score a benchmark cluster as given).

    A URL (``http://`` or ``https://``; other schemes are refused) is fetched
    and read as a feed, an OPML list of feeds or a news page; the feeds listed
    in OPML files are fetched too. Private, loopback and link-local addresses
    are refused unless ``allow_private_urls`` (see :mod:`newsdigest.ingest.fetch`).
    """
    paths = _checked_arguments(paths, stdin, max_bytes)
    documents: list[Document] = []
    problems: list[Problem] = []
    metadata = _MetadataCache()
    for given in paths:
        shown = os.fspath(given)
        if shown == "-":
            documents += _load_stdin(
                stdin if stdin is not None else sys.stdin,
                max_bytes=max_bytes,
                problems=problems,
                allow_private_urls=allow_private_urls,
            )
            continue
        if is_url(shown):
            found_documents, found = read_url(shown, allow_private=allow_private_urls, max_bytes=max_bytes)
            documents += found_documents
            problems += found
            continue
        path = Path(shown)
        try:
            is_dir, exists = path.is_dir(), path.exists()
        except OSError as error:  # e.g. a name too long for the file system
            problems.append(Problem(shown, f"cannot read: {error.strerror or error}"))
            continue
        if is_dir:
            found: list[Problem] = []
            files = _folder_files(path, found)
            problems += found
            if not files and not any(p.fatal for p in found):
                problems.append(Problem(shown, "folder has no articles"))
            for file in files:
                documents += _load_file(
                    file,
                    str(file),
                    max_bytes=max_bytes,
                    metadata=metadata,
                    problems=problems,
                    in_folder=True,
                    allow_private_urls=allow_private_urls,
                )
        elif exists:
            documents += _load_file(
                path,
                shown,
                max_bytes=max_bytes,
                metadata=metadata,
                problems=problems,
                allow_private_urls=allow_private_urls,
            )
        else:
            problems.append(Problem(shown, "no such file or folder"))

    with_text = []
    for doc in documents:
        if doc.text.strip():
            with_text.append(doc)
        else:
            problems.append(Problem(doc.path, f"no text after cleaning (document {doc.id})"))
    documents = unique_ids(with_text)
    if duplicate_threshold is not None:
        documents, duplicates = drop_duplicates(documents, threshold=duplicate_threshold)
        problems += duplicates
    return documents, problems
