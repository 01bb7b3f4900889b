"""The read-only briefings server, over real loopback HTTP with ``http.client``."""

from __future__ import annotations

import datetime as dt
import http.client
import os
import random
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner

from conftest import serving, write_voice
from spacecast.cli import cli
from spacecast.errors import ConfigError
from spacecast.publish.episode import EpisodeFiles, EpisodeRecord, write_record
from spacecast.publish.serve import (
    ListenError,
    address_for,
    make_server,
    parse_range,
    this_machine_address,
    unreachable_links,
)

AUDIO_SIZE = 10_000
SECRET = b"TOP SECRET: outside the served folder"


@dataclass
class Site:
    folder: Path
    port: int
    audio: bytes
    logs: list[str] = field(default_factory=list)


def publish(folder: Path, audio: str) -> None:
    """An episode record naming ``audio`` and its sidecars: what makes them served."""
    size = (folder / audio).stat().st_size if (folder / audio).exists() else 0
    write_record(
        folder,
        EpisodeRecord(
            guid=audio,
            show="Test",
            title=audio,
            date=dt.date(2031, 3, 6),
            published=dt.datetime(2031, 3, 6, tzinfo=dt.UTC),
            description="",
            duration=1.0,
            audio_bytes=size,
            files=EpisodeFiles.for_audio(audio, "cover.jpg"),
            chapters=(),
            integrated_lufs=-16.0,
            true_peak_dbtp=-1.5,
        ),
    )


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    folder = tmp_path / "briefings"
    folder.mkdir()
    audio = random.Random(7).randbytes(AUDIO_SIZE)
    (folder / "ep.mp3").write_bytes(audio)
    (folder / "index.html").write_text("<!DOCTYPE html><title>page</title>", encoding="utf-8")
    (folder / "feed.xml").write_text("<?xml version='1.0'?><rss/>", encoding="utf-8")
    (folder / "ep.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n", encoding="utf-8")
    (folder / "ep.srt").write_text("1\n00:00:00,000 --> 00:00:01,000\nHi\n", encoding="utf-8")
    (folder / "ep.txt").write_text("Hi.\n", encoding="utf-8")
    (folder / "ep.chapters.json").write_text('{"version":"1.2.0","chapters":[]}', encoding="utf-8")
    (folder / "ep.md").write_text("# Notes\n", encoding="utf-8")
    (folder / "ep.html").write_text("<p>Notes</p>", encoding="utf-8")
    publish(folder, "ep.mp3")
    (folder / "cover.jpg").write_bytes(b"\xff\xd8\xff\xe0fake")
    (folder / "cover.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    (folder / "empty.mp3").write_bytes(b"")
    publish(folder, "empty.mp3")
    (folder / "sub").mkdir()
    (folder / "sub" / "inner.txt").write_text("inner", encoding="utf-8")
    # What the folder also holds but never publishes.
    (folder / "spacecast.db").write_bytes(b"SQLite format 3\x00" + SECRET)
    (folder / "spacecast.log").write_bytes(b"2031-03-06 INFO " + SECRET)
    (folder / "notes.txt").write_bytes(SECRET)
    (folder / "spacecast.toml").write_bytes(b"[show]\n# " + SECRET)
    # Hidden files: an atomic write's temporary, a lock, a hidden folder.
    (folder / ".feed.xml.k2j3h4.part").write_text("half a feed", encoding="utf-8")
    (folder / ".lock").write_text("1234", encoding="utf-8")
    (folder / ".cache").mkdir()
    (folder / ".cache" / "x.txt").write_text("cached", encoding="utf-8")
    # Outside the folder, one level up, where "../secret.txt" would find it.
    (tmp_path / "secret.txt").write_bytes(SECRET)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.txt").write_bytes(SECRET)
    os.symlink(tmp_path / "secret.txt", folder / "leak.txt")
    os.symlink(tmp_path / "outside", folder / "leakdir")
    os.symlink("ep.mp3", folder / "alias.mp3")  # inside: allowed
    publish(folder, "alias.mp3")
    os.symlink(".lock", folder / "visible.txt")  # to a hidden file: refused

    logs: list[str] = []
    with serving(folder, logs.append) as port:
        yield Site(folder, port, audio, logs)


def fetch(site: Site, method: str, path: str, headers: dict[str, str] | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", site.port, timeout=5)
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def raw_exchange(site: Site, request: bytes) -> bytes:
    """Send raw bytes; return everything the server sends until it closes."""
    with socket.create_connection(("127.0.0.1", site.port), timeout=5) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return data


# -- whole files ---------------------------------------------------------------------------


def test_get_whole_file(site: Site):
    status, headers, body = fetch(site, "GET", "/ep.mp3")
    assert status == 200
    assert body == site.audio
    assert headers["Content-Type"] == "audio/mpeg"
    assert headers["Content-Length"] == str(AUDIO_SIZE)
    assert headers["Accept-Ranges"] == "bytes"
    assert headers["Last-Modified"].endswith(" GMT")
    assert headers["ETag"].startswith('"')
    assert "Content-Range" not in headers


@pytest.mark.slow
@pytest.mark.parametrize(
    ("path", "mime"),
    [
        ("/ep.mp3", "audio/mpeg"),
        ("/feed.xml", "application/rss+xml"),
        ("/ep.chapters.json", "application/json"),
        ("/ep.vtt", "text/vtt; charset=utf-8"),
        ("/ep.srt", "application/x-subrip"),
        ("/ep.txt", "text/plain; charset=utf-8"),
        ("/ep.html", "text/html; charset=utf-8"),
        ("/ep.md", "text/markdown; charset=utf-8"),
        ("/cover.jpg", "image/jpeg"),
    ],
)
def test_mime_types(site: Site, path: str, mime: str):
    status, headers, body = fetch(site, "GET", path)
    assert status == 200
    assert headers["Content-Type"] == mime
    assert body == (site.folder / path[1:]).read_bytes()
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_root_serves_the_index(site: Site):
    for path in ("/", "/?utm=x", "/index.html"):
        status, headers, body = fetch(site, "GET", path)
        assert status == 200
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert body == (site.folder / "index.html").read_bytes()


def test_empty_file(site: Site):
    status, headers, body = fetch(site, "GET", "/empty.mp3")
    assert (status, headers["Content-Length"], body) == (200, "0", b"")
    status, headers, _ = fetch(site, "GET", "/empty.mp3", {"Range": "bytes=0-"})
    assert (status, headers["Content-Range"]) == (416, "bytes */0")


def test_symlink_inside_the_folder_is_served(site: Site):
    status, _, body = fetch(site, "GET", "/alias.mp3")
    assert (status, body) == (200, site.audio)


@pytest.mark.slow
def test_quoted_names_are_decoded(site: Site):
    (site.folder / "two words é.mp3").write_text("spaced", encoding="utf-8")
    publish(site.folder, "two words é.mp3")
    status, _, body = fetch(site, "GET", "/two%20words%20%C3%A9.mp3")
    assert (status, body) == (200, b"spaced")


@pytest.mark.parametrize(
    "path",
    [
        "/spacecast.db",
        "/spacecast.log",
        "/spacecast.toml",
        "/notes.txt",
        "/ep.episode.json",  # the record: it names local paths of stories left out
        "/cover.png",
        "/sub/inner.txt",
        "/SPACECAST.DB",
        "/spacecast.db%00",
        "/spacecast%2edb",
    ],
)
def test_only_what_the_folder_publishes_is_served(site: Site, path: str):
    status, _, body = fetch(site, "GET", path)
    assert status == 404
    assert SECRET not in body


def test_a_newly_published_episode_is_served_at_once(site: Site):
    (site.folder / "new.mp3").write_bytes(b"new audio")
    assert fetch(site, "GET", "/new.mp3")[0] == 404  # no record yet: not published
    publish(site.folder, "new.mp3")
    assert fetch(site, "GET", "/new.mp3")[:3:2] == (200, b"new audio")


# -- HEAD ----------------------------------------------------------------------------------


def test_head_mirrors_get_without_a_body(site: Site):
    _, get_headers, _ = fetch(site, "GET", "/ep.mp3")
    status, head_headers, body = fetch(site, "HEAD", "/ep.mp3")
    assert status == 200
    assert body == b""
    for name in ("Content-Type", "Content-Length", "Accept-Ranges", "ETag", "Last-Modified"):
        assert head_headers[name] == get_headers[name]


def test_head_sends_no_body_on_the_wire(site: Site):
    reply = raw_exchange(
        site, b"HEAD /ep.mp3 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    head, _, rest = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 ")
    assert f"Content-Length: {AUDIO_SIZE}".encode() in head
    assert rest == b""


def test_head_of_a_range_and_a_missing_file(site: Site):
    status, headers, body = fetch(site, "HEAD", "/ep.mp3", {"Range": "bytes=0-99"})
    assert (status, headers["Content-Range"], headers["Content-Length"], body) == (
        206,
        f"bytes 0-99/{AUDIO_SIZE}",
        "100",
        b"",
    )
    status, _, body = fetch(site, "HEAD", "/nothing.mp3")
    assert (status, body) == (404, b"")


# -- ranges --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=100-", 100, AUDIO_SIZE - 1),
        ("bytes=-50", AUDIO_SIZE - 50, AUDIO_SIZE - 1),
        ("bytes=0-0", 0, 0),
        ("bytes=9990-20000", 9990, AUDIO_SIZE - 1),  # the end is clipped to the file
        ("bytes=-20000", 0, AUDIO_SIZE - 1),  # a suffix longer than the file: all of it
        ("Bytes = 5-9", 5, 9),  # unit case and spaces around "=" are tolerated
    ],
)
def test_satisfiable_ranges(site: Site, header: str, first: int, last: int):
    status, headers, body = fetch(site, "GET", "/ep.mp3", {"Range": header})
    assert status == 206
    assert headers["Content-Range"] == f"bytes {first}-{last}/{AUDIO_SIZE}"
    assert headers["Content-Length"] == str(last - first + 1)
    assert headers["Content-Type"] == "audio/mpeg"
    assert body == site.audio[first : last + 1]


