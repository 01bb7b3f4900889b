"""The engine interface and registry, and the real pyttsx3 + eSpeak NG engine in a worker."""

from __future__ import annotations

from pathlib import Path

import pytest

from spacecast.errors import ConfigError
from spacecast.speech.engines import ENGINES, VoiceSettings, engine_class
from spacecast.speech.engines.tone import SAMPLE_RATE, ToneEngine, tone_samples
from spacecast.speech.probe import probe_engine


def test_registry_imports_lazily_and_rejects_unknown_names():
    assert set(ENGINES) == {"piper", "pyttsx3", "tone"}
    assert engine_class("tone") is ToneEngine
    with pytest.raises(ConfigError, match="unknown engine 'espeak': use one of piper, pyttsx3"):
        engine_class("espeak")


def test_tone_engine_is_exact():
    clips = ToneEngine().synthesize(["one two three", "four"], VoiceSettings("low", rate=120))
    assert clips.sample_rate == SAMPLE_RATE
    assert [len(p) // 2 for p in clips.pcm] == [tone_samples(3, 120), tone_samples(1, 120)]
    assert tone_samples(3, 120) == round(1.5 * SAMPLE_RATE)


def test_tone_engine_checks_voice_ids():
    with pytest.raises(ConfigError, match="unknown tone voice id 'hgh': did you mean high"):
        ToneEngine().check_voice("hgh")


@pytest.mark.slow
def test_pyttsx3_engine_speaks_in_a_spawned_worker():
    status = probe_engine("pyttsx3")
    assert status.available, status.detail
    assert "gmw/en-us" in status.voice_ids
    assert "at 22050 Hz" in status.detail


def _speak_here(sentences, settings):
    """Run in a spawned process: the real engine, as the synthesis workers use it."""
    engine = engine_class("pyttsx3")()
    clips = engine.synthesize(sentences, settings)
    problems = []
    for voice in ("gmw/en-us+zz", "gmw/en-uss"):
        try:
            engine.check_voice(voice)
        except ConfigError as exc:
            problems.append(str(exc))
    return [len(p) // 2 / clips.sample_rate for p in clips.pcm], problems


@pytest.mark.slow
def test_pyttsx3_clips_phonemes_and_voice_checks():
    import concurrent.futures as cf
    import multiprocessing

    settings = VoiceSettings("gmw/en-us", rate=175)
    sentences = ["Wakayama.", "[[w,A:k@j'A:m@]].", "A much longer sentence takes longer to say."]
    with cf.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        lengths, problems = pool.submit(_speak_here, sentences, settings).result(timeout=120)
    plain, phonemes, long = lengths
    # Phoneme input is spoken as the word, not spelled out letter by letter.
    assert 0.5 * plain < phonemes < 1.5 * plain
    assert long > 2 * plain
    assert problems[0].startswith("unknown eSpeak NG variant 'zz'")
    assert problems[1].startswith("unknown pyttsx3 voice id 'gmw/en-uss': did you mean gmw/en-us")


REPO = Path(__file__).resolve().parents[1]
# Written for this test: one sentence with voiced stretches long enough to measure pitch.
SETTINGS_SENTENCE = "Morning rain over the valley gave way to a mild and sunny afternoon."


def _speak_whole(sentence, settings):
    """Run in a spawned process: the engine's clip for one sentence, untrimmed."""
    clips = engine_class("pyttsx3")().synthesize([sentence], settings)
    return clips.sample_rate, clips.pcm[0]


def _median_pitch(pcm: bytes, rate: int) -> float:
    """Median fundamental frequency (Hz) of the voiced 40 ms frames, by autocorrelation."""
    import numpy as np  # installed with the test extra (piper-tts needs it)

    samples = np.frombuffer(pcm, dtype="<i2").astype(float)
    size, low, high = int(0.04 * rate), rate // 400, rate // 60
    found = []
    for start in range(0, len(samples) - size, size // 2):
        frame = samples[start : start + size] - samples[start : start + size].mean()
        if np.sqrt((frame**2).mean()) < 1000:  # quiet: a pause or a weak consonant
            continue
        correlation = np.correlate(frame, frame, "full")[size - 1 :]
        lag = low + int(np.argmax(correlation[low:high]))
        if correlation[lag] > 0.4 * correlation[0]:  # clearly periodic: voiced
            found.append(rate / lag)
    assert len(found) > 20, "too few voiced frames to measure"
    return float(np.median(found))


@pytest.mark.slow
@pytest.mark.parametrize("profile", ["anchor", "correspondent", "slow-and-high"])
def test_profile_rate_and_pitch_reach_espeak_as_the_command_line_sets_them(profile, tmp_path):
    """A profile's ``rate`` and ``pitch`` are eSpeak NG's own ``-s`` and ``-p``: spoken by
    spacecast, a sentence has the length and the pitch that ``espeak-ng -v VOICE -s RATE
    -p PITCH`` gives it (the same library, driven as its command line drives it)."""
    import concurrent.futures as cf
    import multiprocessing
    import subprocess
    import sys
    import wave

    from spacecast.speech.profiles import load_profile

    if profile == "slow-and-high":
        settings = VoiceSettings("gmw/en-us", rate=120, pitch=90)
    else:
        settings = load_profile(REPO / "voices" / f"{profile}.toml").settings
    with cf.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        rate, ours = pool.submit(_speak_whole, SETTINGS_SENTENCE, settings).result(timeout=120)
    text, out = tmp_path / "sentence.txt", tmp_path / "cli.wav"
    text.write_text(SETTINGS_SENTENCE, encoding="utf-8")
    voice = settings.voice.removeprefix("gmw/")  # the command line's name for the voice
    command = [sys.executable, str(REPO / "bench" / "plain_espeak.py"), voice]
    command += [str(settings.rate), str(text), str(out), str(settings.pitch)]
    subprocess.run(command, check=True, timeout=60)
    with wave.open(str(out), "rb") as clip:
        assert clip.getframerate() == rate
        theirs = clip.readframes(clip.getnframes())
    # Same length within 0.5 %: one word a minute more or less would be 0.6 %. Not to the
    # sample, because eSpeak NG carries state from the last utterance and the engine has
    # spoken one already (0.3 % for the anchor's variant, a few samples for others).
    assert len(ours) == pytest.approx(len(theirs), rel=0.005)
    assert _median_pitch(ours, rate) == pytest.approx(_median_pitch(theirs, rate), rel=0.02)
