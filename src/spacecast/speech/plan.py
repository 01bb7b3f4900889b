"""Planning speech: a segment's sentences as the engine will receive them, and the cache
key that names the take they make."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

from spacecast.errors import ConfigError
from spacecast.models import Segment
from spacecast.speech.engines import VoiceSettings, engine_class
from spacecast.speech.lexicon import Lexicon
from spacecast.speech.profiles import VoiceProfile
from spacecast.text.sentences import split_paragraphs, split_sentences
from spacecast.text.speakable import speakable

# Bump when the stored take format or the trimming changes, so old entries are not reused.
CACHE_FORMAT = 2


@dataclass(frozen=True)
class SpeechJob:
    """Everything a worker needs to make one segment's take."""

    key: str
    engine: str
    settings: VoiceSettings
    spoken: tuple[str, ...]
    """Sentences as the engine receives them (lexicon applied)."""
    display: tuple[str, ...]
    """The same sentences as the script shows them (for transcripts)."""
    paragraphs: tuple[int, ...]
    mix_rate: int
    profile_path: str


def segment_sentences(text: str) -> list[tuple[int, str]]:
    """(paragraph index, sentence) for every sentence of a segment's text, in order."""
    return [
        (index, sentence)
        for index, paragraph in enumerate(split_paragraphs(text))
        for sentence in split_sentences(paragraph)
    ]


def plan_job(segment: Segment, profile: VoiceProfile, lexicon: Lexicon, mix_rate: int) -> SpeechJob:
    """The job (and its cache key) for one segment spoken by ``profile``."""
    pairs = segment_sentences(speakable(segment.text))
    if not pairs:
        raise ConfigError(
            f"segment {segment.title!r} has no text to speak: write some or remove it"
        )
    display = tuple(sentence for _, sentence in pairs)
    spoken = tuple(lexicon.apply(sentence) for sentence in display)
    paragraphs = tuple(index for index, _ in pairs)
    engine = engine_class(profile.engine)
    fingerprint = {
        "format": CACHE_FORMAT,
        "engine": profile.engine,
        "engine_version": engine.version(),
        "settings": asdict(profile.settings),
        "spoken": spoken,
        "display": display,
        "paragraphs": paragraphs,
        "mix_rate": mix_rate,
    }
    key = hashlib.sha256(json.dumps(fingerprint, sort_keys=True).encode()).hexdigest()
    return SpeechJob(
        key=key,
        engine=profile.engine,
        settings=profile.settings,
        spoken=spoken,
        display=display,
        paragraphs=paragraphs,
        mix_rate=mix_rate,
        profile_path=profile.path,
    )
