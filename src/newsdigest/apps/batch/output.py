"""The output file: JSON lines, one row per cluster, appended and flushed as clusters finish."""

from __future__ import annotations

import json
from pathlib import Path

from newsdigest.apps.batch.tasks import Row


def written_ids(path: Path) -> tuple[set[str], int]:
    """The ids of the rows already in ``path`` and how many unusable lines were ignored.

    A last line without its newline (a run killed mid-write) is cut off the
    file, so the rows appended next start on a line of their own; that
    cluster is simply digested again.
    """
    ids: set[str] = set()
    ignored = 0
    keep = 0  # bytes up to the end of the last complete line
    with path.open("rb") as handle:
        for raw in handle:
            if not raw.endswith(b"\n"):
                break
            keep += len(raw)
            try:
                record = json.loads(raw)
                ids.add(str(record["id"]))
            except (ValueError, KeyError, TypeError):
                ignored += raw.strip() != b""
    if keep < path.stat().st_size:
        with path.open("r+b") as handle:
            handle.truncate(keep)
    return ids, ignored


class RowWriter:
    """Appends rows to a JSON lines file, flushing each so an interrupted run keeps them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle = path.open("a", encoding="utf-8")

    def write(self, row: Row) -> None:
        self.handle.write(row.line + "\n")
        self.handle.flush()

    def close(self) -> None:
        self.handle.close()

    def __enter__(self) -> RowWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
