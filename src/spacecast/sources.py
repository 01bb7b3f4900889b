"""Gathering the day's stories from the sources a show names: folders, feeds and web pages.

``gather`` walks the ``SourceSpec``s in order and returns the candidate articles, the
sources that failed (each with a one-line reason) and a per-source count for the summary.
One failing source never stops the others.

* ``folder``: a folder or a glob of article files, read by ``ingest`` (no network at all).
* ``feed``: an RSS or Atom feed; each entry's page is fetched and its main text extracted.
  When a page cannot be read, a long enough summary in the feed itself stands in for it.
* ``url``: one web page, extracted the same way.

Which stories are *new* is the caller's business, through ``is_new``. For web sources it is
asked twice per entry: first with a stub (``paragraphs=()``, ``url`` = the normalised link,
``title`` = the feed entry's title) so a story already known costs no download, then with
the full article, whose canonical URL may reveal a duplicate the link did not. A caller
that judges by content should answer ``True`` for stubs. ``spec.limit`` counts only the
stories ``is_new`` accepted. Within one ``gather`` the same story (by normalised URL, else
by path) is returned once, for the first source that has it.

``fetch`` is the only place that touches the network: ``urllib.request``, http and https
only, an explicit timeout, an honest User-Agent, at most five redirects, gzip handled, and
never more than ``max_bytes`` read or inflated.

Private addresses: the URL a user configures is trusted as written (a feed on the home
network works), but a link found inside a feed, and every redirect hop, may reach a
loopback, link-local, private, multicast, reserved or otherwise non-global address only when
it is the configured URL's own origin (same host and port) or the source's
``allow_private`` names its ``host:port`` (``Reach``). The host is resolved, every address
it resolves to is checked, and the connection is made to the address that was checked, so
a name that resolves differently a moment later (DNS rebinding) changes nothing. Numeric
spellings (``http://2130706433/``, ``0x7f.1``, ``::ffff:127.0.0.1``) resolve to the address
they mean and are judged by it.
"""

from __future__ import annotations

import datetime as dt
import functools
import glob
import http.client
import io
import ipaddress
import os
import re
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from . import ingest
from .config import NetworkSettings, SourceSpec
from .errors import InputError
from .ingest import clean_text
from .limits import bounded_article
from .models import Article
from .structure import lines_as_paragraphs, readable_paragraphs

__all__ = [
    "FEED_ACCEPT",
    "MAX_REDIRECTS",
    "MIN_SUMMARY_WORDS",
    "PAGE_ACCEPT",
    "FetchError",
    "FetchedPage",
    "Gathered",
    "Reach",
    "SourceFailure",
    "fetch",
    "gather",
    "host_port",
    "normalise_url",
    "parse_host_port",
    "private_kind",
    "read_page",
]

FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.1"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9"
MAX_REDIRECTS = 5
BUDGET_SPENT = "not read: the run's time for fetching ([network] budget) ran out"
MIN_SUMMARY_WORDS = 60
"""A feed entry's own text stands in for an unreadable page only if it is this long."""

