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

A story the engine could not speak is remembered as failed: it is never offered again, so
one broken entry cannot break tomorrow's run too. A story remembered with its text (left
out, or a rerun's) is recalled from here instead of being fetched again (``recall``).

The file is the user's: a row that does not make a story (a date that is not one, a body
stored as a blob) is skipped with a warning, and every SQLite failure (a full disk, a
damaged file) is one ``OutputError`` line.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from spacecast.errors import OutputError
from spacecast.text.article import Article

STATE_FILE = "spacecast.db"
# The ``left_out`` column: read, left out to fit the length, beyond max_stories, or not
# spoken (the engine failed on it).
READ, LEFT_OUT, DROPPED, FAILED = 0, 1, 2, 3
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
    first_seen  TEXT,
    guid        TEXT,
    outlet      TEXT
);
CREATE INDEX IF NOT EXISTS stories_url ON stories (url);
CREATE INDEX IF NOT EXISTS stories_episode ON stories (episode);
"""
_COLUMNS = "source, title, body, url, published, guid, outlet"
# What was read stays in the memory of events for this many days (an event read within them
# is not read again; one that develops it is read as an update), and at most this many of
# the most recent stories read take part.
MEMORY_DAYS = 7
MEMORY_STORIES = 500


def fingerprint(article: Article) -> str:
    """A fingerprint of the story's words (case, punctuation and layout ignored)."""
    words = re.findall(r"\w+", article.text.lower())[:FINGERPRINT_WORDS]
    if not words:  # a stub known only by its URL and title
        words = re.findall(r"\w+", f"{article.url or article.source} {article.title}".lower())
    return hashlib.sha256(" ".join(words).encode()).hexdigest()[:32]


