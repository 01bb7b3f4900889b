"""Limits that a real briefing never reaches, so that broken or hostile input cannot.

A feed entry with a million-character title, a page of endless text, a settings file with
an absurd number: each meets a bound here, and the run goes on without it (with one warning)
rather than spending minutes or gigabytes on it. The README lists them.
"""

from __future__ import annotations

MAX_TITLE_CHARS = 300
"""A headline longer than this is not one: the story is read without a headline."""
MAX_BODY_CHARS = 10_000_000
"""An article's text is cut after this many characters (briefings read the top of it)."""
MAX_URL_CHARS = 2_000
"""A story whose link is longer than this is skipped."""
MAX_STORIES = 250
"""Stories read in one episode at most: with the intro, the round-up and the outro, the
chapters stay within the 255 that an ID3 table of contents (CTOC) can list."""
MAX_CHAPTERS = 255
MAX_MINUTES = 600
"""The longest briefing, in minutes (ten hours)."""


def cut_label(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters: cut after a whole word where there is one,
    then ``…``."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–—") + "…"
