"""StingerSet: the short musical cues around the briefing, and loading the user's own.

spacecast's own stingers are synthesized here, by code, on first use (nothing is
downloaded or copied). All are in D major pentatonic (D E F# A B) and made of soft
bell/marimba-like tones: each note is its fundamental plus the octave and two faint
inharmonic partials (x3.93 and x5.40, as on a tuned bar), each decaying exponentially
(the upper ones much faster), with a 6 ms raised-cosine attack so nothing clicks.

``intro`` (4.4 s, peak -3 dBFS)
    A rising arpeggio D4 F#4 A4 B4, a note every 0.24 s, landing on D5 with a faint F#5,
    over a soft D3-A3-D4 pad that swells in and fades. From about 2.6 s it is a quiet
    decaying tail (peaks below -16 dBFS, then a 1.2 s fade) that can sit under the first
    spoken words.
``outro`` (4.6 s, peak -3 dBFS)
    The mirror: F#5 D5 B4 A4 F#4 descending and slowing a little, resolving at 1.42 s
    to the tonic (D4 over D3, with a soft A3) with a longer decay, over the same pad,
    fading out over the last 1.6 s.
``transition`` (1.1 s, peak -6 dBFS)
    A two-note chime between stories: A4 then D5 0.15 s later, short and quieter.

Every stinger is mono, 16-bit, starts and ends in silence and has no DC offset. The same
``(kind, sample_rate)`` always gives the same bytes (there is no randomness) and is
rendered once per process.

Rendering avoids per-sample Python code: a damped partial ``a·e^{-t/τ}·sin(2πft)`` is the
imaginary part of ``a·(e^{-1/(τ·rate)}·e^{iω})^n``, produced by ``itertools.accumulate``
over complex multiplication, and partials are summed with ``map(operator.add, ...)``, all
of which iterate in C (the intro takes about 0.3 s at 44.1 kHz).

User stingers (:func:`load_stinger`) are decoded by ffmpeg, never by pydub (which would
need ffprobe), to mono 16-bit PCM at the briefing's sample rate.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import logging
import math
import operator
import os
import sys
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from spacecast.atomic import write_bytes
from spacecast.audio.ffmpeg import ffmpeg_path, run_ffmpeg
from spacecast.audio.pydub_audio import AudioSegment
from spacecast.errors import EngineError, InputError

log = logging.getLogger(__name__)

StingerKind = Literal["intro", "outro", "transition"]
STINGER_KINDS: tuple[StingerKind, ...] = ("intro", "outro", "transition")

MIN_SAMPLE_RATE = 8000
MAX_SAMPLE_RATE = 192000

# Equal-tempered pitches (A4 = 440 Hz) of D major pentatonic, the key of every stinger.
_D3, _A3 = 146.832, 220.000
_D4, _Fs4, _A4, _B4 = 293.665, 369.994, 440.000, 493.883
_D5, _Fs5 = 587.330, 739.989

# One struck note: (frequency ratio, relative amplitude, decay time relative to the note's).
# The octave and the two inharmonic partials of a tuned bar fade well before the fundamental.
_PARTIALS: tuple[tuple[float, float, float], ...] = (
    (1.0, 1.0, 1.0),
    (2.0, 0.18, 0.40),
    (3.93, 0.06, 0.18),
    (5.40, 0.02, 0.09),
)
_ATTACK_S = 0.006  # raised-cosine onset of every note
_FADE_IN_S = 0.010  # of the whole stinger, so the pad cannot start on a step
_FLOOR = 1e-4  # a partial stops once below this, at a zero crossing (about -80 dBFS)
_IMAG = operator.attrgetter("imag")


@dataclass(frozen=True)
class _Note:
    start: float  # seconds
    freq: float  # Hz
    velocity: float  # linear amplitude before normalization
    decay: float  # seconds for the fundamental to fall by 1/e


@dataclass(frozen=True)
class _Pad:
    freqs: tuple[float, ...]
    level: float  # linear amplitude of each tone at the swell's peak
    rise: float  # seconds: time constant of the swell ...
    decay: float  # ... and of its fade


@dataclass(frozen=True)
class _Score:
    duration: float  # seconds
    notes: tuple[_Note, ...]
    pad: _Pad | None
    peak_dbfs: float
    fade_out: float  # seconds of raised-cosine fade to silence at the end


_SCORES: dict[str, _Score] = {
    # Rising D major arpeggio (D4 F#4 A4 B4) landing on D5 with a faint F#5 above it.
    "intro": _Score(
        duration=4.4,
        notes=(
            _Note(0.05, _D4, 0.70, 0.90),
            _Note(0.29, _Fs4, 0.70, 0.85),
            _Note(0.53, _A4, 0.72, 0.80),
            _Note(0.77, _B4, 0.72, 0.80),
            _Note(1.01, _D5, 0.85, 1.10),
            _Note(1.01, _Fs5, 0.22, 0.60),
        ),
        pad=_Pad((_D3, _A3, _D4), level=0.10, rise=0.35, decay=1.2),
        peak_dbfs=-3.0,
        fade_out=1.2,
    ),
    # The mirror: descending F#5 D5 B4 A4 F#4, slowing, resolving to a low D.
    "outro": _Score(
        duration=4.6,
        notes=(
            _Note(0.05, _Fs5, 0.55, 0.70),
            _Note(0.29, _D5, 0.60, 0.75),
            _Note(0.54, _B4, 0.65, 0.80),
            _Note(0.80, _A4, 0.70, 0.85),
            _Note(1.08, _Fs4, 0.72, 0.90),
            _Note(1.42, _D4, 0.90, 1.50),
            _Note(1.42, _D3, 0.45, 1.70),
            _Note(1.42, _A3, 0.25, 1.40),
        ),
        pad=_Pad((_D3, _A3, _D4), level=0.09, rise=0.45, decay=1.5),
        peak_dbfs=-3.0,
        fade_out=1.6,
    ),
    # A two-note chime, a rising fourth A4 -> D5.
    "transition": _Score(
        duration=1.1,
        notes=(
            _Note(0.02, _A4, 0.80, 0.35),
            _Note(0.17, _D5, 0.90, 0.40),
        ),
        pad=None,
        peak_dbfs=-6.0,
        fade_out=0.35,
    ),
}


@functools.cache
def make_stinger(kind: StingerKind, sample_rate: int = 44100) -> AudioSegment:
    """Render spacecast's own ``kind`` stinger: mono, 16-bit, at ``sample_rate`` Hz.

    Deterministic and cached per ``(kind, sample_rate)``; clear with ``make_stinger.cache_clear()``.
    """
    score = _SCORES.get(kind)
    if score is None:
        raise ValueError(f"unknown stinger kind {kind!r}: use one of {', '.join(STINGER_KINDS)}")
    _check_rate(sample_rate)
    samples = _render(score, sample_rate)
    return _segment(samples, sample_rate)


def load_stinger(path: Path, sample_rate: int = 44100) -> AudioSegment:
    """Decode a user's stinger (WAV, MP3, OGG, FLAC...) with ffmpeg to mono 16-bit PCM.

    The audio is resampled to ``sample_rate`` Hz and otherwise used as it is.
    Raises :class:`InputError` naming the file when it is missing or not audio.
    """
    _check_rate(sample_rate)
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: stinger file not found")
    if path.is_dir():
        raise InputError(
            f"{path}: is a directory, not a stinger file (give a WAV, MP3, OGG or FLAC file)"
        )
    if not os.access(path, os.R_OK):
        raise InputError(f"{path}: stinger file cannot be read (check its permissions)")
    unreadable = InputError(
        f"{path}: not an audio file ffmpeg can read (use WAV, MP3, OGG or FLAC)"
    )
    ffmpeg_path()  # a missing ffmpeg is an EngineError of its own, not a bad file
    args = [
        "-i",
        "file:" + os.fspath(path),  # "file:" so a name like "-x" or "a:b" is just a file
        "-map",
        "0:a:0",
        "-f",
        "s16le",
        "-acodec",
        "pcm_s16le",
        "-ac",
        "1",
        "-ar",
        str(sample_rate),
        "-",
    ]
    try:
        data = run_ffmpeg(args, what=f"decode {path}")
    except EngineError:
        raise unreadable from None  # ffmpeg's own stderr is not for the user
    data = data[: len(data) - len(data) % 2]
    if not data:
        raise unreadable
    return AudioSegment(data=data, sample_width=2, frame_rate=sample_rate, channels=1)


def _check_rate(sample_rate: int) -> None:
    if (
        not isinstance(sample_rate, int)
        or isinstance(sample_rate, bool)
        or not MIN_SAMPLE_RATE <= sample_rate <= MAX_SAMPLE_RATE
    ):
        raise ValueError(
            f"sample rate {sample_rate!r}: use a whole number of Hz "
            f"from {MIN_SAMPLE_RATE} to {MAX_SAMPLE_RATE}"
        )


def _damped(amp: float, freq: float, decay: float, sr: int, n: int) -> Iterator[complex]:
    """``n`` values of ``amp·(e^{-1/(decay·sr)}·e^{iω})^k``: a damped complex exponential.

    Its imaginary part is ``amp·e^{-t/decay}·sin(2πft)``, starting at zero. ``accumulate``
    over complex multiplication iterates in C: much faster than calling ``math.sin``.
    """
    w = 2 * math.pi * freq / sr
    step = math.exp(-1.0 / (decay * sr)) * complex(math.cos(w), math.sin(w))
    return itertools.accumulate(
        itertools.repeat(step, n - 1), operator.mul, initial=complex(amp, 0.0)
    )


def _partial_len(amp: float, freq: float, decay: float, sr: int) -> int:
    """Samples until ``amp·e^{-t/decay}`` is below the floor, rounded to whole cycles.

    Ending on a whole number of cycles ends on a zero crossing, so cutting there is silent.
    """
    seconds = decay * math.log(max(amp, _FLOOR) / _FLOOR)
    cycles = max(1, math.ceil(seconds * freq))
    return max(1, round(cycles * sr / freq))


def _render(score: _Score, sr: int) -> array:
    """The score as 16-bit samples, peak-normalized, faded in and out."""
    total = round(score.duration * sr)
    attack = max(1, round(_ATTACK_S * sr))
    onset = [0.5 - 0.5 * math.cos(math.pi * (i + 0.5) / attack) for i in range(attack)]
    # Mix in the complex domain (only the imaginary parts matter); one list for everything.
    mix: list[complex] = [0j] * total
    chords: dict[int, list[_Note]] = {}
    for note in score.notes:
        chords.setdefault(round(note.start * sr), []).append(note)
    for start, notes in chords.items():
        _add_chord(mix, start, notes, onset, sr)
    if score.pad is not None:
        _add_pad(mix, score.pad, sr)
    buf = array("d", map(_IMAG, mix))
    del mix

    fade_in = min(total, round(_FADE_IN_S * sr))
    for i in range(fade_in):
        buf[i] *= 0.5 - 0.5 * math.cos(math.pi * i / fade_in)
    fade_out = min(total, round(score.fade_out * sr))
    offset = total - fade_out
    for i in range(fade_out):
        buf[offset + i] *= 0.5 + 0.5 * math.cos(math.pi * (i + 1) / fade_out)

    # Remove any DC offset (it is tiny: a few millionths) while scaling to the target peak.
    mean = math.fsum(buf) / total
    peak = max(max(buf) - mean, mean - min(buf))
    scale = 32767.0 * 10 ** (score.peak_dbfs / 20) / peak if peak > 0 else 0.0
    scaled = map(operator.mul, buf, itertools.repeat(scale, total))
    centred = map(operator.sub, scaled, itertools.repeat(mean * scale, total))
    return array("h", map(round, centred))


def _add_chord(
    mix: list[complex], start: int, notes: list[_Note], onset: list[float], sr: int
) -> None:
    """Mix the notes struck at sample ``start`` into ``mix``.

    The partials that ring for most of the chord are summed as one lazy stream and mixed
    once; the short upper partials are mixed over their own, shorter, span.
    """
    room = len(mix) - start
    if room <= 0:
        return
    partials: list[tuple[int, float, float, float]] = []
    for note in notes:
        for ratio, rel_amp, rel_decay in _PARTIALS:
            freq = note.freq * ratio
            if freq >= 0.45 * sr:  # nothing near Nyquist: no aliasing at low sample rates
                continue
            amp, decay = note.velocity * rel_amp, note.decay * rel_decay
            n = min(room, _partial_len(amp, freq, decay, sr))
            partials.append((n, amp, freq, decay))
    if not partials:
        return
    partials.sort(reverse=True)
    length, *first = partials[0]
    stream = _damped(*first, sr, length)
    for n, amp, freq, decay in partials[1:]:
        tone = _damped(amp, freq, decay, sr, n)
        if 3 * n >= length:
            padded = itertools.chain(tone, itertools.repeat(0j, length - n))
            stream = map(operator.add, stream, padded)
        else:
            _mix_into(mix, start, n, _soften(tone, onset))
    _mix_into(mix, start, length, _soften(stream, onset))


def _soften(stream: Iterator[complex], onset: list[float]) -> Iterator[complex]:
    """``stream`` with its first ``len(onset)`` values scaled by the attack curve."""
    # map() asks islice first, so it stops without taking a value past the attack.
    head = map(operator.mul, itertools.islice(stream, len(onset)), onset)
    return itertools.chain(head, stream)


def _mix_into(mix: list[complex], start: int, n: int, values: Iterator[complex]) -> None:
    end = start + n
    mix[start:end] = map(operator.add, mix[start:end], values)


def _add_pad(mix: list[complex], pad: _Pad, sr: int) -> None:
    """Add steady tones under a swell ``e^{-t/decay} - e^{-t/rise}`` that peaks at ``level``."""
    total = len(mix)
    stream: Iterator[complex] = _damped(1.0, pad.freqs[0], math.inf, sr, total)
    for freq in pad.freqs[1:]:
        stream = map(operator.add, stream, _damped(1.0, freq, math.inf, sr, total))
    # The swell peaks where its derivative is zero; scale it so that peak is ``pad.level``.
    t_peak = math.log(pad.decay / pad.rise) * pad.rise * pad.decay / (pad.decay - pad.rise)
    gain = pad.level / (math.exp(-t_peak / pad.decay) - math.exp(-t_peak / pad.rise))
    slow = itertools.accumulate(
        itertools.repeat(math.exp(-1.0 / (pad.decay * sr)), total - 1), operator.mul, initial=gain
    )
    fast = itertools.accumulate(
        itertools.repeat(math.exp(-1.0 / (pad.rise * sr)), total - 1), operator.mul, initial=gain
    )
    swell = map(operator.sub, slow, fast)
    mix[:] = map(operator.add, mix, map(operator.mul, stream, swell))


def _segment(samples: array, sr: int) -> AudioSegment:
    if sys.byteorder == "big":
        samples = array("h", samples)
        samples.byteswap()
    return AudioSegment(data=samples.tobytes(), sample_width=2, frame_rate=sr, channels=1)


# --- a show's three stingers ------------------------------------------------------------


@dataclass(frozen=True)
class StingerSet:
    """The three stingers of a briefing, at the mix's sample rate."""

    intro: AudioSegment
    outro: AudioSegment
    transition: AudioSegment


