"""All stories on one self-contained HTML page (inline CSS, no script, no external request).

The page is ``templates/stories.html``, rendered by the analysis report's Jinja2 environment.

Article text is untrusted: every value goes through Jinja2's autoescaping.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from newsdigest.model import Digest, Story
from newsdigest.render.analysis_html import environment, stylesheet
from newsdigest.render.stories import summary_line


def _safe_url(url: str) -> str:
    # Only web links: a "javascript:" URL in a feed must not become a live link.
    return url if url.lower().startswith(("http://", "https://")) else ""


def _story_view(story: Story, digest: Digest | None) -> dict:
    numbers = {a.id: k for k, a in enumerate(story.articles, start=1)}
    summary = []
    if digest is not None:
        summary = [{"text": ds.text, "numbers": [numbers[c] for c in ds.citations if c in numbers]} for ds in digest.sentences]
    return {
        "id": story.id,
        "title": story.title,
        "meta": summary_line(story),
        "summary": summary,
        "articles": [
            {
                "label": a.label,
                "url": _safe_url(a.url),
                "date": a.date.isoformat() if a.date else "",
                "copies": [c.source or c.id for c in a.copies],
            }
            for a in story.articles
        ],
    }


def render_html(stories: Sequence[Story], digests: Mapping[str, Digest], title: str = "Stories") -> str:
    views = [_story_view(s, digests.get(s.id)) for s in stories]
    return environment().get_template("stories.html").render(title=title, css=stylesheet(), stories=views)
