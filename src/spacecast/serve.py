"""A small, read-only HTTP server for the briefings folder, for podcast apps on the network.

It serves the files of one folder and nothing else: GET and HEAD only, ``/`` is the
listening page (``index.html``), no directory listings, no hidden files (the ``.*.part``
temporaries of atomic writes, lock files), and no path -- through ``..``, encoded
separators, backslashes, NUL bytes or symlinks -- that leads outside the folder. Everything
refused is a plain 404, so a request learns nothing about what exists.

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

import email.utils
import ipaddress
import os
import re
import socket
import socketserver
import stat
import sys
from collections.abc import Callable, Iterator
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

from .errors import ConfigError, SpacecastError

INDEX_NAME = "index.html"
CHUNK = 64 * 1024
ALLOWED = "GET, HEAD"

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
    server: BriefingServer
    protocol_version = "HTTP/1.1"
    server_version = "spacecast"
    sys_version = ""
    timeout = 60  # seconds an idle keep-alive connection may stay open

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

    def _answer(self, handle, st: os.stat_result, name: str, *, body: bool) -> None:
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

    def _stream(self, handle, offset: int, length: int) -> None:
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


def _chunks(handle, offset: int, length: int) -> Iterator[bytes]:
    handle.seek(offset)
    remaining = length
    while remaining > 0:
        chunk = handle.read(min(CHUNK, remaining))
        if not chunk:  # the file shrank (truncated in place): stop short, close the connection
            raise ConnectionResetError("file shrank while being sent")
        remaining -= len(chunk)
        yield chunk


class BriefingServer(ThreadingHTTPServer):
    """The server ``make_server`` returns: ``root`` is the folder served (resolved)."""

    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        root: Path,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.root = root
        self.log = log
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks the host name up (socket.getfqdn), which can stall
        # for seconds on a machine without DNS; the name is only used for CGI variables.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = port

    def handle_error(self, request, client_address) -> None:
        # Quiet: no traceback on stderr. Dropped connections are normal; the rest is logged.
        if self.log is not None:
            exc = sys.exc_info()[1]
            if not isinstance(exc, ConnectionError | TimeoutError):
                self.log(f"{client_address[0]} error: {exc!r}")


class _BriefingServer6(BriefingServer):
    address_family = socket.AF_INET6


class ListenError(SpacecastError):
    """The address or port cannot be listened on (in use, not this machine's, no right)."""


def make_server(
    folder: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    log: Callable[[str], None] | None = None,
) -> ThreadingHTTPServer:
    """A server for ``folder`` bound to ``host:port`` (port 0 picks a free one), not yet
    serving: call ``serve_forever()`` (and ``shutdown()``/``server_close()`` when done).
    The port actually bound is ``server.server_address[1]``."""
    root = Path(folder).resolve()
    if not root.is_dir():
        raise ConfigError(f"{folder}: no such folder to serve; build an episode into it first")
    cls = _BriefingServer6 if ":" in host else BriefingServer
    try:
        return cls((host, port), root, log)
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
