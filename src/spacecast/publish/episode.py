"""The episode sidecar: a small JSON file beside each MP3 that describes it completely.

``briefings/spacecast-2026-11-26.episode.json`` holds what the feed and the listening page
need (titles, chapters, file names, byte size, duration, loudness), so both can be rebuilt
from the folder alone, without the articles, the cache or the options of the build.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

from spacecast.atomic import write_bytes
from spacecast.models import Chapter, Credit, LeftOutStory

SIDECAR_SUFFIX = ".episode.json"
FORMAT = 1
# Episode guids are UUIDv5 names under this namespace: the same show and date, the same guid.
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "spacecast:episode")


@dataclass(frozen=True)
class EpisodeFiles:
    """File names (relative to the episode's folder) of everything a build writes."""

    audio: str
    chapters: str
    vtt: str
    srt: str
    text: str
    notes_md: str
    notes_html: str
    cover: str | None = None

    @classmethod
    def for_audio(cls, audio: str, cover: str | None = None) -> EpisodeFiles:
        """The names a build gives an episode's files, from its MP3's name."""
        stem = Path(audio).stem
        return cls(
            audio=audio,
            chapters=f"{stem}.chapters.json",
            vtt=f"{stem}.vtt",
            srt=f"{stem}.srt",
            text=f"{stem}.txt",
            notes_md=f"{stem}.md",
            notes_html=f"{stem}.html",
            cover=cover,
        )


@dataclass(frozen=True)
class EpisodeRecord:
    guid: str
    show: str
    title: str
    date: dt.date
    published: dt.datetime
    """When the episode was built (timezone-aware): the feed's pubDate."""
    description: str
    """Plain text: the show, the date, and the stories in order."""
    duration: float
    audio_bytes: int
    files: EpisodeFiles
    chapters: tuple[Chapter, ...]
    integrated_lufs: float
    true_peak_dbtp: float
    stories: tuple[str, ...] = field(default=())
    """Story titles, in order."""
    fallbacks: tuple[str, ...] = field(default=())
    """Voices that could not speak and what spoke instead (one line each)."""
    left_out: tuple[LeftOutStory, ...] = field(default=())
    """Stories not read (title, source, named in the round-up or not, and why: to fit the
    length, or beyond ``max_stories``)."""

    @property
    def stem(self) -> str:
        return Path(self.files.audio).stem


def episode_guid(show: str, date: dt.date) -> str:
    """A guid that never changes for a show's episode of a given day."""
    return str(uuid.uuid5(GUID_NAMESPACE, f"{show}\n{date.isoformat()}"))


def sidecar_path(audio: Path) -> Path:
    return audio.with_name(audio.stem + SIDECAR_SUFFIX)


def record_bytes(record: EpisodeRecord) -> bytes:
    """The sidecar file's contents for ``record``."""
    data = asdict(record)
    data["date"] = record.date.isoformat()
    data["published"] = record.published.isoformat()
    data = {"spacecast_episode": FORMAT, **data}
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()


def write_record(folder: Path, record: EpisodeRecord) -> Path:
    """Write the record beside its audio, atomically; return the sidecar's path."""
    path = sidecar_path(folder / record.files.audio)
    write_bytes(path, record_bytes(record))
    return path


def read_record(path: Path) -> EpisodeRecord | None:
    """The record in ``path``, or None when it is not a readable episode sidecar."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.pop("spacecast_episode", None) != FORMAT:
            return None
        data["date"] = dt.date.fromisoformat(data["date"])
        data["published"] = dt.datetime.fromisoformat(data["published"])
        data["files"] = EpisodeFiles(**data["files"])
        data["chapters"] = tuple(
            Chapter(**{**c, "also": tuple(Credit(**a) for a in c.get("also", ()))})
            for c in data["chapters"]
        )
        data["stories"] = tuple(data.get("stories", ()))
        data["fallbacks"] = tuple(data.get("fallbacks", ()))
        data["left_out"] = tuple(LeftOutStory(**s) for s in data.get("left_out", ()))
        return EpisodeRecord(**data)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def complete_records(folder: Path) -> list[EpisodeRecord]:
    """Episodes in ``folder`` whose MP3 is there at its recorded size, newest first.

    A record whose audio is missing or of another size (a build killed mid-way, a file
    deleted by hand) is left out, so nothing built from this list points at a broken file.
    """
    records = []
    for path in sorted(folder.glob(f"*{SIDECAR_SUFFIX}")):
        record = read_record(path)
        if record is None:
            continue
        audio = folder / record.files.audio
        try:
            if audio.stat().st_size != record.audio_bytes:
                continue
        except OSError:
            continue
        records.append(record)
    records.sort(key=lambda r: (r.date, r.published), reverse=True)
    return records
