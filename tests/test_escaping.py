"""Hostile article text, titles and source names come out inert in every output format."""

from __future__ import annotations

import io
import json
import re

import pytest
from markdown_it import MarkdownIt  # rich's own Markdown parser
from typer.testing import CliRunner

from newsdigest.apps.cli import app
from newsdigest.render import escape

runner = CliRunner()

ESC_LINK = "\x1b]8;;https://evil.example\x1b\\here\x1b]8;;\x1b\\"
PAYLOADS = (
    "[/] [/i] [bold red]loud[/bold red] [link=https://evil.example]click[/link]",
    "<script>alert(1)</script> <img src=x onerror=alert(2)>",
    "[x](javascript:alert(3)) ![pic](https://evil.example/p.png) <https://evil.example>",
    f"*stars* _under_ | pipe `tick` {ESC_LINK} & done",
)
SOURCE = "Evil <script>alert('src')</script> [y](javascript:alert(4)) [link=https://evil.example]x[/link]"
TITLE = "Title <img src=x onerror=alert(5)> [/]"


def hostile_articles(tmp_path):
    """Three articles on one story; every sentence carries a payload, so any summary does too."""
    lines = []
    for n in range(3):
        sentences = [
            f"Ferry crews in Helsinki walked off the job on Friday, union leader Pekka Lahti said, {payload}."
            for payload in PAYLOADS
        ] + [
            f'"We will strike for {10 + n} days {PAYLOADS[n]}," said Pekka Lahti on Friday.',
            f"The strike cost the shipping companies {2 + n} million euros a day, officials said {PAYLOADS[n + 1]}.",
        ]
        record = {"id": f"a{n}", "title": TITLE, "source": f"{SOURCE} {n}", "date": "2024-05-0" + str(n + 1),
                  "text": "\n".join(sentences)}
        lines.append(json.dumps(record))
    path = tmp_path / "hostile.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return hostile_articles(tmp_path_factory.mktemp("hostile"))


def run(*args):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (result.stderr, result.exception)
    return result.stdout


def assert_inert_html(html: str):
    """No element, attribute or URL scheme from an article in rendered HTML."""
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
    assert "javascript:" not in " ".join(re.findall(r'(?:href|src)="([^"]*)"', html))
    assert not re.search(r"\shref=\"(?!#)", html), "a link to outside the page"
    assert "\x1b" not in html


def assert_inert_markdown(markdown: str):
    rendered = MarkdownIt("commonmark").enable("table").render(markdown)
    assert_inert_html(rendered)
    assert "<a " not in rendered
    assert "<em>stars" not in rendered and "<em>under" not in rendered and "<code>tick" not in rendered
    assert "&lt;script&gt;" in rendered or "[x](javascript:alert(3))" in rendered  # shown as text


# --- the helpers ------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS + (SOURCE, TITLE))
def test_markdown_helper_renders_as_the_same_text(payload):
    rendered = MarkdownIt("commonmark").enable("table").render(escape.markdown(payload))
    assert_inert_html(rendered)
    # What a reader sees is the original text (without the terminal escape).
    from html import unescape

    shown = unescape(re.sub(r"<[^>]+>", "", rendered)).strip()
    assert shown == escape.plain(payload)


@pytest.mark.parametrize("start", ["1. first", "2) second", "- dash", "+ plus", "# heading", "> quote", "=== rule"])
def test_markdown_helper_opens_no_block(start):
    rendered = MarkdownIt("commonmark").render(escape.markdown(start))
    assert rendered.startswith("<p>") and rendered.count("<") == 2


def test_terminal_helper_is_literal_and_strips_escape_sequences():
    from rich.console import Console

    console = Console(file=io.StringIO(), force_terminal=True, color_system="truecolor", width=200)
    for payload in PAYLOADS:
        console.print(escape.terminal(payload))
    out = console.file.getvalue()
    assert "[/]" in out and "[link=https://evil.example]" in out
    assert "\x1b]8;" not in out  # no OSC 8 hyperlink
    assert "\x1b[1" not in out  # no bold or colour from "[bold red]"


def test_plain_helper_is_one_line_without_controls():
    assert escape.plain(f"a\nb\r\tc\x00d {ESC_LINK}\u2028e") == "a b c d ]8;;https://evil.example \\here ]8;; \\ e"


# --- every output format, end to end ------------------------------------------------------


def test_digest_markdown(hostile):
    assert_inert_markdown(run("summarize", str(hostile), "--sentences", "4", "--format", "markdown"))


def test_digest_text_has_no_terminal_escapes(hostile):
    out = run("summarize", str(hostile), "--sentences", "4", "--format", "text")
    assert "\x1b" not in out and "<script>" in out  # plain text shows the text as it is, minus controls


def test_digest_json_keeps_the_text_as_data(hostile):
    data = json.loads(run("summarize", str(hostile), "--sentences", "4", "--format", "json"))
    assert any("<script>" in s["text"] or "[/]" in s["text"] or "javascript" in s["text"] for s in data["sentences"])


@pytest.fixture(scope="module")
def analysis(hostile):
    from newsdigest.analyze import analyze_documents
    from newsdigest.ingest import load_documents
    from newsdigest.pipeline import summarize_documents

    documents, _ = load_documents([hostile], duplicate_threshold=None)
    digest = summarize_documents(documents, sentences=4)
    digest.analysis = analyze_documents(digest.documents, digest=digest)
    return digest


def test_analysis_markdown(analysis):
    from newsdigest.render.analysis_report import render_analysis

    assert_inert_markdown(render_analysis(analysis.analysis, "markdown", digest=analysis))


def test_analysis_html(analysis):
    from newsdigest.render.analysis_report import render_analysis

    html = render_analysis(analysis.analysis, "html", digest=analysis)
    assert_inert_html(html)
    assert "&lt;script&gt;" in html


def test_analysis_terminal_prints_markup_literally(analysis):
    from rich.console import Console

    from newsdigest.render.analysis_report import render_analysis

    console = Console(file=io.StringIO(), force_terminal=True, color_system="truecolor", width=160)
    render_analysis(analysis.analysis, "terminal", digest=analysis, console=console)
    out = console.file.getvalue()
    assert "[/]" in out or "[/i]" in out
    assert "\x1b]8;" not in out


def test_analyze_command_terminal_does_not_crash(hostile):
    out = run("analyze", str(hostile))
    assert "Who said what" in out and "[/]" in out
    assert_inert_markdown(run("analyze", str(hostile), "--format", "markdown"))
    assert_inert_html(run("analyze", str(hostile), "--format", "html"))