class StoryStore:
    """The memory of a show's output folder. Use as a context manager.

    ``warn`` hears about rows that cannot be used (each is skipped). ``read_only``: work on a
    copy in memory (an empty one when there is no file), so nothing is written."""

    def __init__(
        self,
        folder: Path,
        warn: Callable[[str], None] = lambda message: None,
        *,
        read_only: bool = False,
    ) -> None:
        self.path = folder / STATE_FILE
        self.warn = warn
        try:
            if read_only:
                self._db = sqlite3.connect(":memory:")
                if self.path.is_file():
                    with contextlib.closing(
                        sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
                    ) as stored:
                        stored.backup(self._db)
            else:
                self._db = sqlite3.connect(self.path, timeout=30)
            self._db.executescript(_SCHEMA)
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(stories)")}
            if "left_out" not in columns:  # a store from before stories were left out
                self._db.execute(
                    "ALTER TABLE stories ADD COLUMN left_out INTEGER NOT NULL DEFAULT 0"
                )
            if "first_seen" not in columns:  # NULL: the episode's date stands in
                self._db.execute("ALTER TABLE stories ADD COLUMN first_seen TEXT")
            if "guid" not in columns:
                self._db.execute("ALTER TABLE stories ADD COLUMN guid TEXT")
            if "outlet" not in columns:  # a store from before events: outlets by link
                self._db.execute("ALTER TABLE stories ADD COLUMN outlet TEXT")
        except sqlite3.Error as exc:
            raise OutputError(
                f"{self.path}: cannot open the story memory ({exc}): move the file away to "
                "start a new one (stories read before may then be read again)"
            ) from None

    def __enter__(self) -> StoryStore:
        return self

    def __exit__(self, *_: object) -> None:
        self._db.close()

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:  # a full disk, a damaged file, a locked one
            raise OutputError(
                f"{self.path}: the story memory failed ({exc}): free some space, or move the "
                "file away to start a new memory"
            ) from None

    def is_new(self, article: Article, date: dt.date) -> bool:
        """True when no episode but ``date``'s has read this story (by URL, feed guid or
        text), and it is not one the engine failed to speak."""
        with self._errors():
            row = self._db.execute(
                "SELECT 1 FROM stories WHERE ((episode != ? AND left_out = ?) OR left_out = ?) "
                "AND (fingerprint = ? OR url = ? OR guid = ?) LIMIT 1",
                (
                    date.isoformat(),
                    READ,
                    FAILED,
                    fingerprint(article),
                    article.url or "\0",
                    article.guid or "\0",
                ),
            ).fetchone()
        return row is None

    def recall(self, article: Article, date: dt.date) -> Article | None:
        """The remembered story behind ``article`` (a feed entry known by its URL or guid):
        one left out of an episode, or read into ``date``'s, with its text; else ``None``."""
        if not article.url and not article.guid:
            return None
        with self._errors():
            rows = self._db.execute(
                f"SELECT {_COLUMNS} FROM stories WHERE (url = ? OR guid = ?) "
                "AND (left_out IN (?, ?) OR (episode = ? AND left_out = ?)) "
                "ORDER BY episode DESC, position",
                (
                    article.url or "\0",
                    article.guid or "\0",
                    LEFT_OUT,
                    DROPPED,
                    date.isoformat(),
                    READ,
                ),
            ).fetchall()
        return next(filter(None, map(self._article, rows)), None)

    def first_seen(self, article: Article, date: dt.date) -> dt.date:
        """The date of the episode this story was first gathered for: an earlier one when
        it was left out before, else ``date``."""
        with self._errors():
            rows = self._db.execute(
                "SELECT first_seen, episode FROM stories WHERE fingerprint = ? OR url = ?",
                (fingerprint(article), article.url or "\0"),
            ).fetchall()
        # A first_seen that is not a date (the file was edited): the episode's stands in.
        seen = [day for row in rows if (day := _date(row[0]) or _date(row[1])) is not None]
        return min([*seen, date])

    def stories_of(self, date: dt.date, *, dropped: bool = True) -> list[Article]:
        """The stories already read into ``date``'s episode, or left out of it, in order
        (``dropped=False``: without those left out beyond ``max_stories``)."""
        with self._errors():
            rows = self._db.execute(
                f"SELECT {_COLUMNS} FROM stories WHERE episode = ? AND left_out <= ? "
                "ORDER BY position",
                (date.isoformat(), DROPPED if dropped else LEFT_OUT),
            ).fetchall()
        return [article for article in map(self._article, rows) if article is not None]

    def read_before(
        self, date: dt.date, days: int = MEMORY_DAYS, most: int = MEMORY_STORIES
    ) -> list[tuple[Article, dt.date]]:
        """The stories read into the episodes of the ``days`` days before ``date`` (the
        ``most`` most recent), each with its episode's date: the memory of events."""
        since = (date - dt.timedelta(days=days)).isoformat()
        with self._errors():
            rows = self._db.execute(
                f"SELECT {_COLUMNS}, episode FROM stories WHERE left_out = ? "
                "AND episode >= ? AND episode < ? ORDER BY episode DESC, position LIMIT ?",
                (READ, since, date.isoformat(), most),
            ).fetchall()
        read = []
        for row in rows:
            article, day = self._article(row[:-1]), _date(row[-1])
            if article is not None and day is not None:
                read.append((article, day))
        return read

    def _article(self, row: tuple) -> Article | None:
        """A stored row as an article; ``None`` (warned) for a row that cannot be one."""
        source, title, body, url, published, guid, outlet = row
        if isinstance(body, bytes):
            try:
                body = body.decode("utf-8")
            except UnicodeDecodeError:
                body = None
        shown = _shown(title, url, source)
        if not isinstance(body, str) or not body.strip() or not isinstance(source, str):
            self.warn(f"{self.path}: a stored story ({shown}) has no text that can be read: "
                      "skipped")  # fmt: skip
            return None
        date = _date(published)
        if published is not None and date is None:
            self.warn(f"{self.path}: a stored story ({shown}) has a publication date that "
                      f"is not one ({str(published)[:40]!r}): read without it")  # fmt: skip
        return Article(
            source=source,
            title=title if isinstance(title, str) else "",
            paragraphs=tuple(p for p in body.split("\n\n") if p.strip()),
            url=url if isinstance(url, str) else None,
            date=date,
            guid=guid if isinstance(guid, str) else None,
            outlet=outlet if isinstance(outlet, str) else "",
        )

    def remember(
        self,
        articles: Sequence[Article],
        date: dt.date,
        left_out: Sequence[Article] = (),
        dropped: Sequence[Article] = (),
        failed: Sequence[Article] = (),
    ) -> None:
        """Record that ``articles`` are ``date``'s episode, ``left_out`` were left out of it
        to fit the length, ``dropped`` beyond ``max_stories`` and ``failed`` could not be
        spoken (replacing what it had)."""
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        everything = [(a, READ) for a in articles]
        everything += [(a, LEFT_OUT) for a in left_out] + [(a, DROPPED) for a in dropped]
        everything += [(a, FAILED) for a in failed]
        with self._errors(), self._db:  # one transaction: all of the day's stories, or none
            first_seen = [self.first_seen(a, date).isoformat() for a, _ in everything]
            # Failed stories stay failed: a rerun that no longer gathers them keeps them.
            self._db.execute(
                "DELETE FROM stories WHERE episode = ? AND left_out != ?",
                (date.isoformat(), FAILED),
            )
            self._db.executemany(
                "INSERT OR REPLACE INTO stories (fingerprint, url, title, source, published,"
                " body, episode, position, read_at, left_out, first_seen, guid, outlet)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                        a.guid,
                        a.outlet or None,
                    )
                    for position, ((a, kind), seen) in enumerate(
                        zip(everything, first_seen, strict=True)
                    )
                ],
            )

    def remember_failed(self, articles: Sequence[Article], date: dt.date) -> None:
        """Record stories the engine could not speak, keeping what ``date`` has (for a run
        that made no episode)."""
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self._errors(), self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO stories (fingerprint, url, title, source, published,"
                " body, episode, position, read_at, left_out, first_seen, guid, outlet)"
                " VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (fingerprint(a), a.url, a.title, a.source, a.text, date.isoformat(),
                     10_000 + i, now, FAILED, date.isoformat(), a.guid, a.outlet or None)
                    for i, a in enumerate(articles)
                ],
            )  # fmt: skip

    def episodes(self) -> list[str]:
        with self._errors():
            rows = self._db.execute("SELECT DISTINCT episode FROM stories ORDER BY 1")
            return [r[0] for r in rows]


def _date(value: object) -> dt.date | None:
    """A stored ``YYYY-MM-DD`` as a date; ``None`` for anything else."""
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _shown(title: object, url: object, source: object) -> str:
    for value in (title, url, source):
        if isinstance(value, str) and value.strip():
            return value[:80]
    return "untitled"


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
