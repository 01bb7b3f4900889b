"""The podcast feed, read back by two real podcast clients' parsers."""

from __future__ import annotations

import datetime as dt
import email.utils
import io
from pathlib import Path

import feedparser
import podcastparser
import pytest

from spacecast.errors import ConfigError
from spacecast.models import Chapter
from spacecast.publish.episode import EpisodeFiles, EpisodeRecord, episode_guid, write_record
from spacecast.publish.feed import (
    MAX_DESCRIPTION_BYTES,
    Channel,
    check_base_url,
    podcast_guid,
    render_feed,
    write_feed,
)

BASE = "https://pods.example.org/briefings/"
FEED_URL = BASE + "feed.xml"
CET = dt.timezone(dt.timedelta(hours=1))
CHAPTERS = (
    Chapter(start=0.0, end=12.0, title="Intro", kind="intro"),
    Chapter(
        start=12.0,
        end=75.5,
        title="Harbour bridge reopens",
        kind="story",
        url="https://example.com/bridge?a=1&b=2",
    ),
    Chapter(start=75.5, end=130.0, title="New library opens", kind="story"),
    Chapter(start=130.0, end=141.4, title="Outro", kind="outro"),
)


def make_episode(
    folder: Path,
    day: int,
    *,
    published: dt.datetime | None = None,
    title: str | None = None,
    stem: str | None = None,
    audio_bytes: int | None = None,
    size: int = 1000,
    cover: str | None = None,
    description: str | None = None,
) -> EpisodeRecord:
    """Write a fake MP3 of ``size`` bytes and its sidecar into ``folder``."""
    date = dt.date(2026, 11, day)
    stem = stem or f"spacecast-{date.isoformat()}"
    size = size + day  # each day's file has its own size
    (folder / f"{stem}.mp3").write_bytes(b"\xff\xfb\x90\x64" + b"\0" * (size - 4))
    files = EpisodeFiles.for_audio(f"{stem}.mp3", cover)
    record = EpisodeRecord(
        guid=episode_guid("Spacecast", date),
        show="Spacecast",
        title=title or f"Spacecast — {date:%d %B %Y}",
        date=date,
        published=published or dt.datetime(2026, 11, day, 6, 30, 5, tzinfo=CET),
        description=description or f"Spacecast for {date:%d %B}: Harbour bridge; New library.",
        duration=141.4 + day,
        audio_bytes=size if audio_bytes is None else audio_bytes,
        files=files,
        chapters=CHAPTERS,
        integrated_lufs=-16.0,
        true_peak_dbtp=-1.5,
        stories=("Harbour bridge reopens", "New library opens"),
    )
    write_record(folder, record)
    return record


def parse_both(data: bytes, url: str = FEED_URL):
    pp = podcastparser.parse(url, io.BytesIO(data))
    fp = feedparser.parse(data)
    assert fp.bozo == 0, fp.get("bozo_exception")
    return pp, fp


def build(folder: Path, channel: Channel | None = None):
    path = write_feed(folder, channel or Channel(base_url=BASE))
    assert path == folder / "feed.xml"
    return (*parse_both(path.read_bytes()), path)


# --- base URL and podcast:guid ---------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://podnews.net/rss",
        "http://podnews.net/rss",
        "podnews.net/rss",
        "https://podnews.net/rss/",
    ],
)
def test_podcast_guid_matches_the_specification_example(url):
    assert podcast_guid(url) == "9b024349-ccf0-5f69-a609-6b82873eab3c"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://pods.example.org/briefings", BASE),
        (BASE, BASE),
        (" HTTP://127.0.0.1:8000 ", "http://127.0.0.1:8000/"),
        ("https://example.org/n\u00e9ws/", "https://example.org/n%C3%A9ws/"),
        ("https://example.org/a%20b", "https://example.org/a%20b/"),
    ],
)
def test_check_base_url_normalises(url, expected):
    assert check_base_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "",
        "pods.example.org/briefings/",
        "/srv/briefings",
        "ftp://example.org/",
        "https://",
        "https://example.org/?x=1",
        "https://example.org/#top",
        "https://exa mple.org/",
        "http://example.org:99999/",
    ],
)
def test_check_base_url_rejects(url):
    with pytest.raises(ConfigError) as caught:
        check_base_url(url)
    message = str(caught.value)
    assert message.startswith(f"--base-url: {url!r} is not an http(s) URL")
    assert "\n" not in message
    assert caught.value.exit_code == 2


