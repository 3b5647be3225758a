"""HTML pages: trafilatura finds the article body and its metadata.

trafilatura is made for exactly this (boilerplate-free main text from news
pages, plus title, date and site name from meta tags and JSON-LD), so we do not
write our own content extraction.
"""

from __future__ import annotations

from ..model import Document
from ..nlp.dates import parse_date
from .clean import clean_text, normalize_whitespace

__all__ = ["parse_html"]


def _fallback_text(html_text: str) -> str:
    """All visible text, for pages too small or odd for trafilatura to call anything 'main'."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(html_text)
    except (ValueError, lxml.etree.ParserError):
        return ""
    for bad in tree.xpath("//script|//style|//noscript|//nav|//header|//footer|//aside|//form"):
        bad.drop_tree()
    blocks = tree.xpath("//p|//h1|//h2|//h3|//li|//blockquote")
    if blocks:
        return "\n".join(b.text_content() for b in blocks)
    return tree.text_content()


def parse_html(html_text: str, *, doc_id: str, path: str) -> list[Document]:
    """One document from a news page: main text, title, date, site name and URL."""
    import trafilatura

    extracted = trafilatura.bare_extraction(
        html_text,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        favor_precision=True,  # a digest is better off missing a paragraph than quoting a menu
        # Only dates the page states; no guessing from the text or today's date.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = getattr(extracted, "text", None) or ""
    title = normalize_whitespace(getattr(extracted, "title", None) or "")
    if not text.strip():
        text = _fallback_text(html_text)
    return [
        Document(
            id=doc_id,
            text=clean_text(text, title=title),
            title=title,
            source=normalize_whitespace(getattr(extracted, "sitename", None) or ""),
            url=getattr(extracted, "url", None) or "",
            date=parse_date(getattr(extracted, "date", None), free_text=False),
            path=path,
        )
    ]
