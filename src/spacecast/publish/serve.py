"""A small, read-only HTTP server for the briefings folder, for podcast apps on the network.

It serves what the folder publishes and nothing else: ``/`` and ``index.html`` (the
listening page), ``feed.xml``, ``cover.jpg``, and the files of each episode its record
names (the MP3, chapters, captions, transcript and show notes). Not the story memory
(``spacecast.db``), the log, the lock, an episode's record, temporary or partial files,
subfolders or anything else put there. GET and HEAD only, no directory listings, and no
path -- through ``..``, encoded separators, backslashes, NUL bytes or symlinks -- that leads
outside the folder. Everything refused is a plain 404, so a request learns nothing about
what exists.

Connections are bounded (see ``BriefingServer``): a request must arrive whole within
``HEAD_SECONDS``, at most ``WORKERS`` requests are answered at once, idle connections hold
no thread, and the listen backlog is ``BACKLOG``.

Players seek with byte ranges, so single ranges are honoured (RFC 7233/9110):

* ``bytes=a-b``, ``bytes=a-``, ``bytes=-n`` → 206 with ``Content-Range: bytes a-b/size``;
* a ``bytes`` range that cannot be satisfied or is invalid (start past the end, ``5-2``,
  ``-0``, a spec that does not parse) → 416 with ``Content-Range: bytes */size``;
* several ranges (``bytes=0-1,5-9``) are not supported: the header is ignored and the whole
  file is sent with 200, as the RFC allows a server to do with any Range header;
* a range in another unit (``items=1-2``) is ignored (200), as the RFC requires;
* ``If-Range`` with a validator that no longer matches → 200 with the whole file.

Responses carry ``Content-Length``, ``Last-Modified``, a strong ``ETag`` (size and
modification time) and ``Accept-Ranges: bytes``; ``If-None-Match`` / ``If-Modified-Since``
answer 304. File bodies are streamed in chunks from an open descriptor, so a file replaced
atomically while it is being sent is sent whole, old version, to the end.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import email.utils
import errno
import io
import ipaddress
import os
import queue
import re
import resource
import selectors
import socket
import socketserver
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import BinaryIO, Literal
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

from spacecast.errors import ConfigError, SpacecastError
from spacecast.publish.episode import SIDECAR_SUFFIX, read_record

INDEX_NAME = "index.html"
FEED_NAME = "feed.xml"
COVER_NAME = "cover.jpg"
CHUNK = 64 * 1024
ALLOWED = "GET, HEAD"
BACKLOG = 64
"""Connections the kernel holds for the server before it accepts them."""
WORKERS = 16
"""Requests answered at once; more wait their turn."""
MAX_CONNECTIONS = 512
"""Connections open at once (fewer when ``ulimit -n`` allows fewer files)."""
HEAD_SECONDS = 10.0
"""A request line and its headers must arrive whole within this many seconds of the
connection (or of the previous answer on a kept-alive one): a whole-request deadline, so a
client dribbling a byte at a time gains nothing."""
SEND_SECONDS = 30.0
"""Each chunk of an answer must be taken by the client within this time."""
MAX_HEAD_BYTES = 32 * 1024

MIME_TYPES: dict[str, str] = {
    ".mp3": "audio/mpeg",
    ".xml": "application/rss+xml",
    ".json": "application/json",
    ".vtt": "text/vtt; charset=utf-8",
    ".srt": "application/x-subrip",
    ".txt": "text/plain; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
"""Content types by (lower-case) suffix; anything else is ``application/octet-stream``.

