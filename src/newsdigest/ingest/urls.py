"""Inputs on the web: a URL (a feed, an OPML list or a news page) and the feeds of an OPML list.

::

    from newsdigest.ingest.urls import read_url, read_feed
    documents, problems = read_url("https://example.org/rss.xml")
    documents, problems = read_feed("https://example.org/rss.xml")   # feeds only (polling)

Fetching follows :mod:`newsdigest.ingest.fetch` (http/https, public addresses
unless ``allow_private``, time and size limits). Like every reader, these never
raise for bad input: each URL that fails is one :class:`~newsdigest.model.Problem`
naming it, and the other URLs go on. The feeds of an OPML list are fetched a
few at a time, and their documents come back in the list's order.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from ..model import Document, Problem
from .decode import MAX_BYTES, DecodeError, decode_bytes
from .detect import detect_format
from .feeds import parse_feed
from .fetch import FETCH_TIMEOUT, FetchError, fetch_url
from .html import parse_html
from .opml import parse_opml

__all__ = ["read_url", "read_feed", "read_feed_list", "MAX_PARALLEL_FETCHES"]

MAX_PARALLEL_FETCHES = 8
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _fetch_text(url: str, *, allow_private: bool, timeout: float, max_bytes: int):
    """``((text, content type, final URL), problems)``; ``(None, [the reason])`` when nothing could be read."""
    try:
        data, content_type, final_url = fetch_url(url, allow_private=allow_private, timeout=timeout, max_bytes=max_bytes)
        decoded = decode_bytes(data, max_bytes=max_bytes)
    except (FetchError, DecodeError) as error:
        return None, [Problem(url, str(error).replace("empty file", "empty response"))]
    problems = [Problem(url, decoded.warning, fatal=False)] if decoded.warning else []
    return (decoded.text, content_type, final_url), problems


def _format(text: str, content_type: str, url: str) -> str:
    fmt = detect_format(text, PurePosixPath(urlsplit(url).path).name)
    if fmt == "text" and content_type in _HTML_TYPES:
        return "html"
    return fmt


def _what_it_is(fmt: str, content_type: str) -> str:
    return f"{fmt} (content type {content_type})" if content_type else fmt


def _page_document(text: str, *, url: str, final_url: str) -> list[Document]:
    """A news page: the HTML reader, with the URL and its host filling what the page does not say."""
    parts = urlsplit(final_url)
    stem = PurePosixPath(parts.path).stem or (parts.hostname or "page")
    documents = parse_html(text, doc_id=stem, path=url)
    host = (parts.hostname or "").removeprefix("www.")
    return [replace(d, url=d.url or final_url, source=d.source or host) for d in documents]


def _feed_documents(url: str, fetched, problems: list[Problem]) -> tuple[list[Document], list[Problem]]:
    """The entries of a fetched feed; anything else is one problem."""
    if fetched is None:
        return [], problems
    text, content_type, final_url = fetched
    fmt = _format(text, content_type, final_url)
    if fmt != "feed":
        return [], problems + [Problem(url, f"not an RSS or Atom feed: got {_what_it_is(fmt, content_type)}")]
    documents, found = parse_feed(text, path=url)
    return documents, problems + found


def read_feed(
    url: str,
    *,
    allow_private: bool = False,
    timeout: float = FETCH_TIMEOUT,
    max_bytes: int = MAX_BYTES,
) -> tuple[list[Document], list[Problem]]:
    """The entries of the RSS or Atom feed at ``url``; anything else is one problem."""
    return _feed_documents(url, *_fetch_text(url, allow_private=allow_private, timeout=timeout, max_bytes=max_bytes))


def read_feed_list(
    text: str,
    *,
    path: str,
    allow_private: bool = False,
    timeout: float = FETCH_TIMEOUT,
    max_bytes: int = MAX_BYTES,
) -> tuple[list[Document], list[Problem]]:
    """Every feed an OPML document lists, fetched and read; one problem per feed that fails."""
    links, problems = parse_opml(text, path=path)
    if not links:
        return [], problems

    def fetch(link):  # network only in the threads; parsing stays in this one, in list order
        return _fetch_text(link.url, allow_private=allow_private, timeout=timeout, max_bytes=max_bytes)

    documents: list[Document] = []
    with ThreadPoolExecutor(max_workers=min(MAX_PARALLEL_FETCHES, len(links))) as pool:
        for link, (fetched, fetch_problems) in zip(links, pool.map(fetch, links)):
            found_documents, found_problems = _feed_documents(link.url, fetched, fetch_problems)
            documents += found_documents
            named = f"feed {link.title!r} listed in {path}" if link.title else f"listed in {path}"
            problems += [replace(p, message=f"{p.message} ({named})") if p.fatal else p for p in found_problems]
    return documents, problems


def read_url(
    url: str,
    *,
    allow_private: bool = False,
    timeout: float = FETCH_TIMEOUT,
    max_bytes: int = MAX_BYTES,
) -> tuple[list[Document], list[Problem]]:
    """What ``url`` holds: a feed's entries, an OPML list's feeds, or a news page's article."""
    fetched, problems = _fetch_text(url, allow_private=allow_private, timeout=timeout, max_bytes=max_bytes)
    if fetched is None:
        return [], problems
    text, content_type, final_url = fetched
    fmt = _format(text, content_type, final_url)
    if fmt not in ("feed", "opml", "html"):
        return [], problems + [Problem(url, f"not a feed, OPML list or HTML page: got {_what_it_is(fmt, content_type)}")]
    try:
        if fmt == "feed":
            documents, found = parse_feed(text, path=url)
        elif fmt == "opml":
            documents, found = read_feed_list(
                text, path=url, allow_private=allow_private, timeout=timeout, max_bytes=max_bytes
            )
        else:
            documents, found = _page_document(text, url=url, final_url=final_url), []
    except Exception as error:  # a reader bug or a pathological page must not sink the other inputs
        detail = " ".join(str(error).split())[:200]
        return [], problems + [Problem(url, f"could not read as {fmt}: {type(error).__name__}: {detail}")]
    return documents, problems + found
