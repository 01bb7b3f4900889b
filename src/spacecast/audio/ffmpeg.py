"""Where the external programs and libraries spacecast relies on come from.

By default both come from pip-installed wheels, so nothing needs a system package:
eSpeak NG from ``espeakng-loader`` and ffmpeg from ``imageio-ffmpeg``. Setting
``SPACECAST_FFMPEG`` to ``system`` (or to a path) uses another ffmpeg.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from typing import BinaryIO

from spacecast.errors import EngineError


@functools.cache
def ffmpeg_path() -> str:
    """The ffmpeg binary to run: ``SPACECAST_FFMPEG`` if set, else the imageio-ffmpeg one."""
    wanted = os.environ.get("SPACECAST_FFMPEG", "").strip()
    if wanted == "system":
        found = shutil.which("ffmpeg")
        if not found:
            raise EngineError(
                "SPACECAST_FFMPEG=system but no ffmpeg is on PATH: install it or unset the variable"
            )
        return found
    if wanted:
        if not os.access(wanted, os.X_OK):
            raise EngineError(f"SPACECAST_FFMPEG={wanted}: not an executable file")
        return wanted
    try:
        import imageio_ffmpeg
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise EngineError("imageio-ffmpeg is not installed: pip install imageio-ffmpeg") from exc
    return imageio_ffmpeg.get_ffmpeg_exe()


def run_ffmpeg(args: list[str], *, input_bytes: bytes | None = None, what: str) -> bytes:
    """Run ffmpeg quietly with ``args``; return its stdout or raise naming ``what`` failed."""
    return run_ffmpeg_logged(args, input_bytes=input_bytes, what=what, loglevel="error")[0]


def run_ffmpeg_logged(
    args: list[str], *, input_bytes: bytes | None = None, what: str, loglevel: str = "info"
) -> tuple[bytes, str]:
    """Run ffmpeg; return (stdout, stderr), for filters that report on stderr (ebur128)."""
    cmd = [ffmpeg_path(), "-hide_banner", "-nostdin", "-nostats", "-loglevel", loglevel, *args]
    proc = subprocess.run(cmd, input=input_bytes, capture_output=True, check=False)
    log = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0:
        errors = [line for line in log.strip().splitlines() if "rror" in line] or [
            f"exit code {proc.returncode}"
        ]
        raise EngineError(f"ffmpeg could not {what}: {errors[-1].strip()}")
    return proc.stdout, log


def run_ffmpeg_streaming(
    args: list[str], chunks: list[bytes], sink: BinaryIO, *, what: str
) -> None:
    """Run ffmpeg quietly with ``args``, feeding it ``chunks`` (popped from the end, so
    each is freed once written) and writing its stdout straight to the file ``sink``."""
    cmd = [ffmpeg_path(), "-hide_banner", "-nostdin", "-nostats", "-loglevel", "error", *args]
    # stderr to a file, not a pipe: a pipe nobody reads could fill and stall ffmpeg.
    with tempfile.TemporaryFile() as log:
        with _stopped_on_interrupt() as started:
            proc = started(subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=sink, stderr=log))
            assert proc.stdin is not None
            # If ffmpeg stops early, writing (or flushing on close) breaks the pipe: its exit
            # code and log then say why.
            with contextlib.suppress(BrokenPipeError):
                while chunks:
                    proc.stdin.write(chunks.pop())
            with contextlib.suppress(BrokenPipeError):
                proc.stdin.close()
            code = proc.wait()
        if code != 0:
            log.seek(0)
            lines = log.read().decode("utf-8", "replace").strip().splitlines()
            errors = [line for line in lines if "rror" in line] or [f"exit code {code}"]
            raise EngineError(f"ffmpeg could not {what}: {errors[-1].strip()}")


def run_ffmpeg_piped(first: list[str], second: list[str], *, what: str) -> str:
    """Run two ffmpegs at once, the first's stdout feeding the second's stdin (so each can
    use a core); return the second's log (``info`` level, for ebur128's summary)."""
    base = [ffmpeg_path(), "-hide_banner", "-nostdin", "-nostats", "-loglevel"]
    with tempfile.TemporaryFile() as first_log, tempfile.TemporaryFile() as second_log:
        with _stopped_on_interrupt() as started:
            producer = started(
                subprocess.Popen([*base, "error", *first], stdout=subprocess.PIPE, stderr=first_log)
            )
            consumer = started(subprocess.Popen(
                [*base, "info", *second], stdin=producer.stdout, stdout=subprocess.DEVNULL,
                stderr=second_log,
            ))  # fmt: skip
            assert producer.stdout is not None
            producer.stdout.close()  # the consumer holds it; a dead consumer stops the producer
            codes = producer.wait(), consumer.wait()
        logs = []
        for log in (first_log, second_log):
            log.seek(0)
            logs.append(log.read().decode("utf-8", "replace"))
    for code, text in zip(codes, logs, strict=True):
        if code != 0:
            errors = [line for line in text.strip().splitlines() if "rror" in line]
            raise EngineError(f"ffmpeg could not {what}: {(errors or [f'exit code {code}'])[-1]}")
    return logs[1]


@contextlib.contextmanager
def _stopped_on_interrupt() -> Iterator[Callable[[subprocess.Popen], subprocess.Popen]]:
    """Kill the ffmpegs started in this block (each passed through the yielded function as
    soon as it exists) when the build is interrupted (Ctrl-C, SIGTERM), so none goes on
    writing after spacecast has removed its files. An interruption between starting one
    ffmpeg and the next must stop the first too: the guard is entered before either."""
    procs: list[subprocess.Popen] = []

    def started(proc: subprocess.Popen) -> subprocess.Popen:
        procs.append(proc)
        return proc

    try:
        yield started
    except BaseException:
        for proc in procs:
            with contextlib.suppress(OSError):
                proc.kill()
            with contextlib.suppress(OSError, subprocess.TimeoutExpired):
                proc.wait(timeout=5)
        raise


def tee_escape(path: str) -> str:
    """``path`` as one output of ffmpeg's tee muxer, whose syntax gives |, [, ], ' and \\
    a meaning."""
    return "".join("\\" + char if char in "|[]'\\" else char for char in path)


def ffmpeg_version() -> str:
    """The first line of ``ffmpeg -version``."""
    out = subprocess.run([ffmpeg_path(), "-version"], capture_output=True, check=False).stdout
    return out.decode("utf-8", "replace").splitlines()[0] if out else "unknown"