``.xml`` is ``application/rss+xml`` because the only XML file a briefings folder holds is
its feed. Chapters files (``*.chapters.json``) are plain ``application/json``: the Podcast
Namespace's ``application/json+chapters`` belongs in the feed's ``<podcast:chapters>`` type
attribute, and players and browsers fetch the file happily as JSON."""

DEFAULT_TYPE = "application/octet-stream"

_RANGE_SPEC = re.compile(r"^(\d*)-(\d*)$")


def content_type(name: str) -> str:
    """The Content-Type header for a file called ``name``."""
    return MIME_TYPES.get(os.path.splitext(name)[1].lower(), DEFAULT_TYPE)


def parse_range(header: str | None, size: int) -> tuple[int, int] | Literal[False] | None:
    """Interpret a Range header for a file of ``size`` bytes.

    Returns ``(first, last)`` (inclusive) for a satisfiable single byte range, ``None``
    when the header is absent or ignored (send the whole file), and ``False`` when it
    asks for bytes that cannot be served (answer 416).
    """
    if header is None:
        return None
    unit, sep, spec = header.partition("=")
    if not sep or unit.strip().lower() != "bytes":
        return None  # another unit, or not a range at all: ignored
    if "," in spec:
        return None  # several ranges: ignored, the whole file is sent
    match = _RANGE_SPEC.match(spec.strip())
    if not match:
        return False
    first_text, last_text = match.groups()
    try:
        if first_text:
            first = int(first_text)
            last = int(last_text) if last_text else size - 1
            if last_text and last < first:
                return False
            if first >= size:
                return False
            return first, min(last, size - 1)
        if not last_text:
            return False  # "bytes=-"
        suffix = int(last_text)
    except ValueError:  # a number too long to convert
        return False
    if suffix <= 0 or size == 0:
        return False
    return max(0, size - suffix), size - 1


def _etag(st: os.stat_result) -> str:
    return f'"{st.st_size:x}-{st.st_mtime_ns:x}"'


def _http_date(timestamp: float) -> str:
    return email.utils.formatdate(timestamp, usegmt=True)


def _parse_http_date(value: str) -> float | None:
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None or parsed.tzinfo is None:
        return None
    return parsed.timestamp()


def _etag_listed(header: str, etag: str) -> bool:
    """Whether an If-None-Match header names ``etag`` (weak comparison) or is ``*``."""
    tags = [tag.strip() for tag in header.split(",")]
    return any(tag == "*" or tag.removeprefix("W/") == etag for tag in tags)


class _Refused(Exception):
    """The request names nothing this server shows: answered with 404."""


class _Handler(BaseHTTPRequestHandler):
    """Answers the one request whose head ``BriefingServer`` has read (``_Connection``)."""

    # The server is ours, not a socketserver.BaseServer: its type narrows the base class's.
    server: BriefingServer  # type: ignore[assignment]
    protocol_version = "HTTP/1.1"
    server_version = "spacecast"
    sys_version = ""

    def setup(self) -> None:
        conn: _Connection = self.request
        self.connection = conn.sock
        self.rfile = io.BytesIO(conn.head)
        # The writer StreamRequestHandler uses when unbuffered; typeshed does not declare it.
        self.wfile = socketserver._SocketWriter(conn.sock)  # type: ignore[attr-defined]

    def handle(self) -> None:
        self.close_connection = True
        self.handle_one_request()

    def finish(self) -> None:
        pass  # the socket stays open for the next request, or the server closes it

    # -- the request line ------------------------------------------------------------------

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if self.command not in ("GET", "HEAD"):
            # The body of the refused request is not read, so the connection cannot be reused.
            self.close_connection = True
            self._send_simple(
                HTTPStatus.METHOD_NOT_ALLOWED, {"Allow": ALLOWED, "Connection": "close"}
            )
            return False
        return True

    def do_GET(self) -> None:
        self._serve(body=True)

    def do_HEAD(self) -> None:
        self._serve(body=False)

    # -- locating the file -----------------------------------------------------------------

    def _target(self) -> Path:
        """The file the request path names, inside the folder, or raise _Refused."""
        raw = self.path
        if raw.lower().startswith(("http://", "https://")):  # absolute-form request target
            raw = urlsplit(raw).path or "/"
        raw = raw.split("#", 1)[0].split("?", 1)[0]
        if not raw.startswith("/"):
            raise _Refused
        try:
            decoded = unquote(raw, encoding="utf-8", errors="strict")
        except UnicodeDecodeError:
            raise _Refused from None
        if "\x00" in decoded or "\\" in decoded:
            raise _Refused
        parts = [part for part in decoded.split("/") if part]
        # Dot-names are hidden files, and "." and ".." are never needed to name a file.
        if any(part.startswith(".") for part in parts):
            raise _Refused
        if not parts:
            parts = [INDEX_NAME]
        if len(parts) != 1 or parts[0] not in self.server.served:
            raise _Refused  # not one of the files the folder publishes
        root = self.server.root
        try:
            resolved = root.joinpath(*parts).resolve(strict=True)
        except (OSError, RuntimeError, ValueError):
            raise _Refused from None
        if not resolved.is_relative_to(root):
            raise _Refused  # a symlink leading out of the folder
        if any(part.startswith(".") for part in resolved.relative_to(root).parts):
            raise _Refused  # a symlink leading to a hidden file
        return resolved

    def _open(self, path: Path) -> tuple[int, os.stat_result]:
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        try:
            fd = os.open(path, flags)
        except OSError:
            raise _Refused from None
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):  # directories, fifos, devices
            os.close(fd)
            raise _Refused
        return fd, st

    # -- answering -------------------------------------------------------------------------

    def _serve(self, *, body: bool) -> None:
        try:
            path = self._target()
            fd, st = self._open(path)
        except _Refused:
            self._send_simple(HTTPStatus.NOT_FOUND, {}, body=body)
            return
        with os.fdopen(fd, "rb") as handle:
            self._answer(handle, st, path.name, body=body)

    def _validators(self, st: os.stat_result) -> dict[str, str]:
        return {
            "ETag": _etag(st),
            "Last-Modified": _http_date(st.st_mtime),
            "Cache-Control": "no-cache",
        }

    def _not_modified(self, st: os.stat_result) -> bool:
        etag = _etag(st)
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            return _etag_listed(if_none_match, etag)
        since = self.headers.get("If-Modified-Since")
        if since:
            when = _parse_http_date(since)
            return when is not None and int(st.st_mtime) <= when
        return False

    def _range_applies(self, st: os.stat_result) -> bool:
        """False when an If-Range validator says the client's copy is stale."""
        if_range = self.headers.get("If-Range")
        if if_range is None:
            return True
        if_range = if_range.strip()
        if if_range.startswith(('"', "W/")):
            return if_range == _etag(st)  # strong comparison: a weak tag never matches
        when = _parse_http_date(if_range)
        return when is not None and int(st.st_mtime) == int(when)

    def _answer(self, handle: BinaryIO, st: os.stat_result, name: str, *, body: bool) -> None:
        size = st.st_size
        validators = self._validators(st)
        if self._not_modified(st):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            for name, value in validators.items():
                self.send_header(name, value)
            self.end_headers()
            return
        wanted = None
        if self._range_applies(st):
            wanted = parse_range(self.headers.get("Range"), size)
        if wanted is False:
            self._send_simple(
                HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
                {"Content-Range": f"bytes */{size}", "Accept-Ranges": "bytes", **validators},
                body=body,
            )
            return
        if wanted is None:
            first, last, status = 0, size - 1, HTTPStatus.OK
        else:
            first, last = wanted
            status = HTTPStatus.PARTIAL_CONTENT
        length = last - first + 1 if size else 0
        self.send_response(status)
        self.send_header("Content-Type", content_type(name))
        self.send_header("Content-Length", str(length))
        self.send_header("Accept-Ranges", "bytes")
        if status == HTTPStatus.PARTIAL_CONTENT:
            self.send_header("Content-Range", f"bytes {first}-{last}/{size}")
        for name, value in validators.items():
            self.send_header(name, value)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if body and length:
            self._stream(handle, first, length)

    def _stream(self, handle: BinaryIO, offset: int, length: int) -> None:
        try:
            for chunk in _chunks(handle, offset, length):
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            # Players drop connections mid-file all the time when seeking.
            self.close_connection = True

    def _send_simple(
        self, status: HTTPStatus, headers: dict[str, str], *, body: bool = True
    ) -> None:
        """A short plain-text answer (errors, 405, 416), with a correct Content-Length."""
        text = f"{status.value} {status.phrase}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(text)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            try:
                self.wfile.write(text)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors raised by the request parser (400, 414, 431, ...): plain, and close."""
        try:
            status = HTTPStatus(code)
        except ValueError:
            status = HTTPStatus.BAD_REQUEST
        self.close_connection = True
        self._send_simple(status, {"Connection": "close"}, body=self.command != "HEAD")

    # -- logging ---------------------------------------------------------------------------

    def log_message(self, format: str, *args: object) -> None:
        log = self.server.log
        if log is not None:
            log(f"{self.address_string()} {format % args}")


def _chunks(handle: BinaryIO, offset: int, length: int) -> Iterator[bytes]:
    handle.seek(offset)
    remaining = length
    while remaining > 0:
        chunk = handle.read(min(CHUNK, remaining))
        if not chunk:  # the file shrank (truncated in place): stop short, close the connection
            raise ConnectionResetError("file shrank while being sent")
        remaining -= len(chunk)
        yield chunk


@dataclass
class _Connection:
    """One client connection: the bytes of its next request head, and until when it may
    take to send them."""

    sock: socket.socket
    address: tuple
    deadline: float
    data: bytes = b""
    head: bytes = b""
    refused: bool = False
    """Answered 431 and half-closed: what it still sends is read and dropped until it hangs
    up, so that the answer is not lost to a reset."""


def _split_head(data: bytes) -> tuple[bytes, bytes] | None:
    """``(head, rest)`` once ``data`` holds a whole request line and headers, else ``None``."""
    ends = [i for i in (data.find(b"\r\n\r\n"), data.find(b"\n\n")) if i >= 0]
    if not ends:
        return None
    end = min(ends)
    end += 4 if data.startswith(b"\r\n\r\n", end) else 2
    return data[:end], data[end:]


def _connection_cap() -> int:
    """How many connections may be open at once: ``MAX_CONNECTIONS``, or fewer when the
    process may open fewer files (``ulimit -n``), keeping room for the files being sent."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return MAX_CONNECTIONS
    return max(4, min(MAX_CONNECTIONS, soft - WORKERS - 24))


