"""When two sentences say the same thing: TF-IDF cosine over Porter stems.

One definition for the whole package: the centroid and LexRank baselines,
citation finding and the analysis's coverage all compare sentences with
:func:`tfidf_vectors` / :func:`sentence_similarities`, and
:data:`newsdigest.settings.SAME_THING` is the cosine from which two sentences
report the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence

from typing import TYPE_CHECKING

from newsdigest.nlp.text import stems

if TYPE_CHECKING:
    import numpy as np
    from scipy.sparse import csr_matrix


def _content_stems(text: str) -> list[str]:
    # text.stemmed_words caches each sentence's stems: selection and citation share them.
    return stems(text, drop_stop_words=True)


def tfidf_vectors(texts: Sequence[str]) -> csr_matrix:
    """L2-normalised TF-IDF rows, one per text; all-zero rows for texts with no content word.

    Rows are normalised, so a dot product of two rows is their cosine.
    """
    # Imported here, not at the top: `import newsdigest` and `--help` stay instant.
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=_content_stems, lowercase=False, sublinear_tf=True)
    try:
        return vectorizer.fit_transform(texts).tocsr()
    except ValueError:  # empty vocabulary: nothing but stop words
        return csr_matrix((len(texts), 1))


def sentence_similarities(vectors: csr_matrix, rows: Sequence[int] | None = None) -> np.ndarray:
    """Dense cosines of ``rows`` (default: all) of ``vectors`` against every row."""
    chosen = vectors if rows is None else vectors[list(rows)]
    return (chosen @ vectors.T).toarray()