@pytest.mark.parametrize(
    "header",
    [
        f"bytes={AUDIO_SIZE}-",  # starts at the end
        "bytes=20000-20010",  # past the end
        "bytes=5-2",  # last before first: invalid, answered 416 (documented choice)
        "bytes=-0",  # an empty suffix
        "bytes=-",
        "bytes=abc",
        "bytes=1-2-3",
    ],
)
def test_unsatisfiable_or_invalid_byte_ranges_are_416(site: Site, header: str):
    status, headers, body = fetch(site, "GET", "/ep.mp3", {"Range": header})
    assert status == 416
    assert headers["Content-Range"] == f"bytes */{AUDIO_SIZE}"
    assert SECRET not in body and site.audio[:100] not in body


@pytest.mark.parametrize("header", ["items=0-5", "bytes=0-1,5-9", "bytes=0-1, -3", "garbage"])
def test_other_units_and_multiple_ranges_are_ignored(site: Site, header: str):
    status, headers, body = fetch(site, "GET", "/ep.mp3", {"Range": header})
    assert status == 200
    assert "Content-Range" not in headers
    assert body == site.audio


def test_if_range(site: Site):
    _, headers, _ = fetch(site, "HEAD", "/ep.mp3")
    etag, modified = headers["ETag"], headers["Last-Modified"]
    for validator in (etag, modified):
        status, _, body = fetch(
            site, "GET", "/ep.mp3", {"Range": "bytes=0-9", "If-Range": validator}
        )
        assert (status, body) == (206, site.audio[:10])
    stale = {"Range": "bytes=0-9", "If-Range": '"0-0"'}
    status, _, body = fetch(site, "GET", "/ep.mp3", stale)
    assert (status, body) == (200, site.audio)


