"""Speech worker processes: spawned, one engine each, stopped cleanly by a signal.

Workers are spawned processes, one engine each: eSpeak NG keeps global state, is not
thread-safe, and hangs a forked child. A ``WorkerPool`` starts them on first use and lives
as long as its owner says (``speech.session.SpeechSession``): a build speaks several times
(calibrating voices, fitting the length, rendering), and every new pool would start the
engines (and load any neural model) again.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing.context
import os
import signal
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from spacecast.errors import EngineError
from spacecast.memory import release_large_buffers
from spacecast.scratch import remove_own_scratch
from spacecast.speech.engines import engine_class
from spacecast.speech.plan import SpeechJob
from spacecast.speech.speak import close_engines, store_take

# One sentence that takes longer than this to speak means the engine is stuck.
SECONDS_PER_SENTENCE_LIMIT = 20.0
# How long a worker asked to stop (SIGTERM) has before it is killed (SIGKILL).
STOP_SECONDS = 5.0

Outcome = tuple[SpeechJob, EngineError | None]


class Lifetime:
    """What a ``with`` block owns: closed when the block ends, and killed (``close`` with
    ``kill=True``) when it ends with an exception: an error, Ctrl-C or SIGTERM."""

    def close(self, *, kill: bool = False) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close(kill=error is not None)


class WorkerPool(Lifetime):
    """Up to ``size`` speech worker processes, started on first use.

    ``stop`` ends them (the next ``run`` starts new ones); ``close`` ends them for good,
    killing them when ``kill`` (an error, Ctrl-C or SIGTERM: a worker then removes its
    engine's scratch folders and exits). A ``with`` block closes the pool, killing its
    workers when the block ends with an exception.
    """

    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self._executor: cf.ProcessPoolExecutor | None = None
        self._context: _WorkerContext | None = None

    def run(self, jobs: Sequence[SpeechJob], folder: Path) -> Iterator[Outcome]:
        """Make each job's take into the store at ``folder``, yielding (job, None) as each is
        stored, in completion order, and (job, EngineError) for a job that failed.

        Workers write their takes themselves: the audio never travels back through a pipe,
        and the main process never holds it. Engines that need no process of their own run
        here, in this process.
        """
        for job in jobs:
            if not engine_class(job.engine).needs_own_process:
                try:
                    store_take(job, folder)
                except EngineError as exc:
                    yield job, exc
                else:
                    yield job, None
        isolated = [job for job in jobs if engine_class(job.engine).needs_own_process]
        if isolated:
            yield from self._run_isolated(isolated, folder)

    def _run_isolated(self, jobs: Sequence[SpeechJob], folder: Path) -> Iterator[Outcome]:
        executor = self._start()
        sentences = sum(len(job.spoken) for job in jobs)
        # Generous: a stuck engine is caught, a slow machine is not.
        limit = 30 + SECONDS_PER_SENTENCE_LIMIT * sentences / self.size
        deadline = time.monotonic() + limit
        # Longest first (popped from the end): a long story left for last would keep one
        # worker busy while the other has nothing to do.
        waiting = sorted(jobs, key=lambda job: sum(len(sentence) for sentence in job.spoken))
        running: dict[cf.Future[None], SpeechJob] = {}
        try:
            while waiting or running:
                # A few jobs in flight at a time, each dropped once its take is handed on: a
                # finished future keeps its take, so submitting all at once would hold them all.
                while waiting and len(running) < 2 * self.size:
                    job = waiting.pop()
                    running[executor.submit(store_take, job, folder)] = job
                left = deadline - time.monotonic()
                done, _ = cf.wait(running, timeout=max(0.0, left), return_when=cf.FIRST_COMPLETED)
                if not done:
                    raise cf.TimeoutError
                for future in done:
                    job = running.pop(future)
                    try:
                        future.result()
                    except EngineError as exc:  # this segment failed; the others go on
                        yield job, exc
                    else:
                        yield job, None
        except cf.TimeoutError:
            self.close(kill=True)
            raise EngineError(
                f"speech synthesis did not finish within {limit:.0f} s: the engine seems stuck"
            ) from None
        except cf.process.BrokenProcessPool:
            self.close(kill=True)
            raise EngineError(
                "a speech worker died while speaking (for eSpeak NG this usually means its "
                "data files were not found): run `spacecast doctor`"
            ) from None
        except BaseException:
            # An engine error, or the caller stopped early: the next run starts afresh.
            self.close(kill=True)
            raise

    def _start(self) -> cf.ProcessPoolExecutor:
        if self._executor is None:
            self._context = _WorkerContext()
            self._executor = cf.ProcessPoolExecutor(
                self.size,
                mp_context=self._context,
                initializer=_worker_start,
                initargs=(tempfile.gettempdir(),),
            )
        return self._executor

    def stop(self) -> None:
        """End the workers now, once their work is done (the next ``run`` starts new ones):
        what they hold is freed before mixing and encoding."""
        self.close()

    def close(self, *, kill: bool = False) -> None:
        """End the workers: at once with ``kill`` (SIGTERM, then SIGKILL for one that does
        not stop), else once their work is done."""
        executor, context = self._executor, self._context
        self._executor = self._context = None
        if executor is None or context is None:
            return
        if kill:
            # Stopped first, so that shutdown() finds the pool broken and its manager thread
            # ends at once: left running, that thread races the interpreter's exit, which
            # writes to one of its pipes ("OSError: [Errno 9] Bad file descriptor").
            context.stop_processes()
        executor.shutdown(wait=True, cancel_futures=True)


def stop_processes(processes: Sequence[multiprocessing.process.BaseProcess]) -> None:
    """SIGTERM each process, SIGKILL those still there ``STOP_SECONDS`` later."""
    for process in processes:
        with contextlib.suppress(OSError, ValueError):
            process.terminate()
    deadline = time.monotonic() + STOP_SECONDS
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AssertionError):
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join(STOP_SECONDS)


@contextlib.contextmanager
def _main_script_hidden() -> Iterator[None]:
    """While a worker starts, hide the parent's main script from multiprocessing.

    A spawned process first runs the parent's main script again. For the ``spacecast``
    command that imports the whole command line (about 10 MB more per worker, and slower
    starts); for a user's own script without an ``if __name__ == "__main__"`` guard it
    would run the script again and fail. The workers need only this package. The main
    module is changed only for the instant the process is started.
    """
    main = sys.modules["__main__"]
    names = ("__file__", "__spec__")
    saved: dict[str, Any] = {name: main.__dict__[name] for name in names if name in vars(main)}
    main.__dict__.pop("__file__", None)
    main.__spec__ = None
    try:
        yield
    finally:
        main.__dict__.pop("__spec__", None)
        main.__dict__.update(saved)


class _WorkerProcess(multiprocessing.context.SpawnProcess):
    def start(self) -> None:
        with _main_script_hidden():
            super().start()


class _WorkerContext(multiprocessing.context.SpawnContext):
    """Spawn (a clean process, safe beside threads), without re-running the main script,
    keeping the processes it makes so that they can be stopped (the executor has no public
    way to stop a worker stuck inside C code)."""

    def __init__(self) -> None:
        super().__init__()
        self.made: list[multiprocessing.process.BaseProcess] = []

    # The executor makes each worker with context.Process(...): named as it calls it.
    # (Typeshed declares Process a staticmethod; an instance method is what keeps ``made``.)
    def Process(self, *args: Any, **kwargs: Any) -> _WorkerProcess:  # type: ignore[override]
        process = _WorkerProcess(*args, **kwargs)
        self.made.append(process)
        return process

    def stop_processes(self) -> None:
        stop_processes([process for process in self.made if process.pid is not None])


def spawned_pool(size: int, **kwargs: Any) -> tuple[cf.ProcessPoolExecutor, _WorkerContext]:
    """A process pool of spawned workers (for one-off jobs: probing an engine), with the
    context that can stop them."""
    context = _WorkerContext()
    return cf.ProcessPoolExecutor(size, mp_context=context, **kwargs), context


def _worker_start(temporary: str) -> None:
    """In each speech worker: memory handling, the temporary folder, and signals. Ctrl-C
    reaches every process of the terminal's group: the main process decides, and stops the
    workers with SIGTERM, on which a worker removes its engine's temporary files and ends.

    ``temporary`` is the main process's temporary folder: given, not looked for, because
    Python looks for it by writing a probe file there, and a worker stopped (``os._exit``)
    between the probe's creation and its removal left that file behind.
    """
    tempfile.tempdir = temporary
    release_large_buffers()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_stopped)


def _worker_stopped(signum: int, frame: object) -> None:
    close_engines()
    remove_own_scratch()  # an engine still being made has a folder but no entry above
    os._exit(128 + signum)  # at once: the pool's own threads must not run on
