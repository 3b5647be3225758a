"""A batch run: jobs in, one output row per cluster appended as it finishes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from newsdigest.apps.batch.inputs import batches, new_jobs
from newsdigest.apps.batch.output import RowWriter
from newsdigest.apps.batch.tasks import Job, Row, one_line

ENGINES = ("local", "dask")
DASK_MISSING = "the dask engine needs the dask extra: pip install 'newsdigest[dask]'"


class EngineUnavailable(RuntimeError):
    """The engine asked for is not installed or cannot start (one-line message)."""


@dataclass
class BatchResult:
    """What a run did: rows written now, and the ids that failed among them."""

    digested: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (id, error)
    duplicates: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0: every cluster digested (or nothing left to do); 1: none; 3: some failed."""
        if not self.failed:
            return 0
        return 1 if self.digested == 0 else 3


def make_engine(name: str, options, *, workers: int | None = None, scheduler: str | None = None, **dask_options):
    """The engine called ``name`` (one of :data:`ENGINES`), started and ready to run."""
    if name == "local":
        if scheduler:
            raise EngineUnavailable("--scheduler needs --engine dask")
        from newsdigest.apps.batch.local_engine import LocalEngine

        return LocalEngine(options, workers=workers)
    if name == "dask":
        try:
            from newsdigest.apps.batch.dask_engine import DaskEngine
        except ImportError:
            raise EngineUnavailable(DASK_MISSING) from None
        try:
            return DaskEngine(options, workers=workers, scheduler=scheduler, **dask_options)
        except OSError as error:  # the scheduler cannot be reached
            raise EngineUnavailable(f"cannot reach the Dask scheduler {scheduler}: {one_line(error)}") from None
        except Exception as error:  # noqa: BLE001 - e.g. workers without newsdigest cannot load the worker plugin
            raise EngineUnavailable(f"the Dask cluster cannot run newsdigest: {one_line(error)}") from None
    raise EngineUnavailable(f"unknown engine {name!r} (known: {', '.join(ENGINES)})")


def run_batch(
    jobs: Iterable[Job],
    out: Path,
    engine,
    *,
    done: set[str] = frozenset(),
    batch_size: int = 4,
    on_row: Callable[[Row], None] = lambda row: None,
) -> BatchResult:
    """Digest every job whose id is not in ``done`` on ``engine``; append a row per cluster to ``out``.

    Rows are written and flushed as batches finish, so an interrupted run keeps
    what it finished. ``on_row`` is called after each row is written (progress).
    """
    result = BatchResult()
    todo = new_jobs(jobs, set(done), result.duplicates.append)
    with RowWriter(out) as writer:
        for rows in engine.run(batches(todo, batch_size)):
            for row in rows:
                writer.write(row)
                if row.error is None:
                    result.digested += 1
                else:
                    result.failed.append((row.id, row.error))
                on_row(row)
    return result