_CHUNK = 64 * 1024
# The socket timeout bounds each connect and each read, not a server that trickles a byte
# at a time; a whole response may take at most this many timeouts.
_TOTAL_TIME_FACTOR = 4
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_WEB_SCHEMES = frozenset({"http", "https"})
_TRACKING_PARAMS = frozenset({"fbclid", "gclid"})
_TRACKING_PREFIXES = ("utm_", "mc_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_HEAD_SCAN_CHARS = 300_000  # canonical link, title and first <h1> sit near the top


# ---------------------------------------------------------------------------------------
# Results


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


@dataclass(frozen=True)
class FetchedPage:
    """One HTTP response body, complete and within the size cap."""

    url: str
    """The final URL, after redirects."""
    content_type: str
    """The media type, lower case, without parameters; ``""`` when the server sent none."""
    body: bytes
    """Decompressed."""
    charset: str | None


class FetchError(Exception):
    """A source or page that could not be read; ``reason`` is one line for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class OutOfTime(FetchError):
    """The run's time for fetching (``[network] budget``) ran out before this request."""


def _no_warning(message: str) -> None:
    """The default ``warn``: say nothing."""


def _always_new(article: Article) -> bool:
    """The default ``is_new``: every story is new."""
    return True


def _nothing_recalled(article: Article) -> Article | None:
    """The default ``recall``: no story is remembered."""
    return None


# ---------------------------------------------------------------------------------------
# gather


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
        articles.extend(found)
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


# ---------------------------------------------------------------------------------------
# Folders


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


# ---------------------------------------------------------------------------------------
# Feeds


def _gather_feed(spec: SourceSpec, run: _Run) -> list[Article]:
    reach = Reach.of(spec.location, spec.allow_private)
    page = fetch(spec.location, run.network, accept=FEED_ACCEPT, reach=reach, deadline=run.deadline)
    entries = _parse_feed(page)
    found: list[Article] = []
    failed: list[str] = []
    known = fetched = unfetched = 0
    for number, entry in enumerate(entries, 1):
        if _full(found, spec.limit):
            break  # later entries are never fetched
        link = _entry_link(entry, page.url)
        title = clean_text(str(entry.get("title", "") or ""))
        date = _entry_date(entry)
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
            article = _read_page(
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
            fallback = _article_from_entry(entry, source=source, link=link, title=title, date=date)
            if fallback is None:
                run.warn(f"{where}: skipped: {exc.reason}")
                failed.append(exc.reason)
                continue
            run.warn(f"{where}: {exc.reason}; using the feed's own text instead")
            article = fallback
        article = run.bounded(replace(article, guid=guid), where)
        if article is None:
            failed.append("over a limit")
            continue
        if not run.fresh(article):
            known += 1
            continue
        run.keep(article, *([link] if link else []))
        found.append(article)
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


def _parse_feed(page: FetchedPage) -> list[Any]:
    """The entries of a feed, in the feed's order; ``FetchError`` if it is not one."""
    import feedparser  # only web sources pay for the import

    headers = {"content-location": page.url}
    if page.content_type:
        charset = f"; charset={page.charset}" if page.charset else ""
        headers["content-type"] = page.content_type + charset
    # A stream, not bytes: feedparser tries bytes as a file name first.
    parsed = feedparser.parse(io.BytesIO(page.body), response_headers=headers)
    entries = list(parsed.get("entries", []))
    if not entries and (parsed.get("bozo") or not parsed.get("version")):
        if _could_be_feed(page.content_type):
            raise FetchError("not a valid RSS or Atom feed")
        raise FetchError(f"not a feed ({page.content_type})")
    return entries


def _could_be_feed(content_type: str) -> bool:
    """A type a feed (or a page served at a feed's address) plausibly comes as."""
    return not content_type or any(w in content_type for w in ("xml", "rss", "atom", "html"))


def _entry_link(entry: Any, feed_url: str) -> str | None:
    """The entry's absolute http(s) link, or ``None``."""
    link = str(entry.get("link", "") or "").strip()
    if not link:
        return None
    link = urllib.parse.urljoin(feed_url, link)
    return link if _scheme(link) in _WEB_SCHEMES else None


def _entry_date(entry: Any) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed"):
        stamp = entry.get(key)
        if stamp:
            try:
                return dt.date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday)
            except (AttributeError, ValueError):
                continue
    return None


def _article_from_entry(
    entry: Any, *, source: str, link: str | None, title: str, date: dt.date | None
) -> Article | None:
    """The feed entry's own full text or summary as an article, if it is long enough."""
    details: list[Any] = [*entry.get("content", []), entry.get("summary_detail")]
    for detail in details:
        if not detail:
            continue
        value = str(detail.get("value", "") or "")
        is_html = "html" in str(detail.get("type", "text/html"))
        paragraphs = _html_paragraphs(value, source) if is_html else _text_paragraphs(value)
        if _word_count(paragraphs) >= MIN_SUMMARY_WORDS:
            return Article(
                source=source,
                title=title,
                paragraphs=paragraphs,
                url=normalise_url(link) if link else None,
                date=date,
            )
    return None


def _html_paragraphs(fragment: str, source: str) -> tuple[str, ...]:
    """Paragraphs of an HTML fragment from a feed, through ingest's HTML reader."""
    if not re.search(r"<(?:p|li)[\s>]", fragment, re.IGNORECASE):
        fragment = f"<p>{fragment}</p>"  # ingest reads text inside paragraphs only
    page = f"<html><body><article>{fragment}</article></body></html>"
    try:
        return ingest.parse_article(page.encode("utf-8"), source=source, kind="html").paragraphs
    except ingest.UnusableArticleError:
        return ()


def _text_paragraphs(text: str) -> tuple[str, ...]:
    blocks = re.split(r"\n\s*\n", text)
    return tuple(readable_paragraphs([clean_text(block) for block in blocks]))


# ---------------------------------------------------------------------------------------
# Single pages


def _gather_url(spec: SourceSpec, run: _Run) -> list[Article]:
    link = spec.location.strip()
    stub = Article(source=link, title="", paragraphs=(), url=normalise_url(link))
    if not run.fresh(stub):
        return []
    stored = run.recall(stub)
    if stored is not None:
        article: Article | None = stored
    else:
        reach = Reach.of(link, spec.allow_private)
        article = _read_page(link, run.network, reach=reach, deadline=run.deadline)
        article = run.bounded(article, spec.label)
        if article is None:
            raise FetchError("its story is over a limit (see the warning)")
    if not run.fresh(article):
        return []
    run.keep(article, link)
    return [article]


def read_page(url: str, network: NetworkSettings) -> Article:
    """The story of one web page, as a ``url`` source reads it (the same fetch, limits and
    reasons); ``InputError`` naming the URL when it cannot be read. The URL is the user's
    own: its origin is trusted, redirects elsewhere are checked."""
    try:
        return _read_page(url.strip(), network)
    except FetchError as exc:
        raise InputError(f"{url}: {exc.reason}") from None


def _read_page(
    url: str,
    network: NetworkSettings,
    *,
    title: str = "",
    date: dt.date | None = None,
    reach: Reach | None = None,
    deadline: float | None = None,
) -> Article:
    """Fetch an article page and extract its story; ``title``/``date`` win over the page's."""
    page = fetch(url, network, accept=PAGE_ACCEPT, reach=reach, deadline=deadline)
    if page.content_type and page.content_type not in _HTML_TYPES:
        raise FetchError(f"not a web page ({page.content_type})")
    return _article_from_page(page, source=url, title=title, date=date)


def _article_from_page(
    page: FetchedPage, *, source: str, title: str, date: dt.date | None
) -> Article:
    html = _decode_html(page)
    head = _PageHead.scan(html)
    page_title = head.title()
    paragraphs = _drop_title_lines(_trafilatura_paragraphs(html), (title, page_title, head.h1))
    if _word_count(paragraphs) < ingest.MIN_WORDS:
        # trafilatura found nothing it trusts: ingest's reader is simpler and more lenient.
        try:
            fallback = ingest.parse_article(html.encode("utf-8"), source=source, kind="html")
        except ingest.UnusableArticleError as exc:
            raise FetchError("no article text") from exc
        paragraphs = fallback.paragraphs
        page_title = page_title or fallback.title
        date = date or fallback.date
    canonical = head.canonical_url(page.url)
    return Article(
        source=source,
        title=title or page_title,
        paragraphs=paragraphs,
        url=normalise_url(canonical or page.url),
        date=date or head.date(),
    )


def _trafilatura_paragraphs(html: str) -> tuple[str, ...]:
    """The page's main text as paragraphs: trafilatura's extraction, read from its XML so
    the page's structure is known. Headings are structure, not sentences, and go; each
    paragraph, list item and line break ends a sentence; captions and subheads go
    (``structure.readable_paragraphs``)."""
    import trafilatura  # heavy, and only web sources need it

    try:
        document = trafilatura.extract(
            html,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
            output_format="xml",
        )
    except ValueError:  # markup lxml refuses: let ingest's reader try instead
        return ()
    if not document:
        return ()
    try:
        root = ElementTree.fromstring(document)
    except ElementTree.ParseError:  # pragma: no cover - trafilatura writes well-formed XML
        return ()
    blocks: list[tuple[str, bool]] = []
    for main in root.iter("main"):
        _xml_blocks(main, False, blocks)
    return tuple(readable_paragraphs([t for t, _ in blocks], [m for _, m in blocks]))


# trafilatura's XML: these elements hold or make blocks; others (hi, ref, del...) are inline.
_XML_BLOCKS = frozenset({"p", "head", "item", "list", "quote", "table", "row", "cell", "code"})
_XML_LINE_BREAK = "\n"  # every other whitespace is made a space first
_WHITESPACE = re.compile(r"\s+")


def _xml_blocks(element: ElementTree.Element, marked: bool, out: list[tuple[str, bool]]) -> None:
    """Paragraphs of a trafilatura XML element, each with whether it sits in a list item or
    a quotation (never a subhead)."""
    pieces = [_WHITESPACE.sub(" ", element.text or "")]

    def flush() -> None:
        lines = "".join(pieces).split(_XML_LINE_BREAK)
        out.extend((text, marked) for text in lines_as_paragraphs(lines))
        pieces.clear()

    for child in element:
        if child.tag in _XML_BLOCKS:
            flush()
            if child.tag != "head":  # a heading is the page's structure, not a sentence
                _xml_blocks(child, marked or child.tag in ("item", "quote"), out)
        else:
            pieces.append(_xml_inline(child))
        pieces.append(_WHITESPACE.sub(" ", child.tail or ""))
    flush()


def _xml_inline(element: ElementTree.Element) -> str:
    if element.tag == "lb":
        return _XML_LINE_BREAK
    parts = [_WHITESPACE.sub(" ", element.text or "")]
    for child in element:
        parts += [_xml_inline(child), _WHITESPACE.sub(" ", child.tail or "")]
    return "".join(parts)


def _drop_title_lines(paragraphs: tuple[str, ...], titles: Iterable[str]) -> tuple[str, ...]:
    """Without a leading headline line: the title is read out separately."""
    names = {t.casefold() for t in titles if t}
    index = 0
    while index < len(paragraphs) and paragraphs[index].casefold() in names:
        index += 1
    return paragraphs[index:]


_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def _decode_html(page: FetchedPage) -> str:
    """The page as text: the HTTP charset, else UTF-8, else the page's own, else cp1252."""
    if page.charset:
        try:
            return page.body.decode(page.charset, errors="replace")
        except LookupError:
            pass  # an unknown charset name: guess as if none was sent
    try:
        return page.body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(page.body[:4096])
    if declared:
        try:
            return page.body.decode(declared.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass
    return page.body.decode("cp1252", errors="replace")


# A "<" that reaches another "<" (or the end) before any ">" cannot open a tag; html.parser
# rescans from each such "<" to the end, so they are escaped first (as ingest does).
_BROKEN_TAG_START = re.compile(r"<(?=[^<>]*(?:<|\Z))")


class _PageHead(HTMLParser):
    """The canonical link, titles and publication date near the top of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.canonical = ""
        self.meta: dict[str, str] = {}
        self.page_title = ""
        self.h1 = ""
        self._collect: str | None = None  # "title" or "h1" while inside one
        self._parts: list[str] = []

    @classmethod
    def scan(cls, html: str) -> _PageHead:
        parser = cls()
        try:
            parser.feed(_BROKEN_TAG_START.sub("&lt;", html[:_HEAD_SCAN_CHARS]))
            parser.close()
        except AssertionError:  # html.parser's complaint about a broken declaration
            pass  # keep what was found before it
        return parser

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value or "").strip() for name, value in attrs}
        if tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self.canonical = self.canonical or values.get("href", "")
        elif tag == "meta":
            key = (values.get("property") or values.get("name") or "").lower()
            if key and values.get("content") and key not in self.meta:
                self.meta[key] = values["content"]
        elif (tag == "title" and not self.page_title) or (tag == "h1" and not self.h1):
            self._collect, self._parts = tag, []

    def handle_endtag(self, tag: str) -> None:
        if tag == self._collect:
            setattr(
                self,
                "page_title" if tag == "title" else "h1",
                clean_text("".join(self._parts)),
            )
            self._collect = None

    def handle_data(self, data: str) -> None:
        if self._collect:
            self._parts.append(data)

    def title(self) -> str:
        return clean_text(self.meta.get("og:title", "")) or self.h1 or self.page_title

    def canonical_url(self, page_url: str) -> str | None:
        """The page's canonical (or og:url) address, made absolute; http(s) only."""
        for href in (self.canonical, self.meta.get("og:url", "")):
            if href:
                url = urllib.parse.urljoin(page_url, href)
                if _scheme(url) in _WEB_SCHEMES:
                    return url
        return None

    def date(self) -> dt.date | None:
        for key in ("article:published_time", "datepublished", "date", "dc.date"):
            try:
                return dt.date.fromisoformat(self.meta.get(key, "")[:10])
            except ValueError:
                continue
        return None


# ---------------------------------------------------------------------------------------
# Private addresses


def host_port(url: str) -> tuple[str, int] | None:
    """``(host, port)`` of an http(s) URL: the host lower case, IDNA-encoded, without IPv6
    brackets; the port the scheme's default when none is written. ``None`` if it has none."""
    try:
        parts = urllib.parse.urlsplit(_as_uri(url))
        port = parts.port
    except (ValueError, UnicodeError):
        return None
    if not parts.hostname:
        return None
    return parts.hostname.lower(), port or _DEFAULT_PORTS.get(parts.scheme.lower(), 80)


def parse_host_port(entry: str) -> tuple[str, int] | None:
    """An ``allow_private`` entry, ``"host:port"`` (``"[::1]:8080"`` for IPv6), as
    ``(host, port)``; ``None`` when it is not one."""
    entry = entry.strip()
    if not entry or any(c in entry for c in "/?#@ ") or entry.isdigit():
        return None
    found = host_port(f"http://{entry}")
    if found is None or not re.search(r":\d+$", entry):
        return None
    return found


def private_kind(address: str) -> str | None:
    """What makes ``address`` (an IP address) one that is not on the public internet:
    ``loopback``, ``link-local``, ``private``, ``multicast``, ``reserved``, ``unspecified``
    or ``non-global``; ``None`` for a public address. IPv4 inside IPv6 (``::ffff:a.b.c.d``,
    6to4) is judged as the IPv4 address it carries."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # no IPv6 zone
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour
        if inner is not None:
            return private_kind(str(inner))
    for kind, flag in (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        ("non-global", not ip.is_global),
    ):
        if flag:
            return kind
    return None


_Resolved = tuple[tuple[int, tuple[Any, ...]], ...]  # (family, socket address) pairs


def _plain(address: str) -> str:
    """An address as one spelling: IPv4 inside IPv6 (``::ffff:a.b.c.d``) as IPv4."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ip)


def _resolve(host: str, port: int) -> _Resolved:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return tuple(dict.fromkeys((family, sockaddr) for family, _, _, _, sockaddr in infos))


@dataclass(frozen=True)
class Reach:
    """Where a source's fetches may go besides the public internet: its own origin (the
    ``(host, port)`` of the URL the user configured) and what its ``allow_private`` names."""

    trusted: frozenset[tuple[str, int]] = frozenset()

    @classmethod
    def of(cls, url: str, allow_private: Iterable[str] = ()) -> Reach:
        """The reach of a source configured as ``url``."""
        pairs = {host_port(url), *(parse_host_port(entry) for entry in allow_private)}
        return cls(frozenset(pair for pair in pairs if pair is not None))

    def vet(self, url: str) -> _Resolved | None:
        """The addresses ``url`` may be fetched from, all checked, to connect to; ``None``
        when its host is trusted as written. ``FetchError`` when it may not be fetched."""
        target = host_port(url)
        if target is None:
            raise FetchError("invalid URL (no host)")
        if target in self.trusted:
            return None
        host, port = target
        try:
            resolved = _resolve(host, port)
        except (OSError, UnicodeError) as exc:
            raise FetchError("cannot connect (unknown host)") from exc
        if not resolved:
            raise FetchError("cannot connect (unknown host)")
        for _, sockaddr in resolved:
            kind = private_kind(sockaddr[0])
            if kind is not None and not self._same_server(resolved, port):
                shown = f"[{host}]" if ":" in host else host
                where = shown if sockaddr[0] == host else f"{shown} ({sockaddr[0]})"
                raise FetchError(
                    f"refused: {where} is a {kind} address, not the source's own: list "
                    f'"{shown}:{port}" in the source\'s allow_private to fetch it'
                )
        return resolved

    def _same_server(self, resolved: _Resolved, port: int) -> bool:
        """Whether every address is one a trusted host on ``port`` resolves to (the user's
        ``localhost:8080`` feed linking to ``127.0.0.1:8080``)."""
        addresses = {_plain(sockaddr[0]) for _, sockaddr in resolved}
        for host, trusted_port in self.trusted:
            if trusted_port != port:
                continue
            try:
                theirs = {_plain(sockaddr[0]) for _, sockaddr in _resolve(host, port)}
            except (OSError, UnicodeError):
                continue
            if addresses <= theirs:
                return True
        return False


def _pinned_connector(resolved: _Resolved) -> Callable[..., socket.socket]:
    """``socket.create_connection`` that connects to the checked addresses only."""

    def connect(address: tuple[str, int], timeout: Any = None, source: Any = None) -> socket.socket:
        error: OSError | None = None
        for _, sockaddr in resolved:
            try:
                return socket.create_connection((sockaddr[0], address[1]), timeout, source)
            except OSError as exc:
                error = exc
        assert error is not None
        raise error

    return connect


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, resolved: _Resolved | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if resolved is not None:  # the Host header still names the host
            self._create_connection = _pinned_connector(resolved)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, resolved: _Resolved | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if resolved is not None:  # the certificate and SNI are still the host name's
            self._create_connection = _pinned_connector(resolved)


def _vet_request(reach: Reach, request: urllib.request.Request) -> _Resolved | None:
    """Check a request (first or after a redirect) before anything connects; the addresses
    to connect to (``None``: as urllib would, for a trusted host or through a proxy)."""
    try:
        resolved = reach.vet(request.full_url)
    except FetchError as exc:
        if getattr(request, "redirected", False):
            raise FetchError(f"redirected to {request.full_url}: {exc.reason}") from None
        raise
    target = host_port(request.full_url)
    if target is not None and request.host.lower().strip("[]") != target[0]:
        # Through a proxy (from the environment): the target was checked by name; the
        # connection goes to the proxy the user set up.
        return None
    return resolved


class _GuardedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, reach: Reach) -> None:
        super().__init__()
        self.reach = reach

    def http_open(self, req: urllib.request.Request) -> Any:
        resolved = _vet_request(self.reach, req)
        return self.do_open(functools.partial(_PinnedHTTPConnection, resolved=resolved), req)


class _GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, reach: Reach) -> None:
        super().__init__()
        self.reach = reach

    def https_open(self, req: urllib.request.Request) -> Any:
        resolved = _vet_request(self.reach, req)
        return self.do_open(
            functools.partial(_PinnedHTTPSConnection, resolved=resolved),
            req,
            context=self._context,
        )


