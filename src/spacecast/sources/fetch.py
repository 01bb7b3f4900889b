"""The HTTP client: the only place spacecast touches the network.

``fetch`` uses ``urllib.request``, http and https only, an explicit timeout, an honest
User-Agent, at most five redirects, gzip handled, and never more than ``max_bytes`` read or
inflated.

Private addresses: the URL a user configures is trusted as written (a feed on the home
network works), but a link found inside a feed, and every redirect hop, may reach a
loopback, link-local, private, multicast, reserved or otherwise non-global address only when
it is the configured URL's own origin (same host and port) or the source's
``allow_private`` names its ``host:port`` (``Reach``). The host is resolved, every address
it resolves to is checked, and the connection is made to the address that was checked, so
a name that resolves differently a moment later (DNS rebinding) changes nothing. Numeric
spellings (``http://2130706433/``, ``0x7f.1``, ``::ffff:127.0.0.1``) resolve to the address
they mean and are judged by it.
"""

from __future__ import annotations

import functools
import http.client
import socket
import ssl
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from spacecast.sources.urls import (
    as_uri,
    host_port,
    parse_host_port,
    plain_address,
    private_kind,
    scheme_of,
)
from spacecast.weburl import WEB_SCHEMES


@dataclass(frozen=True)
class NetworkSettings:
    """How web sources are fetched (``[network]``)."""

    timeout: float = 15.0
    """Seconds for each request (connect and read)."""
    max_bytes: int = 5_000_000
    """A response larger than this is cut off and the source reported."""
    user_agent: str = "spacecast (offline news briefing; +https://example.com/spacecast)"
    max_pages: int = 25
    """At most this many new article pages fetched per source per run; the others wait for
    a later run."""
    budget: float = 180.0
    """Seconds all the fetching of one run may take; then the run goes on with what it has."""


MAX_REDIRECTS = 5

BUDGET_SPENT = "not read: the run's time for fetching ([network] budget) ran out"

_CHUNK = 64 * 1024

# The socket timeout bounds each connect and each read, not a server that trickles a byte
# at a time; a whole response may take at most this many timeouts.
_TOTAL_TIME_FACTOR = 4


@dataclass(frozen=True)
class FetchedPage:
    """One HTTP response body, complete and within the size cap."""

    url: str
    """The final URL, after redirects."""
    content_type: str
    """The media type, lower case, without parameters; ``""`` when the server sent none."""
    body: bytes
    """Decompressed."""
    charset: str | None


class FetchError(Exception):
    """A source or page that could not be read; ``reason`` is one line for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class OutOfTime(FetchError):
    """The run's time for fetching (``[network] budget``) ran out before this request."""


_Resolved = tuple[tuple[int, tuple[Any, ...]], ...]  # (family, socket address) pairs


def _resolve(host: str, port: int) -> _Resolved:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return tuple(dict.fromkeys((family, sockaddr) for family, _, _, _, sockaddr in infos))


@dataclass(frozen=True)
class Reach:
    """Where a source's fetches may go besides the public internet: its own origin (the
    ``(host, port)`` of the URL the user configured) and what its ``allow_private`` names."""

    trusted: frozenset[tuple[str, int]] = frozenset()

    @classmethod
    def of(cls, url: str, allow_private: Iterable[str] = ()) -> Reach:
        """The reach of a source configured as ``url``."""
        pairs = {host_port(url), *(parse_host_port(entry) for entry in allow_private)}
        return cls(frozenset(pair for pair in pairs if pair is not None))

    def vet(self, url: str) -> _Resolved | None:
        """The addresses ``url`` may be fetched from, all checked, to connect to; ``None``
        when its host is trusted as written. ``FetchError`` when it may not be fetched."""
        target = host_port(url)
        if target is None:
            raise FetchError("invalid URL (no host)")
        if target in self.trusted:
            return None
        host, port = target
        try:
            resolved = _resolve(host, port)
        except (OSError, UnicodeError) as exc:
            raise FetchError("cannot connect (unknown host)") from exc
        if not resolved:
            raise FetchError("cannot connect (unknown host)")
        for _, sockaddr in resolved:
            kind = private_kind(sockaddr[0])
            if kind is not None and not self._same_server(resolved, port):
                shown = f"[{host}]" if ":" in host else host
                where = shown if sockaddr[0] == host else f"{shown} ({sockaddr[0]})"
                raise FetchError(
                    f"refused: {where} is a {kind} address, not the source's own: list "
                    f'"{shown}:{port}" in the source\'s allow_private to fetch it'
                )
        return resolved

    def _same_server(self, resolved: _Resolved, port: int) -> bool:
        """Whether every address is one a trusted host on ``port`` resolves to (the user's
        ``localhost:8080`` feed linking to ``127.0.0.1:8080``)."""
        addresses = {plain_address(sockaddr[0]) for _, sockaddr in resolved}
        for host, trusted_port in self.trusted:
            if trusted_port != port:
                continue
            try:
                theirs = {plain_address(sockaddr[0]) for _, sockaddr in _resolve(host, port)}
            except (OSError, UnicodeError):
                continue
            if addresses <= theirs:
                return True
        return False


