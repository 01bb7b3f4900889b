"""Reading news articles from plain text, Markdown and HTML files (or stdin).

``load_articles`` takes what the user named on the command line: files, folders and ``-``
for stdin. A folder contributes its ``.txt``, ``.md``, ``.markdown``, ``.html`` and ``.htm``
files (extension case does not matter), sorted by name; only the folder itself is read, not
its sub-folders, and hidden files (names starting with ``.``) are ignored, as are files with
other extensions. A file named directly is read whatever its extension: an unknown one is
sniffed like stdin. The same file named twice is read once.

A path that does not exist is a fatal typo, and so is a file named directly (or stdin)
that is not an article at all: a PDF, an image, audio, an archive or another binary file,
recognised by its first bytes (a text-only PDF has no NUL byte to give it away). The same
file met inside a folder is warned about and skipped. A file that could be an article but
cannot make a story (empty, an HTML page without article text, a few words only,
unreadable) is reported through ``warn`` and skipped; if nothing usable remains,
``InputError`` says so.

A source that looks like a URL (``https://…``) is read by the ``fetch_url`` the caller
gives (``sources`` fetches pages for spacecast: this module never touches the network).

An article's title is its own headline, or ``""`` when it has none. Its paragraphs are what
a listener should hear: subheads, photo captions and list markers are structure, not prose
(``structure``), and every HTML block, list item and line break ends a sentence.

Bytes are decoded as UTF-8 (a BOM is fine, so is UTF-16 with a BOM), else as Windows-1252,
with Latin-1 for the five bytes Windows-1252 leaves undefined, so decoding never fails.
Everything is stdlib and linear in the size of the input.
"""

from __future__ import annotations

import codecs
import datetime as dt
import html
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import BinaryIO

from .errors import InputError
from .limits import bounded_article
from .models import Article
from .structure import heads_block, lines_as_paragraphs, readable_paragraphs

__all__ = [
    "ACCEPTED",
    "ARTICLE_SUFFIXES",
    "MIN_WORDS",
    "NotAnArticleError",
    "UnusableArticleError",
    "is_url",
    "load_articles",
    "parse_article",
    "read_article",
    "sniff_kind",
    "what_it_is",
]

MIN_WORDS = 5
"""An article needs at least this many words of body text to make a story."""
MAX_ARTICLE_BYTES = 20_000_000
"""A larger article file is skipped: no news story is that long."""

ARTICLE_SUFFIXES: dict[str, str] = {
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
}
"""The extensions picked up from a folder, and the kind of parsing each gets."""

_KINDS = ("txt", "md", "html")
_TITLE_MAX_WORDS = 20  # a first line this long or longer is a sentence, not a headline
_SNIFF_BYTES = 8192


