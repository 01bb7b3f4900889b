"""``spacecast daily``: gather -> build -> publish -> prune, safe to run from cron.

- One run at a time per output folder: an exclusive ``flock`` on ``.spacecast.lock``. The
  kernel releases it when a run dies, so a killed run never leaves a stale lock. A run of
  several shows takes every show's lock before it builds any.
- Idempotent per date: the day's stories are remembered (``state``), so a rerun rebuilds
  the same episode, adding any new stories; with nothing new and the episode in place, the
  run does nothing. Stories left out (to fit the length, or beyond ``max_stories``) are
  remembered as left out, not as read: a later day can read them.
- Events, not articles (``text.events``): the candidate stories (the day's own, for a rerun,
  then the others newest first) and those read on the days before are grouped into events;
  each event is read once, from its best report, crediting the others. An event read on an
  earlier day is not read again (a repeat); one that develops it is read as an update. The
  events are ranked by coverage (the outlets' weights) and recency, and ``max_stories`` and
  the length take from the front; equal scores keep the sources' order. Every report of an
  event read (repeats too) is remembered as read, so none comes back; every report of an
  event left out is remembered as left out.
- Every source failing is a failed run (``status`` ``sources-failed``), not a quiet day.
- Several shows (``[[shows]]``): ``shows``, each built here by ``run_show``.
- Publishing is ordered so that a kill at any instant leaves a valid feed whose items all
  point at complete files: each file is written atomically, the MP3 and its sidecars before
  the episode record, the feed last; retention drops old items from the feed before it
  deletes their files.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from spacecast.atomic import sweep_partial
from spacecast.daily.state import StoryStore, unique
from spacecast.errors import OutputError, SpacecastError, io_reason
from spacecast.models import LeftOutReason, LeftOutStory
from spacecast.pipeline import (
    NoStorySpoken,
    open_speech,
    render,
    script_from_articles,
)
from spacecast.publish.episode import EpisodeRecord, complete_records
from spacecast.publish.notes import stories_count
from spacecast.publish.show import prune, publish_show
from spacecast.scratch import sweep_scratch
from spacecast.settings.model import Settings
from spacecast.sources.gather import Gathered, SourceFailure, gather
from spacecast.speech.session import SpeechSession
from spacecast.text.article import Article
from spacecast.text.events import Event, plan_events

log = logging.getLogger(__name__)

LOCK_FILE = ".spacecast.lock"


class RunInProgress(SpacecastError):
    """Another run holds the output folder's lock."""

    exit_code = 75  # EX_TEMPFAIL: cron will simply try again next time


class SourcesFailed(SpacecastError):
    """Every source failed, so there is no episode (the command line raises it once it has
    printed the run's summary)."""

    exit_code = 69  # EX_UNAVAILABLE: cron mails it, and a dead feed never looks like no news


@dataclass(frozen=True)
class ShowResult:
    """What one show's run did: plain values, to be sent anywhere."""

    status: str
    """``published``, ``up-to-date`` (nothing new, the episode is there), ``no-news``,
    ``sources-failed`` (every source failed: no episode), or ``failed`` (an error stopped
    the show: ``error``, ``exit_code``; only when the run builds several)."""
    date: dt.date
    episode: Path | None
    duration: float | None
    stories: tuple[str, ...]
    """The titles of the stories read."""
    failures: tuple[SourceFailure, ...]
    pruned: tuple[str, ...]
    left_out: tuple[LeftOutStory, ...] = ()
    """Stories not read: to fit the length, or beyond ``max_stories``."""
    events: tuple[PlannedEvent, ...] = ()
    """Every event of the day, best first, and what became of it."""
    name: str | None = None
    """The show's ``[[shows]]`` name (``None``: the one show of the top-level settings)."""
    synthesized: int = 0
    """Takes of the episode synthesized by this run (the others came from the cache)."""
    cached: int = 0
    """Takes of the episode that came from the speech cache."""
    error: str | None = None
    exit_code: int = 0

    @property
    def failed(self) -> bool:
        return self.status in ("sources-failed", "failed")


