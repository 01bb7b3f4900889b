"""The errors spacecast raises on purpose.

Every message is one line a user can act on: it names the file or setting at fault and
says what to do. The command-line layer prints them once, without a traceback.
"""

from __future__ import annotations

import difflib
import errno


class SpacecastError(Exception):
    """Base class: a problem the user can fix. ``exit_code`` is what the CLI exits with."""

    exit_code = 1


class InputError(SpacecastError):
    """An article, script or audio file that cannot be used."""


class ConfigError(SpacecastError):
    """A voice profile, lexicon or option with a bad value."""

    exit_code = 2


class EngineError(SpacecastError):
    """A speech engine that is missing, misconfigured or failed to speak."""


class OutputError(SpacecastError):
    """An output path that cannot be written."""


_FULL = {
    errno.ENOSPC: "no space left on the disk",
    errno.EFBIG: "the file grew past the size limit (a full disk, or ulimit -f)",
    errno.EDQUOT: "disk quota exceeded",
}


def io_reason(exc: BaseException) -> str:
    """A few words for a failed read or write (a full disk says so plainly)."""
    while not isinstance(exc, OSError) and exc.__context__ is not None:
        exc = exc.__context__  # mutagen and sqlite wrap the OSError underneath
    if isinstance(exc, OSError):
        return _FULL.get(exc.errno or 0) or exc.strerror or str(exc) or type(exc).__name__
    return str(exc) or type(exc).__name__


def unknown_name_message(what: str, name: str, known: list[str]) -> str:
    """``unknown voice profile 'x': did you mean a, b?`` (or the list of known names), in one
    line."""
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    if close:
        hint = f"did you mean {', '.join(close)}?"
    else:
        hint = f"use one of {', '.join(sorted(known))}"
    return f"unknown {what} {name!r}: {hint}"
