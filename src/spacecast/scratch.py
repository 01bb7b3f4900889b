"""Scratch folders in the system's temporary folder (``$TMPDIR``).

Each is named ``spacecast-<kind>-<pid>-<random>`` after the process that made it, and is
removed when that process is done with it (or ends: ``tempfile.TemporaryDirectory``). A
process that is killed outright (SIGKILL, a power cut) cannot clean up, so every command
that speaks or writes first sweeps the folders of processes that no longer exist
(``sweep_scratch``): a daily cron job never fills ``/tmp``.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time

PREFIX = "spacecast-"
_OURS = re.compile(r"^spacecast-[a-z]+-(\d+)-")
# Names from before scratch folders carried a process id: swept once this old.
_LEGACY = re.compile(r"^spacecast-(?:[a-z0-9_]{8}|(?:espeak|takes|mix)-.+)$")
_LEGACY_SECONDS = 24 * 3600


def scratch_dir(kind: str) -> tempfile.TemporaryDirectory[str]:
    """A new scratch folder for this process (``kind``: what it holds, lower-case letters)."""
    return tempfile.TemporaryDirectory(prefix=f"{PREFIX}{kind}-{os.getpid()}-")


def remove_own_scratch() -> None:
    """Remove this process's scratch folders now: for a worker stopped by a signal, which
    may come while an engine is still being made (its folder exists, the engine does not)."""
    root = tempfile.gettempdir()
    pid = str(os.getpid())
    try:
        entries = list(os.scandir(root))
    except OSError:
        return
    for entry in entries:
        found = _OURS.match(entry.name)
        if found and found[1] == pid:
            shutil.rmtree(entry.path, ignore_errors=True)


def sweep_scratch() -> list[str]:
    """Remove the scratch folders (and files) of spacecast processes that have ended;
    return their names. Only this user's are touched."""
    from spacecast.atomic import process_alive

    root = tempfile.gettempdir()
    removed: list[str] = []
    try:
        entries = list(os.scandir(root))
    except OSError:
        return removed
    uid = os.getuid()
    now = time.time()
    for entry in entries:
        if not entry.name.startswith(PREFIX):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if info.st_uid != uid:
                continue
            found = _OURS.match(entry.name)
            if found:
                if process_alive(int(found[1])):
                    continue
            elif not _LEGACY.match(entry.name) or now - info.st_mtime < _LEGACY_SECONDS:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                os.unlink(entry.path)
            removed.append(entry.name)
        except OSError:
            continue
    return removed
