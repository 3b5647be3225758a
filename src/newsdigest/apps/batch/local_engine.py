"""The local engine: a pool of worker processes on this machine (concurrent.futures).

At most ``2 × workers`` batches are in flight, so the dataset is read only as
fast as it is digested. A worker process that dies (killed, out of memory)
breaks the pool: the pool is recreated and the unfinished batches are sent
again, each up to ``attempts`` times in all, after which its clusters get
error rows (the same rule Dask applies to tasks on dying workers).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from newsdigest.apps.batch.tasks import Job, Options, Row, digest_jobs, error_row, one_line, prepare_worker

DEFAULT_ATTEMPTS = 3
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def lost_rows(jobs: list[Job], message: str) -> list[Row]:
    return [error_row(job.id, message) for job in jobs]


class LocalEngine:
    """Digest batches in ``workers`` local processes."""

    dashboard = None

    def __init__(self, options: Options, workers: int | None = None, attempts: int = DEFAULT_ATTEMPTS) -> None:
        self.options = options
        self.workers = workers or default_workers()
        self.attempts = attempts
        # One process per core already: numerical libraries must not start a thread pool each
        # (the defaults Dask's nanny gives its workers). Children read these when they start.
        for variable in THREAD_VARIABLES:
            os.environ.setdefault(variable, "1")
        # forkserver: workers never inherit the client's threads or state (safe next to a Dask client).
        self.context = multiprocessing.get_context("forkserver")
        self.pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            self.workers, mp_context=self.context, initializer=prepare_worker, initargs=(self.options,)
        )

    def run(self, batches: Iterator[list[Job]]) -> Iterator[list[Row]]:
        """The rows of every batch, as batches finish (not in input order)."""
        in_flight: dict[Future, tuple[list[Job], int]] = {}
        # Batches for the next pool, with the attempt they are on: those of a pool that broke,
        # and any the broken pool refused before it said so through a future.
        retry: list[tuple[list[Job], int]] = []
        limit = 2 * self.workers
        exhausted = False
        while True:
            while not retry and not exhausted and len(in_flight) < limit:
                batch = next(batches, None)
                if batch is None:
                    exhausted = True
                elif not self._submit(in_flight, batch, 1):
                    retry.append((batch, 1))
            if not in_flight and not retry:
                return
            if in_flight:
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    batch, attempt = in_flight.pop(future)
                    try:
                        yield future.result()
                    except BrokenProcessPool:
                        retry.append((batch, attempt + 1))
                    except Exception as error:  # noqa: BLE001 - e.g. a batch that cannot be pickled
                        yield lost_rows(batch, one_line(error))
            if retry:
                # Every batch still in the broken pool fails too: collect them all, then start over.
                for future in list(in_flight):
                    batch, attempt = in_flight.pop(future)
                    try:
                        yield future.result()
                    except Exception:  # noqa: BLE001 - BrokenProcessPool, or lost with it
                        retry.append((batch, attempt + 1))
                self.pool.shutdown(wait=True, cancel_futures=True)
                self.pool = self._new_pool()
                again, retry = retry, []
                for batch, attempt in again:
                    if attempt > self.attempts:
                        yield lost_rows(batch, f"a worker process died while digesting it ({attempt - 1} attempts)")
                    elif not self._submit(in_flight, batch, attempt):
                        retry.append((batch, attempt))

    def _submit(self, in_flight: dict[Future, tuple[list[Job], int]], batch: list[Job], attempt: int) -> bool:
        """Hand ``batch`` to the pool; False when the pool has broken (a worker died) and refuses it."""
        try:
            in_flight[self.pool.submit(digest_jobs, batch, self.options)] = (batch, attempt)
        except BrokenProcessPool:
            return False
        return True

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
