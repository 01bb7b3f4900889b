from __future__ import annotations

from pathlib import Path

import pytest

from spacecast.errors import ConfigError
from spacecast.speech.profiles import CHECKOUT_VOICES, load_profile, load_profiles, pick_profile


def test_shipped_profiles_are_two_different_voices():
    profiles = load_profiles(CHECKOUT_VOICES)
    anchor, correspondent = profiles["anchor"], profiles["correspondent"]
    assert anchor.engine == correspondent.engine == "pyttsx3"
    assert anchor.engine_voice != correspondent.engine_voice
    assert abs(anchor.pitch - correspondent.pitch) >= 10


def test_a_profile_of_an_earlier_version_still_loads(tmp_path: Path):
    # Earlier versions called the engine voice ``voice``.
    path = tmp_path / "old.toml"
    path.write_text('engine = "tone"\nvoice = "low"\nrate = 150\n')
    assert load_profile(path).engine_voice == "low"


def test_profile_fields(tmp_path: Path):
    path = tmp_path / "deep.toml"
    path.write_text('engine = "tone"\nengine_voice = "low"\nrate = 150\npitch = 20\nvolume = 0.5\n')
    profile = load_profile(path)
    assert (profile.name, profile.rate, profile.pitch, profile.volume) == ("deep", 150, 20, 0.5)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('engine = "tone"\nengine_voice = "low"\ncolour = 1\n', "unknown key 'colour'"),
        (
            'engine = "tone"\nengine_voice = "low"\nrate = "fast"\n',
            "rate: expected int, got 'fast'",
        ),
        ('engine = "tone"\nengine_voice = "low"\nrate = 20\n', "rate: 20 is outside 80..450"),
        ('engine = "tone"\nengine_voice = "low"\npitch = 120\n', "pitch: 120 is outside 0..100"),
        ('engine = "tone"\n', "missing 'engine_voice': every voice profile names its engine voice"),
        ('engine = "tone"\nvoice = "low"\nengine_voice = "low"\n', "voice: give engine_voice only"),
        (
            'engine = "festival"\nengine_voice = "x"\n',
            "engine: unknown engine 'festival': use one of",
        ),
        ('engine = "tone"\nengine_voice = \n', "fix the TOML syntax"),
    ],
)
def test_bad_profiles_name_file_and_key(tmp_path: Path, body: str, message: str):
    path = tmp_path / "bad.toml"
    path.write_text(body)
    with pytest.raises(ConfigError) as caught:
        load_profile(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_unknown_profile_suggests_closest(tone_voices: Path):
    profiles = load_profiles(tone_voices)
    with pytest.raises(ConfigError, match=r"unknown voice profile 'anchr': did you mean anchor\?"):
        pick_profile(profiles, "anchr")
    with pytest.raises(ConfigError, match="use one of anchor, correspondent"):
        pick_profile(profiles, "zzz")


def test_fallbacks_must_name_a_profile_and_not_loop(tmp_path: Path):
    folder = tmp_path / "voices"
    folder.mkdir()
    (folder / "a.toml").write_text('engine = "tone"\nengine_voice = "low"\nfallback = "bb"\n')
    (folder / "b.toml").write_text('engine = "tone"\nengine_voice = "high"\n')
    with pytest.raises(ConfigError) as caught:
        load_profiles(folder)
    assert str(caught.value) == (
        f"{folder / 'a.toml'}: fallback: unknown voice profile 'bb': did you mean b?"
    )
    (folder / "a.toml").write_text('engine = "tone"\nengine_voice = "low"\nfallback = "b"\n')
    (folder / "b.toml").write_text('engine = "tone"\nengine_voice = "high"\nfallback = "a"\n')
    loop = r"fallback: profiles fall back in a loop \(a -> b -> a\)"
    with pytest.raises(ConfigError, match=loop):
        load_profiles(folder)
    (folder / "b.toml").write_text('engine = "tone"\nengine_voice = "high"\n')
    assert load_profiles(folder)["a"].fallback == "b"
