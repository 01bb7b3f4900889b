"""How long a script will run, before it is spoken: calibrated voices and the mix's layout.

Each voice's real speaking rate is measured once from its engine (a calibration passage
spoken sentence by sentence, fitted as seconds per character plus seconds per sentence) and
kept in the cache. With the mixer's pauses, overlaps and stingers added the same way
``mix`` lays them out, a script's length can be predicted closely enough to choose the
sentences that fill ``--minutes``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import logging
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from spacecast.atomic import write_bytes
from spacecast.audio.mix import Pacing
from spacecast.models import Script, Segment, Take
from spacecast.speech.cache import TakeOutline
from spacecast.speech.engines import engine_class
from spacecast.speech.lexicon import LexiconSet
from spacecast.speech.plan import segment_sentences
from spacecast.speech.profiles import VoiceProfile, Voices
from spacecast.speech.synthesize import SynthesisReport
from spacecast.text.speakable import speakable

log = logging.getLogger(__name__)

FORMAT = 2
# Sentences of many lengths, in the register of news, to fit a voice's rate on.
CALIBRATION = (
    "The council met on Tuesday.",
    "Officials said the new bridge would open to traffic early next spring.",
    "Prices rose again last month, driven mostly by the cost of food and energy.",
    "Rescue teams worked through the night.",
    "The company reported a sharp fall in profits, blaming weaker demand in its largest "
    "markets and the rising cost of raw materials.",
    "It was the third launch attempt this year.",
    "Residents who had been told to leave their homes were allowed to return on Sunday "
    "afternoon, once engineers had checked that the river defences were holding.",
    "Talks will resume next week.",
    "Scientists say the findings could change how the disease is treated in older patients.",
    "The team won by two goals, its first away victory of the season.",
    "Critics argue the plan does too little, too late.",
    "Voters in the northern districts turned out in record numbers, according to early "
    "figures released by the electoral commission shortly after midnight.",
    "At a briefing on Monday, the minister, who took office in May, said the plan had worked.",
    "Ships, lorries and trains were delayed; some, officials said, for as long as two days.",
    "The museum will close for a year, its director said: the roof needs repairs.",
)
# The calibration sentences are plainer than real news. Measured with eSpeak NG and Piper
# alike, the seed articles' sentences took 3.5-4.5 % longer than the fitted rates said
# (denser words, more names), bench/textgen.py's generated text about 1 % longer.
# Predictions allow for the middle of that.
NEWS_SLOWER = 1.02
# Where a voice pauses inside a sentence. Long news sentences have several such breaks,
# and a model of length alone, fitted on shorter sentences, says them too fast.
BREAKS = re.compile(r"[,;:()]|\s[—–-]\s")


@dataclass(frozen=True)
class SpeechRate:
    """A voice's measured pace: a sentence lasts
    ``per_char * characters + per_break * breaks + per_sentence`` (breaks: see ``BREAKS``)."""

    per_char: float
    per_break: float
    per_sentence: float

    def sentence_seconds(self, sentence: str) -> float:
        breaks = len(BREAKS.findall(sentence))
        plain = self.per_char * len(sentence) + self.per_break * breaks + self.per_sentence
        return max(0.0, plain * NEWS_SLOWER)


def calibrate_all(
    voices: Sequence[VoiceProfile],
    *,
    cache_dir: Path | None,
    speak: Callable[[Script, Voices], SynthesisReport],
    profiles: Mapping[str, VoiceProfile] | None = None,
) -> dict[str, SpeechRate]:
    """The speaking rate of each of ``voices``, by name, kept in ``cache_dir``; those not
    cached are measured together, one take per voice, spoken by ``speak`` (in parallel,
    without the lexicons, and not into the take cache: ``SpeechSession.calibrate``).

    ``profiles`` lets a profile whose engine fails be measured through its fallback.
    """
    rates: dict[str, SpeechRate] = {}
    stored: dict[str, Path | None] = {}
    for profile in voices:
        path = _calibration_path(profile, cache_dir)
        if path is not None and path.is_file():
            rate = _stored_rate(path)
            if rate is not None:
                rates[profile.name] = rate
                continue
            log.info("speech cache: calibration %s is damaged: measured again", path.name)
        stored[profile.name] = path
    if not stored:
        return rates
    everyone = dict(profiles or {})
    everyone.update({profile.name: profile for profile in voices})
    script = Script(
        title="calibration",
        date=dt.date(2000, 1, 1),
        segments=tuple(
            Segment("story", "calibration", name, " ".join(CALIBRATION)) for name in stored
        ),
    )
    report = speak(script, Voices(everyone, LexiconSet()))
    for index, (name, path) in enumerate(stored.items()):
        take = report.takes[index]
        rates[name] = _fit([(s.text, (s.end - s.start) / take.sample_rate) for s in take.sentences])
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                write_bytes(path, json.dumps(asdict(rates[name])).encode())
            except OSError:
                pass  # a read-only cache only costs a re-measurement
    return rates


def _stored_rate(path: Path) -> SpeechRate | None:
    """A cached rate, if it is three finite numbers that make a voice that takes time."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    fields = ("per_char", "per_break", "per_sentence")
    if not isinstance(data, dict) or set(data) != set(fields):
        return None
    values = [data[name] for name in fields]
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return None
    if not all(math.isfinite(v) for v in values) or values[0] <= 0:
        return None
    return SpeechRate(*(float(v) for v in values))


