"""Multi-News records: the source articles of one story joined by ``|||||``."""

from __future__ import annotations

from ..model import Document
from .clean import clean_text

__all__ = ["parse_multinews", "SEPARATOR"]

SEPARATOR = "|||||"


def parse_multinews(document: str, record_id: str, path: str) -> list[Document]:
    """The articles of one Multi-News ``document`` string, ids ``<record_id>-<n>`` (n from 1).

    Empty pieces (Multi-News has a few: failed scrapes) are skipped, but the
    numbering keeps their place so an id always names the same piece.
    """
    documents = []
    for number, piece in enumerate(document.split(SEPARATOR), start=1):
        if not piece.strip():
            continue
        documents.append(Document(id=f"{record_id}-{number}", text=clean_text(piece), path=path))
    return documents
