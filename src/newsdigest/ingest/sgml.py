"""DUC / TREC newswire SGML: ``<DOC>`` blocks with ``<DOCNO>``, ``<DATE_TIME>``, ``<TEXT>``.

The body is typewriter text: hard-wrapped near 70 columns, a paragraph starting
with an indent (AP) or wrapped in ``<P>`` (NYT), and sprinkled with wire-service
codes (``&QL;``, ``&UR;`` lines, transmission stamps) that
:data:`newsdigest.ingest.clean.CLEANING_RULES` removes. Everything outside
``<TEXT>`` (header, slug, routing, trailer) is transmission data, not story.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from ..model import Document
from ..nlp.dates import date_in_docno, parse_date
from .clean import clean_text, normalize_whitespace, unwrap_lines

__all__ = ["parse_sgml", "WIRE_SOURCES"]

# DOCNO prefixes of the usual DUC/TREC collections, for Document.source.
WIRE_SOURCES = {
    "APW": "Associated Press",
    "AP": "Associated Press",
    "NYT": "New York Times",
    "XIE": "Xinhua",
    "XIN": "Xinhua",
    "LTW": "Los Angeles Times/Washington Post",
    "WSJ": "Wall Street Journal",
    "FT": "Financial Times",
    "LA": "Los Angeles Times",
    "SJMN": "San Jose Mercury News",
    "FBIS": "Foreign Broadcast Information Service",
    "AFP": "Agence France-Presse",
    "AFE": "Agence France-Presse",
    "CNA": "Central News Agency",
}

# A <DOC> runs to its </DOC>, to the next <DOC> or to the end; a <TEXT> to its </TEXT> or the end.
# Written as "text without '<', then each '<' that does not open the end tag": the same matches
# as a lazy ".*?" (tests/test_ingest.py), found some twenty times faster, as ".*?" tries the end
# alternatives after every character of the file.
_DOC = re.compile(r"<DOC>([^<]*(?:<(?!/DOC>|DOC>)[^<]*)*)(?:</DOC>|(?=<DOC>)|\Z)", re.DOTALL | re.IGNORECASE)
_TEXT = re.compile(r"<TEXT>([^<]*(?:<(?!/TEXT>)[^<]*)*)(?:</TEXT>|\Z)", re.DOTALL | re.IGNORECASE)
_DROPPED_ELEMENTS = re.compile(r"<(ANNOTATION|TABLE|FIGURE|CAPTION)\b[^>]*>.*?</\1>", re.DOTALL | re.IGNORECASE)
_PARAGRAPH_TAG = re.compile(r"</?P\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"</?[A-Za-z][\w.-]*(?:\s[^<>]*)?>")
_DOCNO_PREFIX = re.compile(r"^([A-Z]+)")


def _field(doc: str, *tags: str) -> str:
    for tag in tags:
        match = re.search(rf"<{tag}>(.*?)</{tag}>", doc, re.DOTALL | re.IGNORECASE)
        if match:
            return normalize_whitespace(html.unescape(_ANY_TAG.sub(" ", match.group(1))).replace("\n", " "))
    return ""


def _body(doc: str) -> str:
    parts = _TEXT.findall(doc)
    if not parts:  # some collections have no <TEXT>; take the body minus known headers
        parts = [re.sub(r"<(HEADER|SLUG|DOCNO|DOCTYPE|DATE_TIME|DATE|TRAILER|HEADLINE|HL)>.*?</\1>", "", doc, flags=re.DOTALL | re.IGNORECASE)]
    text = "\n\n".join(parts)
    text = _DROPPED_ELEMENTS.sub("\n\n", text)
    text = _PARAGRAPH_TAG.sub("\n\n", text)  # <P> boundaries are paragraph boundaries
    text = _ANY_TAG.sub(" ", text)
    return unwrap_lines(text, wrapped=True)


def parse_sgml(text: str, path: str) -> list[Document]:
    """Every ``<DOC>`` in ``text`` as a cleaned :class:`Document`, id = DOCNO."""
    documents = []
    for number, match in enumerate(_DOC.finditer(text), start=1):
        doc = match.group(1)
        docno = _field(doc, "DOCNO") or f"{Path(path).stem or 'doc'}-{number}"
        title = _field(doc, "HEADLINE", "HL", "TITLE", "HEAD")
        prefix = _DOCNO_PREFIX.match(docno)
        documents.append(
            Document(
                id=docno,
                text=clean_text(_body(doc), title=title),
                title=title,
                source=WIRE_SOURCES.get(prefix.group(1), "") if prefix else "",
                date=parse_date(_field(doc, "DATE_TIME", "DATE", "DATELINE"), free_text=False)
                or date_in_docno(docno),
                path=path,
            )
        )
    return documents