class BriefingServer:
    """The server ``make_server`` returns: ``root`` is the folder served (resolved).

    One thread waits on every connection (``selectors``) until a whole request head has
    arrived, within ``HEAD_SECONDS`` of the connection (or of the previous answer on a
    kept-alive one); only then does one of ``WORKERS`` threads answer it. So idle or
    trickling clients hold no thread, a slow one is dropped at its deadline, and at most
    ``_connection_cap()`` connections are open: past it, the one that has waited longest
    for its request is closed to make room, so a client that asks at once is answered.
    """

    def __init__(
        self,
        address: tuple[str, int],
        root: Path,
        log: Callable[[str], None] | None = None,
        family: int = socket.AF_INET,
        head_seconds: float = HEAD_SECONDS,
    ) -> None:
        self.root = root
        self.log = log
        self.head_seconds = head_seconds
        self.served = _ServedNames(root)
        self.socket = socket.socket(family, socket.SOCK_STREAM)
        try:
            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.socket.bind(address)
            self.socket.listen(BACKLOG)
        except OSError:
            self.socket.close()
            raise
        self.socket.setblocking(False)
        self.server_address = self.socket.getsockname()
        self._cap = _connection_cap()
        self._selector = selectors.DefaultSelector()
        self._wake_read, self._wake_write = socket.socketpair()
        self._wake_read.setblocking(False)
        self._returned: queue.SimpleQueue[_Connection | None] = queue.SimpleQueue()
        self._waiting: dict[socket.socket, _Connection] = {}
        self._busy = 0
        self._listening = False
        self._accept_again = 0.0
        self._stop = threading.Event()
        self._stopped = threading.Event()
        self._stopped.set()
        self._pool = cf.ThreadPoolExecutor(WORKERS, thread_name_prefix="spacecast-serve")

    # -- the waiting loop --------------------------------------------------------------------

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        """Answer requests until ``shutdown()``."""
        self._stopped.clear()
        self._stop.clear()
        self._selector.register(self._wake_read, selectors.EVENT_READ)
        self._listen(True)
        try:
            while not self._stop.is_set():
                timeout = poll_interval
                if self._waiting:
                    soonest = min(c.deadline for c in self._waiting.values())
                    timeout = max(0.0, min(timeout, soonest - time.monotonic()))
                for key, _ in self._selector.select(timeout):
                    if key.fileobj is self.socket:
                        self._accept()
                    elif key.fileobj is self._wake_read:
                        self._take_back()
                    else:
                        self._read(key.data)
                self._expire()
                if not self._listening and self._may_accept():
                    self._listen(True)
        finally:
            self._listen(False)
            self._selector.unregister(self._wake_read)
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop ``serve_forever`` (from another thread) and wait until it has."""
        self._stop.set()
        self._wake()
        self._stopped.wait()

    def server_close(self) -> None:
        """Close the listening socket and every connection."""
        self._stop.set()
        self._pool.shutdown(wait=False, cancel_futures=True)
        for conn in list(self._waiting.values()):
            self._close(conn)
        self._selector.close()
        for sock in (self.socket, self._wake_read, self._wake_write):
            sock.close()

    def _listen(self, on: bool) -> None:
        if on == self._listening:
            return
        if on:
            self._selector.register(self.socket, selectors.EVENT_READ)
        else:
            self._selector.unregister(self.socket)
        self._listening = on

    def _may_accept(self) -> bool:
        if time.monotonic() < self._accept_again:
            return False
        return self._busy < self._cap

    def _accept(self) -> None:
        while True:
            if len(self._waiting) + self._busy >= self._cap and not self._evict():
                self._listen(False)  # every slot is answering: new clients wait in the backlog
                return
            try:
                sock, address = self.socket.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:
                if exc.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                    # Out of descriptors: make room, or rest a moment rather than spin.
                    if not self._evict():
                        self._listen(False)
                        self._accept_again = time.monotonic() + 0.25
                    return
                if exc.errno in (errno.ECONNABORTED, errno.EPROTO):
                    continue
                raise
            sock.setblocking(False)
            self._wait_for_head(_Connection(sock, address, time.monotonic() + self.head_seconds))

    def _evict(self) -> bool:
        """Close the connection that has waited longest for its request; False if none."""
        if not self._waiting:
            return False
        oldest = min(self._waiting.values(), key=lambda c: c.deadline)
        self._close(oldest)
        return True

    def _wait_for_head(self, conn: _Connection) -> None:
        if self._dispatch_if_whole(conn):
            return
        self._waiting[conn.sock] = conn
        self._selector.register(conn.sock, selectors.EVENT_READ, conn)

    def _read(self, conn: _Connection) -> None:
        try:
            chunk = conn.sock.recv(MAX_HEAD_BYTES)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        if not chunk:  # the client hung up
            self._close(conn)
            return
        if conn.refused:
            return
        conn.data += chunk
        split = _split_head(conn.data)
        if len(split[0] if split else conn.data) > MAX_HEAD_BYTES:
            conn.refused, conn.data = True, b""
            conn.deadline = min(conn.deadline, time.monotonic() + 2)
            with contextlib.suppress(OSError):
                conn.sock.send(_TOO_LARGE)
                conn.sock.shutdown(socket.SHUT_WR)
            return
        if split is not None:
            self._forget(conn)
            self._dispatch_if_whole(conn)

    def _dispatch_if_whole(self, conn: _Connection) -> bool:
        split = _split_head(conn.data)
        if split is None:
            return False
        conn.head, conn.data = split
        self._busy += 1
        try:
            self._pool.submit(self._answer, conn)
        except RuntimeError:  # shutting down
            self._busy -= 1
            self._close(conn)
        return True

    def _expire(self) -> None:
        now = time.monotonic()
        for conn in [c for c in self._waiting.values() if c.deadline <= now]:
            self._close(conn)  # a whole request did not arrive in time

    def _forget(self, conn: _Connection) -> None:
        if self._waiting.pop(conn.sock, None) is not None:
            self._selector.unregister(conn.sock)

    def _close(self, conn: _Connection) -> None:
        self._forget(conn)
        with contextlib.suppress(OSError):
            conn.sock.close()

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            self._wake_write.send(b"\0")

    def _take_back(self) -> None:
        with contextlib.suppress(OSError):
            while self._wake_read.recv(4096):
                pass
        while True:
            try:
                conn = self._returned.get_nowait()
            except queue.Empty:
                return
            self._busy -= 1
            if conn is not None:  # kept alive: wait for its next request
                conn.deadline = time.monotonic() + self.head_seconds
                conn.sock.setblocking(False)
                self._wait_for_head(conn)

    # -- answering, on a worker thread ------------------------------------------------------

    def _answer(self, conn: _Connection) -> None:
        keep = False
        try:
            conn.sock.settimeout(SEND_SECONDS)
            # A _Connection stands for the request socket: _Handler.setup unpacks it, and
            # the server is this one, not a socketserver.BaseServer.
            handler = _Handler(conn, conn.address, self)  # type: ignore[arg-type]
            keep = not handler.close_connection
        except Exception:  # one bad request must not stop the server
            self.handle_error(conn.sock, conn.address)
        if not keep or self._stop.is_set():
            with contextlib.suppress(OSError):
                conn.sock.close()
            self._returned.put(None)
        else:
            self._returned.put(conn)
        self._wake()

    def handle_error(self, request: object, client_address: tuple) -> None:
        # Quiet: no traceback on stderr. Dropped connections are normal; the rest is logged.
        if self.log is not None:
            exc = sys.exc_info()[1]
            if not isinstance(exc, ConnectionError | TimeoutError):
                self.log(f"{client_address[0]} error: {exc!r}")


_TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\n"
    b"Connection: close\r\n\r\n"
)


class _ServedNames:
    """The names the server shows (``SERVED``): the page, the feed, the cover, and the files
    of every episode whose record is in the folder; read again when the folder changes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._stamp: int | None = None
        self._names: frozenset[str] = frozenset()

    def __contains__(self, name: str) -> bool:
        try:
            stamp = self.root.stat().st_mtime_ns  # a file added, removed or replaced
        except OSError:
            return False
        with self._lock:
            if stamp != self._stamp:
                self._names = frozenset(_served_names(self.root))
                self._stamp = stamp
            return name in self._names


