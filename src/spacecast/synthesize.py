"""Speech synthesis for a whole script: cache, worker processes, checks -> one Take per segment.

Each segment is split into sentences, spoken one sentence per engine call, trimmed of the
engine's own leading and trailing silence (the mixer sets the pauses), resampled by ffmpeg
to the mix rate and stored in a content-addressed cache. Workers are spawned processes, one
engine each: eSpeak NG keeps global state, is not thread-safe, and hangs a forked child.
"""

from __future__ import annotations

import atexit
import concurrent.futures as cf
import contextlib
import hashlib
import json
import logging
import multiprocessing.context
import os
import re
import shutil
import signal
import sys
import tempfile
import time
import weakref
from array import array
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .atomic import replacing, write_bytes
from .engines import Engine, VoiceSettings, engine_class
from .errors import ConfigError, EngineError, io_reason
from .memory import release_large_buffers
from .models import Script, Segment, SentenceSpan, Take
from .scratch import remove_own_scratch
from .sentences import split_paragraphs, split_sentences
from .speakable import Lexicon, LexiconSet, speakable
from .tools import run_ffmpeg_streaming
from .voices import VoiceProfile

log = logging.getLogger(__name__)

# Bump when the stored take format or the trimming changes, so old entries are not reused.
CACHE_FORMAT = 2
# Samples quieter than this (about -50 dBFS) at a clip's ends count as the engine's padding.
SILENCE_LEVEL = 100
# Keep a few milliseconds either side of the speech so consonants are not clipped.
EDGE_KEEP_SECONDS = 0.012
# One sentence that takes longer than this to speak means the engine is stuck.
SECONDS_PER_SENTENCE_LIMIT = 20.0


class SegmentNotSpoken(EngineError):
    """A segment the engine could not speak, in its voice or its fallback's: the caller
    may go on without it (a story) or stop (anything else)."""

    def __init__(self, segment: Segment, reason: str) -> None:
        super().__init__(reason)
        self.segment = segment
        self.reason = reason


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


