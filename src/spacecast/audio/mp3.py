"""The finished MP3: loudness, encoding, ID3 tags, and an atomic move into place.

ffmpeg (libmp3lame) encodes constant-bitrate mono at 44.1 kHz with an Info header, so
players show exact durations and seek accurately. mutagen then writes ID3v2.3 tags, the
version podcast players read most widely. Everything happens in a temporary file beside the
destination, which replaces the old file only when complete: a failed run never leaves a
truncated MP3 where a good one stood.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from spacecast.atomic import replacing
from spacecast.audio.ffmpeg import run_ffmpeg_piped, tee_escape
from spacecast.audio.loudness import (
    LIMIT,
    METER_ARGS,
    Loudness,
    LoudnessTarget,
    corrected_gain,
    first_gain,
    lower_limit,
    summary_of,
    tame,
)
from spacecast.audio.pydub_audio import AudioSegment
from spacecast.errors import OutputError, io_reason
from spacecast.models import Chapter
from spacecast.scratch import scratch_dir

if TYPE_CHECKING:
    from mutagen.id3 import ID3

OUTPUT_RATE = 44100
BITRATES = (64, 96, 128)
PODCAST_LOUDNESS = LoudnessTarget()
STAMP_TAG = "spacecast:build"


@dataclass(frozen=True)
class Tags:
    title: str
    artist: str
    album: str
    date: dt.date
    description: str
    genre: str = "Podcast"
    fingerprint: str = ""
    """What the episode was made from (see ``pipeline``), so an up-to-date file is kept."""
    chapters: tuple[Chapter, ...] = ()
    cover: tuple[bytes, str] | None = None
    """Cover art (image bytes, MIME type), embedded as the front cover."""
    guid: str = ""
    feed_url: str = ""


@dataclass(frozen=True)
class BuildStamp:
    """What a previous build recorded in its MP3."""

    fingerprint: str
    loudness: Loudness


def check_output_path(path: Path) -> None:
    """Fail early, before any synthesis, when ``path`` cannot be written."""
    if path.is_dir():
        raise OutputError(f"{path}: is a directory: give a file name such as {path / 'out.mp3'}")
    folder = path.parent
    if not folder.is_dir():
        raise OutputError(f"{folder}: output folder does not exist: create it first")
    try:  # really try: permissions, read-only file systems and quotas all show up here
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise OutputError(
            f"{folder}: output folder is not writable ({exc.strerror}): choose another -o path"
        ) from None


def export_mp3(
    pcm: Path,
    rate: int,
    path: Path,
    tags: Tags,
    *,
    bitrate: int = 64,
    loudness: LoudnessTarget = PODCAST_LOUDNESS,
) -> Loudness:
    """Encode the raw PCM file ``pcm`` to ``path`` as a tagged, loudness-normalised CBR MP3.

    Written atomically; returns the finished file's measured loudness.
    """
    check_output_path(path)
    try:
        with replacing(path) as tmp:
            return encode_mp3(pcm, rate, tmp, tags, bitrate=bitrate, loudness=loudness, name=path)
    except OSError as exc:
        raise _cannot_write(path, exc) from None


def encode_mp3(
    pcm: Path,
    rate: int,
    into: Path,
    tags: Tags,
    *,
    bitrate: int = 64,
    loudness: LoudnessTarget = PODCAST_LOUDNESS,
    name: Path | None = None,
) -> Loudness:
    """``export_mp3`` into the file ``into`` (a temporary one, which the caller puts in
    place); errors name ``name`` (default: ``into``)."""
    from mutagen import MutagenError

    shown = name or into
    try:
        with scratch_dir("encode") as work:
            tamed = Path(work) / "tamed.pcm"
            result = _encode(pcm, tamed, rate, into, bitrate, loudness, f"encode {shown.name}")
            write_tags(into, tags, result)
    except (OSError, MutagenError) as exc:  # a full disk while encoding or tagging
        raise _cannot_write(shown, exc) from None
    return result


def _cannot_write(path: Path, exc: Exception) -> OutputError:
    return OutputError(f"{path}: cannot write the MP3 ({io_reason(exc)})")


def export_audio_mp3(
    audio: AudioSegment,
    path: Path,
    tags: Tags,
    *,
    bitrate: int = 64,
    loudness: LoudnessTarget = PODCAST_LOUDNESS,
) -> Loudness:
    """``export_mp3`` for a short piece held in memory (a preview)."""
    with scratch_dir("preview") as work:
        pcm = Path(work) / "audio.pcm"
        pcm.write_bytes(audio.raw_data)
        return export_mp3(pcm, audio.frame_rate, path, tags, bitrate=bitrate, loudness=loudness)


# At most this many encodes after the first. eSpeak NG speech is usually on target
# at once; Piper's can take two rounds of limiting, as the MP3's overshoot varies.
CORRECTIONS = 2


def _encode(
    pcm: Path,
    tamed: Path,
    rate: int,
    tmp: Path,
    bitrate: int,
    loudness: LoudnessTarget,
    what: str,
) -> Loudness:
    """Encode at the target loudness; measure the result and correct it if it missed."""
    measured = tame(pcm, rate, tamed)
    gain = first_gain(measured, loudness)
    limit = LIMIT
    result = _encode_and_measure(tamed, rate, tmp, gain, bitrate, what)
    for _ in range(CORRECTIONS):
        if result.meets(loudness):
            break
        lower = lower_limit(limit, gain, result, loudness)
        if lower is None:
            gain = corrected_gain(gain, result, loudness)
        else:  # the peaks stop the gain: limit true peaks lower, aim with the loss just seen
            loss = measured + gain - result.integrated
            limit = lower
            measured = tame(pcm, rate, tamed, limit=limit, true_peak=True)
            gain = loudness.integrated - measured + loss
        result = _encode_and_measure(tamed, rate, tmp, gain, bitrate, what)
    return result


def _encode_and_measure(
    pcm: Path, rate: int, tmp: Path, gain: float, bitrate: int, what: str
) -> Loudness:
    """Encode ``pcm`` with ``gain`` into the MP3 ``tmp``, and measure the MP3 as it is made.

    The tee muxer writes the MP3 to the file and the same frames to a pipe, where a second
    ffmpeg decodes and measures them on the other core, so measuring adds no time. The
    piped copy has no Info header, so its decoder also plays the encoder's padding (a few
    milliseconds of near-silence), which moves neither the loudness nor the peak.
    """
    mp3 = "id3v2_version=0:write_id3v1=0"
    outputs = f"[f=mp3:write_xing=1:{mp3}]{tee_escape(str(tmp))}|[f=mp3:write_xing=0:{mp3}]pipe:1"
    encode = [
        "-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", str(pcm),
        "-af", f"volume={gain:.2f}dB",
        "-ar", str(OUTPUT_RATE), "-ac", "1",
        "-c:a", "libmp3lame", "-b:a", f"{bitrate}k",
        "-map", "0:a", "-map_metadata", "-1", "-f", "tee", "-y", outputs,
    ]  # fmt: skip
    log = run_ffmpeg_piped(encode, ["-f", "mp3", "-i", "pipe:0", *METER_ARGS], what=what)
    return summary_of(log)


def write_wav(audio: AudioSegment, path: Path) -> None:
    """Write ``audio`` as a 16-bit WAV file, atomically."""
    check_output_path(path)
    try:
        with replacing(path) as tmp, wave.open(str(tmp), "wb") as wav:
            wav.setnchannels(audio.channels)
            wav.setsampwidth(audio.sample_width)
            wav.setframerate(audio.frame_rate)
            wav.writeframes(audio.raw_data)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the WAV file ({exc.strerror})") from None


# mutagen is imported where tags are written or read, not with this module: the processes
# that only speak and mix then never hold it.


def write_tags(path: Path, tags: Tags, loudness: Loudness | None = None) -> None:
    """ID3v2.3 tags for a podcast episode."""
    from mutagen.id3 import (
        APIC,
        COMM,
        ID3,
        PCST,
        TALB,
        TCON,
        TDRC,
        TGID,
        TIT2,
        TPE1,
        TXXX,
        WFED,
        PictureType,
    )

    id3 = ID3()
    id3.add(TIT2(encoding=3, text=tags.title))
    id3.add(TPE1(encoding=3, text=tags.artist))
    id3.add(TALB(encoding=3, text=tags.album))
    id3.add(TDRC(encoding=3, text=tags.date.isoformat()))
    id3.add(TCON(encoding=3, text=tags.genre))
    id3.add(COMM(encoding=3, lang="eng", desc="", text=tags.description))
    id3.add(TXXX(encoding=3, desc="DESCRIPTION", text=tags.description))
    id3.add(PCST(value=1))
    if tags.guid:
        id3.add(TGID(encoding=3, text=tags.guid))
    if tags.feed_url:
        id3.add(WFED(url=tags.feed_url))
    if tags.cover:
        data, mime = tags.cover
        id3.add(APIC(encoding=3, mime=mime, type=PictureType.COVER_FRONT, desc="Cover", data=data))
    _add_chapters(id3, tags.chapters)
    if tags.fingerprint and loudness is not None:
        stamp = f"{tags.fingerprint} {loudness.integrated} {loudness.true_peak}"
        id3.add(TXXX(encoding=3, desc=STAMP_TAG, text=stamp))
    id3.save(path, v2_version=3)


def _add_chapters(id3: ID3, marks: tuple[Chapter, ...]) -> None:
    """ID3v2 Chapter addendum: one ordered top-level CTOC and a CHAP per chapter."""
    from mutagen.id3 import CHAP, CTOC, TIT2, WXXX, CTOCFlags, Frame

    if not marks:
        return
    ids = [f"chp{index}" for index in range(len(marks))]
    id3.add(
        CTOC(
            element_id="toc",
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=ids,
            sub_frames=[TIT2(encoding=3, text="Chapters")],
        )
    )
    for element_id, mark in zip(ids, marks, strict=True):
        sub_frames: list[Frame] = [TIT2(encoding=3, text=mark.title)]
        if mark.url:
            sub_frames.append(WXXX(encoding=3, desc="Source", url=mark.url))
        # One link frame per other outlet's report; a frame's description must be unique.
        used = {"Source"}
        for credit in mark.also:
            if credit.url:
                desc = f"Also reported by {credit.outlet}"
                desc = next(d for n in range(1, 1000) if (d := _nth(desc, n)) not in used)
                used.add(desc)
                sub_frames.append(WXXX(encoding=3, desc=desc, url=credit.url))
        id3.add(
            CHAP(
                element_id=element_id,
                start_time=round(mark.start * 1000),
                end_time=round(mark.end * 1000),
                # No byte offsets: players seek by time (0xFFFFFFFF means "not given").
                start_offset=0xFFFFFFFF,
                end_offset=0xFFFFFFFF,
                sub_frames=sub_frames,
            )
        )


def _nth(text: str, number: int) -> str:
    return text if number == 1 else f"{text} ({number})"


def read_build_stamp(path: Path) -> BuildStamp | None:
    """The stamp a previous build left in ``path``, if it is a readable spacecast MP3."""
    from mutagen import MutagenError
    from mutagen.id3 import ID3

    try:
        frames = ID3(path).getall(f"TXXX:{STAMP_TAG}")
        fingerprint, integrated, peak = str(frames[0]).split()
        return BuildStamp(fingerprint, Loudness(float(integrated), float(peak)))
    except (OSError, MutagenError, IndexError, ValueError):
        return None


def mp3_duration(path: Path) -> float:
    from mutagen.mp3 import MP3

    info = MP3(path).info
    assert info is not None  # MP3() raises when it finds no MPEG frame
    return float(info.length)
