"""Stitching with pydub: stingers, speech and pauses -> one timeline with chapter marks.

All positions are counted in samples, not milliseconds, so chapter and sentence times
are exact however long the briefing. Pieces are collected in a list and joined once:
pydub's ``a + b`` copies both sides, so joining in a loop would be quadratic.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from spacecast.audio.pydub_audio import AudioSegment
from spacecast.audio.stingers import StingerSet
from spacecast.models import PlacedSegment, Script, Segment, Take, TimedSentence

MIX_RATE = 44100
"""The sample rate of the mix: takes are resampled to it, and the MP3 is made at it."""


@dataclass(frozen=True)
class Pacing:
    """Pauses and overlaps, in seconds."""

    sentence_pause: float = 0.35
    paragraph_pause: float = 0.8
    segment_gap: float = 0.9
    """Silence between one segment's last word and the next segment."""
    intro_overlap: float = 1.5
    """The greeting starts this long before the intro stinger ends (over its tail)."""
    transition_overlap: float = 0.25
    """The link after a transition stinger starts this long before the stinger ends."""
    outro_lead: float = 0.6
    """Silence between the sign-off and the outro stinger."""


@dataclass(frozen=True)
class Timeline:
    pcm: Path
    """The mixed briefing: mono 16-bit little-endian PCM at ``sample_rate``, no header."""
    sample_rate: int
    frames: int
    segments: tuple[PlacedSegment, ...]
    """One per segment, in order; ``start`` is where the segment's audio begins."""

    @property
    def duration(self) -> float:
        return self.frames / self.sample_rate

    @property
    def audio(self) -> AudioSegment:
        """The whole timeline in memory (for short pieces and tests)."""
        data = self.pcm.read_bytes()
        return AudioSegment(data=data, sample_width=2, frame_rate=self.sample_rate, channels=1)


class _Builder:
    """Appends audio in pieces to a PCM file, keeping only the last piece in memory.

    The last piece stays open because the next one may start over its tail.
    """

    def __init__(self, rate: int, sink: BinaryIO) -> None:
        self.rate = rate
        self.sink = sink
        self.last: AudioSegment | None = None
        self.length = 0

    def samples(self, seconds: float) -> int:
        return round(seconds * self.rate)

    def append(self, audio: AudioSegment) -> int:
        """Add ``audio`` at the end; return where it starts."""
        if self.last is not None:
            self.sink.write(self.last.raw_data)
        start = self.length
        self.last = audio
        self.length += int(audio.frame_count())
        return start

    def silence(self, seconds: float) -> None:
        if seconds > 0:
            self.append(_silence(self.samples(seconds), self.rate))

    def append_over_tail(self, audio: AudioSegment, overlap: float) -> int:
        """Add ``audio`` so that it starts ``overlap`` seconds before the end of the last piece."""
        last = self.last
        assert last is not None, "append_over_tail needs something to overlap"
        last_len = int(last.frame_count())
        n = min(self.samples(overlap), last_len, int(audio.frame_count()))
        if n <= 0:
            return self.append(audio)
        self.last = None
        self.length -= last_len
        head = last.get_sample_slice(0, last_len - n)
        mixed = last.get_sample_slice(last_len - n, last_len).overlay(audio.get_sample_slice(0, n))
        self.append(head)
        start = self.append(mixed)
        self.append(audio.get_sample_slice(n, int(audio.frame_count())))
        return start

    def finish(self) -> None:
        if self.last is not None:
            self.sink.write(self.last.raw_data)
            self.last = None
        self.sink.flush()


def _silence(samples: int, rate: int) -> AudioSegment:
    return AudioSegment(data=b"\0\0" * samples, sample_width=2, frame_rate=rate, channels=1)


def speech_audio(take: Take, pacing: Pacing) -> tuple[AudioSegment, list[tuple[str, int, int]]]:
    """A take with pauses between its sentences, and each sentence's (text, start, end)."""
    pieces, placed = speech_pieces(take, pacing)
    data = b"".join(piece.raw_data for piece in pieces)
    return AudioSegment(data=data, sample_width=2, frame_rate=take.sample_rate, channels=1), placed


def speech_pieces(
    take: Take, pacing: Pacing, *, first_at_least: int = 0
) -> tuple[Iterator[AudioSegment], list[tuple[str, int, int]]]:
    """A take with pauses between its sentences, as consecutive pieces (sentences and
    pauses, made one at a time so a long take is never copied whole), and each sentence's
    (text, start, end) in samples from the start of the speech.

    The first piece holds at least ``first_at_least`` samples (or all the speech), so that
    it alone can go over the tail of a stinger.
    """
    rate = take.sample_rate
    runs: list[tuple[int, int, int]] = []  # (pause before, start in take, end in take)
    placed: list[tuple[str, int, int]] = []
    position = 0
    for index, span in enumerate(take.sentences):
        gap = 0
        if index:
            new_paragraph = span.paragraph != take.sentences[index - 1].paragraph
            gap = round((pacing.paragraph_pause if new_paragraph else pacing.sentence_pause) * rate)
        position += gap
        runs.append((gap, span.start, span.end))
        placed.append((span.text, position, position + span.end - span.start))
        position += span.end - span.start

    def piece(data: bytes) -> AudioSegment:
        return AudioSegment(data=data, sample_width=2, frame_rate=rate, channels=1)

    def pieces() -> Iterator[AudioSegment]:
        first: list[bytes] = []
        size = 0
        for gap, start, end in runs:
            parts = [b"\0\0" * gap] if gap else []
            parts.append(take.pcm[start * 2 : end * 2])
            if size < first_at_least * 2:
                first.extend(parts)
                size += sum(len(part) for part in parts)
                continue
            if first:
                yield piece(b"".join(first))
                first = []
            for part in parts:
                yield piece(part)
        if first:
            yield piece(b"".join(first))

    return pieces(), placed


