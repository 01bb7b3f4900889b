"""Transcripts timed to the real audio: WebVTT, SRT and plain text.

Cue times come from the synthesized clips' own lengths placed on the timeline in samples,
so they do not drift however long the briefing is. One cue per sentence; WebVTT cues name
their speaker with a voice span (``<v anchor>``).
"""

from __future__ import annotations

from collections.abc import Sequence

from spacecast.models import PlacedSegment, TimedSentence

# Long sentences are split into cues of at most this many characters, timed by length.
MAX_CUE_CHARS = 120


def sentences(placed: Sequence[PlacedSegment]) -> list[TimedSentence]:
    return [s for segment in placed for s in segment.sentences]


def _cues(placed: Sequence[PlacedSegment]) -> list[TimedSentence]:
    cues = []
    for sentence in sentences(placed):
        cues.extend(_split(sentence))
    return cues


def _split(sentence: TimedSentence) -> list[TimedSentence]:
    """Break a long sentence into readable cues at word boundaries, timed by characters."""
    if len(sentence.text) <= MAX_CUE_CHARS:
        return [sentence]
    parts: list[str] = []
    current: list[str] = []
    for word in sentence.text.split():
        if current and len(" ".join([*current, word])) > MAX_CUE_CHARS:
            parts.append(" ".join(current))
            current = []
        current.append(word)
    parts.append(" ".join(current))
    total = sum(len(p) for p in parts)
    cues, start = [], sentence.start
    span = sentence.end - sentence.start
    for index, part in enumerate(parts):
        end = sentence.end if index == len(parts) - 1 else start + span * len(part) / total
        cues.append(TimedSentence(text=part, start=start, end=end, speaker=sentence.speaker))
        start = end
    return cues


def _timestamp(seconds: float, separator: str) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def _escape_vtt(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def webvtt(placed: Sequence[PlacedSegment]) -> str:
    lines = ["WEBVTT", ""]
    for number, cue in enumerate(_cues(placed), start=1):
        lines.append(str(number))
        lines.append(f"{_timestamp(cue.start, '.')} --> {_timestamp(cue.end, '.')}")
        lines.append(f"<v {_escape_vtt(cue.speaker)}>{_escape_vtt(cue.text)}")
        lines.append("")
    return "\n".join(lines)


def srt(placed: Sequence[PlacedSegment]) -> str:
    lines = []
    for number, cue in enumerate(_cues(placed), start=1):
        lines.append(str(number))
        lines.append(f"{_timestamp(cue.start, ',')} --> {_timestamp(cue.end, ',')}")
        lines.append(cue.text)
        lines.append("")
    return "\n".join(lines)


def plain_text(placed: Sequence[PlacedSegment]) -> str:
    """The spoken words, a paragraph per segment (a story's first sentence is its headline)."""
    blocks = [" ".join(s.text for s in segment.sentences) for segment in placed]
    return "\n\n".join(b for b in blocks if b) + "\n"
