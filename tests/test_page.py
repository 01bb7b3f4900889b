"""The listening page: rendering (escaping, chapters, links, empty state) and a real browser."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import serving
from spacecast.audio.ffmpeg import run_ffmpeg
from spacecast.models import Chapter
from spacecast.publish.episode import EpisodeFiles, EpisodeRecord, episode_guid, write_record
from spacecast.publish.notes import clock
from spacecast.publish.page import render_index, write_index

SHOW = "Morning Briefing"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TRANSCRIPT = (
    "Good morning, this is the Morning Briefing.\n\n"
    "The harbour bridge reopened to traffic on Monday & the council said <costs> fell.\n"
)


def files_for(stem: str, cover: str | None = None) -> EpisodeFiles:
    return EpisodeFiles.for_audio(f"{stem}.mp3", cover)


def make_record(
    date: dt.date,
    *,
    title: str | None = None,
    chapters: tuple[Chapter, ...] | None = None,
    duration: float = 12.0,
    audio_bytes: int = 1000,
    stem: str | None = None,
    cover: str | None = None,
    show: str = SHOW,
) -> EpisodeRecord:
    stem = stem or f"spacecast-{date.isoformat()}"
    if chapters is None:
        chapters = (
            Chapter(0.0, 4.0, "Headlines", "intro"),
            Chapter(4.0, 8.0, "Harbour bridge reopens", "story", "https://example.com/bridge"),
            Chapter(8.0, duration, "Orchard harvest doubles", "story", "https://example.com/o"),
        )
    return EpisodeRecord(
        guid=episode_guid(show, date),
        show=show,
        title=title or f"{show}, {date.isoformat()}",
        date=date,
        published=dt.datetime.combine(date, dt.time(6, 0), dt.UTC),
        description=f"{show} for {date.isoformat()}",
        duration=duration,
        audio_bytes=audio_bytes,
        files=files_for(stem, cover),
        chapters=chapters,
        integrated_lufs=-16.0,
        true_peak_dbtp=-1.5,
        stories=tuple(c.title for c in chapters if c.kind == "story"),
    )


class _Collector(HTMLParser):
    """Start tags with their attributes, to check the page's structure."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def find(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def parse(page: str) -> _Collector:
    collector = _Collector()
    collector.feed(page)
    collector.close()
    return collector


# -- rendering -----------------------------------------------------------------------------


def test_titles_and_everything_else_are_escaped():
    evil = '<script>alert("x")</script>'
    chapters = (
        Chapter(0.0, 5.0, f"Chapter {evil}", "story", 'https://example.com/?a=1&b="2"'),
        Chapter(5.0, 9.0, "Bad link", "story", "javascript:alert(1)"),
    )
    record = make_record(dt.date(2026, 11, 26), title=f"Today {evil}", chapters=chapters)
    page = render_index([record], f"Show {evil}")
    assert evil not in page
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert 'href="https://example.com/?a=1&amp;b=&quot;2&quot;"' in page
    assert "javascript:" not in page  # not a web link: not linked
    assert page.count("<script>") == 1  # only the page's own


def test_chapters_are_buttons_with_start_seconds():
    chapters = (
        Chapter(0.0, 4.0, "Headlines", "intro"),
        Chapter(4.0, 61.25, "Harbour", "story", "https://example.com/bridge"),
        Chapter(61.25, 3725.0, "Orchard", "story"),
    )
    page = render_index([make_record(dt.date(2026, 11, 26), chapters=chapters)], SHOW)
    buttons = [a for a in parse(page).find("button") if "data-start" in a]
    assert [b["data-start"] for b in buttons] == ["0", "4", "61.25"]
    assert all(b["type"] == "button" for b in buttons)
    assert all(b["aria-label"] for b in buttons)
    assert "Harbour" in page and "Orchard" in page
    assert "1:01" in page  # the chapter's start time is shown
    sources = [a["href"] for a in parse(page).find("a") if "source" in (a.get("class") or "")]
    assert sources == ["https://example.com/bridge"]