def test_render_feed_checks_the_base_url():
    with pytest.raises(ConfigError, match="--base-url: 'briefings/' is not an http"):
        render_feed([], Channel(base_url="briefings/"))


# --- channel ----------------------------------------------------------------------------


def test_channel_fields(tmp_path):
    make_episode(tmp_path, 25)
    (tmp_path / "cover.jpg").write_bytes(b"\xff\xd8\xff\xe0 cover")
    pp, fp, _ = build(tmp_path)

    assert pp["title"] == "Spacecast"
    assert pp["link"] == BASE
    assert pp["description"] == "The day's news, read aloud by spacecast."
    assert pp["language"] == "en"
    assert pp["cover_url"] == BASE + "cover.jpg"
    assert pp["itunes_categories"] == [["News", "Daily News"]]
    assert pp["explicit"] is False
    assert pp["itunes_author"] == "Spacecast"
    assert pp["itunes_owner"] == {"name": "Spacecast", "email": "spacecast@example.com"}
    assert pp["type"] == "episodic"
    assert pp["import_prohibited"] is False  # podcast:locked no
    assert pp["generator"].startswith("spacecast ")

    feed = fp.feed
    assert feed.title == "Spacecast"
    assert feed.link == BASE
    assert feed.subtitle == "The day's news, read aloud by spacecast."
    assert feed.language == "en"
    assert feed.image.href == BASE + "cover.jpg"
    assert [t.term for t in feed.tags] == ["News", "Daily News"]
    assert feed.author == "Spacecast"
    assert feed.publisher_detail == {"name": "Spacecast", "email": "spacecast@example.com"}
    assert {"href": FEED_URL, "rel": "self", "type": "application/rss+xml"} in feed.links
    # feedparser 6 only understands yes/clean: Apple's true/false come back as None.
    assert feed.itunes_explicit is None
    # feedparser keeps unknown namespaces under their prefix: podcast:guid is readable there.
    assert (
        feed.podcast_guid
        == podcast_guid(FEED_URL)
        == podcast_guid("pods.example.org/briefings/feed.xml")
    )
    assert feed.podcast_locked == "no"
    # lastBuildDate is the newest episode's time, not the time of the run.
    assert email.utils.parsedate_to_datetime(feed.updated) == dt.datetime(
        2026, 11, 25, 6, 30, 5, tzinfo=CET
    )


def test_channel_options(tmp_path):
    make_episode(tmp_path, 25)
    channel = Channel(
        title="Morning Desk",
        description="Headlines.",
        base_url="http://10.0.0.2:8080/casts",
        link="https://example.com/show",
        language="de",
        author="Ada",
        owner_name="Ada L.",
        owner_email="ada@example.com",
        category="Technology",
        subcategory=None,
        explicit=True,
        image="https://cdn.example.com/art.png",
        feed_file="morning.xml",
        guid="917393e3-1b1e-5cef-ace4-edaa54e1f810",
    )
    path = write_feed(tmp_path, channel)
    assert path == tmp_path / "morning.xml"
    pp, fp = parse_both(path.read_bytes(), "http://10.0.0.2:8080/casts/morning.xml")
    assert pp["title"] == "Morning Desk"
    assert pp["link"] == "https://example.com/show"
    assert pp["language"] == "de"
    assert pp["cover_url"] == "https://cdn.example.com/art.png"
    assert pp["itunes_categories"] == [["Technology"]]
    assert pp["explicit"] is True
    assert pp["episodes"][0]["explicit"] is True
    assert pp["itunes_owner"] == {"name": "Ada L.", "email": "ada@example.com"}
    assert pp["episodes"][0]["enclosures"][0]["url"].startswith("http://10.0.0.2:8080/casts/")
    assert fp.feed.podcast_guid == "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    assert {"href": "http://10.0.0.2:8080/casts/morning.xml", "rel": "self"}.items() <= next(
        link for link in fp.feed.links if link.rel == "self"
    ).items()