def _served_names(root: Path) -> set[str]:
    names = {INDEX_NAME, FEED_NAME, COVER_NAME}
    for path in root.glob(f"*{SIDECAR_SUFFIX}"):
        record = read_record(path)
        if record is None:
            continue
        files = record.files
        names.update(
            (files.audio, files.chapters, files.vtt, files.srt, files.text, files.notes_md,
             files.notes_html)
        )  # fmt: skip
    return {name for name in names if "/" not in name and not name.startswith(".")}


class ListenError(SpacecastError):
    """The address or port cannot be listened on (in use, not this machine's, no right)."""


def make_server(
    folder: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    log: Callable[[str], None] | None = None,
    head_seconds: float = HEAD_SECONDS,
) -> BriefingServer:
    """A server for ``folder`` bound to ``host:port`` (port 0 picks a free one), not yet
    serving: call ``serve_forever()`` (and ``shutdown()``/``server_close()`` when done).
    The port actually bound is ``server.server_address[1]``."""
    root = Path(folder).resolve()
    if not root.is_dir():
        raise ConfigError(f"{folder}: no such folder to serve; build an episode into it first")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return BriefingServer((host, port), root, log, family, head_seconds)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ListenError(
            f"cannot listen on {host}:{port}: {reason}; choose another port or address"
        ) from exc


