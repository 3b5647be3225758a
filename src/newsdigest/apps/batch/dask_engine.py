"""The Dask engine: batches are tasks on a ``dask.distributed`` cluster.

Without a scheduler address a :class:`distributed.LocalCluster` of worker
processes is started (one thread each: digesting is pure Python); with one,
the run joins that cluster (Kubernetes, SLURM, ... see docs/scale.md).
Dask's own machinery handles failures: a worker that dies is replaced (by its
nanny, or by the cluster manager) and its tasks run again elsewhere, up to
``distributed.scheduler.allowed-failures`` times; a task that still cannot
finish gives its clusters error rows. Heavy models load once per worker, in a
worker plugin, not in every task.
"""

from __future__ import annotations

import logging
import time
from contextlib import suppress
from importlib.util import find_spec
from collections.abc import Iterator

from distributed import Client, LocalCluster, as_completed
from distributed.diagnostics.plugin import WorkerPlugin

from newsdigest.apps.batch.local_engine import default_workers, lost_rows
from newsdigest.apps.batch.tasks import Job, Options, Row, digest_jobs, one_line, prepare_worker

# Retries for a task that raised (digest_jobs catches each cluster's errors, so
# this covers the rest: e.g. a worker running out of memory mid-task).
TASK_RETRIES = 2
# How often the number of workers (and so the number of batches in flight) is looked up again.
RECOUNT_SECONDS = 5.0
PLUGIN_NAME = "newsdigest-batch-prepare"


class PrepareWorker(WorkerPlugin):
    """Loads the models a run needs on every worker, including workers that join or restart later."""

    def __init__(self, options: Options) -> None:
        self.options = options

    def setup(self, worker) -> None:
        prepare_worker(self.options)


class DaskEngine:
    """Digest batches as Dask tasks, on a local cluster or on the one at ``scheduler``."""

    def __init__(
        self,
        options: Options,
        workers: int | None = None,
        scheduler: str | None = None,
        dashboard_address: str | None = ":8787",
    ) -> None:
        self.options = options
        self.cluster = None
        self.dashboard_address = dashboard_address
        if scheduler:
            self.client = Client(scheduler)
        else:
            self.cluster = LocalCluster(
                n_workers=workers or default_workers(),
                threads_per_worker=1,
                processes=True,
                dashboard_address=dashboard_address,
                silence_logs=logging.ERROR,
            )
            self.client = Client(self.cluster)
        try:
            self.client.register_plugin(PrepareWorker(options), name=PLUGIN_NAME)
        except Exception:
            self.close()
            raise

    @property
    def dashboard(self) -> str | None:
        """The dashboard's address, when there is one (a local cluster has one only with bokeh installed)."""
        if self.cluster is not None and not (self.dashboard_address is not None and find_spec("bokeh")):
            return None
        return self.client.dashboard_link or None

    @property
    def workers(self) -> int:
        """Worker threads in the cluster now (at least 1: the cluster may still be starting)."""
        return max(1, sum(self.client.nthreads().values()))

    def run(self, batches: Iterator[list[Job]]) -> Iterator[list[Row]]:
        """The rows of every batch, as batches finish (not in input order).

        At most ``2 × workers`` batches are submitted at a time; the next batch
        is read only when one finishes, so the client never holds the corpus.
        """
        pending: dict[str, list[Job]] = {}
        finished = as_completed()

        def submit_next() -> bool:
            batch = next(batches, None)
            if batch is None:
                return False
            future = self.client.submit(digest_jobs, batch, self.options, pure=False, retries=TASK_RETRIES)
            pending[future.key] = batch
            finished.add(future)
            return True

        limit, recount = 2 * self.workers, time.monotonic() + RECOUNT_SECONDS
        while len(pending) < limit and submit_next():
            pass
        for future in finished:
            batch = pending.pop(future.key)
            try:
                rows = future.result()
            except Exception as error:  # noqa: BLE001 - KilledWorker after too many deaths, lost data, ...
                rows = lost_rows(batch, f"the Dask task failed: {one_line(error)}")
            future.release()
            yield rows
            if time.monotonic() > recount:  # workers may join or leave (adaptive clusters)
                limit, recount = 2 * self.workers, time.monotonic() + RECOUNT_SECONDS
            while len(pending) < limit and submit_next():
                pass

    def close(self) -> None:
        if self.cluster is None:  # leave a shared cluster as it was found
            with suppress(Exception):
                self.client.unregister_worker_plugin(PLUGIN_NAME)
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
