"""The digest as JSON: stable keys, documented in README.md and in digest.schema.json."""

from __future__ import annotations

import json
from importlib import resources

from newsdigest.model import Digest, Sentence
from newsdigest.nlp.text import count_words

SCHEMA_VERSION = 1


def _sentence_ref(s: Sentence) -> dict:
    return {
        "document": s.doc_id,
        "sentence_index": s.index,
        "start": s.start,
        "end": s.end,
        "text": s.text,
    }


def digest_to_dict(digest: Digest) -> dict:
    numbers = {d.id: k for k, d in enumerate(digest.documents, start=1)}
    out = {
        "schema_version": SCHEMA_VERSION,
        "method": digest.method,
        "budget": {"words": digest.budget.words, "sentences": digest.budget.sentences},
        "words": digest.words,
        "summary": digest.text,
        "sentences": [
            {
                **_sentence_ref(ds.sentence),
                "citations": ds.citations,
                "citation_numbers": [numbers[c] for c in ds.citations],
                "support": [_sentence_ref(s) for s in ds.support],
            }
            for ds in digest.sentences
        ],
        "documents": [
            {
                "number": numbers[d.id],
                "id": d.id,
                "title": d.title,
                "source": d.source,
                "url": d.url,
                "date": d.date.isoformat() if d.date else None,
                "path": d.path,
                "words": count_words(d.text),
            }
            for d in digest.documents
        ],
        "problems": [
            {"path": p.path, "message": p.message, "severity": "error" if p.fatal else "warning"}
            for p in digest.problems
        ],
    }
    if digest.analysis is not None:
        # An Analysis, or the plain dict a stored digest gives back (Digest.from_dict).
        analysis = digest.analysis
        out["analysis"] = analysis if isinstance(analysis, dict) else analysis.to_dict()
    return out


def render_json(digest: Digest) -> str:
    return json.dumps(digest_to_dict(digest), ensure_ascii=False, indent=2)


def digest_schema() -> dict:
    """The JSON Schema that :func:`digest_to_dict` output follows."""
    text = resources.files("newsdigest.render").joinpath("digest.schema.json").read_text("utf-8")
    return json.loads(text)