def test_ranges_on_a_kept_alive_connection(site: Site):
    conn = http.client.HTTPConnection("127.0.0.1", site.port, timeout=5)
    try:
        for header, expected in (("bytes=0-99", site.audio[:100]), ("bytes=-10", site.audio[-10:])):
            conn.request("GET", "/ep.mp3", headers={"Range": header})
            response = conn.getresponse()
            assert (response.status, response.read()) == (206, expected)
        conn.request("GET", "/nothing")
        response = conn.getresponse()
        assert (response.status, response.read()[:3]) == (404, b"404")
        conn.request("GET", "/ep.txt")
        response = conn.getresponse()
        assert (response.status, response.read()) == (200, b"Hi.\n")
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("bytes=0-99", (0, 99)),
        ("bytes=100-", (100, 999)),
        ("bytes=-50", (950, 999)),
        ("bytes=5-2", False),
        ("bytes=1000-", False),
        ("bytes=" + "9" * 5000 + "-", False),  # too long to be a number
        ("bytes=0-1,4-5", None),
        ("pages=1-2", None),
    ],
)
def test_parse_range(header, expected):
    assert parse_range(header, 1000) == expected


# -- validators ----------------------------------------------------------------------------


def test_conditional_requests(site: Site):
    _, headers, _ = fetch(site, "GET", "/feed.xml")
    etag, modified = headers["ETag"], headers["Last-Modified"]
    for condition in (
        {"If-None-Match": etag},
        {"If-None-Match": f'"other", W/{etag}'},
        {"If-None-Match": "*"},
        {"If-Modified-Since": modified},
    ):
        status, headers, body = fetch(site, "GET", "/feed.xml", condition)
        assert (status, body) == (304, b""), condition
        assert headers["ETag"] == etag
    for condition in ({"If-None-Match": '"other"'}, {"If-Modified-Since": "not a date"}):
        status, _, _ = fetch(site, "GET", "/feed.xml", condition)
        assert status == 200


