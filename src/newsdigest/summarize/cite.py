"""Citations: which other documents report what a summary sentence says.

A sentence of another document supports a summary sentence when the two say
the same thing (:mod:`newsdigest.nlp.similarity`, cosine at least
:data:`newsdigest.settings.SAME_THING`); each other document contributes its
best such sentence at most.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsdigest.model import DigestSentence, Sentence
from newsdigest.nlp.similarity import similarities_to, tfidf_rows
from newsdigest.settings import SAME_THING


def cite(
    chosen: Sequence[int], sentences: Sequence[Sentence], *, threshold: float = SAME_THING
) -> list[DigestSentence]:
    """A DigestSentence for each chosen position, in the given order, with its support."""
    import numpy as np  # on first use: `import newsdigest` and `--help` stay instant

    if not chosen:
        return []
    sims = similarities_to(tfidf_rows([s.text for s in sentences]), chosen)
    members: dict[str, list[int]] = {}
    for k, s in enumerate(sentences):
        members.setdefault(s.doc_id, []).append(k)
    # For every chosen sentence, the most similar sentence of each document.
    best = {doc: np.asarray(rows)[np.argmax(sims[:, rows], axis=1)] for doc, rows in members.items()}
    out = []
    for row, (n, i) in zip(sims, enumerate(chosen)):
        origin = sentences[i].doc_id
        support = tuple(
            sentences[best[doc][n]]
            for doc in members
            if doc != origin and row[best[doc][n]] >= threshold
        )
        out.append(DigestSentence(sentence=sentences[i], support=support))
    return out
