"""Chapters as players read them: which segments become chapters, and the JSON form.

A chapter per segment that matters: the intro, each story (with its title and source link)
and the outro. A story that other outlets reported too credits them (``Chapter.also``): in
the JSON form each is a chapter of its own at the same time, kept out of the table of
contents (``"toc": false``), with its link; in the MP3's tags, a link frame of the story's
chapter. A link ("In other news.") or the anchor's thanks is not a chapter of its own: it
closes the story before it, so in a bulletin each story's chapter starts exactly where its
own speech begins. In a two-host show the anchor's handover opens the story's chapter,
and the title names who reads the story ("Kairos rocket explodes — Sam").
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace

from spacecast.models import Chapter, PlacedSegment, Segment

# Segments that belong to the chapter before them.
CLOSING_KINDS = ("transition", "handback")


def chapter_marks(placed: Sequence[PlacedSegment], duration: float) -> tuple[Chapter, ...]:
    """The listener-facing chapters of a timeline, tiling it from 0 to ``duration``."""
    # (where the chapter starts, the segment that names it, whether it was handed over)
    kept: list[tuple[PlacedSegment, PlacedSegment, bool]] = []
    for index, segment in enumerate(placed):
        if segment.kind in CLOSING_KINDS:
            continue
        if segment.kind == "story" and index and placed[index - 1].kind == "handover":
            kept[-1] = (kept[-1][0], segment, True)
            continue
        kept.append((segment, segment, False))
    marks = []
    for index, (opening, named, handed_over) in enumerate(kept):
        start = 0.0 if index == 0 else opening.start
        end = kept[index + 1][0].start if index + 1 < len(kept) else duration
        url = named.source if named.source and _is_url(named.source) else None
        title = named.title
        if handed_over and named.speaker:
            title = f"{title} — {named.speaker}"
        also = tuple(
            replace(c, url=c.url if c.url and _is_url(c.url) else None) for c in named.also
        )
        marks.append(
            Chapter(start=start, end=end, title=title, kind=named.kind, url=url, also=also)
        )
    return tuple(marks)


def chapter_count(segments: Sequence[Segment]) -> int:
    """How many chapters ``chapter_marks`` makes of a script's ``segments``."""
    count = 0
    for index, segment in enumerate(segments):
        if segment.kind in CLOSING_KINDS:
            continue
        if segment.kind == "story" and index and segments[index - 1].kind == "handover":
            continue  # the handover opened this story's chapter
        count += 1
    return count


def _is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def chapters_json(marks: Sequence[Chapter], *, cover_url: str | None = None) -> str:
    """Podcasting 2.0 chapters (``application/json+chapters``), version 1.2.0."""
    items = []
    for mark in marks:
        item: dict[str, object] = {"startTime": round(mark.start, 3), "endTime": round(mark.end, 3)}
        item["title"] = mark.title
        if mark.url:
            item["url"] = mark.url
        if cover_url:
            item["img"] = cover_url
        items.append(item)
        for credit in mark.also:
            if credit.url:
                items.append(
                    {
                        "startTime": item["startTime"],
                        "title": f"Also reported by {credit.outlet}: {credit.title}",
                        "url": credit.url,
                        "toc": False,
                    }
                )
    return json.dumps({"version": "1.2.0", "chapters": items}, indent=2, ensure_ascii=False) + "\n"
