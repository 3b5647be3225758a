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
import os
import queue
import threading
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor

from newsdigest.errors import NewsdigestError
from newsdigest.model import Document, Problem, Story

log = logging.getLogger(__name__)


class Desk:
    """Articles in, stories with digests out, over one SQLite store.

    ``db_path``: the store (created when missing). ``words``: the digest
    budget (default: by input length, as ``summarize``). ``allow_private_urls``:
    let feeds point at private or loopback hosts. ``analysis``: compute the
    cross-source analysis with each digest (the story page shows it).
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
        # The one writer: every write runs on this thread, with its own connection.
        self._writer_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsdigest-writer")
        self._writer = self._write(Store, self.db_path)
        self._stale: queue.Queue[str | None] = queue.Queue()
        self._queued: set[str] = set()
        self._queued_lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()
        self._feeds: dict[str, None] = {}
        self._pool = None  # the digest process, started on first use
        self._closing = False
        self._worker = threading.Thread(target=self._digest_loop, name="newsdigest-digester", daemon=True)
        self._worker.start()
        for story_id in self._write(lambda: self._writer.stale_story_ids()):
            self._schedule(story_id)

    def _write(self, function, *args, **kwargs):
        return self._writer_thread.submit(function, *args, **kwargs).result()

    # --- reading ---------------------------------------------------------------------

    @property
    def store(self):
        """This thread's read connection (WAL: readers never wait for the writer)."""
        store = getattr(self._local, "store", None)
        if store is None:
            from newsdigest.store import Store

            store = self._local.store = Store(self.db_path)
        return store

    def stories(self, *, limit: int = 50, offset: int = 0, q: str | None = None, since=None, order: str = "covered"):
        return self.store.stories(limit=limit, offset=offset, q=q, since=since, order=order)

    def story(self, story_id: str) -> Story | None:
        return self.store.story(story_id)

    def digest(self, story_id: str) -> dict | None:
        """The newest complete digest of a story as the summarize JSON (with ``analysis``), or None."""
        from newsdigest.render.digest_json import digest_to_dict

        digest = self.store.digest(story_id)
        return digest_to_dict(digest) if digest is not None else None

    def digest_lead(self, story_id: str) -> str | None:
        return self.store.digest_lead(story_id)

    def report_html(self, story_id: str) -> str | None:
        """The story's report sections, rendered (escaped) when its digest was stored."""
        return self.store.report_html(story_id)

    def is_pending(self, story_id: str) -> bool:
        with self._queued_lock:
            return story_id in self._queued

    def article(self, article_id: str) -> tuple[Document, str | None] | None:
        document = self.store.article(article_id)
        if document is None:
            return None
        return document, self.store.story_of(document.id)

    def counts(self) -> dict[str, int]:
        return {"stories": self.store.count_stories(), "articles": self.store.count_articles()}

    # --- writing ---------------------------------------------------------------------

    def add_documents(self, documents: Sequence[Document]) -> list[tuple[str, str]]:
        """Store articles and assign them to stories: (article id, story id) for each, new or already stored."""

        def add() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
            added = self._writer.add_documents(documents, digest=False)
            new = dict(added)
            known = [(d.id, self._writer.story_of(d.id)) for d in documents if d.id not in new]
            return added, [(a, s) for a, s in known if s is not None]

        added, known = self._write(add)
        for story_id in dict.fromkeys(story for _, story in added):
            self._schedule(story_id)
        return added + known

    def add_feed(self, url: str) -> tuple[list[tuple[str, str]], list[Problem]]:
        """Fetch a feed (or an OPML list) now and keep polling it; its new entries join stories."""
        from newsdigest.ingest import load_documents

        documents, problems = load_documents([url], allow_private_urls=self.allow_private_urls)
        if documents or not any(p.fatal for p in problems):
            self._feeds.setdefault(url, None)
        return (self.add_documents(documents) if documents else []), problems

    def poll_feeds(self) -> list[Problem]:
        problems: list[Problem] = []
        for url in list(self._feeds):
            problems.extend(self.add_feed(url)[1])
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
        """Stop digesting (stories still waiting keep their previous digest; a restart finds them stale)."""
        self._closing = True
        self._stale.put(None)
        self._worker.join(timeout=60)
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
        self._write(self._writer.close)
        self._writer_thread.shutdown()

    def _digest_loop(self) -> None:
        while True:
            story_id = self._stale.get()
            if story_id is None:
                return
            with self._queued_lock:
                self._queued.discard(story_id)
            if self._closing:
                continue
            try:
                self._digest_story(story_id)
            except Exception:  # noqa: BLE001 - one bad story must not stop the desk
                log.exception("digest of story %s failed", story_id)
            with self._queued_lock:
                if not self._queued:
                    self._idle.set()

    def _digest_story(self, story_id: str) -> None:
        from newsdigest.model import Digest
        from newsdigest.store import articles_hash

        story = self.store.story(story_id)
        if story is None:
            return
        fingerprint = articles_hash(story)
        # In another process: the analysis (spaCy) holds the interpreter for
        # seconds, and requests must not wait behind it.
        made = self._digester().submit(digest_story, story.to_dict(), self.words, self.analysis).result()
        if made is None:
            return
        digest_data, html = made
        digest = Digest.from_dict(digest_data)
        self._write(lambda: self._writer.save_digest(story_id, digest, fingerprint, report_html=html))

    def _digester(self):
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # spawn, not fork: this process runs threads, and a forked child could inherit a held lock.
            self._pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=exit_with_parent,
                initargs=(os.getpid(),),
            )
        return self._pool