def load_stingers(
    *,
    intro: Path | None = None,
    outro: Path | None = None,
    transition: Path | None = None,
    rate: int = 44100,
    cache_dir: Path | None = None,
) -> StingerSet:
    """A briefing's stingers: the user's own files where given, else the generated ones
    (kept in ``cache_dir``'s ``stingers/``: they take a while to make)."""

    # Generated stingers are keyed by the generator's own source, so a change to the sound
    # is never masked.
    key = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]

    def one(kind: StingerKind, path: Path | None) -> AudioSegment:
        if path:
            return load_stinger(path, rate)
        if cache_dir is None:
            return make_stinger(kind, rate)
        stored = cache_dir / "stingers" / f"{kind}-{rate}-{key}.pcm"
        checksum = stored.with_suffix(".sha256")
        data = _checked_stinger(stored, checksum)
        if data is not None:
            return AudioSegment(data=data, sample_width=2, frame_rate=rate, channels=1)
        audio = make_stinger(kind, rate)
        with contextlib.suppress(OSError):  # a read-only cache only costs time
            stored.parent.mkdir(parents=True, exist_ok=True)
            write_bytes(stored, audio.raw_data)  # the audio first, its checksum last
            write_bytes(checksum, hashlib.sha256(audio.raw_data).hexdigest().encode())
        return audio

    return StingerSet(
        intro=one("intro", intro),
        outro=one("outro", outro),
        transition=one("transition", transition),
    )


def _checked_stinger(stored: Path, checksum: Path) -> bytes | None:
    """A cached stinger's audio if it matches its checksum; else ``None`` (noted in the log
    when there was a damaged one to discard)."""
    try:
        data = stored.read_bytes()
        expected = checksum.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        if stored.exists():
            log.info("speech cache: stinger %s has no checksum: made again", stored.name)
        return None
    if len(data) % 2 or hashlib.sha256(data).hexdigest() != expected:
        log.info("speech cache: stinger %s does not match its checksum: made again", stored.name)
        return None
    return data
