"""A build's speech, with a lifetime: ``SpeechSession`` owns the voices, the take store,
the worker processes and the record of what it synthesized.

    with SpeechSession(load_voices(), cache_dir=folder, workers=2) as speech:
        rates = speech.calibrate([profile])
        report = speech.synthesize(script)

Leaving the ``with`` block stops the workers (killing them when it ends with an exception:
Ctrl-C, SIGTERM, an error) and removes the session's scratch store. Nothing outlives it:
no worker pool, no temporary folder, no set of keys.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from spacecast.audio.mix import MIX_RATE
from spacecast.errors import ConfigError
from spacecast.models import Script
from spacecast.scratch import scratch_dir
from spacecast.speech.cache import TakeCache
from spacecast.speech.executors import LOCAL, open_executor
from spacecast.speech.length import SpeechRate, calibrate_all
from spacecast.speech.profiles import VoiceProfile, Voices
from spacecast.speech.synthesize import SynthesisReport, synthesize_script
from spacecast.speech.workers import Lifetime


class SpeechSession(Lifetime):
    """The speech of one build (or one command): see the module doc.

    ``cache_dir``: the speech cache (takes in ``takes/``, voice calibrations in
    ``calibration/``); ``None`` (``--no-cache``) keeps takes only for the session, in a
    scratch folder, so a build still speaks each segment once.

    ``executor``: where the takes are made (``executors.open_executor``): ``local``, this
    machine's ``workers`` processes, or ``dask://HOST:PORT``, a Dask cluster whose workers
    write into ``cache_dir`` (which must be on storage they share; the session's scratch
    takes then go there too, under ``scratch/``).

    ``keep_workers``: the session serves several builds in turn (``begin_build`` before
    each), so ``stop_workers`` leaves the workers, and the engines they loaded, up for the
    next build; they end when the session closes.
    """

    def __init__(
        self,
        voices: Voices,
        *,
        cache_dir: Path | None,
        workers: int = 2,
        executor: str = LOCAL,
        mix_rate: int = MIX_RATE,
        keep_workers: bool = False,
    ) -> None:
        self.voices = voices
        self.keep_workers = keep_workers
        self.cache_dir = cache_dir
        self.mix_rate = mix_rate
        self._pool = open_executor(executor, workers=workers)
        if self._pool.remote and cache_dir is None:
            raise ConfigError(
                f"--no-cache cannot be used with --executor {executor}: the cluster's workers "
                "write the takes into the speech cache; give a --cache-dir they all reach"
            )
        self._cache = TakeCache(cache_dir / "takes") if cache_dir else None
        self._scratch: tempfile.TemporaryDirectory[str] | None = None
        self._scratch_store: TakeCache | None = None
        self._made: set[str] = set()

    @property
    def synthesized(self) -> frozenset[str]:
        """The keys of every take this session synthesized."""
        return frozenset(self._made)

    def begin_build(self) -> None:
        """Count a new build's takes from here: a take synthesized for an earlier build of
        this session is, for the next one, a take from the cache, as it would be for a
        build in a session of its own."""
        self._made.clear()

    def synthesize(
        self,
        script: Script,
        *,
        on_take: Callable[[int, int], None] | None = None,
        warn: Callable[[str], None] = lambda message: None,
    ) -> SynthesisReport:
        """One take per segment of ``script`` (see ``synthesize.synthesize_script``); takes
        made earlier in the session count as synthesized, not as from the cache."""
        report = synthesize_script(
            script,
            self.voices,
            store=self._cache or self._scratch_takes(),
            pool=self._pool,
            mix_rate=self.mix_rate,
            made_before=self._made,
            on_take=on_take,
            warn=warn,
        )
        self._made |= report.made
        return report

    def calibrate(self, profiles: Sequence[VoiceProfile]) -> dict[str, SpeechRate]:
        """The measured speaking rate of each of ``profiles``, by name (see
        ``length.calibrate_all``): kept in the cache, measured on this session's workers."""
        return calibrate_all(
            profiles,
            cache_dir=self.cache_dir,
            speak=self._speak_uncached,
            profiles=self.voices.profiles,
        )

    def _speak_uncached(self, script: Script, voices: Voices) -> SynthesisReport:
        return synthesize_script(
            script, voices, store=self._scratch_takes(), pool=self._pool, mix_rate=self.mix_rate
        )

    def _scratch_takes(self) -> TakeCache:
        if self._scratch_store is None:
            if self._pool.remote and self.cache_dir is not None:
                # Where the cluster's workers can write too.
                shared = self.cache_dir / "scratch"
                shared.mkdir(parents=True, exist_ok=True)
                self._scratch = tempfile.TemporaryDirectory(prefix="takes-", dir=shared)
            else:
                self._scratch = scratch_dir("takes")
            self._scratch_store = TakeCache(Path(self._scratch.name))
        return self._scratch_store

    def stop_workers(self) -> None:
        """End the speech workers now (everything is spoken: their memory is freed before
        mixing); a later ``synthesize`` starts new ones. A session that ``keep_workers``
        keeps them for its next build."""
        if not self.keep_workers:
            self._pool.stop()

    def close(self, *, kill: bool = False) -> None:
        """End the workers (at once with ``kill``) and remove the scratch store."""
        try:
            self._pool.close(kill=kill)
        finally:
            if self._scratch is not None:
                self._scratch.cleanup()
                self._scratch = self._scratch_store = None