class UnusableArticleError(InputError):
    """A file that exists but cannot make a story; ``load_articles`` warns and skips it."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class NotAnArticleError(UnusableArticleError):
    """A file that is something else altogether (a PDF, an image, audio, a binary file):
    fatal when named directly, skipped with a warning inside a folder."""


ACCEPTED = (
    "spacecast reads text, Markdown and HTML files (.txt, .md, .html), folders of them, "
    "http(s) URLs of web pages, and - for stdin"
)
"""What ``spacecast build`` and ``script`` accept as SOURCES, for error messages."""

# The first bytes of the files people name by mistake, and what to call them. Each pattern
# is specific enough that no text file starts with it (an article may begin "ID3 tags …").
_MAGIC: tuple[tuple[re.Pattern[bytes], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), name)
    for pattern, name in (
        (rb"%PDF-\d", "a PDF document"),
        (rb"PK\x03\x04", "a ZIP archive (a Word, OpenDocument or EPUB file is one)"),
        (rb"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word, Excel or PowerPoint file"),
        (rb"\{\\rtf", "an RTF document"),
        (rb"\x89PNG\r\n\x1a\n", "a PNG image"),
        (rb"\xff\xd8\xff", "a JPEG image"),
        (rb"GIF8[79]a", "a GIF image"),
        (rb"RIFF....WEBP", "a WebP image"),
        (rb"RIFF....WAVE", "a WAV audio file"),
        (rb"ID3[\x02-\x04]\x00", "an MP3 audio file"),
        (rb"\xff[\xfb\xf3\xf2]", "an MP3 audio file"),
        (rb"OggS\x00", "an Ogg audio file"),
        (rb"fLaC\x00", "a FLAC audio file"),
        (rb"\x00...ftyp", "an MP4 audio or video file"),
        (rb"\x1f\x8b\x08", "a gzip archive"),
        (rb"\x7fELF", "a program"),
    )
)


def what_it_is(data: bytes) -> str | None:
    """What ``data`` is when it is plainly not an article (``"a PDF document"``), else
    ``None``."""
    return next((name for magic, name in _MAGIC if magic.match(data, 0, 16)), None)


def _no_warning(message: str) -> None:
    """The default ``warn``: say nothing."""


# ---------------------------------------------------------------------------------------
# The public entry points


_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(source: str) -> bool:
    """Whether a SOURCE names a web address (``https://…``) rather than a file."""
    return bool(_URL.match(source))


def load_articles(
    sources: Sequence[str],
    *,
    stdin: BinaryIO | None = None,
    warn: Callable[[str], None] = _no_warning,
    fetch_url: Callable[[str], Article] | None = None,
) -> list[Article]:
    """Read every article the user named, in order; warn about and skip unusable files.

    ``sources`` are file paths, folders (their article files, sorted by name, not recursive),
    ``-`` for one article read from ``stdin`` (``sys.stdin.buffer`` when not given) and URLs,
    read by ``fetch_url`` (which raises ``InputError`` when the page cannot be read).
    Raises ``InputError`` for a path that does not exist, a file named directly that is not
    an article (a PDF, an image …), or when no usable article remains.
    """
    if not sources:
        raise InputError("no articles given: name .txt, .md or .html files, a folder, or -")
    articles: list[Article] = []
    seen: set[str] = set()

    def take(key: str, read: Callable[[], Article], *, named: bool = False) -> None:
        if key in seen:
            return
        seen.add(key)
        try:
            article = bounded_article(read(), lambda message: warn(f"{key}: {message}"))
            if article is not None:
                articles.append(article)
        except NotAnArticleError as exc:
            if named:
                raise InputError(f"{exc.source}: {exc.reason}: {ACCEPTED}") from None
            warn(f"{exc.source}: skipped: {exc.reason}")
        except UnusableArticleError as exc:
            warn(f"{exc.source}: skipped: {exc.reason}")

    for source in sources:
        if source == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            take("-", lambda stream=stream: _read_stdin(stream), named=True)
            continue
        if is_url(source):
            if fetch_url is None:
                raise InputError(f"{source}: web addresses cannot be read here: {ACCEPTED}")
            take(source, lambda url=source: fetch_url(url))
            continue
        path = Path(source)
        if not path.exists():
            raise InputError(f"{source}: no such file or directory")
        if path.is_dir():
            files = _article_files(path)
            if not files:
                warn(f"{source}: skipped: no .txt, .md or .html files in this folder")
            for file in files:
                take(_identity(file), lambda file=file: read_article(file))
        else:
            take(_identity(path), lambda path=path: read_article(path), named=True)

    if not articles:
        shown = ", ".join(sources[:3])
        if len(sources) > 3:
            shown += f" and {len(sources) - 3} more"
        raise InputError(f"no usable articles in {shown}: add .txt, .md or .html files")
    return articles


def read_article(path: Path) -> Article:
    """Read one article file; its kind comes from the extension, else from its content.

    Raises ``InputError`` if the file is missing or a folder, and ``UnusableArticleError``
    (an ``InputError``) if it cannot make a story.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not an article file")
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_ARTICLE_BYTES + 1)
    except OSError as exc:
        raise UnusableArticleError(str(path), f"cannot be read ({exc.strerror or exc})") from exc
    if len(data) > MAX_ARTICLE_BYTES:
        raise UnusableArticleError(str(path), f"larger than {MAX_ARTICLE_BYTES // 1_000_000} MB")
    kind = ARTICLE_SUFFIXES.get(path.suffix.lower())
    _check_binary(data, str(path))
    if kind is None:
        kind = sniff_kind(_decode(data))
    return parse_article(data, source=str(path), kind=kind)


def parse_article(data: bytes, *, source: str, kind: str) -> Article:
    """Turn the raw bytes of one article into an ``Article``.

    ``kind`` is ``"txt"``, ``"md"`` or ``"html"``; ``source`` names the article in the
    result and in errors. Raises ``UnusableArticleError`` when the bytes cannot make a story.
    The title is the article's own headline, or ``""`` when it has none (see
    ``Article.label``). Subheads and photo captions are not kept as paragraphs
    (``structure.readable_paragraphs``).
    """
    if kind not in _KINDS:
        raise ValueError(f"unknown article kind {kind!r}: expected one of {', '.join(_KINDS)}")
    _check_binary(data, source)
    text = _decode(data, html=kind == "html")
    _check_control_chars(text, source)
    if not clean_text(text):
        raise UnusableArticleError(source, "the file is empty")

    url: str | None = None
    date: dt.date | None = None
    if kind == "txt":
        title, paragraphs = _parse_text(text)
    elif kind == "md":
        title, paragraphs, url, date = _parse_markdown(text)
    else:
        title, paragraphs, url, date = _parse_html(text)
        if not paragraphs:
            raise UnusableArticleError(source, "no article text found in the HTML page")

    words = sum(len(p.split()) for p in paragraphs)
    if words < MIN_WORDS:
        noun = "word" if words == 1 else "words"
        raise UnusableArticleError(source, f"too short to make a story ({words} {noun})")
    return Article(source=source, title=title, paragraphs=tuple(paragraphs), url=url, date=date)


def sniff_kind(text: str) -> str:
    """Guess ``"html"``, ``"md"`` or ``"txt"`` for text that came without a file name."""
    head = text.lstrip("\ufeff \t\r\n")
    sample = head[:65536]
    if head.startswith("<") or _HTML_SNIFF.search(sample):
        return "html"
    if _front_matter_end(head.splitlines()[:200]) is not None or _MD_HEADING_SNIFF.search(sample):
        return "md"
    return "txt"


_HTML_SNIFF = re.compile(r"<(?:!doctype\s+html|html|body|article|p)[\s>]", re.IGNORECASE)
_MD_HEADING_SNIFF = re.compile(r"^ {0,3}#{1,6}[ \t]+\S", re.MULTILINE)


# ---------------------------------------------------------------------------------------
# Files, stdin and bytes


def _article_files(folder: Path) -> list[Path]:
    """The article files directly inside ``folder``, sorted by name, hidden ones left out."""
    try:
        entries = list(folder.iterdir())
    except OSError as exc:
        raise InputError(f"{folder}: cannot list the folder ({exc.strerror or exc})") from exc
    files = [
        p
        for p in entries
        if not p.name.startswith(".") and p.suffix.lower() in ARTICLE_SUFFIXES and p.is_file()
    ]
    return sorted(files, key=lambda p: (p.name.casefold(), p.name))


def _identity(path: Path) -> str:
    """A key that is the same for two spellings of one file."""
    try:
        return str(path.resolve())
    except OSError:  # pragma: no cover - resolve only fails on exotic file systems
        return str(path)


def _read_stdin(stream: BinaryIO) -> Article:
    data = stream.read(MAX_ARTICLE_BYTES + 1)
    if len(data) > MAX_ARTICLE_BYTES:
        raise UnusableArticleError("-", f"larger than {MAX_ARTICLE_BYTES // 1_000_000} MB")
    if isinstance(data, str):  # a text stream slipped in: take its characters as UTF-8
        data = data.encode("utf-8")
    _check_binary(data, "-")
    return parse_article(data, source="-", kind=sniff_kind(_decode(data)))


def _check_binary(data: bytes, source: str) -> None:
    """``NotAnArticleError`` for a PDF, an image, audio, an archive or other binary data."""
    if kind := what_it_is(data):
        raise NotAnArticleError(source, f"{kind}, not an article")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return  # UTF-16 text is full of NUL bytes
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise NotAnArticleError(source, "looks like a binary file, not text")


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _check_control_chars(text: str, source: str) -> None:
    sample = text[:_SNIFF_BYTES]
    controls = len(_CONTROL_CHARS.findall(sample))
    if controls >= 4 and controls > 0.05 * len(sample):
        raise NotAnArticleError(source, "looks like a binary file, not text")


_CP1252_HOLES = re.compile(rb"([\x81\x8d\x8f\x90\x9d])")

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def _decode(data: bytes, *, html: bool = False) -> str:
    """Bytes to text without ever failing: UTF-8 (BOM or not), UTF-16 with a BOM, else
    Windows-1252 with Latin-1 for its holes. An HTML page's declared charset is tried
    before Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if html:
        declared = _META_CHARSET.search(data[:4096])
        if declared:
            try:
                return data.decode(declared.group(1).decode("ascii"))
            except (LookupError, UnicodeDecodeError):
                pass
    # Windows-1252 leaves five bytes undefined; those (and only those) are read as Latin-1.
    parts = _CP1252_HOLES.split(data)
    return "".join(
        part.decode("latin-1" if index % 2 else "cp1252") for index, part in enumerate(parts)
    )


