"""HTML articles: the story's paragraphs, headline, link and date from a saved page.

A lenient, linear reader on ``html.parser``: the article (or main) element with most of the
page's words is the story; navigation, asides, scripts and the like are skipped; every
block, list item and line break ends a sentence.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from spacecast.text.plaintext import (
    clean_text,
    drop_html_comments,
    parse_date,
    word_set,
)
from spacecast.text.structure import lines_as_paragraphs, readable_paragraphs

_SKIP_TAGS = word_set(
    """script style noscript nav header footer aside form figure figcaption button svg
    iframe template select textarea canvas object embed video audio dialog"""
)

_VOID_TAGS = word_set("area base br col embed hr img input link meta param source track wbr")

_BLOCK_TAGS = word_set(
    """address article aside blockquote details div dl dd dt fieldset figcaption figure
    footer form h1 h2 h3 h4 h5 h6 header hr main nav ol p pre section table tbody thead
    tfoot tr td th ul li"""
)

_PARAGRAPH_TAGS = frozenset({"p", "li"})

_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})  # structure, never a paragraph

_LINE_BREAK = "\x00"  # a <br> in the text buffer; clean_text removes any NUL of the page's

_P_SCOPE = frozenset({"li", "td", "th", "blockquote", "button"})  # an open <p> above these stays

_LI_SCOPE = frozenset({"ul", "ol", "menu"})

_CONTAINER_TAGS = frozenset({"html", "body", "main", "article"})

_SKIP_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search"})

# Matched in lower-cased class and id values. Short words that hide inside harmless ones
# ("nav" in "canvas", "ad-" in "lead-story", "comment" in "commentary") must start a word.
_BOILERPLATE = re.compile(
    r"share|social|related|newsletter|cookie|promo|advert|byline|caption|footer|subscribe"
    r"|breadcrumb|(?<![a-z])nav|(?<![a-z])ads?(?![a-z])|(?<![a-z])comment(?!ary)"
)

_SITE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ")


@dataclass
class _Open:
    """An element the parser is inside, with what it inherits from the elements around it."""

    tag: str
    skipped: bool
    """Inside boilerplate (this element or one around it)."""
    article: int | None
    """The innermost ``<article>`` it sits in, by order of appearance."""
    main: bool
    """Inside ``<main>`` (or ``role="main"``)."""
    paragraph: str | None
    """The innermost ``p`` or ``li`` it sits in."""
    marked: bool = False
    """Inside a list item or a quotation: markup that says it is not a subhead."""


_NOWHERE = _Open("#document", skipped=False, article=None, main=False, paragraph=None)

_IMPLICIT_CLOSE_DEPTH = 256  # how far up the tree an unclosed <p> or <li> is looked for


@dataclass
class _Block:
    """Text collected from one ``<p>`` or ``<li>``."""

    text: str
    tag: str
    article: int | None
    main: bool
    marked: bool
    """In a list item or a quotation (see ``_Open.marked``)."""


class _ArticleParser(HTMLParser):
    """One pass over the page collecting paragraphs with where they sat, and metadata."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[_Open] = []
        self.open_count: dict[str, int] = {}  # open elements by tag, to skip needless searches
        self.buffer: list[str] = []
        self.blocks: list[_Block] = []
        self.articles = 0
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None
        self.title_parts: list[str] | None = None
        self.page_title = ""
        self.h1_parts: list[str] | None = None
        self.h1_context: tuple[bool, int | None] = (False, None)
        self.h1s: list[tuple[str, bool, int | None]] = []
        self.times: list[tuple[str, bool, int | None]] = []

    # -- where we are

    @property
    def here(self) -> _Open:
        return self.stack[-1] if self.stack else _NOWHERE

    def _flush(self) -> None:
        if not self.buffer:
            return
        raw = "".join(self.buffer)
        self.buffer.clear()
        here = self.here
        if not here.paragraph:
            return
        for text in lines_as_paragraphs([clean_text(p) for p in raw.split(_LINE_BREAK)]):
            self.blocks.append(_Block(text, here.paragraph, here.article, here.main, here.marked))

    def _pop_to(self, index: int) -> None:
        """Close the element at ``index`` and everything opened inside it."""
        while len(self.stack) > index:
            if self.stack[-1].tag in _PARAGRAPH_TAGS:
                self._flush()
            entry = self.stack.pop()
            self.open_count[entry.tag] -= 1
            self._closed(entry.tag)

    def _closed(self, tag: str) -> None:
        if tag == "title" and self.title_parts is not None:
            self.page_title = self.page_title or clean_text("".join(self.title_parts))
            self.title_parts = None
        elif tag == "h1" and self.h1_parts is not None:
            text = clean_text("".join(self.h1_parts))
            if text:
                self.h1s.append((text, *self.h1_context))
            self.h1_parts = None

    def _last_open(
        self, tag: str, stop: frozenset[str] = frozenset(), depth: int | None = None
    ) -> int | None:
        """Index of the innermost open ``tag``, unless a ``stop`` tag or ``depth`` comes first."""
        if not self.open_count.get(tag):
            return None
        lowest = 0 if depth is None else max(0, len(self.stack) - depth)
        for index in range(len(self.stack) - 1, lowest - 1, -1):
            if self.stack[index].tag == tag:
                return index
            if self.stack[index].tag in stop:
                return None
        return None

    # -- HTMLParser callbacks

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value or "") for name, value in attrs}
        if tag == "meta":
            self._meta(values)
            return
        if tag == "link":
            rel = values.get("rel", "").lower().split()
            if "canonical" in rel and self.canonical is None:
                self.canonical = values.get("href", "").strip()
            return
        if tag == "time" and values.get("datetime"):
            self.times.append((values["datetime"], self.here.skipped, self.here.article))
        if tag == "br":
            self.buffer.append(_LINE_BREAK)
        if tag in _VOID_TAGS:
            return

        # What the HTML spec closes implicitly, so sloppy pages still nest sensibly.
        if tag in _BLOCK_TAGS:
            open_p = self._last_open("p", _P_SCOPE, _IMPLICIT_CLOSE_DEPTH)
            if open_p is not None:
                self._pop_to(open_p)
        if tag == "li":
            open_li = self._last_open("li", _LI_SCOPE, _IMPLICIT_CLOSE_DEPTH)
            if open_li is not None:
                self._pop_to(open_li)
        if tag in _BLOCK_TAGS:
            self._flush()

        parent = self.here
        article = parent.article
        if tag == "article":
            article = self.articles
            self.articles += 1
        entry = _Open(
            tag,
            skipped=parent.skipped or self._is_boilerplate(tag, values),
            article=article,
            main=parent.main or tag == "main" or values.get("role", "").lower() == "main",
            paragraph=(
                tag
                if tag in _PARAGRAPH_TAGS
                else None
                if tag in _HEADING_TAGS
                else parent.paragraph
            ),
            marked=parent.marked or tag in ("li", "blockquote"),
        )
        self.stack.append(entry)
        self.open_count[tag] = self.open_count.get(tag, 0) + 1
        if tag == "title" and self.page_title == "" and not entry.skipped:
            self.title_parts = []
        elif tag == "h1" and self.h1_parts is None:
            self.h1_parts = []
            self.h1_context = (entry.skipped, entry.article)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID_TAGS:
            self.handle_starttag(tag, attrs)
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag == "br":  # </br> is treated as <br> by browsers
            self.buffer.append(_LINE_BREAK)
            return
        index = self._last_open(tag)
        if index is not None:
            self._pop_to(index)
        if tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.title_parts is not None:
            self.title_parts.append(data)
        if self.h1_parts is not None:
            self.h1_parts.append(data)
        here = self.here
        if here.paragraph and not here.skipped:
            self.buffer.append(data.replace(_LINE_BREAK, ""))

    def close(self) -> None:
        super().close()
        self._pop_to(0)

    # -- helpers

    def _meta(self, values: dict[str, str]) -> None:
        key = values.get("property") or values.get("name") or values.get("itemprop") or ""
        key = key.strip().lower()
        content = values.get("content", "").strip()
        if key and content and key not in self.meta:
            self.meta[key] = content

    @staticmethod
    def _is_boilerplate(tag: str, values: dict[str, str]) -> bool:
        if tag in _SKIP_TAGS:
            return True
        if "hidden" in values or values.get("aria-hidden", "").lower() == "true":
            return True
        if values.get("role", "").lower() in _SKIP_ROLES:
            return True
        if tag in _CONTAINER_TAGS:
            return False  # a page-wide class such as "has-newsletter" must not drop it all
        names = f"{values.get('class', '')} {values.get('id', '')}".lower()
        return bool(_BOILERPLATE.search(names))


