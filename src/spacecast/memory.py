"""Keeping the resident size down while long takes pass through a process.

A build handles buffers of many megabytes (a story's speech is ~16 MB at 44.1 kHz) one
after another. glibc serves such blocks with mmap at first, but after the first one is
freed it raises its mmap threshold, so later ones come from the heap and their pages stay
resident after they are freed: a 60-minute build's main process grew by ~45 MB that
Python no longer used. Pinning the threshold keeps every large block in mmap, returned to
the system the moment it is freed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools

_M_MMAP_THRESHOLD = -3  # from glibc's malloc.h
_LARGE = 256 * 1024  # bytes: blocks this size and up are mapped, and unmapped when freed


@functools.cache
def release_large_buffers() -> bool:
    """Make freed large buffers go back to the system at once; ``False`` if this C library
    cannot (not glibc), where nothing changes."""
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return bool(mallopt(_M_MMAP_THRESHOLD, _LARGE))
