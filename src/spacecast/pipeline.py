"""The whole route, articles -> script -> takes -> timeline -> MP3, as three calls.

``make_script`` (ingest, condense, compose), ``render`` (synthesize, mix, export) and
``build`` (both). The speech of a command lives in one ``SpeechSession`` (``open_speech``):
its voices, take store and worker processes, shared by fitting the length and rendering.
Nothing here prints: progress and warnings go to the callbacks given.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import hashlib
import logging
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from spacecast import __version__
from spacecast.atomic import staging, sweep_partial
from spacecast.audio.mix import MIX_RATE, Pacing, Timeline, layout_seconds, mix, speech_audio
from spacecast.audio.mp3 import (
    Tags,
    check_output_path,
    encode_mp3,
    export_audio_mp3,
    read_build_stamp,
    write_wav,
)
from spacecast.audio.stingers import StingerSet, load_stingers
from spacecast.errors import ConfigError, InputError, OutputError, SpacecastError, io_reason
from spacecast.limits import MAX_CHAPTERS, MAX_STORIES
from spacecast.models import Episode, LeftOutStory, Script, Segment
from spacecast.publish.chapters import chapter_count, chapter_marks
from spacecast.publish.episode import episode_guid
from spacecast.publish.feed import feed_url
from spacecast.publish.notes import clock
from spacecast.publish.show import cover_art, cover_file, ensure_cover, publish_show
from spacecast.publish.sidecars import episode_description, episode_title, write_episode
from spacecast.scratch import scratch_dir, sweep_scratch
from spacecast.settings.model import Settings
from spacecast.settings.schema import flag_of
from spacecast.sources.gather import SourceSpec
from spacecast.speech.executors import LOCAL
from spacecast.speech.length import speech_seconds, take_seconds
from spacecast.speech.profiles import Voices, load_voices, pick_profile
from spacecast.speech.session import SpeechSession
from spacecast.speech.synthesize import SegmentNotSpoken, SynthesisReport
from spacecast.text.article import Article
from spacecast.text.compose import ShowFormat, compose, roundup_headline
from spacecast.text.condense import word_count
from spacecast.text.ingest import load_articles
from spacecast.text.selection import Lineup, choose_lineup, one_more_headline

log = logging.getLogger(__name__)

# A script is accepted once its predicted length is this close to --minutes...
FIT_TOLERANCE = 0.01
# ...and then once its real length is this close. The real length is exact (the mix lays
# the takes out as predicted from them), so this is the finished briefing's accuracy:
# inside the promised 5 %, and wide enough that the first real takes usually pass, which
# spares speaking the stories again (for a neural voice, about a third of a build).
MEASURED_TOLERANCE = 0.03


def _no_op(*_args: object) -> None:
    return None


PACING = Pacing()
"""The pauses and overlaps of every briefing (not a setting)."""


def _stingers(settings: Settings) -> StingerSet:
    briefing = settings.briefing
    return load_stingers(
        intro=briefing.intro,
        outro=briefing.outro,
        transition=briefing.transition,
        rate=MIX_RATE,
        cache_dir=settings.cache_folder,
    )


def open_speech(
    settings: Settings, *, workers: int | None = None, keep_workers: bool = False
) -> SpeechSession:
    """The speech session of a command: the voices (loaded and checked here, before any
    article is read), the speech cache of the settings, their worker count and executor
    (``workers`` given: that many local workers, for a one-off like ``say``). Use it as a
    ``with`` block: leaving it stops the workers. ``keep_workers``: for several builds in
    turn (``SpeechSession.begin_build``), whose renders leave the workers up for the next."""
    return SpeechSession(
        load_voices(settings.briefing.voices_dir),
        cache_dir=settings.cache_folder,
        workers=workers or settings.run.workers,
        executor=LOCAL if workers else settings.run.executor,
        keep_workers=keep_workers,
    )


def speech_key(settings: Settings) -> tuple[object, ...] | None:
    """What ``open_speech`` makes a session of: builds whose settings give the same key
    can share one session (``None``: without a cache, each build speaks for itself)."""
    if settings.cache_folder is None:
        return None
    voices = settings.briefing.voices_dir
    return (
        str(voices.resolve()) if voices else None,
        str(settings.cache_folder.resolve()),
        settings.run.workers,
        settings.run.executor,
    )


def make_script(
    sources: Sequence[str],
    settings: Settings,
    speech: SpeechSession,
    *,
    stdin: BinaryIO | None = None,
    warn: Callable[[str], None] = _no_op,
    configured: Sequence[SourceSpec] = (),
) -> Script:
    """Read the articles and write the briefing's script.

    ``sources`` are files, folders, ``-`` and web page URLs; with none, the stories come
    from ``configured`` (a settings file's ``[[sources]]``), gathered as ``daily`` does.
    """
    _show_format(settings, speech.voices)  # unknown voice profiles fail before any reading
    articles = read_sources(sources, settings, stdin=stdin, warn=warn, configured=configured)
    return script_from_articles(articles, settings, speech, warn=warn)


def read_sources(
    sources: Sequence[str],
    settings: Settings,
    *,
    stdin: BinaryIO | None = None,
    warn: Callable[[str], None] = _no_op,
    configured: Sequence[SourceSpec] = (),
) -> list[Article]:
    """The articles ``sources`` name (a URL through the same fetcher, limits and errors as
    a ``url`` source), or, with no ``sources``, the stories the ``configured`` sources
    give: one an event, as ``daily`` reads them."""
    from spacecast.sources.gather import gather
    from spacecast.sources.pages import read_page

    if sources or not configured:
        return load_articles(
            sources,
            stdin=stdin,
            warn=warn,
            fetch_url=lambda url: read_page(url, settings.network),
        )
    gathered = gather(configured, settings.network, warn=warn)
    for failure in gathered.failures:
        warn(f"{failure.source}: {failure.reason}")
    if not gathered.articles:
        count = len(configured)
        which = "the source" if count == 1 else f"all {count} sources"
        if len(gathered.failures) < count:
            raise InputError("the configured sources gave no stories: add articles to them")
        raise InputError(f"{which} in the settings failed: see the warnings above")
    # As daily reads them: one story an event, from its best report, crediting the others,
    # the events ranked by coverage (``text.events``).
    from spacecast.text.events import plan_events

    weights = {spec.outlet: spec.weight for spec in configured}
    events = plan_events(
        gathered.articles,
        date=settings.run.date,
        weight=lambda outlet: weights.get(outlet, 1.0),
    )
    return [event.story() for event in events]


class NoStorySpoken(InputError):
    """Not one of the stories could be spoken; ``unspoken`` are they (the daily run
    remembers them, so they do not stop the next run too)."""

    def __init__(self, message: str, unspoken: Sequence[Article]) -> None:
        super().__init__(message)
        self.unspoken = tuple(unspoken)


def script_from_articles(
    articles: Sequence[Article],
    settings: Settings,
    speech: SpeechSession,
    *,
    warn: Callable[[str], None] = _no_op,
) -> Script:
    """Condense ``articles`` into a script that fits ``[briefing] minutes``.

    When their leads cannot all fit, the most newsworthy stories that fit are read, and the
    script's ``left_out`` names the others (see ``selection``); when not even one story fits
    with the greeting and the sign-off, a ``ConfigError`` names the length that would.
    Stories beyond the ``MAX_STORIES`` an episode can hold are left out too.

    Fitting speaks the candidate scripts in ``speech``, so a render in the same session finds
    its takes ready (and counts them as synthesized by this build). A story the engine
    cannot speak is left out (``unspoken``, named through ``warn``) and the script is fitted
    again without it; when none is left, ``NoStorySpoken``.
    """
    unspoken: list[Article] = []
    remaining = list(articles)
    while True:
        try:
            script = _fitted_script(remaining, settings, speech)
        except SegmentNotSpoken as exc:
            failed = [a for a in remaining if _reads(exc.segment, a)]
            if not failed:
                raise  # the greeting, a link or the round-up: nothing to leave out
            for article in failed:
                warn(
                    f"{article.label}: skipped: the speech engine could not speak it ({exc.reason})"
                )
            unspoken += failed
            remaining = [a for a in remaining if a not in failed]
            if not remaining:
                raise NoStorySpoken(
                    "the speech engine could not speak any of the stories: see the warnings above",
                    unspoken,
                ) from None
            continue
        left_out = tuple(
            LeftOutStory(a.label, a.url or a.source, reason="unspoken") for a in unspoken
        )
        return replace(script, left_out=script.left_out + left_out)


def _reads(segment: Segment, article: Article) -> bool:
    """Whether ``segment`` is ``article`` read (``compose.story_segment``)."""
    return (
        segment.kind == "story"
        and segment.title == article.label
        and segment.source == (article.url or article.source)
    )


def _fitted_script(
    articles: Sequence[Article], settings: Settings, speech: SpeechSession
) -> Script:
    """``script_from_articles`` for stories that can all be spoken."""
    voices = speech.voices
    show = _show_format(settings, voices)
    correspondent = voices.profiles[show.correspondents[0]]
    # On a cold cache both take about a second: the stingers are made in Python on this
    # core while the speech workers start up and measure the voices.
    with cf.ThreadPoolExecutor(1) as background:
        making_stingers = background.submit(_stingers, settings)
        rates = speech.calibrate(
            [voices.profiles[name] for name in dict.fromkeys((show.anchor, *show.correspondents))]
        )
        stingers = making_stingers.result()
    target = settings.briefing.minutes * 60
    pacing = PACING

    def story_words(script: Script) -> int:
        return sum(word_count(" ".join(s.source_sentences)) for s in script.segments)

    def write(lineup: Lineup, words: int) -> Script:
        return compose(
            lineup.read, date=settings.run.date, story_words=words, show=show,
            left_out=lineup.left_out, roundup=lineup.roundup,
        )  # fmt: skip

    def fit(
        lineup: Lineup,
        words: int,
        measure: Callable[[Script], tuple[float, float]],
        tolerance: float,
    ) -> tuple[Script, int, float]:
        """Recompose until ``measure(script)`` (total, stories seconds) is near the target;
        the script, its story words and its total."""
        best: tuple[float, Script, int, float] | None = None
        previous = None
        for _ in range(6):
            script = write(lineup, words)
            if script == previous:  # out of material, or no finer step between sentences
                break
            previous = script
            total, stories = measure(script)
            if best is None or abs(total - target) < best[0]:
                best = (abs(total - target), script, words, total)
            wanted = target - (total - stories)
            if abs(total - target) <= tolerance * target or stories <= 0 or wanted <= 0:
                break
            # The stories' share of the length scales with their words.
            new_words = max(len(lineup.read), round(story_words(script) * wanted / stories))
            if new_words == words:
                break
            words = new_words
        assert best is not None  # the first pass always sets it
        return best[1:]

    said: dict[tuple[str, str], float] = {}  # the same segments recur in every candidate

    def predicted(script: Script) -> tuple[float, float]:
        seconds = []
        for segment in script.segments:
            key = (segment.text, segment.profile)
            if key not in said:
                said[key] = speech_seconds(segment, rates[segment.profile], pacing)
            seconds.append(said[key])
        return _totals(script, seconds, stingers, pacing)

    def measured(script: Script) -> tuple[float, float]:
        report = speech.synthesize(script)
        spoken = [take_seconds(report.takes.outline(i), pacing) for i in range(len(report.keys))]
        return _totals(script, spoken, stingers, pacing)

    def has_headline(article: Article) -> bool:
        return roundup_headline(article) is not None

    def choose(scale: float) -> Lineup:
        """The stories that fit with each read at its shortest (``scale``: real / predicted)."""

        def fits(lineup: Lineup) -> bool:
            return shortest(lineup) * scale <= target * (1 + FIT_TOLERANCE)

        # Most newsworthy first, as they come: the user's order, the sources', or, from the
        # configured sources and in daily runs, the events' ranking (``text.events``).
        ranked = list(articles[:MAX_STORIES])  # the rest: beyond, see below
        lineup = choose_lineup(
            ranked, fits, has_headline=has_headline, roundup=bool(show.phrases.roundup)
        )
        if lineup is None:
            raise _too_short(settings, shortest(Lineup(tuple(ranked[:1]))) * scale)
        return lineup

    def fill(lineup: Lineup, words: int) -> tuple[Lineup, Script, int]:
        """The predicted fit, with more headlines in the round-up while they bring a briefing
        that falls short (no sentence fits the time left) closer to the target."""
        script, words, total = fit(lineup, words, predicted, FIT_TOLERANCE)
        while total < target * (1 - FIT_TOLERANCE) and show.phrases.roundup:
            more = one_more_headline(lineup, has_headline)
            if more is None:
                break
            longer, more_words, longer_total = fit(more, words, predicted, FIT_TOLERANCE)
            if abs(longer_total - target) >= abs(total - target):
                break
            lineup, script, words, total = more, longer, more_words, longer_total
        return lineup, script, words

    def shortest(lineup: Lineup) -> float:
        return predicted(write(lineup, 0))[0]

    # The calibrated rates choose the stories and their sentences; the real takes (cached,
    # so the build that follows reuses them) then check the length and correct the choice
    # where needed.
    lineup = choose(1.0)
    first_guess = max(len(lineup.read), int(target / 60 * correspondent.rate * 0.7))
    lineup, script, words = fill(lineup, first_guess)
    script, words, total = fit(lineup, words, measured, MEASURED_TOLERANCE)
    if abs(total - target) > MEASURED_TOLERANCE * target:
        # The voices ran faster or slower than predicted, so other stories may fit (or fewer
        # than chosen): choose again at the real pace, and keep whichever lands closer.
        again = choose(total / predicted(script)[0])
        if again != lineup:
            again, other, words = fill(again, words)
            other, _, other_total = fit(again, words, measured, MEASURED_TOLERANCE)
            if abs(other_total - target) < abs(total - target):
                script = other
    beyond = articles[MAX_STORIES:]
    if beyond:  # more than an episode's chapters can list
        more = tuple(LeftOutStory(a.label, a.url or a.source, reason="max_stories") for a in beyond)
        script = replace(script, left_out=script.left_out + more)
    return script


def _too_short(settings: Settings, needed: float) -> SpacecastError:
    """The error for a length that cannot hold one story with the greeting and sign-off."""
    enough = math.ceil(needed * (1 + MEASURED_TOLERANCE) / 60 * 10) / 10
    problem = (
        f"{settings.briefing.minutes:g} minutes is too short for the greeting, one story and "
        f"the sign-off (about {clock(needed)})"
    )
    origin = settings.origin("briefing.minutes")
    if origin.kind == "file":
        return origin.error(f"{problem}: give {enough:g} or more")
    flag = flag_of("briefing.minutes")
    return ConfigError(f"{flag}: {problem}: give {flag} {enough:g} or more")


def _totals(
    script: Script, speech: Sequence[float], stingers: StingerSet, pacing: Pacing
) -> tuple[float, float]:
    """(the whole briefing's length, the stories' speech) in seconds."""
    stories = sum(s for seg, s in zip(script.segments, speech, strict=True) if seg.kind == "story")
    return layout_seconds(script, speech, stingers, pacing), stories


def _show_format(settings: Settings, voices: Voices) -> ShowFormat:
    briefing = settings.briefing
    if settings.run.profile:
        anchor = pick_profile(voices.profiles, settings.run.profile).name
        correspondents: tuple[str, ...] = (anchor,)
    else:
        anchor = pick_profile(voices.profiles, briefing.anchor).name
        correspondents = tuple(
            pick_profile(voices.profiles, n).name for n in briefing.correspondent
        )
    return ShowFormat(
        show=settings.show.title,
        anchor=anchor,
        correspondents=correspondents,
        style=briefing.style,
        phrases=settings.phrases,
        speakers=speakers_of(voices),
    )


def speakers_of(voices: Voices) -> dict[str, str]:
    """Each voice profile's on-air name."""
    return {name: profile.on_air_name for name, profile in voices.profiles.items()}


def render(
    script: Script,
    output: Path,
    settings: Settings,
    speech: SpeechSession,
    *,
    on_progress: Callable[[int, int], None] | None = None,
    on_stage: Callable[[str], None] = _no_op,
    warn: Callable[[str], None] = _no_op,
    force: bool = False,
    publish: bool = False,
) -> Episode:
    """Speak ``script`` and write the finished MP3 to ``output``, with its sidecars
    (``force``: even when the MP3 there was made from exactly the same speech and settings).

    ``publish``: then publish the folder ``output`` is in as the show's: its cover art, the
    feed and the listening page. Without it nothing else is written there: the cover art is
    only embedded in the MP3.

    Takes the session synthesized earlier (fitting the length) count as synthesized by
    this build.
    """
    check_output_path(output)
    # What killed runs left behind: scratch folders in $TMPDIR, temporary files here.
    sweep_scratch()
    sweep_partial(output.parent)
    voices = speech.voices
    if settings.run.profile:
        name = pick_profile(voices.profiles, settings.run.profile).name
        script = replace(script, segments=tuple(replace(s, profile=name) for s in script.segments))
    for segment in script.segments:
        try:
            pick_profile(voices.profiles, segment.profile)
        except ConfigError as exc:
            raise InputError(f"segment {segment.title!r}: {exc}") from None
    chapters = chapter_count(script.segments)
    if chapters > MAX_CHAPTERS:
        raise InputError(
            f"the script makes {chapters} chapters: an MP3's chapter list holds at most "
            f"{MAX_CHAPTERS} (about {MAX_STORIES} stories): split it into two episodes"
        )
    stingers = _stingers(settings)
    report = speech.synthesize(script, on_take=on_progress, warn=warn)
    # Everything is spoken: free the workers' memory before mixing and encoding.
    speech.stop_workers()
    on_stage("Mixing")
    with scratch_dir("mix") as work:
        try:
            timeline = mix(
                script.segments,
                report.takes,
                stingers,
                PACING,
                into=Path(work) / "mix.pcm",
                speakers=speakers_of(voices),
            )
        except OSError as exc:  # the mix is the biggest file a build writes
            raise OutputError(
                f"cannot mix the episode in {Path(work).parent}: {io_reason(exc)} (free some "
                "space there, or set TMPDIR to a folder with more)"
            ) from None
        return _finish(
            script, timeline, report, stingers, output, settings, on_stage,
            force=force, publish=publish,
        )  # fmt: skip


def _finish(
    script: Script,
    timeline: Timeline,
    report: SynthesisReport,
    stingers: StingerSet,
    output: Path,
    settings: Settings,
    on_stage: Callable[[str], None],
    *,
    force: bool,
    publish: bool,
) -> Episode:
    """Encode the mixed timeline (unless an identical MP3 is there), put it in place with
    its sidecars, then (``publish``) publish its folder."""
    from spacecast.publish.cover import cover_bytes  # Pillow: only once there is an episode

    duration = timeline.duration
    marks = chapter_marks(timeline.segments, duration)
    folder = output.parent
    channel = replace(settings.show.channel, title=script.title)
    if publish:
        cover = cover_bytes(ensure_cover(folder, script.title, settings.show.cover))
    else:
        cover = cover_art(folder, script.title, settings.show.cover, settings.cache_folder)
    guid = episode_guid(script.title, script.date)
    tags = Tags(
        title=episode_title(script),
        artist=script.title,
        album=script.title,
        date=script.date,
        description=episode_description(script, marks),
        chapters=marks,
        cover=cover,
        guid=guid,
        feed_url=feed_url(channel) if publish else "",
    )
    fingerprint = _fingerprint(report, stingers, tags, settings)
    reuse = settings.cache_folder is not None and not force
    stored = read_build_stamp(output) if reuse else None
    with contextlib.ExitStack() as stack:
        staged = None
        if stored is not None and stored.fingerprint == fingerprint:
            loudness, encoded = stored.loudness, False  # the MP3 there is this very episode
        else:
            # The new MP3 is made beside the old one, which stays in place, and in the feed,
            # until the new one is complete (write_episode puts it in place).
            on_stage("Encoding (loudness, MP3, tags)")
            check_output_path(output)
            staged = stack.enter_context(staging(output))
            loudness = encode_mp3(
                timeline.pcm,
                timeline.sample_rate,
                staged,
                replace(tags, fingerprint=fingerprint),
                bitrate=settings.briefing.bitrate,
                loudness=settings.briefing.loudness,
                name=output,
            )
            encoded = True
        on_stage("Publishing" if publish else "Writing the sidecars")
        record = write_episode(
            output,
            script,
            timeline.segments,
            duration=duration,
            integrated_lufs=loudness.integrated,
            true_peak_dbtp=loudness.true_peak,
            guid=guid,
            staged=staged,
            cover=cover_file(folder),
            fallbacks=report.fallbacks,
        )
    feed = publish_show(folder, channel)[0] if publish else None
    return Episode(
        path=str(output),
        title=record.title,
        date=script.date,
        duration=duration,
        segments=timeline.segments,
        synthesized=report.synthesized,
        cached=report.cached,
        encoded=encoded,
        integrated_lufs=loudness.integrated,
        true_peak_dbtp=loudness.true_peak,
        feed=str(feed) if feed else None,
        fallbacks=report.fallbacks,
    )


def _fingerprint(
    report: SynthesisReport, stingers: StingerSet, tags: Tags, settings: Settings
) -> str:
    """Everything the MP3's bytes depend on: equal fingerprints, equal episodes."""
    digest = hashlib.sha256()
    for part in (
        *report.keys,
        *(
            hashlib.sha256(s.raw_data).hexdigest()
            for s in (stingers.intro, stingers.transition, stingers.outro)
        ),
        repr(PACING),
        repr(settings.briefing.loudness),
        str(settings.briefing.bitrate),
        repr(replace(tags, fingerprint="", cover=None)),
        hashlib.sha256(tags.cover[0] if tags.cover else b"").hexdigest(),
        __version__,
    ):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def say(text: str, output: Path, settings: Settings) -> float:
    """Speak ``text`` in one voice (lexicon applied) to an MP3 or WAV; return its length."""
    check_output_path(output)
    with open_speech(settings, workers=1) as speech:
        name = settings.run.profile or settings.briefing.correspondent[0]
        profile = pick_profile(speech.voices.profiles, name)
        if not text.strip():
            raise InputError("TEXT: nothing to say: give some words")
        title = settings.show.title
        script = Script(
            title=title,
            date=settings.run.date,
            segments=(Segment("story", "Preview", profile.name, text),),
        )
        report = speech.synthesize(script)
        audio, _ = speech_audio(report.takes[0], PACING)
    if output.suffix.lower() == ".wav":
        write_wav(audio, output)
    else:
        tags = Tags(f"{title} preview", title, title, settings.run.date, text)
        briefing = settings.briefing
        export_audio_mp3(audio, output, tags, bitrate=briefing.bitrate, loudness=briefing.loudness)
    return audio.frame_count() / audio.frame_rate


def build(
    sources: Sequence[str],
    output: Path,
    settings: Settings,
    *,
    stdin: BinaryIO | None = None,
    warn: Callable[[str], None] = _no_op,
    on_progress: Callable[[int, int], None] | None = None,
    on_stage: Callable[[str], None] = _no_op,
    configured: Sequence[SourceSpec] = (),
    publish: bool | None = None,
) -> tuple[Script, Episode]:
    """``make_script`` then ``render``, in one speech session. ``publish``: see ``render``;
    by default, when ``output`` is in the show's folder (``[output] folder``)."""
    check_output_path(output)
    if publish is None:
        publish = in_show_folder(output, settings)
    with open_speech(settings) as speech:
        on_stage("Writing the script")
        script = make_script(
            sources, settings, speech, stdin=stdin, warn=warn, configured=configured
        )
        episode = render(
            script, output, settings, speech, on_progress=on_progress, on_stage=on_stage,
            warn=warn, publish=publish,
        )  # fmt: skip
    return script, episode


def in_show_folder(output: Path, settings: Settings) -> bool:
    """Whether ``output`` goes into the show's folder (``[output] folder``)."""
    return os.path.realpath(output.parent) == os.path.realpath(settings.output.folder)
