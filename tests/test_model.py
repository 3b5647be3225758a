"""The data model: budgets are validated, and every object survives to_dict/from_dict."""

from __future__ import annotations

import datetime as dt
import json
import pickle
from dataclasses import replace

import pytest

from newsdigest import Budget, Digest, Document, NewsdigestError, Story, summarize_documents
from newsdigest.model import Copy

ARTICLES = [
    Document(
        id="a",
        text="The army left the city on Monday, officials said. Residents returned to their homes on Tuesday.",
        title="Army leaves",
        source="Outlet A",
        date=dt.date(2012, 8, 6),
    ),
    Document(
        id="b",
        text="Officials said the army left the city on Monday night. Shops reopened in the old market.",
        source="Outlet B",
        date=dt.date(2012, 8, 7),
    ),
]


@pytest.mark.parametrize("bad", [0, -3, 1.5, True, "100"])
def test_budget_rejects_what_is_not_a_positive_whole_number(bad):
    with pytest.raises(NewsdigestError):
        Budget(words=bad)


def test_newsdigest_error_is_a_value_error():
    assert issubclass(NewsdigestError, ValueError)


def test_unknown_method_and_bad_option_raise_newsdigest_error():
    with pytest.raises(NewsdigestError, match="unknown method"):
        summarize_documents(ARTICLES, words=20, method="nope")
    with pytest.raises(NewsdigestError, match="lead"):
        summarize_documents(ARTICLES, words=20, method="lead", no_such_option=1)


def test_document_round_trip():
    for doc in ARTICLES:
        assert Document.from_dict(json.loads(json.dumps(doc.to_dict()))) == doc


def test_document_with_copies_round_trips_and_lists_outlets():
    copy = Copy(id="c", source="Outlet C", title="Army leaves", url="https://c.example/1", date=dt.date(2012, 8, 6))
    doc = replace(ARTICLES[0], copies=(copy, Copy(id="d", source="Outlet A")))
    assert doc.outlets == ["Outlet A", "Outlet C"]
    back = Document.from_dict(json.loads(json.dumps(doc.to_dict())))
    assert back == doc and back.copies[0].date == dt.date(2012, 8, 6)
    assert Document.from_dict({"id": "x", "text": "t"}).copies == ()


def test_digest_round_trip_through_json_and_pickle():
    digest = summarize_documents(ARTICLES, words=25)
    back = Digest.from_dict(json.loads(json.dumps(digest.to_dict())))
    assert back.sentences == digest.sentences
    assert back.documents == digest.documents
    assert back.budget == digest.budget and back.method == digest.method
    assert back.problems == digest.problems
    assert pickle.loads(pickle.dumps(digest)).sentences == digest.sentences


def test_story_derives_sources_and_dates_and_round_trips():
    story = Story(id="s1", articles=tuple(ARTICLES), title="Army leaves")
    assert story.sources == ["Outlet A", "Outlet B"]
    assert (story.start, story.end) == (dt.date(2012, 8, 6), dt.date(2012, 8, 7))
    assert story.documents == ARTICLES
    assert Story.from_dict(json.loads(json.dumps(story.to_dict()))) == story
