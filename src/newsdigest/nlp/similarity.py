"""TF-IDF sentence vectors over Porter stems (rows are normalised: a dot product is a cosine).

Shared by the centroid and LexRank baselines and by citation finding, so that
"says the same thing" means the same everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence

from typing import TYPE_CHECKING

from newsdigest.nlp.text import stems

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix


def _content_stems(text: str) -> list[str]:
    # text.stemmed_words caches each sentence's stems: selection and citation share them.
    return stems(text, drop_stop_words=True)


def tfidf_vectors(texts: Sequence[str]) -> csr_matrix:
    """L2-normalised TF-IDF rows, one per text; all-zero rows for texts with no content word."""
    # Imported here, not at the top: `import newsdigest` and `--help` stay instant.
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=_content_stems, lowercase=False, sublinear_tf=True)
    try:
        return vectorizer.fit_transform(texts).tocsr()
    except ValueError:  # empty vocabulary: nothing but stop words
        return csr_matrix((len(texts), 1))