def test_etag_changes_when_the_file_does(site: Site):
    _, before, _ = fetch(site, "HEAD", "/feed.xml")
    (site.folder / "feed.xml").write_text("<?xml version='1.0'?><rss>new</rss>", encoding="utf-8")
    status, after, _ = fetch(site, "GET", "/feed.xml", {"If-None-Match": before["ETag"]})
    assert status == 200
    assert after["ETag"] != before["ETag"]


# -- refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/missing.mp3", "/sub", "/sub/", "/leakdir", "/nothing/"])
def test_missing_files_and_folders_are_404(site: Site, path: str):
    status, _, body = fetch(site, "GET", path)
    assert status == 404
    assert b"inner.txt" not in body  # never a listing


@pytest.mark.slow
@pytest.mark.parametrize(
    "path",
    [
        "/../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E/secret.txt",
        "/../secret.txt",
        "/..%2fsecret.txt",
        "/..%2Fsecret.txt",
        "/sub/../../secret.txt",
        "/sub/%2e%2e/%2e%2e/secret.txt",
        "/..\\secret.txt",
        "/..%5csecret.txt",
        "/sub%5c..%5c..%5csecret.txt",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/ep.mp3%00.txt",
        "/%00",
        "/leak.txt",
        "/leakdir/secret.txt",
        "/%ff%fe",
        "http://localhost/../secret.txt",
        "secret.txt",
    ],
)
def test_traversal_is_404(site: Site, path: str):
    status, _, body = fetch(site, "GET", path)
    assert status == 404
    assert SECRET not in body
    assert b"root:" not in body


def test_absolute_path_to_the_outside_file_is_404(site: Site):
    outside = site.folder.parent / "secret.txt"
    status, _, body = fetch(site, "GET", outside.as_posix())
    assert status == 404 and SECRET not in body
    status, _, body = fetch(site, "GET", "/" + outside.as_posix())
    assert status == 404 and SECRET not in body


