"""RSS and Atom feeds: their entries, each entry's link and date, and its own text.

feedparser reads the feed (imported only when a feed source is configured). An entry's
own full text or summary stands in for its page when the page cannot be read, if it is
long enough to make a story.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import urllib.parse
from typing import Any

from spacecast.sources.fetch import FetchedPage, FetchError
from spacecast.sources.pages import word_count
from spacecast.sources.urls import normalise_url, scheme_of
from spacecast.text import ingest
from spacecast.text.article import Article
from spacecast.text.plaintext import clean_text
from spacecast.text.structure import readable_paragraphs
from spacecast.weburl import WEB_SCHEMES

FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.1"

MIN_SUMMARY_WORDS = 60

"""A feed entry's own text stands in for an unreadable page only if it is this long."""


def parse_feed(page: FetchedPage) -> list[Any]:
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


def entry_link(entry: Any, feed_url: str) -> str | None:
    """The entry's absolute http(s) link, or ``None``."""
    link = str(entry.get("link", "") or "").strip()
    if not link:
        return None
    link = urllib.parse.urljoin(feed_url, link)
    return link if scheme_of(link) in WEB_SCHEMES else None


def entry_date(entry: Any) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed"):
        stamp = entry.get(key)
        if stamp:
            try:
                return dt.date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday)
            except (AttributeError, ValueError):
                continue
    return None


def article_from_entry(
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
        if word_count(paragraphs) >= MIN_SUMMARY_WORDS:
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