# ---------------------------------------------------------------------------------------
# Text helpers shared by the three formats


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Soft hyphens, zero-width characters and control characters that are not whitespace.
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff\x00-\x08\x0e-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """Whitespace collapsed to single spaces, invisible characters gone, ends stripped."""
    return " ".join(_INVISIBLE.sub("", text).split())


def _looks_like_title(line: str) -> bool:
    """A headline: short, and not ending the way a sentence or a clause does."""
    if not line or len(line.split()) >= _TITLE_MAX_WORDS:
        return False
    end = line.rstrip("\"'”’)]")
    if end.endswith((",", ";", ":")):
        return False
    return not (end.endswith(".") and not end.endswith(".."))


def _split_title(paragraphs: list[list[str]]) -> tuple[str, list[str]]:
    """Title and body paragraphs from paragraphs given as lists of lines.

    The first line is the title if it looks like one, stands on its own (a paragraph of
    its own, or followed by a line that does not carry on its sentence in lower case) and
    something follows it. Otherwise the article has no headline (``""``): none is made up
    from its first sentence, which the listener would then hear twice.
    """
    first = paragraphs[0]
    line = clean_text(first[0])
    rest_of_first = first[1:]
    carries_on = bool(rest_of_first) and rest_of_first[0].lstrip()[:1].islower()
    has_more = bool(rest_of_first) or len(paragraphs) > 1
    if _looks_like_title(line) and has_more and not carries_on:
        body_lines = [rest_of_first, *paragraphs[1:]] if rest_of_first else paragraphs[1:]
        return line, _text_body(body_lines)
    return "", _text_body(paragraphs)