@pytest.mark.slow
@pytest.mark.parametrize(
    "path",
    ["/.feed.xml.k2j3h4.part", "/.lock", "/%2elock", "/.cache/x.txt", "/visible.txt", "/./ep.txt"],
)
def test_hidden_files_are_404(site: Site, path: str):
    status, _, body = fetch(site, "GET", path)
    assert status == 404
    assert b"half a feed" not in body and b"1234" not in body


@pytest.mark.slow
@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "BREW"])
def test_other_methods_are_405(site: Site, method: str):
    status, headers, _ = fetch(site, method, "/ep.mp3")
    assert status == 405
    assert headers["Allow"] == "GET, HEAD"
    assert (site.folder / "ep.mp3").read_bytes() == site.audio


def test_put_with_a_body_writes_nothing(site: Site):
    reply = raw_exchange(
        site,
        b"PUT /new.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
    )
    assert reply.startswith(b"HTTP/1.1 405 ")
    assert not (site.folder / "new.txt").exists()


# -- set-up and logging --------------------------------------------------------------------


def test_quiet_by_default_and_logs_through_the_callback(site: Site, capfd):
    fetch(site, "GET", "/ep.mp3")
    fetch(site, "GET", "/missing")
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")
    assert any("GET /ep.mp3" in line and " 200 " in line for line in site.logs)
    assert any("GET /missing" in line and " 404 " in line for line in site.logs)


def test_without_a_log_nothing_is_printed(tmp_path: Path, capfd):
    (tmp_path / "feed.xml").write_text("a", encoding="utf-8")
    server = make_server(tmp_path, port=0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=5)
        conn.request("GET", "/feed.xml")
        assert conn.getresponse().read() == b"a"
        conn.close()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert capfd.readouterr() == ("", "")


def test_make_server_errors(tmp_path: Path, site: Site):
    with pytest.raises(ConfigError, match="no such folder"):
        make_server(tmp_path / "missing", port=0)
    with pytest.raises(ListenError, match="cannot listen"):
        make_server(tmp_path, "127.0.0.1", site.port)


