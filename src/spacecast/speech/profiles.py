"""Voice profiles: ``voices/*.toml`` files that say which engine speaks, and how.

A profile looks like::

    name = "anchor"
    engine = "pyttsx3"
    engine_voice = "gmw/en-us+m3"   # the engine's own voice id
    rate = 165        # words per minute
    pitch = 42        # 0..100, 50 is the voice's normal pitch
    volume = 1.0      # 0..1
    description = "Opens and closes the show"
    speaker = "Alex"  # the on-air name: handovers, chapters and transcripts use it

Three words, one thing each: a *profile* is such a file (config and scripts name it), its
*engine voice* is the eSpeak or Piper voice id inside it, and its *speaker* is the name
heard on air. ``voice``, the key earlier versions used for the engine voice, is still read.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from spacecast.errors import ConfigError, unknown_name_message
from spacecast.speech.engines import ENGINES, VoiceSettings
from spacecast.speech.lexicon import LexiconSet, load_lexicons

BUNDLED_VOICES = Path(__file__).resolve().parents[1] / "_bundled" / "voices"
# An editable install runs from the checkout, where voices/ sits beside src/.
CHECKOUT_VOICES = Path(__file__).resolve().parents[3] / "voices"

_FIELDS: dict[str, type | tuple[type, ...]] = {
    "name": str,
    "engine": str,
    "engine_voice": str,
    "rate": int,
    "pitch": int,
    "volume": (int, float),
    "description": str,
    "fallback": str,
    "speaker": str,
}
# Earlier versions called the engine voice ``voice``: profiles written so still load.
_OLD_KEYS = {"voice": "engine_voice"}


@dataclass(frozen=True)
class VoiceProfile:
    name: str
    engine: str
    engine_voice: str
    """The engine's own voice id: an eSpeak NG voice (``gmw/en-us+m3``) or a Piper model."""
    rate: int = 175
    pitch: int = 50
    volume: float = 1.0
    description: str = ""
    fallback: str = ""
    """Another profile to speak with when this one's engine is missing or fails."""
    speaker: str = ""
    """The on-air name (``Sam``) that handovers say and transcripts show; default: the
    profile's name."""
    path: str = ""
    """The file the profile came from, for error messages."""

    @property
    def on_air_name(self) -> str:
        return self.speaker or self.name

    @property
    def settings(self) -> VoiceSettings:
        return VoiceSettings(
            voice=self.engine_voice, rate=self.rate, pitch=self.pitch, volume=self.volume
        )


def default_voices_dir() -> Path:
    """``./voices`` when present, else the profiles spacecast ships. (``SPACECAST_VOICES`` and
    ``[briefing] voices_dir`` are settings: see ``settings.schema``.)"""
    local = Path("voices")
    if local.is_dir():
        return local
    return BUNDLED_VOICES if BUNDLED_VOICES.is_dir() else CHECKOUT_VOICES


def load_profile(path: Path) -> VoiceProfile:
    """Read and check one profile file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}: fix the TOML syntax") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read voice profile: {exc}") from None
    for old, new in _OLD_KEYS.items():
        if old in data:
            if new in data:
                raise ConfigError(f"{path}: {old}: give {new} only ({old} is its old name)")
            data[new] = data.pop(old)
    for key, value in data.items():
        expected = _FIELDS.get(key)
        if expected is None:
            known = ", ".join(_FIELDS)
            raise ConfigError(f"{path}: unknown key {key!r}: use one of {known}")
        if not isinstance(value, expected) or isinstance(value, bool):
            kind = "a number" if key == "volume" else expected.__name__  # type: ignore[union-attr]
            raise ConfigError(f"{path}: {key}: expected {kind}, got {value!r}")
    for key in ("engine", "engine_voice"):
        if key not in data:
            what = key.replace("_", " ")
            raise ConfigError(f"{path}: missing {key!r}: every voice profile names its {what}")
    profile = VoiceProfile(
        name=data.get("name", path.stem),
        engine=data["engine"],
        engine_voice=data["engine_voice"],
        rate=data.get("rate", 175),
        pitch=data.get("pitch", 50),
        volume=float(data.get("volume", 1.0)),
        description=data.get("description", ""),
        fallback=data.get("fallback", ""),
        speaker=" ".join(data.get("speaker", "").split()),
        path=str(path),
    )
    if profile.engine not in ENGINES:
        known = ", ".join(sorted(ENGINES))
        raise ConfigError(f"{path}: engine: unknown engine {profile.engine!r}: use one of {known}")
    if not 80 <= profile.rate <= 450:
        raise ConfigError(f"{path}: rate: {profile.rate} is outside 80..450 words per minute")
    if not 0 <= profile.pitch <= 100:
        raise ConfigError(f"{path}: pitch: {profile.pitch} is outside 0..100")
    if not 0 < profile.volume <= 1:
        raise ConfigError(f"{path}: volume: {profile.volume} is outside 0..1")
    return profile


def load_profiles(folder: Path) -> dict[str, VoiceProfile]:
    """Every profile in ``folder``, by name."""
    if not folder.is_dir():
        raise ConfigError(f"{folder}: voices folder not found: create it or pass --voices-dir")
    profiles: dict[str, VoiceProfile] = {}
    for path in sorted(folder.glob("*.toml")):
        if path.name == "lexicon.toml" or path.name.endswith(".lexicon.toml"):
            continue
        profile = load_profile(path)
        if profile.name in profiles:
            raise ConfigError(
                f"{path}: name {profile.name!r} is already used by {profiles[profile.name].path}"
            )
        profiles[profile.name] = profile
    if not profiles:
        raise ConfigError(f"{folder}: no voice profiles (*.toml) found")
    for profile in profiles.values():
        _check_fallbacks(profile, profiles)
    return profiles


def _check_fallbacks(profile: VoiceProfile, profiles: dict[str, VoiceProfile]) -> None:
    seen = [profile.name]
    current = profile
    while current.fallback:
        if current.fallback not in profiles:
            message = unknown_name_message("voice profile", current.fallback, list(profiles))
            raise ConfigError(f"{current.path}: fallback: {message}")
        if current.fallback in seen:
            chain = " -> ".join([*seen, current.fallback])
            raise ConfigError(f"{profile.path}: fallback: profiles fall back in a loop ({chain})")
        seen.append(current.fallback)
        current = profiles[current.fallback]


def pick_profile(profiles: dict[str, VoiceProfile], name: str) -> VoiceProfile:
    """The profile called ``name``; an unknown name suggests the closest ones."""
    try:
        return profiles[name]
    except KeyError:
        raise ConfigError(unknown_name_message("voice profile", name, list(profiles))) from None


@dataclass(frozen=True)
class Voices:
    """A voices folder: its profiles by name, and the pronunciation lexicons."""

    profiles: dict[str, VoiceProfile]
    lexicons: LexiconSet


def load_voices(folder: Path | None = None) -> Voices:
    """The voice profiles in ``folder`` (default: ``default_voices_dir``) and their
    pronunciation lexicons: ``lexicon.toml`` for every voice, ``<profile>.lexicon.toml`` for
    one."""
    folder = folder or default_voices_dir()
    profiles = load_profiles(folder)
    return Voices(profiles=profiles, lexicons=load_lexicons(folder, known_voices=profiles))
