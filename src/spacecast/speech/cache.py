"""The take cache: synthesized speech stored by content key, checked when read back."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import socket
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeGuard, overload

from spacecast.atomic import commit, staging, write_bytes
from spacecast.errors import ConfigError, EngineError, io_reason
from spacecast.models import SentenceSpan, Take

log = logging.getLogger(__name__)


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

    @overload
    def __getitem__(self, index: int) -> Take: ...
    @overload
    def __getitem__(self, index: slice) -> list[Take]: ...
    def __getitem__(self, index: int | slice) -> Take | list[Take]:
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


class TakeCache:
    """Takes stored by content key: ``<folder>/ab/abcd….pcm`` plus a JSON index of its
    sentences, its size and its SHA-256.

    Nothing read back is trusted: an index that does not parse to the right types, or audio
    whose size or checksum does not match it (a disk error, a file overwritten or cut
    short), is removed with a note in the log (shown by ``-v``) and the take made again.
    A take is checksummed once by each ``TakeCache`` (``verified``), not every time it is
    asked for.

    Several processes, on several machines, may share the folder: each file is written
    whole and moved into place, and a take is published (audio, then index) under a lock
    file (``<key>.lock``, made with ``O_EXCL``), where the first complete take of a key
    wins: a second writer of the same take keeps the first one's, so the audio and the
    index always belong together, even when an engine does not say the same text the same
    way twice. While a take is being published, readers see it as absent, never damaged.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.verified: set[tuple[str, int, int, str]] = set()
        """Takes whose audio matched its checksum: (path, size, mtime, sha256)."""
        self._holding: set[str] = set()

    def _paths(self, key: str) -> tuple[Path, Path]:
        base = self.folder / key[:2] / key
        return base.with_suffix(".pcm"), base.with_suffix(".json")

    def _lock_path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.lock"

    def _publishing_elsewhere(self, key: str) -> bool:
        return key not in self._holding and self._lock_path(key).exists()

    @contextlib.contextmanager
    def _publishing(self, key: str) -> Iterator[None]:
        """Hold ``key``'s lock file while its take is published (milliseconds); a lock
        older than ``STALE_LOCK_SECONDS`` was left by a writer that died and is broken."""
        lock = self._lock_path(key)
        owner = f"{socket.gethostname()} {os.getpid()}\n".encode()
        while True:
            try:
                fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                try:
                    age = time.time() - lock.stat().st_mtime
                except OSError:
                    continue  # just released
                if age > STALE_LOCK_SECONDS:
                    log.info("speech cache: take %s… lock left by a stopped writer", key[:12])
                    with contextlib.suppress(OSError):
                        lock.unlink()
                else:
                    time.sleep(0.02)
                continue
            break
        try:
            os.write(fd, owner)
        finally:
            os.close(fd)
        self._holding.add(key)
        try:
            yield
        finally:
            self._holding.discard(key)
            with contextlib.suppress(OSError):
                lock.unlink()

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
        if self._publishing_elsewhere(key):
            return  # half published by another process: absent for now, not damaged
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
        if stamp in self.verified:
            return True
        try:
            data = pcm if pcm is not None else audio_path.read_bytes()
        except OSError:
            return False
        if hashlib.sha256(data).hexdigest() != index["sha256"]:
            self._discard(key, "has audio that does not match its checksum")
            return False
        self.verified.add(stamp)
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
        write_audio: Callable[[Path], object],
    ) -> None:
        """Store a take whose audio ``write_audio(path)`` writes into the (empty) file."""
        audio_path, index_path = self._paths(key)
        try:
            audio_path.parent.mkdir(parents=True, exist_ok=True)
            with staging(audio_path) as tmp:
                write_audio(tmp)
                digest, size = _file_digest(tmp)
                index = {
                    "bytes": size,
                    "sample_rate": sample_rate,
                    "sha256": digest,
                    "sentences": [asdict(span) for span in sentences],
                }
                with self._publishing(key):
                    if self.has(key):
                        return  # another process stored it first: its take is the one
                    # Audio first, index last: an index only describes a complete file.
                    commit(tmp, audio_path)
                    write_bytes(index_path, json.dumps(index).encode())
        except OSError as exc:
            raise ConfigError(
                f"{self.folder}: cannot write to the cache folder ({io_reason(exc)}): "
                "pass --cache-dir or --no-cache"
            ) from None


# Publishing a take takes milliseconds: a lock file this old belongs to a writer that died.
STALE_LOCK_SECONDS = 30.0

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _file_digest(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _whole(value: object) -> TypeGuard[int]:
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
