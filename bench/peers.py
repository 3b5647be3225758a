"""Other tools' summarizers behind the same interface as newsdigest's methods.

Every peer starts from the same sentences newsdigest sees (``pipeline.segment``,
our splitter: sumy's own Tokenizer needs nltk's punkt data, which we do not
assume) and gets its word budget the same way: its sentences in its own rank
order, each kept if it still fits the budget, never cut (:func:`fit_ranked`).

* sumy 0.13: LexRank, TextRank, LSA and Luhn, each with sumy's English
  Snowball stemmer and stop-word list (the configuration of sumy's README).
* lexrank 0.1 (PyPI ``lexrank``): IDF from the cluster's own documents, and
  again with IDF from the whole dataset (a background corpus, as its README
  does); stop words from scikit-learn's ENGLISH_STOP_WORDS, threshold 0.1 (the
  paper's and the package README's value).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from newsdigest.evaluate.datasets import Cluster
from newsdigest.model import Budget, Sentence
from newsdigest.pipeline import segment
from newsdigest.summarize.candidates import fill_budget
from newsdigest.nlp.text import WORD_RE


def fit_ranked(ranked: Iterable[int], sentences: Sequence[Sentence], words: int) -> list[int]:
    """Positions taken best first while they fit ``words``; returned in document order.

    The same rule as newsdigest's own methods (:func:`fill_budget`): a sentence
    that would overflow the budget is skipped and the next one tried, never cut.
    """
    return sorted(fill_budget(ranked, sentences, Budget(words=words)))


class _RegexTokenizer:
    """The two methods sumy's document model asks a tokenizer for, without nltk data."""

    language = "english"

    @staticmethod
    def to_words(text: str) -> tuple[str, ...]:
        return tuple(WORD_RE.findall(text))

    @staticmethod
    def to_sentences(text: str) -> tuple[str, ...]:
        from newsdigest.nlp.text import split_sentences

        return tuple(text[a:b] for a, b in split_sentences(text))


class SumyPeer:
    """One sumy summarizer, ranked sentences cut to the word budget."""

    def __init__(self, name: str, factory: Callable[[], object]) -> None:
        self.name = name
        self._factory = factory

    def prepare(self) -> None:
        import sumy.models.dom  # noqa: F401

        self._factory()  # imports the summarizer module and reads the stop-word list

    def summarize(self, cluster: Cluster, words: int) -> list[str]:
        from sumy.models.dom import ObjectDocumentModel, Paragraph
        from sumy.models.dom import Sentence as SumySentence

        sentences = segment(cluster.documents)
        tokenizer = _RegexTokenizer()
        paragraphs, by_doc = [], {}
        for i, s in enumerate(sentences):
            by_doc.setdefault(s.doc_id, []).append(i)
        objects = [SumySentence(s.text, tokenizer) for s in sentences]
        # sumy's Sentence equality is by text: the first occurrence stands for repeats.
        position = {}
        for i, obj in enumerate(objects):
            position.setdefault(obj, i)
        for positions in by_doc.values():
            paragraphs.append(Paragraph([objects[i] for i in positions]))
        document = ObjectDocumentModel(paragraphs)

        chosen: list[int] = []

        def cut_to_budget(ranked_infos):
            # sumy calls this with every sentence, best rated first; keep what fits.
            nonlocal chosen
            ranked = list(dict.fromkeys(position[info.sentence] for info in ranked_infos))
            chosen = fit_ranked(ranked, sentences, words)
            keep = set(chosen)
            return [info for info in ranked_infos if position[info.sentence] in keep]

        summarizer = self._factory()
        summarizer(document, cut_to_budget)
        return [sentences[i].text for i in chosen]


def _sumy_factory(cls_path: str) -> Callable[[], object]:
    def make():
        import importlib

        from sumy.nlp.stemmers import Stemmer
        from sumy.utils import get_stop_words

        module_name, cls_name = cls_path.rsplit(".", 1)
        cls = getattr(importlib.import_module(module_name), cls_name)
        summarizer = cls(Stemmer("english"))
        summarizer.stop_words = get_stop_words("english")
        return summarizer

    return make


class LexRankPackagePeer:
    """The ``lexrank`` PyPI package (Erkan & Radev's LexRank, continuous=False).

    ``idf="cluster"``: IDF from the cluster's own documents, the package used on
    its input alone. ``idf="dataset"``: IDF from every document of the dataset,
    fitted once before the timed runs (:meth:`fit_background`), which is how the
    package's README uses it (a background corpus). With a cluster of ten
    articles on one story, the story's own words occur in every article and get
    an IDF of zero, so the two differ a lot.
    """

    def __init__(self, *, idf: str = "cluster", threshold: float = 0.1) -> None:
        if idf not in ("cluster", "dataset"):
            raise ValueError(f"idf must be 'cluster' or 'dataset', got {idf!r}")
        self.idf = idf
        self.threshold = threshold
        self.name = "lexrank (pkg)" if idf == "cluster" else "lexrank (pkg, dataset IDF)"
        self._background = None

    def prepare(self) -> None:
        import lexrank  # noqa: F401  (builds its URL extractor at import: a second)

    def fit_background(self, clusters: Sequence[Cluster]) -> None:
        """Fit IDF on all documents of ``clusters`` (only with ``idf="dataset"``)."""
        if self.idf != "dataset":
            return
        from lexrank import LexRank
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        documents = [[s.text for s in segment([d])] for c in clusters for d in c.documents]
        self._background = LexRank(documents, stopwords=set(ENGLISH_STOP_WORDS))

    def summarize(self, cluster: Cluster, words: int) -> list[str]:
        import numpy as np
        from lexrank import LexRank
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        sentences = segment(cluster.documents)
        texts = [s.text for s in sentences]
        if self.idf == "dataset":
            if self._background is None:
                raise RuntimeError("call fit_background(clusters) first")
            ranker = self._background
        else:
            by_doc: dict[str, list[str]] = {}
            for s in sentences:
                by_doc.setdefault(s.doc_id, []).append(s.text)
            ranker = LexRank(list(by_doc.values()), stopwords=set(ENGLISH_STOP_WORDS))
        scores = ranker.rank_sentences(texts, threshold=self.threshold, fast_power_method=True)
        # Stable sort: ties keep document order, as sumy's sort does.
        ranked = np.argsort(-np.asarray(scores), kind="stable").tolist()
        return [sentences[i].text for i in fit_ranked(ranked, sentences, words)]


SUMY_SUMMARIZERS = {
    "sumy LexRank": "sumy.summarizers.lex_rank.LexRankSummarizer",
    "sumy TextRank": "sumy.summarizers.text_rank.TextRankSummarizer",
    "sumy LSA": "sumy.summarizers.lsa.LsaSummarizer",
    "sumy Luhn": "sumy.summarizers.luhn.LuhnSummarizer",
}


def available_peers() -> tuple[list[object], list[str]]:
    """The peers that can run here, and a note for each that cannot (not installed)."""
    peers: list[object] = []
    missing: list[str] = []
    try:
        import sumy  # noqa: F401

        peers += [SumyPeer(name, _sumy_factory(path)) for name, path in SUMY_SUMMARIZERS.items()]
    except ImportError:
        missing.append("sumy (pip install sumy==0.13.0)")
    try:
        import lexrank  # noqa: F401

        peers += [LexRankPackagePeer(idf="cluster"), LexRankPackagePeer(idf="dataset")]
    except ImportError:
        missing.append("lexrank (pip install lexrank==0.1.0)")
    return peers, missing
