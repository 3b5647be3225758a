"""Time limits and forked children: one slow or crashing cluster cannot stop a run.

:func:`time_limit` interrupts Python code in this process (SIGALRM);
:func:`run_in_child` runs a function in a forked child and brings its pickled
result back, so a limit can stop even a long call into C and every run starts
from the same warm-but-clean state. POSIX only.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_LENGTH = struct.Struct("<q")


class TimeLimitExceeded(Exception):
    """The code under :func:`time_limit` ran past its limit."""


@contextlib.contextmanager
def time_limit(seconds: float | None):
    """Raise :class:`TimeLimitExceeded` in the block after ``seconds`` (None: no limit).

    SIGALRM interrupts pure-Python loops (the slow peers), which is where a limit
    is needed; it is only available in the main thread on POSIX, elsewhere the
    block runs unlimited.
    """
    usable = seconds is not None and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def on_alarm(signum, frame):
        raise TimeLimitExceeded()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class ChildOutcome:
    status: str  # "done", "timeout" (stopped by the parent) or "died" (no result came back)
    value: Any = None  # "done": what the function returned; "timeout": what on_timeout returned
    started: Any = None  # what ``start`` returned in the child, when it got that far


def run_in_child(
    function: Callable[[], Any],
    *,
    start: Callable[[], Any] | None = None,
    timeout: float | None = None,
    on_timeout: Callable[[int, Any], Any] | None = None,
) -> ChildOutcome:
    """``function()`` run in a forked child process; its pickled result comes back.

    ``start()`` runs first in the child, and what it returns (picklable) is sent
    up before ``function`` runs: the parent still has it for a child it has to
    stop. After ``timeout`` seconds, ``on_timeout(pid, started)`` is called while
    the child still exists (to read its ``/proc`` entry), then the child is
    killed. An exception in the child ends it without a result ("died").
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run, send the result up the pipe, leave without cleanup
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as pipe:
                header = pickle.dumps(start() if start is not None else None)
                pipe.write(_LENGTH.pack(len(header)) + header)
                pipe.flush()
                pipe.write(pickle.dumps(function()))
        finally:
            os._exit(0)
    os.close(write_end)
    chunks: list[bytes] = []
    deadline = None if timeout is None else time.monotonic() + timeout
    timed_out = False
    with os.fdopen(read_end, "rb", buffering=0) as pipe:
        while True:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([pipe], [], [], wait)
            if not ready:
                timed_out = True
                break
            chunk = pipe.read(1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    data = b"".join(chunks)
    started, result = None, b""
    if len(data) >= _LENGTH.size:
        end = _LENGTH.size + _LENGTH.unpack(data[: _LENGTH.size])[0]
        if len(data) >= end:
            started, result = pickle.loads(data[_LENGTH.size : end]), data[end:]
    stopped = None
    if timed_out:
        if on_timeout is not None:
            stopped = on_timeout(pid, started)
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    if timed_out:
        return ChildOutcome("timeout", stopped, started)
    if not result:
        return ChildOutcome("died", None, started)
    return ChildOutcome("done", pickle.loads(result), started)
