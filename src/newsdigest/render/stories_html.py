"""All stories on one self-contained HTML page (inline CSS, no script, no external request).

Article text is untrusted: every value goes through Jinja2's autoescaping.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources

from newsdigest.model import Digest, Story
from newsdigest.render.stories import summary_line

TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>{{ title }}</title>
<style>{{ css|safe }}</style>
</head>
<body><main>
<h1>{{ title }}</h1>
<p class="muted">{{ stories|length }} stories · grouped by newsdigest</p>
<nav>{% for s in stories %}<a href="#{{ s.id }}">{{ loop.index }}</a>{% endfor %}</nav>
{% for s in stories %}
<section id="{{ s.id }}">
<h2>{{ loop.index }}. {{ s.title }}</h2>
<p class="muted">{{ s.meta }}</p>
{% if s.summary %}<p class="summary">{% for sentence in s.summary %}<span class="sentence">{{ sentence.text }}</span>{% for n in sentence.numbers %}<a class="cite" href="#{{ s.id }}-src-{{ n }}">[{{ n }}]</a>{% endfor %} {% endfor %}</p>{% endif %}
<ol>{% for a in s.articles %}<li id="{{ s.id }}-src-{{ loop.index }}">{% if a.url %}<a href="{{ a.url }}" rel="noreferrer nofollow">{{ a.label }}</a>{% else %}{{ a.label }}{% endif %}{% if a.date %} <span class="muted">({{ a.date }})</span>{% endif %}{% if a.copies %} <span class="muted">also in: {{ a.copies|join(", ") }}</span>{% endif %}</li>{% endfor %}</ol>
</section>
{% endfor %}
</main></body></html>
"""


@lru_cache(maxsize=1)
def _template():
    from jinja2 import Environment

    return Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True).from_string(TEMPLATE)


@lru_cache(maxsize=1)
def _css() -> str:
    return resources.files("newsdigest.render").joinpath("analysis.css").read_text(encoding="utf-8")


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
    return _template().render(title=title, css=_css(), stories=views)
