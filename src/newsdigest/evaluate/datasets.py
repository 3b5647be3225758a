"""Readers for summarization datasets: clusters of documents with reference summaries.

Five layouts are recognised by :func:`load_dataset` (see :func:`detect_format`):

``duc``
    ``<root>/docs/<cluster>/*`` TREC/DUC SGML files and
    ``<root>/models/<CLUSTER>.M.<len>.T.<id>`` references. The cluster id is the
    folder name (``d30003t``); its models are found by the upper-cased id
    without the trailing selector letter (``D30003``).
``multinews``
    JSON lines with ``id``, ``document`` (articles joined by ``|||||``) and
    ``summary``.
``multiling``
    MultiLing 2011: ``SourceTexts/M00<topic><n>.english`` and
    ``Model Summaries/English/M00<topic>.<annotator>.250``. English only.
``jsonl``
    Our own JSON lines: ``id``, ``documents`` (a list of ``{"text", ...}``) or
    ``document``, and ``references`` (a list) or ``summary``.
``articles``
    Our article JSON lines (one article per line, as ``newsdigest summarize``
    reads them) with a ``cluster`` or ``story`` field naming the cluster each
    article belongs to. The articles of a cluster need not be adjacent.

:func:`iter_clusters` reads any layout lazily, one cluster at a time, so a
corpus never has to fit in memory; :func:`load_dataset` is the list of them.
Dataset files are only ever read in place; nothing is copied.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import chain, islice
from pathlib import Path

from newsdigest.model import Document

DUC = "duc"
MULTINEWS = "multinews"
MULTILING = "multiling"
JSONL = "jsonl"
ARTICLES = "articles"
FORMATS = (DUC, MULTINEWS, MULTILING, JSONL, ARTICLES)
# The word budget each standard dataset's summaries are scored at (DUC 2003/2004 task 2, Multi-News, MultiLing 2011).
DEFAULT_WORDS = {DUC: 100, MULTINEWS: 250, MULTILING: 250}
# The fields that name an article's cluster in the ``articles`` layout, in order of preference.
CLUSTER_FIELDS = ("cluster", "story")

# The scoring convention each kind of dataset is reported with in the literature:
# DUC and MultiLing papers print ROUGE recall on truncated summaries, Multi-News
# papers print F1.
DEFAULT_METRIC = {DUC: "recall", MULTILING: "recall", MULTINEWS: "f1", JSONL: "f1", ARTICLES: "f1"}

_MULTILING_MODELS = Path("Model Summaries") / "English"
_MULTILING_SOURCE = re.compile(r"^(M\d{3})(\d)\.english$")
_MULTILING_MODEL = re.compile(r"^(M\d{3})\.[A-Za-z0-9]+\.\d+$")


@dataclass
class Cluster:
    """Documents about one story and the human summaries written for them."""

    id: str
    documents: list[Document]
    references: list[str]
    kind: str = ""  # the dataset format it came from (one of FORMATS)
    source: str = field(default="", repr=False)  # the file or folder it was read from
    # Why the cluster could not be read (a broken record); only :func:`iter_clusters`
    # with ``checked=False`` yields such clusters, with no documents.
    problem: str = ""
    # What was left out of a cluster that could still be read (an empty or binary file), one line each.
    warnings: tuple[str, ...] = ()


def saying_warnings(clusters: Iterable[Cluster]) -> Iterator[Cluster]:
    """The clusters, each one's :attr:`~Cluster.warnings` (files left out of it) written to stderr as it passes."""
    for cluster in clusters:
        for warning in cluster.warnings:
            sys.stderr.write(f"newsdigest: warning: {warning}\n")
        yield cluster


def normalize_reference(text: str) -> str:
    """One line of single-spaced text.

    DUC models break lines in the middle of sentences; joining the lines lets
    the sentence splitter (and ROUGE-Lsum) see real sentences.
    """
    return " ".join(text.split())


def detect_format(path: str | Path) -> str:
    """The layout of ``path`` (one of :data:`FORMATS`), or ValueError naming the path."""
    p = Path(path)
    if not p.exists():
        raise ValueError(f"{p}: no such file or directory")
    if p.is_dir():
        if (p / "docs").is_dir() and (p / "models").is_dir():
            return DUC
        if (p / "SourceTexts").is_dir() and (p / _MULTILING_MODELS).is_dir():
            return MULTILING
        raise ValueError(
            f"{p}: not a dataset folder (expected docs/ and models/ for DUC, "
            "or SourceTexts/ and 'Model Summaries/English' for MultiLing)"
        )
    first = _first_record(p)
    if "documents" in first or "references" in first:
        return JSONL
    if "document" in first and "summary" in first:
        return MULTINEWS
    if "text" in first and any(key in first for key in CLUSTER_FIELDS):
        return ARTICLES
    raise ValueError(
        f"{p}: JSON records need 'document' and 'summary' (Multi-News), "
        "'documents'/'references' (newsdigest JSON lines) or 'text' and 'cluster'/'story' (articles)"
    )


