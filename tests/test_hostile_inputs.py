"""Input that would sink a run: more stories than ID3 chapters can list, a story the engine
cannot speak, numbers and names no show needs, rows in the story memory that are not stories.

Every one ends in a published episode without the bad part (and a warning naming it), or in
one ``Error:`` line and a non-zero exit: never a traceback.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from mutagen.id3 import ID3

from conftest import write_voice
from spacecast.cli import cli
from spacecast.daily.state import StoryStore
from spacecast.publish.cover import draw_cover
from spacecast.text.article import Article

EXE = str(Path(sys.executable).parent / "spacecast")


def invoke(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def one_line_error(result, code: int, text: str) -> None:
    assert result.exit_code == code, result.output
    assert result.stderr == f"Error: {text}\n"


# --- 254 stories: ID3 holds 255 chapters ------------------------------------------------------


def test_254_stories_build_reads_250_and_names_the_rest(tmp_path: Path):
    """254 stories crashed the MP3's tagging (an ID3 table of contents lists at most 255
    chapters). The stories say the same words with no links between them, so the speech is
    made once and the test costs little more than encoding a long episode."""
    voices = tmp_path / "voices"
    write_voice(voices, "anchor", "tone", "low", 450)
    write_voice(voices, "correspondent", "tone", "high", 450)
    config = tmp_path / "spacecast.toml"
    config.write_text('[phrases]\nlinks = []\nlast_link = ""\n', encoding="utf-8")
    news = tmp_path / "news"
    news.mkdir()
    for n in range(254):
        (news / f"{n:03d}.txt").write_text("The hall opened on Monday.\n", encoding="utf-8")
    out = tmp_path / "many.mp3"
    result = invoke(
        "build", news, "-o", out, "--voices-dir", voices, "--minutes", 15, "--no-cache",
        "--config", config,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stderr.endswith(
        "Left out 4 of 254 stories beyond the 250 an episode can hold: "
        '"The hall opened on Monday", "The hall opened on Monday", "The hall opened on '
        'Monday" and 1 more\n'
    )
    (toc,) = ID3(out).getall("CTOC")
    assert len(toc.child_element_ids) == 252  # the intro, 250 stories, the outro
    record = json.loads((tmp_path / "many.episode.json").read_text())
    assert [(s["source"], s["reason"]) for s in record["left_out"]] == [
        (str(news / f"{n}.txt"), "max_stories") for n in range(250, 254)
    ]


def test_a_script_with_more_chapters_than_id3_holds_is_refused_before_speaking(tmp_path):
    script = {
        "title": "Spacecast",
        "date": "2031-03-06",
        "segments": [
            {"kind": "story", "title": f"S{n}", "profile": "correspondent", "text": "Word."}
            for n in range(256)
        ],
    }
    path = tmp_path / "script.json"
    path.write_text(json.dumps(script), encoding="utf-8")
    started = time.monotonic()
    result = invoke("render", path, "-o", tmp_path / "x.mp3", "--no-cache")
    one_line_error(
        result,
        1,
        "the script makes 256 chapters: an MP3's chapter list holds at most 255 (about 250 "
        "stories): split it into two episodes",
    )
    assert time.monotonic() - started < 5


# --- numbers and names no show needs --------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--minutes", "1e308", "--minutes: 1e+308 is too long: give at most 600"),
        ("--minutes", "inf", "--minutes: inf is too long: give at most 600"),
        (
            "--title",
            "Spacecast " * 10_000,
            "--title: 100,000 characters is too long for a show's name: give at most 300",
        ),
    ],
)
def test_out_of_range_options_are_one_line(tmp_path, articles, option, value, message):
    result = invoke("build", articles, "-o", tmp_path / "x.mp3", option, value)
    one_line_error(result, 2, message)


def test_a_hundred_thousand_character_show_title_draws_a_cover_quickly():
    started = time.monotonic()
    image = draw_cover("Spacecast " * 10_000)
    assert time.monotonic() - started < 3  # it took 120 s and 3.3 GB
    assert image.size == (1400, 1400)


def test_deep_nesting_in_the_settings_is_one_line_exit_78(tmp_path: Path):
    config = tmp_path / "spacecast.toml"
    config.write_text("[show]\ntitle = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    done = subprocess.run(
        [EXE, "daily", "--config", str(config)], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout) == (78, "")
    assert done.stderr == (
        f"Error: {config}: arrays or tables nested too deeply for a settings file: fix the TOML\n"
    )


# --- the story memory is a file on disk: its rows may be anything -----------------------------


def test_rows_that_are_not_stories_are_skipped_with_a_warning(tmp_path: Path):
    day = dt.date(2031, 3, 6)
    good = Article("a.txt", "Ferry returns", ("The ferry is back on the water today.",))
    odd = Article("b.txt", "Museum opens", ("The museum opened its doors on Friday.",))
    blob = Article("c.txt", "Market roof", ("The market has a new glass roof at last.",))
    with StoryStore(tmp_path) as store:
        store.remember([good, odd, blob], day)
    db = sqlite3.connect(tmp_path / "spacecast.db")
    with db:
        db.execute("UPDATE stories SET published = 'last Tuesday' WHERE title = 'Museum opens'")
        db.execute(
            "UPDATE stories SET body = ?, first_seen = 'soon' WHERE title = 'Market roof'",
            (b"\xff\xfe\x00binary",),
        )
    db.close()
    warnings: list[str] = []
    with StoryStore(tmp_path, warn=warnings.append) as store:
        stories = store.stories_of(day)
        assert store.first_seen(blob, day + dt.timedelta(days=1)) == day
        assert store.is_new(odd, day)
    assert [a.title for a in stories] == ["Ferry returns", "Museum opens"]
    assert stories[1].date is None
    path = tmp_path / "spacecast.db"
    assert warnings == [
        f"{path}: a stored story (Museum opens) has a publication date that is not one "
        "('last Tuesday'): read without it",
        f"{path}: a stored story (Market roof) has no text that can be read: skipped",
    ]


def test_a_damaged_story_memory_is_one_line(tmp_path: Path, articles: Path, tone_voices: Path):
    (tmp_path / "spacecast.db").write_bytes(b"SQLite format 3\x00" + b"\xde\xad" * 3000)
    config = tmp_path / "spacecast.toml"
    config.write_text(
        f'[briefing]\nvoices_dir = "{tone_voices}"\n[output]\nfolder = "."\n'
        f'[[sources]]\nfolder = "{articles}"\n',
        encoding="utf-8",
    )
    done = subprocess.run(
        [EXE, "daily", "--config", str(config), "-q"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    assert done.stderr.startswith(f"Error: {tmp_path / 'spacecast.db'}: ")
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


# --- one poisoned feed among healthy sources: the healthy stories are published -----------------


class _Feed(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, items: list[tuple[str, str]], pages: dict[str, bytes]) -> None:
        super().__init__(("127.0.0.1", 0), _FeedHandler)
        self.items = items
        self.pages = pages
        self.hits: list[str] = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _FeedHandler(BaseHTTPRequestHandler):
    server: _Feed

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.server.hits.append(self.path)
        if self.path == "/feed.xml":
            stamp = format_datetime(dt.datetime(2031, 3, 5, 7, tzinfo=dt.UTC))
            body = "".join(
                f"<item><title>{title}</title><link>{link.format(base=self.server.base)}</link>"
                f"<pubDate>{stamp}</pubDate></item>"
                for title, link in self.server.items
            )
            data = (
                "<?xml version='1.0'?><rss version='2.0'><channel><title>Poisoned</title>"
                f"<link>http://127.0.0.1/</link><description>d</description>{body}"
                "</channel></rss>"
            ).encode()
            ctype = "application/rss+xml"
        else:
            data, ctype = self.server.pages.get(self.path, b""), "text/html"
        self.send_response(200 if data else 404)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@contextlib.contextmanager
def feed_server(items, pages) -> Iterator[_Feed]:  # type: ignore[no-untyped-def]
    server = _Feed(items, pages)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def html(title: str, *sentences: str) -> bytes:
    paragraphs = "".join(f"<p>{s}</p>" for s in sentences)
    return (
        f"<html><head><title>{title}</title></head><body><article>{paragraphs}</article>".encode()
    )


def test_daily_with_a_poisoned_feed_publishes_the_healthy_stories(tmp_path: Path):
    """Real speech: a story titled ``_`` is spoken as silence by eSpeak NG, which failed
    the whole run (and every later one, as it was never remembered). Its private TMPDIR
    must be empty afterwards: every build used to leave two eSpeak NG folders there."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    environment = {**os.environ, "TMPDIR": str(scratch)}
    news = tmp_path / "news"
    news.mkdir()
    (news / "a.txt").write_text(
        "Bridge reopens\n\nThe harbour bridge reopened to traffic on Monday after repairs.\n",
        encoding="utf-8",
    )
    pages = {
        "/tram": html("Trams", "Night trams will run on Fridays from next month in the city."),
        "/silent": html("Silent", "The parish council met on Tuesday to discuss the hedges."),
        "/huge": html("Huge", "The library will open on Sundays from the start of April."),
    }
    items = [
        ("_", "{base}/silent"),
        ("Breaking " * 20_000, "{base}/huge"),
        ("Private", "http://127.0.0.1:9/secret"),
        ("Night trams to run", "{base}/tram"),
    ]
    with feed_server(items, pages) as feed:
        config = tmp_path / "spacecast.toml"
        config.write_text(
            '[show]\ntitle = "Test Show"\n[briefing]\nminutes = 1\n'
            '[output]\nfolder = "out"\ncache_dir = "cache"\n'
            f'[[sources]]\nfolder = "news"\n\n[[sources]]\nname = "poisoned"\n'
            f'feed = "{feed.base}/feed.xml"\n',
            encoding="utf-8",
        )
        first = subprocess.run(
            [EXE, "daily", "--config", str(config), "--date", "2031-03-06", "--json"],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
            env=environment,
        )
        assert first.returncode == 0, first.stderr
        summary = json.loads(first.stdout)
        assert summary["status"] == "published"
        assert summary["stories"][0] == "Bridge reopens"
        assert "Night trams to run" in summary["stories"]
        assert "The library will open on Sundays from the start of April" in summary["stories"]
        unspoken = [s for s in summary["left_out"] if s["reason"] == "unspoken"]
        assert unspoken == [
            {"title": "_", "source": f"{feed.base}/silent", "roundup": False, "reason": "unspoken"}
        ]
        assert (
            "Warning: _: skipped: the speech engine could not speak it (the engine returned "
            "silence for: '_.')"
        ) in first.stderr
        assert "refused: 127.0.0.1 is a loopback address" in first.stderr
        assert "/secret" not in "".join(feed.hits)
        # The next day the failed story is not tried again, and nothing else is new.
        feed.hits.clear()
        second = subprocess.run(
            [EXE, "daily", "--config", str(config), "--date", "2031-03-07", "--json"],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
            env=environment,
        )
    assert second.returncode == 0, second.stderr
    assert list(scratch.iterdir()) == []
    assert json.loads(second.stdout)["status"] == "no-news"
    assert "could not speak" not in second.stderr
    assert feed.hits == ["/feed.xml"]  # nothing fetched again