@contextlib.contextmanager
def show_lock(folder: Path) -> Iterator[None]:
    """Make the show's folder if need be, and hold its run lock (``exclusive_lock``)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create the output folder ({exc.strerror})") from None
    with exclusive_lock(folder):
        yield


Outcome = Literal["read", "update", "repeat", "length", "max_stories", "unspoken"]


@dataclass(frozen=True)
class PlannedEvent:
    """An event of the day and what the run does with it."""

    event: Event
    outcome: Outcome
    """``read``; ``update`` (read as an update of a story read before); ``repeat`` (read on
    an earlier day: not again); or left out: ``length``, ``max_stories``, ``unspoken``.
    A dry run says ``read`` or ``update`` for the events within ``max_stories``: the length
    may leave some of them out."""


@dataclass(frozen=True)
class _Plan:
    """The day's events: those to offer the script (best first), those beyond
    ``max_stories`` and the repeats."""

    chosen: tuple[Event, ...]
    over: tuple[Event, ...]
    repeats: tuple[Event, ...]

    def planned(self, outcome_of: Callable[[Event], Outcome]) -> tuple[PlannedEvent, ...]:
        """Every event, best first, the repeats last, with what became of it."""
        return (
            *(PlannedEvent(e, outcome_of(e)) for e in self.chosen),
            *(PlannedEvent(e, "max_stories") for e in self.over),
            *(PlannedEvent(e, "repeat") for e in self.repeats),
        )


@contextlib.contextmanager
def exclusive_lock(folder: Path) -> Iterator[None]:
    """Hold the folder's run lock, or raise ``RunInProgress`` at once."""
    path = folder / LOCK_FILE
    try:
        handle = open(path, "a+")  # noqa: SIM115 - held open for the whole run
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create {LOCK_FILE} ({exc.strerror})") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise RunInProgress(
                f"another spacecast run is publishing to {folder} (pid {holder}): "
                "this one stops; try again later"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield  # the lock goes with the file handle, also when the process is killed


SpeechOf = Callable[[Settings], contextlib.AbstractContextManager[SpeechSession]]
"""The speech session a show's build uses, as a ``with`` block."""


def os_error(exc: OSError) -> str:
    where = f"{exc.filename}: " if exc.filename else ""
    return f"{where}{io_reason(exc)}"


def run_show(
    settings: Settings,
    *,
    force: bool = False,
    warn: Callable[[str], None] = log.warning,
    on_progress: Callable[[int, int], None] | None = None,
    source_failed: Callable[[str], None] | None = None,
    locked: bool = False,
    dry_run: bool = False,
    speech_of: SpeechOf = open_speech,
) -> ShowResult:
    """Make (or remake) the show's episode of the run's date from its sources and publish
    it into its folder. Everything it uses is in ``settings``; it holds the folder's lock
    (``locked``: the caller holds it, ``show_lock``).

    ``warn`` hears about skipped files and entries; ``source_failed`` (default: ``warn``)
    gets one line for each source that gave nothing, ``label: reason``. ``dry_run``: only
    gather and plan the day's events (status ``dry-run``): nothing is spoken or written.
    ``speech_of``: the speech session of the build (default: one of its own; a run of
    several shows shares them, ``SharedSpeech``).
    """
    lock = contextlib.nullcontext() if locked else show_lock(settings.output.folder)
    if dry_run:  # reads the memory, writes nothing: no lock, no folder made
        with StoryStore(settings.output.folder, warn=warn, read_only=True) as store:
            result = _dry_run(settings, store, warn, source_failed)
        return replace(result, name=settings.name)
    with lock:
        result = _run_show(settings, force, warn, on_progress, source_failed, speech_of)
    return replace(result, name=settings.name)