def load_dataset(path: str | Path, *, limit: int | None = None) -> list[Cluster]:
    """Every cluster of the dataset at ``path``, in a stable order.

    ``limit`` keeps the first clusters only (smoke runs). Raises ValueError with a
    one-line message naming the path when the layout is not recognised or a
    cluster is unusable (no documents or no references).
    """
    clusters = list(iter_clusters(path, limit=limit))
    if not clusters:
        raise ValueError(f"{path}: no clusters found")
    return clusters


def iter_clusters(path: str | Path, *, limit: int | None = None, checked: bool = True) -> Iterator[Cluster]:
    """The clusters of the dataset at ``path`` one at a time, in the order of :func:`load_dataset`.

    Only one cluster's documents are in memory at a time. With ``checked``
    (the default) an unusable cluster raises ValueError as in
    :func:`load_dataset`; with ``checked=False`` references are not required and
    a record that cannot be read comes as a :class:`Cluster` with its
    ``problem`` set, so a long run can report it and go on.
    """
    p = Path(path)
    kind = detect_format(p)
    reader = {DUC: _read_duc, MULTINEWS: _read_jsonl, JSONL: _read_jsonl, MULTILING: _read_multiling, ARTICLES: _read_articles}[kind]
    for cluster in reader(p, kind=kind, limit=limit):
        yield _checked(cluster) if checked else cluster


def count_clusters(path: str | Path) -> int:
    """How many clusters :func:`iter_clusters` will yield, without reading documents (for progress bars)."""
    p = Path(path)
    kind = detect_format(p)
    if kind == DUC:
        return sum(1 for d in (p / "docs").iterdir() if d.is_dir())
    if kind == MULTILING:
        return len(_multiling_sources(p))
    if kind == ARTICLES:
        groups, broken = article_groups(p)
        return len(groups) + len(broken)
    return sum(1 for _ in numbered_lines(p))


# --- DUC -------------------------------------------------------------------------


def duc_model_key(cluster_id: str) -> str:
    """``d30003t`` -> ``D30003``: the prefix DUC model file names use."""
    key = cluster_id.upper()
    return key[:-1] if key[-1:].isalpha() and len(key) > 1 else key


def _read_duc(root: Path, *, kind: str, limit: int | None) -> Iterator[Cluster]:
    from newsdigest.ingest.sgml import parse_sgml

    models: dict[str, list[Path]] = {}
    for model in sorted((root / "models").iterdir()):
        if model.is_file():
            models.setdefault(model.name.split(".")[0].upper(), []).append(model)

    folders = sorted(d for d in (root / "docs").iterdir() if d.is_dir())
    for folder in folders[:limit]:
        documents: list[Document] = []
        warnings: list[str] = []
        for file in sorted(f for f in folder.iterdir() if f.is_file()):
            text = _read_text(file, warnings)
            found = parse_sgml(text, str(file)) if text else []
            if text and not found:
                warnings.append(f"{file}: no <DOC> document in it, skipped")
            documents.extend(found)
        references = [
            normalize_reference(text)
            for m in models.get(duc_model_key(folder.name), [])
            if (text := _read_text(m, warnings))
        ]
        yield Cluster(folder.name, documents, references, kind, str(folder), warnings=tuple(warnings))


# --- Multi-News and our own JSON lines --------------------------------------------


def _first_record(path: Path) -> dict:
    try:
        with path.open("rb") as handle:  # the first line decoded alone: a bad byte further on is that line's problem
            for raw in handle:
                if raw.strip():
                    record = json.loads(raw.decode("utf-8-sig"))
                    if not isinstance(record, dict):
                        raise ValueError(f"{path}: line 1 is not a JSON object")
                    return record
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{path}: not JSON lines ({error.__class__.__name__}: {error})") from None
    raise ValueError(f"{path}: empty file")


def numbered_lines(path: str | Path) -> Iterator[tuple[int, str]]:
    """The non-blank lines of a JSON lines file with their 1-based line numbers (undecodable bytes replaced)."""
    with Path(path).open(encoding="utf-8-sig", errors="replace") as handle:  # -sig: a byte-order mark is no text
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield number, line


