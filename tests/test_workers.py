"""Speech workers: takes streamed into the store equal the in-memory path; workers start
without re-running the caller's main script; freed buffers go back to the system."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import write_voice
from spacecast.audio.ffmpeg import run_ffmpeg, run_ffmpeg_streaming
from spacecast.audio.mix import MIX_RATE, Pacing, speech_audio, speech_pieces
from spacecast.errors import EngineError
from spacecast.memory import release_large_buffers
from spacecast.models import Segment
from spacecast.speech.cache import TakeCache
from spacecast.speech.lexicon import Lexicon
from spacecast.speech.plan import plan_job
from spacecast.speech.profiles import load_voices
from spacecast.speech.speak import resample_into, spoken_clips, store_take

REPO = Path(__file__).resolve().parents[1]

TEXT = (
    "Space One's Kairos rocket exploded five seconds after liftoff.\n\n"
    "Nobody was hurt. The company said it would study the data."
)


def test_streamed_resampling_equals_the_one_shot_resample(tmp_path: Path):
    profile = load_voices(REPO / "voices").profiles["correspondent"]
    job = plan_job(Segment("story", "Kairos", profile.name, TEXT), profile, Lexicon(), MIX_RATE)
    rate, clips = spoken_clips(job)  # eSpeak NG: 22.05 kHz, one clip per sentence
    assert rate != MIX_RATE
    # The reference: the whole take through ffmpeg in one call, trimmed to the exact length.
    pcm = ["-f", "s16le", "-ac", "1"]
    one_shot = [*pcm, "-ar", str(rate), "-i", "pipe:0", "-af", f"aresample={MIX_RATE}"]
    whole = run_ffmpeg(
        [*one_shot, *pcm, "-ar", str(MIX_RATE), "pipe:1"],
        input_bytes=b"".join(clips),
        what="resample",
    )
    expected = round(sum(len(c) for c in clips) // 2 * MIX_RATE / rate) * 2
    whole = whole[:expected].ljust(expected, b"\0")
    target = tmp_path / "take.pcm"
    target.write_bytes(b"")
    resample_into(target, clips, rate, MIX_RATE)
    assert clips == []  # each clip was let go once fed
    assert target.read_bytes() == whole  # byte for byte, exact length included


def test_a_take_is_streamed_into_the_store_whole(tmp_path: Path):
    profile = load_voices(REPO / "voices").profiles["correspondent"]
    job = plan_job(Segment("story", "Kairos", profile.name, TEXT), profile, Lexicon(), MIX_RATE)
    store_take(job, tmp_path)
    take = TakeCache(tmp_path).get(job.key)
    assert take is not None and take.sample_rate == MIX_RATE
    assert [s.text for s in take.sentences] == list(job.display)
    assert len(take.pcm) // 2 == take.sentences[-1].end  # the index matches the audio
    assert list(tmp_path.rglob("*.part")) == []


def test_speech_pieces_add_up_to_the_whole_speech(tmp_path: Path):
    profile = load_voices(REPO / "voices").profiles["anchor"]
    job = plan_job(Segment("story", "Kairos", profile.name, TEXT), profile, Lexicon(), MIX_RATE)
    store_take(job, tmp_path)
    take = TakeCache(tmp_path).get(job.key)
    whole, placed = speech_audio(take, Pacing())
    pieces, placed_again = speech_pieces(take, Pacing(), first_at_least=MIX_RATE)
    pieces = list(pieces)
    assert placed == placed_again
    assert b"".join(p.raw_data for p in pieces) == whole.raw_data
    assert pieces[0].frame_count() >= MIX_RATE  # enough to go over a stinger's tail alone
    assert len(pieces) > 2  # the rest one sentence or pause at a time


def test_workers_do_not_rerun_a_script_without_a_main_guard(tmp_path: Path):
    """A user's script that calls spacecast at top level (no ``if __name__ == "__main__"``)
    would be run again by every spawned worker, and multiprocessing would refuse."""
    script = tmp_path / "my_briefing.py"
    script.write_text(
        textwrap.dedent(
            f"""
            from pathlib import Path
            from spacecast.models import Script, Segment
            from spacecast.speech.profiles import load_voices
            from spacecast.speech.session import SpeechSession
            import datetime as dt

            print("script body ran")
            voices = load_voices(Path({str(REPO / "voices")!r}))
            segments = tuple(
                Segment("story", f"s{{n}}", "correspondent", f"Story number {{n}}.")
                for n in range(3)
            )
            script = Script("Test", dt.date(2026, 11, 26), segments)
            with SpeechSession(voices, cache_dir=None, workers=2) as speech:
                report = speech.synthesize(script)
            print("takes", len(report.keys))
            """
        ),
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["script body ran", "takes 3"]


def test_a_voice_id_error_leaves_no_thread_to_race_the_exit(tmp_path: Path):
    """After a worker rejects a voice id the pool is torn down completely before the error
    reaches the caller: a manager thread still closing its pipes at interpreter exit made
    threading print "OSError: [Errno 9] Bad file descriptor" now and then."""
    voices = tmp_path / "voices"
    write_voice(voices, "correspondent", "pyttsx3", "gmw/en-zz", 175)
    script = tmp_path / "bad_voice.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import datetime as dt
            import threading
            from pathlib import Path
            from spacecast.errors import ConfigError
            from spacecast.models import Script, Segment
            from spacecast.speech.profiles import load_voices
            from spacecast.speech.session import SpeechSession

            voices = load_voices(Path({str(voices)!r}))
            segment = Segment("story", "s", "correspondent", "A short sentence to say.")
            script = Script("Test", dt.date(2026, 11, 26), (segment,))
            try:
                with SpeechSession(voices, cache_dir=None) as speech:
                    speech.synthesize(script)
            except ConfigError as exc:
                print("error:", exc)
            print("threads:", [t.name for t in threading.enumerate()])
            """
        ),
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        f"error: {voices / 'correspondent.toml'}: engine_voice: "
        "unknown pyttsx3 voice id 'gmw/en-zz': "
        "did you mean gmw/en, gmw/en-us, gmw/en-029?",
        "threads: ['MainThread']",
    ]


def test_large_buffers_are_returned_to_the_system_on_this_machine():
    assert release_large_buffers() is True  # glibc: Debian, and the CI machine


def test_a_resampler_that_stops_early_is_an_engine_error_not_a_broken_pipe(tmp_path: Path):
    bad_rate = ["-f", "s16le", "-ar", "0", "-i", "pipe:0", "-f", "s16le", "pipe:1"]
    with open(tmp_path / "out.pcm", "wb") as sink, pytest.raises(EngineError) as caught:
        run_ffmpeg_streaming(bad_rate, [bytes(4_000_000)] * 3, sink, what="resample speech")
    assert str(caught.value).startswith("ffmpeg could not resample speech: ")