def _strip_site_name(title: str, separators: tuple[str, ...] = _SITE_SEPARATORS) -> str:
    """``"Rocket explodes - BBC News"`` -> ``"Rocket explodes"`` (a short tail only)."""
    for _ in range(2):
        cut = max(title.rfind(separator) for separator in separators)
        if cut <= 0:
            break
        head, tail = title[:cut].strip(), title[cut:].strip(" |-–—:·")
        if len(tail.split()) > 4 or len(head.split()) < 2:
            break
        title = head
    return title


# A "<" that reaches another "<" (or the end) before any ">" cannot open a tag. html.parser
# rescans from each such "<" to the end of the page, so they are escaped before parsing.
BROKEN_TAG_START = re.compile(r"<(?=[^<>]*(?:<|\Z))")


def parse_html(text: str) -> tuple[str, list[str], str | None, dt.date | None]:
    # Comments go first (an unclosed one runs to the end, as in browsers): html.parser is
    # quadratic on unclosed ones.
    text = BROKEN_TAG_START.sub("&lt;", drop_html_comments(text))
    parser = _ArticleParser()
    try:
        parser.feed(text)
        parser.close()
    except Exception:  # html.parser is lenient; a page it still chokes on has no text for us
        return "", [], None, None

    blocks = [b for b in parser.blocks if b.tag == "p" or b.article is not None or b.main]
    page_words = sum(len(b.text.split()) for b in blocks)
    by_article: dict[int, int] = {}
    for block in blocks:
        if block.article is not None:
            by_article[block.article] = by_article.get(block.article, 0) + len(block.text.split())
    chosen: int | None = None
    if by_article:
        best = max(by_article, key=lambda a: by_article[a])
        if by_article[best] >= 0.3 * page_words:  # a lone teaser card is not the story
            chosen = best
    if chosen is not None:
        chosen_blocks = [b for b in blocks if b.article == chosen]
    elif any(b.main for b in blocks):
        chosen_blocks = [b for b in blocks if b.main]
    else:
        chosen_blocks = [b for b in blocks if b.tag == "p"]
    body = readable_paragraphs([b.text for b in chosen_blocks], [b.marked for b in chosen_blocks])

    meta = parser.meta
    title = _strip_site_name(clean_text(meta.get("og:title", "")), (" | ",))
    if not title:
        h1s = parser.h1s
        title = next(
            (t for t, _, article in h1s if chosen is not None and article == chosen),
            next((t for t, skipped, _ in h1s if not skipped), ""),
        )
    if not title and parser.page_title:
        title = _strip_site_name(parser.page_title)
    if not title and parser.h1s:
        title = parser.h1s[0][0]

    url = next(
        (
            u
            for u in (parser.canonical, meta.get("og:url"))
            if u and u.startswith(("http://", "https://"))
        ),
        None,
    )
    date = None
    for key in ("article:published_time", "datepublished", "date", "pubdate", "dc.date"):
        date = parse_date(meta.get(key, ""))
        if date:
            break
    if date is None:
        times = parser.times
        ordered = [v for v, _, a in times if chosen is not None and a == chosen]
        ordered += [v for v, skipped, _ in times if not skipped]
        ordered += [v for v, _, _ in times]
        date = next((d for d in map(parse_date, ordered) if d), None)
    return title, body, url, date
