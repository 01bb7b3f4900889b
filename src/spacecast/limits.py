"""Limits that a real briefing never reaches, so that broken or hostile input cannot.

A feed entry with a million-character title, a page of endless text, a settings file with
an absurd number: each meets a bound here, and the run goes on without it (with one warning)
rather than spending minutes or gigabytes on it. The README lists them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from .models import Article

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


def bounded_article(article: Article, warn: Callable[[str], None]) -> Article | None:
    """``article`` within the limits above, each change said once through ``warn``;
    ``None`` (warned) when nothing usable is left."""
    if article.url and len(article.url) > MAX_URL_CHARS:
        warn(f"skipped: its link is {len(article.url):,} characters long (limit {MAX_URL_CHARS:,})")
        return None
    if len(article.title) > MAX_TITLE_CHARS:
        warn(
            f"its title is {len(article.title):,} characters long (limit {MAX_TITLE_CHARS}), "
            "not a headline: read without one"
        )
        article = replace(article, title="")
    if sum(len(p) + 2 for p in article.paragraphs) > MAX_BODY_CHARS:
        kept: list[str] = []
        room = MAX_BODY_CHARS
        for paragraph in article.paragraphs:
            if room <= 0:
                break
            kept.append(paragraph[:room])
            room -= len(kept[-1]) + 2
        warn(f"its text is cut to the first {MAX_BODY_CHARS:,} characters")
        article = replace(article, paragraphs=tuple(kept))
    if not article.paragraphs:
        warn("skipped: no text to read")
        return None
    return article


def cut_label(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters: cut after a whole word where there is one,
    then ``…``."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–—") + "…"
