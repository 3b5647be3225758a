"""Fuzzing the readers and the command line: only Problems, NewsdigestError or a one-line
message with a clean exit code come out, never another exception or a traceback.

Bounded (about 50 examples each, no deadline) so the suite stays fast.
"""

from __future__ import annotations

import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from newsdigest import NewsdigestError, load_documents, summarize_documents
from newsdigest.apps.cli import app

runner = CliRunner()
FUZZ = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

ARTICLE = (
    "Ferry crews walked off the job on Friday in a dispute over pay, union officials said. "
    "The strike halted 14 ships on routes between Helsinki, Stockholm and Tallinn.\n"
    '"We will not go back until the owners talk to us," said union leader Pekka Lahti.\n'
    "The shipping companies said the strike cost them 2 million euros a day."
)
SGML = (
    "<DOC>\n<DOCNO> APW19981017.0477 </DOCNO>\n<DOCTYPE> NEWS </DOCTYPE>\n"
    "<DATE_TIME> 10/17/1998 05:50:00 </DATE_TIME>\n<BODY>\n<HEADLINE> Ferry strike </HEADLINE>\n<TEXT>\n"
    + "\n".join(f"   {line}" for line in ARTICLE.split("\n"))
    + "\n&UR; AP Photo HEL101 &QL;\n</TEXT>\n</BODY>\n</DOC>\n"
)
HTML = (
    '<!DOCTYPE html><html><head><title>Ferry strike</title><meta property="og:site_name" content="Courier">'
    '<meta property="article:published_time" content="2024-05-03"></head><body><nav><a href="/">Home</a></nav>'
    "<article><h1>Ferry strike</h1>"
    + "".join(f"<p>{line}</p>" for line in ARTICLE.split("\n"))
    + "<div><div><span>Share this</span></div></div></article><footer>© Courier</footer></body></html>"
)


# Pieces that have broken readers or renderers before, mixed into random text.
TOKENS = (
    "|||||", "[/]", "[/i]", "[link=https://evil.example]", "[bold]", "<script>", "</p>", "<div>" * 300, "{", "}",
    '"text": ', "\n", "\x00", "\x1b[1m", "<DOC>", "<DOCNO>", "<TEXT>", "&UR;", "&QL;", "By Jane Doe\n",
    "Jane Doe can be reached at", "\u2028", "\ufeff", "Pekka Lahti said", '"', "“", "5 million", "on Friday",
)
tokens = st.lists(st.sampled_from(TOKENS) | st.text(max_size=20), max_size=40).map("".join)


def assert_only_problems(documents, problems, path: str):
    assert documents or problems
    for problem in problems:
        assert problem.path.startswith(path), problem
        assert "\n" not in str(problem) and problem.message.strip()
    for document in documents:
        assert isinstance(document.text, str) and document.text.strip()


def read(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    documents, problems = load_documents([path])
    assert_only_problems(documents, problems, str(path))
    return documents, problems


# --- the readers ---------------------------------------------------------------------


@FUZZ
@given(data=st.binary(max_size=4000), name=st.sampled_from(["a.txt", "a.html", "a.jsonl", "a.sgml", "a"]))
def test_random_bytes(tmp_path, data, name):
    read(tmp_path, name, data)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=200),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
FIELDS = ("id", "title", "source", "url", "date", "text", "document", "summary")
records = st.dictionaries(st.sampled_from(FIELDS), json_values | st.just(ARTICLE), max_size=6)


@FUZZ
@given(lines=st.lists(records | json_values, min_size=1, max_size=5), pretty=st.booleans())
def test_random_json_lines(tmp_path, lines, pretty):
    text = "\n".join(json.dumps(line, indent=2 if pretty else None) for line in lines)
    read(tmp_path, "articles.jsonl", text.encode("utf-8", errors="surrogatepass"))


@FUZZ
@given(
    base=st.sampled_from([SGML, HTML, json.dumps({"id": "a", "text": ARTICLE}), ARTICLE]),
    cut=st.floats(0, 1),
    junk=st.text(max_size=30) | tokens,
    name=st.sampled_from(["doc.sgml", "page.html", "a.jsonl", "doc"]),
)
def test_truncated_documents(tmp_path, base, cut, junk, name):
    text = base[: int(len(base) * cut)] + junk
    read(tmp_path, name, text.encode("utf-8", errors="surrogatepass"))


@FUZZ
@given(text=st.text(max_size=3000) | tokens | st.text(st.characters(blacklist_categories=()), max_size=200))
def test_random_text_on_stdin(text):  # the last: with lone surrogates, which no UTF-8 byte stands for
    documents, problems = load_documents(["-"], stdin=io.StringIO(text))
    assert_only_problems(documents, problems, "-")


@FUZZ
@given(
    words=st.none() | st.integers(-3, 10**6) | st.floats() | st.text(max_size=5) | st.booleans(),
    sentences=st.none() | st.integers(-3, 50) | st.text(max_size=3),
    method=st.sampled_from(["ilp", "centroid", "lead", "lexrank", "", "nope"]),
)
def test_random_budgets_in_the_api(words, sentences, method):
    documents, _ = load_documents(["-"], stdin=io.StringIO(ARTICLE))
    try:
        digest = summarize_documents(documents, words=words, sentences=sentences, method=method)
    except NewsdigestError as error:
        assert str(error) and "\n" not in str(error)
    else:
        assert digest.budget.admits(digest.words, len(digest.sentences))


# --- the command line -----------------------------------------------------------------


def assert_clean_exit(result):
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1, 2)
    if result.exit_code == 1:
        assert result.stderr.rstrip("\n").split("\n")[-1].startswith("newsdigest: error: ")


@FUZZ
@given(
    words=st.none() | st.integers(-3, 10**12).map(str) | st.text(max_size=5),
    sentences=st.none() | st.integers(-3, 100).map(str) | st.text(max_size=3),
    fmt=st.sampled_from(["text", "markdown", "json", "bogus"]),
    method=st.sampled_from(["ilp", "lead", "nope"]),
)
def test_random_cli_budgets(tmp_path, words, sentences, fmt, method):
    path = tmp_path / "story.txt"
    path.write_text(ARTICLE)
    args = ["summarize", str(path), "--format", fmt, "--method", method]
    if words is not None:
        args += ["--words", words]
    if sentences is not None:
        args += ["--sentences", sentences]
    assert_clean_exit(runner.invoke(app, args))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.binary(max_size=1500) | (tokens | st.text(max_size=1500)).map(lambda t: (ARTICLE + t).encode(errors="surrogatepass")),
    command=st.sampled_from(["summarize", "analyze"]),
    fmt=st.sampled_from(["markdown", "json", "html", "text", "terminal"]),
)
def test_random_input_through_the_cli(tmp_path, data, command, fmt):
    path = tmp_path / "input.txt"
    path.write_bytes(data)
    if fmt == "text" and command == "analyze" or fmt == "terminal" and command == "summarize":
        fmt = {"text": "terminal", "terminal": "text"}[fmt]
    result = runner.invoke(app, [command, str(path), "--format", fmt])
    assert_clean_exit(result)
    if result.exit_code == 0:
        assert result.stdout.strip()


@settings(max_examples=25, deadline=None)
@given(text=st.text(max_size=400) | tokens)
def test_random_stdin_through_the_cli(text):
    assert_clean_exit(runner.invoke(app, ["summarize", "-"], input=text))