def test_player_links_and_header():
    record = make_record(
        dt.date(2026, 11, 26), stem="brief #1: a?b", cover="cover art.jpg", duration=3725.4
    )
    page = render_index([record], SHOW, feed_file="feed.xml")
    tags = parse(page)
    (audio,) = tags.find("audio")
    assert "controls" in audio and audio["preload"] == "metadata"
    (source,) = tags.find("source")
    assert source["src"] == "brief%20%231%3A%20a%3Fb.mp3"  # relative, quoted
    (track,) = tags.find("track")
    assert track["kind"] == "captions" and track["srclang"] == "en" and "default" in track
    assert track["src"] == "brief%20%231%3A%20a%3Fb.vtt"
    hrefs = {a["href"] for a in tags.find("a")}
    stem = "brief%20%231%3A%20a%3Fb"
    for suffix in (".html", ".chapters.json", ".txt", ".vtt", ".srt", ".mp3"):
        assert stem + suffix in hrefs
    assert "feed.xml" in hrefs
    assert not any(h.startswith(("/", "file:")) for h in hrefs if h)
    (img,) = tags.find("img")
    assert img["src"] == "cover%20art.jpg" and img["alt"]
    (html_tag,) = tags.find("html")
    assert html_tag["lang"] == "en"
    assert "1:02:05" in page and "Thursday 26 November 2026" in page
    (label,) = tags.find("label")
    assert label["for"] == "feed-url"
    ids = [a["id"] for _, a in tags.tags if a.get("id")]
    assert len(ids) == len(set(ids))
    # Offline and self-contained: nothing loaded from elsewhere.
    assert "http://" not in page
    assert not re.search(r'(src|href)="https?://(?!example\.com)', page)


def test_newest_first():
    older = make_record(dt.date(2026, 11, 24), title="Older one")
    newer = make_record(dt.date(2026, 11, 26), title="Newer one")
    page = render_index([older, newer], SHOW)
    assert page.index("Newer one") < page.index("Older one")


def test_empty_state():
    page = render_index([], SHOW)
    assert "No episodes yet" in page
    assert "<audio" not in page
    assert "<h1>Morning Briefing</h1>" in page
    assert page.startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("seconds", "text"), [(0, "0:00"), (59.6, "1:00"), (754, "12:34"), (3725, "1:02:05")]
)
def test_clock(seconds: float, text: str):
    assert clock(seconds) == text


def _write_episode_files(folder: Path, record: EpisodeRecord, audio: bytes | None = None) -> None:
    files = record.files
    (folder / files.audio).write_bytes(audio if audio is not None else b"\0" * record.audio_bytes)
    (folder / files.text).write_text(TRANSCRIPT, encoding="utf-8")
    (folder / files.vtt).write_text(
        "WEBVTT\n\n00:00.000 --> 00:04.000\nGood morning, this is the Morning Briefing.\n",
        encoding="utf-8",
    )
    (folder / files.srt).write_text(
        "1\n00:00:00,000 --> 00:00:04,000\nGood morning.\n", encoding="utf-8"
    )
    (folder / files.chapters).write_text('{"version": "1.2.0", "chapters": []}', encoding="utf-8")
    (folder / files.notes_md).write_text("# Notes\n", encoding="utf-8")
    (folder / files.notes_html).write_text("<p>Notes</p>", encoding="utf-8")
    write_record(folder, record)


def test_write_index_embeds_transcripts_and_is_idempotent(tmp_path: Path):
    record = make_record(dt.date(2026, 11, 26))
    _write_episode_files(tmp_path, record)
    broken = make_record(dt.date(2026, 11, 27), title="Half built")
    write_record(tmp_path, broken)  # no MP3: left out
    path = write_index(tmp_path, SHOW)
    assert path == tmp_path / "index.html"
    page = path.read_text(encoding="utf-8")
    assert "Half built" not in page
    assert "the council said &lt;costs&gt; fell" in page
    assert "Monday &amp; the" in page
    before = path.stat().st_mtime_ns
    write_index(tmp_path, SHOW)
    assert path.read_text(encoding="utf-8") == page
    assert path.stat().st_mtime_ns == before
    assert not list(tmp_path.glob(".*.part"))


