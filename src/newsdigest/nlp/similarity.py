"""When two sentences say the same thing: TF-IDF cosine over Porter stems.

One definition for the whole package: the centroid and LexRank baselines,
citation finding and the analysis's coverage all compare sentences with
:func:`tfidf_vectors` / :func:`sentence_similarities` (citations: their NumPy twins
:func:`tfidf_rows` / :func:`similarities_to`, the same bits without importing scipy), and
:data:`newsdigest.settings.SAME_THING` is the cosine from which two sentences
report the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from newsdigest.nlp.text import stems

if TYPE_CHECKING:
    import numpy as np
    from scipy.sparse import csr_matrix


def _content_stems(text: str) -> list[str]:
    # text.stemmed_words caches each sentence's stems: selection and citation share them.
    return stems(text, drop_stop_words=True)


class TfidfRows(NamedTuple):
    """:func:`tfidf_vectors` as plain NumPy arrays, in scipy's CSR layout (no scipy needed)."""

    data: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray
    columns: int


def tfidf_rows(texts: Sequence[str]) -> TfidfRows:
    """The L2-normalised TF-IDF rows of :func:`tfidf_vectors`, as arrays (``columns``: 0 with no content word)."""
    import numpy as np

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
    pointers = np.asarray(indptr, dtype=np.int32)
    if not first_seen:  # nothing but stop words
        return TfidfRows(np.zeros(0), np.zeros(0, dtype=np.int32), pointers, 0)
    column = np.empty(len(first_seen), dtype=np.int32)
    for rank, number in enumerate(number for _, number in sorted(first_seen.items())):
        column[number] = rank
    indices = column[np.asarray(seen, dtype=np.int32)]
    lengths = np.diff(pointers)

    documents = np.bincount(indices, minlength=len(first_seen)).astype(np.float64)
    idf = np.log(np.full_like(documents, len(texts) + 1) / (documents + 1.0)) + 1.0  # smoothed
    data = (np.log(np.asarray(counts, dtype=np.float64)) + 1.0) * idf[indices]  # sublinear tf
    # Each row's squares summed one after the other, in row order, as scikit-learn's normalize does.
    squares = data * data
    starts = pointers[:-1].astype(np.intp)
    norms = np.zeros(len(texts))
    for k in range(int(lengths.max())):
        rows = np.flatnonzero(lengths > k)
        norms[rows] += squares[starts[rows] + k]
    data /= np.repeat(np.sqrt(norms), lengths)
    return TfidfRows(data, indices, pointers, len(first_seen))


def tfidf_vectors(texts: Sequence[str]) -> csr_matrix:
    """L2-normalised TF-IDF rows, one per text; all-zero rows for texts with no content word.

    Rows are normalised, so a dot product of two rows is their cosine. The
    weights are scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` over
    :func:`_content_stems`, to the last bit and in its layout (columns in the
    terms' alphabetical order, each row's entries in order of first sight in
    ``texts``; tests/test_similarity.py checks both), computed here with NumPy
    (:func:`tfidf_rows`): importing scikit-learn costs about a second and its checks a fifth of each call.
    """
    # Imported here, not at the top: `import newsdigest` and `--help` stay instant.
    from scipy.sparse import csr_matrix

    rows = tfidf_rows(texts)
    if not rows.columns:
        return csr_matrix((len(texts), 1))
    return csr_matrix((rows.data, rows.indices, rows.indptr), shape=(len(texts), rows.columns))


def similarities_to(vectors: TfidfRows, rows: Sequence[int]) -> np.ndarray:
    """Dense cosines of ``rows`` of ``vectors`` against every row: :func:`sentence_similarities`'
    numbers, to the last bit, without scipy (whose import is ~0.15 CPU-s of a summarizing run).

    scipy's sparse product sums each cosine term by term in the order of the chosen row's
    entries, starting from zero; ``np.add.at`` adds in the order it is given, so the
    products are listed in that order here.
    """
    import numpy as np

    total = len(vectors.indptr) - 1
    out = np.zeros((len(rows), total))
    if not vectors.columns or not len(vectors.data):
        return out
    holder = np.repeat(np.arange(total), np.diff(vectors.indptr))  # the row of each entry
    by_term = np.argsort(vectors.indices, kind="stable")  # entries grouped by term
    term_start = np.searchsorted(vectors.indices[by_term], np.arange(vectors.columns + 1))
    for i, row in enumerate(rows):
        start, end = vectors.indptr[row], vectors.indptr[row + 1]
        terms, weights = vectors.indices[start:end], vectors.data[start:end]
        counts = term_start[terms + 1] - term_start[terms]
        if not counts.sum():
            continue
        # For each of the row's terms in turn, the entries holding it: ranges of by_term.
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        entries = by_term[np.repeat(term_start[terms], counts) + offsets]
        np.add.at(out[i], holder[entries], np.repeat(weights, counts) * vectors.data[entries])
    return out


def sentence_similarities(vectors: csr_matrix, rows: Sequence[int] | None = None) -> np.ndarray:
    """Dense cosines of ``rows`` (default: all) of ``vectors`` against every row."""
    chosen = vectors if rows is None else vectors[list(rows)]
    return (chosen @ vectors.T).toarray()