def _pinned_connector(resolved: _Resolved) -> Callable[..., socket.socket]:
    """``socket.create_connection`` that connects to the checked addresses only."""

    def connect(address: tuple[str, int], timeout: Any = None, source: Any = None) -> socket.socket:
        error: OSError | None = None
        for _, sockaddr in resolved:
            try:
                return socket.create_connection((sockaddr[0], address[1]), timeout, source)
            except OSError as exc:
                error = exc
        assert error is not None
        raise error

    return connect


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, resolved: _Resolved | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if resolved is not None:  # the Host header still names the host
            self._create_connection = _pinned_connector(resolved)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, resolved: _Resolved | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if resolved is not None:  # the certificate and SNI are still the host name's
            self._create_connection = _pinned_connector(resolved)


def _vet_request(reach: Reach, request: urllib.request.Request) -> _Resolved | None:
    """Check a request (first or after a redirect) before anything connects; the addresses
    to connect to (``None``: as urllib would, for a trusted host or through a proxy)."""
    try:
        resolved = reach.vet(request.full_url)
    except FetchError as exc:
        if getattr(request, "redirected", False):
            raise FetchError(f"redirected to {request.full_url}: {exc.reason}") from None
        raise
    target = host_port(request.full_url)
    if target is not None and request.host.lower().strip("[]") != target[0]:
        # Through a proxy (from the environment): the target was checked by name; the
        # connection goes to the proxy the user set up.
        return None
    return resolved


class _GuardedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, reach: Reach) -> None:
        super().__init__()
        self.reach = reach

    def http_open(self, req: urllib.request.Request) -> Any:
        resolved = _vet_request(self.reach, req)
        return self.do_open(functools.partial(_PinnedHTTPConnection, resolved=resolved), req)


class _GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, reach: Reach) -> None:
        # The handler's own context, kept where this class can name it: the default
        # verification (system CAs, hostnames), as urllib's own handler uses.
        self.tls = ssl.create_default_context()
        self.tls.set_alpn_protocols(["http/1.1"])
        super().__init__(context=self.tls)
        self.reach = reach

    def https_open(self, req: urllib.request.Request) -> Any:
        resolved = _vet_request(self.reach, req)
        return self.do_open(
            functools.partial(_PinnedHTTPSConnection, resolved=resolved),
            req,
            context=self.tls,
        )


