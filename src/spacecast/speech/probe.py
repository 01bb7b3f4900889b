"""Probing an engine for ``spacecast voices`` and ``doctor``: its voices and a test sentence."""

from __future__ import annotations

import concurrent.futures as cf
from dataclasses import dataclass

from spacecast.errors import EngineError
from spacecast.speech.engines import Engine, VoiceSettings, engine_class
from spacecast.speech.workers import spawned_pool


@dataclass(frozen=True)
class EngineStatus:
    """What ``spacecast voices`` and ``doctor`` show about an engine."""

    name: str
    available: bool
    detail: str
    """Why it is unavailable, or a one-line summary of a test utterance."""
    voice_ids: tuple[str, ...] = ()


def probe_engine(name: str) -> EngineStatus:
    """Start ``name`` in a spawned process, list its voices and speak a test sentence.

    A separate process because a broken eSpeak NG install ends its process outright.
    """
    pool, context = spawned_pool(1)
    with pool:
        try:
            return pool.submit(_probe_here, name).result(timeout=60)
        except cf.process.BrokenProcessPool:
            return EngineStatus(name, False, "the engine's process died while starting")
        except cf.TimeoutError:
            context.stop_processes()
            return EngineStatus(name, False, "the engine did not answer within 60 s")


def _probe_here(name: str) -> EngineStatus:
    try:
        engine = engine_class(name)()
        clips = engine.synthesize(
            ["Testing, one, two, three."], VoiceSettings(voice=_first(engine))
        )
    except (ImportError, OSError, EngineError) as exc:
        return EngineStatus(name, False, str(exc))
    seconds = len(clips.pcm[0]) / 2 / clips.sample_rate
    detail = f"test sentence: {seconds:.2f} s of audio at {clips.sample_rate} Hz"
    if info := getattr(engine, "library_info", None):
        version, data = info()
        detail += f" (eSpeak NG {version}, data {data})"
    return EngineStatus(name, True, detail, tuple(engine.voice_ids()))


def _first(engine: Engine) -> str:
    ids = engine.voice_ids()
    preferred = [v for v in ("gmw/en-us", "low") if v in ids]
    return (preferred or ids)[0]
