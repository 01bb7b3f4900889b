"""Whole shows on a Dask cluster: one task per show of a ``daily`` run of several shows.

With ``--executor dask://HOST:PORT``, a run of several ``[[shows]]`` sends each show to the
cluster as one task (``build_on_worker``): the worker gathers the show's stories, writes
its script, mixes, encodes and publishes it into its folder; its speech jobs go to the
cluster as tasks of their own (``speech.executors.DaskExecutor``, through the worker's
client), so a take two shows share is still spoken once. While a show waits for its takes
it gives its worker thread to them, and it rejoins to mix: at most as many shows mix at
once on a worker as the worker has threads.

Locks: the run takes every show's lock (``run.show_lock``) before it builds any, as a
local run does, then hands each show's to the worker that builds it (it lets it go as it
sends the show; the worker takes it). A show goes on being built when the run that sent
it is killed (Dask cannot stop a running task): it stays locked until it is published, so
a new run finds it busy. A run that takes the lock in the instant between fails the show
as busy (``RunInProgress``).

The machine that runs ``daily`` writes each show's log. A show's warnings and log records
travel back with its result (``ShowOnWorker``) and are said there, in order, as if the
show had been built here.

Show folders and the speech cache must be on storage every worker mounts at the same path;
a worker that cannot see a show's folder (its lock file, made by the run) fails that show
with a message saying so, and the other shows go on.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from spacecast.errors import EngineError, SpacecastError
from spacecast.settings.model import Settings
from spacecast.speech.executors import NoWorkers, as_they_end, connect

log = logging.getLogger(__name__)

Said = tuple[Literal["warn", "source", "log"], Any]
"""What a show said on its worker: a warning (``warn``), a failed source (``source``), both
as text without the show's prefix, or a log record (``log``)."""


@dataclass(frozen=True)
class ShowOnWorker:
    """A show's result (``run.ShowResult``), or why it failed (``error``, ``exit_code``),
    and what it said on the way, in order."""

    result: Any
    said: tuple[Said, ...]
    error: str | None = None
    exit_code: int = 0


class ShowsOnCluster:
    """Shows submitted to the scheduler at ``address``; ``results`` yields each, as it
    ends, with its index. Disconnects when the ``with`` block ends; when it ends with an
    exception, the shows not yet done are cancelled (those not started never start; one a
    worker is building goes on, holding its lock, until it is published)."""

    def __init__(self, address: str) -> None:
        self.address = address
        self._client = connect(address)
        self._futures: dict[Any, int] = {}

    def submit(self, index: int, settings: Settings, *, force: bool) -> None:
        """Send ``settings``' show to the cluster, as the ``index``-th of the run."""
        name = settings.name or "show"
        future = self._client.submit(
            build_on_worker,
            settings,
            force,
            key=f"spacecast-show-{name}-{uuid.uuid4().hex[:12]}",
            pure=False,
        )
        self._futures[future] = index

    def results(self) -> Iterator[tuple[int, ShowOnWorker]]:
        """Each show's outcome as it ends, with its index; a show whose every worker was
        lost, or whose task raised, is a failed outcome."""
        from distributed.scheduler import KilledWorker

        try:
            for future in as_they_end(self._client, list(self._futures)):
                index = self._futures.pop(future)
                try:
                    outcome = future.result()
                except KilledWorker:
                    outcome = ShowOnWorker(
                        None,
                        (),
                        "every Dask worker that took this show was lost while building it "
                        "(see the workers' logs)",
                        EngineError.exit_code,
                    )
                except Exception as exc:  # a fault on the worker fails its show only
                    outcome = ShowOnWorker(None, (), f"on the Dask worker: {_text(exc)}", 1)
                finally:
                    future.release()
                yield index, outcome
        except NoWorkers as exc:  # the shows not yet built fail, saying why
            left, self._futures = self._futures, {}
            self._client.cancel(list(left))
            for index in left.values():
                yield index, ShowOnWorker(None, (), str(exc), exc.exit_code)

    def __enter__(self) -> ShowsOnCluster:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if error is not None and self._futures:
            self._client.cancel(list(self._futures))
        self._client.close()


def build_on_worker(settings: Settings, force: bool) -> ShowOnWorker:
    """Build and publish one show on a Dask worker (``run.run_show``, holding the show's
    lock, which the run that sent it has let go), keeping what it says to send back."""
    from spacecast.daily.run import LOCK_FILE, run_show

    said: list[Said] = []
    folder = settings.output.folder
    if not (folder / LOCK_FILE).exists():
        return ShowOnWorker(
            None,
            (),
            f"{folder}: not found on the Dask worker on {socket.gethostname()}: show folders "
            "must be on storage every worker mounts at the same path",
            1,
        )
    with _records_of_this_thread(said):
        try:
            result = run_show(
                settings,
                force=force,
                warn=lambda message: said.append(("warn", message)),
                source_failed=lambda message: said.append(("source", message)),
            )
        except SpacecastError as exc:
            return ShowOnWorker(None, tuple(said), str(exc), exc.exit_code)
        except OSError as exc:
            from spacecast.daily.run import os_error

            return ShowOnWorker(None, tuple(said), os_error(exc), 1)
    global _built
    _built += 1
    return ShowOnWorker(result, tuple(said))


_built = 0


def shows_built() -> tuple[int, int]:
    """(process id, shows this worker process has built): for ``Client.run``."""
    return os.getpid(), _built


def replay(
    said: Sequence[Said],
    *,
    warn: Callable[[str], None],
    source_failed: Callable[[str], None],
) -> None:
    """Say here what a show said on its worker: warnings through ``warn`` and
    ``source_failed`` (which add the show's prefix), log records through this process's
    loggers (its log file, its stderr)."""
    for kind, what in said:
        if kind == "warn":
            warn(what)
        elif kind == "source":
            source_failed(what)
        else:
            logging.getLogger(what.name).handle(what)


class _Collect(logging.Handler):
    """Keeps the ``spacecast`` log records of one thread (the show's, not those of other
    tasks running on the same worker)."""

    def __init__(self, said: list[Said]) -> None:
        super().__init__(logging.INFO)
        self.said = said
        self.thread = threading.get_ident()

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self.thread:
            return
        # Sent as plain text: the arguments may not travel (pickle), the message does.
        plain = logging.makeLogRecord(record.__dict__)
        plain.msg, plain.args = record.getMessage(), None
        plain.exc_info = plain.exc_text = None
        self.said.append(("log", plain))


@contextlib.contextmanager
def _records_of_this_thread(said: list[Said]) -> Iterator[None]:
    """Collect this thread's ``spacecast`` log records of INFO and above into ``said``."""
    logger = logging.getLogger("spacecast")
    if logger.getEffectiveLevel() > logging.INFO:
        # Left so: shows on other threads of this worker may be collecting too.
        logger.setLevel(logging.INFO)
    handler = _Collect(said)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


def _text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
