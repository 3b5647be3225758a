"""Output formats. ``render_digest(digest, fmt)`` picks the module for ``fmt``."""

from __future__ import annotations

from newsdigest.errors import NewsdigestError
from newsdigest.model import Digest

DIGEST_FORMATS = ("text", "markdown", "json")


def render_digest(digest: Digest, fmt: str) -> str:
    if fmt == "json":
        from newsdigest.render.digest_json import render_json

        return render_json(digest)
    from newsdigest.render.digest_text import render_markdown, render_text

    if fmt == "markdown":
        return render_markdown(digest)
    if fmt == "text":
        return render_text(digest)
    raise NewsdigestError(f"unknown format {fmt!r} (known: {', '.join(DIGEST_FORMATS)})")
