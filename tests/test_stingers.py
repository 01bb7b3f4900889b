"""The generated stingers (length, format, level, silence at the ends, determinism) and
loading of user stingers through ffmpeg (formats, resampling, exact error messages)."""

from __future__ import annotations

import itertools
import math
from array import array
from pathlib import Path

import pytest
from pydub import AudioSegment

from spacecast.audio.ffmpeg import run_ffmpeg
from spacecast.audio.stingers import STINGER_KINDS, load_stinger, make_stinger
from spacecast.errors import InputError

RATE = 44100

# kind -> (shortest, longest) in seconds, and (lowest, highest) peak in dBFS
DURATIONS = {"intro": (3.5, 5.0), "outro": (3.0, 5.0), "transition": (0.8, 1.5)}
PEAKS = {"intro": (-4.0, -1.5), "outro": (-4.0, -1.5), "transition": (-8.0, -4.5)}
NEAR_SILENT = 10 ** (-60 / 20) * 32768  # -60 dBFS, in sample units


def samples(segment: AudioSegment) -> array:
    return segment.get_array_of_samples()


@pytest.mark.slow
@pytest.mark.parametrize("kind", STINGER_KINDS)
def test_stinger_format_and_duration(kind: str):
    stinger = make_stinger(kind)  # type: ignore[arg-type]
    assert (stinger.channels, stinger.sample_width, stinger.frame_rate) == (1, 2, RATE)
    shortest, longest = DURATIONS[kind]
    assert shortest <= stinger.duration_seconds <= longest


@pytest.mark.slow
@pytest.mark.parametrize("kind", STINGER_KINDS)
def test_stinger_peak_level(kind: str):
    lowest, highest = PEAKS[kind]
    assert lowest <= make_stinger(kind).max_dBFS <= highest  # type: ignore[arg-type]


@pytest.mark.slow
def test_transition_is_quieter_than_intro_and_outro():
    transition = make_stinger("transition").max_dBFS
    assert transition < make_stinger("intro").max_dBFS - 1.5
    assert transition < make_stinger("outro").max_dBFS - 1.5


@pytest.mark.parametrize("kind", STINGER_KINDS)
def test_stinger_starts_and_ends_in_silence(kind: str):
    values = samples(make_stinger(kind))  # type: ignore[arg-type]
    edge = int(0.005 * RATE)
    assert max(map(abs, values[:edge])) < NEAR_SILENT
    assert max(map(abs, values[-edge:])) < NEAR_SILENT
    assert values[0] == 0
    assert values[-1] == 0


@pytest.mark.parametrize("kind", STINGER_KINDS)
def test_stinger_has_no_dc_offset(kind: str):
    values = samples(make_stinger(kind))  # type: ignore[arg-type]
    assert abs(math.fsum(values) / len(values)) < 1.0  # under one 16-bit step


@pytest.mark.slow
@pytest.mark.parametrize("kind", STINGER_KINDS)
def test_stinger_is_deterministic(kind: str):
    first = make_stinger(kind)  # type: ignore[arg-type]
    assert make_stinger(kind) is first  # type: ignore[arg-type]  # cached
    make_stinger.cache_clear()
    again = make_stinger(kind)  # type: ignore[arg-type]
    assert again is not first
    assert again.raw_data == first.raw_data


@pytest.mark.slow
def test_stinger_kinds_differ():
    raws = {kind: make_stinger(kind).raw_data for kind in STINGER_KINDS}  # type: ignore[arg-type]
    assert STINGER_KINDS == ("intro", "outro", "transition")
    for a, b in itertools.combinations(STINGER_KINDS, 2):
        assert raws[a] != raws[b]


def test_stinger_at_another_sample_rate():
    at_44k = make_stinger("transition")
    at_22k = make_stinger("transition", 22050)
    assert (at_22k.channels, at_22k.sample_width, at_22k.frame_rate) == (1, 2, 22050)
    assert at_22k.duration_seconds == pytest.approx(at_44k.duration_seconds, abs=0.001)
    assert at_22k.max_dBFS == pytest.approx(at_44k.max_dBFS, abs=0.5)


def test_unknown_stinger_kind_or_rate():
    with pytest.raises(ValueError, match="unknown stinger kind"):
        make_stinger("jingle")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="sample rate"):
        make_stinger("intro", 100)


# --- user stingers ---------------------------------------------------------------------

TONE_SECONDS = 1.2
TONE_RATE = 48000  # encoded at 48 kHz stereo, loaded at another rate, mono


@pytest.fixture(scope="module")
def tone_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A 440 Hz stereo tone at -24 dBFS, encoded by ffmpeg as WAV, MP3, OGG (Vorbis) and FLAC."""
    folder = tmp_path_factory.mktemp("tones")
    source = f"sine=frequency=440:sample_rate={TONE_RATE}:duration={TONE_SECONDS}"
    codecs = {"wav": "pcm_s16le", "mp3": "libmp3lame", "ogg": "libvorbis", "flac": "flac"}
    files = {}
    for ext, codec in codecs.items():
        path = folder / f"tone.{ext}"
        run_ffmpeg(
            ["-f", "lavfi", "-i", source, "-af", "volume=0.5,pan=stereo|c0=c0|c1=c0",
             "-c:a", codec, "-y", str(path)],
            what=f"encode a test tone as {ext}",
        )  # fmt: skip
        files[ext] = path
    return files


@pytest.mark.slow
@pytest.mark.parametrize("ext", ["wav", "mp3", "ogg", "flac"])
def test_load_stinger_round_trips(tone_files: dict[str, Path], ext: str):
    loaded = load_stinger(tone_files[ext], RATE)
    assert (loaded.channels, loaded.sample_width, loaded.frame_rate) == (1, 2, RATE)
    assert loaded.duration_seconds == pytest.approx(TONE_SECONDS, abs=0.030)
    # ffmpeg's sine source is 1/8 of full scale, halved: -24 dBFS in both channels and
    # so in their mono mix.
    assert loaded.max_dBFS == pytest.approx(-24.1, abs=1.0)


@pytest.mark.slow
def test_load_stinger_resamples_to_the_requested_rate(tone_files: dict[str, Path]):
    loaded = load_stinger(tone_files["flac"], 22050)
    assert loaded.frame_rate == 22050
    assert loaded.frame_count() == pytest.approx(TONE_SECONDS * 22050, abs=0.030 * 22050)


def test_load_stinger_accepts_a_string_path(tone_files: dict[str, Path]):
    assert load_stinger(str(tone_files["wav"])).frame_rate == RATE  # type: ignore[arg-type]


def test_load_stinger_missing_file(tmp_path: Path):
    path = tmp_path / "nope.mp3"
    with pytest.raises(InputError) as caught:
        load_stinger(path)
    assert str(caught.value) == f"{path}: stinger file not found"


def test_load_stinger_directory(tmp_path: Path):
    with pytest.raises(InputError) as caught:
        load_stinger(tmp_path)
    assert str(caught.value) == (
        f"{tmp_path}: is a directory, not a stinger file (give a WAV, MP3, OGG or FLAC file)"
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [("notes.wav", b"this is not audio, just some text\n" * 20), ("empty.ogg", b"")],
    ids=["text-named-wav", "empty-file"],
)
def test_load_stinger_not_audio(tmp_path: Path, name: str, content: bytes):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        load_stinger(path)
    message = str(caught.value)
    assert message == f"{path}: not an audio file ffmpeg can read (use WAV, MP3, OGG or FLAC)"
    assert "\n" not in message
    assert caught.value.__cause__ is None  # ffmpeg's stderr is not chained on
    assert caught.value.__suppress_context__
