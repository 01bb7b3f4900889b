"""The show's folder, published: its cover art, the feed and the listening page, and the
retention of old episodes.

Publishing is a step of its own, asked for by ``build`` and ``daily`` (see
``pipeline.render``): an episode rendered elsewhere gets its MP3 and sidecars
(``sidecars``) and nothing else. The feed and the page are rebuilt from the folder's
episode records, after the episode is in place, so a podcast app never sees an item whose
files are not there yet.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

from spacecast.atomic import write_bytes
from spacecast.publish.episode import EpisodeRecord, complete_records, sidecar_path
from spacecast.publish.feed import Channel, write_feed
from spacecast.publish.page import write_index

COVER_FILE = "cover.jpg"


def ensure_cover(folder: Path, show: str, user_cover: Path | None) -> Path:
    """The folder's cover art: the user's (checked and converted), else one drawn for the show.

    A cover already in the folder is kept, so a user's art is not replaced by the default.
    """
    # Pillow is imported here, not with this module: speaking and mixing never need it.
    from spacecast.publish.cover import prepare_cover, write_default_cover

    path = folder / COVER_FILE
    if user_cover is not None:
        return prepare_cover(user_cover, path)
    if not path.is_file():
        write_default_cover(path, show)
    return path


def cover_art(
    folder: Path, show: str, user_cover: Path | None, cache_dir: Path | None = None
) -> tuple[bytes, str]:
    """The cover art to embed in an episode that is not published, writing nothing in
    ``folder``: the user's (checked and converted), else the folder's own, else one drawn
    for the show (kept in ``cache_dir``'s ``covers/``, when there is a cache)."""
    from spacecast.publish.cover import cover_bytes, prepared_cover

    if user_cover is not None:
        return prepared_cover(user_cover), "image/jpeg"
    if (folder / COVER_FILE).is_file():
        return cover_bytes(folder / COVER_FILE)
    return _drawn_cover(show, cache_dir), "image/jpeg"


def _drawn_cover(show: str, cache_dir: Path | None) -> bytes:
    """The default cover for ``show``. Drawing one takes seconds and tens of megabytes, so
    it is kept in the cache, keyed by the drawing code and the name, and stored after its
    SHA-256 so that a damaged copy is drawn again, never embedded."""
    from spacecast.publish import cover

    if cache_dir is None:
        return cover.default_cover(show)
    code = Path(cover.__file__).read_bytes()
    key = hashlib.sha256(code + b"\n" + show.encode("utf-8", "surrogatepass")).hexdigest()
    path = cache_dir / "covers" / f"{key[:32]}.jpg.sha256"
    with contextlib.suppress(OSError):
        digest, _, data = path.read_bytes().partition(b"\n")
        if digest.decode("ascii", "replace") == hashlib.sha256(data).hexdigest():
            return data
    data = cover.default_cover(show)
    with contextlib.suppress(OSError):  # a read-only cache only costs time
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(path, hashlib.sha256(data).hexdigest().encode() + b"\n" + data)
    return data


def cover_file(folder: Path) -> str | None:
    """The name of the folder's cover art, if it has one."""
    return COVER_FILE if (folder / COVER_FILE).is_file() else None


def publish_show(folder: Path, channel: Channel) -> tuple[Path, Path]:
    """Write the folder's feed and listening page from its complete episodes; return both
    paths."""
    return write_feed(folder, channel), write_index(folder, channel.title)


def prune(folder: Path, keep: int, channel: Channel) -> tuple[str, ...]:
    """Keep the ``keep`` newest episodes: their items leave the feed first, then their files."""
    records = complete_records(folder)
    kept, dropped = records[:keep], records[keep:]
    if not dropped:
        return ()
    write_feed(folder, channel, kept)
    for record in dropped:
        for name in _files_of(record):
            with contextlib.suppress(FileNotFoundError):
                (folder / name).unlink()
    write_index(folder, channel.title)
    return tuple(record.files.audio for record in dropped)


def _files_of(record: EpisodeRecord) -> list[str]:
    files = record.files
    # The record goes last: until then a half-pruned episode still looks whole to a re-run.
    names = [files.audio, files.chapters, files.vtt, files.srt, files.text]
    names += [files.notes_md, files.notes_html, sidecar_path(Path(files.audio)).name]
    return names
