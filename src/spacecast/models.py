"""Plain, immutable data passed between the pipeline stages.

Article (``text.article``) -> Script (of Segments) -> Takes (speech audio + sentence timings)
-> a timeline of PlacedSegments -> Chapters -> Episode.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

SegmentKind = Literal["intro", "story", "transition", "handover", "handback", "roundup", "outro"]
SEGMENT_KINDS: tuple[SegmentKind, ...] = (
    "intro",
    "story",
    "transition",
    "handover",
    "handback",
    "roundup",
    "outro",
)


@dataclass(frozen=True)
class Credit:
    """Another outlet's report of the event a story reads: credited, not read."""

    outlet: str
    """Who published it: the source's name, else the link's host."""
    title: str
    url: str | None = None
    """Its URL, or its path."""


@dataclass(frozen=True)
class Segment:
    """One spoken part of the briefing."""

    kind: SegmentKind
    title: str
    profile: str
    """Name of the voice profile that speaks it (a ``voices/*.toml`` file's name)."""
    text: str
    """Exactly what will be spoken. Paragraphs are separated by a blank line."""
    source: str | None = None
    """For stories: the article's URL, or its path."""
    source_sentences: tuple[str, ...] = ()
    """For stories: the chosen sentences as read, each taken from the article: whole, or
    with words that carry no news left out, or up to a clause boundary."""
    also: tuple[Credit, ...] = ()
    """For stories: the other outlets' reports of the same event ("Also reported by …")."""


LeftOutReason = Literal["length", "max_stories", "unspoken"]


@dataclass(frozen=True)
class LeftOutStory:
    """A story the briefing does not read: to fit its length, or beyond ``max_stories``."""

    title: str
    source: str | None = None
    """The article's URL, or its path."""
    roundup: bool = False
    """Its headline is said in the round-up at the end ("Also today: …")."""
    reason: LeftOutReason = "length"
    """``length``: it did not fit ``--minutes``; ``max_stories``: there were more stories
    than ``[briefing] max_stories`` (or than the 250 an episode can hold); ``unspoken``: the
    speech engine could not speak it."""


@dataclass(frozen=True)
class Script:
    """The whole briefing in words: what `spacecast script` writes and `render` speaks."""

    title: str
    """The show's name."""
    date: dt.date
    segments: tuple[Segment, ...]
    left_out: tuple[LeftOutStory, ...] = ()
    """Stories not read, most newsworthy first: to fit the length (then, for a daily run,
    those beyond ``max_stories``)."""


@dataclass(frozen=True)
class SentenceSpan:
    """Where one sentence lies inside a take's audio, in samples."""

    text: str
    start: int
    end: int
    paragraph: int
    """Index of the paragraph the sentence belongs to (pauses differ between paragraphs)."""


@dataclass(frozen=True)
class Take:
    """A segment's speech: mono 16-bit PCM at ``sample_rate``, sentences back to back.

    Pauses are not part of a take; the mixer inserts them between sentences.
    """

    pcm: bytes
    sample_rate: int
    sentences: tuple[SentenceSpan, ...]

    @property
    def duration(self) -> float:
        return len(self.pcm) / 2 / self.sample_rate


@dataclass(frozen=True)
class TimedSentence:
    """A sentence placed on the episode's timeline (seconds)."""

    text: str
    start: float
    end: float
    speaker: str
    """Who says it: the on-air name of its voice profile."""


@dataclass(frozen=True)
class Chapter:
    """A chapter as players show it: in the MP3's tags, the chapters file and the feed."""

    start: float
    """Seconds from the start of the MP3."""
    end: float
    title: str
    kind: str
    url: str | None = None
    """The story's source link, when it has one."""
    also: tuple[Credit, ...] = ()
    """The other outlets' reports of the story's event."""


@dataclass(frozen=True)
class PlacedSegment:
    """A segment placed on the episode's timeline (seconds)."""

    kind: SegmentKind
    title: str
    start: float
    end: float
    source: str | None = None
    sentences: tuple[TimedSentence, ...] = field(default=())
    speaker: str = ""
    """Who speaks it: the voice profile's on-air name."""
    also: tuple[Credit, ...] = ()
    """For stories: the other outlets' reports of the same event."""


@dataclass(frozen=True)
class Episode:
    """What a build made: the MP3 on disk and how it was made (its sidecar record is
    ``publish.episode.EpisodeRecord``)."""

    path: str
    title: str
    date: dt.date
    duration: float
    segments: tuple[PlacedSegment, ...]
    """Every segment as placed in the MP3 (a chapter is made from each)."""
    synthesized: int
    """How many segments were synthesized in this build."""
    cached: int
    """How many segments came from the cache."""
    encoded: bool
    """False when the MP3 already on disk was this very episode and was kept."""
    integrated_lufs: float
    true_peak_dbtp: float
    feed: str | None
    """The feed that now lists the episode; ``None`` when it was not published."""
    fallbacks: tuple[str, ...] = ()
    """Segments spoken by a fallback profile, and why."""