# ---------------------------------------------------------------------------------------
# Fetching


class _RedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follows at most ``MAX_REDIRECTS`` redirects, and only to http(s) addresses."""

    max_redirections = MAX_REDIRECTS

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        if _scheme(newurl) not in _WEB_SCHEMES:
            fp.close()
            raise FetchError(f"redirected to a non-web address ({_scheme(newurl) or newurl})")
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            new.redirected = True  # type: ignore[attr-defined]  # for the refusal's wording
        return new


def fetch(
    url: str,
    network: NetworkSettings,
    *,
    accept: str,
    reach: Reach | None = None,
    deadline: float | None = None,
) -> FetchedPage:
    """GET ``url`` (http or https only) and return the whole body, decompressed.

    Raises ``FetchError`` with a one-line reason for every way it can fail: a bad scheme, a
    private address ``reach`` does not allow (default: ``url``'s own origin is trusted;
    checked before connecting, and again for each redirect), a timeout
    (``network.timeout`` for connecting and for each read), a refused connection, a non-2xx
    status, too many redirects, a body over ``network.max_bytes``, or ``deadline`` (a
    ``time.monotonic()`` value: the run's time budget) passed.
    """
    if _scheme(url) not in _WEB_SCHEMES:
        shown = f"{_scheme(url)}:" if _scheme(url) else url
        raise FetchError(f"not an http or https URL ({shown})")
    try:
        uri = _as_uri(url)
    except UnicodeError as exc:
        raise FetchError("invalid URL (host name)") from exc
    started = time.monotonic()
    timeout = network.timeout
    if deadline is not None:
        timeout = min(timeout, deadline - started)
        if timeout <= 0:
            raise OutOfTime(BUDGET_SPENT)
    request = urllib.request.Request(
        uri,
        headers={"User-Agent": network.user_agent, "Accept": accept, "Accept-Encoding": "gzip"},
    )
    guard = reach if reach is not None else Reach.of(uri)
    opener = urllib.request.build_opener(
        _RedirectHandler, _GuardedHTTPHandler(guard), _GuardedHTTPSHandler(guard)
    )
    try:
        with opener.open(request, timeout=timeout) as response:
            body = _read_body(response, network, started, deadline)
            raw_type = response.headers.get("Content-Type", "") or ""
            return FetchedPage(
                url=response.geturl(),
                content_type=raw_type.split(";", 1)[0].strip().lower(),
                body=body,
                charset=response.headers.get_content_charset(),
            )
    except FetchError:
        raise
    except urllib.error.HTTPError as exc:
        exc.close()
        raise FetchError(_http_error_reason(exc)) from exc
    except (OSError, ValueError, http.client.HTTPException, zlib.error) as exc:
        raise FetchError(_error_reason(exc, network)) from exc


def _read_body(
    response: Any, network: NetworkSettings, started: float, budget_end: float | None = None
) -> bytes:
    """Stream the body in chunks, never holding more than ``max_bytes`` (+1) of it."""
    cap = network.max_bytes
    too_large = FetchError(f"response larger than {_megabytes(cap)} MB")
    declared = (response.headers.get("Content-Length") or "").strip()
    if declared.isdigit() and int(declared) > cap:
        raise too_large
    encoding = (response.headers.get("Content-Encoding") or "identity").strip().lower()
    if encoding not in ("identity", "gzip", "x-gzip"):
        raise FetchError(f"unsupported content encoding ({encoding})")
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS) if encoding != "identity" else None
    deadline = started + network.timeout * _TOTAL_TIME_FACTOR
    parts: list[bytes] = []
    received = size = 0
    while True:
        chunk = response.read1(min(_CHUNK, cap + 1 - received))
        if not chunk:
            break
        received += len(chunk)
        if inflater is not None:
            # max_length: a small gzip bomb must not inflate past the cap in memory.
            chunk = inflater.decompress(chunk, cap + 1 - size)
        size += len(chunk)
        if received > cap or size > cap:
            raise too_large
        parts.append(chunk)
        if time.monotonic() > deadline:
            raise FetchError(f"timed out after {network.timeout * _TOTAL_TIME_FACTOR:g} s")
        if budget_end is not None and time.monotonic() > budget_end:
            raise OutOfTime(BUDGET_SPENT)
    if inflater is not None:
        tail = inflater.flush()
        size += len(tail)
        if size > cap:
            raise too_large
        parts.append(tail)
        if not inflater.eof:
            raise FetchError("bad gzip data (truncated)")
    return b"".join(parts)


def _http_error_reason(exc: urllib.error.HTTPError) -> str:
    code = exc.code
    if 300 <= code < 400 and code != 304:
        if _scheme(exc.url or "") not in _WEB_SCHEMES:  # urllib refuses file:// itself
            return f"redirected to a non-web address ({_scheme(exc.url or '') or exc.url})"
        if urllib.request.HTTPRedirectHandler.inf_msg in str(exc.msg):
            return f"too many redirects (more than {MAX_REDIRECTS})"
        return f"cannot follow the redirect (HTTP {code})"
    return f"HTTP {code}"


def _error_reason(exc: BaseException, network: NetworkSettings) -> str:
    """One line for a network-level failure (``URLError`` is unwrapped)."""
    if isinstance(exc, urllib.error.URLError):
        inner = exc.reason
        if isinstance(inner, BaseException):
            return _error_reason(inner, network)
        return f"cannot connect ({inner})"
    if isinstance(exc, TimeoutError):  # socket.timeout is TimeoutError since Python 3.10
        return f"timed out after {network.timeout:g} s"
    if isinstance(exc, ConnectionRefusedError):
        return "cannot connect (connection refused)"
    if isinstance(exc, socket.gaierror):
        return "cannot connect (unknown host)"
    if isinstance(exc, ssl.SSLError):
        return f"cannot connect (TLS error: {exc.reason or exc})"
    if isinstance(exc, http.client.InvalidURL):
        return "invalid URL"
    if isinstance(exc, http.client.HTTPException):
        return f"bad HTTP response ({type(exc).__name__})"
    if isinstance(exc, zlib.error):
        return "bad gzip data"
    if isinstance(exc, ValueError):
        return f"invalid URL ({exc})"
    if isinstance(exc, OSError):
        return f"network error ({exc.strerror or type(exc).__name__})"
    return str(exc)  # pragma: no cover - fetch only passes the types above


def _megabytes(count: int) -> str:
    return f"{round(count / 1_000_000, 2):g}"


# ---------------------------------------------------------------------------------------
# URLs and small text helpers


def _as_uri(url: str) -> str:
    """``url`` with a non-ASCII host in IDNA and other non-ASCII characters %-encoded.

    Feeds link to such addresses (``/wiki/Köln``); ``http.client`` only sends ASCII.
    """
    parts = urllib.parse.urlsplit(url.strip())
    netloc = parts.netloc
    if not netloc.isascii():  # an IPv6 literal is ASCII, so the first ":" starts the port
        userinfo, at, hostport = netloc.rpartition("@")
        host, colon, port = hostport.partition(":")
        netloc = userinfo + at + host.encode("idna").decode("ascii") + colon + port
    safe = "/%:@!$&'()*+,;=?#[]~"
    return urllib.parse.urlunsplit(
        (
            parts.scheme,
            netloc,
            urllib.parse.quote(parts.path, safe=safe),
            urllib.parse.quote(parts.query, safe=safe),
            urllib.parse.quote(parts.fragment, safe=safe),
        )
    )


def _scheme(url: str) -> str:
    return urllib.parse.urlsplit(url.strip()).scheme.lower()


def normalise_url(url: str) -> str:
    """The form of ``url`` used to recognise the same story twice.

    Lower-case scheme and host, no fragment, no tracking parameters (``utm_*``, ``mc_*``,
    ``fbclid``, ``gclid``), no default port, no trailing slash on the path (the root stays
    ``/``), the remaining query parameters sorted. Parameters keep their own encoding.
    """
    parts = urllib.parse.urlsplit(url.strip())
    scheme = parts.scheme.lower()
    netloc = parts.netloc
    if parts.hostname is not None:
        host = parts.hostname  # already lower case
        if ":" in host:
            host = f"[{host}]"  # IPv6
        try:
            port = parts.port
        except ValueError:  # a port that is not a number: leave the address alone
            port = None
            host = parts.netloc.rpartition("@")[2].lower()
        if port is not None and port != _DEFAULT_PORTS.get(scheme):
            host = f"{host}:{port}"
        userinfo = parts.netloc.rpartition("@")[0]
        netloc = f"{userinfo}@{host}" if userinfo else host
    path = parts.path
    if netloc and not path:
        path = "/"
    elif len(path) > 1:
        path = path.rstrip("/") or "/"
    query = "&".join(sorted(p for p in parts.query.split("&") if p and not _is_tracking(p)))
    return urllib.parse.urlunsplit((scheme, netloc, path, query, ""))


def _is_tracking(param: str) -> bool:
    name = urllib.parse.unquote_plus(param.split("=", 1)[0]).lower()
    return name in _TRACKING_PARAMS or name.startswith(_TRACKING_PREFIXES)


def _word_count(paragraphs: Iterable[str]) -> int:
    return sum(len(p.split()) for p in paragraphs)