def test_cover_named_but_missing_is_not_announced(tmp_path):
    make_episode(tmp_path, 25)
    pp, fp, path = build(tmp_path)  # no cover.jpg in the folder
    assert "cover_url" not in pp
    assert "image" not in fp.feed
    assert b"itunes:image" not in path.read_bytes()


def test_long_description_is_cut_to_4000_bytes(tmp_path):
    make_episode(tmp_path, 25, description="Ünïcödé news. " * 400)
    channel = Channel(base_url=BASE, description="Große Nachrichten — " * 300)
    pp, fp, _ = build(tmp_path, channel)
    for text in (pp["description"], pp["episodes"][0]["description"]):
        assert len(text.encode()) <= MAX_DESCRIPTION_BYTES
        assert len(text.encode()) > MAX_DESCRIPTION_BYTES - 40
        assert text.endswith("…")
    assert fp.feed.subtitle == pp["description"]
    assert pp["description"].startswith("Große Nachrichten — Große")


def test_empty_folder_gives_a_valid_feed(tmp_path):
    pp, fp, path = build(tmp_path)
    assert pp["episodes"] == []
    assert fp.entries == []
    assert fp.feed.title == "Spacecast"
    assert b"lastBuildDate" not in path.read_bytes()


# --- items ------------------------------------------------------------------------------


def test_item_fields(tmp_path):
    older = make_episode(tmp_path, 24, cover="cover.jpg")
    newer = make_episode(tmp_path, 25)
    pp, fp, _ = build(tmp_path)

    assert [e["guid"] for e in pp["episodes"]] == [newer.guid, older.guid]
    assert [e.id for e in fp.entries] == [newer.guid, older.guid]

    for record, pe, fe in zip((newer, older), pp["episodes"], fp.entries, strict=True):
        stem = record.stem
        size = (tmp_path / record.files.audio).stat().st_size
        assert size == record.audio_bytes

        # podcastparser (gPodder)
        assert pe["title"] == record.title
        assert pe["description"] == record.description
        assert pe["published"] == int(record.published.timestamp())
        assert pe["enclosures"] == [
            {"url": f"{BASE}{stem}.mp3", "file_size": size, "mime_type": "audio/mpeg"}
        ]
        assert pe["link"] == f"{BASE}{stem}.html"
        assert pe["total_time"] == round(record.duration)
        assert pe["type"] == "full"
        assert pe["explicit"] is False
        # Only the last podcast:transcript survives in both parsers: the VTT one.
        assert pe["transcript_url"] == f"{BASE}{stem}.vtt"
        assert pe["chapters_json_url"] == f"{BASE}{stem}.chapters.json"
        assert "chapters" not in pe  # that key is for Podlove psc:chapters only
        html = pe["description_html"]
        assert "<li>0:12 Harbour bridge reopens" in html
        assert '<a href="https://example.com/bridge?a=1&amp;b=2">source</a>' in html
        assert "<li>1:16 New library opens</li>" in html  # 75.5 s, to the nearest second
        assert "Intro" not in html
        assert f'href="{BASE}{stem}.html"' in html

        # feedparser
        assert fe.title == record.title
        assert fe.summary == record.description
        assert fe.guidislink is False
        assert email.utils.parsedate_to_datetime(fe.published) == record.published
        assert fe.published.endswith("+0100")
        assert [(e.href, e.type, int(e.length)) for e in fe.enclosures] == [
            (f"{BASE}{stem}.mp3", "audio/mpeg", size)
        ]
        assert fe.link == f"{BASE}{stem}.html"
        assert fe.itunes_duration == str(round(record.duration))
        assert fe.itunes_episodetype == "full"
        assert fe.podcast_transcript == {
            "url": f"{BASE}{stem}.vtt",
            "type": "text/vtt",
            "language": "en",
            "rel": "captions",
        }
        assert fe.podcast_chapters == {
            "url": f"{BASE}{stem}.chapters.json",
            "type": "application/json+chapters",
        }
        assert fe.content[0].value == html

    # the episode cover, only where the record has one
    assert pp["episodes"][1]["episode_art_url"] == BASE + "cover.jpg"
    assert fp.entries[1].image.href == BASE + "cover.jpg"
    assert "episode_art_url" not in pp["episodes"][0]


