"""The speech-engine interface and the registry of engines by name.

An engine turns sentences into mono 16-bit PCM, one clip per sentence, so later stages
know exactly where every sentence lies in the audio. Engines are imported lazily by name:
an optional engine's dependencies are only needed when a voice profile uses it.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from spacecast.errors import ConfigError, unknown_name_message


@dataclass(frozen=True)
class VoiceSettings:
    """What an engine needs to know about a voice profile."""

    voice: str
    """The engine's own voice id (for eSpeak NG, e.g. ``gmw/en-us`` or ``gmw/en-us+m3``)."""
    rate: int = 175
    """Speaking rate in words per minute."""
    pitch: int = 50
    """0..100, 50 is the voice's normal pitch."""
    volume: float = 1.0
    """0..1."""


@dataclass(frozen=True)
class Clips:
    """Synthesized sentences: one PCM clip (mono, 16-bit, little-endian) per sentence."""

    sample_rate: int
    pcm: tuple[bytes, ...]


class Engine(ABC):
    """A text-to-speech engine. One instance per process; not thread-safe."""

    name: ClassVar[str]
    description: ClassVar[str]
    needs_own_process: ClassVar[bool] = True
    """Run in spawned worker processes (engines with global state, or that may crash)."""

    @classmethod
    @abstractmethod
    def version(cls) -> str:
        """A version string for cache keys, cheap to compute (must not start the engine)."""

    @classmethod
    def unavailable(cls) -> str | None:
        """Why the engine cannot run here (a missing optional package), or None. Cheap."""
        return None

    @abstractmethod
    def voice_ids(self) -> list[str]:
        """The voice ids this engine accepts."""

    def check_voice(self, voice: str) -> None:
        """Raise ``ConfigError`` naming the closest ids when ``voice`` is not one of ours."""
        ids = self.voice_ids()
        if voice not in ids:
            raise ConfigError(unknown_name_message(f"{self.name} voice id", voice, ids))

    @abstractmethod
    def synthesize(self, sentences: Sequence[str], settings: VoiceSettings) -> Clips:
        """Speak each sentence; raise ``EngineError`` rather than return silence."""

    def close(self) -> None:  # noqa: B027 - most engines hold nothing to release
        """Release what the engine holds outside the process (temporary files)."""


# name -> "module:Class", imported on first use so optional engines cost nothing.
ENGINES: dict[str, str] = {
    "pyttsx3": "spacecast.speech.engines.pyttsx3_espeak:Pyttsx3Engine",
    "tone": "spacecast.speech.engines.tone:ToneEngine",
    "piper": "spacecast.speech.engines.piper:PiperEngine",
}


def engine_class(name: str) -> type[Engine]:
    """The engine class registered as ``name``; an unknown name lists the known ones."""
    try:
        target = ENGINES[name]
    except KeyError:
        known = ", ".join(sorted(ENGINES))
        raise ConfigError(f"unknown engine {name!r}: use one of {known}") from None
    module_name, _, class_name = target.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, class_name)
