"""Reading ahead: ``python -m newsdigest evaluate DATASET`` starts reading before its CLI loads.

Up to the command's own code a run uses one core: the CLI library loads and parses the
arguments (typer builds a pydantic validator for every option), about 0.3 s of a 2.5 s run on
DUC 2003 with the other core idle. :func:`start`, called by ``newsdigest.__main__`` before it
imports the CLI, forks the reader of the dataset the arguments name right away, so the other
core reads meanwhile. :func:`take` hands that reader to ``evaluate_command`` only when it
reads the very dataset the parsed arguments name (and the whole of it: no ``--limit``); any
other reader is stopped, and the command reads as it would without one. A wrong guess of the
dataset costs a little CPU, never a different result.

Only the standard library and :mod:`.parallel` load here: this runs before everything else.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import Any

from newsdigest.evaluate.parallel import iterate_in_child

_early: tuple[str, Any] | None = None  # (the dataset guessed, its reader: see iterate_in_child)


def guess_dataset(arguments: Sequence[str]) -> str | None:
    """The DATASET of ``evaluate [OPTIONS] DATASET ...``, when it names an existing file or folder.

    It is the first argument that neither is an option nor follows one (``--words 100``: the
    value); None for another command, or when the dataset follows a flag (``--json data``), as
    the options are not known here. :func:`take` checks the guess against the parsed arguments.
    """
    if list(arguments[:1]) != ["evaluate"]:
        return None
    previous = ""
    for argument in arguments[1:]:
        if argument == "--" or (argument.startswith("-") and argument != "-"):
            previous = argument
            continue
        if previous.startswith("-") and "=" not in previous:
            previous = ""  # the value of an option
            continue
        return argument if os.path.exists(argument) else None
    return None


def start(arguments: Sequence[str]) -> None:
    """Fork the reader of the dataset ``arguments`` (``sys.argv[1:]``) name, if it is ``evaluate``'s."""
    global _early
    dataset = guess_dataset(arguments)
    if dataset is None or _early is not None:
        return

    def clusters() -> Iterator[Any]:
        from newsdigest.evaluate.datasets import iter_clusters

        return iter_clusters(dataset)

    _early = (dataset, iterate_in_child(clusters))


def take(dataset: str | os.PathLike[str], limit: int | None) -> Any | None:
    """The reader :func:`start` forked, if it reads ``dataset`` whole (``limit`` None); else None.

    Either way it is no longer this module's: a reader not handed over is stopped.
    """
    global _early
    if _early is None:
        return None
    guessed, reader = _early
    _early = None
    if guessed == os.fspath(dataset) and limit is None:
        return reader
    reader.close()
    return None


def stop() -> None:
    """Stop the reader :func:`start` forked, if any (the command reads something else)."""
    take("", None)