def _text_body(blocks: list[list[str]]) -> list[str]:
    """The readable paragraphs of plain text (or Markdown) given as blocks of lines.

    A block whose first line is a subhead with the paragraph right under it ("The Long
    Night" then "It was after ten when ...") is two blocks, as a blank line would make it;
    list items ("- ...", "* ...", "1. ...") lose their markers and each ends a sentence, as
    in Markdown; a paragraph that starts in lower case after one that ends mid-sentence
    carries that sentence on and is joined to it. Then subheads and captions go
    (``structure.readable_paragraphs``).
    """
    paragraphs: list[str] = []
    for lines in blocks:
        lines = [line for line in lines if line.strip()]
        if not lines:
            continue
        if len(lines) > 1 and heads_block(lines[0], lines[1]):
            paragraphs.append(clean_text(lines[0]))
            lines = lines[1:]
        for part in _split_list(lines):
            text = clean_text(part)
            if text and paragraphs and _carries_on(paragraphs[-1], text):
                paragraphs[-1] = f"{paragraphs[-1]} {text}"
            elif text:
                paragraphs.append(text)
    return readable_paragraphs(paragraphs)


def _split_list(lines: list[str]) -> list[str]:
    """A block's lines as its text: the lines before a list, then the list's items (markers
    off, each ending a sentence) as one paragraph. A number that carries on a line ("the
    end of" / "2025. Ministers ...") is not a list unless it is 1."""
    prose: list[str] = []
    items: list[list[str]] = []
    for line in lines:
        item = _LIST_ITEM.match(line)
        if item and (items or not prose or item.group(1) in (None, "1")):
            items.append([item.group(2)])
        elif items:
            items[-1].append(line)  # a continuation of the item
        else:
            prose.append(line)
    parts = [" ".join(prose)] if prose else []
    if items:
        parts.append(" ".join(_as_sentence(clean_text(" ".join(i))) for i in items))
    return parts


