"""The default engine: pyttsx3 driving eSpeak NG, with no system install needed.

eSpeak NG comes from the ``espeakng-loader`` wheel unless ``SPACECAST_ESPEAK=system``.
pyttsx3 2.99 has traps that lose audio silently (see the project notes), so this engine:
- loads the library and sets ``ESPEAK_DATA_PATH`` before pyttsx3 starts (without the data
  path the bundled library calls ``exit(1)``, killing the process without a traceback);
- speaks one sentence per ``save_to_file`` + ``runAndWait`` (the driver keeps a single
  pending slot, and its ``bytes +=`` buffer is quadratic: short utterances keep it linear);
- waits for ``finished-utterance`` and checks every clip really holds audio;
- swallows the driver's "Audio saved to ..." line, which would otherwise reach stdout;
- starts eSpeak in synchronous mode. pyttsx3 asks for asynchronous output, spoken on
  eSpeak's own thread and polled every 10 ms, which cost half of a worker's time and lost
  an utterance now and then; synchronously a sentence takes ~3 ms instead of ~10 ms, and
  the driver's loop and its end-of-utterance step run in this engine (``_start_loop``).
Use one instance per process (eSpeak has one global callback) and spawn, never fork.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.metadata
import io
import os
import tempfile
import time
import wave
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from spacecast.errors import ConfigError, EngineError, unknown_name_message
from spacecast.speech.engines.base import Clips, Engine, VoiceSettings

# The bundled library exits the process when its data path is longer than this.
_MAX_DATA_PATH = 150


def espeak_library() -> tuple[str, str]:
    """(library path, data path) that this process will use for eSpeak NG."""
    if os.environ.get("SPACECAST_ESPEAK") == "system":
        return ("libespeak-ng.so.1 (system)", os.environ.get("ESPEAK_DATA_PATH", "(built in)"))
    try:
        import espeakng_loader
    except ImportError as exc:
        raise EngineError(
            "espeakng-loader is not installed: pip install espeakng-loader, "
            "or set SPACECAST_ESPEAK=system to use a system eSpeak NG"
        ) from exc
    return espeakng_loader.get_library_path(), espeakng_loader.get_data_path()


def _load_espeak() -> None:
    if os.environ.get("SPACECAST_ESPEAK") == "system":
        return
    library, data = espeak_library()
    if len(data.encode()) > _MAX_DATA_PATH:
        raise EngineError(
            f"eSpeak NG data path is too long ({len(data)} characters, limit {_MAX_DATA_PATH}): "
            "install spacecast in a virtual environment with a shorter path"
        )
    os.environ["ESPEAK_DATA_PATH"] = data
    # Loaded globally first, pyttsx3's own LoadLibrary("libespeak-ng.so.1") resolves to it.
    ctypes.CDLL(library, mode=ctypes.RTLD_GLOBAL)


def _initialise_espeak(espeak: Any, driver_class: Any) -> None:
    """Start eSpeak NG synchronously, before pyttsx3's driver would start it asynchronously.

    The driver starts the library only once per process, and skips it when marked as done.
    """
    if driver_class._moduleInitialized:
        return
    if espeak.Initialize(espeak.AUDIO_OUTPUT_SYNCHRONOUS, 1000) == -1:
        raise EngineError("cannot start eSpeak NG: run `spacecast doctor`")
    voice = espeak.GetCurrentVoice()
    if voice and voice.contents.name:
        driver_class._defaultVoice = voice.contents.name.decode("utf-8")
    else:
        driver_class._defaultVoice = "gmw/en"
    driver_class._moduleInitialized = True


class Pyttsx3Engine(Engine):
    name = "pyttsx3"
    description = "eSpeak NG through pyttsx3: fast, offline, no downloads"

    def __init__(self) -> None:
        _load_espeak()
        try:
            import pyttsx3
            from pyttsx3.drivers import _espeak
            from pyttsx3.drivers.espeak import EspeakDriver
        except (ImportError, OSError) as exc:
            raise EngineError(f"cannot start pyttsx3 with eSpeak NG: {exc}") from exc
        _initialise_espeak(_espeak, EspeakDriver)
        self._espeak = _espeak
        self._engine: Any = pyttsx3.init("espeak")
        self._driver: Any = self._engine.proxy._driver
        self._driver._start_synthesis = self._start_synthesis
        self._driver.startLoop = self._start_loop
        self._finished = False
        self._engine.connect("finished-utterance", self._on_finished)
        # Removed by close(), or when the process ends (a killed one's: by the next run).
        self._scratch = tempfile.TemporaryDirectory(prefix=f"spacecast-espeak-{os.getpid()}-")
        self._tmpdir = Path(self._scratch.name)
        self._current: VoiceSettings | None = None
        # A first utterance before anything else: listing voices before the first save
        # has been seen to make that save write nothing.
        self._speak_one("Ready.", self._tmpdir / "warmup.wav")
        self._voice_ids: list[str] | None = None

    def close(self) -> None:
        self._scratch.cleanup()

    @classmethod
    def version(cls) -> str:
        parts = [f"pyttsx3-{importlib.metadata.version('pyttsx3')}"]
        if os.environ.get("SPACECAST_ESPEAK") == "system":
            parts.append("espeak-ng-system")
        else:
            parts.append(f"espeakng-loader-{importlib.metadata.version('espeakng-loader')}")
        return "+".join(parts)

    def voice_ids(self) -> list[str]:
        if self._voice_ids is None:
            self._voice_ids = sorted(v.id for v in self._engine.getProperty("voices"))
        return self._voice_ids

    def library_info(self) -> tuple[str, str]:
        """(version, data path) as reported by the eSpeak NG library actually loaded."""
        info = self._espeak.dll.espeak_Info
        info.argtypes = [ctypes.POINTER(ctypes.c_char_p)]
        info.restype = ctypes.c_char_p
        data = ctypes.c_char_p()
        version = info(ctypes.byref(data)) or b"?"
        return version.decode(), (data.value or b"").decode()

    def variant_ids(self) -> list[str]:
        """eSpeak voice variants (``m3``, ``f2`` …) that can follow a voice id after ``+``."""
        folder = Path(self.library_info()[1]) / "voices" / "!v"
        return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []

    def check_voice(self, voice: str) -> None:
        # "gmw/en-us+m3": a voice id, optionally with one of eSpeak's variants.
        base, _, variant = voice.partition("+")
        super().check_voice(base)
        variants = self.variant_ids()
        if variant and variant not in variants:
            raise ConfigError(unknown_name_message("eSpeak NG variant", variant, variants))

    def synthesize(self, sentences: Sequence[str], settings: VoiceSettings) -> Clips:
        self._apply(settings)
        clips = []
        for index, sentence in enumerate(sentences):
            path = self._tmpdir / f"{index}.wav"
            pcm = self._speak_one(sentence, path)
            if not pcm:  # a lost utterance: the driver's known failure; one retry
                pcm = self._speak_one(sentence, path)
            if not pcm:
                raise EngineError(f"eSpeak NG produced no audio for: {sentence[:60]!r}")
            clips.append(pcm)
        return Clips(sample_rate=self._rate, pcm=tuple(clips))

    # The driver's WAV header is hard-coded to 22050 Hz; eSpeak's own voices use that rate.
    _rate = 22050

    def _apply(self, settings: VoiceSettings) -> None:
        if settings == self._current:
            return
        # Twice: eSpeak applies a voice change after the rate set with it, and the change
        # resets the rate, so one pass speaks at the old voice's default speed. The second
        # pass (same voice, no reset) makes a voice's speed independent of what came before.
        for _ in range(2):
            self._engine.setProperty("voice", settings.voice)
            self._engine.setProperty("rate", settings.rate)
            self._engine.setProperty("pitch", settings.pitch)
            self._engine.setProperty("volume", settings.volume)
        self._current = settings

    def _speak_one(self, text: str, path: Path) -> bytes:
        path.unlink(missing_ok=True)
        self._finished = False
        with contextlib.redirect_stdout(io.StringIO()):
            self._engine.save_to_file(text, str(path))
            self._engine.runAndWait()
        if not self._finished or not path.exists():
            return b""
        with wave.open(str(path), "rb") as wav:
            if wav.getnchannels() != 1 or wav.getsampwidth() != 2:
                raise EngineError("eSpeak NG returned audio in an unexpected format")
            return wav.readframes(wav.getnframes())

    def _on_finished(self, name: str | None, completed: bool) -> None:
        self._finished = completed

    def _start_loop(self) -> None:
        # Replaces the driver's loop, which polls every 10 ms for the end of an utterance
        # (once half of a worker's time). eSpeak speaks synchronously here
        # (``_initialise_espeak``): when ``Synth`` returns, every sample has been delivered.
        driver = self._driver
        driver._looping = True
        driver._proxy.setBusy(False)  # runs the queued commands
        if driver._text_to_say:
            # At start-up the queue holds this save and an end-of-loop together, which
            # would end the loop before it starts: the driver loses a first utterance.
            driver._looping = True
            self._start_synthesis(driver._text_to_say)
            if driver._speaking:
                self._finish_utterance()
        while driver._looping:  # only if the synthesis did not end the loop
            driver.iterate()
            time.sleep(0.01)

    def _finish_utterance(self) -> None:
        # What the driver does on eSpeak's end-of-message event, which synchronous mode
        # does not send: save the clip, report the utterance finished, end the loop.
        driver = self._driver
        with wave.open(driver._save_file, "wb") as clip:
            clip.setnchannels(1)
            clip.setsampwidth(2)
            clip.setframerate(self._rate)
            clip.writeframes(driver._data_buffer)
        driver._data_buffer = b""
        driver._speaking = False
        driver._proxy.notify("finished-utterance", completed=True)
        driver._proxy.setBusy(False)
        driver.endLoop()

    def _start_synthesis(self, text: str) -> None:
        # pyttsx3's own version without the PHONEMES flag reads [[...]] lexicon entries
        # letter by letter; everything else matches the driver.
        driver, espeak = self._driver, self._espeak
        driver._proxy.setBusy(True)
        driver._proxy.notify("started-utterance")
        driver._speaking = True
        driver._data_buffer = b""
        flags = espeak.ENDPAUSE | espeak.CHARS_UTF8 | espeak.PHONEMES
        espeak.Synth(str(text).encode("utf-8"), flags=flags)
