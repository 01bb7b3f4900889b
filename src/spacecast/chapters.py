"""Chapters as players read them: which segments become chapters, and the JSON form.

A chapter per segment that matters: the intro, each story (with its title and source link)
and the outro. A transition is not a chapter of its own: it closes the story before it, so
each story's chapter starts exactly where its own speech begins.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from .episodes import ChapterMark
from .models import Chapter


def chapter_marks(chapters: Sequence[Chapter], duration: float) -> tuple[ChapterMark, ...]:
    """The listener-facing chapters of a timeline, tiling it from 0 to ``duration``."""
    kept = [c for c in chapters if c.kind != "transition"]
    marks = []
    for index, chapter in enumerate(kept):
        start = 0.0 if index == 0 else chapter.start
        end = kept[index + 1].start if index + 1 < len(kept) else duration
        url = chapter.source if chapter.source and _is_url(chapter.source) else None
        marks.append(
            ChapterMark(start=start, end=end, title=chapter.title, kind=chapter.kind, url=url)
        )
    return tuple(marks)


def _is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def chapters_json(marks: Sequence[ChapterMark], *, cover_url: str | None = None) -> str:
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
    return json.dumps({"version": "1.2.0", "chapters": items}, indent=2, ensure_ascii=False) + "\n"
