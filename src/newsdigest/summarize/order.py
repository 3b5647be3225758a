"""Reading order for the chosen sentences.

Chronological by publication date where dates are known, then by relative
position in the source article (news puts the key facts first). A sentence
that cannot open a summary ("He also said…", "But…") is not put first when
another one can be.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence

from newsdigest.model import Document, Sentence

DANGLING_OPENER_RE = re.compile(
    r"""^[\W_]*(he|she|it|they|his|her|its|their|this|these|those|that|there|also|but|and|or|so|
    however|meanwhile|still|yet|moreover|furthermore|instead|then|later|the\s+(official|source|agency|report|move))\b""",
    re.IGNORECASE | re.VERBOSE,
)


def is_dangling_opener(text: str) -> bool:
    return bool(DANGLING_OPENER_RE.match(text))


def reading_order(
    chosen: Sequence[int], sentences: Sequence[Sentence], documents: Sequence[Document]
) -> list[int]:
    """The chosen positions, sorted for reading."""
    rank = {d.id: k for k, d in enumerate(documents)}
    date = {d.id: d.date for d in documents}
    length = Counter(s.doc_id for s in sentences)

    def key(i: int):
        s = sentences[i]
        when = date.get(s.doc_id) or dt.date.max
        return (when, s.index / length[s.doc_id], rank.get(s.doc_id, len(rank)), s.index)

    ordered = sorted(chosen, key=key)
    if ordered and is_dangling_opener(sentences[ordered[0]].text):
        for k, i in enumerate(ordered):
            if not is_dangling_opener(sentences[i].text):
                ordered.insert(0, ordered.pop(k))
                break
    return ordered
