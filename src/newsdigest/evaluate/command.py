"""``newsdigest evaluate``: load, summarize, score, print; bad input is an exit code, not a traceback."""

from __future__ import annotations

import json
import sys
from contextlib import closing
from pathlib import Path

from newsdigest.evaluate.datasets import DEFAULT_METRIC, count_clusters, detect_format, iter_clusters, saying_warnings
from newsdigest.evaluate import readahead
from newsdigest.evaluate.parallel import iterate_in_child

EXIT_OK = 0
EXIT_BAD_INPUT = 2  # unknown layout or method, bad numbers, unreadable files


def evaluate_command(
    dataset: str | Path,
    *,
    words: int,
    method: str = "ilp",
    save_summaries: str | Path | None = None,
    json_output: bool = False,
    limit: int | None = None,
    metric: str | None = None,
) -> int:
    """Run the command; returns the exit code.

    Bad input (unknown layout, unknown method, bad numbers) is one line on stderr
    and :data:`EXIT_BAD_INPUT`, never a traceback. A cluster the method fails on
    is a warning on stderr and scored as an empty summary.

    The dataset is read in a forked child (forked when the process started, when
    ``python -m newsdigest`` guessed the dataset right: :mod:`.readahead`), a second child summarizes
    clusters beside this process and a third scores the summaries
    (:mod:`newsdigest.evaluate.parallel`), so reading, scoring and this
    process's start-up overlap with summarizing, on two cores.
    """
    try:
        if limit is not None and limit < 1:
            raise ValueError(f"--limit must be at least 1, got {limit}")
        kind = detect_format(dataset)
        metric = metric or DEFAULT_METRIC[kind]
        # Reading starts first (or started with the process: readahead), so that it runs beside
        # the imports below (NumPy, SciPy, the summarizers: most of this process's start-up).
        reader = readahead.take(dataset, limit)
        if reader is None:
            reader = iterate_in_child(lambda: iter_clusters(dataset, limit=limit))
        with closing(reader) as read:
            clusters = saying_warnings(read)
            from newsdigest.evaluate.runner import evaluate_system
            from newsdigest.evaluate.systems import NewsdigestSystem

            system = NewsdigestSystem(method)
            progress = sys.stderr.isatty()
            total = min(count_clusters(dataset), limit or sys.maxsize) if progress else None
            result = evaluate_system(
                clusters,
                system,
                words=words,
                metric=metric,
                save_summaries=save_summaries,
                progress=progress,
                total=total,
                score_in_child=True,
                summarize_in_child=True,
            )
        if not result.clusters:
            raise ValueError(f"{dataset}: no clusters found")
    except (ValueError, OSError) as problem:
        # Plain write: rich would wrap a long path over two lines.
        sys.stderr.write(f"newsdigest: error: {problem}\n")
        return EXIT_BAD_INPUT

    if json_output:
        payload = {"dataset": str(dataset), "kind": kind, **result.to_dict()}
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
    else:
        from newsdigest.evaluate.tables import print_result

        print_result(result, method=method, dataset=str(dataset))
    for failure in result.failures:
        sys.stderr.write(f"newsdigest: warning: {failure.id}: {failure.error} (scored as an empty summary)\n")
    return EXIT_OK
