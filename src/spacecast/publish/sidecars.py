"""An episode's files: the MP3 put in place with its sidecars (chapters, transcripts, show
notes) and its record, the ``.episode.json`` the feed and the page are made from.

Writing never goes backwards: a podcast app may read the folder at any moment, and a
rebuild may fail (a full disk) or be stopped (Ctrl-C, SIGTERM) at any moment. So the new MP3
is made beside the old one (``pipeline``), and its sidecars and record are written to
temporary files too, while the old ones stay as they were. Only once everything is on disk
is it put in place, in this order: the MP3, the sidecars, then the episode record (the feed
lists only episodes with a record whose MP3 is complete). A failure before that leaves
every file exactly as it was. Publishing the show's folder (``show``) comes after.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from spacecast.atomic import commit, stage_bytes
from spacecast.audio.mp3 import mp3_duration
from spacecast.errors import OutputError, io_reason
from spacecast.models import Chapter, PlacedSegment, Script
from spacecast.publish.chapters import chapter_marks, chapters_json
from spacecast.publish.episode import (
    EpisodeFiles,
    EpisodeRecord,
    read_record,
    record_bytes,
    sidecar_path,
)
from spacecast.publish.notes import also_text, notes_html, notes_markdown
from spacecast.publish.transcript import plain_text, srt, webvtt


def episode_title(script: Script) -> str:
    return f"{script.title} – {script.date:%A %-d %B %Y}"


def episode_description(script: Script, marks: tuple[Chapter, ...]) -> str:
    lines = [f"{script.title} for {script.date:%A %-d %B %Y}."]
    stories = [m for m in marks if m.kind == "story"]
    for number, mark in enumerate(stories, start=1):
        lines.append(f"{number}. {mark.title}")
        if mark.also:
            lines.append(f"   {also_text(mark.also)}")
    return "\n".join(lines)


def write_episode(
    audio: Path,
    script: Script,
    placed: tuple[PlacedSegment, ...],
    *,
    duration: float,
    integrated_lufs: float,
    true_peak_dbtp: float,
    guid: str,
    staged: Path | None,
    cover: str | None = None,
    fallbacks: tuple[str, ...] = (),
) -> EpisodeRecord:
    """Put the episode in place as ``audio`` (``staged``: its new MP3, complete, in a
    temporary file; ``None``: the MP3 there is kept), with its sidecars and record; return
    the record. ``cover``: the name of the show's cover art beside it, if any. See the
    module doc for the order."""
    folder = audio.parent
    marks = chapter_marks(placed, duration)
    files = EpisodeFiles.for_audio(audio.name, cover)
    title = episode_title(script)
    description = episode_description(script, marks)
    intro = description.splitlines()[0]
    contents = {
        files.chapters: chapters_json(marks),
        files.vtt: webvtt(placed),
        files.srt: srt(placed),
        files.text: plain_text(placed),
        files.notes_md: notes_markdown(title, intro, marks),
        files.notes_html: notes_html(title, intro, marks),
    }
    new_audio = staged or audio
    previous = read_record(sidecar_path(audio)) if staged is None else None
    record = EpisodeRecord(
        guid=guid,
        show=script.title,
        title=title,
        date=script.date,
        # An MP3 kept as it was keeps its publication time; a new one is published now.
        published=previous.published
        if previous
        else dt.datetime.now(dt.UTC).replace(microsecond=0),
        description=description,
        # What players show: the MP3's own length (the encoder pads the timeline slightly).
        duration=round(mp3_duration(new_audio), 3),
        audio_bytes=new_audio.stat().st_size,
        files=files,
        chapters=marks,
        integrated_lufs=integrated_lufs,
        true_peak_dbtp=true_peak_dbtp,
        stories=tuple(m.title for m in marks if m.kind == "story"),
        fallbacks=fallbacks,
        left_out=script.left_out,
    )
    files_in_order = [(folder / name, text.encode("utf-8")) for name, text in contents.items()]
    files_in_order.append((sidecar_path(audio), record_bytes(record)))
    ready: list[tuple[Path, Path]] = []
    try:
        try:
            for path, data in files_in_order:
                ready.append((stage_bytes(path, data), path))
        except OSError as exc:  # a full disk: nothing published has changed yet
            raise OutputError(f"{path}: cannot write it ({io_reason(exc)})") from None
        if staged is not None:
            commit(staged, audio)
        for tmp, path in ready:
            commit(tmp, path)
    finally:
        for tmp, _ in ready:
            tmp.unlink(missing_ok=True)
    return record
