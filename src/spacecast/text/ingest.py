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
(``structure``), and every HTML block, list item and line break ends a sentence. The three
formats are read by ``plaintext``, ``markdown`` and ``html_article``; bytes become text
through ``decode``. Everything is stdlib and linear in the size of the input.
"""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO

from spacecast.errors import InputError
from spacecast.text.article import Article, bounded_article
from spacecast.text.decode import decode_text
from spacecast.text.html_article import parse_html
from spacecast.text.markdown import front_matter_end, parse_markdown
from spacecast.text.plaintext import clean_text, parse_text

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
            take("-", functools.partial(_read_stdin, stream), named=True)
            continue
        if is_url(source):
            if fetch_url is None:
                raise InputError(f"{source}: web addresses cannot be read here: {ACCEPTED}")
            take(source, functools.partial(fetch_url, source))
            continue
        path = Path(source)
        if not path.exists():
            raise InputError(f"{source}: no such file or directory")
        if path.is_dir():
            files = _article_files(path)
            if not files:
                warn(f"{source}: skipped: no .txt, .md or .html files in this folder")
            for file in files:
                take(_identity(file), functools.partial(read_article, file))
        else:
            take(_identity(path), functools.partial(read_article, path), named=True)

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
        kind = sniff_kind(decode_text(data))
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
    text = decode_text(data, html=kind == "html")
    _check_control_chars(text, source)
    if not clean_text(text):
        raise UnusableArticleError(source, "the file is empty")

    url: str | None = None
    date: dt.date | None = None
    if kind == "txt":
        title, paragraphs = parse_text(text)
    elif kind == "md":
        title, paragraphs, url, date = parse_markdown(text)
    else:
        title, paragraphs, url, date = parse_html(text)
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
    if front_matter_end(head.splitlines()[:200]) is not None or _MD_HEADING_SNIFF.search(sample):
        return "md"
    return "txt"


_HTML_SNIFF = re.compile(r"<(?:!doctype\s+html|html|body|article|p)[\s>]", re.IGNORECASE)

_MD_HEADING_SNIFF = re.compile(r"^ {0,3}#{1,6}[ \t]+\S", re.MULTILINE)


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
    return parse_article(data, source="-", kind=sniff_kind(decode_text(data)))


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
