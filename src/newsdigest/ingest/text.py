"""Plain-text articles: an optional headline on the first line, then the body."""

from __future__ import annotations

from ..model import Document
from .clean import clean_text, looks_like_title, normalize_whitespace, unwrap_lines

__all__ = ["parse_text"]


def split_title(text: str) -> tuple[str, str]:
    """``(title, body)``: the first paragraph is the title when it reads like a headline.

    A lone paragraph is always body: a one-line file is an article, not a headline.
    """
    paragraphs = unwrap_lines(text.replace("\r\n", "\n").replace("\r", "\n")).lstrip("\ufeff").strip("\n")
    first, _, rest = paragraphs.partition("\n")
    first = normalize_whitespace(first)
    if rest.strip() and looks_like_title(first):
        return first, rest
    return "", paragraphs


def parse_text(text: str, *, doc_id: str, path: str) -> list[Document]:
    """One document from a plain-text article."""
    title, body = split_title(text)
    return [Document(id=doc_id, text=clean_text(body, title=title), title=title, path=path)]
