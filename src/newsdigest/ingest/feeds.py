"""RSS and Atom feeds: one document per entry, parsed with feedparser.

Each entry becomes a :class:`~newsdigest.model.Document`:

- ``id``: the link's host and a hash of the entry's id (else its link, else
  its title and date), so the same entry gets the same id on every run;
- ``title``: the entry title as plain text; ``source``: the feed's title;
  ``url``: the entry link; ``date``: published, else updated;
- ``text``: the entry's full content when the feed carries it, read the way an
  HTML page is read (:func:`~newsdigest.ingest.html.parse_html`), else its
  summary.

An entry whose body is only a teaser (no full content and a summary under
:data:`TEASER_WORDS` words, or a body that ends in "…", "[...]", "Read more")
is kept as it is, with a warning naming the feed and the entry: a digest built
on teasers quotes standfirsts, not articles. The article pages are not fetched.

feedparser's sanitizer drops scripts, styles, frames and event handlers from
entry HTML before we see it; the HTML reader then keeps only the text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import re
from urllib.parse import urlsplit

from ..model import Document, Problem
from ..nlp.dates import in_range
from .clean import clean_text, normalize_whitespace
from .html import parse_html

__all__ = ["parse_feed", "TEASER_WORDS"]

TEASER_WORDS = 120  # a summary shorter than this, with no full content, is a teaser
_TRUNCATED_END = re.compile(
    r"(?:…|\.\.\.|\[(?:…|\.\.\.)\]|\bread more|\bcontinue reading|\bread the (?:full|whole) (?:story|article))"
    r"[\s\W]*$",
    re.IGNORECASE,
)
_READ_MORE_END = re.compile(r"\s*\b(?:read more|continue reading|read the (?:full|whole) (?:story|article))[\s\W]*$", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def _plain(value: str) -> str:
    """Text of a fragment that may hold markup (titles, teaser checks); scripts and styles dropped."""
    if "<" not in value:
        return normalize_whitespace(html.unescape(value))
    import lxml.html

    try:
        fragment = lxml.html.fragment_fromstring(value, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return normalize_whitespace(html.unescape(_TAG.sub(" ", value)))
    for bad in fragment.xpath(".//script|.//style|.//noscript|.//iframe|.//object"):
        bad.drop_tree()
    return normalize_whitespace(fragment.text_content())


def _body_text(value: str, media_type: str, title: str) -> str:
    """Entry content to article text: HTML through the HTML reader, plain text cleaned as it is."""
    if "html" in media_type or _TAG.search(value):
        page = f"<html><head><title>{html.escape(title)}</title></head><body><article>{value}</article></body></html>"
        return parse_html(page, doc_id="entry", path="")[0].text
    return clean_text(value, title=title)


def _best_content(entry) -> tuple[str, str]:
    """The longest full-content block of the entry as ``(value, media type)``, or ``("", "")``."""
    blocks = [c for c in entry.get("content", ()) if (c.get("value") or "").strip()]
    if not blocks:
        return "", ""
    best = max(blocks, key=lambda c: len(c["value"]))
    return best["value"], best.get("type", "")


def _date(entry) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                date = in_range(dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday))
            except ValueError:
                continue
            if date is not None:
                return date
    return None


def _host(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9.]+", "-", text.lower()).strip("-.")[:40]


def _entry_id(entry, *, link: str, title: str, source: str, path: str, index: int) -> str:
    """Stable id: where the entry lives, and a hash of what identifies it."""
    key = entry.get("id") or link or (f"{title}|{entry.get('published') or entry.get('updated') or ''}" if title else "")
    if not key:
        key = f"{path}#{index}"
    digest = hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    prefix = _slug(_host(link) or source) or "feed"
    return f"{prefix}-{digest}"


def _feed_failure(result) -> str:
    error = result.get("bozo_exception")
    detail = " ".join(str(error).split())[:160] if error else ""
    return f"not a feed ({detail})" if detail else "not a feed (no RSS or Atom entries)"


def parse_feed(text: str, *, path: str) -> tuple[list[Document], list[Problem]]:
    """Documents from an RSS or Atom feed's text, and the problems met (``path`` names the feed)."""
    import feedparser

    # A stream, never a string: feedparser fetches a string that looks like a URL or a file name.
    # The text is already decoded, so its XML declaration's encoding no longer applies.
    result = feedparser.parse(
        io.BytesIO(text.encode("utf-8", "surrogatepass")),
        response_headers={"content-type": "application/xml; charset=utf-8"},
    )
    entries = result.get("entries", [])
    if not entries:
        if result.get("version"):
            return [], [Problem(path, "feed has no entries")]
        return [], [Problem(path, _feed_failure(result))]
    problems: list[Problem] = []
    if result.get("bozo") and not isinstance(result.get("bozo_exception"), feedparser.CharacterEncodingOverride):
        reason = " ".join(str(result.get("bozo_exception", "")).split())[:160]
        read = f"{len(entries)} entries" if len(entries) > 1 else "its entry"
        problems.append(Problem(path, f"malformed feed ({reason}); {read} read anyway", fatal=False))
    feed = result.get("feed", {})
    source = _plain(feed.get("title", "")) or _host(feed.get("link", ""))
    documents: list[Document] = []
    for index, entry in enumerate(entries, start=1):
        document, problem = _entry_document(entry, source=source, path=path, index=index)
        if problem:
            problems.append(problem)
        if document:
            documents.append(document)
    return documents, problems


def _entry_document(entry, *, source: str, path: str, index: int) -> tuple[Document | None, Problem | None]:
    title = _plain(entry.get("title", ""))
    link = normalize_whitespace(entry.get("link", ""))
    name = f"entry {title!r}" if title else f"entry {index} ({link})" if link else f"entry {index}"
    content, media_type = _best_content(entry)
    from_summary = not content
    if from_summary:
        content = entry.get("summary", "")
        media_type = entry.get("summary_detail", {}).get("type", "")
    if not content.strip():
        return None, Problem(path, f"{name} has no text, skipped", fatal=False)
    text = _READ_MORE_END.sub("", _body_text(content, media_type, title))
    if not text.strip():
        return None, Problem(path, f"{name} has no text after cleaning, skipped", fatal=False)
    words = len(text.split())
    cut_off = bool(_TRUNCATED_END.search(_plain(content)))
    problem = None
    if cut_off or (from_summary and words < TEASER_WORDS):
        how = "cut off" if cut_off else "summary only"
        problem = Problem(
            path, f"{name} is only a teaser ({how}, {words} words); kept as it is, the article was not fetched", fatal=False
        )
    document = Document(
        id=_entry_id(entry, link=link, title=title, source=source, path=path, index=index),
        text=text,
        title=title,
        source=source,
        url=link,
        date=_date(entry),
        path=path,
    )
    return document, problem
