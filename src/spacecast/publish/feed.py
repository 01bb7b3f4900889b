"""The podcast feed: ``feed.xml`` (RSS 2.0 with the iTunes and Podcasting 2.0 tags).

It is built from the episode sidecars alone (:func:`episodes.complete_records`), so it only
ever lists episodes whose MP3 is there at its recorded size, newest first, one item per day.
The same folder always gives the same bytes: ``lastBuildDate`` is the newest episode's
publication time, not the time of the run.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import html
import re
import urllib.parse
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from spacecast import __version__
from spacecast.atomic import write_bytes
from spacecast.errors import ConfigError, OutputError, io_reason
from spacecast.publish.episode import EpisodeRecord, complete_records
from spacecast.publish.notes import notes_html_fragment
from spacecast.weburl import web_url_parts

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
# The spelling gPodder's podcastparser recognises (it ignores https://podcastindex.org/namespace/1.0).
PODCAST_NS = "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
ATOM_NS = "http://www.w3.org/2005/Atom"

# Podcasting 2.0: podcast:guid is the UUIDv5 of the feed URL (no scheme) under this namespace.
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")

MAX_DESCRIPTION_BYTES = 4000
GENERATOR = f"spacecast {__version__}"

# Characters XML 1.0 cannot carry at all, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Safe characters for the path of a base URL: keeps existing %-escapes and sub-delimiters.
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"


@dataclass(frozen=True)
class Channel:
    """The show as the feed describes it."""

    title: str = "Spacecast"
    description: str = "The day's news, read aloud by spacecast."
    base_url: str = "http://127.0.0.1:8000/"
    """Where the briefings folder is served: file links are ``base_url`` + file name."""
    link: str | None = None
    """The show's web page; default ``base_url`` (the listening page is served there)."""
    language: str = "en"
    author: str = "Spacecast"
    owner_name: str = "Spacecast"
    owner_email: str = "spacecast@example.com"
    category: str = "News"
    """Apple Podcasts category, in Apple's exact spelling and casing."""
    subcategory: str | None = "Daily News"
    explicit: bool = False
    image: str | None = "cover.jpg"
    """Cover art: a file name in the folder, or an absolute http(s) URL."""
    feed_file: str = "feed.xml"
    guid: str | None = None
    """``podcast:guid``; default derived from the feed URL. Pin it when the feed moves."""


def base_url_problem(url: object) -> str | None:
    """Why ``url`` cannot be the address the briefings folder is served at, or ``None``."""
    hint = (
        "give the absolute address the briefings folder is served at, "
        "e.g. https://example.com/briefings/"
    )
    text = url.strip() if isinstance(url, str) else ""
    parts = web_url_parts(text)
    if parts is None or _NOT_XML.search(text):
        return f"{url!r} is not an http(s) URL; {hint}"
    if parts.query or parts.fragment or text.endswith(("?", "#")):
        return f"{url!r} is not an http(s) URL without a query or fragment; {hint}"
    return None


def check_base_url(url: str, *, name: str = "--base-url") -> str:
    """``url`` as an absolute http(s) URL ending with ``/``; ConfigError naming ``name``
    otherwise."""
    if problem := base_url_problem(url):
        raise ConfigError(f"{name}: {problem}")
    parts = urllib.parse.urlsplit(url.strip())
    path = urllib.parse.quote(parts.path, safe=_PATH_SAFE)
    if not path.endswith("/"):
        path += "/"
    return urllib.parse.urlunsplit((parts.scheme.lower(), parts.netloc, path, "", ""))


def podcast_guid(feed_url: str) -> str:
    """The Podcasting 2.0 ``podcast:guid`` of a feed: UUIDv5 of its URL without scheme.

    ``podcast_guid("https://podnews.net/rss")`` is ``9b024349-ccf0-5f69-a609-6b82873eab3c``,
    the specification's own example.
    """
    text = feed_url.strip()
    text = re.sub(r"^[A-Za-z][A-Za-z0-9+.-]*://", "", text)
    text = text.rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, text))


def file_url(base_url: str, name: str) -> str:
    """The URL of a file of the folder: ``base_url`` + the URL-quoted file name."""
    return base_url + urllib.parse.quote(name)


def feed_url(channel: Channel) -> str:
    """Where the feed itself is served."""
    return file_url(check_base_url(channel.base_url), channel.feed_file)


