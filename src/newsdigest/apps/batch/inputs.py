"""The input stage: a dataset on disk -> a lazy stream of jobs (one cluster each).

Any layout :mod:`newsdigest.evaluate.datasets` reads works (DUC folders,
Multi-News JSON lines, MultiLing, newsdigest JSON lines with ``documents``, or
article lines with a ``cluster``/``story`` field). Clusters are read one at a
time, so the client never holds the corpus. Another stage that yields
:class:`~newsdigest.apps.batch.tasks.Job` values (e.g. stories grouped from a
raw stream of articles) plugs into :func:`newsdigest.apps.batch.run.run_batch`
the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path

from newsdigest.apps.batch.tasks import Job


def dataset_jobs(path: str | Path) -> Iterator[Job]:
    """Every cluster of the dataset at ``path`` as a job; unreadable records are jobs with a problem.

    JSON lines layouts travel as raw lines (the worker parses and cleans them:
    the client only splits the file); folder layouts (DUC, MultiLing: small
    research sets) are parsed here. Raises ValueError (one line, naming the
    path) when the layout is not recognised.
    """
    from newsdigest.evaluate import datasets

    kind = datasets.detect_format(path)
    if kind in (datasets.MULTINEWS, datasets.JSONL):
        for number, line in datasets.numbered_lines(path):
            yield Job(datasets.record_cluster_id(line, number), lines=((number, line),), kind=kind, path=str(path))
    elif kind == datasets.ARTICLES:
        groups, broken = datasets.article_groups(path)
        for number, message in broken:
            cluster = datasets.article_line_problem(path, number, message)
            yield Job(cluster.id, problem=cluster.problem)
        for key, lines in groups.items():
            yield Job(key, lines=tuple(datasets.read_lines(path, lines)), kind=kind, path=str(path))
    else:
        for cluster in datasets.saying_warnings(datasets.iter_clusters(path, checked=False)):
            yield Job(cluster.id, tuple(cluster.documents), cluster.problem)


def dataset_size(path: str | Path) -> int | None:
    """How many clusters the dataset holds, for the progress bar (None when it cannot tell)."""
    from newsdigest.evaluate.datasets import count_clusters

    try:
        return count_clusters(path)
    except (OSError, ValueError):
        return None


def new_jobs(jobs: Iterable[Job], done: set[str], on_duplicate: Callable[[str], None]) -> Iterator[Job]:
    """The jobs whose id is not in ``done`` (the ids already written, for --resume), each id once.

    A repeated id in the input is reported to ``on_duplicate`` and skipped: the
    output never has two rows for one id.
    """
    seen: set[str] = set()
    for job in jobs:
        if job.id in seen:
            on_duplicate(job.id)
            continue
        seen.add(job.id)
        if job.id not in done:
            yield job


def batches(jobs: Iterable[Job], size: int) -> Iterator[list[Job]]:
    """``jobs`` in lists of ``size`` (the last one shorter), read lazily."""
    iterator = iter(jobs)
    while batch := list(islice(iterator, size)):
        yield batch
