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

from mutagen.id3 import COMM, ID3, TALB, TCON, TDRC, TIT2, TPE1, TXXX
from mutagen.mp3 import MP3

from .atomic import replacing
from .audio import AudioSegment
from .errors import OutputError
from .tools import run_ffmpeg

OUTPUT_RATE = 44100
BITRATES = (64, 96, 128)

# Speech from eSpeak NG is very peaky: a plain loudnorm pass lands about a decibel short.
# Compressing and limiting first lets loudnorm reach the podcast target.
LOUDNESS_CHAIN = (
    "acompressor=threshold=-20dB:ratio=3:attack=5:release=120:makeup=2,"
    "alimiter=limit=0.8:attack=3:release=50:level=false,"
    "loudnorm=I={lufs}:TP=-1.5:LRA=11"
)


@dataclass(frozen=True)
class Tags:
    title: str
    artist: str
    album: str
    date: dt.date
    description: str
    genre: str = "Podcast"


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
    audio: AudioSegment, path: Path, tags: Tags, *, bitrate: int = 64, lufs: float = -16.0
) -> None:
    """Encode ``audio`` to ``path`` as a tagged, loudness-normalised CBR MP3, atomically."""
    check_output_path(path)
    try:
        with replacing(path) as tmp:
            _encode(audio, tmp, bitrate=bitrate, lufs=lufs, what=f"encode {path.name}")
            write_tags(tmp, tags)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the MP3 ({exc.strerror})") from None


def _encode(audio: AudioSegment, tmp: Path, *, bitrate: int, lufs: float, what: str) -> None:
    run_ffmpeg(
            [
                "-f", "s16le", "-ar", str(audio.frame_rate), "-ac", "1", "-i", "pipe:0",
                "-af", LOUDNESS_CHAIN.format(lufs=lufs),
                "-ar", str(OUTPUT_RATE), "-ac", "1",
                "-c:a", "libmp3lame", "-b:a", f"{bitrate}k", "-write_xing", "1",
                "-map_metadata", "-1", "-id3v2_version", "0", "-write_id3v1", "0",
                "-f", "mp3", "-y", str(tmp),
            ],
            input_bytes=audio.raw_data,
            what=what,
        )  # fmt: skip


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


def write_tags(path: Path, tags: Tags) -> None:
    """ID3v2.3 tags for a podcast episode."""
    id3 = ID3()
    id3.add(TIT2(encoding=3, text=tags.title))
    id3.add(TPE1(encoding=3, text=tags.artist))
    id3.add(TALB(encoding=3, text=tags.album))
    id3.add(TDRC(encoding=3, text=tags.date.isoformat()))
    id3.add(TCON(encoding=3, text=tags.genre))
    id3.add(COMM(encoding=3, lang="eng", desc="", text=tags.description))
    id3.add(TXXX(encoding=3, desc="DESCRIPTION", text=tags.description))
    id3.save(path, v2_version=3)


def mp3_duration(path: Path) -> float:
    return MP3(path).info.length
