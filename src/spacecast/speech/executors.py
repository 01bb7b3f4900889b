"""Where speech jobs run: this machine's worker processes, or the workers of a Dask cluster.

An executor makes each job's take into the take store at a folder and reports the outcome
of each job as it ends (``workers.Outcome``). ``local`` is ``workers.WorkerPool``; a
``dask://HOST:PORT`` address is a ``DaskExecutor``, whose workers write the takes into the
same folder: a folder on storage that every machine reaches (``--cache-dir``).

Dask is optional (``pip install 'spacecast[dask]'``): it is imported only when a Dask
executor connects.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from spacecast.errors import ConfigError, EngineError, SpacecastError
from spacecast.speech.cache import TakeCache
from spacecast.speech.plan import SpeechJob
from spacecast.speech.speak import store_take
from spacecast.speech.workers import SECONDS_PER_SENTENCE_LIMIT, Lifetime, Outcome, WorkerPool

LOCAL = "local"
DASK_PREFIX = "dask://"
DASK_INSTALL = "pip install 'spacecast[dask]'"
# How many times a job whose worker raised is tried again elsewhere (a worker lost while
# speaking is rescheduled by the scheduler itself, up to its `allowed-failures`).
DASK_RETRIES = 2
# How long to wait for the scheduler to answer before giving up.
CONNECT_SECONDS = 10.0
# A cluster with no worker this long is not waited for (all lost, or none ever started).
NO_WORKERS_SECONDS = 60.0
# Dask runs higher priorities first: takes before the shows still queued.
TAKE_PRIORITY = 10


class SpeechExecutor(Protocol):
    """Runs speech jobs: see the module doc."""

    remote: bool
    """Whether the jobs run on other machines (their takes must go to shared storage)."""
    found: set[str]
    """Keys of jobs whose take a worker found already stored (by another run or worker),
    so did not speak again."""

    def run(self, jobs: Sequence[SpeechJob], folder: Path) -> Iterator[Outcome]:
        """Make each job's take into the store at ``folder``; yield (job, None) for each take
        stored and (job, EngineError) for a job that failed, in completion order."""

    def stop(self) -> None:
        """Free what the workers hold (the next ``run`` may start them again)."""

    def close(self, *, kill: bool = False) -> None:
        """End for good (at once, dropping unfinished jobs, with ``kill``)."""


def open_executor(setting: str, *, workers: int) -> SpeechExecutor:
    """The executor that ``setting`` names (``local`` or ``dask://HOST:PORT``); a local one
    runs up to ``workers`` processes. Nothing starts or connects until the first job."""
    if setting == LOCAL:
        return LocalExecutor(workers)
    address = scheduler_address(setting)
    if address is None:
        raise ConfigError(f'--executor: {setting!r} must be "local" or {DASK_PREFIX}HOST:PORT')
    missing = dask_available()
    if missing:
        raise ConfigError(f"--executor {setting}: {missing}")
    return DaskExecutor(address)


def scheduler_address(setting: str) -> str | None:
    """The Dask scheduler an executor setting names (``tcp://HOST:PORT``), or ``None`` for
    ``local``."""
    if not setting.startswith(DASK_PREFIX):
        return None
    return "tcp://" + setting.removeprefix(DASK_PREFIX)


class LocalExecutor(WorkerPool):
    """This machine's speech worker processes (``workers.WorkerPool``)."""

    remote = False

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.found: set[str] = set()


def dask_available() -> str | None:
    """Why the Dask executor cannot be used here, or ``None`` when it can."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        return f"the Dask executor needs Dask's distributed package: {DASK_INSTALL}"
    return None


class DaskExecutor(Lifetime):
    """Speech jobs on a Dask cluster, through its scheduler at ``address`` (``tcp://…``).

    Each job is one task that a worker runs with ``speak_on_worker``: its engine is loaded
    once per worker process and kept, and the take goes straight into the shared store.
    A task's name is the take's key (and the store's folder): two shows, or two runs,
    asking for the same take at the same time get the one task, and the take is spoken
    once. A worker lost while speaking has its job moved to another worker by the
    scheduler; a job that raises is tried ``retries`` more times, then fails with the
    reason.
    """

    remote = True

    def __init__(self, address: str, *, retries: int = DASK_RETRIES) -> None:
        self.address = address
        self.retries = retries
        self.found: set[str] = set()
        self._client: Any = None
        self._borrowed = False

    def _connect(self) -> Any:
        if self._client is None:
            on_worker = client_on_worker()
            if on_worker is not None:
                # A show built on a worker (``daily.cluster``) speaks through that worker's
                # own client: same scheduler, no second connection, not closed here.
                self._client, self._borrowed = on_worker, True
            else:
                self._client = connect(self.address)
        return self._client

    def run(self, jobs: Sequence[SpeechJob], folder: Path) -> Iterator[Outcome]:
        """See ``SpeechExecutor.run``."""
        if not jobs:
            return
        from distributed.scheduler import KilledWorker

        client = self._connect()
        place = hashlib.sha256(str(folder).encode()).hexdigest()[:12]
        futures = {
            client.submit(
                speak_on_worker,
                job,
                str(folder),
                key=f"spacecast-take-{place}-{job.key}",
                retries=self.retries,
                pure=False,
                # Ahead of queued shows (``daily.cluster``): a show waiting for its takes
                # must not wait behind shows that have not started.
                priority=TAKE_PRIORITY,
            ): job
            for job in jobs
        }
        threads = max(1, sum(client.nthreads().values()))
        sentences = sum(len(job.spoken) for job in jobs)
        # Generous, as the local pool's: a stuck engine is caught, a slow cluster is not.
        limit = 60 + SECONDS_PER_SENTENCE_LIMIT * sentences / threads
        waiting = as_they_end(client, futures, limit=limit)
        # On a worker, waiting gives the worker's thread to the takes: a show that held it
        # while its takes queued behind it would wait for ever (and, with every thread so
        # held, so would the cluster). It rejoins, when a thread is free, to mix.
        seceded = self._borrowed and _secede()
        try:
            for future in waiting:
                job = futures.pop(future)
                try:
                    spoke = future.result()
                except EngineError as exc:
                    yield job, exc
                except KilledWorker:
                    yield (
                        job,
                        EngineError(
                            "every Dask worker that took it was lost while speaking (see "
                            "the workers' logs)"
                        ),
                    )
                else:
                    if not spoke:
                        self.found.add(job.key)
                    yield job, None
                finally:
                    future.release()
        except TimeoutError:
            raise EngineError(
                f"the Dask cluster at {self.address} did not finish speaking within "
                f"{limit:.0f} s: are its workers running?"
            ) from None
        finally:
            # Stopped early: what is still queued is not needed by this build. Released,
            # not cancelled: another show on this worker may be waiting for the same take.
            for future in futures:
                future.release()
            if seceded:
                from distributed import rejoin

                rejoin()

    def stop(self) -> None:
        """Nothing to free here: the cluster's workers keep their engines for later jobs."""

    def close(self, *, kill: bool = False) -> None:
        """Disconnect from the scheduler (the cluster itself goes on)."""
        client, self._client = self._client, None
        if client is not None and not self._borrowed:
            client.close()


def connect(address: str) -> Any:
    """A Dask client of the scheduler at ``address`` (``tcp://HOST:PORT``), or an
    ``EngineError`` that says how to start one."""
    missing = dask_available()
    if missing:
        raise ConfigError(missing)
    from distributed import Client

    try:
        return Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise EngineError(
            f"cannot reach the Dask scheduler at {address} ({exc}): start one with "
            "`dask scheduler` and its workers with `dask worker`, or use --executor local"
        ) from None


def as_they_end(
    client: Any, futures: Iterable[Any], *, limit: float | None = None
) -> Iterator[Any]:
    """Each of ``futures`` as it ends (as ``distributed.as_completed``), without waiting for
    ever on a cluster that has no workers: ``NoWorkers`` after ``NO_WORKERS_SECONDS``
    without any, ``TimeoutError`` when ``limit`` seconds pass first."""
    from distributed import as_completed

    waiting = as_completed(list(futures), loop=client.loop)
    ended = waiting.thread_condition  # notified as each future ends
    start = checked = last_seen = time.monotonic()
    while not waiting.is_empty():
        if waiting.has_ready():
            yield from waiting.next_batch(block=False)
            continue
        # Asleep until a future ends, or a second passes: a show on a worker waits here
        # with dozens of others, so no busy polling.
        with ended:
            if not waiting.has_ready():
                ended.wait(timeout=1.0)
        now = time.monotonic()
        if limit is not None and now - start > limit:
            raise TimeoutError
        if now - checked >= 5.0:  # a question to the scheduler: not at every turn
            checked = now
            if client.nthreads():
                last_seen = now
            elif now - last_seen > NO_WORKERS_SECONDS:
                raise NoWorkers(
                    f"the Dask cluster at {client.scheduler.address} has had no workers for "
                    f"{NO_WORKERS_SECONDS:.0f} s: start them with `dask worker "
                    f"{client.scheduler.address}`"
                )


class NoWorkers(EngineError):
    """The cluster has no worker to run the jobs."""


def client_on_worker() -> Any:
    """The client of the Dask worker this code runs on, or ``None`` off a worker."""
    try:
        from distributed import get_client, get_worker
    except ImportError:
        return None
    try:
        get_worker()
    except ValueError:  # not in a worker's task
        return None
    return get_client()


def _secede() -> bool:
    """Leave the worker's thread pool while this task waits (``distributed.secede``);
    False when this thread runs no task of the worker's pool."""
    from distributed import secede

    try:
        secede()
    except (AttributeError, KeyError):  # not a task of the pool, or already seceded
        return False
    return True


# In a Dask worker process: one job speaks at a time, whatever the worker's thread count
# (eSpeak NG keeps global state and is not thread-safe); the engines stay loaded between
# jobs (``speak._engines``), so each is loaded once per worker process.
_speaking = threading.Lock()
_spoken = 0


def speak_on_worker(job: SpeechJob, folder: str) -> bool:
    """Make ``job``'s take into the store at ``folder`` (on a Dask worker): False when a
    complete take is already there (another run or worker made it), else True once it is
    stored."""
    global _spoken
    store = TakeCache(Path(folder))
    with _speaking:
        if store.has(job.key):
            return False
        store_take(job, Path(folder))
        _spoken += 1
    return True


def takes_spoken() -> tuple[int, int]:
    """(process id, takes this worker process has spoken): for ``Client.run``, which asks
    every worker."""
    return os.getpid(), _spoken


def check_cluster(address: str, shared: Sequence[Path]) -> list[tuple[bool, str]]:
    """What ``doctor`` says of the Dask cluster at ``address`` (``tcp://HOST:PORT``): that it
    answers and has workers; that each worker runs this spacecast version and sees each of
    ``shared`` (the speech cache, the show folders) at the same path. (ok, detail) lines."""
    from spacecast import __version__

    try:
        client = connect(address)
    except SpacecastError as exc:
        return [(False, str(exc))]
    with contextlib.closing(client):
        threads = client.nthreads()
        if not threads:
            return [(False, f"{address}: no workers: start them with `dask worker {address}`")]
        lines = [(True, f"{address}: {len(threads)} workers, {sum(threads.values())} threads")]
        try:
            seen = client.run(_worker_view, [str(path) for path in shared])
        except Exception as exc:  # a worker without spacecast cannot even load the check
            return [
                *lines,
                (False, f"the workers cannot run spacecast ({type(exc).__name__}: {exc}): "
                 "install the same spacecast on every worker"),
            ]  # fmt: skip
        for worker, (host, version, missing) in sorted(seen.items()):
            if version != __version__:
                lines.append(
                    (
                        False,
                        f"worker {worker} on {host} runs spacecast {version}, not {__version__}",
                    )
                )
            for path in missing:
                lines.append(
                    (False, f"worker {worker} on {host} cannot write to {path}: put it on "
                     "storage every worker mounts at the same path")
                )  # fmt: skip
        return lines


def _worker_view(paths: Sequence[str]) -> tuple[str, str, list[str]]:
    """(host, spacecast version, those of ``paths`` this worker cannot write into): run on
    every worker by ``check_cluster``. A path not made yet is judged by its nearest
    existing parent."""
    import socket

    from spacecast import __version__

    missing = []
    for text in paths:
        path = Path(text)
        existing = next((p for p in (path, *path.parents) if p.exists()), None)
        if existing is None or not os.access(existing, os.W_OK | os.X_OK):
            missing.append(text)
    return socket.gethostname(), __version__, missing
