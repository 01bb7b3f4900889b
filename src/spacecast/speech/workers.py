"""Speech worker processes: spawned, one engine each, stopped cleanly by a signal.

Workers are spawned processes, one engine each: eSpeak NG keeps global state, is not
thread-safe, and hangs a forked child.
"""

from __future__ import annotations

import atexit
import concurrent.futures as cf
import contextlib
import multiprocessing.context
import os
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from spacecast.errors import EngineError
from spacecast.memory import release_large_buffers
from spacecast.scratch import remove_own_scratch
from spacecast.speech.engines import engine_class
from spacecast.speech.plan import SpeechJob
from spacecast.speech.speak import close_engines, store_take

# One sentence that takes longer than this to speak means the engine is stuck.
SECONDS_PER_SENTENCE_LIMIT = 20.0


def run_jobs(jobs: Sequence[SpeechJob], workers: int, folder: Path):
    """Make each job's take into the store at ``folder``, yielding (job, None) as each is
    stored, in completion order, and (job, EngineError) for a job that failed.

    Workers write their takes themselves: the audio never travels back through a pipe,
    and the main process never holds it.
    """
    if not jobs:
        return
    in_process = [job for job in jobs if not engine_class(job.engine).needs_own_process]
    for job in in_process:
        try:
            store_take(job, folder)
        except EngineError as exc:
            yield job, exc
        else:
            yield job, None
    isolated = [job for job in jobs if engine_class(job.engine).needs_own_process]
    if not isolated:
        return
    count = max(1, workers)
    pool = _worker_pool(count)
    sentences = sum(len(job.spoken) for job in isolated)
    # Generous: a stuck engine is caught, a slow machine is not.
    limit = 30 + SECONDS_PER_SENTENCE_LIMIT * sentences / count
    deadline = time.monotonic() + limit
    # Longest first (popped from the end): a long story left for last would keep one
    # worker busy while the other has nothing to do.
    waiting = sorted(isolated, key=lambda job: sum(len(sentence) for sentence in job.spoken))
    running: dict[cf.Future, SpeechJob] = {}
    try:
        while waiting or running:
            # A few jobs in flight at a time, each dropped once its take is handed on: a
            # finished future keeps its take, so submitting all at once would hold them all.
            while waiting and len(running) < 2 * count:
                job = waiting.pop()
                running[pool.submit(store_take, job, folder)] = job
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
        _discard_pool(kill=True)
        raise EngineError(
            f"speech synthesis did not finish within {limit:.0f} s: the engine seems stuck"
        ) from None
    except cf.process.BrokenProcessPool:
        _discard_pool(kill=True)
        raise EngineError(
            "a speech worker died while speaking (for eSpeak NG this usually means its data "
            "files were not found): run `spacecast doctor`"
        ) from None
    except BaseException:
        # An engine error, or the caller stopped early: start the next build afresh.
        _discard_pool(kill=True)
        raise


# Worker processes live until the speaking is done (``release_workers``): a build speaks
# several times (calibrating voices, fitting the length, rendering), and each new pool
# would start the engines (and load any neural model) again.
_pool: cf.ProcessPoolExecutor | None = None

_pool_size = 0


def _worker_pool(size: int) -> cf.ProcessPoolExecutor:
    global _pool, _pool_size
    if _pool is None or _pool_size != size:
        _discard_pool()
        _pool = cf.ProcessPoolExecutor(size, mp_context=_WorkerContext(), initializer=_worker_start)
        _pool_size = size
    return _pool


@contextlib.contextmanager
def _main_script_hidden():
    """While a worker starts, hide the parent's main script from multiprocessing.

    A spawned process first runs the parent's main script again. For the ``spacecast``
    command that imports the whole command line (about 10 MB more per worker, and slower
    starts); for a user's own script without an ``if __name__ == "__main__"`` guard it
    would run the script again and fail. The workers need only this module.
    """
    main = sys.modules["__main__"]
    saved = {name: main.__dict__[name] for name in ("__file__", "__spec__") if name in vars(main)}
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
    """Spawn (a clean process, safe beside threads), without re-running the main script."""

    Process = _WorkerProcess


def _discard_pool(*, kill: bool = False) -> None:
    global _pool
    if _pool is None:
        return
    pool, _pool = _pool, None
    if not kill:
        pool.shutdown(wait=True, cancel_futures=True)
        return
    # The pool's manager thread notices the dead workers and closes its pipes. Left
    # running, it races the interpreter's exit, which writes to one of those pipes: "OSError:
    # [Errno 9] Bad file descriptor" from threading after an error such as an unknown voice
    # id. So the thread is waited for here (it finishes in milliseconds once the workers
    # are gone; a worker that ignores SIGTERM gets SIGKILL). shutdown() forgets it: take it
    # first.
    manager = getattr(pool, "_executor_manager_thread", None)
    kill_workers(pool)
    pool.shutdown(wait=False, cancel_futures=True)
    if manager is not None:
        manager.join(timeout=5)
        if manager.is_alive():
            kill_workers(pool, hard=True)
            manager.join(timeout=5)


atexit.register(_discard_pool)


def release_workers() -> None:
    """Stop the speech workers now (the next synthesis starts new ones)."""
    _discard_pool()


def kill_workers(pool: cf.ProcessPoolExecutor, *, hard: bool = False) -> None:
    # The executor has no public way to stop a worker that is stuck inside C code.
    for process in list((pool._processes or {}).values()):
        if hard:
            process.kill()
        else:
            process.terminate()


def _worker_start() -> None:
    """In each speech worker: memory handling, and signals. Ctrl-C reaches every process of
    the terminal's group: the main process decides, and stops the workers with SIGTERM,
    on which a worker removes its engine's temporary files and ends."""
    release_large_buffers()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_stopped)


def _worker_stopped(signum: int, frame: object) -> None:
    close_engines()
    remove_own_scratch()  # an engine still being made has a folder but no entry above
    os._exit(128 + signum)  # at once: the pool's own threads must not run on
