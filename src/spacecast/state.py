"""What was already read: a small SQLite store in the output folder.

Each story a daily run reads is remembered by its URL and by a fingerprint of its text, with
the date of the episode it went into. Tomorrow's run skips what any earlier episode read (so
nothing repeats, and the same story from two feeds is read once); a rerun for the same date
gets that date's stories back from here, with their text, without fetching them again.

A story left out of an episode (to fit its length, or beyond ``max_stories``) is remembered
as left out: a rerun for the same date gets it back (and leaves it out again), but it is not
read, so a later day's episode can read it. Each story also keeps the date of the episode it
was first gathered for, so that stories waiting since an earlier day can be put after newer
ones (``first_seen``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

from .errors import OutputError
from .models import Article

STATE_FILE = "spacecast.db"
# The ``left_out`` column: read, left out to fit the length, or beyond max_stories.
READ, LEFT_OUT, DROPPED = 0, 1, 2
# A story's fingerprint covers the start of its text: enough to tell stories apart, and the
# same wire story syndicated by two outlets (with different page furniture) still matches.
FINGERPRINT_WORDS = 80

_SCHEMA = """
CREATE TABLE IF NOT EXISTS stories (
    fingerprint TEXT PRIMARY KEY,
    url         TEXT,
    title       TEXT NOT NULL,
    source      TEXT NOT NULL,
    published   TEXT,
    body        TEXT NOT NULL,
    episode     TEXT NOT NULL,
    position    INTEGER NOT NULL,
    read_at     TEXT NOT NULL,
    left_out    INTEGER NOT NULL DEFAULT 0,
    first_seen  TEXT
);
CREATE INDEX IF NOT EXISTS stories_url ON stories (url);
CREATE INDEX IF NOT EXISTS stories_episode ON stories (episode);
"""


def fingerprint(article: Article) -> str:
    """A fingerprint of the story's words (case, punctuation and layout ignored)."""
    words = re.findall(r"\w+", article.text.lower())[:FINGERPRINT_WORDS]
    if not words:  # a stub known only by its URL and title
        words = re.findall(r"\w+", f"{article.url or article.source} {article.title}".lower())
    return hashlib.sha256(" ".join(words).encode()).hexdigest()[:32]


class StoryStore:
    """The memory of a show's output folder. Use as a context manager."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / STATE_FILE
        try:
            self._db = sqlite3.connect(self.path, timeout=30)
            self._db.executescript(_SCHEMA)
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(stories)")}
            if "left_out" not in columns:  # a store from before stories were left out
                self._db.execute(
                    "ALTER TABLE stories ADD COLUMN left_out INTEGER NOT NULL DEFAULT 0"
                )
            if "first_seen" not in columns:  # NULL: the episode's date stands in
                self._db.execute("ALTER TABLE stories ADD COLUMN first_seen TEXT")
        except sqlite3.Error as exc:
            raise OutputError(f"{self.path}: cannot open the story memory ({exc})") from None

    def __enter__(self) -> StoryStore:
        return self

    def __exit__(self, *_: object) -> None:
        self._db.close()

    def is_new(self, article: Article, date: dt.date) -> bool:
        """True when no episode but ``date``'s has read this story (by URL or by text)."""
        row = self._db.execute(
            "SELECT 1 FROM stories WHERE episode != ? AND NOT left_out "
            "AND (fingerprint = ? OR url = ?) LIMIT 1",
            (date.isoformat(), fingerprint(article), article.url or "\0"),
        ).fetchone()
        return row is None

    def first_seen(self, article: Article, date: dt.date) -> dt.date:
        """The date of the episode this story was first gathered for: an earlier one when
        it was left out before, else ``date``."""
        row = self._db.execute(
            "SELECT MIN(COALESCE(first_seen, episode)) FROM stories "
            "WHERE fingerprint = ? OR url = ?",
            (fingerprint(article), article.url or "\0"),
        ).fetchone()
        seen = dt.date.fromisoformat(row[0]) if row and row[0] else date
        return min(seen, date)

    def stories_of(self, date: dt.date, *, dropped: bool = True) -> list[Article]:
        """The stories already read into ``date``'s episode, or left out of it, in order
        (``dropped=False``: without those left out beyond ``max_stories``)."""
        rows = self._db.execute(
            "SELECT source, title, body, url, published FROM stories "
            "WHERE episode = ? AND left_out <= ? ORDER BY position",
            (date.isoformat(), DROPPED if dropped else LEFT_OUT),
        ).fetchall()
        return [
            Article(
                source=source,
                title=title,
                paragraphs=tuple(body.split("\n\n")),
                url=url,
                date=dt.date.fromisoformat(published) if published else None,
            )
            for source, title, body, url, published in rows
        ]

    def remember(
        self,
        articles: Sequence[Article],
        date: dt.date,
        left_out: Sequence[Article] = (),
        dropped: Sequence[Article] = (),
    ) -> None:
        """Record that ``articles`` are ``date``'s episode, ``left_out`` were left out of it
        to fit the length and ``dropped`` beyond ``max_stories`` (replacing what it had)."""
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        everything = [(a, READ) for a in articles]
        everything += [(a, LEFT_OUT) for a in left_out] + [(a, DROPPED) for a in dropped]
        with self._db:  # one transaction: all of the day's stories, or none
            first_seen = [self.first_seen(a, date).isoformat() for a, _ in everything]
            self._db.execute("DELETE FROM stories WHERE episode = ?", (date.isoformat(),))
            self._db.executemany(
                "INSERT OR REPLACE INTO stories (fingerprint, url, title, source, published,"
                " body, episode, position, read_at, left_out, first_seen)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        fingerprint(a),
                        a.url,
                        a.title,
                        a.source,
                        a.date.isoformat() if a.date else None,
                        a.text,
                        date.isoformat(),
                        position,
                        now,
                        kind,
                        seen,
                    )
                    for position, ((a, kind), seen) in enumerate(
                        zip(everything, first_seen, strict=True)
                    )
                ],
            )

    def episodes(self) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT DISTINCT episode FROM stories ORDER BY 1")]


def unique(articles: Iterable[Article]) -> list[Article]:
    """Drop repeats within one gathering: the same URL, or the same text from two sources."""
    seen: set[str] = set()
    kept = []
    for article in articles:
        keys = {fingerprint(article)} | ({article.url} if article.url else set())
        if keys & seen:
            continue
        seen |= keys
        kept.append(article)
    return kept