def _run_show(
    settings: Settings,
    force: bool,
    warn: Callable[[str], None],
    on_progress: Callable[[int, int], None] | None,
    source_failed: Callable[[str], None] | None,
    speech_of: SpeechOf,
) -> ShowResult:
    date = settings.run.date
    shown = f"{settings.name}: " if settings.name else ""  # in the log, which show
    folder = settings.output.folder
    with StoryStore(folder, warn=warn) as store:
        # What killed runs left behind: temporary files here, scratch folders in $TMPDIR.
        sweep_partial(folder)
        sweep_scratch()
        earlier = store.stories_of(date)
        gathered = _gather_day(settings, store, warn, source_failed)
        failures = gathered.failures
        output = settings.episode_path(date)
        if len(failures) == len(settings.sources):
            log.error(
                "%s%s: every source failed (%d): no episode",
                shown,
                date.isoformat(),
                len(failures),
                extra=OUTCOME,
            )
            return _result("sources-failed", date, None, None, (), failures, ())
        plan = _plan(settings, store, earlier, gathered.articles)
        kept = len(store.stories_of(date, dropped=False))
        stories = [event.story() for event in plan.chosen]
        dropped = tuple(_left_out(event.lead, "max_stories") for event in plan.over)
        if not stories and not plan.repeats:
            log.info("%s%s: no new stories: no episode", shown, date.isoformat(), extra=OUTCOME)
            return _result("no-news", date, None, None, (), failures, ())
        considered = sum(len(e.articles) for e in (*plan.chosen, *plan.repeats))
        if not stories:  # only stories read on earlier days: remembered, nothing to say
            store.remember(_reports(plan.repeats), date, dropped=_reports(plan.over))
            log.info("%s%s: no new stories: no episode", shown, date.isoformat(), extra=OUTCOME)
            return _result("no-news", date, None, None, (), failures, (),
                           events=plan.planned(_outcomes({})))  # fmt: skip
        record = _published_record(folder, output)
        if considered == kept and not force and record:
            # Rewritten anyway: a run killed mid-publish may have left the feed behind.
            channel = settings.show.channel
            publish_show(folder, channel)
            pruned = prune(folder, settings.output.keep, channel)
            log.info(
                "%s%s: nothing new: %s is up to date", shown, date.isoformat(), output,
                extra=OUTCOME,
            )  # fmt: skip
            left_out = tuple(s for s in record.left_out if s.reason != "max_stories") + dropped
            read, out = _read_and_left_out(stories, left_out)
            return _result(
                "up-to-date", date, output, record.duration, _titles(read), failures, pruned,
                left_out, plan.planned(_outcomes({_key(a): s.reason for a, s in out})),
            )  # fmt: skip
        with speech_of(settings) as speech:
            try:
                script = script_from_articles(stories, settings, speech, warn=warn)
            except NoStorySpoken as exc:
                store.remember_failed(exc.unspoken, date)  # tomorrow's run does not retry them
                raise
            # The episode's metadata names every story not read, and why.
            script = replace(script, left_out=script.left_out + dropped)
            episode = render(
                script, output, settings, speech, on_progress=on_progress, warn=warn,
                force=force, publish=True,
            )  # fmt: skip
        read, not_read = _read_and_left_out(stories, script.left_out)
        reports = {_key(e.lead): e.articles for e in plan.chosen}
        # Remembered only once published: a run killed before this point loses nothing.
        # Every report of an event read is read (the others were credited); a story the
        # engine could not speak is failed, the other reports of its event wait.
        store.remember(
            [*read, *(a for s in read for a in reports[_key(s)][1:]), *_reports(plan.repeats)],
            date,
            left_out=[
                *(a for s, story in not_read if story.reason != "unspoken"
                  for a in reports[_key(s)]),
                *(a for s, story in not_read if story.reason == "unspoken"
                  for a in reports[_key(s)][1:]),
            ],
            dropped=_reports(plan.over),
            failed=[article for article, story in not_read if story.reason == "unspoken"],
        )  # fmt: skip
        pruned = prune(folder, settings.output.keep, settings.show.channel)
        log.info(
            "%s%s: published %s (%.0f s, %s%s)",
            shown,
            date.isoformat(),
            output,
            episode.duration,
            stories_count(len(read)),
            f", {len(script.left_out)} left out" if script.left_out else "",
            extra=OUTCOME,
        )
        result = _result(
            "published", date, output, episode.duration, _titles(read), failures, pruned,
            script.left_out, plan.planned(_outcomes({_key(a): s.reason for a, s in not_read})),
        )  # fmt: skip
        return replace(result, synthesized=episode.synthesized, cached=episode.cached)


OUTCOME = {"outcome": True}
"""``extra`` of the log records that sum up a run: the command line says the same itself."""


def newest_first(articles: Sequence[Article], store: StoryStore, date: dt.date) -> list[Article]:
    """``articles`` by the date of the episode each was first gathered for, newest first:
    stories new today before those left out of earlier episodes. Stories of the same date
    keep their order (the sources', and each source's own)."""
    seen = [store.first_seen(article, date) for article in articles]
    order = sorted(range(len(articles)), key=lambda i: seen[i], reverse=True)
    return [articles[i] for i in order]


