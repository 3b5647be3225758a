"""newsdigest: several news articles about one story in, one cited digest out.

>>> import newsdigest
>>> digest = newsdigest.summarize(["examples/syria"], words=120)
>>> for s in digest.sentences: print(s.text, s.citations)
"""

from newsdigest.errors import NewsdigestError
from newsdigest.model import Budget, Digest, DigestSentence, Document, Problem, Sentence, Story
from newsdigest.pipeline import segment, summarize, summarize_documents, summarize_stories
from newsdigest.summarize.registry import available_methods, get_method, register


def load_documents(paths, stdin=None, *, allow_private_urls=False):
    """Read articles from files, folders, URLs or "-"; returns ``(documents, problems)``.

    URLs on private, loopback or link-local addresses are refused unless ``allow_private_urls``.
    """
    from newsdigest.ingest import load_documents as _load

    return _load(paths, stdin=stdin, allow_private_urls=allow_private_urls)


def detect_stories(documents, **options):
    """Group mixed articles into ranked stories; see :func:`newsdigest.stories.detect_stories`."""
    from newsdigest.stories import detect_stories as _detect

    return _detect(documents, **options)


__all__ = [
    "Budget",
    "Digest",
    "DigestSentence",
    "Document",
    "NewsdigestError",
    "Problem",
    "Sentence",
    "Story",
    "available_methods",
    "detect_stories",
    "get_method",
    "load_documents",
    "register",
    "segment",
    "summarize",
    "summarize_documents",
    "summarize_stories",
]
__version__ = "0.1.0"