def exit_with_parent(parent: int) -> None:
    """In the digest process: end when the desk's process is gone (killed, not closed), never linger."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, name="newsdigest-parent-watch", daemon=True).start()


def digest_story(story_data: dict, words: int | None, analysis: bool) -> tuple[dict, str | None] | None:
    """A story's digest (and its rendered report sections) as plain data; runs in the digest process."""
    from newsdigest.pipeline import summarize_documents

    story = Story.from_dict(story_data)
    try:
        digest = summarize_documents(story.documents, words=words)
    except NewsdigestError as exc:
        log.warning("story %s: %s", story.id, exc)
        return None
    html = None
    if analysis:
        from newsdigest.analyze import analyze_documents
        from newsdigest.render.analysis_html import render_report_sections

        digest.analysis = analyze_documents(digest.documents, digest=digest)
        html = render_report_sections(digest.analysis, digest=digest)
    return digest.to_dict(), html


def documents_from_objects(objects: Iterable[dict]) -> tuple[list[Document], list[Problem]]:
    """Articles posted as JSON objects -> documents, and a problem for each refused one.

    An article without an id gets one from its content, so posting it again
    (or the same text under no id) adds nothing.
    """
    import hashlib

    from newsdigest.ingest.decode import surrogates_replaced, without_lone_surrogates
    from newsdigest.ingest.jsonl import article_from_record

    documents: list[Document] = []
    problems: list[Problem] = []
    for number, obj in enumerate(objects, start=1):
        where = f"article {number}"
        obj, replaced = without_lone_surrogates(obj)
        if replaced:
            problems.append(Problem(where, surrogates_replaced(replaced), fatal=False))
        body = obj.get("text") if obj.get("text") is not None else obj.get("html")
        if not isinstance(body, str) or not body.strip():
            problems.append(Problem(where, 'needs a non-empty "text" (or "html")'))
            continue
        record_id = obj.get("id") or "article-" + hashlib.sha1(body.encode("utf-8")).hexdigest()[:16]
        try:
            document = article_from_record(obj, record_id=record_id, path=where)
        except NewsdigestError as exc:
            problems.append(Problem(where, str(exc)))
            continue
        if not document.text.strip():
            problems.append(Problem(where, "no article text left after cleaning"))
            continue
        documents.append(document)
    return documents, problems
