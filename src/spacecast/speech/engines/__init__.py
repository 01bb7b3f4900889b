"""Speech engines behind one small interface (see ``base``)."""

from spacecast.speech.engines.base import ENGINES, Clips, Engine, VoiceSettings, engine_class

__all__ = ["ENGINES", "Clips", "Engine", "VoiceSettings", "engine_class"]
