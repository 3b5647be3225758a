"""Articles, stories and digests kept in SQLite, added to run after run.

::

    with Store("desk.sqlite") as store:
        store.add_documents(documents)          # [(article id, story id), ...] for the new ones
        for story in store.stories(limit=20, q="defection"):
            print(story.title, store.digest(story.id).text)

Adding articles goes on from where the last run stopped: the grouping state
(open story centroids, document frequencies) is kept in the store, so new
articles join the stories still open. An article is never stored twice: an id
already known is skipped, and the same text under another id becomes a copy of
the stored article (as does a near-copy, see :mod:`newsdigest.stories.copies`).
Only stories whose set of articles changed are digested again. Running the same
input twice adds nothing. WAL mode lets a web desk read while a run writes.

Page furniture is kept current over the stream (issue 14): the store counts in
how many stories each sentence occurs, and a sentence printed under articles of
``MIN_STORIES`` unrelated stories (:mod:`newsdigest.ingest.furniture`) is
dropped from every article it hands out (:meth:`Store.story`,
:meth:`Store.article`), so digests made from them never quote it; the stories
holding a sentence newly found to be furniture are digested again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from collections.abc import Sequence
from dataclasses import replace

from newsdigest.errors import NewsdigestError
from newsdigest.model import Copy, Digest, Document, Story
from newsdigest.store.schema import FURNITURE_VERSION, migrate, schema_version
from newsdigest.stories.furniture import without_furniture


_ORDERS = {
    "covered": "sources DESC, end IS NULL, end DESC, articles DESC, id",
    "newest": "end IS NULL, end DESC, updated DESC, id",
}


def content_hash(text: str) -> str:
    """The same text, whatever its spacing or case, hashes the same."""
    return hashlib.sha1(" ".join(text.split()).casefold().encode("utf-8")).hexdigest()


def _iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


class Store:
    """A newsdigest store in one SQLite file (created when absent)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self._grouping_cache = None  # (data_version, grouper, copy finder, copy options) after this connection's last run
        try:
            self.connection = sqlite3.connect(self.path, isolation_level=None)
            self.connection.row_factory = sqlite3.Row
            self.connection.execute("PRAGMA journal_mode=WAL")
            self.connection.execute("PRAGMA foreign_keys=ON")
            before = schema_version(self.connection)
            migrate(self.connection)
            if 0 < before < FURNITURE_VERSION:
                self._index_stored_sentences()
        except (sqlite3.DatabaseError, ValueError) as error:
            raise NewsdigestError(f"{self.path}: not a usable newsdigest store ({error})") from None

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- adding ---------------------------------------------------------------

    def add_documents(
        self,
        documents: Sequence[Document],
        *,
        digest: bool = True,
        words: int | None = None,
        options=None,
        copy_options=None,
    ) -> list[tuple[str, str]]:
        """Store the new articles and put each in a story; returns (article id, story id) of each new one.

        ``digest``: digest again the stories that changed. ``options`` (a
        :class:`~newsdigest.stories.GroupingOptions`) applies to a new store;
        an existing one goes on with the options it was started with.
        """
        from newsdigest.stories import CopyFinder, StoryGrouper, stream_order, story_id

        db = self.connection
        db.execute("BEGIN IMMEDIATE")
        try:
            # The grouper and copy index this connection left after its last run are
            # still right when no other connection has written since (data_version):
            # a long-running writer (the web desk) then skips rebuilding them per call.
            version = db.execute("PRAGMA data_version").fetchone()[0]
            cached = self._grouping_cache
            self._grouping_cache = None  # rebuilt below unless this run commits
            if cached is not None and cached[0] == version and cached[3] == copy_options:
                grouper, finder = cached[1], cached[2]
                new_store = False
            else:
                row = db.execute("SELECT state FROM grouping_state WHERE id = 1").fetchone()
                new_store = row is None
                grouper = StoryGrouper.from_state(json.loads(row["state"])) if row else StoryGrouper(options)
                finder = CopyFinder(copy_options)
                for recent in self._recent_originals(grouper.clock, finder.options.window_days, finder.options.max_entries):
                    finder.add(recent)
            added: list[tuple[str, str]] = []
            changed: set[str] = set()
            sentences: dict[str, str] = {}  # hash -> normalised sentence, of the new articles
            seen_ids: set[str] = set()
            next_number = db.execute("SELECT COALESCE(MAX(added), 0) + 1 FROM articles").fetchone()[0]
            order = stream_order(list(documents))
            if new_store:  # its first articles warm the IDF up, as in detect_stories
                grouper.prime(documents[i] for i in order[: grouper.options.warmup] if not self._known_id(documents[i].id))
            for index in order:
                doc = documents[index]
                if doc.id in seen_ids or self._known_id(doc.id):
                    continue
                seen_ids.add(doc.id)
                digest_of_text = content_hash(doc.text)
                same = db.execute("SELECT id FROM articles WHERE content_hash = ?", (digest_of_text,)).fetchone()
                original = same["id"] if same else finder.add(doc)
                if original is not None:
                    story = self.story_of(original)
                    db.execute(
                        "INSERT INTO copies(id, original_id, content_hash, source, title, url, date) VALUES (?,?,?,?,?,?,?)",
                        (doc.id, original, digest_of_text, doc.source, doc.title, doc.url, _iso(doc.date)),
                    )
                else:
                    key = grouper.add(doc)
                    story = story_id(key)
                    db.execute(
                        "INSERT INTO articles(id, content_hash, source, title, url, date, path, text, added)"
                        " VALUES (?,?,?,?,?,?,?,?,?)",
                        (doc.id, digest_of_text, doc.source, doc.title, doc.url, _iso(doc.date), doc.path, doc.text, next_number),
                    )
                    db.execute("INSERT INTO articles_fts(article_id, title, text) VALUES (?,?,?)", (doc.id, doc.title, doc.text))
                    db.execute("INSERT OR IGNORE INTO stories(id, key) VALUES (?, ?)", (story, key))
                    db.execute("INSERT INTO story_articles(story_id, article_id) VALUES (?, ?)", (story, doc.id))
                    sentences.update(self._count_sentences(story, doc.text))
                    next_number += 1
                changed.add(story)
                added.append((doc.id, story))
            changed |= self._find_furniture(sentences)
            for story in changed:
                self._refresh_story(story, next_number)
            self._mark_open(grouper)
            db.execute(
                "INSERT INTO grouping_state(id, state) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET state = excluded.state",
                (json.dumps(grouper.state()),),
            )
            if digest:
                # Changed stories, and any left without a digest by a run with digest=False.
                missing = db.execute("SELECT id FROM stories WHERE id NOT IN (SELECT story_id FROM digests)").fetchall()
                self._digest(sorted(changed | {row["id"] for row in missing}), words)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self._grouping_cache = (db.execute("PRAGMA data_version").fetchone()[0], grouper, finder, copy_options)
        return added

    def _count_sentences(self, story: str, text: str) -> dict[str, str]:
        """Count ``text``'s sentences as seen in ``story``; returns them by hash."""
        from newsdigest.ingest.furniture import sentence_keys

        hashed = {_sentence_hash(key): key for key in sentence_keys(text)}
        self.connection.executemany(
            "INSERT OR IGNORE INTO story_sentences(sentence_hash, story_id) VALUES (?, ?)", [(h, story) for h in hashed]
        )
        return hashed

    def _find_furniture(self, sentences: dict[str, str]) -> set[str]:
        """Record which of ``sentences`` (hash -> normalised) are now in MIN_STORIES stories; returns the
        stories holding a sentence newly found, whose digests are dropped so they are made again."""
        from newsdigest.ingest.furniture import MIN_STORIES

        db = self.connection
        known = self.furniture()
        affected: set[str] = set()
        for digest_of_sentence, sentence in sentences.items():
            if sentence in known:
                continue
            stories = [r[0] for r in db.execute("SELECT story_id FROM story_sentences WHERE sentence_hash = ?", (digest_of_sentence,))]
            if len(stories) >= MIN_STORIES:
                db.execute("INSERT OR IGNORE INTO furniture(sentence) VALUES (?)", (sentence,))
                affected.update(stories)
        if affected:
            db.executemany("DELETE FROM digests WHERE story_id = ?", [(sid,) for sid in sorted(affected)])
        return affected

    def _index_stored_sentences(self) -> None:
        """Count the sentences of articles stored before the store kept furniture (an older schema)."""
        db = self.connection
        db.execute("BEGIN IMMEDIATE")
        try:
            sentences: dict[str, str] = {}
            rows = db.execute("SELECT m.story_id, a.text FROM articles a JOIN story_articles m ON m.article_id = a.id")
            for row in rows.fetchall():
                sentences.update(self._count_sentences(row["story_id"], row["text"]))
            self._find_furniture(sentences)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def furniture(self) -> frozenset[str]:
        """The sentences (normalised) found in articles of ``MIN_STORIES`` or more stories: page furniture."""
        return frozenset(r[0] for r in self.connection.execute("SELECT sentence FROM furniture"))

    def _known_id(self, article_id: str) -> bool:
        db = self.connection
        return bool(
            db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
            or db.execute("SELECT 1 FROM copies WHERE id = ?", (article_id,)).fetchone()
        )

    def story_of(self, article_id: str) -> str | None:
        """The id of the story an article (or a copy of one) belongs to."""
        db = self.connection
        copy = db.execute("SELECT original_id FROM copies WHERE id = ?", (article_id,)).fetchone()
        row = db.execute(
            "SELECT story_id FROM story_articles WHERE article_id = ?", (copy["original_id"] if copy else article_id,)
        ).fetchone()
        return row["story_id"] if row else None

    def _recent_originals(self, clock: dt.date | None, days: int, limit: int) -> list[Document]:
        """Stored articles recent enough for a new article to copy them (copies are found in a window)."""
        if clock is None:
            query, args = "SELECT * FROM articles WHERE date IS NULL ORDER BY added DESC LIMIT ?", (limit,)
        else:
            since = _iso(clock - dt.timedelta(days=days))
            query, args = "SELECT * FROM articles WHERE date >= ? OR date IS NULL ORDER BY added DESC LIMIT ?", (since, limit)
        rows = self.connection.execute(query, args).fetchall()
        documents = [self._document(row, ()) for row in reversed(rows)]
        return [documents[i] for i in _stream_order(documents)]

    def _refresh_story(self, story: str, number: int) -> None:
        from newsdigest.stories import story_title

        built = self.story(story)
        self.connection.execute(
            "UPDATE stories SET title = ?, sources = ?, articles = ?, start = ?, end = ?, updated = ? WHERE id = ?",
            (story_title(built.articles), len(built.sources), len(built.articles), _iso(built.start), _iso(built.end), number, story),
        )

    def _mark_open(self, grouper) -> None:
        db = self.connection
        rows = db.execute("SELECT id, key FROM stories WHERE is_open = 1").fetchall()
        closed = [(row["id"],) for row in rows if not grouper.is_open(row["key"])]
        db.executemany("UPDATE stories SET is_open = 0 WHERE id = ?", closed)

    def _digest(self, story_ids: list[str], words: int | None) -> None:
        from newsdigest.pipeline import summarize_stories

        db = self.connection
        todo = []
        for sid in story_ids:
            story = self.story(sid)
            fingerprint = articles_hash(story)
            row = db.execute("SELECT articles_hash FROM digests WHERE story_id = ?", (sid,)).fetchone()
            if row is None or row["articles_hash"] != fingerprint:
                todo.append((story, fingerprint))
        digests, _ = summarize_stories([s for s, _ in todo], words=words)
        for story, fingerprint in todo:
            digest = digests.get(story.id)
            if digest is not None:
                self._write_digest(story.id, digest, fingerprint, None)

    def save_digest(self, story_id: str, digest: Digest, fingerprint: str, report_html: str | None = None) -> None:
        """Store a digest made elsewhere (the web desk digests in the background).

        ``fingerprint`` is :func:`articles_hash` of the story the digest was made
        from; one statement replaces the old digest, so readers see the old one or
        the new one, never half of either.
        """
        self._write_digest(story_id, digest, fingerprint, report_html)

    def _write_digest(self, story_id: str, digest: Digest, fingerprint: str, report_html: str | None) -> None:
        self.connection.execute(
            "INSERT INTO digests(story_id, articles_hash, digest, report_html) VALUES (?,?,?,?)"
            " ON CONFLICT(story_id) DO UPDATE SET articles_hash = excluded.articles_hash, digest = excluded.digest,"
            " report_html = excluded.report_html",
            (story_id, fingerprint, json.dumps(digest.to_dict(), ensure_ascii=False), report_html),
        )

    def stale_story_ids(self) -> list[str]:
        """Stories whose digest is missing or was made from another set of articles."""
        db = self.connection
        members: dict[str, list[str]] = {}
        for r in db.execute("SELECT story_id, article_id FROM story_articles"):  # ids only, not the texts
            members.setdefault(r["story_id"], []).append(r["article_id"])
        rows = db.execute(
            "SELECT s.id, d.articles_hash FROM stories s LEFT JOIN digests d ON d.story_id = s.id ORDER BY s.id"
        ).fetchall()
        return [r["id"] for r in rows if r["articles_hash"] != _ids_hash(members.get(r["id"], ()))]

    # --- reading --------------------------------------------------------------

    def _document(self, row: sqlite3.Row, copies: tuple[Copy, ...]) -> Document:
        return Document(
            id=row["id"], text=row["text"], title=row["title"], source=row["source"], url=row["url"],
            date=_date(row["date"]), path=row["path"], copies=copies,
        )

    def _copies(self, article_id: str) -> tuple[Copy, ...]:
        rows = self.connection.execute(
            "SELECT * FROM copies WHERE original_id = ? ORDER BY date IS NULL, date, id", (article_id,)
        ).fetchall()
        return tuple(map(_copy, rows))

    def article(self, article_id: str) -> Document | None:
        """A stored article with its copies (an id of a copy gives the article it copies)."""
        db = self.connection
        row = db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            copy = db.execute("SELECT original_id FROM copies WHERE id = ?", (article_id,)).fetchone()
            if copy is None:
                return None
            row = db.execute("SELECT * FROM articles WHERE id = ?", (copy["original_id"],)).fetchone()
        article = self._document(row, self._copies(row["id"]))
        furniture = self.furniture()
        if not furniture:
            return article
        from newsdigest.ingest.furniture import drop_furniture_sentences

        return replace(article, text=drop_furniture_sentences(article.text, furniture))

    def story(self, story_id: str) -> Story | None:
        return self._story(story_id, self.furniture())

    def _story(self, story_id: str, furniture: frozenset[str]) -> Story | None:
        """The stored story with ``furniture`` dropped from its articles (read once by a caller of many)."""
        db = self.connection
        head = db.execute("SELECT title FROM stories WHERE id = ?", (story_id,)).fetchone()
        if head is None:
            return None
        rows = db.execute(
            "SELECT a.* FROM articles a JOIN story_articles m ON m.article_id = a.id WHERE m.story_id = ?", (story_id,)
        ).fetchall()
        copies: dict[str, list[Copy]] = {}
        for r in db.execute(  # every copy of the story's articles in one query, not one per article
            "SELECT c.* FROM copies c JOIN story_articles m ON m.article_id = c.original_id WHERE m.story_id = ?"
            " ORDER BY c.date IS NULL, c.date, c.id",
            (story_id,),
        ):
            copies.setdefault(r["original_id"], []).append(_copy(r))
        articles = [self._document(r, tuple(copies.get(r["id"], ()))) for r in rows]
        articles = [articles[i] for i in _stream_order(articles)]
        story = Story(id=story_id, articles=tuple(articles), title=head["title"])
        return without_furniture([story], furniture)[0]

    def stories(
        self,
        limit: int | None = None,
        offset: int = 0,
        q: str | None = None,
        since: dt.date | None = None,
        order: str = "covered",
    ) -> list[Story]:
        """Stories, ``q`` full-text search, ``since`` last article date.

        ``order``: "covered" ranks by distinct sources, then recency; "newest" by
        the last article's date, then by when the story last grew.
        """
        if order not in _ORDERS:
            raise NewsdigestError(f"unknown order {order!r} (known: {', '.join(_ORDERS)})")
        where, args = [], []
        if q:
            where.append(
                "id IN (SELECT m.story_id FROM story_articles m JOIN articles_fts f ON f.article_id = m.article_id"
                " WHERE articles_fts MATCH ?)"
            )
            args.append(_fts_query(q))
        if since:
            where.append("end >= ?")
            args.append(since.isoformat())
        sql = "SELECT id FROM stories" + (" WHERE " + " AND ".join(where) if where else "")
        sql += f" ORDER BY {_ORDERS[order]} LIMIT ? OFFSET ?"
        args += [-1 if limit is None else limit, offset]
        furniture = self.furniture()
        return [self._story(row["id"], furniture) for row in self.connection.execute(sql, args).fetchall()]

    def digest(self, story_id: str) -> Digest | None:
        row = self.connection.execute("SELECT digest FROM digests WHERE story_id = ?", (story_id,)).fetchone()
        return Digest.from_dict(json.loads(row["digest"])) if row else None

    def digest_lead(self, story_id: str) -> str | None:
        """The first sentence of the story's digest, read without loading the whole digest (story lists)."""
        row = self.connection.execute(
            "SELECT json_extract(digest, '$.sentences[0].sentence.text') AS lead FROM digests WHERE story_id = ?",
            (story_id,),
        ).fetchone()
        return row["lead"] if row else None

    def report_html(self, story_id: str) -> str | None:
        """The story's report sections as stored with its digest (None when none was rendered)."""
        row = self.connection.execute("SELECT report_html FROM digests WHERE story_id = ?", (story_id,)).fetchone()
        return row["report_html"] if row else None

    def count_stories(self) -> int:
        return self.connection.execute("SELECT COUNT(*) FROM stories").fetchone()[0]

    def count_articles(self) -> int:
        return self.connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0]


def _sentence_hash(sentence: str) -> str:
    return hashlib.sha1(sentence.encode("utf-8")).hexdigest()[:16]


def _copy(row: sqlite3.Row) -> Copy:
    return Copy(row["id"], row["source"], row["title"], row["url"], _date(row["date"]))


def _stream_order(documents: list[Document]) -> list[int]:
    from newsdigest.stories import stream_order

    return stream_order(documents)


def articles_hash(story: Story) -> str:
    """A story's set of articles as one value: a stored digest is current while it matches."""
    return _ids_hash(a.id for a in story.articles)


def _ids_hash(article_ids) -> str:
    return hashlib.sha1("\n".join(sorted(article_ids)).encode("utf-8")).hexdigest()


def _fts_query(text: str) -> str:
    """User words as FTS5 phrases: no operator or quote in a query can break the syntax."""
    terms = ['"' + word.replace('"', '""') + '"' for word in text.split()]
    return " ".join(terms) if terms else '""'
