"""Crashes at the worst moment: a rebuild stopped by SIGTERM or Ctrl-C while it encodes, a
disk that fills up, a daily cron job run for a month.

Real signals to real ``spacecast`` processes; a full disk is a file-size limit
(``RLIMIT_FSIZE``, with SIGXFSZ ignored so that a write past it fails with EFBIG, as one on
a full disk fails with ENOSPC). Each test gives its processes a private ``TMPDIR``, which
must be empty when they are done.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from conftest import write_voice
from spacecast.cli import cli

EXE = str(Path(sys.executable).parent / "spacecast")
DAY = "2031-03-06"
MP3 = f"spacecast-{DAY}.mp3"


def story(folder: Path, name: str, title: str, topic: str) -> None:
    (folder / name).write_text(
        f"{title}\n\nThe council confirmed on Tuesday that the {topic} would go ahead next "
        f"month. Residents had waited a long time for news of the {topic}.\n",
        encoding="utf-8",
    )


def make_show(root: Path) -> Path:
    (root / "news").mkdir(parents=True)
    (root / "tmp").mkdir()
    write_voice(root / "voices", "anchor", "tone", "low", 300)
    write_voice(root / "voices", "correspondent", "tone", "high", 300)
    story(root / "news", "a.txt", "Bridge reopens", "bridge repair")
    story(root / "news", "b.txt", "Library opens", "library opening")
    (root / "spacecast.toml").write_text(
        '[show]\ntitle = "Test Show"\nbase_url = "https://example.com/pod/"\n\n'
        '[briefing]\nminutes = 2\nvoices_dir = "voices"\n\n'
        '[output]\nfolder = "out"\nkeep = 40\ncache_dir = "cache"\n\n'
        '[[sources]]\nfolder = "news"\n',
        encoding="utf-8",
    )
    return root


@pytest.fixture
def show(tmp_path: Path) -> Path:
    return make_show(tmp_path / "show")


@pytest.fixture(scope="module")
def once_published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    root = make_show(tmp_path_factory.mktemp("template") / "show")
    done = daily(root, "-q")
    assert done.returncode == 0, done.stderr
    return root, published(root)


@pytest.fixture
def rebuilt(once_published, tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """A show whose episode is published (a copy of one made once), and its files' bytes."""
    template, before = once_published
    root = tmp_path / "show"
    shutil.copytree(template, root, symlinks=True)
    return root, before


def env(root: Path) -> dict[str, str]:
    return {**os.environ, "TMPDIR": str(root / "tmp")}


def daily(root: Path, *args: str, limit: int | None = None) -> subprocess.CompletedProcess:
    def preexec() -> None:
        if limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [EXE, "daily", "--config", str(root / "spacecast.toml"), "--date", DAY, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env(root),
        preexec_fn=preexec,
        check=False,
    )


def published(root: Path) -> dict[str, bytes]:
    """Every file a podcast app or the next run reads, and the story memory."""
    out = root / "out"
    names = ["feed.xml", "index.html", MP3, f"spacecast-{DAY}.episode.json", "spacecast.db"]
    names += [f"spacecast-{DAY}{s}" for s in (".chapters.json", ".vtt", ".txt", ".html")]
    return {name: (out / name).read_bytes() for name in names}


def leftovers(root: Path) -> list[str]:
    """Temporary files in the output folder and anything at all in the private TMPDIR."""
    parts = [p.name for p in (root / "out").iterdir() if p.name.endswith(".part")]
    return parts + [p.name for p in (root / "tmp").iterdir()]


def items(root: Path) -> list[ElementTree.Element]:
    return ElementTree.parse(root / "out" / "feed.xml").getroot().findall("channel/item")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("signum", "code", "message"),
    [(signal.SIGTERM, 143, "terminated"), (signal.SIGINT, 130, "interrupted")],
)
def test_a_rebuild_stopped_while_encoding_leaves_everything_as_it_was(
    rebuilt, signum, code, message
):
    show, before = rebuilt
    proc = subprocess.Popen(
        [EXE, "daily", "--config", str(show / "spacecast.toml"), "--date", DAY, "--force"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env(show),
    )
    out = show / "out"
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(f".{MP3}.") for p in out.iterdir()):  # encoding began
        assert proc.poll() is None and time.monotonic() < deadline, "no encoding was seen"
        time.sleep(0.002)
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == code
    assert stderr.endswith(f"Error: {message}\n") and "Traceback" not in stderr
    assert published(show) == before
    assert leftovers(show) == []