def _calibration_path(profile: VoiceProfile, cache_dir: Path | None) -> Path | None:
    if cache_dir is None:
        return None
    key_data = {
        "format": FORMAT,
        "engine": profile.engine,
        "version": engine_class(profile.engine).version(),
        "settings": asdict(profile.settings),
        "text": CALIBRATION,
    }
    key = hashlib.sha256(json.dumps(key_data, sort_keys=True).encode()).hexdigest()[:24]
    return cache_dir / "calibration" / f"{key}.json"


def _fit(sentences: list[tuple[str, float]]) -> SpeechRate:
    """Least squares of seconds on (characters, breaks, 1) over the calibration sentences."""
    rows = [(float(len(text)), float(len(BREAKS.findall(text))), 1.0) for text, _ in sentences]
    seconds = [duration for _, duration in sentences]
    # The normal equations, 3 x 3, solved by Cramer's rule: no numerical library needed.
    ata = [[sum(r[i] * r[j] for r in rows) for j in range(3)] for i in range(3)]
    aty = [sum(r[i] * y for r, y in zip(rows, seconds, strict=True)) for i in range(3)]
    det = _det3(ata)
    if abs(det) < 1e-9:  # degenerate (one sentence, or all alike): the mean sentence
        mean = sum(seconds) / len(seconds)
        return SpeechRate(per_char=0.0, per_break=0.0, per_sentence=mean)
    solved = []
    for column in range(3):
        m = [row[:] for row in ata]
        for i in range(3):
            m[i][column] = aty[i]
        solved.append(_det3(m) / det)
    return SpeechRate(per_char=solved[0], per_break=solved[1], per_sentence=solved[2])


def _det3(m: list[list[float]]) -> float:
    return (
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
        - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
        + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    )


def speech_seconds(segment: Segment, rate: SpeechRate, pacing: Pacing) -> float:
    """A segment's predicted speech, with the pauses ``mix.speech_audio`` puts between sentences."""
    pairs = segment_sentences(speakable(segment.text))
    total = sum(rate.sentence_seconds(sentence) for _, sentence in pairs)
    for (before, _), (after, _) in itertools.pairwise(pairs):
        total += pacing.paragraph_pause if after != before else pacing.sentence_pause
    return total


def take_seconds(take: Take | TakeOutline, pacing: Pacing) -> float:
    """A synthesized take's speech with its pauses, exactly as ``mix.speech_audio`` makes it."""
    frames = take.frames if isinstance(take, TakeOutline) else len(take.pcm) // 2
    seconds = frames / take.sample_rate
    for before, after in itertools.pairwise(take.sentences):
        new_paragraph = after.paragraph != before.paragraph
        seconds += pacing.paragraph_pause if new_paragraph else pacing.sentence_pause
    return seconds
