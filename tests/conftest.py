"""Shared fixtures: tone-engine voices for exact timing, and small articles of our own."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

TONE_RATE = 120  # words per minute: every word lasts exactly 0.5 s
REPO = Path(__file__).resolve().parents[1]
EXE = str(Path(sys.executable).parent / "spacecast")


@pytest.fixture(scope="session", autouse=True)
def no_user_config(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """An empty user config folder for every test (and the processes tests start), so that
    no test reads, or writes, the settings of whoever runs the suite."""
    saved = {name: os.environ.get(name) for name in ("XDG_CONFIG_HOME", "SPACECAST_CONFIG")}
    os.environ["XDG_CONFIG_HOME"] = str(tmp_path_factory.mktemp("xdg-config"))
    os.environ.pop("SPACECAST_CONFIG", None)
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def write_voice(
    folder: Path, name: str, engine: str, engine_voice: str, rate: int, pitch: int = 50
):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.toml").write_text(
        f'name = "{name}"\nengine = "{engine}"\nengine_voice = "{engine_voice}"\n'
        f"rate = {rate}\npitch = {pitch}\nvolume = 1.0\n",
        encoding="utf-8",
    )


def daily(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``spacecast daily`` with ``root``'s spacecast.toml, in a process of its own."""
    return subprocess.run(
        [EXE, "daily", "--config", str(root / "spacecast.toml"), *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.fixture
def tone_voices(tmp_path: Path) -> Path:
    """A voices folder whose anchor and correspondent use the exact-length tone engine."""
    folder = tmp_path / "tone-voices"
    write_voice(folder, "anchor", "tone", "low", TONE_RATE)
    write_voice(folder, "correspondent", "tone", "high", TONE_RATE)
    return folder


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    """Three short articles of our own, in three formats."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a-harbour.md").write_text(
        "---\ntitle: Harbour bridge reopens after repairs\nsource: https://example.com/bridge\n"
        "date: 2026-11-20\n---\n\n"
        "The harbour bridge reopened to traffic on Monday after eight months of repairs.\n\n"
        "Engineers replaced the worn cables and resurfaced the deck. "
        "The city council said the work came in under budget.\n\n"
        "Commuters had faced long detours while the bridge was closed.\n",
        encoding="utf-8",
    )
    (folder / "b-library.txt").write_text(
        "New library opens its doors\n\n"
        "A new public library opened in the town centre on Saturday, with room for "
        "forty thousand books.\n\n"
        "Hundreds of residents queued before the doors opened. "
        "The building also houses a small cinema and a cafe.\n",
        encoding="utf-8",
    )
    (folder / "c-orchard.html").write_text(
        "<html><head><title>Orchard harvest doubles | Valley News</title></head><body>"
        "<nav><a href='/'>Home</a></nav><article><h1>Orchard harvest doubles</h1>"
        "<p>Apple growers in the valley picked twice as much fruit this autumn as last year.</p>"
        "<p>Growers credited a mild spring without late frosts for the strong crop.</p>"
        "</article><footer>Share this story</footer></body></html>",
        encoding="utf-8",
    )
    return folder


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory):
    """``generated(n)``: a folder of ``n`` made-up news articles (bench/textgen.py, a fixed
    seed), named in their order; made once per session for each ``n``."""
    sys.path.insert(0, str(REPO / "bench"))
    import textgen

    folders: dict[int, Path] = {}

    def make(count: int) -> Path:
        if count not in folders:
            folders[count] = tmp_path_factory.mktemp(f"generated-{count}")
            textgen.write_articles(folders[count], count=count)
        return folders[count]

    return make


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory):
    """One real build of the project's seeds (real speech, real MP3), published in its
    folder (cover, feed, page), shared by many checks.

    Returns (mp3 path, cache folder, the build's arguments, the CliRunner result).
    """
    from click.testing import CliRunner

    from spacecast.cli import cli

    folder = tmp_path_factory.mktemp("e2e")
    out, cache = folder / "briefing.mp3", folder / "cache"
    args = ["build", REPO / "seeds", "-o", out, "--date", "2026-11-26", "--minutes", "3"]
    args += ["--base-url", "https://example.com/pod/", "--publish"]
    first = CliRunner().invoke(cli, [str(a) for a in [*args, "--cache-dir", cache, "-v"]])
    assert first.exit_code == 0, first.stderr
    return out, cache, args, first


@contextlib.contextmanager
def serving(folder: Path, log) -> Iterator[int]:
    """``spacecast serve``'s server on a free loopback port, in a thread; yields the port."""
    from spacecast.publish.serve import make_server

    server = make_server(folder, "127.0.0.1", 0, log=log)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