class _RedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follows at most ``MAX_REDIRECTS`` redirects, and only to http(s) addresses."""

    max_redirections = MAX_REDIRECTS

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        if scheme_of(newurl) not in WEB_SCHEMES:
            fp.close()
            raise FetchError(f"redirected to a non-web address ({scheme_of(newurl) or newurl})")
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            new.redirected = True  # type: ignore[attr-defined]  # for the refusal's wording
        return new


def fetch(
    url: str,
    network: NetworkSettings,
    *,
    accept: str,
    reach: Reach | None = None,
    deadline: float | None = None,
) -> FetchedPage:
    """GET ``url`` (http or https only) and return the whole body, decompressed.

    Raises ``FetchError`` with a one-line reason for every way it can fail: a bad scheme, a
    private address ``reach`` does not allow (default: ``url``'s own origin is trusted;
    checked before connecting, and again for each redirect), a timeout
    (``network.timeout`` for connecting and for each read), a refused connection, a non-2xx
    status, too many redirects, a body over ``network.max_bytes``, or ``deadline`` (a
    ``time.monotonic()`` value: the run's time budget) passed.
    """
    if scheme_of(url) not in WEB_SCHEMES:
        shown = f"{scheme_of(url)}:" if scheme_of(url) else url
        raise FetchError(f"not an http or https URL ({shown})")
    try:
        uri = as_uri(url)
    except UnicodeError as exc:
        raise FetchError("invalid URL (host name)") from exc
    started = time.monotonic()
    timeout = network.timeout
    if deadline is not None:
        timeout = min(timeout, deadline - started)
        if timeout <= 0:
            raise OutOfTime(BUDGET_SPENT)
    request = urllib.request.Request(
        uri,
        headers={"User-Agent": network.user_agent, "Accept": accept, "Accept-Encoding": "gzip"},
    )
    guard = reach if reach is not None else Reach.of(uri)
    opener = urllib.request.build_opener(
        _RedirectHandler, _GuardedHTTPHandler(guard), _GuardedHTTPSHandler(guard)
    )
    try:
        with opener.open(request, timeout=timeout) as response:
            body = _read_body(response, network, started, deadline)
            raw_type = response.headers.get("Content-Type", "") or ""
            return FetchedPage(
                url=response.geturl(),
                content_type=raw_type.split(";", 1)[0].strip().lower(),
                body=body,
                charset=response.headers.get_content_charset(),
            )
    except FetchError:
        raise
    except urllib.error.HTTPError as exc:
        exc.close()
        raise FetchError(_http_error_reason(exc)) from exc
    except (OSError, ValueError, http.client.HTTPException, zlib.error) as exc:
        raise FetchError(_error_reason(exc, network)) from exc


def _read_body(
    response: Any, network: NetworkSettings, started: float, budget_end: float | None = None
) -> bytes:
    """Stream the body in chunks, never holding more than ``max_bytes`` (+1) of it."""
    cap = network.max_bytes
    too_large = FetchError(f"response larger than {_megabytes(cap)} MB")
    declared = (response.headers.get("Content-Length") or "").strip()
    if declared.isdigit() and int(declared) > cap:
        raise too_large
    encoding = (response.headers.get("Content-Encoding") or "identity").strip().lower()
    if encoding not in ("identity", "gzip", "x-gzip"):
        raise FetchError(f"unsupported content encoding ({encoding})")
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS) if encoding != "identity" else None
    deadline = started + network.timeout * _TOTAL_TIME_FACTOR
    parts: list[bytes] = []
    received = size = 0
    while True:
        chunk = response.read1(min(_CHUNK, cap + 1 - received))
        if not chunk:
            break
        received += len(chunk)
        if inflater is not None:
            # max_length: a small gzip bomb must not inflate past the cap in memory.
            chunk = inflater.decompress(chunk, cap + 1 - size)
        size += len(chunk)
        if received > cap or size > cap:
            raise too_large
        parts.append(chunk)
        if time.monotonic() > deadline:
            raise FetchError(f"timed out after {network.timeout * _TOTAL_TIME_FACTOR:g} s")
        if budget_end is not None and time.monotonic() > budget_end:
            raise OutOfTime(BUDGET_SPENT)
    if inflater is not None:
        tail = inflater.flush()
        size += len(tail)
        if size > cap:
            raise too_large
        parts.append(tail)
        if not inflater.eof:
            raise FetchError("bad gzip data (truncated)")
    return b"".join(parts)


def _http_error_reason(exc: urllib.error.HTTPError) -> str:
    code = exc.code
    if 300 <= code < 400 and code != 304:
        if scheme_of(exc.url or "") not in WEB_SCHEMES:  # urllib refuses file:// itself
            return f"redirected to a non-web address ({scheme_of(exc.url or '') or exc.url})"
        if urllib.request.HTTPRedirectHandler.inf_msg in str(exc.msg):
            return f"too many redirects (more than {MAX_REDIRECTS})"
        return f"cannot follow the redirect (HTTP {code})"
    return f"HTTP {code}"


def _error_reason(exc: BaseException, network: NetworkSettings) -> str:
    """One line for a network-level failure (``URLError`` is unwrapped)."""
    if isinstance(exc, urllib.error.URLError):
        inner = exc.reason
        if isinstance(inner, BaseException):
            return _error_reason(inner, network)
        return f"cannot connect ({inner})"
    if isinstance(exc, TimeoutError):  # socket.timeout is TimeoutError since Python 3.10
        return f"timed out after {network.timeout:g} s"
    if isinstance(exc, ConnectionRefusedError):
        return "cannot connect (connection refused)"
    if isinstance(exc, socket.gaierror):
        return "cannot connect (unknown host)"
    if isinstance(exc, ssl.SSLError):
        return f"cannot connect (TLS error: {exc.reason or exc})"
    if isinstance(exc, http.client.InvalidURL):
        return "invalid URL"
    if isinstance(exc, http.client.HTTPException):
        return f"bad HTTP response ({type(exc).__name__})"
    if isinstance(exc, zlib.error):
        return "bad gzip data"
    if isinstance(exc, ValueError):
        return f"invalid URL ({exc})"
    if isinstance(exc, OSError):
        return f"network error ({exc.strerror or type(exc).__name__})"
    return str(exc)  # pragma: no cover - fetch only passes the types above


def _megabytes(count: int) -> str:
    return f"{round(count / 1_000_000, 2):g}"
