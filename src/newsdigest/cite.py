"""Citations: which other documents report what a summary sentence says.

A sentence of another document supports a summary sentence when their
TF-IDF cosine (over content-word stems) reaches ``threshold``; each other
document contributes its best such sentence at most.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from newsdigest.model import DigestSentence, Sentence
from newsdigest.similarity import tfidf_vectors

SUPPORT_THRESHOLD = 0.45


def cite(
    chosen: Sequence[int], sentences: Sequence[Sentence], *, threshold: float = SUPPORT_THRESHOLD
) -> list[DigestSentence]:
    """A DigestSentence for each chosen position, in the given order, with its support."""
    if not chosen:
        return []
    vectors = tfidf_vectors([s.text for s in sentences])
    sims = (vectors[list(chosen)] @ vectors.T).toarray()
    doc_ids = np.array([s.doc_id for s in sentences])
    out = []
    for row, i in zip(sims, chosen):
        origin = sentences[i].doc_id
        support = []
        for doc in dict.fromkeys(doc_ids.tolist()):
            if doc == origin:
                continue
            in_doc = np.flatnonzero(doc_ids == doc)
            best = in_doc[np.argmax(row[in_doc])]
            if row[best] >= threshold:
                support.append(sentences[best])
        out.append(DigestSentence(sentence=sentences[i], support=tuple(support)))
    return out
