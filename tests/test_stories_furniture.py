"""Furniture that recurs in a stream never reaches a story's digest (issue 14, kept current by the stories pipeline)."""

from __future__ import annotations

from newsdigest.ingest.furniture import normalize_sentence
from newsdigest.pipeline import summarize_stories
from newsdigest.stories import detect_stories

from .test_stories import FOLLOW_UP, OTHER, OTHER_2, WIRE, doc

# Chrome no shipped rule or list knows: only its recurrence across unrelated stories gives it away.
CHROME = "Readers of the Harbour Gazette archive can browse every edition since 1952 in the reading room."
THIRD = (
    "The city council voted on Friday to build a second bridge over the river, at a cost of 80 million euros. "
    "Construction starts next spring and should take three years, the mayor said. Residents have asked for a "
    "second crossing since the old bridge was closed to lorries in 2019."
)
THIRD_2 = (
    "Engineers presented the design of the new river bridge to the city council, a steel arch of 240 metres. "
    "The mayor said the bridge will carry trams as well as cars and bicycles."
)


def stream(chrome: str = CHROME):
    """Three unrelated stories, every article with the same chrome glued to its last paragraph."""
    plain = [
        doc("ap-1", WIRE, "Associated Press", 7, "14 miners rescued from flooded colliery"),
        doc("times-2", FOLLOW_UP, "Daily Times", 8, "Missing miners found alive"),
        doc("fin-1", OTHER, "Finance Daily", 9, "Central bank raises rates again"),
        doc("fin-2", OTHER_2, "Market Watch", 9, "Shares fall after rate rise"),
        doc("city-1", THIRD, "City News", 10, "Council approves second bridge"),
        doc("city-2", THIRD_2, "Town Crier", 11, "New bridge design unveiled"),
    ]
    return [doc(d.id, d.text + " " + chrome, d.source, d.date.day, d.title) for d in plain]


def test_chrome_recurring_across_unrelated_stories_is_dropped_before_digesting():
    stories = detect_stories(stream())
    assert len(stories) == 3
    for story in stories:
        for article in story.articles:
            assert normalize_sentence(CHROME) not in normalize_sentence(article.text)
            assert article.text.endswith(".")  # the real sentence before the chrome stays
    digests, problems = summarize_stories(stories, words=200)
    assert not problems
    texts = {a.id: a.text for s in stories for a in s.articles}
    for digest in digests.values():
        for item in digest.sentences:
            sentence = item.sentence
            assert "Harbour Gazette" not in sentence.text
            # Offsets point into the cleaned text the digest was made from.
            assert texts[sentence.doc_id][sentence.start : sentence.end] == sentence.text


def test_a_sentence_shared_within_one_story_only_is_news_and_stays():
    documents = stream(chrome="")
    shared = "Rescuers said the pumps had run for fifty hours without a break."
    documents[0] = doc("ap-1", documents[0].text + " " + shared, "Associated Press", 7, documents[0].title)
    documents[1] = doc("times-2", documents[1].text + " " + shared, "Daily Times", 8, documents[1].title)
    stories = detect_stories(documents)
    assert sum(shared in a.text for s in stories for a in s.articles) == 2
    assert sum(CHROME in a.text for s in detect_stories(stream(), drop_furniture=False) for a in s.articles) == 6


def test_without_digests_furniture_changes_no_output(tmp_path):
    """`stories --no-digest` does not look for furniture: it only changes texts, which no grouping-only format shows."""
    import json

    from typer.testing import CliRunner

    from newsdigest.apps.cli import app
    from newsdigest.render import render_stories

    documents = stream()
    cleaned = detect_stories(documents)
    kept = detect_stories(documents, drop_furniture=False)
    assert [a.text for s in cleaned for a in s.articles] != [a.text for s in kept for a in s.articles]  # furniture found
    path = tmp_path / "stream.jsonl"
    rows = [{"id": d.id, "title": d.title, "source": d.source, "date": d.date.isoformat(), "text": d.text} for d in documents]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    for format in ("jsonl", "json", "text", "markdown", "html"):
        assert render_stories(cleaned, {}, format) == render_stories(kept, {}, format)
    result = CliRunner().invoke(app, ["stories", str(path), "--no-digest", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert result.stdout == render_stories(cleaned, {}, "jsonl")
