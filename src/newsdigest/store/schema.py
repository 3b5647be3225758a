"""The store's SQLite schema, as numbered migrations.

``PRAGMA user_version`` holds the number of migrations applied; opening a store
applies the missing ones in order, each in one transaction, so a store written
by an older newsdigest is brought up to date in place. Add a migration at the
end of :data:`MIGRATIONS`; never edit one that has shipped.
"""

from __future__ import annotations

import sqlite3

V1_TABLES = """
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    date TEXT,
    path TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    added INTEGER NOT NULL
);
CREATE INDEX articles_date ON articles(date);
-- Another outlet's copy of an article: listed with it, never a source of its own.
CREATE TABLE copies (
    id TEXT PRIMARY KEY,
    original_id TEXT NOT NULL REFERENCES articles(id),
    content_hash TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    date TEXT
);
CREATE INDEX copies_original ON copies(original_id);
CREATE INDEX copies_hash ON copies(content_hash);
CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,            -- id of the story's first article: the grouper's name for it
    title TEXT NOT NULL DEFAULT '',
    sources INTEGER NOT NULL DEFAULT 0,  -- distinct sources, copies not counted
    articles INTEGER NOT NULL DEFAULT 0,
    start TEXT,
    end TEXT,
    is_open INTEGER NOT NULL DEFAULT 1,
    updated INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX stories_rank ON stories(sources DESC, end DESC);
CREATE TABLE story_articles (
    story_id TEXT NOT NULL REFERENCES stories(id),
    article_id TEXT NOT NULL UNIQUE REFERENCES articles(id),
    PRIMARY KEY (story_id, article_id)
);
-- A digest is reused while its story keeps the same articles (articles_hash).
CREATE TABLE digests (
    story_id TEXT PRIMARY KEY REFERENCES stories(id),
    articles_hash TEXT NOT NULL,
    digest TEXT NOT NULL
);
-- The grouping state (open story centroids, document frequencies) between runs.
CREATE TABLE grouping_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    state TEXT NOT NULL
);
"""

V2_SEARCH = """
CREATE VIRTUAL TABLE articles_fts USING fts5(article_id UNINDEXED, title, text);
INSERT INTO articles_fts(article_id, title, text) SELECT id, title, text FROM articles;
"""

# The story page's report, rendered (and escaped) when its digest is stored: the
# web desk serves it as it is instead of running the analysis per request.
V3_REPORT = """
ALTER TABLE digests ADD COLUMN report_html TEXT;
"""

# Page furniture found in the stream, kept current run after run (issue 14): each story's normalised
# sentences, hashed, so a sentence found in MIN_STORIES unrelated stories becomes furniture, and the
# furniture found so far, dropped from every article a reader gets. Articles stored before this
# migration are indexed by the Store when it opens the file.
V4_FURNITURE = """
CREATE TABLE story_sentences (
    sentence_hash TEXT NOT NULL,
    story_id TEXT NOT NULL REFERENCES stories(id),
    PRIMARY KEY (sentence_hash, story_id)
) WITHOUT ROWID;
CREATE TABLE furniture (sentence TEXT PRIMARY KEY);
"""

MIGRATIONS: list[str] = [V1_TABLES, V2_SEARCH, V3_REPORT, V4_FURNITURE]
FURNITURE_VERSION = 4
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(connection: sqlite3.Connection) -> int:
    return connection.execute("PRAGMA user_version").fetchone()[0]


def migrate(connection: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Apply the missing migrations up to ``target``; returns the version reached."""
    version = schema_version(connection)
    if version > SCHEMA_VERSION:
        raise ValueError(f"the store has schema version {version}, newer than this newsdigest ({SCHEMA_VERSION})")
    for number in range(version, target):
        # executescript commits first; BEGIN/COMMIT make each migration all or nothing.
        connection.executescript(f"BEGIN;\n{MIGRATIONS[number]}\nPRAGMA user_version = {number + 1};\nCOMMIT;")
    return schema_version(connection)
