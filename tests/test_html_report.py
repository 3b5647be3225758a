"""The HTML report in a real headless browser: sections render, article text cannot run code."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdigest.analyze import analyze_documents
from newsdigest.model import Document
from newsdigest.render.analysis_report import render_analysis

REPO = Path(__file__).resolve().parents[1]
PAYLOAD_SCRIPT = "<script>window.__pwned=1</script>"
PAYLOAD_IMG = '<img src=x onerror="window.__pwned=1">'


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    from newsdigest import summarize_documents
    from newsdigest.ingest import load_documents

    documents, _ = load_documents([REPO / "examples" / "syria"])
    hostile = Document(
        id="hostile",
        source=f"Evil Outlet {PAYLOAD_SCRIPT}",
        title=f"Title {PAYLOAD_IMG}",
        text=(
            f"Syrian Prime Minister Riad Hijab fled on Monday, officials said {PAYLOAD_SCRIPT}.\n"
            f"“The defection of the prime minister shows the regime is crumbling {PAYLOAD_IMG},” "
            "White House spokesman Jay Carney said.\n"
            f"More than 19,000 people have been killed in Syria {PAYLOAD_IMG} since March 2011."
        ),
    )
    documents = [*documents, hostile]
    digest = summarize_documents(documents, words=200)
    analysis = analyze_documents(documents, digest=digest)
    html = render_analysis(analysis, "html", digest=digest)
    assert PAYLOAD_SCRIPT not in html and "<img" not in html  # escaped, not markup
    path = tmp_path_factory.mktemp("report") / "analysis.html"
    path.write_text(html, encoding="utf-8")
    return path


def test_self_contained(report):
    html = report.read_text(encoding="utf-8")
    for marker in ('src="http', "href=\"http", "<link", "@import", "url("):
        assert marker not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html


@pytest.mark.browser
def test_report_in_headless_chromium(report, chromium):
    requests = []
    page = chromium.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.goto(report.as_uri())
    page.wait_for_load_state("load")
    for heading in ("Summary", "Sources", "Who", "Who said what", "Numbers", "When", "Who reports what",
                    "What each source adds"):
        assert page.get_by_role("heading", name=heading, exact=True).is_visible(), heading
    assert page.locator("#who tbody tr").count() >= 10
    assert page.locator("#quotes blockquote").count() >= 10
    assert page.locator("#numbers .figure").count() >= 4
    assert page.locator("#when tbody tr").count() >= 5
    assert page.locator("#coverage td.yes").count() >= 1
    # a citation reveals its source sentence on hover
    cite = page.locator("#summary a.cite").first
    assert cite.get_attribute("title")
    cite.hover()
    assert page.locator("#summary a.cite .tip").first.is_visible()
    # the payloads ran nothing and show as text
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.querySelectorAll('script').length") == 0
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    body = page.inner_text("body")
    assert PAYLOAD_SCRIPT in body and PAYLOAD_IMG in body
    assert [u for u in requests if not u.startswith("file:")] == []
