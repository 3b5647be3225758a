"""``newsdigest evaluate``: load, summarize, score, print; bad input is an exit code, not a traceback."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from newsdigest.evaluate.datasets import DEFAULT_METRIC, load_dataset
from newsdigest.evaluate.runner import evaluate_system
from newsdigest.evaluate.systems import NewsdigestSystem
from newsdigest.evaluate.tables import print_result

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
    """
    try:
        if limit is not None and limit < 1:
            raise ValueError(f"--limit must be at least 1, got {limit}")
        clusters = load_dataset(dataset, limit=limit)
        metric = metric or DEFAULT_METRIC[clusters[0].kind]
        system = NewsdigestSystem(method)
        result = evaluate_system(
            clusters,
            system,
            words=words,
            metric=metric,
            save_summaries=save_summaries,
            progress=sys.stderr.isatty(),
        )
    except (ValueError, OSError) as problem:
        # Plain write: rich would wrap a long path over two lines.
        sys.stderr.write(f"newsdigest: error: {problem}\n")
        return EXIT_BAD_INPUT

    if json_output:
        payload = {"dataset": str(dataset), "kind": clusters[0].kind, **result.to_dict()}
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
    else:
        print_result(result, method=method, dataset=str(dataset))
    for failure in result.failures:
        sys.stderr.write(f"newsdigest: warning: {failure.id}: {failure.error} (scored as an empty summary)\n")
    return EXIT_OK
