"""Gathering the day's stories from the sources a show names: folders, feeds and web pages.

``gather`` walks the ``SourceSpec``s in order and returns the candidate articles, the
sources that failed (each with a one-line reason) and a per-source count for the summary.
One failing source never stops the others.

* ``folder``: a folder or a glob of article files, read by ``ingest`` (no network at all).
* ``feed``: an RSS or Atom feed (``feeds``); each entry's page is fetched and its main text
  extracted (``pages``). When a page cannot be read, a long enough summary in the feed
  itself stands in for it.
* ``url``: one web page, extracted the same way.

Which stories are *new* is the caller's business, through ``is_new``. For web sources it is
asked twice per entry: first with a stub (``paragraphs=()``, ``url`` = the normalised link,
``title`` = the feed entry's title) so a story already known costs no download, then with
the full article, whose canonical URL may reveal a duplicate the link did not. A caller
that judges by content should answer ``True`` for stubs. ``spec.limit`` counts only the
stories ``is_new`` accepted. Within one ``gather`` the same story (by normalised URL, else
by path) is returned once, for the first source that has it.
"""

from __future__ import annotations

import glob
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from spacecast.errors import InputError
from spacecast.sources.feeds import (
    FEED_ACCEPT,
    article_from_entry,
    entry_date,
    entry_link,
    parse_feed,
)
from spacecast.sources.fetch import (
    BUDGET_SPENT,
    FetchError,
    NetworkSettings,
    OutOfTime,
    Reach,
    fetch,
)
from spacecast.sources.pages import fetch_article
from spacecast.sources.urls import normalise_url
from spacecast.text import ingest
from spacecast.text.article import Article, bounded_article
from spacecast.text.plaintext import clean_text

SourceKind = Literal["folder", "feed", "url"]


@dataclass(frozen=True)
class SourceSpec:
    """One place stories come from."""

    kind: SourceKind
    """``folder`` (a folder or glob of articles), ``feed`` (RSS or Atom) or ``url`` (one page)."""
    location: str
    """The folder path or glob (absolute once loaded from a config file), or the URL."""
    name: str = ""
    """A short label for logs and messages; default: the location."""
    limit: int | None = None
    """At most this many stories from this source per episode."""
    allow_private: tuple[str, ...] = ()
    """``host:port`` addresses on a private network (or this machine) that links found in
    this source may lead to, besides the source's own (see ``sources.Reach``)."""
    weight: float = 1.0
    """How much this source's report of an event counts when events are ranked (1: as much
    as any other; see ``text.events``)."""

    @property
    def label(self) -> str:
        return self.name or self.location

    @property
    def outlet(self) -> str:
        """Who its stories are credited to: its name, else its web host, else its folder's
        name."""
        if self.name:
            return self.name
        if self.kind == "folder":
            return Path(self.location.split("*")[0]).name or self.location
        host = urlsplit(self.location).hostname or self.location
        return host.removeprefix("www.")


@dataclass(frozen=True)
class SourceFailure:
    """A source that gave nothing, and why."""

    source: str
    """The ``SourceSpec`` label."""
    reason: str
    """One line, e.g. ``timed out after 15 s``, ``HTTP 404``."""


@dataclass(frozen=True)
class Gathered:
    """What ``gather`` found."""

    articles: tuple[Article, ...]
    """In source order, then each source's own order (a feed's as it lists them)."""
    failures: tuple[SourceFailure, ...]
    per_source: tuple[tuple[str, int], ...]
    """``(label, number of articles)`` for every source, in order, failed ones with 0."""


def _no_warning(message: str) -> None:
    """The default ``warn``: say nothing."""


def _always_new(article: Article) -> bool:
    """The default ``is_new``: every story is new."""
    return True


def _nothing_recalled(article: Article) -> Article | None:
    """The default ``recall``: no story is remembered."""
    return None


