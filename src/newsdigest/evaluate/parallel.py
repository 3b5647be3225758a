"""Work for the other core: reading, summarizing and scoring in forked children.

``newsdigest evaluate`` reads (and cleans) a dataset, summarizes it and scores
it. :func:`iterate_in_child` reads clusters in a child while this process
loads its own libraries; a :class:`ChildWorker` summarizes a cluster whenever
it is free while this process summarizes the others, and another scores each
summary as soon as it is sent. On a machine with two cores both are busy from
start-up to the last score. Both fall back to doing the work here where
``fork`` is not available. Items and results travel pickled through pipes.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

_ITEM, _DONE, _ERROR = "item", "done", "error"


def can_fork() -> bool:
    return hasattr(os, "fork")


def _context():
    import multiprocessing

    return multiprocessing.get_context("fork")


def _send_error(connection, problem: BaseException) -> None:
    try:
        connection.send((_ERROR, problem))
    except Exception:  # noqa: BLE001 - an exception that cannot be pickled still becomes a message
        connection.send((_ERROR, RuntimeError(f"{problem.__class__.__name__}: {problem}")))


def _produce(make_items: Callable[[], Iterable[Any]], connection) -> None:
    try:
        for item in make_items():
            connection.send((_ITEM, item))
        connection.send((_DONE, None))
    except BaseException as problem:  # noqa: BLE001 - reported to the parent, raised there
        _send_error(connection, problem)
    finally:
        connection.close()


class ChildItems:
    """The items a forked child sends, as they come; :meth:`close` stops the child (see :func:`iterate_in_child`)."""

    def __init__(self, child, receiving) -> None:
        self._child = child
        self._receiving = receiving

    def __iter__(self) -> ChildItems:
        return self

    def __next__(self) -> Any:
        if self._child is None:
            raise StopIteration
        try:
            kind, value = self._receiving.recv()
        except EOFError:
            self.close()
            raise RuntimeError("the process reading the dataset died") from None
        if kind == _ITEM:
            return value
        self.close()
        if kind == _ERROR:
            raise value
        raise StopIteration

    def close(self) -> None:
        """Stop the child if it still runs (items not taken yet are lost)."""
        if self._child is None:
            return
        self._receiving.close()
        if self._child.is_alive():
            self._child.terminate()
        self._child.join()
        self._child = None


def iterate_in_child(make_items: Callable[[], Iterable[Any]]) -> Iterator[Any]:
    """The items of ``make_items()``, produced in a child forked now, as they come.

    The child starts before this returns, so it works ahead while the caller
    does other things. An exception in the child is raised by the iterator,
    after the items before it. The iterator has a ``close()`` (for
    :func:`contextlib.closing`), so the child also ends when not every item is taken.
    """
    if not can_fork():
        return (item for item in make_items())
    context = _context()
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=_produce, args=(make_items, sending), daemon=True)
    child.start()
    sending.close()
    return ChildItems(child, receiving)


def _serve(function: Callable[..., Any], start: Callable[[], Any] | None, requests, replies) -> None:
    try:
        if start is not None:
            start()
        while True:
            request = requests.recv()
            if request is None:
                break
            arguments, keywords = request
            try:
                replies.send((_ITEM, function(*arguments, **keywords)))
            except Exception as problem:  # noqa: BLE001 - reported to the parent, raised there
                _send_error(replies, problem)
    except EOFError:
        pass
    finally:
        replies.close()


class ChildWorker:
    """``function(*arguments, **keywords)`` for each :meth:`submit`, in a forked child, in order.

    :meth:`results` waits for all of them and returns them in submission order
    (an exception in ``function`` is raised there); :meth:`finished` returns
    those already done without waiting. ``start()``, if given, runs first in
    the child (imports), while the caller goes on. The function and ``start``
    are not pickled (the child is a fork); arguments and results are. Use as
    a context manager so the child always ends. Without ``fork``, calls run here.
    """

    def __init__(self, function: Callable[..., Any], *, start: Callable[[], Any] | None = None) -> None:
        self._function = function
        self._results: list[Any] = []  # replies received and not yet returned
        self._pending = 0
        self._child = None
        if can_fork():
            context = _context()
            child_requests, self._to_child = context.Pipe(duplex=False)
            self._from_child, child_replies = context.Pipe(duplex=False)
            self._child = context.Process(target=_serve, args=(function, start, child_requests, child_replies), daemon=True)
            self._child.start()
            child_requests.close()
            child_replies.close()

    def submit(self, *arguments: Any, **keywords: Any) -> None:
        if self._child is None:
            self._results.append((_ITEM, self._function(*arguments, **keywords)))
            return
        self._to_child.send((arguments, keywords))
        self._pending += 1
        while self._pending and self._from_child.poll():  # keep the reply pipe from filling up
            self._receive()

    def _receive(self) -> None:
        try:
            self._results.append(self._from_child.recv())
        except EOFError:
            raise RuntimeError("a worker process died") from None
        self._pending -= 1

    @property
    def pending(self) -> int:
        """How many submitted calls have not come back yet."""
        return self._pending

    def finished(self) -> list[Any]:
        """The results that came back since the last :meth:`finished` or :meth:`results`, in order, without waiting."""
        while self._pending and self._from_child.poll():
            self._receive()
        return self._taken()

    def results(self) -> list[Any]:
        """Every result not returned yet, in submission order, once all calls are done."""
        while self._pending:
            self._receive()
        return self._taken()

    def _taken(self) -> list[Any]:
        replies, self._results = self._results, []
        values = []
        for kind, value in replies:
            if kind == _ERROR:
                raise value
            values.append(value)
        return values

    def close(self) -> None:
        if self._child is None:
            return
        try:
            self._to_child.send(None)
        except OSError:
            pass
        self._to_child.close()
        self._from_child.close()
        self._child.join(timeout=5)
        if self._child.is_alive():
            self._child.terminate()
            self._child.join()
        self._child = None

    def __enter__(self) -> ChildWorker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