# --- do the feed's links lead here? ------------------------------------------------------------

_ATOM_LINK = "{http://www.w3.org/2005/Atom}link"
_ANY_ADDRESS = ("0.0.0.0", "::", "")


def feed_base_url(folder: Path, feed_file: str = "feed.xml") -> str | None:
    """The address the folder's feed was written for (its links start with it), or ``None``
    when there is no readable feed."""
    try:
        root = ElementTree.parse(folder / feed_file).getroot()
    except (OSError, ElementTree.ParseError):
        return None
    for link in root.iter(_ATOM_LINK):
        href = link.get("href", "")
        if link.get("rel") == "self" and href.endswith("/" + feed_file):
            return href[: -len(feed_file)]
    return None


def this_machine_address() -> str:
    """The address other devices on the network most likely reach this machine at: the one
    of the interface that routes outwards (a UDP "connect" sends nothing), else its name."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never contacted
            address = probe.getsockname()[0]
        except OSError:
            address = ""
    if not address or _is_loopback(address) or address in _ANY_ADDRESS:
        return socket.gethostname()
    return address


def address_for(host: str, port: int) -> str:
    """The base URL that reaches a server listening on ``host:port``."""
    name = this_machine_address() if host in _ANY_ADDRESS else host
    if ":" in name:  # IPv6
        name = f"[{name}]"
    return f"http://{name}:{port}/"


def unreachable_links(base_url: str, host: str, port: int) -> str | None:
    """Why links under ``base_url`` cannot reach a server listening on ``host:port``, or
    ``None`` when they can (or when it cannot be told: an https address or a host name
    may be a proxy in front of this server)."""
    parts = urlsplit(base_url)
    name = parts.hostname or ""
    if parts.scheme != "http" or not _is_address(name):
        return None
    try:
        link_port = parts.port or 80
    except ValueError:
        return None
    if _is_loopback(name) and not _is_loopback(host):
        return f"{base_url}, which only this machine can open"
    if not _is_loopback(name) and _is_loopback(host):
        return f"{base_url}, but this server only answers this machine"
    both_loopback = _is_loopback(name) and _is_loopback(host)
    if host not in _ANY_ADDRESS and not both_loopback and not _same_address(name, host):
        return f"{base_url}, but this server listens on {host}"
    if link_port != port:
        return f"{base_url}, but this server listens on port {port}"
    return None


def _is_address(name: str) -> bool:
    if name == "localhost":
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _is_loopback(name: str) -> bool:
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name.strip("[]")).is_loopback
    except ValueError:
        return False


def _same_address(a: str, b: str) -> bool:
    try:
        return ipaddress.ip_address(a.strip("[]")) == ipaddress.ip_address(b.strip("[]"))
    except ValueError:
        return a == b
