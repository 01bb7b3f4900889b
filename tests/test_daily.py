"""`spacecast daily` as cron runs it: memory across days, retention, the lock, kills."""

from __future__ import annotations

import fcntl
import http.server
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import feedparser
import pytest
from mutagen.mp3 import MP3

from conftest import write_voice
from spacecast.daily.run import LOCK_FILE

EXE = str(Path(sys.executable).parent / "spacecast")


def article(folder: Path, name: str, title: str, body: str) -> Path:
    path = folder / name
    path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    return path


def story_text(topic: str) -> str:
    return (
        f"Officials confirmed on Tuesday that the {topic} would go ahead as planned next month. "
        f"Residents had asked for months for a decision about the {topic}. "
        "The council said the cost would be met from existing budgets."
    )


@pytest.fixture
def show(tmp_path: Path) -> Path:
    """A show folder: spacecast.toml, tone voices, a news folder, its own cache."""
    root = tmp_path / "show"
    (root / "news").mkdir(parents=True)
    write_voice(root / "voices", "anchor", "tone", "low", 300)
    write_voice(root / "voices", "correspondent", "tone", "high", 300)
    article(root / "news", "a.txt", "Bridge reopens", story_text("bridge repair"))
    article(root / "news", "b.txt", "Library opens", story_text("library opening"))
    (root / "spacecast.toml").write_text(
        '[show]\ntitle = "Test Show"\nbase_url = "https://example.com/pod/"\n\n'
        '[briefing]\nminutes = 1\nvoices_dir = "voices"\n\n'
        '[output]\nfolder = "out"\nkeep = 2\ncache_dir = "cache"\n\n'
        '[[sources]]\nfolder = "news"\n',
        encoding="utf-8",
    )
    return root


