"""Reading order for the chosen sentences.

1. A sentence that needs an antecedent (:func:`~newsdigest.summarize.cohesion.needs_antecedent`:
   "He …", "But …", "The report …") stays right after the sentence before it
   in its article when that one is chosen too: they move as one block.
2. The block whose first sentence most sources support opens the digest,
   provided it can stand alone: most citing articles (``support``, the
   citations the digest shows), then most concept bigrams shared with the
   other articles (copies of one article counted once), then the earliest in
   its article.
3. The rest: chronological by publication date where dates are known, then by
   relative position in the source article (news puts the key facts first);
   a block on the same sub-topic as an earlier one (the same actors and what
   happened: :func:`~newsdigest.summarize.cohesion.same_topic`) is moved up to
   follow it (Barzilay et al. 2002: themes kept together).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence

from newsdigest.model import Document, Sentence
from newsdigest.summarize.candidates import distinct_documents
from newsdigest.summarize.cohesion import needs_antecedent, same_topic
from newsdigest.summarize.concepts import sentence_bigrams


def is_dangling_opener(text: str) -> bool:
    """True when ``text`` cannot open a digest (it refers back to something unnamed)."""
    return needs_antecedent(text)


def shared_with_others(positions: Sequence[int], sentences: Sequence[Sentence]) -> dict[int, int]:
    """For each position, how many of its concept bigrams the other articles contain (summed over articles)."""
    kept = set(distinct_documents(sentences))
    grams: dict[str, set] = {}
    for s in sentences:
        if s.doc_id in kept:
            grams.setdefault(s.doc_id, set()).update(sentence_bigrams(s.text))
    out = {}
    for i in positions:
        own = sentence_bigrams(sentences[i].text)
        out[i] = sum(len(own & g) for d, g in grams.items() if d != sentences[i].doc_id)
    return out


def _blocks(chosen: Sequence[int], sentences: Sequence[Sentence]) -> list[list[int]]:
    blocks: list[list[int]] = []
    for i in sorted(set(chosen)):
        s = sentences[i]
        if blocks:
            prev = sentences[blocks[-1][-1]]
            if prev.doc_id == s.doc_id and prev.index == s.index - 1 and needs_antecedent(s.text):
                blocks[-1].append(i)
                continue
        blocks.append([i])
    return blocks


def reading_order(
    chosen: Sequence[int],
    sentences: Sequence[Sentence],
    documents: Sequence[Document],
    support: Mapping[int, int] | None = None,
) -> list[int]:
    """The chosen positions, sorted for reading; ``support``: position -> supporting articles."""
    rank = {d.id: k for k, d in enumerate(documents)}
    date = {d.id: d.date for d in documents}
    length = Counter(s.doc_id for s in sentences)

    def key(i: int):
        s = sentences[i]
        when = date.get(s.doc_id) or dt.date.max
        return (when, s.index / length[s.doc_id], rank.get(s.doc_id, len(rank)), s.index)

    blocks = sorted(_blocks(chosen, sentences), key=lambda b: key(b[0]))
    if not blocks:
        return []
    standing = [b for b in blocks if not needs_antecedent(sentences[b[0]].text)]
    if standing:
        support = support or {}
        shared = shared_with_others([b[0] for b in standing], sentences)
        first = max(standing, key=lambda b: (support.get(b[0], 0), shared[b[0]], -key(b[0])[1]))
        blocks.remove(first)
        blocks.insert(0, first)
    # Same sub-topic together: each block follows the last earlier block it shares a topic with.
    ordered: list[list[int]] = []
    for block in blocks:
        text = sentences[block[0]].text
        spot = len(ordered)
        for k in range(len(ordered) - 1, -1, -1):
            if any(same_topic(sentences[i].text, text) for i in ordered[k]):
                spot = k + 1
                break
        ordered.insert(spot, block)
    return [i for block in ordered for i in block]