def test_all_transcripts_are_listed(tmp_path):
    record = make_episode(tmp_path, 25)
    data = render_feed([record], Channel(base_url=BASE)).decode()
    stem = record.stem
    assert f'<podcast:transcript url="{BASE}{stem}.txt" type="text/plain" language="en" />' in data
    assert (
        f'<podcast:transcript url="{BASE}{stem}.srt" type="application/x-subrip" '
        'language="en" rel="captions" />' in data
    )
    assert data.index(f"{stem}.srt") < data.index(f'url="{BASE}{stem}.vtt"')


def test_incomplete_episodes_are_left_out(tmp_path):
    kept = make_episode(tmp_path, 23)
    missing = make_episode(tmp_path, 24)
    truncated = make_episode(tmp_path, 25)
    (tmp_path / missing.files.audio).unlink()
    audio = tmp_path / truncated.files.audio
    audio.write_bytes(audio.read_bytes()[:100])
    pp, fp, _ = build(tmp_path)
    assert [e["guid"] for e in pp["episodes"]] == [kept.guid]
    assert [e.id for e in fp.entries] == [kept.guid]
    assert email.utils.parsedate_to_datetime(fp.feed.updated) == kept.published


def test_write_is_idempotent(tmp_path):
    make_episode(tmp_path, 24)
    make_episode(tmp_path, 25)
    first = write_feed(tmp_path, Channel(base_url=BASE)).read_bytes()
    second = write_feed(tmp_path, Channel(base_url=BASE)).read_bytes()
    assert first == second
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_rebuilding_a_day_replaces_its_item(tmp_path):
    make_episode(tmp_path, 24)
    day2 = make_episode(tmp_path, 25)
    pp, _, _ = build(tmp_path)
    assert len(pp["episodes"]) == 2

    later = dt.datetime(2026, 11, 25, 18, 0, 0, tzinfo=CET)
    rebuilt = make_episode(tmp_path, 25, published=later, title="Spacecast — evening edition")
    assert rebuilt.guid == day2.guid
    pp, fp, _ = build(tmp_path)
    assert len(pp["episodes"]) == len(fp.entries) == 2
    assert pp["episodes"][0]["guid"] == day2.guid
    assert pp["episodes"][0]["title"] == "Spacecast — evening edition"
    assert pp["episodes"][0]["published"] == int(later.timestamp())
    assert email.utils.parsedate_to_datetime(fp.entries[0].published) == later
    assert email.utils.parsedate_to_datetime(fp.feed.updated) == later


def test_special_characters_survive(tmp_path):
    title = 'Fish & Chips <cheaper> "again" — Zürich’s café 東京 \u0007bell'
    record = make_episode(
        tmp_path,
        25,
        title=title,
        stem="spacecast 2026-11-25 Zürich&co",
        description="Prices: A < B & C > D, \"quoted\" and 'single'.",
    )
    channel = Channel(
        base_url=BASE, title="Nachrichten & <Neues>", description='Tom\'s "daily" café'
    )
    pp, fp, _ = build(tmp_path, channel)
    clean = title.replace("\u0007", "")  # XML 1.0 cannot carry control characters

    assert pp["title"] == fp.feed.title == "Nachrichten & <Neues>"
    assert pp["description"] == fp.feed.subtitle == 'Tom\'s "daily" café'
    (pe,) = pp["episodes"]
    (fe,) = fp.entries
    assert pe["title"] == clean
    assert fe.title == clean
    assert pe["description"] == fe.summary == record.description
    url = BASE + "spacecast%202026-11-25%20Z%C3%BCrich%26co.mp3"
    assert pe["enclosures"][0]["url"] == fe.enclosures[0].href == url
    assert pe["transcript_url"] == fe.podcast_transcript["url"] == url.replace(".mp3", ".vtt")


def test_render_is_pure_and_keeps_the_given_order(tmp_path):
    a = make_episode(tmp_path, 24)
    b = make_episode(tmp_path, 25)
    data = render_feed([b, a], Channel(base_url=BASE))
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    assert not (tmp_path / "feed.xml").exists()
    pp, _ = parse_both(data)
    assert [e["guid"] for e in pp["episodes"]] == [b.guid, a.guid]
    # a missing file name for the cover is not checked here: render_feed reads no files
    assert pp["cover_url"] == BASE + "cover.jpg"
