"""Which reader gets an input: binary formats by magic bytes, text formats by content.

Content wins over the file name because articles arrive from scrapers and
datasets with arbitrary or missing extensions; the extension only breaks ties
for text that looks like nothing in particular.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["FORMATS", "sniff_unsupported", "detect_format", "xml_root"]

FORMATS = ("sgml", "jsonl", "feed", "opml", "html", "xml", "multinews", "table", "text")

# Leading bytes of formats we cannot read, with the name the error message uses.
MAGIC_BYTES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (e.g. .docx, .xlsx, .epub)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy MS Office document (.doc, .xls)"),
    (b"{\\rtf", "RTF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x7fELF", "executable"),
    (b"MZ", "Windows executable"),
    (b"ID3", "MP3 audio"),
    (b"OggS", "Ogg media"),
    (b"\x1aE\xdf\xa3", "Matroska/WebM video"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"PAR1", "Parquet file"),
)

_EXTENSION_FORMATS = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".sgml": "sgml",
    ".sgm": "sgml",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".rss": "feed",
    ".atom": "feed",
    ".opml": "opml",
    ".csv": "table",
    ".tsv": "table",
}

_SGML_START = re.compile(r"<DOC>\s*<DOCNO>|<DOCNO>", re.IGNORECASE)
# XML documents by their root element, after the prolog (declaration, comments, stylesheet, doctype).
_XML_PROLOG = r"(?:<\?xml[^>]*\?>\s*|<!--.*?-->\s*|<\?xml-stylesheet[^>]*\?>\s*|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>\s*)*"
_FEED_ROOT = re.compile(_XML_PROLOG + r"<(?:rss|feed|(?:rdf:)?RDF)[\s>]", re.IGNORECASE | re.DOTALL)
_OPML_ROOT = re.compile(_XML_PROLOG + r"<opml[\s>]", re.IGNORECASE | re.DOTALL)
# Any other XML document (an SVG image, a sitemap, NewsML): its root element, after the prolog.
_XML_ROOT = re.compile(_XML_PROLOG + r"<(?P<root>[A-Za-z_][\w:.-]*)[\s/>]", re.DOTALL)
_SVG_START = re.compile(r"(?:<!DOCTYPE svg[^>]*>\s*)?<svg\b[^>]*\bxmlns\s*=", re.IGNORECASE)
_HTML_START = re.compile(r"<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]|<article[\s>]|<p[\s>]", re.IGNORECASE)


def sniff_unsupported(data: bytes) -> str | None:
    """Name of a known non-text format ``data`` starts with, else None."""
    head = data[:16]
    for magic, name in MAGIC_BYTES:
        if head.startswith(magic):
            # "MZ" is also how some plain text starts ("MZ said ..."): require a NUL soon after.
            if magic == b"MZ" and b"\x00" not in data[:64]:
                continue
            return name
    if head[4:8] == b"ftyp":
        return "MP4/QuickTime media"
    if head.startswith(b"RIFF") and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return {b"WEBP": "WebP image", b"WAVE": "WAV audio", b"AVI ": "AVI video"}[head[8:12]]
    return None


def _json_lines_after_first(head: str) -> bool:
    """JSON lines whose first line is broken: every other line of the head opens an object."""
    lines = [line.strip() for line in head.split("\n") if line.strip()][:10]
    return len(lines) >= 2 and all(line.startswith("{") for line in lines[1:])


def xml_root(text: str) -> str | None:
    """The root element's name of an XML document (declared ``<?xml``, or an ``<svg xmlns=…>``), else None."""
    head = text[:4000].lstrip("\ufeff \t\r\n")
    if not (head.startswith("<?xml") or _SVG_START.match(head)):
        return None
    match = _XML_ROOT.match(head)
    return match.group("root") if match else None


# The formats an XML root names, prefixed or not (<atom:feed>, <html:html>).
_XML_ROOT_FORMATS = {"feed": "feed", "rss": "feed", "rdf": "feed", "opml": "opml", "html": "html"}


def detect_format(text: str, name: str = "") -> str:
    """One of :data:`FORMATS` for decoded ``text``; ``name`` (a file name) breaks ties."""
    head = text[:4000].lstrip("\ufeff \t\r\n")
    if _SGML_START.search(head[:2000]) and re.search(r"<DOC>", head, re.IGNORECASE):
        return "sgml"
    if head.startswith("{") or _json_lines_after_first(head):
        return "jsonl"
    if _FEED_ROOT.match(head):  # before HTML: feed entries carry HTML
        return "feed"
    if _OPML_ROOT.match(head):
        return "opml"
    suffix = Path(name).suffix.lower() if name else ""
    if _EXTENSION_FORMATS.get(suffix) == "table":  # a cell may hold "<p>" or "|||||": the header says more
        return "table"
    if _HTML_START.search(head[:2000]):
        return "html"
    root = xml_root(head)
    if root:
        return _XML_ROOT_FORMATS.get(root.rsplit(":", 1)[-1].lower(), "xml")
    if "|||||" in text:
        return "multinews"
    return _EXTENSION_FORMATS.get(suffix, "text")
