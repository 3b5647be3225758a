"""Peak memory of a summarizer, from Linux's /proc.

Linux keeps the high-water mark of a process's resident set (VmHWM) and lets a
process reset it (clear_refs 5). That measures everything a summarizer holds,
native memory included (HiGHS, BLAS), in the same process and without the 3-10x
slowdown tracemalloc costs pure-Python code; the runner falls back to
tracemalloc where /proc is missing.
"""

from __future__ import annotations

import contextlib
import ctypes


def status_kib(field_name: str, pid: int | str = "self") -> int:
    """A kibibyte field of ``/proc/<pid>/status`` ("VmRSS", "VmHWM")."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    raise OSError(f"/proc/{pid}/status has no {field_name}")


def reset_peak_rss() -> None:
    """Start a new high-water mark (VmHWM) for this process."""
    with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
        refs.write("5")


def rss_supported() -> bool:
    try:
        status_kib("VmHWM")
        reset_peak_rss()
    except OSError:
        return False
    return True


def release_free_memory() -> None:
    """Hand freed heap back to the OS, so a system is not credited with the pages a
    previous one left resident."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
