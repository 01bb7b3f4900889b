"""Feeds that attack: private addresses, numeric hosts, redirects to the metadata address,
endless feeds, trickling servers, a million-character title.

Two real servers on 127.0.0.1: the *feed* server (the source the user configures) and the
*private* server, on another port, standing for something on the machine or the LAN that
only a link inside the feed names. Nothing may ever reach the private server unless the
source's ``allow_private`` lists it. Connections are watched with an audit hook
(``socket.connect``), so a refusal is seen to happen before anything connects.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
import sys
import threading
import time
from collections.abc import Iterator
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from spacecast.daily.state import StoryStore
from spacecast.limits import MAX_TITLE_CHARS
from spacecast.sources.fetch import NetworkSettings, Reach, fetch
from spacecast.sources.gather import SourceSpec, gather
from spacecast.sources.urls import private_kind
from spacecast.text.article import Article

NET = NetworkSettings(timeout=2.0, max_bytes=200_000, user_agent="spacecast-tests")
MARKER = "The private marker sentence that must never be published by any briefing."
TODAY = dt.date(2031, 3, 6)


def page(headline: str, sentences: list[str]) -> bytes:
    body = "".join(f"<p>{s}</p>" for s in sentences)
    return (
        f"<!doctype html><html><head><title>{headline}</title></head><body><article>"
        f"<h1>{headline}</h1>{body}</article></body></html>"
    ).encode()


HEALTHY = page(
    "Canal boats return to the basin",
    [
        "Narrow boats moored in the old canal basin on Saturday for the first time in a "
        "decade, after volunteers cleared the silt from the lock gates.",
        "The trust that runs the basin said forty boats had booked moorings for the summer, "
        "and the cafe on the towpath will open every day from May.",
    ],
)
PRIVATE = page("Private", [MARKER, MARKER + " It is served on the loopback address only."])


def rss(items: list[tuple[str, str, str]]) -> bytes:
    """(title, link, guid) items."""
    stamp = format_datetime(dt.datetime(2031, 3, 5, 7, 0, tzinfo=dt.UTC))
    parts = "".join(
        f"<item><title>{title}</title><link>{link}</link><guid>{guid}</guid>"
        f"<pubDate>{stamp}</pubDate><description>Short.</description></item>"
        for title, link, guid in items
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>T</title>"
        f"<link>http://127.0.0.1/</link><description>d</description>{parts}</channel></rss>"
    ).encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, routes) -> None:  # type: ignore[no-untyped-def]
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes = routes
        self.hits: list[str] = []
        self.stop = threading.Event()

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def handle_error(self, request, client_address) -> None:  # type: ignore[override]
        pass


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.server.hits.append(self.path)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.server.routes(self)

    def send(self, body: bytes, ctype: str = "text/html; charset=utf-8") -> None:
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


@contextlib.contextmanager
def running(routes) -> Iterator[_Server]:  # type: ignore[no-untyped-def]
    server = _Server(routes)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield server
    finally:
        server.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def private() -> Iterator[_Server]:
    """The server only a link inside a feed names: it must never be asked for anything."""
    with running(lambda h: h.send(PRIVATE)) as server:
        yield server


# Every socket.connect the process makes while ``watching`` is set, as (host, port).
_CONNECTS: list[tuple[str, int]] = []
_WATCHING = threading.Event()


def _audit(event: str, args: tuple) -> None:
    if event == "socket.connect" and _WATCHING.is_set():
        address = args[1]
        if isinstance(address, tuple):
            _CONNECTS.append((str(address[0]), int(address[1])))


sys.addaudithook(_audit)


@pytest.fixture
def connects() -> Iterator[list[tuple[str, int]]]:
    _CONNECTS.clear()
    _WATCHING.set()
    yield _CONNECTS
    _WATCHING.clear()


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


def hostile_feed(private: _Server):
    """A feed whose entries lead to the private server in every spelling, and to the
    metadata address through a redirect on the feed's own server."""
    port = private.port

    def routes(handler: _Handler) -> None:
        base = handler.server.base
        path = urlsplit(handler.path).path
        if path == "/feed.xml":
            items = [
                ("Loopback by address", f"http://127.0.0.1:{port}/one", "g1"),
                ("Loopback as one number", f"http://2130706433:{port}/two", "g2"),
                ("Loopback in hexadecimal", f"http://0x7f.0.0.1:{port}/three", "g3"),
                ("Loopback by name", f"http://localhost:{port}/four", "g4"),
                ("Loopback inside IPv6", f"http://[::ffff:127.0.0.1]:{port}/five", "g5"),
                ("To the metadata address", f"{base}/go?to=metadata", "g6"),
                ("To the private server", f"{base}/go?to=private", "g7"),
                ("Canal boats return", f"{base}/canal", "g8"),
            ]
            handler.send(rss(items), "application/rss+xml")
        elif path == "/go" and "metadata" in handler.path:
            handler.redirect("http://169.254.169.254/latest/meta-data/iam/")
        elif path == "/go":
            handler.redirect(f"http://127.0.0.1:{port}/six")
        elif path == "/canal":
            handler.send(HEALTHY)
        else:
            handler.send(b"", "text/plain")

    return routes


