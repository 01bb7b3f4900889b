"""A deterministic engine for timing work: each word becomes an exact length of soft tone.

It speaks no words. It exists so that assembly (pauses, stingers, chapters, transcripts)
can be checked to the sample, and so a script's timing can be previewed instantly:
every word lasts exactly ``60 / rate`` seconds, rounded to whole samples per sentence.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence

from spacecast.speech.engines.base import Clips, Engine, VoiceSettings

SAMPLE_RATE = 22050


def tone_samples(words: int, rate: int) -> int:
    """How many samples the tone engine makes for a sentence of ``words`` words."""
    return round(max(words, 1) * 60 / rate * SAMPLE_RATE)


class ToneEngine(Engine):
    name = "tone"
    description = "exact-length tones instead of speech, for timing checks (speaks no words)"
    needs_own_process = False  # pure Python, no global state: cheaper in the caller's process

    @classmethod
    def version(cls) -> str:
        return "tone-1"

    def voice_ids(self) -> list[str]:
        return ["low", "high"]

    def synthesize(self, sentences: Sequence[str], settings: VoiceSettings) -> Clips:
        # A square wave never crosses silence, so trimming silence keeps every sample.
        half_period = SAMPLE_RATE // (2 * (220 if settings.voice == "low" else 440))
        level = max(1000, int(3000 * settings.volume))
        period = array("h", [level] * half_period + [-level] * half_period)
        clips = []
        for sentence in sentences:
            n = tone_samples(len(sentence.split()), settings.rate)
            repeats = n // len(period) + 1
            clips.append((period * repeats)[:n].tobytes())
        return Clips(sample_rate=SAMPLE_RATE, pcm=tuple(clips))
