"""Copies: the same wire story republished by several outlets becomes one article.

:mod:`newsdigest.ingest.dedupe` drops a later article whose sentences are
(nearly) all in an earlier one, with a warning, when files are loaded for one
digest. Across a stream of many outlets the copy is news in itself (who
carries the story), so :func:`newsdigest.detect_stories` loads with that step
off and merges copies here instead: the earliest article stays, and lists the
others in :attr:`~newsdigest.model.Document.copies`. A copy never counts as an
independent source: it is not grouped, digested or analysed on its own.

Near-duplicates are found with datasketch's MinHash LSH over word 5-gram
shingles. Two articles are copies when the estimated Jaccard similarity of
their shingle sets reaches ``threshold`` (0.8): on stories/dev.jsonl every
pair found is the same wire story filed twice (see BENCHMARKS.md, "Stories").
Only articles of the last ``window_days`` days (and at most ``max_entries``)
stay in the index, so memory stays flat along a stream.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections import OrderedDict
from dataclasses import dataclass

from newsdigest.model import Copy, Document

SHINGLE_WORDS = 5


@dataclass(frozen=True)
class CopyOptions:
    """``threshold``: least estimated Jaccard similarity of word 5-gram sets.
    ``num_perm``: MinHash permutations (64: the estimate's standard error is
    about 0.05 at 0.8). ``max_words``: shingles come from the first words only,
    where copies agree and which bounds the cost of a long article.
    """

    threshold: float = 0.8
    num_perm: int = 64
    max_words: int = 600
    window_days: int = 7
    max_entries: int = 100_000


def shingle_hashes(text: str, max_words: int) -> set[int]:
    """CRC-32 of every run of five words (lower-cased, split on white space)."""
    words = text.lower().split(maxsplit=max_words)[:max_words]  # maxsplit: the rest of a long text stays unsplit
    if len(words) < SHINGLE_WORDS:
        return {zlib.crc32(" ".join(words).encode())} if words else set()
    runs = zip(*(words[k:] for k in range(SHINGLE_WORDS)))
    return set(map(zlib.crc32, map(str.encode, map(" ".join, runs))))


def as_copy(document: Document) -> Copy:
    return Copy(id=document.id, source=document.source, title=document.title, url=document.url, date=document.date)


class CopyFinder:
    """Remember recent articles; tell which earlier article a new one copies."""

    def __init__(self, options: CopyOptions | None = None) -> None:
        from datasketch import MinHash, MinHashLSH

        self.options = options or CopyOptions()
        self._minhash = MinHash
        template = MinHash(num_perm=self.options.num_perm, seed=1)
        self._permutations = template.permutations
        self._scheme = template.scheme
        self.index = MinHashLSH(threshold=self.options.threshold, num_perm=self.options.num_perm)
        self.recent: OrderedDict[str, tuple[object, dt.date | None]] = OrderedDict()

    def signature(self, text: str):
        # hashfunc=int: the shingles are hashed already (CRC-32), and int() of an int is that int, in C.
        minhash = self._minhash(
            num_perm=self.options.num_perm, permutations=self._permutations, scheme=self._scheme, hashfunc=int
        )
        minhash.update_batch(shingle_hashes(text, self.options.max_words))
        return minhash

    def add(self, document: Document) -> str | None:
        """The id of the earlier article ``document`` copies, else None (and it is remembered)."""
        self._forget(document.date)
        if not document.text.split():  # nothing to compare: two empty articles are not copies of each other
            return None
        signature = self.signature(document.text)
        best, best_score = None, self.options.threshold
        for key in sorted(self.index.query(signature)):
            score = signature.jaccard(self.recent[key][0])
            if score > best_score or (best is None and score >= best_score):
                best, best_score = key, score
        if best is not None:
            return best
        self.index.insert(document.id, signature)
        self.recent[document.id] = (signature, document.date)
        return None

    def _forget(self, today: dt.date | None) -> None:
        while len(self.recent) >= self.options.max_entries:
            self._remove(next(iter(self.recent)))
        if today is None:
            return
        horizon = today - dt.timedelta(days=self.options.window_days)
        while self.recent:
            key, (_, date) = next(iter(self.recent.items()))
            if date is None or date >= horizon:
                break
            self._remove(key)

    def _remove(self, key: str) -> None:
        del self.recent[key]
        self.index.remove(key)
