"""An article as read, and the bounds every article is held to.

``Article`` is what ingest (files, folders, stdin) and sources (feeds, pages) make, and
what the condenser reads. Its ``label`` names it where a name is needed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace

from spacecast.limits import MAX_BODY_CHARS, MAX_TITLE_CHARS, MAX_URL_CHARS
from spacecast.models import Credit
from spacecast.text.structure import label_from_text


@dataclass(frozen=True)
class Article:
    """One news article as read from a file, a URL or stdin."""

    source: str
    """Where it came from: a file path, a URL, or ``-`` for stdin."""
    title: str
    """The article's own headline, or ``""`` when it has none: one is never made up from
    the text, which would then be heard twice. Show ``label`` where a name is needed."""
    paragraphs: tuple[str, ...]
    """Body text, one entry per paragraph, boilerplate already removed."""
    url: str | None = None
    """The article's canonical URL, when the file names one (front matter)."""
    date: dt.date | None = None
    """Publication date, when the file names one."""
    guid: str | None = None
    """A feed entry's own id (``<guid>``, Atom ``<id>``), which stays when its link changes."""
    outlet: str = ""
    """Who published it: the name of the source it was gathered from (``""``: unknown)."""
    also: tuple[Credit, ...] = ()
    """Other outlets' reports of the same event, credited where this one is read."""
    update_of: str | None = None
    """The headline of a story read on an earlier day that this one develops: it is
    introduced as an update of it (``None``: not an update, or the story had no headline)."""

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def label(self) -> str:
        """What chapters, notes and feeds call the story: its headline, else the start of
        its first sentence (never spoken as a headline)."""
        if self.title or not self.paragraphs:
            return self.title
        return label_from_text(self.paragraphs[0])


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
