"""TF-IDF sentence vectors over Porter stems, and cosine similarity between them.

Shared by the centroid and LexRank baselines and by citation finding, so that
"says the same thing" means the same everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer

from newsdigest.text import stems


@lru_cache(maxsize=100_000)
def _content_stems(text: str) -> tuple[str, ...]:
    # Cached: the same sentences are vectorized for selection, citation and analysis.
    return tuple(stems(text, drop_stop_words=True))


def tfidf_vectors(texts: Sequence[str], *, ngram_range: tuple[int, int] = (1, 1)) -> csr_matrix:
    """L2-normalised TF-IDF rows, one per text; all-zero rows for texts with no content word."""
    vectorizer = TfidfVectorizer(
        analyzer=_content_stems if ngram_range == (1, 1) else "word",
        tokenizer=None if ngram_range == (1, 1) else _content_stems,
        preprocessor=None,
        lowercase=False,
        token_pattern=None,
        ngram_range=ngram_range,
        sublinear_tf=True,
    )
    try:
        return vectorizer.fit_transform(texts).tocsr()
    except ValueError:  # empty vocabulary: nothing but stop words
        return csr_matrix((len(texts), 1))


def cosine_matrix(rows_a: csr_matrix, rows_b: csr_matrix) -> csr_matrix:
    """Cosine similarity of every row of ``rows_a`` with every row of ``rows_b`` (rows are normalised)."""
    return (rows_a @ rows_b.T).tocsr()