def record_cluster_id(line: str, number: int) -> str:
    """The id of the cluster a JSON line holds (its ``id``, else ``record-<line number>``), without parsing its documents."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError:
        record = None
    return str(record.get("id", f"record-{number}")) if isinstance(record, dict) else f"record-{number}"


def record_cluster(line: str, number: int, path: str | Path, kind: str = JSONL) -> Cluster:
    """The cluster of one line of a Multi-News or newsdigest JSON lines file.

    Never raises for a bad record: the cluster comes back with ``problem`` set
    (and no documents), so the reading can happen anywhere (e.g. on a worker).
    """
    where = f"{path}:{number}"
    record_id = record_cluster_id(line, number)
    try:
        record = json.loads(line)
        if not isinstance(record, dict):
            raise ValueError(f"{where}: a record must be a JSON object")
        documents = _record_documents(record, record_id=record_id, where=where)
        references = _record_references(record, where=where) if _has_references(record) else []
    except json.JSONDecodeError as error:
        return _unreadable(record_id, kind, where, f"{where}: invalid JSON ({error.msg})")
    except ValueError as error:
        return _unreadable(record_id, kind, where, str(error))
    return Cluster(record_id, documents, references, kind, where)


def _read_jsonl(path: Path, *, kind: str, limit: int | None) -> Iterator[Cluster]:
    for number, line in islice(numbered_lines(path), limit):
        yield record_cluster(line, number, path, kind)


def _has_references(record: dict) -> bool:
    return "references" in record or "summary" in record


def _unreadable(cluster_id: str, kind: str, where: str, problem: str) -> Cluster:
    return Cluster(cluster_id, [], [], kind, where, problem=problem)


def _record_documents(record: dict, *, record_id: str, where: str) -> list[Document]:
    if "documents" in record:
        items = record["documents"]
        if not isinstance(items, list):
            raise ValueError(f"{where}: 'documents' must be a list")
        documents = []
        for i, item in enumerate(items):
            if isinstance(item, str):
                item = {"text": item}
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise ValueError(f"{where}: documents[{i}] needs a 'text' string")
            documents.append(
                Document(
                    id=str(item.get("id") or f"{record_id}-{i}"),
                    text=item["text"],
                    title=str(item.get("title") or ""),
                    source=str(item.get("source") or ""),
                    url=str(item.get("url") or ""),
                    path=where,
                )
            )
        return documents
    if isinstance(record.get("document"), str):
        from newsdigest.ingest.multinews import parse_multinews

        return parse_multinews(record["document"], record_id, where)
    raise ValueError(f"{where}: a record needs 'documents' (list) or 'document' (string)")


def _record_references(record: dict, *, where: str) -> list[str]:
    if "references" in record:
        references = record["references"]
        if not isinstance(references, list) or not all(isinstance(r, str) for r in references):
            raise ValueError(f"{where}: 'references' must be a list of strings")
    elif isinstance(record.get("summary"), str):
        references = [record["summary"]]
    else:
        raise ValueError(f"{where}: a record needs 'references' (list) or 'summary' (string)")
    # Multi-News summaries start with an en dash bullet ("– The ..."); it is not a word.
    return [normalize_reference(r.lstrip("–- ")) for r in references]


# --- articles grouped by a cluster field ------------------------------------------


def article_groups(path: str | Path) -> tuple[dict[str, list[tuple[int, int]]], list[tuple[int, str]]]:
    """One pass over an ``articles`` file: the (byte offset, line number) of each cluster's
    articles in order of first appearance, and the (line number, problem) of lines that cannot be used."""
    groups: dict[str, list[tuple[int, int]]] = {}
    broken: list[tuple[int, str]] = []
    offset = 0
    with Path(path).open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            start, offset = offset, offset + len(raw)
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError) as error:
                broken.append((number, f"invalid JSON ({getattr(error, 'msg', error)})"))
                continue
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                broken.append((number, "an article needs a 'text' string"))
                continue
            key = next((record[k] for k in CLUSTER_FIELDS if record.get(k) not in (None, "")), None)
            if key is None:
                broken.append((number, f"no {' or '.join(repr(k) for k in CLUSTER_FIELDS)} field"))
                continue
            groups.setdefault(str(key), []).append((start, number))
    return groups, broken


def _read_articles(path: Path, *, kind: str, limit: int | None) -> Iterator[Cluster]:
    groups, broken = article_groups(path)
    unreadable = (article_line_problem(path, number, message) for number, message in broken)
    clusters = (articles_cluster(key, read_lines(path, lines), path) for key, lines in groups.items())
    yield from islice(chain(unreadable, clusters), limit)


def article_line_problem(path: str | Path, number: int, message: str) -> Cluster:
    """The cluster standing for a line of an ``articles`` file that cannot be used (``problem`` set)."""
    return _unreadable(f"line-{number}", ARTICLES, f"{path}:{number}", f"{path}:{number}: {message}")


def read_lines(path: str | Path, lines: list[tuple[int, int]]) -> list[tuple[int, str]]:
    """The (line number, text) of the lines at the (byte offset, line number) pairs of :func:`article_groups`."""
    out = []
    with Path(path).open("rb") as handle:
        for offset, number in lines:
            handle.seek(offset)
            out.append((number, handle.readline().decode("utf-8-sig" if offset == 0 else "utf-8", errors="replace")))
    return out


def articles_cluster(key: str, lines: list[tuple[int, str]], path: str | Path) -> Cluster:
    """The cluster ``key`` of an ``articles`` file from its (line number, text) lines (cleaned as ``summarize`` reads them)."""
    from newsdigest.ingest.jsonl import parse_jsonl

    documents: list[Document] = []
    for number, line in lines:
        for document in parse_jsonl(line, str(path))[0]:
            if not json.loads(line).get("id"):
                # parse_jsonl numbers id-less lines within what it was given: use the file's line number.
                document = replace(document, id=f"{Path(path).stem}-{number}")
            documents.append(document)
    return Cluster(key, documents, [], ARTICLES, str(path))


# --- MultiLing 2011 ---------------------------------------------------------------


def _multiling_sources(root: Path) -> dict[str, list[Path]]:
    sources: dict[str, list[Path]] = {}
    for file in sorted((root / "SourceTexts").iterdir()):
        match = _MULTILING_SOURCE.match(file.name)
        if match:
            sources.setdefault(match.group(1), []).append(file)
    return sources


def _read_multiling(root: Path, *, kind: str, limit: int | None) -> Iterator[Cluster]:
    sources = _multiling_sources(root)
    models: dict[str, list[Path]] = {}
    for file in sorted((root / _MULTILING_MODELS).iterdir()):
        if _MULTILING_MODEL.match(file.name):
            models.setdefault(file.name.split(".")[0], []).append(file)

    for topic in sorted(sources)[:limit]:
        warnings: list[str] = []
        texts = [(file, _read_text(file, warnings).strip()) for file in sources[topic]]
        documents = [_multiling_document(file, text) for file, text in texts if text]
        references = [normalize_reference(text) for m in models.get(topic, []) if (text := _read_text(m, warnings))]
        yield Cluster(topic, documents, references, kind, str(root / "SourceTexts"), warnings=tuple(warnings))


def _multiling_document(file: Path, text: str) -> Document:
    # The files are WikiNews pages as plain text: a "YYYY/MM/DD Title" first line,
    # then the date line, then paragraphs. Keep the title as the title only, and
    # clean the body as every reader does (a date stamp glued to the first sentence).
    from newsdigest.ingest.clean import clean_text

    first, _, body = text.partition("\n")
    title = re.sub(r"^\d{4}/\d{2}/\d{2}\s+", "", first).strip()
    return Document(id=file.stem, text=clean_text(body.strip() or text, title=title), title=title, path=str(file))


# --- shared -----------------------------------------------------------------------


def _read_text(path: Path, warnings: list[str] | None = None) -> str:
    """A DUC or MultiLing file's text: mostly ASCII with a few Latin-1 bytes, never failing on them.
    An empty or binary file (a NUL byte) is no text: "" and, with ``warnings``, a line saying so."""
    try:
        data = path.read_bytes()
    except OSError as error:
        problem = f"cannot read: {error.strerror or error}"
        data = b""
    else:
        problem = "empty file" if not data.strip() else "binary file (contains NUL bytes)" if b"\x00" in data else ""
    if problem:
        if warnings is not None:
            warnings.append(f"{path}: {problem}, skipped")
        return ""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _checked(cluster: Cluster) -> Cluster:
    if cluster.problem:
        raise ValueError(cluster.problem)
    if not cluster.documents:
        raise ValueError(f"{cluster.source}: cluster {cluster.id!r} has no documents")
    if not any(r.strip() for r in cluster.references):
        hint = " (a record needs 'references' (list) or 'summary' (string))" if cluster.kind in (JSONL, MULTINEWS) else ""
        raise ValueError(f"{cluster.source}: cluster {cluster.id!r} has no reference summaries{hint}")
    return cluster
