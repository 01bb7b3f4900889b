"""A ``daily`` run of several shows (``[[shows]]``): each built by ``run.run_show`` from its
own settings alone, into its own folder, with its own story memory and feed.

- The run holds every show's lock before it builds any (``run.show_lock``), so a run that
  finds one busy stops having done nothing.
- The shows share the speech cache, so a story two shows read in the same words is
  synthesized once, and the shows whose speech settings agree share one speech session
  (``SharedSpeech``): the voices are loaded, and the worker processes started, once for
  the run.
- With a Dask executor, each show is one task on the cluster (``cluster``), sent before the
  others are built here; its lock goes with it to the worker that builds it.
- One show failing does not stop the others; the run then ends with an error naming each
  (``run_failure``).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence

from spacecast.daily.cluster import ShowsOnCluster, replay
from spacecast.daily.run import (
    OUTCOME,
    RunInProgress,
    ShowResult,
    SourcesFailed,
    os_error,
    run_show,
    show_lock,
)
from spacecast.errors import SpacecastError
from spacecast.pipeline import open_speech, speech_key
from spacecast.settings.model import Settings
from spacecast.speech.executors import scheduler_address
from spacecast.speech.session import SpeechSession
from spacecast.speech.workers import Lifetime

log = logging.getLogger(__name__)


class ShowsFailed(SpacecastError):
    """Some of the run's shows failed (the others were published); the exit code is theirs
    when they agree, else 1."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class SharedSpeech(Lifetime):
    """The speech sessions of a run of several shows: one for every show whose speech
    settings agree (``pipeline.speech_key``: voices folder, speech cache, workers,
    executor), opened by the first show that speaks and kept, with its workers, for the
    next; closed when the run ends (killed when it ends with an exception).

    A show that fails inside its session closes it, killing its workers, so the next show
    starts afresh and inherits nothing of the failure. Without a speech cache each show has
    a session of its own, as a run of one show does. Each show's counts are its own
    (``SpeechSession.begin_build``).
    """

    def __init__(self) -> None:
        self._open: dict[tuple[object, ...], SpeechSession] = {}

    @contextlib.contextmanager
    def session(self, settings: Settings) -> Iterator[SpeechSession]:
        """The session for ``settings``' build, as a ``with`` block."""
        key = speech_key(settings)
        if key is None:
            with open_speech(settings) as own:
                yield own
            return
        speech = self._open.get(key)
        if speech is None:
            speech = self._open[key] = open_speech(settings, keep_workers=True)
        speech.begin_build()
        try:
            yield speech
        except BaseException:
            del self._open[key]
            speech.close(kill=True)
            raise

    def close(self, *, kill: bool = False) -> None:
        """End every session's workers (at once with ``kill``)."""
        sessions, self._open = list(self._open.values()), {}
        for speech in sessions:
            speech.close(kill=kill)