def test_transcripts_outside_the_folder_are_not_embedded(tmp_path: Path):
    folder = tmp_path / "briefings"
    folder.mkdir()
    (tmp_path / "secret.txt").write_text("TOP SECRET", encoding="utf-8")
    record = make_record(dt.date(2026, 11, 26))
    record = EpisodeRecord(**{**record.__dict__, "files": files_for("ep")})
    files = EpisodeFiles(**{**record.files.__dict__, "text": "../secret.txt"})
    record = EpisodeRecord(**{**record.__dict__, "files": files})
    page = render_index([record], SHOW, folder=folder)
    assert "TOP SECRET" not in page


# -- a real browser ------------------------------------------------------------------------


def _need(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


@pytest.fixture
def chromium_path() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.access(path, os.X_OK):
        _need("Debian's chromium is not installed: apt-get install -y chromium")
    return path


@pytest.fixture
def served_episode(tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    folder = tmp_path / "briefings"
    folder.mkdir()
    mp3 = folder / "spacecast-2026-11-26.mp3"
    tone = ["-f", "lavfi", "-i", "sine=frequency=440:duration=12", "-ac", "1", "-ar", "44100"]
    run_ffmpeg(
        ["-y", *tone, "-c:a", "libmp3lame", "-b:a", "64k", str(mp3)],
        what="make a test MP3",
    )
    record = make_record(dt.date(2026, 11, 26), audio_bytes=mp3.stat().st_size)
    _write_episode_files(folder, record, audio=mp3.read_bytes())
    write_index(folder, SHOW)
    logs: list[str] = []
    with serving(folder, logs.append) as port:
        yield f"http://127.0.0.1:{port}/", logs


@pytest.mark.slow
def test_page_in_a_real_browser(chromium_path: str, served_episode: tuple[str, list[str]]):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need("the playwright Python package is not installed")
    url, logs = served_episode
    audio_js = "document.querySelector('audio')"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium_path, args=CHROMIUM_ARGS, timeout=15_000
        )
        try:
            page = browser.new_page()
            page.set_default_timeout(8_000)
            problems: list[str] = []
            page.on("pageerror", lambda exc: problems.append(str(exc)))
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.goto(url, wait_until="load")
            assert page.title() == SHOW
            assert page.get_by_role("heading", level=1).inner_text() == SHOW

            page.wait_for_function(
                f"() => {{ const a = {audio_js}; "
                "return a.readyState >= 1 && isFinite(a.duration) && a.duration > 0; }"
            )
            duration = page.evaluate(f"{audio_js}.duration")
            assert abs(duration - 12.0) <= 0.1, duration
            page.evaluate(f"{audio_js}.muted = true")

            # A mouse click on the second chapter seeks to 4 s (and plays if allowed).
            page.get_by_role("button", name=re.compile("Harbour bridge reopens")).click()
            now = page.evaluate(
                f"() => {{ const a = {audio_js}; a.pause(); return a.currentTime; }}"
            )
            assert abs(now - 4.0) <= 0.3, now
            # The keyboard works too: Enter on the third chapter seeks to 8 s.
            page.locator("button.seek").nth(2).focus()
            page.keyboard.press("Enter")
            now = page.evaluate(
                f"() => {{ const a = {audio_js}; a.pause(); return a.currentTime; }}"
            )
            assert abs(now - 8.0) <= 0.3, now

            # The transcript is embedded and opens.
            transcript = page.locator("details.transcript")
            transcript.locator("summary").click()
            assert transcript.evaluate("d => d.open")
            text = transcript.locator(".text").inner_text()
            assert "the council said <costs> fell" in text

            # The captions track loads from the served WebVTT.
            page.wait_for_function(
                f"() => {{ const t = {audio_js}.textTracks[0]; "
                "return t && t.cues && t.cues.length > 0; }"
            )
            assert problems == []
        finally:
            browser.close()
    # The browser fetched the MP3 with byte ranges.
    assert any(".mp3" in line and " 206 " in line for line in logs), logs