def mix(
    segments: Sequence[Segment],
    takes: Iterable[Take],
    stingers: StingerSet,
    pacing: Pacing = Pacing(),
    *,
    into: Path | None = None,
    speakers: Mapping[str, str] | None = None,
) -> Timeline:
    """Lay out the whole briefing: intro stinger, segments with pauses, outro stinger.

    The PCM goes to ``into`` (default: a temporary file the caller should delete). ``takes``
    is read one at a time, in order, so it may load each take only when it is reached.
    ``speakers`` gives the on-air name of each voice profile for the timeline's sentences
    and chapters (default: the profile's name).
    """
    rate = stingers.intro.frame_rate
    if into is None:
        fd, name = tempfile.mkstemp(prefix=f"spacecast-mix-{os.getpid()}-", suffix=".pcm")
        os.close(fd)
        into = Path(name)
    with open(into, "wb") as sink:
        timeline = _mix(segments, takes, stingers, pacing, _Builder(rate, sink), into)
    if not speakers:
        return timeline
    return replace(timeline, segments=tuple(_named(s, speakers) for s in timeline.segments))


def _named(placed: PlacedSegment, speakers: Mapping[str, str]) -> PlacedSegment:
    sentences = tuple(
        replace(s, speaker=speakers.get(s.speaker, s.speaker)) for s in placed.sentences
    )
    return replace(
        placed, speaker=speakers.get(placed.speaker, placed.speaker), sentences=sentences
    )


def stinger_before(segments: Sequence[Segment], index: int) -> bool:
    """Whether the transition stinger plays before segment ``index``: before every link and
    the round-up, and before every handover except one straight after the greeting."""
    kind = segments[index].kind
    if kind in ("transition", "roundup"):
        return True
    return kind == "handover" and index > 0 and segments[index - 1].kind != "intro"


def _mix(
    segments: Sequence[Segment],
    takes: Iterable[Take],
    stingers: StingerSet,
    pacing: Pacing,
    builder: _Builder,
    into: Path,
) -> Timeline:
    rate = builder.rate
    starts: list[int] = []
    placements: list[tuple[int, list[tuple[str, int, int]]]] = []
    for index, (segment, take) in enumerate(zip(segments, takes, strict=True)):
        if take.sample_rate != rate:
            raise ValueError(f"take at {take.sample_rate} Hz in a {rate} Hz mix")
        over_intro = index == 0 and segment.kind == "intro"
        overlap = pacing.intro_overlap if over_intro else pacing.transition_overlap
        speech, placed = speech_pieces(take, pacing, first_at_least=builder.samples(overlap))
        first = next(speech)
        if over_intro:
            starts.append(builder.append(stingers.intro))
            voice_start = builder.append_over_tail(first, overlap)
        elif stinger_before(segments, index):
            builder.silence(pacing.segment_gap)
            starts.append(builder.append(stingers.transition))
            voice_start = builder.append_over_tail(first, overlap)
        else:
            if index:
                builder.silence(pacing.segment_gap)
            voice_start = builder.append(first)
            starts.append(voice_start)
        for piece in speech:
            builder.append(piece)
        del take  # a long take is not kept while the next one is read
        placements.append((voice_start, placed))
    if segments and segments[-1].kind == "outro":
        builder.silence(pacing.outro_lead)
    else:
        builder.silence(pacing.segment_gap)
    builder.append(stingers.outro)
    builder.finish()

    placed_segments = []
    for index, segment in enumerate(segments):
        end = starts[index + 1] if index + 1 < len(starts) else builder.length
        voice_start, placed = placements[index]
        sentences = tuple(
            TimedSentence(
                text=text,
                start=(voice_start + a) / rate,
                end=(voice_start + b) / rate,
                speaker=segment.profile,
            )
            for text, a, b in placed
        )
        placed_segments.append(
            PlacedSegment(
                kind=segment.kind,
                title=segment.title,
                start=starts[index] / rate,
                end=end / rate,
                source=segment.source,
                speaker=segment.profile,
                sentences=sentences,
                also=segment.also,
            )
        )
    return Timeline(
        pcm=into, sample_rate=rate, frames=builder.length, segments=tuple(placed_segments)
    )


def layout_seconds(
    script: Script, speech: Sequence[float], stingers: StingerSet, pacing: Pacing
) -> float:
    """The mixed briefing's length given each segment's speech, laid out as ``mix.mix`` does."""
    intro = stingers.intro.duration_seconds
    transition = stingers.transition.duration_seconds
    total = 0.0
    for index, (segment, seconds) in enumerate(zip(script.segments, speech, strict=True)):
        if index == 0 and segment.kind == "intro":
            total += intro + seconds - min(pacing.intro_overlap, intro, seconds)
        elif stinger_before(script.segments, index):
            overlap = min(pacing.transition_overlap, transition, seconds)
            total += pacing.segment_gap + transition + seconds - overlap
        else:
            total += (pacing.segment_gap if index else 0.0) + seconds
    last = script.segments[-1].kind if script.segments else None
    total += pacing.outro_lead if last == "outro" else pacing.segment_gap
    return total + stingers.outro.duration_seconds
