"""Speech synthesis for a whole script: one Take per segment, from the store where possible.

Each segment is planned (``plan``), looked up in the take store (``cache``), and the
missing ones are spoken by the worker processes (``workers``, ``speak``), longest first. A
voice that cannot speak falls back to its profile's ``fallback``. A build calls this
through its ``session.SpeechSession``, which owns the store and the workers.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from spacecast.errors import EngineError
from spacecast.models import Script, Segment
from spacecast.speech.cache import StoredTakes, TakeCache
from spacecast.speech.engines import engine_class
from spacecast.speech.plan import SpeechJob, plan_job
from spacecast.speech.profiles import VoiceProfile, Voices
from spacecast.speech.workers import WorkerPool


class SegmentNotSpoken(EngineError):
    """A segment the engine could not speak, in its voice or its fallback's: the caller
    may go on without it (a story) or stop (anything else)."""

    def __init__(self, segment: Segment, reason: str) -> None:
        super().__init__(reason)
        self.segment = segment
        self.reason = reason


@dataclass(frozen=True)
class SynthesisReport:
    takes: StoredTakes
    keys: tuple[str, ...]
    """Each take's content key: equal keys, identical audio."""
    synthesized: int
    """How many takes were synthesized for this script (by this call or earlier ones of the
    same session)."""
    cached: int
    """How many came from the cache, made before the session."""
    made: frozenset[str] = frozenset()
    """The keys of the takes this call synthesized."""
    fallbacks: tuple[str, ...] = ()
    """What was spoken by a fallback profile instead, and why (one line each)."""


def synthesize_script(
    script: Script,
    voices: Voices,
    *,
    store: TakeCache,
    pool: WorkerPool,
    mix_rate: int,
    made_before: Collection[str] = (),
    on_take: Callable[[int, int], None] | None = None,
    warn: Callable[[str], None] = lambda message: None,
) -> SynthesisReport:
    """One take per segment of ``script``, from ``store`` where it has them, the others
    spoken by ``pool`` into ``store``.

    ``on_take(done, total)`` is called as takes arrive, for progress displays.
    ``made_before``: the keys of takes the same session synthesized earlier (fitting the
    length, then rendering), which count as synthesized, not as from the cache.
    """
    profiles, lexicons = voices.profiles, voices.lexicons
    notes: list[str] = []

    def note(message: str) -> None:
        if message not in notes:  # each substitution is reported once
            notes.append(message)
            warn(message)

    planned: dict[str, tuple[Segment, VoiceProfile]] = {}

    def plan(segment: Segment, profile: VoiceProfile) -> SpeechJob:
        profile = _usable(profile, profiles, note)
        job = plan_job(segment, profile, lexicons.for_voice(profile.name), mix_rate)
        planned.setdefault(job.key, (segment, profile))
        return job

    jobs = [plan(seg, profiles[seg.profile]) for seg in script.segments]
    ready = {job.key for job in jobs if store.has(job.key)}
    pending = list({job.key: job for job in jobs if job.key not in ready}.values())
    # A take this session put in the store itself (while fitting the length) is not one
    # "from the cache": it counts as synthesized, once.
    cached = sum(1 for job in jobs if job.key in ready and job.key not in made_before)
    made: set[str] = set()
    done = len(jobs) - len(pending)
    if on_take:
        on_take(done, len(jobs))
    replaced: dict[str, str] = {}  # a failed job's key -> the key of the take said instead
    for job, result in pool.run(pending, store.folder):
        if isinstance(result, EngineError):
            # The segment again, in the fallback's voice; its take is stored under its own
            # key, so the failed voice's key never holds another voice's audio.
            segment, profile = planned[job.key]
            if not profile.fallback:
                raise SegmentNotSpoken(segment, str(result)) from None
            note(f"profile {profile.name!r} failed ({result}); speaking with {profile.fallback!r}")
            retry = plan(segment, profiles[profile.fallback])
            ((_, result),) = list(pool.run([retry], store.folder))
            if isinstance(result, EngineError):
                raise SegmentNotSpoken(segment, str(result)) from None
            replaced[job.key], job = retry.key, retry
        made.add(job.key)
        done += 1
        if on_take:
            on_take(done, len(jobs))
    keys = [replaced.get(job.key, job.key) for job in jobs]
    return SynthesisReport(
        takes=StoredTakes(store, keys),
        keys=tuple(keys),
        synthesized=sum(key in made or key in made_before for key in keys),
        cached=cached,
        made=frozenset(made),
        fallbacks=tuple(notes),
    )


def _usable(
    profile: VoiceProfile, profiles: dict[str, VoiceProfile], note: Callable[[str], None]
) -> VoiceProfile:
    """``profile``, or the first of its fallbacks whose engine can run here."""
    while (reason := engine_class(profile.engine).unavailable()) is not None:
        if not profile.fallback:
            raise EngineError(f"{profile.path}: engine {profile.engine}: {reason}")
        note(f"profile {profile.name!r}: {reason}; speaking with {profile.fallback!r} instead")
        profile = profiles[profile.fallback]
    return profile
