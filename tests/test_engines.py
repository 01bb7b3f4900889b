"""The engine interface and registry, and the real pyttsx3 + eSpeak NG engine in a worker."""

from __future__ import annotations

import pytest

from spacecast.engines import ENGINES, VoiceSettings, engine_class
from spacecast.engines.tone import SAMPLE_RATE, ToneEngine, tone_samples
from spacecast.errors import ConfigError
from spacecast.synthesize import probe_engine


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
