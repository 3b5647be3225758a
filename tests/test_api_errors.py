"""Every bad argument to the public API raises NewsdigestError with a clear message, nothing else."""

from __future__ import annotations

import io

import pytest

import newsdigest
from newsdigest import Digest, Document, NewsdigestError, Story, segment, summarize, summarize_documents
from newsdigest.render import render_digest
from newsdigest.render.analysis_report import render_analysis

from .conftest import EXAMPLE

DOCS = [
    Document(id="a", text="Ferry crews walked off the job on Friday. The strike halted 14 ships."),
    Document(id="b", text="The ferry strike halted 14 ships on Friday, officials said. Talks resume on Monday."),
]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: summarize_documents(DOCS, words="100"), "whole number"),
        (lambda: summarize_documents(DOCS, words=1.5), "whole number"),
        (lambda: summarize_documents(DOCS, words=True), "whole number"),
        (lambda: summarize_documents(DOCS, words=0), "at least 1"),
        (lambda: summarize_documents(DOCS, words=50, method="nope"), "unknown method"),
        (lambda: summarize_documents(DOCS, words=50, bogus_option=1), "unexpected keyword"),
        (lambda: summarize_documents(["not a document"], words=50), "documents[0] is a str"),
        (lambda: summarize_documents(None, words=50), "got NoneType"),
        (lambda: summarize_documents([Document(id="a", text=123)], words=50), "must be strings"),
        (lambda: summarize_documents(DOCS, words=50, problems=5), "problems must be"),
        (lambda: segment("just a string"), "got str"),
        (lambda: summarize(123, words=50), "got int"),
        (lambda: summarize([EXAMPLE, 7], words=50), "got 7"),
        (lambda: newsdigest.load_documents(None), "got NoneType"),
        (lambda: newsdigest.load_documents(["-"], stdin="not a stream"), "readable stream"),
        (lambda: render_digest(summarize_documents(DOCS, words=50), "pdf"), "unknown format"),
        (lambda: Digest.from_dict({"documents": []}), "missing field 'sentences'"),
        (lambda: Document.from_dict(None), "not a serialized Document"),
        (lambda: Document.from_dict({"id": "a", "text": "x", "date": "yesterday"}), "not a serialized Document"),
        (lambda: Story.from_dict({"id": "s"}), "missing field 'articles'"),
    ],
)
def test_bad_arguments_raise_newsdigest_error(call, message):
    with pytest.raises(NewsdigestError) as raised:
        call()
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_unknown_analysis_format():
    with pytest.raises(NewsdigestError, match="unknown analysis format"):
        render_analysis(None, "pdf")


def test_load_documents_size_limit_must_be_positive():
    from newsdigest.ingest import load_documents

    for bad in (0, -1, "50", 1.5, True):
        with pytest.raises(NewsdigestError, match="max_bytes"):
            load_documents(["-"], stdin=io.StringIO("text"), max_bytes=bad)


def test_a_path_the_file_system_refuses_is_a_problem():
    documents, problems = newsdigest.load_documents(["x" * 5000])
    assert documents == [] and len(problems) == 1
    assert "cannot read" in problems[0].message and "too long" in problems[0].message