_LOWER_WORD = re.compile(r"[a-z]+\b")


def _carries_on(before: str, text: str) -> bool:
    """Whether ``text`` continues the sentence ``before`` left open ("... the old" / "mill
    closed."): it starts with a lower-case word (not "iPhone") and ``before`` has no end."""
    end = before.rstrip("\"'”’)]")[-1:]
    return bool(_LOWER_WORD.match(text)) and (end.isalnum() or end in ",;-–—")


# ---------------------------------------------------------------------------------------
# Plain text

_RULE_LINE = re.compile(r"^\s*([-=_*~#+])\1{2,}\s*$")


def _parse_text(text: str) -> tuple[str, list[str]]:
    """Paragraphs split on blank lines; hard-wrapped lines joined with spaces."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.splitlines():
        if not line.strip() or _RULE_LINE.match(line):
            if current:
                blocks.append(current)
                current = []
        else:
            current.append(line)
    if current:
        blocks.append(current)
    if not blocks:
        return "", []
    return _split_title(blocks)


# ---------------------------------------------------------------------------------------
# Markdown

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-{2,})[ \t]*$")
_HORIZONTAL_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_QUOTE_MARKER = re.compile(r"^ {0,3}>[ \t]?")
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+•]|(\d{1,9})[.)])[ \t]+(.*)$")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*\S+")
_TABLE_DIVIDER = re.compile(
    r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$"
)
_TABLE_ROW = re.compile(r"^[ \t]*\|(.*)\|[ \t]*$")

_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_ESCAPE_SENTINEL = re.compile("[\ue000-\ue07f]")
# Bracketed text stops at the next bracket, so an unclosed "[" cannot make a scan quadratic.
_IMAGE = re.compile(r"!\[[^\[\]]*\](?:\((?:[^()\n]|\([^()\n]*\))*\)|\[[^\[\]\n]*\])")
_INLINE_LINK = re.compile(r"\[([^\[\]]*)\]\((?:[^()\n]|\([^()\n]*\))*\)")
_FOOTNOTE_REF = re.compile(r"\[\^[^\[\]\n]+\]")
_REFERENCE_LINK = re.compile(r"\[([^\[\]]+)\]\[[^\[\]\n]*\]")
_AUTOLINK = re.compile(r"<(?:mailto:)?([^<>\s]+(?:://|@)[^<>\s]+)>")
_INLINE_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_CODE_SPAN = re.compile(r"`+([^`]*?)`+")
_STRONG_STARS = re.compile(r"\*\*([^\s*](?:[^*]*?[^\s*])?)\*\*")
_STRONG_UNDERSCORES = re.compile(r"(?<!\w)__([^\s_](?:[^_]*?[^\s_])?)__(?!\w)")
_EM_STAR = re.compile(r"\*([^\s*](?:[^*]*?[^\s*])?)\*")
_EM_UNDERSCORE = re.compile(r"(?<!\w)_([^\s_](?:[^_]*?[^\s_])?)_(?!\w)")
_STRIKE = re.compile(r"~~([^\s~](?:[^~]*?[^\s~])?)~~")
_FRONT_MATTER_LINE = re.compile(r"^([A-Za-z][\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*$")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _strip_inline_markdown(text: str) -> str:
    """Markdown inline syntax out, the words in: links keep their text, images go.

    Line breaks survive (each line is cleaned on its own), so a paragraph can be stripped
    as a whole, with links and emphasis that wrap across lines, and still be split into
    its lines afterwards.
    """
    escaped = "\\" in text
    if escaped:  # \* and friends stand for themselves: hide them from the rules below
        text = _ESCAPED.sub(lambda m: chr(0xE000 + ord(m.group(1))), text)
    if "[" in text:
        text = _IMAGE.sub("", text)
        text = _INLINE_LINK.sub(r"\1", text)
        text = _FOOTNOTE_REF.sub("", text)
        text = _REFERENCE_LINK.sub(r"\1", text)
    if "<" in text:
        text = _AUTOLINK.sub(r"\1", text)
        text = _INLINE_TAG.sub("", text)
    if "`" in text:
        text = _CODE_SPAN.sub(r"\1", text)
    if "*" in text:
        text = _STRONG_STARS.sub(r"\1", text)
        text = _EM_STAR.sub(r"\1", text)
        text = _STRONG_STARS.sub(r"\1", text)  # bold around an emphasised word
    if "_" in text:
        text = _STRONG_UNDERSCORES.sub(r"\1", text)
        text = _EM_UNDERSCORE.sub(r"\1", text)
    if "~" in text:
        text = _STRIKE.sub(r"\1", text)
    if escaped:
        text = _ESCAPE_SENTINEL.sub(lambda m: chr(ord(m.group()) - 0xE000), text)
    return "\n".join(clean_text(line) for line in html.unescape(text).split("\n"))


def _as_sentence(item: str) -> str:
    """A list item that reads as a sentence: ends in punctuation."""
    if item and item[-1] not in ".!?…:;\"'”’)":
        return item + "."
    return item


def _drop_html_comments(text: str) -> str:
    """``<!-- ... -->`` removed in one linear pass; an unclosed one runs to the end."""
    parts: list[str] = []
    pos = 0
    while True:
        start = text.find("<!--", pos)
        if start < 0:
            parts.append(text[pos:])
            break
        parts.append(text[pos:start])
        end = text.find("-->", start + 4)
        if end < 0:
            break
        pos = end + 3
    return "".join(parts)


def _front_matter_end(lines: list[str]) -> int | None:
    """Index of the closing ``---`` of front matter that opens on the first line."""
    if not lines or lines[0].strip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return index
    return None


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _parse_date(value: str) -> dt.date | None:
    match = _DATE.match(value.strip())
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _parse_front_matter(lines: list[str]) -> dict[str, str]:
    """``key: value`` lines, keys lower-cased, quotes stripped; anything else ignored."""
    fields: dict[str, str] = {}
    for line in lines:
        if line[:1] in (" ", "\t", "#", "-"):
            continue  # nested YAML, comments and list entries are not ours
        match = _FRONT_MATTER_LINE.match(line)
        if match:
            fields.setdefault(match.group(1).lower(), _unquote(match.group(2)))
    return fields


def _parse_markdown(
    text: str,
) -> tuple[str, list[str], str | None, dt.date | None]:
    lines = text.splitlines()
    fields: dict[str, str] = {}
    end = _front_matter_end(lines)
    if end is not None:
        fields = _parse_front_matter(lines[1:end])
        lines = lines[end + 1 :]
    lines = _drop_html_comments("\n".join(lines)).splitlines()

    blocks: list[list[str]] = []  # paragraphs as lines, for the first-line title rule
    headings: list[tuple[int, str, bool]] = []  # level, text, whether body text came first
    paragraph: list[str] = []
    items: list[list[str]] = []
    fence = ""

    def flush() -> None:
        if paragraph:
            blocks.append(_strip_inline_markdown("\n".join(paragraph)).split("\n"))
            paragraph.clear()
        if items:
            sentences = [
                _as_sentence(clean_text(_strip_inline_markdown(" ".join(i)))) for i in items
            ]
            blocks.append([" ".join(s for s in sentences if s)])
            items.clear()

    for raw in lines:
        if fence:
            if raw.strip().startswith(fence):
                fence = ""
            continue
        opening = _FENCE.match(raw)
        if opening:
            flush()
            fence = opening.group(1)[0] * 3
            continue
        line = raw
        while _QUOTE_MARKER.match(line):
            line = _QUOTE_MARKER.sub("", line, count=1)
        if not line.strip():
            flush()
            continue
        heading = _ATX_HEADING.match(line)
        if heading:
            flush()
            headings.append((len(heading.group(1)), heading.group(2) or "", bool(blocks)))
            continue
        underline = _SETEXT_UNDERLINE.match(line)
        if (
            underline
            and len(paragraph) == 1
            and not items
            and len(paragraph[0].split()) < _TITLE_MAX_WORDS
        ):
            level = 1 if underline.group(1)[0] == "=" else 2
            headings.append((level, paragraph.pop(), bool(blocks)))
            continue
        if _HORIZONTAL_RULE.match(line) or (underline and underline.group(1)[0] == "="):
            flush()
            continue
        if _LINK_DEFINITION.match(line) or ("|" in line and _TABLE_DIVIDER.match(line)):
            continue
        row = _TABLE_ROW.match(line)
        if row:
            line = ", ".join(cell.strip() for cell in row.group(1).split("|") if cell.strip())
        item = _LIST_ITEM.match(line)
        if item and paragraph and item.group(1) not in (None, "1"):
            item = None  # "2024. The year..." wrapped onto a new line is not a list
        if item:
            if paragraph:
                flush()
            items.append([item.group(2)])
        elif items:
            items[-1].append(line)  # a continuation of the list item
        else:
            paragraph.append(line)
    flush()

    blocks = [[line for line in block if line] for block in blocks]
    blocks = [block for block in blocks if block]
    title = clean_text(_strip_inline_markdown(fields.get("title", "")))
    if not title:
        # The headline is a # or ## heading above the text, else the first # heading; a ##
        # further down is a subheading, never the title.
        wanted = [t for n, t, late in headings if n <= 2 and not late]
        wanted += [t for n, t, _ in headings if n == 1]
        title = next((t for t in map(clean_text, map(_strip_inline_markdown, wanted)) if t), "")
    if title:
        paragraphs = _text_body(blocks)
    elif blocks:
        title, paragraphs = _split_title(blocks)
    else:
        paragraphs = []

    url = next(
        (
            fields[key]
            for key in ("url", "canonical_url", "link", "source")
            if fields.get(key, "").startswith(("http://", "https://"))
        ),
        None,
    )
    return title, paragraphs, url, _parse_date(fields.get("date", ""))


# ---------------------------------------------------------------------------------------
# HTML

_SKIP_TAGS = _word_set(
    """script style noscript nav header footer aside form figure figcaption button svg
    iframe template select textarea canvas object embed video audio dialog"""
)
_VOID_TAGS = _word_set("area base br col embed hr img input link meta param source track wbr")
_BLOCK_TAGS = _word_set(
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
_BROKEN_TAG_START = re.compile(r"<(?=[^<>]*(?:<|\Z))")


def _parse_html(text: str) -> tuple[str, list[str], str | None, dt.date | None]:
    # Comments go first (an unclosed one runs to the end, as in browsers): html.parser is
    # quadratic on unclosed ones.
    text = _BROKEN_TAG_START.sub("&lt;", _drop_html_comments(text))
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
        date = _parse_date(meta.get(key, ""))
        if date:
            break
    if date is None:
        times = parser.times
        ordered = [v for v, _, a in times if chosen is not None and a == chosen]
        ordered += [v for v, skipped, _ in times if not skipped]
        ordered += [v for v, _, _ in times]
        date = next((d for d in map(_parse_date, ordered) if d), None)
    return title, body, url, date
