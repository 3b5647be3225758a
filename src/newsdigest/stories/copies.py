"""Copies: the same wire story republished by several outlets becomes one article.

:mod:`newsdigest.ingest.dedupe` drops a later article whose sentences are
(nearly) all in an earlier one, with a warning, when files are loaded for one
digest. Across a stream of many outlets the copy is news in itself (who
carries the story), so :func:`newsdigest.detect_stories` loads with that step
off and merges copies here instead: the earliest article stays, and lists the
others in :attr:`~newsdigest.model.Document.copies`. A copy never counts as an
independent source: it is not grouped, digested or analysed on its own.

Near-duplicates are found with datasketch's MinHash LSH over word 5-gram
shingles (:func:`shingle_hashes`). Two articles are copies when the estimated Jaccard similarity of
their shingle sets reaches ``threshold`` (0.8): on stories/dev.jsonl every
pair found is the same wire story filed twice (see BENCHMARKS.md, "Stories").
Only articles of the last ``window_days`` days (and at most ``max_entries``)
stay in the index, so memory stays flat along a stream.
"""

from __future__ import annotations

import datetime as dt
import sys
import types
import zlib
from collections import OrderedDict
from dataclasses import dataclass

from newsdigest.model import Copy, Document

SHINGLE_WORDS = 5

# The LSH bands and rows datasketch picks for the default options (threshold, num_perm,
# false_negative_weight), given to it so that building the index integrates nothing:
# tests/test_stories.py checks that datasketch still picks them.
DEFAULT_BANDS = {(0.8, 64, 0.8): (8, 8)}


@dataclass(frozen=True)
class CopyOptions:
    """``threshold``: least estimated Jaccard similarity of word 5-gram sets.
    ``num_perm``: MinHash permutations (64: the estimate's standard error is
    about 0.05 at 0.8). ``max_words``: shingles come from the first words only,
    where copies agree and which bounds the cost of a long article.
    ``false_negative_weight``: how much datasketch's choice of LSH bands and
    rows weighs missed pairs against candidates that the estimate then turns
    away (its ``weights``, ``(1 - w, w)``). At 0.8 it picks 8 bands of 8 rows:
    a pair of Jaccard 0.8 / 0.88 / 0.95 meets in the index with probability
    0.77 / 0.97 / 1.0; the even weights of datasketch's default pick 5 bands of
    11 rows, which find only 0.36 / 0.76 / 0.98 of such pairs, far short of
    the documented threshold (on stories/dev.jsonl one pair of wire copies of
    Jaccard 0.88 was found or not depending on the shingle hashing).
    """

    threshold: float = 0.8
    num_perm: int = 64
    false_negative_weight: float = 0.8
    max_words: int = 600
    window_days: int = 7
    max_entries: int = 100_000


# Odd 64-bit multipliers, one per word of a run: a run's hash mixes its words' CRC-32s in order.
_RUN_MULTIPLIERS = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x85EBCA77C2B2AE63, 0x27D4EB2F165667C5)


def shingle_hashes(text: str, max_words: int) -> list[int]:
    """A 32-bit hash of every run of five words (lower-cased, split on white space); repeats possible.

    Each word is hashed once (CRC-32) and a run's hash mixes its five words'
    hashes, position by position, in NumPy: hashing every run's joined text
    costs twice as much. A text of fewer than five words is one run.
    """
    import numpy as np

    words = text.lower().split(maxsplit=max_words)[:max_words]  # maxsplit: the rest of a long text stays unsplit
    if not words:
        return []
    crcs = np.fromiter(map(zlib.crc32, map(str.encode, words)), dtype=np.uint64, count=len(words))
    runs = max(len(words) - SHINGLE_WORDS + 1, 1)
    mixed = np.zeros(runs, dtype=np.uint64)
    for k, multiplier in enumerate(_RUN_MULTIPLIERS):
        if k < len(words):
            mixed += crcs[k : k + runs] * np.uint64(multiplier)  # wraps modulo 2**64
    mixed ^= mixed >> np.uint64(32)
    return (mixed & np.uint64(0xFFFFFFFF)).tolist()


def as_copy(document: Document) -> Copy:
    return Copy(id=document.id, source=document.source, title=document.title, url=document.url, date=document.date)


def _import_datasketch() -> None:
    """Import datasketch without SciPy's ``integrate`` until an LSH index needs it.

    datasketch's LSH module imports ``scipy.integrate.quad`` (about 0.25 s, most
    of datasketch's import) only to choose bands and rows for a threshold. A
    stand-in module is in ``sys.modules`` while datasketch loads: its ``quad``
    imports the real one when first called (options outside
    :data:`DEFAULT_BANDS`), and SciPy imports as usual afterwards.
    """
    if "datasketch" in sys.modules or "scipy.integrate" in sys.modules:
        import datasketch  # noqa: F401
        return
    stand_in = types.ModuleType("scipy.integrate")

    def quad(*args, **kwargs):
        from scipy.integrate import quad as real_quad

        return real_quad(*args, **kwargs)

    stand_in.quad = quad  # type: ignore[attr-defined]
    sys.modules["scipy.integrate"] = stand_in
    try:
        import datasketch  # noqa: F401
    finally:
        if sys.modules.get("scipy.integrate") is stand_in:
            del sys.modules["scipy.integrate"]


class CopyFinder:
    """Remember recent articles; tell which earlier article a new one copies."""

    def __init__(self, options: CopyOptions | None = None) -> None:
        _import_datasketch()
        from datasketch import MinHash, MinHashLSH

        self.options = options or CopyOptions()
        self._minhash = MinHash
        template = MinHash(num_perm=self.options.num_perm, seed=1)
        self._permutations = template.permutations
        self._scheme = template.scheme
        options = self.options
        missed = options.false_negative_weight
        self.index = MinHashLSH(
            threshold=options.threshold,
            num_perm=options.num_perm,
            weights=(1.0 - missed, missed),
            params=DEFAULT_BANDS.get((options.threshold, options.num_perm, missed)),
        )
        self.recent: OrderedDict[str, tuple[object, dt.date | None]] = OrderedDict()

    def signature(self, text: str):
        # hashfunc=int: the shingles are hashed already, and int() of an int is that int, in C.
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
