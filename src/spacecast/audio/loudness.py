"""Loudness: podcast level (-16 LUFS integrated, true peak at most -1 dBTP) for peaky speech.

eSpeak NG speech has a high crest factor: a gain alone cannot reach -16 LUFS without
clipping, and a single ``loudnorm`` pass lands about a decibel short (and resamples to
192 kHz, which makes it the slowest step of a build). So: compress and limit first, measure
the integrated loudness of the result (EBU R128), apply the exact gain while encoding, then
measure the finished MP3 and correct if the encoder moved it off target: with a new gain,
or, when the peaks stood in the way, by limiting again, lower and at four times the sample
rate so that the peaks between samples are caught too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from spacecast.audio.ffmpeg import run_ffmpeg_logged
from spacecast.errors import EngineError

# The limiter's ceiling as a fraction of full scale (about -5.2 dBFS): room for the gain
# that follows (about 2 dB), and for the MP3's own overshoot at speech bitrates (up to
# 2 dB), so that the first MP3 is usually under the true-peak ceiling and encoded once
# (8 of 12 builds). At 0.7 none was (0 of 9): each was limited and encoded again.
LIMIT = 0.55
# How far under the true-peak ceiling a corrected file aims.
PEAK_MARGIN_DB = 0.2


def dynamics(limit: float = LIMIT, *, rate: int | None = None) -> str:
    """Gentle speech compression, then a limiter that catches what the compressor lets
    through, with its ceiling at ``limit`` of full scale.

    With ``rate`` (the audio's sample rate), the limiter works at four times that rate, so
    that it also catches the peaks between samples (true peaks), then the audio returns to
    ``rate``. That costs more time, and is what peak-normalised speech (Piper's) needs.
    """
    limiter = f"alimiter=limit={limit:.4f}:attack=2:release=60:level=false"
    if rate:
        limiter = f"aresample={4 * rate},{limiter},aresample={rate}"
    return f"acompressor=threshold=-24dB:ratio=3:attack=5:release=120:makeup=4,{limiter}"


DYNAMICS = dynamics()
# MP3 encoding at speech bitrates takes about this much off the integrated loudness.
ENCODER_LOSS_DB = 0.35
# How far off target a finished file may be before it is encoded again.
TOLERANCE_LU = 0.5


@dataclass(frozen=True)
class LoudnessTarget:
    integrated: float = -16.0
    """LUFS."""
    true_peak: float = -1.0
    """dBTP: the highest peak allowed, between samples included."""


@dataclass(frozen=True)
class Loudness:
    """What a file measures: integrated loudness (LUFS) and true peak (dBTP)."""

    integrated: float
    true_peak: float

    def meets(self, target: LoudnessTarget) -> bool:
        return (
            abs(self.integrated - target.integrated) <= TOLERANCE_LU
            and self.true_peak <= target.true_peak
        )


def tame(
    pcm: Path, rate: int, into: Path, *, limit: float = LIMIT, true_peak: bool = False
) -> float:
    """Compress and limit a raw PCM file into ``into``; return its integrated loudness (LUFS).
    ``true_peak`` limits the peaks between samples too (see ``dynamics``).

    File to file, so ffmpeg streams it: memory does not grow with the briefing's length.
    """
    fmt = ["-f", "s16le", "-ar", str(rate), "-ac", "1"]
    chain = f"{dynamics(limit, rate=rate if true_peak else None)},ebur128=framelog=quiet"
    _, log = run_ffmpeg_logged(
        [*fmt, "-i", str(pcm), "-af", chain, *fmt, "-y", str(into)],
        what="measure loudness",
    )
    return summary_of(log).integrated


# After an input: measure it (EBU R128 integrated loudness and true peak) and discard it.
METER_ARGS = ["-af", "ebur128=peak=true:framelog=quiet", "-f", "null", "-"]


def measure(path: Path) -> Loudness:
    """Integrated loudness and true peak of an audio file, as EBU R128 defines them."""
    _, log = run_ffmpeg_logged(
        ["-i", str(path), *METER_ARGS], what=f"measure the loudness of {path.name}"
    )
    return summary_of(log)


def summary_of(ebur128_log: str) -> Loudness:
    """The loudness in the summary that ffmpeg's ebur128 filter logs at the end."""
    summary = ebur128_log[ebur128_log.rfind("Summary:") :]
    integrated = re.search(r"I:\s*(-?[\d.]+|-inf)\s*LUFS", summary)
    if not integrated:
        raise EngineError("ffmpeg's ebur128 filter printed no loudness summary")
    peak = re.search(r"Peak:\s*(-?[\d.]+|-inf)\s*dBFS", summary)
    return Loudness(
        integrated=float(integrated.group(1)),
        true_peak=float(peak.group(1)) if peak else float("-inf"),
    )


def first_gain(measured: float, target: LoudnessTarget) -> float:
    """The gain (dB) that should bring tamed audio at ``measured`` LUFS to the target."""
    if measured == float("-inf"):  # silence: nothing to scale
        return 0.0
    return target.integrated - measured + ENCODER_LOSS_DB


def corrected_gain(gain: float, result: Loudness, target: LoudnessTarget) -> float:
    """A better gain after ``gain`` gave ``result``: on target, and peaks under the ceiling."""
    better = gain + (target.integrated - result.integrated)
    peak_room = target.true_peak - PEAK_MARGIN_DB - result.true_peak
    return min(better, gain + peak_room)


def lower_limit(
    limit: float, gain: float, result: Loudness, target: LoudnessTarget
) -> float | None:
    """A lower limiter ceiling for when the peaks, not the loudness, keep a file off target
    (speech whose every sentence is peak-normalised, such as Piper's, reaches the ceiling
    often); ``None`` when a new gain alone (``corrected_gain``) will do."""
    wanted = target.integrated - result.integrated  # how far the level should move
    peak_room = target.true_peak - PEAK_MARGIN_DB - result.true_peak  # how far it may rise
    if wanted <= peak_room:
        return None
    # Held down by the peaks, a gain still does if the level it reaches is near enough.
    if wanted - peak_room <= TOLERANCE_LU - 0.05:
        return None
    # More than the excess: harder limiting also lowers the loudness a little, which the
    # gain then makes up, raising the peaks with it, and the MP3 adds its own overshoot.
    return limit * 10 ** (-(wanted - peak_room + 0.5) / 20)