@dataclass
class _Run:
    """What every source of one ``gather`` shares."""

    network: NetworkSettings
    warn: Callable[[str], None]
    is_new: Callable[[Article], bool]
    base_dir: Path | None
    recall: Callable[[Article], Article | None] = _nothing_recalled
    note: Callable[[str], None] = _no_warning
    deadline: float | None = None
    """``time.monotonic()`` when the run's fetching must stop (``[network] budget``)."""
    out_of_time: bool = False
    seen: set[str] = field(default_factory=set)

    def fresh(self, article: Article) -> bool:
        """Not taken already in this run, and new to the caller."""
        return _key(article) not in self.seen and self.is_new(article)

    def keep(self, article: Article, *also: str) -> None:
        """Remember a story taken, under its key and any other URL it was reached by."""
        self.seen.add(_key(article))
        self.seen.update(normalise_url(url) for url in also)

    def bounded(self, article: Article, where: str) -> Article | None:
        """The article within the limits a briefing has (``limits``), or ``None`` (warned)."""
        return bounded_article(article, lambda message: self.warn(f"{where}: {message}"))


def gather(
    specs: Sequence[SourceSpec],
    network: NetworkSettings,
    *,
    warn: Callable[[str], None] = _no_warning,
    is_new: Callable[[Article], bool] = _always_new,
    base_dir: Path | None = None,
    recall: Callable[[Article], Article | None] = _nothing_recalled,
    note: Callable[[str], None] = _no_warning,
) -> Gathered:
    """Collect candidate articles from every source, in order.

    ``warn`` hears about skipped files and feed entries; a source that yields nothing it
    could read becomes a ``SourceFailure``. ``is_new`` is asked before each article is
    taken (twice for web stories: a stub, then the full article; see the module doc);
    ``spec.limit`` counts accepted ones only. ``recall`` gives the stored story for a stub
    that is remembered (a story left out before, or a rerun's), which is then used without
    fetching its page. At most ``network.max_pages`` pages are fetched per source, and
    fetching stops for good once ``network.budget`` seconds have passed: the run goes on
    with what it has (``warn`` says so; sources not reached fail with the reason). ``note``
    hears about entries left unfetched for another run. Relative folder locations are
    taken from ``base_dir`` (default: the working folder). Folder sources never touch the
    network.
    """
    run = _Run(
        network=network,
        warn=warn,
        is_new=is_new,
        base_dir=base_dir,
        recall=recall,
        note=note,
        deadline=time.monotonic() + network.budget,
    )
    articles: list[Article] = []
    failures: list[SourceFailure] = []
    per_source: list[tuple[str, int]] = []
    for spec in specs:
        found: list[Article] = []
        try:
            found = _gather_one(spec, run)
        except FetchError as exc:
            failures.append(SourceFailure(spec.label, exc.reason))
        except (OSError, ValueError) as exc:  # e.g. an unreadable folder: still only this source
            failures.append(SourceFailure(spec.label, clean_text(str(exc)) or type(exc).__name__))
        articles.extend(replace(a, outlet=spec.outlet) for a in found)
        per_source.append((spec.label, len(found)))
    if run.out_of_time:
        warn(
            f"fetching stopped after {network.budget:g} s ([network] budget): going on with "
            f"the {len(articles)} {'story' if len(articles) == 1 else 'stories'} gathered so far"
        )
    return Gathered(tuple(articles), tuple(failures), tuple(per_source))


def _gather_one(spec: SourceSpec, run: _Run) -> list[Article]:
    if spec.limit is not None and spec.limit <= 0:
        return []
    if spec.kind == "folder":
        return _gather_folder(spec, run)
    if run.deadline is not None and time.monotonic() >= run.deadline:
        run.out_of_time = True
        raise OutOfTime(BUDGET_SPENT)
    try:
        if spec.kind == "feed":
            return _gather_feed(spec, run)
        if spec.kind == "url":
            return _gather_url(spec, run)
    except FetchError as exc:
        if isinstance(exc, OutOfTime):
            run.out_of_time = True
        raise
    raise FetchError(f"unknown source kind {spec.kind!r}")


def _full(found: list[Article], limit: int | None) -> bool:
    return limit is not None and len(found) >= limit


def _key(article: Article) -> str:
    return normalise_url(article.url) if article.url else article.source


def _gather_folder(spec: SourceSpec, run: _Run) -> list[Article]:
    paths = _folder_paths(spec.location, run.base_dir)
    try:
        loaded = ingest.load_articles(paths, warn=run.warn)
    except InputError as exc:
        # load_articles raises when nothing usable is left; the files were warned about.
        reason = str(exc)
        raise FetchError("no usable articles" if "no usable" in reason else reason) from exc
    found: list[Article] = []
    for article in loaded:
        if _full(found, spec.limit):
            break
        if run.fresh(article):
            run.keep(article)
            found.append(article)
    return found