@pytest.mark.slow
def test_links_inside_a_feed_never_reach_a_private_address(private, connects):
    warnings: list[str] = []
    with running(hostile_feed(private)) as feed:
        spec = SourceSpec(kind="feed", location=f"{feed.base}/feed.xml", name="hostile")
        gathered = gather([spec], NET, warn=warnings.append)
    assert private.hits == []
    assert [a.title for a in gathered.articles] == ["Canal boats return"]
    assert all(MARKER not in a.text for a in gathered.articles)
    # Nothing but the feed's own server was ever connected to.
    assert {port for _, port in connects} == {feed.port}
    assert ("169.254.169.254", 80) not in connects
    shown = {w.split(": ", 2)[1]: w.split(": ", 2)[2] for w in warnings}
    port = private.port
    assert shown[f"http://127.0.0.1:{port}/one"] == (
        f"skipped: refused: 127.0.0.1 is a loopback address, not the source's own: list "
        f'"127.0.0.1:{port}" in the source\'s allow_private to fetch it'
    )
    assert shown[f"http://2130706433:{port}/two"].startswith(
        "skipped: refused: 2130706433 (127.0.0.1) is a loopback address"
    )
    assert shown[f"http://0x7f.0.0.1:{port}/three"].startswith(
        "skipped: refused: 0x7f.0.0.1 (127.0.0.1) is a loopback address"
    )
    assert shown[f"http://localhost:{port}/four"].startswith("skipped: refused: localhost (")
    assert "is a loopback address" in shown[f"http://[::ffff:127.0.0.1]:{port}/five"]
    assert shown[f"{feed.base}/go?to=metadata"] == (
        "skipped: redirected to http://169.254.169.254/latest/meta-data/iam/: refused: "
        "169.254.169.254 is a link-local address, not the source's own: list "
        '"169.254.169.254:80" in the source\'s allow_private to fetch it'
    )
    assert shown[f"{feed.base}/go?to=private"].startswith(
        f"skipped: redirected to http://127.0.0.1:{port}/six: refused: 127.0.0.1 is a "
        "loopback address"
    )


@pytest.mark.slow
def test_allow_private_lets_the_source_reach_the_address_it_names(private, connects):
    with running(hostile_feed(private)) as feed:
        spec = SourceSpec(
            kind="feed",
            location=f"{feed.base}/feed.xml",
            allow_private=(f"127.0.0.1:{private.port}",),
        )
        gathered = gather([spec], NET)
    # The same server in every spelling that resolves to it; never the metadata address.
    assert sorted(private.hits) == ["/five", "/four", "/one", "/six", "/three", "/two"]
    assert sum(MARKER in a.text for a in gathered.articles) == 6
    assert ("169.254.169.254", 80) not in connects


@pytest.mark.slow
def test_the_configured_feed_on_this_machine_is_trusted_as_written(private):
    """A feed on the home network or this machine works: its own links and redirects too."""

    def routes(handler: _Handler) -> None:
        base = handler.server.base
        if handler.path == "/feed.xml":
            items = [("Canal", f"{base}/hop", "c1"), ("By name", f"{base}/canal", "c2")]
            body = rss(items).replace(
                f"{base}/canal".encode(), f"http://localhost:{handler.server.port}/canal".encode()
            )
            handler.send(body, "application/rss+xml")
        elif handler.path == "/hop":
            handler.redirect("/canal")
        else:
            handler.send(HEALTHY)

    with running(routes) as feed:
        gathered = gather([SourceSpec(kind="feed", location=f"{feed.base}/feed.xml")], NET)
    # Its own origin by redirect, and by another name for the same address and port.
    assert [a.title for a in gathered.articles] == ["Canal", "By name"]


