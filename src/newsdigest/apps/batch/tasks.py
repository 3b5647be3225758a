"""What runs on a worker: digest a batch of clusters into finished output rows.

Everything here is a plain, picklable value or a module-level function, so the
same code runs in a local process pool and on Dask workers. A cluster that
raises becomes an error row; it never takes its batch down with it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from newsdigest.model import Document


@dataclass(frozen=True)
class Options:
    """How every cluster of a run is digested (the same for all of them)."""

    words: int | None = None
    sentences: int | None = None
    method: str = "ilp"
    analysis: bool = False


@dataclass(frozen=True)
class Job:
    """One cluster to digest; ``problem`` set when it could not even be read.

    The documents come either parsed (``documents``) or as the raw JSON
    ``lines`` (line number, text) of a ``kind`` of dataset file at ``path``,
    parsed and cleaned on the worker, so the client only splits the input.

    ``fields``: more JSON fields for its row, between ``id`` and ``digest``
    (a story's title, articles, sources and dates with ``--stories``).
    """

    id: str
    documents: tuple[Document, ...] = ()
    problem: str = ""
    lines: tuple[tuple[int, str], ...] = ()
    kind: str = ""
    path: str = ""
    fields: dict | None = None


def job_documents(job: Job) -> tuple[list[Document], str]:
    """The job's documents, parsed from its raw lines when it has them, and its problem ('' when none)."""
    if not job.lines:
        return list(job.documents), job.problem
    from newsdigest.evaluate.datasets import ARTICLES, articles_cluster, record_cluster

    if job.kind == ARTICLES:
        cluster = articles_cluster(job.id, list(job.lines), job.path)
    else:
        ((number, line),) = job.lines
        cluster = record_cluster(line, number, job.path, job.kind)
    return cluster.documents, cluster.problem


@dataclass(frozen=True)
class Row:
    """One output row: the cluster id, its error (None when digested) and the JSON line."""

    id: str
    error: str | None
    line: str


def one_line(error: BaseException) -> str:
    """An exception as one line: the message of our own errors, else its type and message."""
    from newsdigest.errors import NewsdigestError

    text = str(error) if isinstance(error, NewsdigestError) else f"{type(error).__name__}: {error}"
    return " ".join(text.split()) or type(error).__name__


def error_row(cluster_id: str, message: str) -> Row:
    message = " ".join(message.split())
    return Row(cluster_id, message, json.dumps({"id": cluster_id, "error": message}, ensure_ascii=False))


def prepare_worker(options: Options) -> None:
    """Load what every task needs once per worker process, before the first task.

    The loaders cache at module level (spaCy's model in
    :func:`newsdigest.analyze.parsing.load_nlp`), so tasks reuse them. It never
    raises: a missing model is reported by every task that needs it instead of
    breaking the worker.
    """
    from newsdigest.summarize.registry import get_method

    try:
        get_method(options.method)  # imports the method's libraries (scikit-learn, HiGHS)
        if options.analysis:
            from newsdigest.analyze.parsing import load_nlp

            load_nlp()
    except Exception:  # noqa: BLE001 - only a warm-up: each task then reports the error in its rows
        pass


def digest_job(job: Job, options: Options) -> Row:
    """The row for one cluster: its digest as ``newsdigest summarize --format json`` gives it, or its error."""
    from newsdigest.pipeline import summarize_documents
    from newsdigest.render.digest_json import digest_to_dict

    try:
        documents, problem = job_documents(job)
        if problem:
            return error_row(job.id, problem)
        digest = summarize_documents(documents, words=options.words, sentences=options.sentences, method=options.method)
        if options.analysis:
            from newsdigest.analyze import analyze_documents

            digest.analysis = analyze_documents(digest.documents, digest=digest)
        line = json.dumps({"id": job.id, **(job.fields or {}), "digest": digest_to_dict(digest)}, ensure_ascii=False)
    except Exception as error:  # noqa: BLE001 - one cluster's failure must not end the run
        return error_row(job.id, one_line(error))
    return Row(job.id, None, line)


def digest_jobs(jobs: list[Job], options: Options) -> list[Row]:
    """The rows of a batch of clusters, in order (the unit of work sent to a worker)."""
    return [digest_job(job, options) for job in jobs]