def test_a_port_in_use_exits_1_with_one_line(tmp_path: Path, site: Site):
    result = CliRunner().invoke(cli, ["serve", "--dir", str(tmp_path), "--port", str(site.port)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: cannot listen on 127.0.0.1:{site.port}: Address already in use; "
        "choose another port or address\n"
    )


def test_default_bind_is_loopback(tmp_path: Path):
    server = make_server(tmp_path, port=0)
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.server_close()


# -- the feed's links and the address served ---------------------------------------------------


@pytest.mark.parametrize(
    ("base", "host", "port", "problem"),
    [
        ("http://127.0.0.1:8000/", "127.0.0.1", 8000, None),
        ("http://localhost:8000/", "127.0.0.1", 8000, None),
        ("http://127.0.0.1:8000/", "localhost", 8000, None),
        (
            "http://127.0.0.1:8000/",
            "0.0.0.0",
            8000,
            "http://127.0.0.1:8000/, which only this machine can open",
        ),
        (
            "http://127.0.0.1:8000/",
            "127.0.0.1",
            18001,
            "http://127.0.0.1:8000/, but this server listens on port 18001",
        ),
        ("http://192.168.1.20:8000/", "0.0.0.0", 8000, None),
        ("http://192.168.1.20:8000/", "192.168.1.20", 8000, None),
        (
            "http://192.168.1.20:8000/",
            "192.168.1.30",
            8000,
            "http://192.168.1.20:8000/, but this server listens on 192.168.1.30",
        ),
        (
            "http://192.168.1.20:8000/",
            "127.0.0.1",
            8000,
            "http://192.168.1.20:8000/, but this server only answers this machine",
        ),
        (
            "http://192.168.1.20/",
            "0.0.0.0",
            8000,
            "http://192.168.1.20/, but this server listens on port 8000",
        ),
        # A proxy may stand in front: an https address or a host name is not judged.
        ("https://example.com/pod/", "127.0.0.1", 8000, None),
        ("http://news.example.com/", "0.0.0.0", 18001, None),
    ],
)
def test_links_that_cannot_reach_the_server(base, host, port, problem):
    assert unreachable_links(base, host, port) == problem


def test_the_address_to_give_for_all_interfaces_is_this_machines():
    assert address_for("0.0.0.0", 18001) == f"http://{this_machine_address()}:18001/"
    assert address_for("192.168.1.20", 8000) == "http://192.168.1.20:8000/"
    assert address_for("::1", 8000) == "http://[::1]:8000/"


EXE = str(Path(sys.executable).parent / "spacecast")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve_until_ready(cwd: Path, *args: str) -> tuple[list[str], int]:
    """Start ``spacecast serve``; its stderr lines up to "Serving …", and the port."""
    port = _free_port()
    proc = subprocess.Popen(
        [EXE, "serve", *args, "--port", str(port)],
        cwd=cwd,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    watchdog = threading.Timer(30, proc.kill)
    watchdog.start()
    lines: list[str] = []
    try:
        while line := proc.stderr.readline():
            lines.append(line.rstrip("\n"))
            if line.startswith("Serving"):
                break
        return lines, port
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stderr.close()
        watchdog.cancel()


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """A briefings folder with one real episode, its feed written for 127.0.0.1:8000."""
    voices = tmp_path / "voices"
    write_voice(voices, "anchor", "tone", "low", 300)
    write_voice(voices, "correspondent", "tone", "high", 300)
    (tmp_path / "story.txt").write_text(
        "Ferry returns\n\nThe harbour ferry carried passengers again on Tuesday after a long "
        "repair. The crossing runs every half hour until the autumn.\n",
        encoding="utf-8",
    )
    folder = tmp_path / "briefings"
    folder.mkdir()
    args = ["build", tmp_path / "story.txt", "--voices-dir", voices, "--no-cache", "-q"]
    args += ["--minutes", "0.5", "-o", folder / "spacecast-2026-11-24.mp3", "--publish"]
    result = CliRunner().invoke(cli, [str(arg) for arg in args])
    assert result.exit_code == 0, result.stderr
    return folder


@pytest.mark.slow
def test_serving_where_the_feed_does_not_point_warns_with_the_command(built: Path):
    lines, port = _serve_until_ready(built.parent, "--dir", "briefings")
    assert lines == [
        "Warning: the feed's links point at http://127.0.0.1:8000/, but this server listens on "
        f"port {port}: podcast apps will get dead links. Run spacecast serve --dir briefings "
        f"--host 127.0.0.1 --port {port} --base-url http://127.0.0.1:{port}/ instead (and set "
        "[show] base_url to that address for the next episodes)",
        f"Serving briefings at http://127.0.0.1:{port}/ (Ctrl-C stops)",
    ]


@pytest.mark.slow
def test_base_url_rewrites_the_feed_so_its_links_work_here(built: Path):
    port = _free_port()
    wanted = f"http://127.0.0.1:{port}/"
    proc = subprocess.Popen(
        [EXE, "serve", "--dir", "briefings", "--port", str(port), "--base-url", wanted],
        cwd=built.parent,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = [proc.stderr.readline().rstrip("\n") for _ in range(3)]
        assert lines == [
            f"Rewrote briefings/feed.xml for {wanted}",
            f'Note: set base_url = "{wanted}" under [show] in spacecast.toml, or the next '
            "episode's feed goes back to http://127.0.0.1:8000/",
            f"Serving briefings at {wanted} (Ctrl-C stops)",
        ]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/feed.xml")
        feed = feedparser.parse(conn.getresponse().read())
        (entry,) = feed.entries
        href = entry.enclosures[0].href
        assert href == f"{wanted}spacecast-2026-11-24.mp3"
        conn.request("HEAD", href.removeprefix(wanted[:-1]))
        response = conn.getresponse()
        response.read()
        assert response.status == 200
        assert int(response.headers["Content-Length"]) == int(entry.enclosures[0].length)
        conn.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stderr.close()
