"""HTML pages: trafilatura finds the article body and its metadata.

trafilatura is made for exactly this (boilerplate-free main text from news
pages, plus title, date and site name from meta tags and JSON-LD), so we do not
write our own content extraction.
"""

from __future__ import annotations

from ..errors import NewsdigestError
from ..model import Document
from ..nlp.dates import parse_date
from .clean import clean_text, one_line

__all__ = ["parse_html"]

# libxml2's depth limit with XML_PARSE_HUGE (lxml's huge_tree); the default is 256.
_HUGE_DEPTH = 2048


def _fallback_text(html_text: str) -> str:
    """All visible text, for pages too small, odd or deeply nested for trafilatura.

    trafilatura parses with libxml2's default depth limit (256 nested elements),
    so a page nested deeper comes back empty; here the limit is raised to
    libxml2's "huge" one (2048). A page deeper still raises NewsdigestError
    saying so, instead of passing for an article without text.
    """
    import lxml.html

    parser = lxml.html.HTMLParser(huge_tree=True)
    try:
        tree = lxml.html.fromstring(html_text, parser=parser)
    except (ValueError, lxml.etree.ParserError):
        return ""
    for bad in tree.xpath("//script|//style|//noscript|//nav|//header|//footer|//aside|//form"):
        bad.drop_tree()
    blocks = tree.xpath("//p|//h1|//h2|//h3|//li|//blockquote")
    text = "\n".join(b.text_content() for b in blocks) if blocks else tree.text_content()
    if not text.strip() and any("Excessive depth" in error.message for error in parser.error_log):
        raise NewsdigestError(
            f"HTML nested more than {_HUGE_DEPTH} elements deep, beyond what the HTML parser reads; no text found"
        )
    return text


def parse_html(html_text: str, *, doc_id: str, path: str) -> list[Document]:
    """One document from a news page: main text, title, date, site name and URL.

    Raises NewsdigestError when the page is nested too deep to be parsed at all.
    """
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
    title = one_line(getattr(extracted, "title", None) or "")
    if not text.strip():
        text = _fallback_text(html_text)
    return [
        Document(
            id=doc_id,
            text=clean_text(text, title=title),
            title=title,
            source=one_line(getattr(extracted, "sitename", None) or ""),
            url=one_line(getattr(extracted, "url", None) or ""),
            date=parse_date(getattr(extracted, "date", None), free_text=False),
            path=path,
        )
    ]