@pytest.mark.slow
def test_a_url_source_redirecting_to_the_metadata_address_is_refused_before_connecting(
    connects,
):
    def routes(handler: _Handler) -> None:
        handler.redirect("http://169.254.169.254/latest/meta-data/")

    with running(routes) as site:
        started = time.monotonic()
        gathered = gather([SourceSpec(kind="url", location=f"{site.base}/story")], NET)
    assert time.monotonic() - started < 1.5  # no connection attempt to wait for
    (failure,) = gathered.failures
    assert failure.reason.startswith(
        "redirected to http://169.254.169.254/latest/meta-data/: refused: 169.254.169.254 is "
        "a link-local address"
    )
    assert [host for host, _ in connects] == ["127.0.0.1"]


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.1.2.3", "private"),
        ("2002:c0a8:0101::1", "private"),  # 6to4 of 192.168.1.1
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("10.0.0.5", "private"),
        ("172.16.3.4", "private"),
        ("192.168.1.20", "private"),
        ("fd00::7", "private"),
        ("224.0.0.251", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("100.64.0.1", "non-global"),  # carrier-grade NAT
        ("240.0.0.1", "reserved"),
        ("93.184.216.34", None),
        ("2606:4700::1111", None),
    ],
)
def test_private_kind(address: str, kind: str | None):
    assert private_kind(address) == kind


def test_a_public_address_is_resolved_once_and_the_connection_pinned_to_it():
    reach = Reach.of("https://news.example/rss.xml")
    resolved = reach.vet("http://93.184.216.34:8080/story")
    assert resolved is not None
    assert [sockaddr[:2] for _, sockaddr in resolved] == [("93.184.216.34", 8080)]
    assert reach.vet("https://news.example/story") is None  # the source's own: as written


def test_fetch_of_a_url_given_by_the_user_trusts_its_origin(private):
    fetched = fetch(f"{private.base}/x", NET, accept="text/html")
    assert MARKER.encode() in fetched.body


# --- fetching only what can be used ----------------------------------------------------------


def numbered_feed(count: int, *, moving_links: bool = False):
    """A feed of ``count`` entries; with ``moving_links`` every fetch of the feed gives the
    links a new query (as some feeds' tracking does), while the guids stay."""
    fetches = [0]

    def routes(handler: _Handler) -> None:
        base = handler.server.base
        path = urlsplit(handler.path).path
        if path == "/feed.xml":
            fetches[0] += 1
            tag = f"?ref={fetches[0]}" if moving_links else ""
            items = [
                (f"Story number {n}", f"{base}/story/{n}{tag}", f"urn:story:{n}")
                for n in range(count)
            ]
            handler.send(rss(items), "application/rss+xml")
        else:
            number = path.rsplit("/", 1)[1]
            handler.send(
                page(
                    f"Story number {number}",
                    [
                        f"The parish council met for the {number} time this year and agreed "
                        "to mend the footbridge over the brook before the spring floods.",
                        "Walkers had complained for months that the planks were loose and "
                        "that the handrail wobbled in the wind.",
                    ],
                )
            )

    return routes


def story_hits(server: _Server) -> list[str]:
    return [hit for hit in server.hits if hit.startswith("/story/")]


@pytest.mark.slow
def test_at_most_max_pages_new_entries_are_fetched_and_the_rest_wait(tmp_path):
    notes: list[str] = []
    net = NetworkSettings(timeout=2.0, max_bytes=200_000, max_pages=5)
    with running(numbered_feed(60)) as feed, StoryStore(tmp_path) as store:
        spec = SourceSpec(kind="feed", location=f"{feed.base}/feed.xml", name="endless")
        first = gather(
            [spec],
            net,
            is_new=lambda a: store.is_new(a, TODAY),
            recall=lambda a: store.recall(a, TODAY),
            note=notes.append,
        )
        assert len(story_hits(feed)) == 5
        assert notes == [
            "endless: 55 more new entries left for another run (at most 5 pages a run: "
            "[network] max_pages)"
        ]
        # Two read, three left out: the next run fetches none of them again, and takes the
        # stories left out from the memory, then five more from the feed.
        store.remember(first.articles[:2], TODAY, left_out=first.articles[2:])
        feed.hits.clear()
        tomorrow = TODAY + dt.timedelta(days=1)
        second = gather(
            [spec],
            net,
            is_new=lambda a: store.is_new(a, tomorrow),
            recall=lambda a: store.recall(a, tomorrow),
        )
    assert story_hits(feed) == [f"/story/{n}" for n in range(5, 10)]
    assert [a.title for a in second.articles] == [f"Story number {n}" for n in range(2, 10)]


