"""OPML subscription lists: the feeds they name, nothing fetched here.

Every ``<outline xmlUrl="...">`` at any depth is a feed (folders are outlines
without ``xmlUrl``). Parsed with defusedxml, so a list that declares entities
(billion laughs) or external references is refused rather than expanded.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Problem
from .clean import normalize_whitespace

__all__ = ["FeedLink", "parse_opml"]


@dataclass(frozen=True)
class FeedLink:
    """One feed listed in an OPML file."""

    url: str
    title: str = ""


def _attribute(element, name: str) -> str:
    """An attribute by case-insensitive name (lists in the wild write ``xmlurl`` and ``xmlURL`` too)."""
    for key, value in element.attrib.items():
        if key.lower() == name:
            return normalize_whitespace(value)
    return ""


def parse_opml(text: str, *, path: str) -> tuple[list[FeedLink], list[Problem]]:
    """The feeds an OPML document lists, in order, each once; or a problem saying why there are none."""
    import xml.etree.ElementTree as ElementTree

    import defusedxml
    import defusedxml.ElementTree

    try:
        root = defusedxml.ElementTree.fromstring(text.lstrip("\ufeff"))
    except defusedxml.DefusedXmlException as error:
        return [], [Problem(path, f"OPML refused: {type(error).__name__} (entities and external references are not allowed)")]
    except ElementTree.ParseError as error:
        return [], [Problem(path, f"not valid OPML (XML error: {error})")]
    if root.tag.lower() != "opml":
        return [], [Problem(path, f"not OPML (the root element is <{root.tag}>)")]
    links: dict[str, FeedLink] = {}
    for outline in root.iter():
        if not isinstance(outline.tag, str) or outline.tag.lower() != "outline":
            continue
        url = _attribute(outline, "xmlurl")
        if url and url not in links:
            links[url] = FeedLink(url, _attribute(outline, "title") or _attribute(outline, "text"))
    if not links:
        return [], [Problem(path, "OPML lists no feeds (no <outline xmlUrl=...>)")]
    return list(links.values()), []
