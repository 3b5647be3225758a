"""Stories as JSON, JSON lines, plain text and Markdown.

One story as JSON (``story_to_dict``; one line of ``--format jsonl``, schema in
``stories.schema.json``)::

    {"id", "title", "articles": [{"id", "source", "title", "date", "copies": [ids]}],
     "sources", "start", "end", "digest"}

``digest`` is the ``summarize`` JSON (:func:`~newsdigest.render.digest_json.digest_to_dict`)
and is absent when the story was not digested.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from importlib import resources

from newsdigest.model import Digest, Story
from newsdigest.render.digest_json import digest_to_dict
import newsdigest.render.digest_text as digest_text
import newsdigest.render.escape as escape

SCHEMA_VERSION = 1

Digests = Mapping[str, Digest]  # story id -> its digest


def _date(value) -> str | None:
    return value.isoformat() if value else None


def story_to_dict(story: Story, digest: Digest | None = None) -> dict:
    out = {
        "id": story.id,
        "title": story.title,
        "articles": [
            {
                "id": a.id,
                "source": a.source,
                "title": a.title,
                "date": _date(a.date),
                "url": a.url,
                "copies": [c.id for c in a.copies],
                "outlets": a.outlets,
            }
            for a in story.articles
        ],
        "sources": story.sources,
        "start": _date(story.start),
        "end": _date(story.end),
    }
    if digest is not None:
        out["digest"] = digest_to_dict(digest)
    return out


def render_jsonl(stories: Sequence[Story], digests: Digests) -> str:
    return "".join(json.dumps(story_to_dict(s, digests.get(s.id)), ensure_ascii=False) + "\n" for s in stories)


def render_json(stories: Sequence[Story], digests: Digests) -> str:
    payload = {"schema_version": SCHEMA_VERSION, "stories": [story_to_dict(s, digests.get(s.id)) for s in stories]}
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _span(story: Story) -> str:
    if not story.start:
        return "undated"
    if story.start == story.end:
        return story.start.isoformat()
    return f"{story.start.isoformat()} – {story.end.isoformat()}"


def summary_line(story: Story) -> str:
    copies = sum(len(a.copies) for a in story.articles)
    extra = f", {copies} copies" if copies else ""
    return f"{len(story.articles)} articles{extra}, {len(story.sources)} sources, {_span(story)}"


def _carried_by(story: Story) -> list[str]:
    return [f"{a.id} also in: {', '.join(c.source or c.id for c in a.copies)}" for a in story.articles if a.copies]


def render_text(stories: Sequence[Story], digests: Digests) -> str:
    blocks = []
    for n, story in enumerate(stories, start=1):
        lines = [f"{n}. {story.title}", f"   {summary_line(story)} · {story.id}"]
        lines += [f"   {line}" for line in _carried_by(story)]
        digest = digests.get(story.id)
        if digest is not None:
            lines += ["", digest_text.render_text(digest).rstrip("\n")]
        else:
            lines += [f"   - {a.label}" + (f" ({a.date.isoformat()})" if a.date else "") for a in story.articles]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n" if blocks else "No stories.\n"


def render_markdown(stories: Sequence[Story], digests: Digests) -> str:
    blocks = []
    for n, story in enumerate(stories, start=1):
        lines = [f"# {n}. {escape.markdown(story.title)}", "", f"*{escape.markdown(summary_line(story))}* · `{story.id}`"]
        lines += [f"- {escape.markdown(line)}" for line in _carried_by(story)]
        digest = digests.get(story.id)
        if digest is not None:
            lines += ["", digest_text.render_markdown(digest).rstrip("\n")]
        else:
            lines += [""] + [f"- {escape.markdown(a.label)}" for a in story.articles]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def story_schema() -> dict:
    """The JSON Schema of one story (a line of ``--format jsonl``)."""
    text = resources.files("newsdigest.render").joinpath("stories.schema.json").read_text("utf-8")
    return json.loads(text)