class StoredTakes(Sequence[Take]):
    """A script's takes, read from the store one at a time when asked for.

    Holding every take of an hour-long briefing would cost hundreds of megabytes; the
    mixer needs only one at a time.
    """

    def __init__(self, store: TakeCache, keys: Sequence[str]) -> None:
        self._store = store
        self._keys = tuple(keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        take = self._store.get(self._keys[index])
        if take is None:
            raise EngineError(f"the speech cache lost a take while building: {self._store.folder}")
        return take

    def outline(self, index: int) -> TakeOutline:
        """A take's length and sentences, without reading its audio."""
        outline = self._store.outline(self._keys[index])
        if outline is None:
            raise EngineError(f"the speech cache lost a take while building: {self._store.folder}")
        return outline


@dataclass(frozen=True)
class TakeOutline:
    sample_rate: int
    frames: int
    sentences: tuple[SentenceSpan, ...]


@dataclass(frozen=True)
class SynthesisReport:
    takes: StoredTakes
    keys: tuple[str, ...]
    """Each take's content key: equal keys, identical audio."""
    synthesized: int
    cached: int
    fallbacks: tuple[str, ...] = ()
    """What was spoken by a fallback profile instead, and why (one line each)."""


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


class TakeCache:
    """Takes stored by content key: ``<folder>/ab/abcd….pcm`` plus a JSON index of its
    sentences, its size and its SHA-256.

    Nothing read back is trusted: an index that does not parse to the right types, or audio
    whose size or checksum does not match it (a disk error, a file overwritten or cut
    short), is removed with a note in the log (shown by ``-v``) and the take made again.
    A take is checksummed once per process (``_verified``), not every time it is asked for.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _paths(self, key: str) -> tuple[Path, Path]:
        base = self.folder / key[:2] / key
        return base.with_suffix(".pcm"), base.with_suffix(".json")

    def _index(self, key: str) -> dict[str, Any] | None:
        """The take's index, checked; ``None`` when there is none (or it is discarded)."""
        _, index_path = self._paths(key)
        try:
            raw = index_path.read_bytes()
        except OSError:
            return None
        index = _valid_index(raw)
        if index is None:
            self._discard(key, "its index is damaged")
        return index

    def _discard(self, key: str, why: str) -> None:
        log.info("speech cache: take %s… %s: made again", key[:12], why)
        for path in self._paths(key):
            with contextlib.suppress(OSError):
                path.unlink()

    def _checked(self, key: str, index: dict[str, Any], pcm: bytes | None = None) -> bool:
        """Whether the audio file matches its index (size, then checksum, once per process
        for an unchanged file); a mismatch is discarded."""
        audio_path, _ = self._paths(key)
        try:
            info = audio_path.stat()
        except OSError:
            return False
        if info.st_size != index["bytes"]:
            self._discard(key, "has audio of the wrong size")
            return False
        stamp = (str(audio_path), info.st_size, info.st_mtime_ns, index["sha256"])
        if stamp in _verified:
            return True
        try:
            data = pcm if pcm is not None else audio_path.read_bytes()
        except OSError:
            return False
        if hashlib.sha256(data).hexdigest() != index["sha256"]:
            self._discard(key, "has audio that does not match its checksum")
            return False
        _verified.add(stamp)
        return True

    def has(self, key: str) -> bool:
        """Whether a complete, intact take is stored under ``key``."""
        index = self._index(key)
        return index is not None and self._checked(key, index)

    def outline(self, key: str) -> TakeOutline | None:
        """The take's sample rate, length and sentences, from its index alone."""
        index = self._index(key)
        if index is None:
            return None
        spans = tuple(SentenceSpan(**span) for span in index["sentences"])
        return TakeOutline(index["sample_rate"], index["bytes"] // 2, spans)

    def get(self, key: str) -> Take | None:
        index = self._index(key)
        if index is None:
            return None
        audio_path, _ = self._paths(key)
        try:
            pcm = audio_path.read_bytes()
        except OSError:
            return None
        if not self._checked(key, index, pcm):
            return None
        spans = tuple(SentenceSpan(**span) for span in index["sentences"])
        return Take(pcm=pcm, sample_rate=index["sample_rate"], sentences=spans)

    def put(self, key: str, take: Take) -> None:
        self.put_written(key, take.sample_rate, take.sentences, lambda p: p.write_bytes(take.pcm))

    def put_written(
        self,
        key: str,
        sample_rate: int,
        sentences: Sequence[SentenceSpan],
        write_audio: Callable[[Path], None],
    ) -> None:
        """Store a take whose audio ``write_audio(path)`` writes into the (empty) file."""
        audio_path, index_path = self._paths(key)
        try:
            audio_path.parent.mkdir(parents=True, exist_ok=True)
            # Audio first, index last: an index only ever describes a complete audio file.
            with replacing(audio_path) as tmp:
                write_audio(tmp)
                digest, size = _file_digest(tmp)
            index = {
                "bytes": size,
                "sample_rate": sample_rate,
                "sha256": digest,
                "sentences": [asdict(span) for span in sentences],
            }
            write_bytes(index_path, json.dumps(index).encode())
        except OSError as exc:
            raise ConfigError(
                f"{self.folder}: cannot write to the cache folder ({io_reason(exc)}): "
                "pass --cache-dir or --no-cache"
            ) from None


# Takes whose audio matched its checksum in this process: (path, size, mtime, sha256).
_verified: set[tuple[str, int, int, str]] = set()
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _file_digest(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _valid_index(raw: bytes) -> dict[str, Any] | None:
    """A take's index if it has exactly the shape ``put_written`` writes, else ``None``."""
    try:
        index = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(index, dict):
        return None
    size, rate, digest = index.get("bytes"), index.get("sample_rate"), index.get("sha256")
    sentences = index.get("sentences")
    if not (
        _whole(size)
        and size >= 0
        and size % 2 == 0
        and _whole(rate)
        and 8000 <= rate <= 192_000
        and isinstance(digest, str)
        and _SHA256.match(digest)
        and isinstance(sentences, list)
    ):
        return None
    frames = size // 2
    for span in sentences:
        if not (
            isinstance(span, dict)
            and set(span) == {"text", "start", "end", "paragraph"}
            and isinstance(span["text"], str)
            and all(_whole(span[name]) for name in ("start", "end", "paragraph"))
            and 0 <= span["start"] <= span["end"] <= frames
            and span["paragraph"] >= 0
        ):
            return None
    return index


def synthesize_script(
    script: Script,
    profiles: dict[str, VoiceProfile],
    lexicons: LexiconSet,
    *,
    mix_rate: int,
    cache: TakeCache | None,
    workers: int = 2,
    on_take: Callable[[int, int], None] | None = None,
    made: set[str] | None = None,
    warn: Callable[[str], None] = lambda message: None,
) -> SynthesisReport:
    """One take per segment of ``script``, from the cache where possible.

    ``on_take(done, total)`` is called as takes arrive, for progress displays. The keys of
    the takes synthesized here are added to ``made``, so that several calls in one build
    (fitting the length, then rendering) can report what the build itself synthesized.
    """
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

    jobs = [plan(seg, profiles[seg.voice]) for seg in script.segments]
    # Without a cache, a temporary one: takes go to disk as they arrive either way.
    store = cache if cache is not None else _temporary_store()
    ready = {job.key for job in jobs if cache is not None and cache.has(job.key)}
    pending = list({job.key: job for job in jobs if job.key not in ready}.values())
    # A take this build put in the cache itself (while fitting the length) is not one
    # "from the cache": it counts as synthesized, once.
    cached = sum(1 for job in jobs if job.key in ready and (made is None or job.key not in made))
    done = len(jobs) - len(pending)
    if on_take:
        on_take(done, len(jobs))
    replaced: dict[str, str] = {}  # a failed job's key -> the key of the take said instead
    for job, result in _run_jobs(pending, workers, store.folder):
        if isinstance(result, EngineError):
            # The segment again, in the fallback's voice; its take is stored under its own
            # key, so the failed voice's key never holds another voice's audio.
            segment, profile = planned[job.key]
            if not profile.fallback:
                raise SegmentNotSpoken(segment, str(result)) from None
            note(f"voice {profile.name!r} failed ({result}); speaking with {profile.fallback!r}")
            retry = plan(segment, profiles[profile.fallback])
            ((_, result),) = list(_run_jobs([retry], workers, store.folder))
            if isinstance(result, EngineError):
                raise SegmentNotSpoken(segment, str(result)) from None
            replaced[job.key], job = retry.key, retry
        if made is not None:
            made.add(job.key)
        done += 1
        if on_take:
            on_take(done, len(jobs))
    keys = [replaced.get(job.key, job.key) for job in jobs]
    return SynthesisReport(
        takes=StoredTakes(store, keys),
        keys=tuple(keys),
        synthesized=len(jobs) - cached if made is None else sum(key in made for key in keys),
        cached=cached,
        fallbacks=tuple(notes),
    )


def _usable(
    profile: VoiceProfile, profiles: dict[str, VoiceProfile], note: Callable[[str], None]
) -> VoiceProfile:
    """``profile``, or the first of its fallbacks whose engine can run here."""
    while (reason := engine_class(profile.engine).unavailable()) is not None:
        if not profile.fallback:
            raise EngineError(f"{profile.path}: engine {profile.engine}: {reason}")
        note(f"voice {profile.name!r}: {reason}; speaking with {profile.fallback!r} instead")
        profile = profiles[profile.fallback]
    return profile


def _temporary_store() -> TakeCache:
    folder = Path(tempfile.mkdtemp(prefix=f"spacecast-takes-{os.getpid()}-"))
    store = TakeCache(folder)
    weakref.finalize(store, shutil.rmtree, folder, ignore_errors=True)
    return store


def _run_jobs(jobs: Sequence[SpeechJob], workers: int, folder: Path):
    """Make each job's take into the store at ``folder``, yielding (job, None) as each is
    stored, in completion order, and (job, EngineError) for a job that failed.

    Workers write their takes themselves: the audio never travels back through a pipe,
    and the main process never holds it.
    """
    if not jobs:
        return
    in_process = [job for job in jobs if not engine_class(job.engine).needs_own_process]
    for job in in_process:
        try:
            store_take(job, folder)
        except EngineError as exc:
            yield job, exc
        else:
            yield job, None
    isolated = [job for job in jobs if engine_class(job.engine).needs_own_process]
    if not isolated:
        return
    count = max(1, workers)
    pool = _worker_pool(count)
    sentences = sum(len(job.spoken) for job in isolated)
    # Generous: a stuck engine is caught, a slow machine is not.
    limit = 30 + SECONDS_PER_SENTENCE_LIMIT * sentences / count
    deadline = time.monotonic() + limit
    # Longest first (popped from the end): a long story left for last would keep one
    # worker busy while the other has nothing to do.
    waiting = sorted(isolated, key=lambda job: sum(len(sentence) for sentence in job.spoken))
    running: dict[cf.Future, SpeechJob] = {}
    try:
        while waiting or running:
            # A few jobs in flight at a time, each dropped once its take is handed on: a
            # finished future keeps its take, so submitting all at once would hold them all.
            while waiting and len(running) < 2 * count:
                job = waiting.pop()
                running[pool.submit(store_take, job, folder)] = job
            left = deadline - time.monotonic()
            done, _ = cf.wait(running, timeout=max(0.0, left), return_when=cf.FIRST_COMPLETED)
            if not done:
                raise cf.TimeoutError
            for future in done:
                job = running.pop(future)
                try:
                    future.result()
                except EngineError as exc:  # this segment failed; the others go on
                    yield job, exc
                else:
                    yield job, None
    except cf.TimeoutError:
        _discard_pool(kill=True)
        raise EngineError(
            f"speech synthesis did not finish within {limit:.0f} s: the engine seems stuck"
        ) from None
    except cf.process.BrokenProcessPool:
        _discard_pool(kill=True)
        raise EngineError(
            "a speech worker died while speaking (for eSpeak NG this usually means its data "
            "files were not found): run `spacecast doctor`"
        ) from None
    except BaseException:
        # An engine error, or the caller stopped early: start the next build afresh.
        _discard_pool(kill=True)
        raise


# Worker processes live until the speaking is done (``release_workers``): a build speaks
# several times (calibrating voices, fitting the length, rendering), and each new pool
# would start the engines (and load any neural model) again.
_pool: cf.ProcessPoolExecutor | None = None
_pool_size = 0


def _worker_pool(size: int) -> cf.ProcessPoolExecutor:
    global _pool, _pool_size
    if _pool is None or _pool_size != size:
        _discard_pool()
        _pool = cf.ProcessPoolExecutor(size, mp_context=_WorkerContext(), initializer=_worker_start)
        _pool_size = size
    return _pool


@contextlib.contextmanager
def _main_script_hidden():
    """While a worker starts, hide the parent's main script from multiprocessing.

    A spawned process first runs the parent's main script again. For the ``spacecast``
    command that imports the whole command line (about 10 MB more per worker, and slower
    starts); for a user's own script without an ``if __name__ == "__main__"`` guard it
    would run the script again and fail. The workers need only this module.
    """
    main = sys.modules["__main__"]
    saved = {name: main.__dict__[name] for name in ("__file__", "__spec__") if name in vars(main)}
    main.__dict__.pop("__file__", None)
    main.__spec__ = None
    try:
        yield
    finally:
        main.__dict__.pop("__spec__", None)
        main.__dict__.update(saved)


class _WorkerProcess(multiprocessing.context.SpawnProcess):
    def start(self) -> None:
        with _main_script_hidden():
            super().start()


class _WorkerContext(multiprocessing.context.SpawnContext):
    """Spawn (a clean process, safe beside threads), without re-running the main script."""

    Process = _WorkerProcess


def _discard_pool(*, kill: bool = False) -> None:
    global _pool
    if _pool is None:
        return
    pool, _pool = _pool, None
    if not kill:
        pool.shutdown(wait=True, cancel_futures=True)
        return
    # The pool's manager thread notices the dead workers and closes its pipes. Left
    # running, it races the interpreter's exit, which writes to one of those pipes: "OSError:
    # [Errno 9] Bad file descriptor" from threading after an error such as an unknown voice
    # id. So the thread is waited for here (it finishes in milliseconds once the workers
    # are gone; a worker that ignores SIGTERM gets SIGKILL). shutdown() forgets it: take it
    # first.
    manager = getattr(pool, "_executor_manager_thread", None)
    _kill(pool)
    pool.shutdown(wait=False, cancel_futures=True)
    if manager is not None:
        manager.join(timeout=5)
        if manager.is_alive():
            _kill(pool, hard=True)
            manager.join(timeout=5)


atexit.register(_discard_pool)


def release_workers() -> None:
    """Stop the speech workers now (the next synthesis starts new ones)."""
    _discard_pool()


def _kill(pool: cf.ProcessPoolExecutor, *, hard: bool = False) -> None:
    # The executor has no public way to stop a worker that is stuck inside C code.
    for process in list((pool._processes or {}).values()):
        if hard:
            process.kill()
        else:
            process.terminate()


# One engine per worker process, made on first use and kept for the process's life.
_engines: dict[str, Engine] = {}


def _worker_start() -> None:
    """In each speech worker: memory handling, and signals. Ctrl-C reaches every process of
    the terminal's group: the main process decides, and stops the workers with SIGTERM,
    on which a worker removes its engine's temporary files and ends."""
    release_large_buffers()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_stopped)


def _worker_stopped(signum: int, frame: object) -> None:
    for engine in _engines.values():
        with contextlib.suppress(OSError):
            engine.close()
    remove_own_scratch()  # an engine still being made has a folder but no entry above
    os._exit(128 + signum)  # at once: the pool's own threads must not run on


def store_take(job: SpeechJob, folder: Path) -> None:
    """Speak ``job`` (in this process) into the take store at ``folder``, under its key.

    Streamed: the sentences go to the resampler one at a time and the resampled audio goes
    straight to the store's file, so a worker never holds a long take at both rates.
    """
    rate, clips = spoken_clips(job)
    lengths = [len(pcm) // 2 for pcm in clips]
    ratio = job.mix_rate / rate
    spans = _spans(job, lengths, ratio)
    if rate == job.mix_rate:
        audio = b"".join(clips)
        clips.clear()
        TakeCache(folder).put(job.key, Take(pcm=audio, sample_rate=rate, sentences=spans))
        return
    TakeCache(folder).put_written(
        job.key,
        job.mix_rate,
        spans,
        lambda path: resample_into(path, clips, rate, job.mix_rate),
    )


def spoken_clips(job: SpeechJob) -> tuple[int, list[bytes]]:
    """The engine's sample rate and one clip per sentence, trimmed of edge silence."""
    engine = _engines.get(job.engine)
    if engine is None:
        engine = _engines[job.engine] = engine_class(job.engine)()
    try:
        engine.check_voice(job.settings.voice)
    except ConfigError as exc:
        raise ConfigError(f"{job.profile_path}: voice: {exc}") from None
    spoken = engine.synthesize(job.spoken, job.settings)
    rate, clips = spoken.sample_rate, list(spoken.pcm)
    del spoken  # trimmed one clip at a time below, never two copies of the whole take
    keep = round(EDGE_KEEP_SECONDS * rate)
    for index, sentence in enumerate(job.display):
        clips[index] = _trim_silence(clips[index], keep)
        if not clips[index]:
            raise EngineError(f"the engine returned silence for: {sentence[:60]!r}")
    return rate, clips


def _spans(job: SpeechJob, lengths: Sequence[int], ratio: float) -> tuple[SentenceSpan, ...]:
    """Where each sentence lies in the take at the mix rate, from its length at the engine's."""
    bounds = [0]
    for length in lengths:
        bounds.append(bounds[-1] + length)
    bounds = [round(b * ratio) for b in bounds]
    return tuple(
        SentenceSpan(text=text, start=bounds[i], end=bounds[i + 1], paragraph=job.paragraphs[i])
        for i, text in enumerate(job.display)
    )


def _trim_silence(pcm: bytes, keep: int) -> bytes:
    samples = array("h")
    samples.frombytes(pcm)
    n = len(samples)
    first = next((i for i in range(n) if abs(samples[i]) > SILENCE_LEVEL), n)
    if first == n:
        return b""
    last = next(i for i in range(n - 1, -1, -1) if abs(samples[i]) > SILENCE_LEVEL)
    start, end = max(0, first - keep), min(n, last + 1 + keep)
    return pcm[start * 2 : end * 2]


def _resample_args(from_rate: int, to_rate: int) -> list[str]:
    fmt = ["-f", "s16le", "-ac", "1"]
    rates = ["-ar", str(from_rate), "-i", "pipe:0", "-af", f"aresample={to_rate}"]
    return [*fmt, *rates, *fmt, "-ar", str(to_rate), "pipe:1"]


def resample_into(path: Path, clips: list[bytes], from_rate: int, to_rate: int) -> None:
    """Resample ``clips`` (mono 16-bit PCM, in order) into the file ``path``, to exactly the
    expected length. ``clips`` is emptied as it is fed to ffmpeg, freeing each clip."""
    samples = sum(len(pcm) for pcm in clips) // 2
    expected = round(samples * to_rate / from_rate) * 2
    clips.reverse()  # popped from the end: cheap
    with open(path, "r+b") as sink:
        run_ffmpeg_streaming(
            _resample_args(from_rate, to_rate), clips, sink, what="resample speech"
        )
        size = sink.seek(0, os.SEEK_END)
        if size > expected:
            sink.truncate(expected)
        else:
            sink.write(bytes(expected - size))


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
    context = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(1, mp_context=context) as pool:
        try:
            return pool.submit(_probe_here, name).result(timeout=60)
        except cf.process.BrokenProcessPool:
            return EngineStatus(name, False, "the engine's process died while starting")
        except cf.TimeoutError:
            _kill(pool)
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
