"""Readers for summarization datasets: clusters of documents with reference summaries.

Four layouts are recognised by :func:`load_dataset` (see :func:`detect_format`):

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

Dataset files are only ever read in place; nothing is copied.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from newsdigest.model import Document

DUC = "duc"
MULTINEWS = "multinews"
MULTILING = "multiling"
JSONL = "jsonl"
FORMATS = (DUC, MULTINEWS, MULTILING, JSONL)

# The scoring convention each kind of dataset is reported with in the literature:
# DUC and MultiLing papers print ROUGE recall on truncated summaries, Multi-News
# papers print F1.
DEFAULT_METRIC = {DUC: "recall", MULTILING: "recall", MULTINEWS: "f1", JSONL: "f1"}

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
    raise ValueError(
        f"{p}: JSON records need 'document' and 'summary' (Multi-News) "
        "or 'documents'/'references' (newsdigest JSON lines)"
    )


def load_dataset(path: str | Path, *, limit: int | None = None) -> list[Cluster]:
    """Every cluster of the dataset at ``path``, in a stable order.

    ``limit`` keeps the first clusters only (smoke runs). Raises ValueError with a
    one-line message naming the path when the layout is not recognised or a
    cluster is unusable (no documents or no references).
    """
    p = Path(path)
    kind = detect_format(p)
    reader = {DUC: _read_duc, MULTINEWS: _read_jsonl, JSONL: _read_jsonl, MULTILING: _read_multiling}[kind]
    clusters = reader(p, kind=kind, limit=limit)
    if not clusters:
        raise ValueError(f"{p}: no clusters found")
    return clusters


# --- DUC -------------------------------------------------------------------------


def duc_model_key(cluster_id: str) -> str:
    """``d30003t`` -> ``D30003``: the prefix DUC model file names use."""
    key = cluster_id.upper()
    return key[:-1] if key[-1:].isalpha() and len(key) > 1 else key


def _read_duc(root: Path, *, kind: str, limit: int | None) -> list[Cluster]:
    from newsdigest.ingest.sgml import parse_sgml

    models: dict[str, list[Path]] = {}
    for model in sorted((root / "models").iterdir()):
        if model.is_file():
            models.setdefault(model.name.split(".")[0].upper(), []).append(model)

    clusters = []
    for folder in sorted(d for d in (root / "docs").iterdir() if d.is_dir()):
        if limit is not None and len(clusters) >= limit:
            break
        documents: list[Document] = []
        for file in sorted(f for f in folder.iterdir() if f.is_file()):
            documents.extend(parse_sgml(_read_text(file), str(file)))
        references = [normalize_reference(_read_text(m)) for m in models.get(duc_model_key(folder.name), [])]
        clusters.append(_checked(Cluster(folder.name, documents, references, kind, str(folder))))
    return clusters


# --- Multi-News and our own JSON lines --------------------------------------------


def _first_record(path: Path) -> dict:
    try:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    record = json.loads(line)
                    if not isinstance(record, dict):
                        raise ValueError(f"{path}: line 1 is not a JSON object")
                    return record
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{path}: not JSON lines ({error.__class__.__name__}: {error})") from None
    raise ValueError(f"{path}: empty file")


def _read_jsonl(path: Path, *, kind: str, limit: int | None) -> list[Cluster]:
    clusters = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            if limit is not None and len(clusters) >= limit:
                break
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{where}: invalid JSON ({error.msg})") from None
            if not isinstance(record, dict):
                raise ValueError(f"{where}: a record must be a JSON object")
            record_id = str(record.get("id", f"record-{number}"))
            documents = _record_documents(record, record_id=record_id, where=where)
            references = _record_references(record, where=where)
            clusters.append(_checked(Cluster(record_id, documents, references, kind, where)))
    return clusters


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


# --- MultiLing 2011 ---------------------------------------------------------------


def _read_multiling(root: Path, *, kind: str, limit: int | None) -> list[Cluster]:
    sources: dict[str, list[Path]] = {}
    for file in sorted((root / "SourceTexts").iterdir()):
        match = _MULTILING_SOURCE.match(file.name)
        if match:
            sources.setdefault(match.group(1), []).append(file)
    models: dict[str, list[Path]] = {}
    for file in sorted((root / _MULTILING_MODELS).iterdir()):
        if _MULTILING_MODEL.match(file.name):
            models.setdefault(file.name.split(".")[0], []).append(file)

    clusters = []
    for topic in sorted(sources):
        if limit is not None and len(clusters) >= limit:
            break
        documents = [_multiling_document(file) for file in sources[topic]]
        references = [normalize_reference(_read_text(m)) for m in models.get(topic, [])]
        clusters.append(_checked(Cluster(topic, documents, references, kind, str(root / "SourceTexts"))))
    return clusters


def _multiling_document(file: Path) -> Document:
    # The files are WikiNews pages as plain text: a "YYYY/MM/DD Title" first line,
    # then the date line, then paragraphs. Keep the title as the title only.
    text = _read_text(file).strip()
    first, _, body = text.partition("\n")
    title = re.sub(r"^\d{4}/\d{2}/\d{2}\s+", "", first).strip()
    return Document(id=file.stem, text=body.strip() or text, title=title, path=str(file))


# --- shared -----------------------------------------------------------------------


def _read_text(path: Path) -> str:
    # DUC files are mostly ASCII with a few Latin-1 bytes; never fail on them.
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _checked(cluster: Cluster) -> Cluster:
    if not cluster.documents:
        raise ValueError(f"{cluster.source}: cluster {cluster.id!r} has no documents")
    if not any(r.strip() for r in cluster.references):
        raise ValueError(f"{cluster.source}: cluster {cluster.id!r} has no reference summaries")
    return cluster
