"""Speaking one planned segment into the take store, in this process.

Each sentence is spoken by one engine call, trimmed of the engine's own leading and
trailing silence (the mixer sets the pauses), resampled by ffmpeg to the mix rate and
streamed into the store.
"""

from __future__ import annotations

import contextlib
import os
from array import array
from collections.abc import Sequence
from pathlib import Path

from spacecast.audio.ffmpeg import run_ffmpeg_streaming
from spacecast.errors import ConfigError, EngineError
from spacecast.models import SentenceSpan, Take
from spacecast.speech.cache import TakeCache
from spacecast.speech.engines import Engine, engine_class
from spacecast.speech.plan import SpeechJob

# Samples quieter than this (about -50 dBFS) at a clip's ends count as the engine's padding.
SILENCE_LEVEL = 100

# Keep a few milliseconds either side of the speech so consonants are not clipped.
EDGE_KEEP_SECONDS = 0.012

# One engine per worker process, made on first use and kept for the process's life.
_engines: dict[str, Engine] = {}


def close_engines() -> None:
    """Release what this process's engines hold outside it (their temporary files)."""
    for engine in _engines.values():
        with contextlib.suppress(OSError):
            engine.close()


def store_take(job: SpeechJob, folder: Path) -> None:
    """Speak ``job`` (in this process) into the take store at ``folder``, under its key.

    Streamed: the sentences go to the resampler one at a time and the resampled audio goes
    straight to the store's file, so a worker never holds a long take at both rates.
    """
    rate, clips = spoken_clips(job)
    lengths = [len(pcm) // 2 for pcm in clips]
    ratio = job.mix_rate / rate
    spans = _spans(job, lengths, ratio)
    if rate == job.mix_rate:
        audio = b"".join(clips)
        clips.clear()
        TakeCache(folder).put(job.key, Take(pcm=audio, sample_rate=rate, sentences=spans))
        return
    TakeCache(folder).put_written(
        job.key,
        job.mix_rate,
        spans,
        lambda path: resample_into(path, clips, rate, job.mix_rate),
    )


def spoken_clips(job: SpeechJob) -> tuple[int, list[bytes]]:
    """The engine's sample rate and one clip per sentence, trimmed of edge silence."""
    engine = _engines.get(job.engine)
    if engine is None:
        engine = _engines[job.engine] = engine_class(job.engine)()
    try:
        engine.check_voice(job.settings.voice)
    except ConfigError as exc:
        raise ConfigError(f"{job.profile_path}: engine_voice: {exc}") from None
    spoken = engine.synthesize(job.spoken, job.settings)
    rate, clips = spoken.sample_rate, list(spoken.pcm)
    del spoken  # trimmed one clip at a time below, never two copies of the whole take
    keep = round(EDGE_KEEP_SECONDS * rate)
    for index, sentence in enumerate(job.display):
        clips[index] = _trim_silence(clips[index], keep)
        if not clips[index]:
            raise EngineError(f"the engine returned silence for: {sentence[:60]!r}")
    return rate, clips


def _spans(job: SpeechJob, lengths: Sequence[int], ratio: float) -> tuple[SentenceSpan, ...]:
    """Where each sentence lies in the take at the mix rate, from its length at the engine's."""
    bounds = [0]
    for length in lengths:
        bounds.append(bounds[-1] + length)
    bounds = [round(b * ratio) for b in bounds]
    return tuple(
        SentenceSpan(text=text, start=bounds[i], end=bounds[i + 1], paragraph=job.paragraphs[i])
        for i, text in enumerate(job.display)
    )


def _trim_silence(pcm: bytes, keep: int) -> bytes:
    samples = array("h")
    samples.frombytes(pcm)
    n = len(samples)
    first = next((i for i in range(n) if abs(samples[i]) > SILENCE_LEVEL), n)
    if first == n:
        return b""
    last = next(i for i in range(n - 1, -1, -1) if abs(samples[i]) > SILENCE_LEVEL)
    start, end = max(0, first - keep), min(n, last + 1 + keep)
    return pcm[start * 2 : end * 2]


def _resample_args(from_rate: int, to_rate: int) -> list[str]:
    fmt = ["-f", "s16le", "-ac", "1"]
    rates = ["-ar", str(from_rate), "-i", "pipe:0", "-af", f"aresample={to_rate}"]
    return [*fmt, *rates, *fmt, "-ar", str(to_rate), "pipe:1"]


def resample_into(path: Path, clips: list[bytes], from_rate: int, to_rate: int) -> None:
    """Resample ``clips`` (mono 16-bit PCM, in order) into the file ``path``, to exactly the
    expected length. ``clips`` is emptied as it is fed to ffmpeg, freeing each clip."""
    samples = sum(len(pcm) for pcm in clips) // 2
    expected = round(samples * to_rate / from_rate) * 2
    clips.reverse()  # popped from the end: cheap
    with open(path, "r+b") as sink:
        run_ffmpeg_streaming(
            _resample_args(from_rate, to_rate), clips, sink, what="resample speech"
        )
        size = sink.seek(0, os.SEEK_END)
        if size > expected:
            sink.truncate(expected)
        else:
            sink.write(bytes(expected - size))
