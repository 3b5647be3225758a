"""`newsdigest batch --stories`: a raw stream of articles grouped into stories on the engine's workers, then one job per story.

Stages (each timed, see :class:`StoryStages`): read the stream on the client;
group it by time window on the workers
(:func:`newsdigest.stories.sharded.group_sharded` with the engine's map);
fold copies, name and rank the stories and drop the furniture found in the
stream (:mod:`newsdigest.stories.furniture`: sentences recurring across 3
stories of one window, or of an even sample of :data:`FURNITURE_SAMPLE`
stories of the whole stream); then the usual batch run digests
one job per story. A row is the story as ``newsdigest stories --format jsonl``
writes it (:func:`newsdigest.render.stories.story_to_dict`): id, title,
articles (ids, outlets, dates, copies), sources, start, end and the digest.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from newsdigest.apps.batch.tasks import Job
from newsdigest.model import Problem, Story

# Stories read on the client to find furniture recurring across windows (an even sample of them).
FURNITURE_SAMPLE = 20_000


@dataclass
class StoryStages:
    """What the grouping stages did and how long each took (seconds, wall clock)."""

    articles: int = 0
    stories: int = 0
    furniture: int = 0  # sentences found recurring across unrelated stories
    seconds: dict[str, float] = field(default_factory=dict)


def engine_map(runner) -> Callable:
    """A ``map(function, items)`` that runs on ``runner``'s workers and returns results in order."""
    pool = getattr(runner, "pool", None)
    if pool is not None:  # the local engine's process pool
        return pool.map
    client = runner.client  # the Dask engine

    def dask_map(function, items):
        futures = client.map(function, list(items), pure=False)
        try:
            return client.gather(futures)
        finally:
            for future in futures:
                future.release()

    return dask_map


def read_stream(path: str | Path) -> tuple[list, list[Problem]]:
    """The articles of a stream file (any format ``newsdigest stories`` reads); copies kept for the grouping."""
    from newsdigest.ingest import load_documents
    from newsdigest.ingest.decode import MAX_BYTES

    # A stream file is a corpus, not one article: the per-file size limit is lifted for it.
    path = Path(path)
    size = path.stat().st_size if path.is_file() else 0
    return load_documents([str(path)], duplicate_threshold=None, max_bytes=max(MAX_BYTES, size))


def group_stream(
    documents: list,
    runner,
    *,
    window_days: int,
    rounds: int | None,
    stages: StoryStages,
) -> list[Story]:
    """The stories of ``documents``, grouped by time window on ``runner``, furniture removed."""
    from newsdigest.stories import build_stories
    from newsdigest.stories.furniture import stream_furniture, without_furniture
    from newsdigest.stories.sharded import group_sharded

    start = time.perf_counter()
    grouping, furniture = group_sharded(
        documents, window_days=window_days, rounds=rounds, furniture=True, map_windows=engine_map(runner)
    )
    stages.seconds["group"] = time.perf_counter() - start
    start = time.perf_counter()
    stories = build_stories(documents, grouping)
    # Windows find the furniture recurring within them; a sample of all the stories finds what recurs across them.
    step = max(1, len(stories) // FURNITURE_SAMPLE)
    furniture = furniture | stream_furniture(stories[::step])
    stories = without_furniture(stories, furniture)
    stages.seconds["build"] = time.perf_counter() - start
    stages.articles, stages.stories, stages.furniture = len(documents), len(stories), len(furniture)
    return stories


def story_jobs(stories: list[Story]) -> Iterator[Job]:
    """One job per story; its row carries the story's fields (articles, sources, dates) before the digest."""
    from newsdigest.render.stories import story_to_dict

    for story in stories:
        fields = story_to_dict(story)
        del fields["id"]
        yield Job(story.id, tuple(story.documents), fields=fields)
