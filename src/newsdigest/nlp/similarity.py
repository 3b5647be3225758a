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
from itertools import chain
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

    # Each text's terms, numbered in order of first sight over all texts; then each (text, term)
    # pair counted once, in C: np.unique sorts the pairs by text, then by term number, which is
    # the order of each row's entries (scikit-learn's: the terms in order of first sight).
    terms_of = list(map(_content_stems, texts))
    first_seen = {term: number for number, term in enumerate(dict.fromkeys(chain.from_iterable(terms_of)))}
    occurrences = np.fromiter(map(len, terms_of), dtype=np.int64, count=len(terms_of))  # terms per text, repeats too
    numbers = np.fromiter(
        map(first_seen.__getitem__, chain.from_iterable(terms_of)), dtype=np.int64, count=int(occurrences.sum())
    )
    if not first_seen:  # nothing but stop words
        return TfidfRows(np.zeros(0), np.zeros(0, dtype=np.int32), np.zeros(len(texts) + 1, dtype=np.int32), 0)
    vocabulary = len(first_seen)
    text_of = np.repeat(np.arange(len(texts), dtype=np.int64), occurrences)
    pairs, counts = np.unique(text_of * vocabulary + numbers, return_counts=True)
    pointers = np.zeros(len(texts) + 1, dtype=np.int32)
    np.cumsum(np.bincount(pairs // vocabulary, minlength=len(texts)), out=pointers[1:])
    terms = list(first_seen)
    column = np.empty(vocabulary, dtype=np.int32)  # term number -> column: the terms in alphabetical order
    column[sorted(range(vocabulary), key=terms.__getitem__)] = np.arange(vocabulary, dtype=np.int32)
    indices = column[pairs % vocabulary]
    lengths = np.diff(pointers)  # distinct terms per text: the row lengths

    documents = np.bincount(indices, minlength=vocabulary).astype(np.float64)
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
    return TfidfRows(data, indices, pointers, vocabulary)


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
    if not vectors.columns:  # no content word anywhere: no entries
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
