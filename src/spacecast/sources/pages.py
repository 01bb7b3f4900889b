"""Article pages: one web page fetched and reduced to its story.

trafilatura finds the main text (read from its XML, so the page's structure is known);
when it finds nothing it trusts, ingest's own HTML reader tries. The page's head gives the
canonical link, the title and the publication date.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from collections.abc import Iterable
from html.parser import HTMLParser
from xml.etree import ElementTree

from spacecast.errors import InputError
from spacecast.sources.fetch import FetchedPage, FetchError, NetworkSettings, Reach, fetch
from spacecast.sources.urls import normalise_url, scheme_of
from spacecast.text import ingest
from spacecast.text.article import Article
from spacecast.text.decode import decode_text
from spacecast.text.html_article import BROKEN_TAG_START
from spacecast.text.plaintext import clean_text
from spacecast.text.structure import lines_as_paragraphs, readable_paragraphs
from spacecast.weburl import WEB_SCHEMES

PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9"

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})

_HEAD_SCAN_CHARS = 300_000  # canonical link, title and first <h1> sit near the top


def read_page(url: str, network: NetworkSettings) -> Article:
    """The story of one web page, as a ``url`` source reads it (the same fetch, limits and
    reasons); ``InputError`` naming the URL when it cannot be read. The URL is the user's
    own: its origin is trusted, redirects elsewhere are checked."""
    try:
        return fetch_article(url.strip(), network)
    except FetchError as exc:
        raise InputError(f"{url}: {exc.reason}") from None


def fetch_article(
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
    html = decode_text(page.body, html=True, declared=page.charset)
    head = _PageHead.scan(html)
    page_title = head.title()
    paragraphs = _drop_title_lines(_trafilatura_paragraphs(html), (title, page_title, head.h1))
    if word_count(paragraphs) < ingest.MIN_WORDS:
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
            parser.feed(BROKEN_TAG_START.sub("&lt;", html[:_HEAD_SCAN_CHARS]))
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
                if scheme_of(url) in WEB_SCHEMES:
                    return url
        return None

    def date(self) -> dt.date | None:
        for key in ("article:published_time", "datepublished", "date", "dc.date"):
            try:
                return dt.date.fromisoformat(self.meta.get(key, "")[:10])
            except ValueError:
                continue
        return None


def word_count(paragraphs: Iterable[str]) -> int:
    return sum(len(p.split()) for p in paragraphs)