def daily(root: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [EXE, "daily", "--config", str(root / "spacecast.toml"), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def summary(proc: subprocess.CompletedProcess) -> dict:
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def feed_items(root: Path) -> list:
    parsed = feedparser.parse((root / "out" / "feed.xml").read_bytes())
    assert parsed.bozo == 0
    return parsed.entries


@pytest.mark.slow
def test_no_repeats_across_days_and_no_episode_without_news(show: Path):
    first = summary(daily(show, "--date", "2026-11-23", "--json"))
    assert first["status"] == "published"
    assert sorted(first["stories"]) == ["Bridge reopens", "Library opens"]
    second = daily(show, "--date", "2026-11-24", "-q")
    assert (second.returncode, second.stdout, second.stderr) == (0, "", "")
    assert not (show / "out" / "spacecast-2026-11-24.mp3").exists()
    log = (show / "out" / "spacecast.log").read_text()
    assert "2026-11-24: no new stories: no episode" in log
    article(show / "news", "c.txt", "Ferry returns", story_text("ferry service"))
    third = summary(daily(show, "--date", "2026-11-24", "--json"))
    assert third["stories"] == ["Ferry returns"]
    assert len(feed_items(show)) == 2


@pytest.mark.slow
def test_rerun_is_idempotent_and_force_rebuilds(show: Path):
    first = summary(daily(show, "--date", "2026-11-23", "--json"))
    mp3 = show / "out" / "spacecast-2026-11-23.mp3"
    before = mp3.stat().st_mtime_ns
    again = summary(daily(show, "--date", "2026-11-23", "--json"))
    assert again["status"] == "up-to-date"
    # The episode that is up to date, as published: its real length, not null.
    record = json.loads((show / "out" / "spacecast-2026-11-23.episode.json").read_text())
    assert again["duration"] == round(record["duration"], 1)
    assert abs(again["duration"] - first["duration"]) < 0.2
    assert mp3.stat().st_mtime_ns == before
    forced = summary(daily(show, "--date", "2026-11-23", "--force", "--json"))
    assert forced["status"] == "published"
    assert sorted(forced["stories"]) == ["Bridge reopens", "Library opens"]  # from memory
    assert mp3.stat().st_mtime_ns != before
    assert len(feed_items(show)) == 1  # replaced, not added


@pytest.mark.slow
def test_retention_drops_old_episodes_from_feed_and_folder(show: Path):
    for day, name in (("2026-11-21", "d"), ("2026-11-22", "e"), ("2026-11-23", "f")):
        article(show / "news", f"{name}.txt", f"Story {name}", story_text(f"project {name}"))
        result = summary(daily(show, "--date", day, "--json"))
    assert result["pruned"] == ["spacecast-2026-11-21.mp3"]
    names = {p.name for p in (show / "out").iterdir()}
    assert not any("2026-11-21" in n for n in names)
    dates = [e.enclosures[0].href.rsplit("-", 3)[-3:] for e in feed_items(show)]
    assert [d[-1] for d in dates] == ["23.mp3", "22.mp3"]


@pytest.mark.slow
def test_stories_left_out_to_fit_are_not_read_and_come_back_the_next_day(show: Path):
    for name, topic in zip("cdef", ("ferry", "park", "museum", "tram line"), strict=True):
        article(show / "news", f"{name}.txt", f"{topic.capitalize()} news", story_text(topic))
    config = show / "spacecast.toml"
    config.write_text(config.read_text().replace("minutes = 1", "minutes = 0.5"))
    titles = ["Bridge reopens", "Library opens", "Ferry news", "Park news", "Museum news"]
    titles.append("Tram line news")
    monday = summary(daily(show, "--date", "2026-11-23", "--json"))
    read, left_out = monday["stories"], monday["left_out"]
    assert read and left_out
    assert read + [s["title"] for s in left_out] == titles  # the first ones read, in order
    assert left_out[0] == {
        "title": titles[len(read)],
        "source": str(show / "news" / f"{'abcdef'[len(read)]}.txt"),
        "roundup": left_out[0]["roundup"],
        "reason": "length",
    }
    record = json.loads((show / "out" / "spacecast-2026-11-23.episode.json").read_text())
    assert record["left_out"] == left_out
    # A rerun finds nothing new: the stories left out are remembered as left out.
    again = summary(daily(show, "--date", "2026-11-23", "--json"))
    assert (again["status"], again["stories"], again["left_out"]) == ("up-to-date", read, left_out)
    said = daily(show, "--date", "2026-11-23", "--force")
    assert said.returncode == 0, said.stderr
    assert said.stderr.splitlines()[1].startswith(
        f"Left out {len(left_out)} of 6 stories to fit 0:30"
    )
    assert daily(show, "--date", "2026-11-23", "--force", "-q").stderr == ""
    # They were not read: Tuesday's episode starts with them.
    tuesday = summary(daily(show, "--date", "2026-11-24", "--json"))
    assert tuesday["stories"] + [s["title"] for s in tuesday["left_out"]] == titles[len(read) :]


@pytest.mark.slow
def test_minutes_too_short_for_one_story_names_the_setting_or_the_option(show: Path):
    config = show / "spacecast.toml"
    config.write_text(config.read_text().replace("minutes = 1", "minutes = 0.05"))
    from_file = daily(show, "--date", "2026-11-23")
    assert from_file.returncode == 78
    assert from_file.stderr == (
        f"Error: {config}: line 6: briefing.minutes: 0.05 minutes is too short for the "
        "greeting, one story and the sign-off (about 0:25): give 0.5 or more\n"
    )
    from_option = daily(show, "--date", "2026-11-23", "--minutes", "0.05")
    assert from_option.returncode == 2
    assert from_option.stderr.startswith("Error: --minutes: 0.05 minutes is too short")
    assert not (show / "out" / "spacecast-2026-11-23.mp3").exists()


@pytest.mark.slow
def test_config_errors_exit_78_with_the_key_path(tmp_path: Path):
    config = tmp_path / "spacecast.toml"
    config.write_text('[briefing]\nminutes = "five"\n')
    proc = subprocess.run(
        [EXE, "daily", "--config", str(config)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 78
    assert proc.stderr == (f"Error: {config}: line 2: briefing.minutes: expected a number\n")


@pytest.mark.slow
def test_a_second_run_exits_75_while_the_lock_is_held(show: Path):
    (show / "out").mkdir()
    with open(show / "out" / ".spacecast.lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.write("4242")
        held.flush()
        started = time.monotonic()
        proc = daily(show)
        assert time.monotonic() - started < 10
    assert proc.returncode == 75
    assert proc.stderr.strip().startswith(
        f"Error: another spacecast run is publishing to {show / 'out'} (pid 4242)"
    )
    assert daily(show, "-q").returncode == 0  # released: the next run goes ahead


class _SlowFeed(http.server.BaseHTTPRequestHandler):
    """A feed that takes a few seconds to answer, so a run holds the lock that long."""

    def do_GET(self):
        time.sleep(3)
        body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>'
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.mark.slow
def test_two_real_processes_race_for_the_lock(show: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SlowFeed)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with (show / "spacecast.toml").open("a") as config:
            config.write(f'\n[[sources]]\nfeed = "http://127.0.0.1:{server.server_port}/rss"\n')
        command = [EXE, "daily", "--config", str(show / "spacecast.toml"), "-q"]
        first = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
        time.sleep(1.0)  # the first is now waiting for the slow feed, lock held
        second = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
        first_err = first.communicate(timeout=60)[1]
    finally:
        server.shutdown()
        server.server_close()
    assert second.returncode == 75, second.stderr
    assert second.stderr == (
        f"Error: another spacecast run is publishing to {show / 'out'} (pid {first.pid}): "
        "this one stops; try again later\n"
    )
    assert first.returncode == 0, first_err
    episode = show / "out" / f"spacecast-{time.strftime('%Y-%m-%d')}.mp3"
    assert MP3(episode).info.length > 10  # the first run published a whole episode


def _check_folder(root: Path) -> None:
    """A valid feed whose every item points at a complete file of the announced size."""
    feed = root / "out" / "feed.xml"
    if not feed.exists():
        return  # killed before anything was ever published
    for entry in feed_items(root):
        enclosure = entry.enclosures[0]
        audio = root / "out" / enclosure.href.rsplit("/", 1)[-1]
        assert audio.exists(), enclosure.href
        assert audio.stat().st_size == int(enclosure.length), enclosure.href


@pytest.mark.slow
def test_killed_at_random_moments_the_folder_stays_valid(show: Path):
    rng = random.Random(20261126)
    (show / "spacecast.toml").write_text(
        (show / "spacecast.toml").read_text().replace("minutes = 1", "minutes = 3")
    )
    command = [EXE, "daily", "--config", str(show / "spacecast.toml"), "--force", "-q"]
    command += ["--date", "2026-11-23"]
    scratch = show / "tmp"  # a TMPDIR of the runs' own, to see what they leave there
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    for _ in range(10):
        proc = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
        )
        time.sleep(rng.uniform(0.2, 3.0))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        _check_folder(show)
    recovered = subprocess.run(
        [EXE, "daily", "--config", str(show / "spacecast.toml"), "--date", "2026-11-23", "--json"],
        capture_output=True, text=True, timeout=120, check=False, env=env,
    )  # fmt: skip
    assert summary(recovered)["status"] in ("published", "up-to-date")
    _check_folder(show)
    assert len(feed_items(show)) == 1
    # What the killed runs left (hidden partial files, scratch folders and mixes in TMPDIR)
    # is swept by the next run: nothing is left behind but the lock file.
    hidden = [p.name for p in (show / "out").iterdir() if p.name.startswith(".")]
    assert hidden in ([], [LOCK_FILE])
    assert [p.name for p in (show / "out").iterdir() if p.name.endswith(".part")] == []
    assert list(scratch.iterdir()) == []


# --- cron-proof: found from anywhere, loud failures, nothing dropped in silence ----------------


@pytest.mark.slow
def test_every_source_failing_exits_69_with_the_reasons_even_with_q(show: Path):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there: connection refused at once
    (show / "spacecast.toml").write_text(
        (show / "spacecast.toml")
        .read_text()
        .replace(
            'folder = "news"\n',
            'name = "Local news"\nfolder = "no-such-news"\n\n'
            f'[[sources]]\nname = "Wire"\nurl = "http://127.0.0.1:{port}/story"\n',
        )
    )
    quiet = daily(show, "--date", "2026-11-23", "-q")
    assert quiet.returncode == 69
    assert quiet.stdout == ""
    assert quiet.stderr == (
        "Warning: Local news: no such folder\n"
        "Warning: Wire: cannot connect (connection refused)\n"
        "Error: all 2 sources failed (see the warnings above): no episode for 2026-11-23; "
        "run spacecast doctor to check each source\n"
    )
    as_json = daily(show, "--date", "2026-11-23", "--json", "-q")
    assert as_json.returncode == 69
    assert json.loads(as_json.stdout)["status"] == "sources-failed"
    assert json.loads(as_json.stdout)["failed_sources"] == [
        {"source": "Local news", "reason": "no such folder"},
        {"source": "Wire", "reason": "cannot connect (connection refused)"},
    ]
    assert not (show / "out" / "spacecast-2026-11-23.mp3").exists()
    log = (show / "out" / "spacecast.log").read_text()
    assert "2026-11-23: every source failed (2): no episode" in log


@pytest.mark.slow
def test_a_failing_source_is_one_line_under_q_and_the_episode_is_made(show: Path):
    with (show / "spacecast.toml").open("a") as config:
        config.write('\n[[sources]]\nname = "Old feed folder"\nfolder = "gone"\n')
    proc = daily(show, "--date", "2026-11-23", "-q")
    assert (proc.returncode, proc.stdout) == (0, "")
    assert proc.stderr == "Warning: Old feed folder: no such folder\n"
    assert (show / "out" / "spacecast-2026-11-23.mp3").exists()


@pytest.mark.slow
def test_verbose_says_published_once_and_a_short_episode_says_why(show: Path):
    proc = daily(show, "--date", "2026-11-23", "-v")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert [line for line in lines if "ublished" in line] == lines[-1:]
    assert re.fullmatch(
        rf"Published {re.escape(str(show / 'out'))}/spacecast-2026-11-23\.mp3 "
        r"\(0:\d\d of 1:00 asked: every story is read in full, 2 stories\)",
        lines[-1],
    )
    for name in ("a.txt", "b.txt"):
        (show / "news" / name).unlink()
    article(show / "news", "c.txt", "Ferry returns", story_text("ferry service"))
    one = daily(show, "--date", "2026-11-24")
    assert one.stderr.endswith("every story is read in full, 1 story)\n"), one.stderr
    log = (show / "out" / "spacecast.log").read_text()
    assert re.search(r"2026-11-24: published .*spacecast-2026-11-24\.mp3 \(\d+ s, 1 story\)", log)
    # Nothing new left, for a day to come: no episode that day (not "today").
    later = daily(show, "--date", "2099-01-01")
    assert (later.returncode, later.stderr) == (0, "No new stories: no episode for 2099-01-01\n")


@pytest.mark.slow
def test_stories_beyond_max_stories_are_named_recorded_and_read_later_newest_first(show: Path):
    for name, topic in (("c", "ferry service"), ("d", "park works")):
        article(show / "news", f"{name}.txt", f"{topic.capitalize()} news", story_text(topic))
    config = show / "spacecast.toml"
    config.write_text(config.read_text().replace("minutes = 1\n", "minutes = 1\nmax_stories = 2\n"))
    monday = daily(show, "--date", "2026-11-23", "--json")
    dropped = [
        {"title": "Ferry service news", "source": str(show / "news" / "c.txt"),
         "roundup": False, "reason": "max_stories"},
        {"title": "Park works news", "source": str(show / "news" / "d.txt"),
         "roundup": False, "reason": "max_stories"},
    ]  # fmt: skip
    result = summary(monday)
    assert (result["stories"], result["left_out"]) == (["Bridge reopens", "Library opens"], dropped)
    assert monday.stderr.splitlines()[-1] == (
        'Left out 2 of 4 stories beyond [briefing] max_stories = 2: "Ferry service news", '
        '"Park works news"'
    )
    record = json.loads((show / "out" / "spacecast-2026-11-23.episode.json").read_text())
    assert record["left_out"] == dropped
    assert daily(show, "--date", "2026-11-23", "-q").stderr == ""
    again = summary(daily(show, "--date", "2026-11-23", "--json"))
    assert (again["status"], again["left_out"]) == ("up-to-date", dropped)
    # Tuesday: a story first gathered today comes before those waiting since Monday.
    article(show / "news", "e.txt", "Museum opens", story_text("museum opening"))
    tuesday = summary(daily(show, "--date", "2026-11-24", "--json"))
    assert tuesday["stories"] == ["Museum opens", "Ferry service news"]
    assert [s["title"] for s in tuesday["left_out"]] == ["Park works news"]
    wednesday = summary(daily(show, "--date", "2026-11-25", "--json"))
    assert (wednesday["stories"], wednesday["left_out"]) == (["Park works news"], [])


@pytest.mark.slow
def test_with_no_settings_file_anywhere_daily_exits_78_and_says_where_it_looked(tmp_path: Path):
    home, empty = tmp_path / "home", tmp_path / "anywhere"
    home.mkdir()
    empty.mkdir()
    proc = subprocess.run(
        ["env", "-i", f"HOME={home}", "PATH=/usr/bin:/bin", EXE, "daily", "-q"],
        cwd=empty,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 78
    assert proc.stderr == (
        f"Error: no settings file found: looked for --config, then $SPACECAST_CONFIG, then "
        f"{empty / 'spacecast.toml'}, then {home / '.config/spacecast/spacecast.toml'}: run "
        "spacecast init --user to write one there (or spacecast init for one in this folder)\n"
    )
    assert list(empty.iterdir()) == []  # no stray briefings/ in whatever folder cron used


@pytest.mark.slow
def test_from_a_folder_of_nothing_cron_finds_the_user_config_and_publishes(tmp_path: Path):
    """``env -i HOME=$HOME PATH=/usr/bin:/bin spacecast daily -q`` as cron runs it."""
    home, empty = tmp_path / "home", tmp_path / "anywhere"
    settings = home / ".config" / "spacecast"
    write_voice(settings / "voices", "anchor", "tone", "low", 300)
    write_voice(settings / "voices", "correspondent", "tone", "high", 300)
    (home / "news").mkdir(parents=True)
    empty.mkdir()
    article(home / "news", "a.txt", "Bridge reopens", story_text("bridge repair"))
    article(home / "news", "b.txt", "Library opens", story_text("library opening"))
    (settings / "spacecast.toml").write_text(
        '[show]\ntitle = "Cron Show"\n\n'
        '[briefing]\nminutes = 1\nvoices_dir = "voices"\n\n'  # beside this file
        '[output]\nfolder = "~/briefings"\ncache_dir = "~/cache"\n\n'
        '[[sources]]\nfolder = "~/news"\n',
        encoding="utf-8",
    )
    proc = subprocess.run(
        ["env", "-i", f"HOME={home}", "PATH=/usr/bin:/bin", EXE, "daily", "-q"],
        cwd=empty,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")
    (episode,) = (home / "briefings").glob("spacecast-*.mp3")  # today's, in cron's time zone
    assert MP3(episode).info.length > 10
    entries = feedparser.parse((home / "briefings" / "feed.xml").read_bytes()).entries
    assert [e.enclosures[0].href.rsplit("/", 1)[-1] for e in entries] == [episode.name]
    assert list(empty.iterdir()) == []
