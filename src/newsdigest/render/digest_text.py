"""The digest as plain text and as Markdown, with [n] citations and a numbered source list."""

from __future__ import annotations

from newsdigest.model import Digest
import newsdigest.render.escape as escape


def _numbers(digest: Digest) -> dict[str, int]:
    return {d.id: k for k, d in enumerate(digest.documents, start=1)}


def _marks(citations: list[str], numbers: dict[str, int]) -> str:
    return "".join(f"[{numbers[c]}]" for c in citations)


def _source_line(digest: Digest, doc_id: str) -> str:
    d = digest.document(doc_id)
    label = d.label
    extra = [x for x in (d.date.isoformat() if d.date else "", d.url or d.path) if x and x != label]
    return label + (f" ({', '.join(extra)})" if extra else "")


def render_text(digest: Digest) -> str:
    numbers = _numbers(digest)
    lines = [f"Summary ({digest.words} words, method {escape.plain(digest.method)})", ""]
    lines += [f"{escape.plain(ds.text)} {_marks(ds.citations, numbers)}" for ds in digest.sentences]
    lines += ["", "Sources"]
    lines += [f"[{n}] {escape.plain(_source_line(digest, doc_id))}" for doc_id, n in numbers.items()]
    return "\n".join(lines) + "\n"


def render_markdown(digest: Digest) -> str:
    numbers = _numbers(digest)
    body = " ".join(
        f"{escape.markdown(ds.text)} {_marks(ds.citations, numbers)}" for ds in digest.sentences
    )
    method = escape.plain(digest.method).replace("`", "")  # inside a code span only a backtick is special
    lines = ["## Summary", "", body, "", f"*{digest.words} words, method `{method}`*", "", "## Sources", ""]
    lines += [f"{n}. {escape.markdown(_source_line(digest, doc_id))}" for doc_id, n in numbers.items()]
    return "\n".join(lines) + "\n"