@pytest.mark.slow
def test_the_feed_keeps_the_item_while_it_is_rebuilt(rebuilt):
    show, _ = rebuilt
    proc = subprocess.Popen(
        [EXE, "daily", "--config", str(show / "spacecast.toml"), "--date", DAY, "--force", "-q"],
        env=env(show),
    )
    polls = 0
    while proc.poll() is None:
        listed = items(show)
        assert len(listed) == 1
        audio = show / "out" / listed[0].find("enclosure").get("url").rsplit("/", 1)[1]
        assert audio.is_file()
        polls += 1
        time.sleep(0.005)
    assert proc.returncode == 0 and polls > 20
    assert len(items(show)) == 1


@pytest.mark.slow
def test_a_full_disk_during_a_rebuild_changes_nothing_published(rebuilt):
    show, before = rebuilt
    done = daily(show, "--force", limit=200_000)  # the mix is megabytes
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"Error: cannot mix the episode in {show / 'tmp'}: the file ")
    assert published(show) == before
    assert leftovers(show) == []


@pytest.mark.slow
def test_a_full_disk_when_rewriting_the_feed_is_one_line(rebuilt):
    show, before = rebuilt
    size = len(before["feed.xml"])
    done = daily(show, limit=size // 2)  # up to date: only the feed and the page are written
    feed = show / "out" / "feed.xml"
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == (
        f"Error: cannot write the feed {feed}: the file grew past the size limit (a full "
        "disk, or ulimit -f)"
    )
    assert "Traceback" not in done.stderr
    assert published(show) == before
    assert leftovers(show) == []


_TAGS_AND_MEMORY = r"""
import datetime as dt, resource, signal, sys
from pathlib import Path
from spacecast.errors import OutputError
from spacecast.audio.mp3 import Tags, export_mp3
from spacecast.text.article import Article
from spacecast.daily.state import StoryStore

folder = Path(sys.argv[1])
pcm = folder / "one-second.pcm"
pcm.write_bytes(bytes(range(256)) * 344)  # 1 s of quiet noise at 44.1 kHz
old = folder / "episode.mp3"
tags = Tags("t", "a", "a", dt.date(2031, 3, 6), "d")
export_mp3(pcm, 44100, old, tags)  # an MP3 from before the disk filled up
with StoryStore(folder) as store:
    store.remember([Article("a.txt", "A", ("Some words for the memory.",))], dt.date(2031, 3, 5))
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (150_000, 150_000))
cover = (bytes(range(256)) * 800, "image/jpeg")  # 200 kB: the MP3 fits, its tags do not
for attempt in (
    lambda: export_mp3(pcm, 44100, old, Tags("t", "a", "a", dt.date(2031, 3, 6), "d", cover=cover)),
    lambda: StoryStore(folder).remember(
        [Article("b.txt", "B", ("Words " * 40_000,))], dt.date(2031, 3, 6)
    ),
):
    try:
        attempt()
        print("no error")
    except OutputError as exc:
        print(exc)
"""


@pytest.mark.slow
def test_a_full_disk_while_tagging_the_mp3_or_saving_the_memory_is_one_line(tmp_path: Path):
    done = subprocess.run(
        [sys.executable, "-c", _TAGS_AND_MEMORY, str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    limit = "the file grew past the size limit (a full disk, or ulimit -f)"
    assert done.stdout.splitlines() == [
        f"{tmp_path / 'episode.mp3'}: cannot write the MP3 ({limit})",
        f"{tmp_path / 'spacecast.db'}: the story memory failed (disk I/O error): "
        "free some space, or move the file away to start a new memory",
    ]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


@pytest.mark.slow
def test_a_cron_month_leaves_nothing_behind(show: Path, monkeypatch: pytest.MonkeyPatch):
    """Thirty daily runs, a new story each day, in one process with its own temporary
    folder: nothing may be left there, nor any temporary file in the output folder."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(show / "tmp"))
    config = show / "spacecast.toml"
    config.write_text(config.read_text().replace("minutes = 2", "minutes = 0.5"))
    start = dt.date(2031, 4, 1)
    for day in range(30):
        date = start + dt.timedelta(days=day)
        story(show / "news", f"{day:02d}.txt", f"Day {day} news", f"project number {day}")
        result = CliRunner().invoke(
            cli, ["daily", "--config", str(config), "--date", date.isoformat(), "--json"]
        )
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["status"] == "published"
        assert leftovers(show) == [], date
    assert len(items(show)) == 30


@pytest.mark.slow
def test_sigterm_while_the_real_engine_speaks_leaves_no_scratch_folder(tmp_path: Path):
    """The speech workers' eSpeak NG folders (two per build, 3 MB each) went unremoved
    after every build, and a stopped build left its mix in /tmp too."""
    news = tmp_path / "news"
    news.mkdir()
    for n in range(6):
        story(news, f"{n}.txt", f"Story number {n}", f"plan number {n} for the harbour")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    proc = subprocess.Popen(
        [EXE, "build", str(news), "-o", str(tmp_path / "x.mp3"), "--no-cache", "--minutes", "3"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(scratch)},
    )
    deadline = time.monotonic() + 60
    while not any(p.name.startswith("spacecast-espeak-") for p in scratch.iterdir()):
        assert proc.poll() is None and time.monotonic() < deadline, "no speech worker was seen"
        time.sleep(0.005)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=30)
    assert (proc.returncode, stderr.strip()) == (143, "Error: terminated")
    assert list(scratch.iterdir()) == []
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


@pytest.mark.slow
def test_what_killed_runs_left_behind_is_swept_at_the_next_start(rebuilt):
    show, _ = rebuilt
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    pid, alive = int(dead.stdout), os.getpid()
    scratch, out = show / "tmp", show / "out"
    for name in (f"spacecast-espeak-{pid}-k2j3h4", f"spacecast-mix-{pid}-a8b7c6"):
        (scratch / name).mkdir()
        (scratch / name / "mix.pcm").write_bytes(b"\0" * 1000)
    old = scratch / "spacecast-espeak-q9w8e7r6"  # from before folders carried their pid
    old.mkdir()
    os.utime(old, (time.time() - 3 * 86400,) * 2)
    kept = [f"spacecast-mix-{alive}-z1x2c3", "spacecast-notes.txt"]  # a live run's; not ours
    for name in kept:
        (scratch / name).mkdir()
    (out / f".{MP3}.{pid}.ab12cd34.part").write_bytes(b"half an mp3")
    (out / f".feed.xml.{alive}.ef56gh78.part").write_bytes(b"a live run's feed")
    done = daily(show, "-q")  # up to date: it publishes nothing, and still sweeps
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in scratch.iterdir()) == sorted(kept)
    assert [p.name for p in out.iterdir() if p.name.endswith(".part")] == [
        f".feed.xml.{alive}.ef56gh78.part"
    ]


@pytest.mark.slow
def test_a_full_disk_when_writing_the_page_is_one_line(rebuilt):
    show, before = rebuilt
    feed, page = len(before["feed.xml"]), len((show / "out" / "index.html").read_bytes())
    assert feed < page
    (show / "out" / "feed.xml").unlink()  # rewritten first (it fits), then the page (it not)
    old_page = (show / "out" / "index.html").read_bytes() + b"<!-- an older page -->"
    (show / "out" / "index.html").write_bytes(old_page)

    def preexec() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        limit = (feed + page) // 2
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run(
        [EXE, "feed", "--config", str(show / "spacecast.toml")],
        capture_output=True,
        text=True,
        env=env(show),
        preexec_fn=preexec,
        check=False,
    )
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        f"Error: cannot write the page {show / 'out' / 'index.html'}: the file grew past the "
        "size limit (a full disk, or ulimit -f)\n"
    )
    assert (show / "out" / "feed.xml").read_bytes() == before["feed.xml"]
    assert (show / "out" / "index.html").read_bytes() == old_page
    assert leftovers(show) == []
