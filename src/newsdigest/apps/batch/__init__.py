"""`newsdigest batch`: digest whole corpora, one JSON line per cluster, locally or on Dask.

Stages: :mod:`.inputs` (dataset -> lazy stream of jobs), :mod:`.tasks` (what a
worker does with a batch of jobs), an engine (:mod:`.local_engine` process pool
or :mod:`.dask_engine`), :mod:`.output` (append rows, resume) and :mod:`.run`
(the loop tying them together); :mod:`.command` is the command line around it.
"""

from newsdigest.apps.batch.command import batch_command
from newsdigest.apps.batch.run import BatchResult, make_engine, run_batch
from newsdigest.apps.batch.tasks import Job, Options, Row

__all__ = ["BatchResult", "Job", "Options", "Row", "batch_command", "make_engine", "run_batch"]
