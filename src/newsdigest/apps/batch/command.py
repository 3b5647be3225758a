"""`newsdigest batch`: messages, progress bar and exit status around :func:`run_batch`."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from newsdigest.apps.batch.run import EngineUnavailable, make_engine, run_batch
from newsdigest.apps.batch.tasks import Options


def say(message: str) -> None:
    print(f"newsdigest: {message}", file=sys.stderr, flush=True)


def batch_command(
    dataset: str,
    out: Path,
    *,
    words: int | None = None,
    sentences: int | None = None,
    method: str = "ilp",
    analysis: bool = False,
    engine: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    batch_size: int = 4,
    progress: bool = True,
    stories: bool = False,
    window_days: int = 30,
    rounds: int | None = 2,
) -> int:
    """Run a batch and return the exit status: 0 all digested, 1 none, 2 bad usage, 3 some failed, 130 interrupted.

    ``stories``: ``dataset`` is a raw stream of articles, grouped into stories
    first (by windows of ``window_days``, in at most ``rounds`` rounds; see
    :mod:`newsdigest.apps.batch.stories`); then each story is digested.
    """
    from newsdigest.apps.batch.inputs import dataset_jobs, dataset_size
    from newsdigest.apps.batch.output import written_ids
    from newsdigest.evaluate.datasets import detect_format
    from newsdigest.summarize.registry import available_methods

    if method not in available_methods():
        say(f"error: unknown method {method!r} (known: {', '.join(available_methods())})")
        return 2
    if not stories:
        try:
            detect_format(dataset)
        except ValueError as error:
            say(f"error: {error}")
            return 1
    done: set[str] = set()
    if out.is_dir():
        say(f"error: cannot write {out}: it is a folder (--out names a JSON lines file)")
        return 2
    if not out.parent.is_dir():
        say(f"error: cannot write {out}: no such folder {out.parent}")
        return 2
    if out.exists() and out.stat().st_size > 0:
        if not resume:
            say(f"error: {out} exists: add --resume to continue it, or remove it")
            return 2
        try:
            done, ignored = written_ids(out)
        except OSError as error:
            say(f"error: cannot read {out}: {error.strerror or error}")
            return 1
        say(f"resuming: {len(done)} clusters already in {out}")
        if ignored:
            say(f"warning: {out}: {ignored} lines are not rows and were ignored")
    options = Options(words=words, sentences=sentences, method=method, analysis=analysis)
    try:
        runner = make_engine(engine, options, workers=workers, scheduler=scheduler)
    except EngineUnavailable as error:
        say(f"error: {error}")
        return 2
    try:
        if runner.dashboard:
            say(f"Dask dashboard: {runner.dashboard}")
        if stories:
            jobs, total = _story_jobs(dataset, runner, window_days, rounds)
            if jobs is None:
                return 1
        else:
            jobs, total = dataset_jobs(dataset), dataset_size(dataset)
        result = _run_with_progress(jobs, out, runner, done, total, batch_size, progress)
    except KeyboardInterrupt:
        say(f"interrupted: the finished clusters are in {out}; run again with --resume to go on")
        return 130
    except (OSError, ValueError) as error:  # the dataset or the cluster failed mid-run
        say(f"error: {' '.join(str(error).split())}; the finished clusters are in {out}")
        return 1
    finally:
        runner.close()
    for cluster_id in result.duplicates:
        say(f"warning: cluster id {cluster_id!r} appears again in {dataset}; only its first cluster was digested")
    for cluster_id, error in result.failed:
        say(f"failed: {cluster_id}: {error}")
    attempted = result.digested + len(result.failed)
    say(f"{result.digested} of {attempted} clusters digested into {out}" + (f", {len(result.failed)} failed" if result.failed else ""))
    return result.exit_code


def _story_jobs(dataset: str, runner, window_days: int, rounds: int | None):
    """The jobs of the stories found in the stream ``dataset`` and their number; (None, 0) when it has no article."""
    from newsdigest.apps.batch.stories import StoryStages, group_stream, read_stream, story_jobs
    from newsdigest.errors import NewsdigestError
    from newsdigest.render.escape import plain

    start = time.perf_counter()
    documents, problems = read_stream(dataset)
    for problem in problems:
        say(plain(problem))
    if not documents:
        say(f"error: {plain(dataset)}: no articles to group into stories")
        return None, 0
    stages = StoryStages(seconds={"read": time.perf_counter() - start})
    try:
        found = group_stream(documents, runner, window_days=window_days, rounds=rounds, stages=stages)
    except NewsdigestError as error:
        raise ValueError(str(error)) from None
    timing = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in stages.seconds.items())
    say(
        f"{stages.articles} articles grouped into {stages.stories} stories ({timing}); "
        f"{stages.furniture} recurring furniture sentences dropped"
    )
    return story_jobs(found), len(found)


def _run_with_progress(jobs, out: Path, runner, done: set[str], total: int | None, batch_size: int, progress: bool):
    from tqdm import tqdm

    remaining = max(0, total - len(done)) if total is not None else None
    with tqdm(total=remaining, unit="cluster", file=sys.stderr, disable=not progress, dynamic_ncols=True) as bar:
        failed = 0

        def advance(row) -> None:
            nonlocal failed
            bar.update(1)
            if row.error is not None:
                failed += 1
                bar.set_postfix(failed=failed, refresh=False)

        return run_batch(jobs, out, runner, done=done, batch_size=batch_size, on_row=advance)
