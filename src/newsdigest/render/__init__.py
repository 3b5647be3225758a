"""Output formats. ``render_digest(digest, fmt)`` and ``render_stories(stories, digests, fmt)`` pick the module for ``fmt``."""

from __future__ import annotations

from newsdigest.errors import NewsdigestError
from newsdigest.model import Digest

DIGEST_FORMATS = ("text", "markdown", "json")
STORY_FORMATS = ("text", "markdown", "json", "jsonl", "html")


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


def render_stories(stories, digests, fmt: str) -> str:
    """``stories`` in ``fmt`` (one of :data:`STORY_FORMATS`); ``digests`` maps story ids to digests."""
    if fmt == "html":
        from newsdigest.render.stories_html import render_html

        return render_html(stories, digests)
    import newsdigest.render.stories as story_formats

    renderers = {
        "jsonl": story_formats.render_jsonl,
        "json": story_formats.render_json,
        "text": story_formats.render_text,
        "markdown": story_formats.render_markdown,
    }
    if fmt not in renderers:
        raise NewsdigestError(f"unknown format {fmt!r} (known: {', '.join(STORY_FORMATS)})")
    return renderers[fmt](stories, digests)