def run_shows(
    shows: Sequence[Settings],
    *,
    force: bool = False,
    warn: Callable[[str], None] = log.warning,
    on_progress: Callable[[int, int], None] | None = None,
    source_failed: Callable[[str], None] | None = None,
    before_show: Callable[[Settings], None] = lambda settings: None,
    dry_run: bool = False,
) -> tuple[ShowResult, ...]:
    """Run each of ``shows`` in turn (``run_show``), ``before_show`` first.

    With several shows, an error in one (``SpacecastError``, or a read or write that
    failed) is its result, ``failed``, and the others still run; with one, the error is
    raised, as ``run_show`` raises it. Messages name the show when there are several.
    The shows share their speech sessions (``SharedSpeech``).
    """
    results: dict[int, ShowResult] = {}
    with contextlib.ExitStack() as held:
        speech = held.enter_context(SharedSpeech()) if len(shows) > 1 else None
        # One run at a time: this one holds every show's folder before it builds any, so a
        # run that finds one of them busy (RunInProgress) stops having done nothing.
        unusable: dict[int, SpacecastError] = {}
        locks: dict[int, contextlib.ExitStack] = {}
        for index, settings in enumerate(shows):
            if dry_run:  # a dry run writes nothing, not even a lock file
                break
            try:
                lock = locks[index] = held.enter_context(contextlib.ExitStack())
                lock.enter_context(show_lock(settings.output.folder))
            except RunInProgress:
                raise
            except SpacecastError as exc:  # a folder that cannot be made: that show fails
                if len(shows) == 1:
                    raise
                unusable[index] = exc
        # Several shows with a Dask executor: each is one task on the cluster, sent before
        # the others are built here (``cluster``). Its lock goes with it: the worker holds
        # it while it builds, so a show this run can no longer stop (it was killed) is
        # still locked until it is published.
        clusters: list[ShowsOnCluster] = []
        sent: set[int] = set()
        if len(shows) > 1 and not dry_run:
            for address, indexes in _by_cluster(shows, skip=unusable).items():
                cluster = held.enter_context(ShowsOnCluster(address))
                for index in indexes:
                    locks[index].close()
                    cluster.submit(index, shows[index], force=force)
                clusters.append(cluster)
                sent.update(indexes)

        def prefix_of(settings: Settings) -> str:
            return f"{settings.name}: " if len(shows) > 1 and settings.name else ""

        for index, settings in enumerate(shows):
            if index in sent:
                continue
            before_show(settings)
            prefix = prefix_of(settings)
            try:
                if index in unusable:
                    raise unusable[index]
                results[index] = run_show(
                    settings,
                    force=force,
                    warn=_prefixed(prefix, warn),
                    on_progress=on_progress,
                    source_failed=_prefixed(prefix, source_failed or warn),
                    locked=True,
                    dry_run=dry_run,
                    speech_of=speech.session if speech else open_speech,
                )
            except (SpacecastError, OSError) as exc:
                if len(shows) == 1:
                    raise
                message = str(exc) if isinstance(exc, SpacecastError) else os_error(exc)
                code = exc.exit_code if isinstance(exc, SpacecastError) else 1
                results[index] = _failed(settings, prefix, message, code)
        for cluster in clusters:
            for index, outcome in cluster.results():
                settings = shows[index]
                before_show(settings)  # what it said goes into its own log
                prefix = prefix_of(settings)
                replay(
                    outcome.said,
                    warn=_prefixed(prefix, warn),
                    source_failed=_prefixed(prefix, source_failed or warn),
                )
                if outcome.error is None:
                    results[index] = outcome.result
                else:
                    results[index] = _failed(settings, prefix, outcome.error, outcome.exit_code)
    return tuple(results[index] for index in range(len(shows)))


def _by_cluster(shows: Sequence[Settings], *, skip: Iterable[int]) -> dict[str, list[int]]:
    """The indexes of the shows to send to each Dask scheduler (by address)."""
    by_address: dict[str, list[int]] = {}
    for index, settings in enumerate(shows):
        address = scheduler_address(settings.run.executor)
        if address is not None and index not in skip:
            by_address.setdefault(address, []).append(index)
    return by_address


def _failed(settings: Settings, prefix: str, message: str, code: int) -> ShowResult:
    """A show that an error stopped, logged as its outcome."""
    log.error("%s%s", prefix, message, extra=OUTCOME)
    return ShowResult(
        "failed", settings.run.date, None, None, (), (), (), name=settings.name,
        error=message, exit_code=code,
    )  # fmt: skip


def run_failure(results: Sequence[ShowResult]) -> SpacecastError | None:
    """The error a run ends with once it has said what each show did, or ``None``.

    Every source of every show failing is ``SourcesFailed`` (exit 69, as for one show);
    some shows failing is ``ShowsFailed``, naming each with why.
    """
    failed = [result for result in results if result.failed]
    if not failed:
        return None
    day = results[0].date.isoformat()
    if len(failed) == len(results) and all(r.status == "sources-failed" for r in failed):
        count = sum(len(result.failures) for result in results)
        every = "the source" if count == 1 else f"all {count} sources"
        if len(results) > 1:
            every += f" of the {len(results)} shows"
        return SourcesFailed(
            f"{every} failed (see the warnings above): no episode for {day}; run spacecast "
            "doctor to check each source"
        )
    # Some sources failing in one show is that show's failure, not the whole run's 69.
    codes = {1 if result.status == "sources-failed" else result.exit_code for result in failed}
    code = codes.pop() if len(codes) == 1 else 1
    if len(failed) == 1:
        result = failed[0]
        if result.status == "sources-failed":
            why = (
                "every source failed (see the warnings above): no episode for "
                f"{day}; run spacecast doctor to check each source"
            )
        else:
            why = str(result.error)
        return ShowsFailed(f'show "{result.name}" failed: {why}', code)
    whys = "; ".join(
        f'"{r.name}" ({"every source failed" if r.status == "sources-failed" else r.error})'
        for r in failed
    )
    return ShowsFailed(f"{len(failed)} of {len(results)} shows failed: {whys}", code)


def _prefixed(prefix: str, say: Callable[[str], None]) -> Callable[[str], None]:
    return (lambda message: say(prefix + message)) if prefix else say
