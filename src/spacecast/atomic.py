"""Atomic file writes: a temporary file beside the target, moved into place when complete.

Readers (a podcast app, a feed builder, the next run) see the old file or the new one,
never a half-written one. Temporary files are hidden (``.name.<pid>.<random>.part``) and
carry the id of the process writing them, so that ``sweep_partial`` can tell the leftovers
of a process that was killed from the files a running one is still writing.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

PART_SUFFIX = ".part"
_PART = re.compile(r"^\..+\.(\d+)\.[A-Za-z0-9_]+\.part$")
# A temporary file without a process id (from an older version) is a leftover after this.
_STALE_SECONDS = 3600


def _temporary(path: Path) -> Path:
    fd, name = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=PART_SUFFIX
    )
    os.close(fd)
    return Path(name)


def _finish(tmp: Path, mode: int) -> None:
    with open(tmp, "rb+") as handle:
        os.fsync(handle.fileno())
    os.chmod(tmp, mode)


@contextlib.contextmanager
def replacing(path: Path, *, mode: int = 0o644) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path``, else vanishes."""
    tmp = _temporary(path)
    try:
        yield tmp
        _finish(tmp, mode)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def staging(path: Path, *, mode: int = 0o644) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` for a new version of it, which the caller puts
    in place itself (``commit``) when everything that goes with it is ready; whatever is
    left of it at the end is removed."""
    tmp = _temporary(path)
    try:
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)


def stage_bytes(path: Path, data: bytes, *, mode: int = 0o644) -> Path:
    """``data`` written to a temporary file beside ``path`` (complete, on disk), for
    ``commit`` to put in place; the caller removes it if it is not committed."""
    tmp = _temporary(path)
    try:
        tmp.write_bytes(data)
        _finish(tmp, mode)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def commit(tmp: Path, path: Path, *, mode: int = 0o644) -> None:
    """Put a staged file in place (synced to disk first)."""
    _finish(tmp, mode)
    os.replace(tmp, path)


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with replacing(path) as tmp:
        tmp.write_bytes(data)


def process_alive(pid: int) -> bool:
    """Whether a process with this id exists (it may belong to another user)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_partial(folder: Path) -> list[str]:
    """Remove the temporary files that killed processes left in ``folder``; their names."""
    removed: list[str] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        if not (entry.name.startswith(".") and entry.name.endswith(PART_SUFFIX)):
            continue
        found = _PART.match(entry.name)
        try:
            if found:
                if process_alive(int(found[1])):
                    continue
            elif now - entry.stat(follow_symlinks=False).st_mtime < _STALE_SECONDS:
                continue
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                removed.append(entry.name)
        except OSError:
            continue
    return removed