@pytest.mark.slow
def test_entries_remembered_by_guid_are_not_fetched_when_their_links_move(tmp_path):
    with running(numbered_feed(3, moving_links=True)) as feed, StoryStore(tmp_path) as store:
        spec = SourceSpec(kind="feed", location=f"{feed.base}/feed.xml")
        first = gather([spec], NET, is_new=lambda a: store.is_new(a, TODAY))
        assert len(story_hits(feed)) == 3
        store.remember(first.articles, TODAY)
        feed.hits.clear()
        tomorrow = TODAY + dt.timedelta(days=1)
        second = gather([spec], NET, is_new=lambda a: store.is_new(a, tomorrow))
    assert story_hits(feed) == []
    assert second.articles == ()


@pytest.mark.slow
def test_trickling_servers_cannot_hold_the_run_past_its_budget():
    """Ten entries whose pages trickle a byte at a time: each read is quick, so only the
    run's budget stops them (at timeout = 1 each could take 4 s: 40 s in all)."""

    def routes(handler: _Handler) -> None:
        base = handler.server.base
        if handler.path == "/feed.xml":
            items = [(f"Slow {n}", f"{base}/slow/{n}", f"s{n}") for n in range(10)]
            handler.send(rss(items), "application/rss+xml")
            return
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        while not handler.server.stop.is_set():
            handler.wfile.write(b" ")
            handler.wfile.flush()
            handler.server.stop.wait(0.2)

    warnings: list[str] = []
    net = NetworkSettings(timeout=1.0, max_bytes=200_000, budget=2.0)
    with running(routes) as feed:
        started = time.monotonic()
        gathered = gather(
            [
                SourceSpec(kind="feed", location=f"{feed.base}/feed.xml", name="slow"),
                SourceSpec(kind="url", location=f"{feed.base}/slow/99", name="later"),
            ],
            net,
            warn=warnings.append,
        )
        elapsed = time.monotonic() - started
    assert elapsed < 4.5
    assert [(f.source, f.reason) for f in gathered.failures] == [
        ("slow", "not read: the run's time for fetching ([network] budget) ran out"),
        ("later", "not read: the run's time for fetching ([network] budget) ran out"),
    ]
    assert warnings[-1] == (
        "fetching stopped after 2 s ([network] budget): going on with the 0 stories gathered so far"
    )


@pytest.mark.slow
def test_a_million_character_title_is_not_read_as_a_headline():
    huge = "Breaking " * 111_112  # a million characters

    def routes(handler: _Handler) -> None:
        base = handler.server.base
        if handler.path == "/feed.xml":
            items = [(huge, f"{base}/canal", "h1")]
            handler.send(rss(items), "application/rss+xml")
        else:
            handler.send(HEALTHY)

    warnings: list[str] = []
    with running(routes) as feed:
        spec = SourceSpec(kind="feed", location=f"{feed.base}/feed.xml", name="poisoned")
        (article,) = gather([spec], NetworkSettings(), warn=warnings.append).articles
    assert article.title == ""  # read without a headline; labelled by its first sentence
    assert article.label == "Narrow boats moored in the old canal basin on Saturday…"
    length = len(" ".join(huge.split()))
    assert warnings == [
        f"poisoned: {feed.base}/canal: its title is {length:,} characters long "
        f"(limit {MAX_TITLE_CHARS}), not a headline: read without one"
    ]


@pytest.mark.slow
def test_a_story_stub_is_what_the_store_recognises():
    """The stub gather asks about carries the entry's guid (a regression guard)."""
    seen: list[Article] = []
    with running(numbered_feed(1)) as feed:
        gather(
            [SourceSpec(kind="feed", location=f"{feed.base}/feed.xml")],
            NET,
            is_new=lambda a: seen.append(a) or True,
        )
    assert seen[0].paragraphs == () and seen[0].guid == "urn:story:0"
    assert seen[1].paragraphs and seen[1].guid == "urn:story:0"


def test_the_checks_need_no_network_for_numeric_hosts():
    """Numeric spellings are resolved by the C library without DNS: safe to test offline."""
    assert socket.getaddrinfo("2130706433", 80)[0][4][0] == "127.0.0.1"
