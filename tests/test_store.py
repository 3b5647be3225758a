"""The SQLite store: idempotent runs, stories that go on across runs, copies, migrations, search."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from newsdigest import NewsdigestError, detect_stories
from newsdigest.store import SCHEMA_VERSION, Store, content_hash, migrate

from .test_stories import articles, members, partition


@pytest.fixture
def digested(monkeypatch) -> list[str]:
    """The ids of the stories digested while the test runs (``pipeline.summarize_stories`` spied on)."""
    import newsdigest.pipeline as pipeline

    ids: list[str] = []
    real = pipeline.summarize_stories

    def spy(stories, **kwargs):
        ids.extend(s.id for s in stories)
        return real(stories, **kwargs)

    monkeypatch.setattr(pipeline, "summarize_stories", spy)
    return ids


def test_running_twice_adds_nothing_and_digests_nothing_again(tmp_path, digested):
    path = tmp_path / "desk.sqlite"
    with Store(path) as store:
        first = store.add_documents(articles(), words=50)
        stories = store.stories()
    assert len(first) == len(articles())
    assert partition(stories) == partition(detect_stories(articles()))
    assert sorted(digested) == sorted(s.id for s in stories)
    digested.clear()
    with Store(path) as store:
        assert store.add_documents(articles(), words=50) == []
        assert store.count_articles() == 4  # six articles, two of them copies
        assert [s.id for s in store.stories()] == [s.id for s in stories]
        assert store.digest(stories[0].id).sentences
    assert digested == []


def test_new_articles_join_stored_open_stories_and_only_changed_stories_are_digested(tmp_path, digested):
    docs = articles()
    path = tmp_path / "desk.sqlite"
    with Store(path) as store:
        store.add_documents([docs[0], docs[4]], words=40)
        miners = store.stories(q="colliery")[0]
        bank = store.stories(q="central bank")[0]
        bank_digest = store.digest(bank.id)
    digested.clear()
    with Store(path) as store:
        added = dict(store.add_documents([docs[3], docs[1]], words=40))
        assert added == {"times-2": miners.id, "herald-9": miners.id}
        assert digested == [miners.id]
        assert store.digest(bank.id).to_dict() == bank_digest.to_dict()
        story = store.story(miners.id)
        assert [a.id for a in story.articles] == ["ap-1", "times-2"]
        assert [c.source for c in story.articles[0].copies] == ["Valley Herald"]
        assert store.article("herald-9").id == "ap-1"


def test_stories_command_with_a_store_prints_the_stories_the_run_touched(tmp_path):
    import json

    from typer.testing import CliRunner

    from newsdigest.apps.cli import app

    def write(name, docs):
        path = tmp_path / name
        rows = [{"id": d.id, "title": d.title, "source": d.source, "date": d.date.isoformat(), "text": d.text} for d in docs]
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        return str(path)

    def run(*args):
        result = CliRunner().invoke(app, ["stories", *args, "--db", str(tmp_path / "desk.sqlite"), "--no-digest", "--format", "jsonl"])
        assert result.exit_code == 0, result.output
        return [[a["id"] for a in json.loads(line)["articles"]] for line in result.stdout.splitlines()], result.stderr

    docs = articles()
    first = write("first.jsonl", [docs[0], docs[4]])
    printed, note = run(first)
    assert sorted(printed) == [["ap-1"], ["fin-1"]]
    assert "2 new articles in 2 stories (2 new, 0 grown); 0 other stories stored, unchanged" in note
    # The follow-up joins the miners' story: only that story is printed, the bank's is counted.
    printed, note = run(write("second.jsonl", [docs[3]]))
    assert printed == [["ap-1", "times-2"]]
    assert "1 new articles in 1 stories (0 new, 1 grown); 1 other stories stored, unchanged; --all prints them" in note
    printed, note = run(first)
    assert printed == [] and "nothing new; 2 stories stored, unchanged" in note
    printed, note = run(first, "--all")
    assert sorted(printed) == [["ap-1", "times-2"], ["fin-1"]] and "printing all 2" in note
    assert len(note.strip().splitlines()) == 1


def test_same_text_under_another_id_is_stored_once(tmp_path):
    docs = articles()
    again = docs[4].__class__(id="fin-1-repost", text="  " + docs[4].text.upper(), source="Aggregator")
    with Store(tmp_path / "d.sqlite") as store:
        store.add_documents([docs[4]], digest=False)
        store.add_documents([again], digest=False)
        assert store.count_articles() == 1
        assert [c.id for c in store.article("fin-1").copies] == ["fin-1-repost"]
    assert content_hash("A  b\nC") == content_hash("a b c")


def test_wal_mode_and_search_that_cannot_break(tmp_path):
    with Store(tmp_path / "d.sqlite") as store:
        assert store.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        store.add_documents(articles(), digest=False)
        assert [s.id for s in store.stories(q='"miners AND (')] == [s.id for s in store.stories(q="miners and")]
        found = store.stories(q="miners")
        assert len(found) == 1 and "ap-1" in members(found[0])
        assert store.stories(since=dt.date(2024, 5, 9)) == store.stories(q="rate")
        assert len(store.stories(limit=1)) == 1 and store.stories(limit=1, offset=5) == []
        assert store.story("nope") is None and store.article("nope") is None and store.digest("nope") is None


def test_an_old_store_is_migrated_in_place(tmp_path):
    path = tmp_path / "old.sqlite"
    connection = sqlite3.connect(path, isolation_level=None)
    assert migrate(connection, target=1) == 1
    connection.execute(
        "INSERT INTO articles(id, content_hash, title, text, added) VALUES ('a1', 'h', 'Flood', 'The river burst its banks.', 1)"
    )
    connection.execute("INSERT INTO stories(id, key, title, articles) VALUES ('s1', 'a1', 'Flood', 1)")
    connection.execute("INSERT INTO story_articles VALUES ('s1', 'a1')")
    connection.execute("INSERT INTO digests(story_id, articles_hash, digest) VALUES ('s1', 'old', '{}')")
    connection.close()
    with Store(path) as store:
        assert store.connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
        assert [s.id for s in store.stories(q="river")] == ["s1"]  # the search table was filled from old rows
        assert store.report_html("s1") is None  # v3 added the rendered report, empty for old digests
        assert store.stale_story_ids() == ["s1"]  # its digest was made from other articles


def test_a_file_that_is_not_a_store_is_one_clear_error(tmp_path):
    bad = tmp_path / "notes.sqlite"
    bad.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(NewsdigestError, match="notes.sqlite: not a usable newsdigest store"):
        Store(bad)


def test_a_store_that_refuses_a_write_is_one_line_naming_it(tmp_path, monkeypatch):
    """A read-only file opens, then refuses the first write (root ignores file modes, so the refusal is made here)."""
    from typer.testing import CliRunner

    from newsdigest.apps.cli import app

    from .conftest import EXAMPLE

    def refuse(self, documents, **options):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(Store, "add_documents", refuse)
    path = tmp_path / "desk.sqlite"
    result = CliRunner().invoke(app, ["stories", str(EXAMPLE), "--db", str(path), "--no-digest"])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"newsdigest: error: {path}: cannot update the store (attempt to write a readonly database)"
    )
    assert "Traceback" not in result.stderr


def test_stream_furniture_is_kept_current_in_the_store_and_never_reaches_a_stored_digest(tmp_path, digested):
    from newsdigest.ingest.furniture import normalize_sentence


    from .test_stories_furniture import stream

    chrome = "Get our free mobile app for breaking news alerts on the go."
    documents = stream(chrome)  # three unrelated stories, the same chrome glued to every article
    by_story = [documents[0:2], documents[2:4], documents[4:6]]
    path = tmp_path / "desk.sqlite"
    with Store(path) as store:
        store.add_documents(by_story[0] + by_story[1], words=200)
        assert store.furniture() == frozenset()  # two stories: not yet furniture
        earlier = {s.id for s in store.stories()}
    digested.clear()
    with Store(path) as store:  # a later run brings a third story with the same chrome
        store.add_documents(by_story[2], words=200)
        assert store.furniture() == {normalize_sentence(chrome)}
        stories = store.stories()
        assert len(stories) == 3
        assert set(digested) == {s.id for s in stories} > earlier  # the earlier stories were digested again
        assert store.stale_story_ids() == []  # the stories of the earlier run were digested again
        for story in stories:
            for article in story.articles:
                assert "mobile app" not in article.text and article.text.endswith(".")
                assert "mobile app" not in store.article(article.id).text
            digest = store.digest(story.id)
            assert digest.sentences
            texts = {a.id: a.text for a in story.articles}
            for item in digest.sentences:
                assert "mobile app" not in item.sentence.text
                assert texts[item.sentence.doc_id][item.sentence.start : item.sentence.end] == item.sentence.text


def test_a_store_from_before_furniture_counts_its_stored_articles(tmp_path):
    from newsdigest.ingest.furniture import normalize_sentence

    chrome = "Readers of the Harbour Gazette archive can browse every edition since 1952."
    path = tmp_path / "old.sqlite"
    connection = sqlite3.connect(path, isolation_level=None)
    assert migrate(connection, target=3) == 3
    for n, news in enumerate(["The river burst its banks.", "The bank raised rates.", "The council built a bridge."]):
        connection.execute(
            "INSERT INTO articles(id, content_hash, title, text, added) VALUES (?, ?, '', ?, ?)",
            (f"a{n}", f"h{n}", f"{news} {chrome}", n),
        )
        connection.execute("INSERT INTO stories(id, key) VALUES (?, ?)", (f"s{n}", f"a{n}"))
        connection.execute("INSERT INTO story_articles VALUES (?, ?)", (f"s{n}", f"a{n}"))
    connection.close()
    with Store(path) as store:
        assert store.furniture() == {normalize_sentence(chrome)}
        assert store.story("s0").articles[0].text == "The river burst its banks."
