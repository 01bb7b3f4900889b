"""The server on the LAN, under attack: idle and dribbling connections by the hundred at a
small descriptor limit, and clients that take their time.

The flood test runs ``spacecast serve`` as a real process with ``ulimit -n 256`` (set with
``resource.setrlimit`` in the child) and holds 400 connections open against it.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import resource
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from spacecast.publish.serve import make_server

EXE = str(Path(sys.executable).parent / "spacecast")
FEED = b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title></channel></rss>"


def _small_descriptor_limit() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def serve_process(folder: Path) -> Iterator[tuple[subprocess.Popen, int]]:
    proc = subprocess.Popen(
        [EXE, "serve", "--dir", str(folder), "--port", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_small_descriptor_limit,
    )
    try:
        port = None
        for line in proc.stderr:  # type: ignore[union-attr]
            if found := re.search(r"at http://127\.0\.0\.1:(\d+)/", line):
                port = int(found[1])
                break
        assert port, "the server did not start"
        yield proc, port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def get(port: int, path: str, timeout: float = 5) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.mark.slow
def test_400_idle_connections_at_ulimit_256_do_not_stop_a_normal_client(tmp_path: Path):
    (tmp_path / "feed.xml").write_bytes(FEED)
    with serve_process(tmp_path) as (proc, port):
        assert get(port, "/feed.xml") == (200, FEED)
        held: list[socket.socket] = []
        try:
            for index in range(400):
                try:
                    sock = socket.create_connection(("127.0.0.1", port), timeout=3)
                except TimeoutError:
                    break  # the server takes no more
                held.append(sock)
                if index % 2:  # half of them start a request and never finish it
                    with contextlib.suppress(OSError):
                        sock.send(b"GET /feed.xml HTTP/1.1\r\nHost: x\r\n")
            assert len(held) > 256  # more than the server can have open at once
            before = _cpu_seconds(proc.pid)
            started = time.monotonic()
            answers = [get(port, "/feed.xml", timeout=5) for _ in range(5)]
            elapsed = time.monotonic() - started
            time.sleep(1.0)  # still held: the server must be idle, not spinning
            cpu = _cpu_seconds(proc.pid) - before
        finally:
            for sock in held:
                sock.close()
        assert answers == [(200, FEED)] * 5
        assert elapsed < 2.0
        assert cpu < 0.5, f"{cpu:.2f} s of CPU in {elapsed + 1:.1f} s"
        assert proc.poll() is None
        assert get(port, "/spacecast.db")[0] == 404


@pytest.mark.slow
def test_a_client_dribbling_its_request_is_dropped_at_the_whole_request_deadline(tmp_path):
    (tmp_path / "feed.xml").write_bytes(FEED)
    server = make_server(tmp_path, "127.0.0.1", 0, head_seconds=1.0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        port = server.server_address[1]
        request = b"GET /feed.xml HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            started = time.monotonic()
            closed_after = None
            for byte in request:
                try:
                    sock.send(bytes([byte]))
                except OSError:
                    closed_after = time.monotonic() - started
                    break
                time.sleep(0.05)  # every read is quick: only a whole-request deadline helps
            if closed_after is None:
                sock.settimeout(3)
                assert sock.recv(100) == b""
                closed_after = time.monotonic() - started
        assert 0.9 < closed_after < 2.5
        # Kept-alive clients have the same deadline between requests; a quick one is served.
        assert get(port, "/feed.xml") == (200, FEED)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.mark.slow
@pytest.mark.parametrize("count", [40])
def test_more_requests_than_workers_are_all_answered(tmp_path: Path, count: int):
    (tmp_path / "feed.xml").write_bytes(FEED * 2000)
    server = make_server(tmp_path, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    results: list[tuple[int, int]] = []
    try:
        port = server.server_address[1]

        def one() -> None:
            status, body = get(port, "/feed.xml")
            results.append((status, len(body)))

        threads = [threading.Thread(target=one) for _ in range(count)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=10)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert results == [(200, len(FEED) * 2000)] * count


def test_a_request_head_over_32_kb_is_refused(tmp_path: Path):
    (tmp_path / "feed.xml").write_bytes(FEED)
    server = make_server(tmp_path, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        with socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=5) as s:
            s.sendall(b"GET /feed.xml HTTP/1.1\r\nX-Big: " + b"a" * 40_000 + b"\r\n\r\n")
            reply = b""
            while chunk := s.recv(4096):
                reply += chunk
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert reply.startswith(b"HTTP/1.1 431 Request Header Fields Too Large\r\n")
