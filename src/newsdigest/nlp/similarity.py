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

    Rows are normalised, so a dot product of two rows is their cosine. The
    weights are scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` over
    :func:`_content_stems`, to the last bit and in its layout (columns in the
    terms' alphabetical order, each row's entries in order of first sight in
    ``texts``; tests/test_similarity.py checks both), computed here with NumPy:
    importing scikit-learn costs about a second and its checks a fifth of each call.
    """
    # Imported here, not at the top: `import newsdigest` and `--help` stay instant.
    import numpy as np
    from scipy.sparse import csr_matrix

    first_seen: dict[str, int] = {}  # term -> its number in order of first sight
    seen: list[int] = []
    counts: list[int] = []
    indptr = [0]
    for text in texts:
        counted: dict[int, int] = {}
        for term in _content_stems(text):
            number = first_seen.setdefault(term, len(first_seen))
            counted[number] = counted.get(number, 0) + 1
        for number in sorted(counted):
            seen.append(number)
            counts.append(counted[number])
        indptr.append(len(seen))
    if not first_seen:  # nothing but stop words
        return csr_matrix((len(texts), 1))
    column = np.empty(len(first_seen), dtype=np.int32)
    for rank, number in enumerate(number for _, number in sorted(first_seen.items())):
        column[number] = rank
    indices = column[np.asarray(seen, dtype=np.int32)]
    lengths = np.diff(np.asarray(indptr, dtype=np.int32))

    documents = np.bincount(indices, minlength=len(first_seen)).astype(np.float64)
    idf = np.log(np.full_like(documents, len(texts) + 1) / (documents + 1.0)) + 1.0  # smoothed
    data = (np.log(np.asarray(counts, dtype=np.float64)) + 1.0) * idf[indices]  # sublinear tf
    # Each row's squares summed one after the other, in row order, as scikit-learn's normalize does.
    squares = data * data
    starts = np.asarray(indptr[:-1], dtype=np.intp)
    norms = np.zeros(len(texts))
    for k in range(int(lengths.max())):
        rows = np.flatnonzero(lengths > k)
        norms[rows] += squares[starts[rows] + k]
    data /= np.repeat(np.sqrt(norms), lengths)
    return csr_matrix((data, indices, np.asarray(indptr, dtype=np.int32)), shape=(len(texts), len(first_seen)))


def sentence_similarities(vectors: csr_matrix, rows: Sequence[int] | None = None) -> np.ndarray:
    """Dense cosines of ``rows`` (default: all) of ``vectors`` against every row."""
    chosen = vectors if rows is None else vectors[list(rows)]
    return (chosen @ vectors.T).toarray()