def render_feed(records: Sequence[EpisodeRecord], channel: Channel) -> bytes:
    """The RSS 2.0 feed (UTF-8 bytes) listing ``records`` in the order given.

    Pure: reads no files. ``records`` should come from ``complete_records`` (newest first).
    """
    base = check_base_url(channel.base_url)
    self_url = file_url(base, channel.feed_file)
    link = _clean(channel.link) if channel.link else base
    image = _image_url(base, channel.image)

    rss = ET.Element(
        "rss",
        {
            "version": "2.0",
            "xmlns:itunes": ITUNES_NS,
            "xmlns:podcast": PODCAST_NS,
            "xmlns:content": CONTENT_NS,
            "xmlns:atom": ATOM_NS,
        },
    )
    ch = ET.SubElement(rss, "channel")
    _text(ch, "title", channel.title)
    _text(ch, "link", link)
    _text(ch, "description", _truncate(channel.description))
    _text(ch, "language", channel.language)
    if records:
        newest = max(_aware(r.published) for r in records)
        _text(ch, "lastBuildDate", email.utils.format_datetime(newest))
    _text(ch, "generator", GENERATOR)
    ET.SubElement(ch, "atom:link", {"href": self_url, "rel": "self", "type": "application/rss+xml"})
    _text(ch, "itunes:author", channel.author)
    owner = ET.SubElement(ch, "itunes:owner")
    _text(owner, "itunes:name", channel.owner_name)
    _text(owner, "itunes:email", channel.owner_email)
    if image:
        ET.SubElement(ch, "itunes:image", {"href": image})
        picture = ET.SubElement(ch, "image")
        _text(picture, "url", image)
        _text(picture, "title", channel.title)
        _text(picture, "link", link)
    category = ET.SubElement(ch, "itunes:category", {"text": _clean(channel.category)})
    if channel.subcategory:
        ET.SubElement(category, "itunes:category", {"text": _clean(channel.subcategory)})
    _text(ch, "itunes:explicit", _explicit(channel.explicit))
    _text(ch, "itunes:type", "episodic")
    _text(ch, "podcast:guid", channel.guid or podcast_guid(self_url))
    _text(ch, "podcast:locked", "no")

    for record in records:
        _item(ch, record, channel, base)

    ET.indent(rss, space="  ")
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True) + b"\n"


def write_feed(
    folder: Path, channel: Channel, records: Sequence[EpisodeRecord] | None = None
) -> Path:
    """Write ``folder/<feed_file>`` from the complete episodes in ``folder``; return its path.

    ``records`` narrows the episodes (retention drops old ones from the feed before their
    files are deleted). A cover given as a file name is only announced when that file is in
    ``folder``.
    """
    image = channel.image
    if image and not _is_absolute_url(image) and not (folder / image).is_file():
        channel = dataclasses.replace(channel, image=None)
    data = render_feed(complete_records(folder) if records is None else records, channel)
    path = folder / channel.feed_file
    try:
        write_bytes(path, data)
    except OSError as exc:
        raise OutputError(f"cannot write the feed {path}: {io_reason(exc)}") from None
    return path


def _item(parent: ET.Element, record: EpisodeRecord, channel: Channel, base: str) -> None:
    files = record.files
    item = ET.SubElement(parent, "item")
    _text(item, "title", record.title)
    _text(item, "description", _truncate(record.description))
    _text(item, "content:encoded", _show_notes(record, base))
    _text(item, "guid", record.guid, {"isPermaLink": "false"})
    _text(item, "pubDate", email.utils.format_datetime(_aware(record.published)))
    ET.SubElement(
        item,
        "enclosure",
        {
            "url": file_url(base, files.audio),
            "length": str(record.audio_bytes),
            "type": "audio/mpeg",
        },
    )
    _text(item, "link", file_url(base, files.notes_html))
    _text(item, "itunes:title", record.title)
    _text(item, "itunes:duration", str(round(record.duration)))
    _text(item, "itunes:episodeType", "full")
    _text(item, "itunes:explicit", _explicit(channel.explicit))
    if files.cover:
        ET.SubElement(item, "itunes:image", {"href": file_url(base, files.cover)})
    # podcastparser keeps only the last podcast:transcript as ``transcript_url``: the
    # WebVTT one, which players prefer, goes last.
    transcripts = (
        (files.text, "text/plain", None),
        (files.srt, "application/x-subrip", "captions"),
        (files.vtt, "text/vtt", "captions"),
    )
    for name, mime, rel in transcripts:
        attrs = {"url": file_url(base, name), "type": mime, "language": _clean(channel.language)}
        if rel:
            attrs["rel"] = rel
        ET.SubElement(item, "podcast:transcript", attrs)
    ET.SubElement(
        item,
        "podcast:chapters",
        {"url": file_url(base, files.chapters), "type": "application/json+chapters"},
    )


def _show_notes(record: EpisodeRecord, base: str) -> str:
    """The HTML summary: the stories with their start times, and links to the full notes."""
    notes = html.escape(file_url(base, record.files.notes_html))
    transcript = html.escape(file_url(base, record.files.vtt))
    return (
        f"<p>{html.escape(record.title)}</p>"
        f"{notes_html_fragment(record.chapters)}"
        f'<p><a href="{notes}">Show notes</a> · <a href="{transcript}">Transcript</a></p>'
    )


def _text(parent: ET.Element, tag: str, text: str, attrs: dict[str, str] | None = None) -> None:
    ET.SubElement(parent, tag, attrs or {}).text = _clean(text)


def _clean(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry."""
    return _NOT_XML.sub("", text)


def _truncate(text: str, limit: int = MAX_DESCRIPTION_BYTES) -> str:
    """``text`` in at most ``limit`` UTF-8 bytes, cut at a character and marked with …."""
    text = _clean(text)
    if len(text.encode("utf-8")) <= limit:
        return text
    room = limit - len("…".encode())
    cut = text.encode("utf-8")[:room].decode("utf-8", errors="ignore")
    return cut.rstrip() + "…"


def _aware(moment: dt.datetime) -> dt.datetime:
    """A naive time is taken as UTC (sidecars always hold aware ones)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _explicit(value: bool) -> str:
    return "true" if value else "false"


def _is_absolute_url(text: str) -> bool:
    return urllib.parse.urlsplit(text).scheme.lower() in ("http", "https")


def _image_url(base: str, image: str | None) -> str | None:
    if not image:
        return None
    return _clean(image) if _is_absolute_url(image) else file_url(base, image)