def _folder_paths(location: str, base_dir: Path | None) -> list[str]:
    """The folder, file or glob matches a folder source names (existing ones only)."""
    expanded = os.path.expanduser(location)
    if base_dir is not None and not os.path.isabs(expanded):
        expanded = os.path.join(base_dir, expanded)
    if glob.escape(expanded) != expanded:  # it has glob characters
        matches = sorted(glob.glob(expanded))
        if not matches:
            raise FetchError("no files match")
        return matches
    if not os.path.exists(expanded):
        raise FetchError("no such folder")
    return [expanded]


def _gather_feed(spec: SourceSpec, run: _Run) -> list[Article]:
    reach = Reach.of(spec.location, spec.allow_private)
    page = fetch(spec.location, run.network, accept=FEED_ACCEPT, reach=reach, deadline=run.deadline)
    entries = parse_feed(page)
    found: list[Article] = []
    failed: list[str] = []
    known = fetched = unfetched = 0
    for number, entry in enumerate(entries, 1):
        if _full(found, spec.limit):
            break  # later entries are never fetched
        link = entry_link(entry, page.url)
        title = clean_text(str(entry.get("title", "") or ""))
        date = entry_date(entry)
        guid = clean_text(str(entry.get("id", "") or ""))[:2000] or None
        where = f"{spec.label}: {link or title[:80] or 'an entry without a link'}"
        if link or guid:
            source = link or str(guid)
            url = normalise_url(link) if link else None
            stub = Article(source, title, paragraphs=(), url=url, date=date, guid=guid)
            if not run.fresh(stub):
                known += 1
                continue
            stored = run.recall(stub)
            if stored is not None:  # remembered with its text: no need to fetch it again
                if run.fresh(stored):
                    run.keep(stored, *([link] if link else []))
                    found.append(stored)
                else:
                    known += 1
                continue
        if link and fetched >= run.network.max_pages:
            unfetched += 1  # a later run fetches it, if it is still new then
            continue
        try:
            if not link:
                raise FetchError("no link to an article page")
            fetched += 1
            article = fetch_article(
                link, run.network, title=title, date=date, reach=reach, deadline=run.deadline
            )
        except FetchError as exc:
            if isinstance(exc, OutOfTime):
                run.out_of_time = True
                if not found:
                    raise
                break
            # A linkless entry still needs a source of its own (it is also its dedupe key).
            source = link or guid or f"{page.url}#entry-{number}"
            fallback = article_from_entry(entry, source=source, link=link, title=title, date=date)
            if fallback is None:
                run.warn(f"{where}: skipped: {exc.reason}")
                failed.append(exc.reason)
                continue
            run.warn(f"{where}: {exc.reason}; using the feed's own text instead")
            article = fallback
        kept = run.bounded(replace(article, guid=guid), where)
        if kept is None:
            failed.append("over a limit")
            continue
        if not run.fresh(kept):
            known += 1
            continue
        run.keep(kept, *([link] if link else []))
        found.append(kept)
    if unfetched:
        noun = "entry" if unfetched == 1 else "entries"
        run.note(
            f"{spec.label}: {unfetched} more new {noun} left for another run "
            f"(at most {run.network.max_pages} pages a run: [network] max_pages)"
        )
    if not found and failed and not known:
        # Nothing at all could be read: the source itself is broken, not one story.
        count = len(failed)
        noun = "entry" if count == 1 else "entries"
        raise FetchError(f"none of its {count} {noun} could be read ({failed[0]})")
    return found


def _gather_url(spec: SourceSpec, run: _Run) -> list[Article]:
    link = spec.location.strip()
    stub = Article(source=link, title="", paragraphs=(), url=normalise_url(link))
    if not run.fresh(stub):
        return []
    stored = run.recall(stub)
    if stored is not None:
        article = stored
    else:
        reach = Reach.of(link, spec.allow_private)
        fetched = fetch_article(link, run.network, reach=reach, deadline=run.deadline)
        bounded = run.bounded(fetched, spec.label)
        if bounded is None:
            raise FetchError("its story is over a limit (see the warning)")
        article = bounded
    if not run.fresh(article):
        return []
    run.keep(article, link)
    return [article]
