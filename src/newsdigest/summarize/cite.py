"""Citations: which other documents report what a summary sentence says.

A sentence of another document supports a summary sentence when their
TF-IDF cosine (over content-word stems) reaches ``threshold``; each other
document contributes its best such sentence at most.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from newsdigest.model import DigestSentence, Sentence
from newsdigest.nlp.similarity import tfidf_vectors

SUPPORT_THRESHOLD = 0.45


def cite(
    chosen: Sequence[int], sentences: Sequence[Sentence], *, threshold: float = SUPPORT_THRESHOLD
) -> list[DigestSentence]:
    """A DigestSentence for each chosen position, in the given order, with its support."""
    if not chosen:
        return []
    vectors = tfidf_vectors([s.text for s in sentences])
    sims = (vectors[list(chosen)] @ vectors.T).toarray()
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