def _plan(
    settings: Settings, store: StoryStore, earlier: Sequence[Article], gathered: Sequence[Article]
) -> _Plan:
    """The day's events: the day's earlier stories first, then the gathered ones newest
    first (a story gathered twice, by URL or text, counts once), grouped with those read on
    the days before, ranked; ``max_stories`` takes the first."""
    date = settings.run.date
    candidates = unique([*earlier, *newest_first(gathered, store, date)])
    weights = {spec.outlet: spec.weight for spec in settings.sources}
    events = plan_events(
        candidates,
        date=date,
        read=store.read_before(date),
        weight=lambda outlet: weights.get(outlet, 1.0),
    )
    fresh = [e for e in events if not e.repeat]
    # Events the day's episode already reads (or left out to fit) stay in it, even if
    # max_stories was lowered since.
    kept_keys = {_key(a) for a in store.stories_of(date, dropped=False)}
    kept = sum(1 for e in fresh if any(_key(a) in kept_keys for a in e.articles))
    cap = max(settings.briefing.max_stories, kept)
    return _Plan(
        chosen=tuple(fresh[:cap]),
        over=tuple(fresh[cap:]),
        repeats=tuple(e for e in events if e.repeat),
    )


def _gather_day(
    settings: Settings,
    store: StoryStore,
    warn: Callable[[str], None],
    source_failed: Callable[[str], None] | None,
) -> Gathered:
    """The run's articles from every source (new ones, and those the memory recalls for
    the day), each source that failed said through ``source_failed`` (default ``warn``)."""
    date = settings.run.date
    gathered = gather(
        settings.sources,
        settings.network,
        warn=warn,
        is_new=lambda article: store.is_new(article, date),
        recall=lambda article: store.recall(article, date),
        note=log.info,
    )
    for failure in gathered.failures:
        (source_failed or warn)(f"{failure.source}: {failure.reason}")
    return gathered


def _dry_run(
    settings: Settings,
    store: StoryStore,
    warn: Callable[[str], None],
    source_failed: Callable[[str], None] | None,
) -> ShowResult:
    """The day's events and what would become of them; nothing spoken or written."""
    date = settings.run.date
    gathered = _gather_day(settings, store, warn, source_failed)
    if len(gathered.failures) == len(settings.sources):
        return _result("sources-failed", date, None, None, (), gathered.failures, ())
    plan = _plan(settings, store, store.stories_of(date), gathered.articles)
    stories = tuple(e.lead.label for e in plan.chosen)
    dropped = tuple(_left_out(event.lead, "max_stories") for event in plan.over)
    return _result(
        "dry-run", date, None, None, stories, gathered.failures, (), dropped,
        plan.planned(_outcomes({})),
    )  # fmt: skip


def _outcomes(reasons: dict[tuple[str, str], LeftOutReason]) -> Callable[[Event], Outcome]:
    """What became of each event, given why the stories left out were left out (by the
    ``_key`` of the story)."""

    def outcome(event: Event) -> Outcome:
        if event.repeat:
            return "repeat"
        reason = reasons.get(_key(event.lead))
        if reason is not None:
            return reason
        if event.follows is not None:
            return "update"
        return "read"

    return outcome


def _key(article: Article) -> tuple[str, str]:
    """A story as the script names it: its label and its link or path."""
    return (article.label, article.url or article.source)


def _reports(events: Sequence[Event]) -> list[Article]:
    return [a for event in events for a in event.articles]


def _left_out(article: Article, reason: LeftOutReason) -> LeftOutStory:
    return LeftOutStory(article.label, article.url or article.source, reason=reason)


def _read_and_left_out(
    stories: list[Article], left_out: tuple[LeftOutStory, ...]
) -> tuple[list[Article], list[tuple[Article, LeftOutStory]]]:
    """The stories read, and those left out (with how the script names them)."""
    named = {(s.title, s.source): s for s in left_out}
    read, out = [], []
    for article in stories:
        story = named.get((article.label, article.url or article.source))
        if story is None:
            read.append(article)
        else:
            out.append((article, story))
    return read, out


def _published_record(folder: Path, output: Path) -> EpisodeRecord | None:
    """The record of the complete episode published as ``output``, if there is one."""
    return next((r for r in complete_records(folder) if r.files.audio == output.name), None)


def _titles(stories: Iterable[Article]) -> tuple[str, ...]:
    return tuple(a.label for a in stories)


def _result(
    status: str,
    date: dt.date,
    episode: Path | None,
    duration: float | None,
    stories: Iterable[str],
    failures: Iterable[SourceFailure],
    pruned: Iterable[str],
    left_out: Iterable[LeftOutStory] = (),
    events: Iterable[PlannedEvent] = (),
) -> ShowResult:
    return ShowResult(
        status, date, episode, duration, tuple(stories), tuple(failures), tuple(pruned),
        tuple(left_out), tuple(events),
    )  # fmt: skip
