"""The desk service: the story store, one writer, and background re-digesting.

The web app calls only this class. Every write to SQLite goes through one
lock (SQLite allows one writer; WAL lets readers go on meanwhile), so
concurrent posts queue instead of failing with "database is locked". A new
article marks its story stale; one background thread re-digests stale
stories and stores each new digest in a single transaction, so a reader
always gets a complete digest: the previous one until the new one is ready.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Iterable, Sequence

from newsdigest.errors import NewsdigestError
from newsdigest.model import Digest, Document, Problem, Story

log = logging.getLogger(__name__)


class Desk:
    """Articles in, stories with digests out, over one SQLite store.

    ``db_path``: the store (created when missing). ``words``: the digest
    budget (default: the summarizer's own, by input length).
    ``allow_private_urls``: let feeds point at private or loopback hosts.
    ``analysis``: compute the cross-source analysis with each digest.
    """

    def __init__(
        self,
        db_path: str,
        *,
        words: int | None = None,
        allow_private_urls: bool = False,
        analysis: bool = True,
    ) -> None:
        from newsdigest.store import Store

        self.db_path = str(db_path)
        self.words = words
        self.allow_private_urls = allow_private_urls
        self.analysis = analysis
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._writer = Store(self.db_path)
        self._stale: queue.Queue[str | None] = queue.Queue()
        self._queued: set[str] = set()
        self._queued_lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()
        self._worker = threading.Thread(target=self._digest_loop, name="newsdigest-digester", daemon=True)
        self._worker.start()
        self._feeds: dict[str, float] = {}
        for story_id in self._writer.stories_without_fresh_digest():
            self._schedule(story_id)

    # --- reading ---------------------------------------------------------------------

    @property
    def store(self):
        """A read connection for this thread (WAL: readers never wait for the writer)."""
        store = getattr(self._local, "store", None)
        if store is None:
            from newsdigest.store import Store

            store = self._local.store = Store(self.db_path, readonly=True)
        return store

    def stories(self, *, limit: int = 50, offset: int = 0, q: str | None = None, since=None, order: str = "covered"):
        return self.store.stories(limit=limit, offset=offset, query=q, since=since, order=order)

    def story(self, story_id: str) -> Story | None:
        return self.store.story(story_id)

    def digest(self, story_id: str) -> dict | None:
        """The newest complete digest JSON of a story (with ``analysis`` when computed), or None."""
        return self.store.digest(story_id)

    def is_pending(self, story_id: str) -> bool:
        with self._queued_lock:
            return story_id in self._queued

    def article(self, article_id: str) -> tuple[Document, str | None] | None:
        return self.store.article(article_id)

    def counts(self) -> dict[str, int]:
        return self.store.counts()

    # --- writing ---------------------------------------------------------------------

    def add_documents(self, documents: Sequence[Document]) -> list[tuple[str, str]]:
        """Store articles, assign them to stories; returns (article id, story id) for each."""
        with self._write_lock:
            assigned = self._writer.add_documents(documents)
        for story_id in dict.fromkeys(story for _, story in assigned):
            self._schedule(story_id)
        return assigned

    def add_feed(self, url: str) -> tuple[list[tuple[str, str]], list[Problem]]:
        """Fetch a feed now (and keep it for polling); its new entries join stories."""
        from newsdigest.ingest import load_documents

        documents, problems = load_documents([url], allow_private_urls=self.allow_private_urls)
        self._feeds.setdefault(url, 0.0)
        return (self.add_documents(documents) if documents else []), problems

    def poll_feeds(self) -> list[Problem]:
        problems: list[Problem] = []
        for url in list(self._feeds):
            try:
                _, found = self.add_feed(url)
            except NewsdigestError as exc:  # a feed that fails is reported, the others go on
                found = [Problem(url, str(exc))]
            problems.extend(found)
        return problems

    @property
    def feeds(self) -> list[str]:
        return list(self._feeds)

    # --- background digests ------------------------------------------------------------

    def _schedule(self, story_id: str) -> None:
        with self._queued_lock:
            if story_id in self._queued:
                return
            self._queued.add(story_id)
            self._idle.clear()
        self._stale.put(story_id)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until every scheduled digest is stored (tests, shutdown)."""
        return self._idle.wait(timeout)

    def close(self) -> None:
        self._stale.put(None)
        self._worker.join(timeout=30)

    def _digest_loop(self) -> None:
        from newsdigest.store import Store

        reader = Store(self.db_path, readonly=True)
        while True:
            story_id = self._stale.get()
            if story_id is None:
                return
            with self._queued_lock:
                self._queued.discard(story_id)
            try:
                self._digest_story(reader, story_id)
            except Exception:  # noqa: BLE001 - one bad story must not stop the desk
                log.exception("digest of story %s failed", story_id)
            with self._queued_lock:
                if not self._queued:
                    self._idle.set()

    def _digest_story(self, reader, story_id: str) -> None:
        from newsdigest.pipeline import summarize_documents
        from newsdigest.render.digest_json import digest_to_dict

        story = reader.story(story_id)
        if story is None:
            return
        key = reader.content_key(story_id)
        try:
            digest: Digest = summarize_documents(story.documents, words=self.words)
        except NewsdigestError as exc:
            payload = {"error": str(exc)}
        else:
            if self.analysis:
                from newsdigest.analyze import analyze_documents

                digest.analysis = analyze_documents(digest.documents, digest=digest)
            payload = digest_to_dict(digest)
        with self._write_lock:
            self._writer.save_digest(story_id, payload, key)


def documents_from_objects(objects: Iterable[dict]) -> tuple[list[Document], list[Problem]]:
    """Articles posted as JSON objects -> documents, and a problem for each refused one."""
    from newsdigest.ingest.records import document_from_record

    documents: list[Document] = []
    problems: list[Problem] = []
    for number, obj in enumerate(objects, start=1):
        result = document_from_record(obj, path=f"article {number}", default_id=None)
        if isinstance(result, Problem):
            problems.append(result)
        else:
            documents.append(result)
    return documents, problems
