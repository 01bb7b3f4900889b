"""Gathering stories from folders, feeds and pages, against a real server on 127.0.0.1.

Every feed and page is written here (short fictional news). The server runs in a daemon
thread for the whole module; no test touches anything but the loopback address.
"""

from __future__ import annotations

import contextlib
import gzip
import socket
import threading
import time
from collections.abc import Iterator
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from spacecast.sources.feeds import FEED_ACCEPT
from spacecast.sources.fetch import FetchError, NetworkSettings, fetch
from spacecast.sources.gather import Gathered, SourceFailure, SourceSpec, gather
from spacecast.sources.urls import normalise_url
from spacecast.text.article import Article

UA = "spacecast-tests/1.0 (offline news briefing; +https://example.invalid/spacecast)"
NET = NetworkSettings(timeout=2.0, max_bytes=200_000, user_agent=UA)
SLOW_NET = NetworkSettings(timeout=0.5, max_bytes=200_000, user_agent=UA)
SMALL_NET = NetworkSettings(timeout=2.0, max_bytes=200_000)  # as the tests' settings file says
SLOW_SECONDS = 2.0  # the slow route's delay: well past SLOW_NET.timeout, still bounded
HUGE_BYTES = 2_000_000
BOILERPLATE = ("Most read", "All rights reserved", "Sign in", "Giant marrow", "Weather")

# slug -> (headline on the page, paragraphs)
STORIES: dict[str, tuple[str, list[str]]] = {
    "ferry": (
        "Harbour ferry returns after restoration",
        [
            "The old harbour ferry carried its first passengers in three years on Tuesday "
            "morning, after volunteers finished a long restoration of the wooden boat.",
            "Members of the ferry trust spent more than ten thousand hours on the hull, the "
            "engine and the benches, much of it during the winter evenings.",
            "The crossing between the two quays will run every half hour until the end of "
            "October, weather permitting, and children travel free at weekends.",
        ],
    ),
    "lighthouse": (
        "Keeper's cottage opens as a museum",
        [
            "The cottage beside the north point lighthouse opened as a small museum on "
            "Saturday, forty years after the last keeper moved out.",
            "Visitors can climb to the lamp room and read the keepers' logbooks, which record "
            "storms, shipwrecks and one very lost swan in careful handwriting.",
            "The museum is run by volunteers and opens on weekend afternoons from April until "
            "the autumn half-term holiday.",
        ],
    ),
    "orchard": (
        "Community orchard plants its hundredth tree",
        [
            "Volunteers planted the hundredth tree in the community orchard on Sunday, a "
            "pear grafted from an old tree that once grew behind the village school.",
            "The orchard began five years ago on a strip of unused land beside the railway "
            "line, and now gives away fruit to anyone who asks each autumn.",
            "Organisers said the next project is a hedge of hazel and hawthorn to shelter the "
            "young trees from the wind coming off the hill.",
        ],
    ),
    "tram": (
        "Night trams to run on Fridays",
        [
            "Trams will run through the night on Fridays from next month, the transport "
            "authority said, after a trial last summer drew more riders than expected.",
            "The service will leave the central station every twenty minutes between "
            "midnight and five in the morning on both city lines.",
            "Late-shift workers and musicians had campaigned for the change for years, "
            "saying taxis were too expensive for a nightly journey home.",
        ],
    ),
    "market": (
        "Covered market gets a new roof",
        [
            "Builders finished the new glass roof over the covered market this week, ending "
            "two years in which traders sold their goods under temporary canvas.",
            "The original iron frame was cleaned and repainted in its first colour, a deep "
            "green found under eleven layers of later paint.",
            "Traders said footfall had already risen, helped by the daylight that now falls "
            "across the stalls on the long afternoons.",
        ],
    ),
    "bakery": (
        "Village bakery saved by its customers",
        [
            "Regular customers have bought the village bakery from its retiring owners, "
            "raising the money through shares sold at ten pounds each.",
            "More than four hundred people took part, and the new co-operative has promised "
            "to keep the early opening hours and the famous cheese scones.",
            "The former owners will stay on for a year to teach the two new bakers the "
            "recipes they have used for three decades.",
        ],
    ),
    "choir": (
        "Station choir sings for the commuters",
        [
            "A choir of railway staff sang carols on the main concourse on Thursday evening, "
            "raising money for the hospital children's ward.",
            "Commuters stopped to listen between trains, and several joined in for the final "
            "song before hurrying to their platforms.",
            "The choir was formed last year by a ticket inspector who used to sing in a band "
            "and wanted something to do on quiet night shifts.",
        ],
    ),
}

VANISHED_SUMMARY = (
    "<p>The town council agreed on Wednesday to turn the disused bus depot into a sports hall, "
    "a climbing wall and a set of small workshops for local makers.</p>"
    "<p>Councillors voted unanimously after a consultation in which more than two thousand "
    "residents took part. Building work is due to begin in the spring and should take about "
    "eighteen months, the council said, with the climbing wall opening first.</p>"
)

ALLOTMENT_TEXT = (
    "Every street in the old town will get a share of allotment space under a plan agreed by "
    "the parks committee on Tuesday evening. Unused corners of three parks will be dug over "
    "this winter and divided into small plots, each with a water butt and a shared tool shed. "
    "Residents can apply from next week, and the first keys will be handed over in March, in "
    "time for the spring sowing of potatoes, beans and onions."
)


# A page without <title> or <h1>, with a subhead, a caption and a <br><br> in its text.
UNTITLED_PAGE = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'></head><body>"
    "<nav class='site-nav'><ul><li><a href='/'>Home</a></li><li><a href='/weather'>Weather"
    "</a></li></ul></nav><main><article>"
    "<p>The county library service will open on Sundays from next month, after readers "
    "signed a petition asking for longer hours at the weekend</p>"
    "<p>Branches in the four largest towns will open from eleven until four, and the mobile "
    "library will add a Sunday stop in the villages on the moor.</p>"
    "<h2>Who pays for it</h2>"
    "<p>The council said the extra hours would be paid for by closing the old records store "
    "and moving its boxes to the main archive.<br><br>Staff will be asked to volunteer for "
    "the new shifts, which will be paid at the weekend rate.</p>"
    "<p>Full shelves: readers browse the new books at the central branch</p>"
    "<p><strong>A long campaign</strong></p>"
    "<p>Readers first asked for Sunday opening six years ago, when a survey found that most "
    "working people could only visit the library at weekends.</p>"
    "</article></main><footer><p>Copyright 2031 The Valley Courier. All rights reserved."
    "</p></footer></body></html>"
)
UNTITLED_READ = (  # what a listener hears of it
    "The county library service will open on Sundays from next month, after readers signed "
    "a petition asking for longer hours at the weekend",
    "Branches in the four largest towns will open from eleven until four, and the mobile "
    "library will add a Sunday stop in the villages on the moor.",
    "The council said the extra hours would be paid for by closing the old records store "
    "and moving its boxes to the main archive.",
    "Staff will be asked to volunteer for the new shifts, which will be paid at the weekend rate.",
    "Readers first asked for Sunday opening six years ago, when a survey found that most "
    "working people could only visit the library at weekends.",
)


def article_page(headline: str, paragraphs: list[str], canonical: str | None = None) -> str:
    """A news page with the usual boilerplate around the story."""
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{headline} | The Valley Courier</title>{link}</head><body>"
        "<nav class='site-nav'><ul><li><a href='/'>Home</a></li><li><a href='/sport'>Sport"
        "</a></li><li><a href='/weather'>Weather</a></li></ul></nav>"
        "<header><p class='masthead'>The Valley Courier. Sign in to manage your account.</p>"
        f"</header><main><article><h1>{headline}</h1>{body}</article></main>"
        "<aside class='most-read'><h2>Most read</h2><ul><li>Giant marrow wins the county show"
        "</li><li>Parking charges rise at the station</li></ul></aside>"
        "<footer><p>Copyright 2031 The Valley Courier. All rights reserved. Subscribe to our "
        "newsletter for more stories like this one.</p></footer></body></html>"
    )


def rss(items: list[tuple[str, str, str]]) -> str:
    """An RSS 2.0 feed of (title, link, description) items, newest first."""
    parts = []
    for index, (title, link, description) in enumerate(items):
        stamp = format_datetime(_day(len(items) - index))
        where = f"<link>{link}</link><guid>{link}</guid>" if link else ""
        parts.append(
            f"<item><title>{title}</title>{where}"
            f"<pubDate>{stamp}</pubDate><description><![CDATA[{description}]]></description>"
            "</item>"
        )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        "<title>The Valley Courier</title><link>http://127.0.0.1/</link>"
        f"<description>Local news</description>{''.join(parts)}</channel></rss>"
    )


def _day(day: int):
    import datetime as dt

    return dt.datetime(2031, 3, day, 7, 30, tzinfo=dt.UTC)


# Entry titles differ from the page headlines on purpose: the entry's title wins.
MAIN_ITEMS = [
    ("Ferry back on the water", "/articles/ferry", "Short teaser."),
    ("Lighthouse museum opens", "/articles/lighthouse?utm_source=rss&ref=feed#top", "Teaser."),
    ("Hundredth tree for the orchard", "/redirect/3?to=/articles/orchard", "Teaser."),
    ("Trams through the night", "/articles/tram", "Teaser."),
]
MIXED_ITEMS = [
    ("New roof for the market", "/articles/market", "Teaser."),
    ("Annual report published", "/files/report.pdf", "The report."),
    ("Bus depot to become sports hall", "/missing/vanished", VANISHED_SUMMARY),
    ("A story that is gone", "/missing/short", "Too short to stand in."),
    ("Picture of the day", "/files/photo.png", "A photo."),
    ("Allotments for every street", "", ALLOTMENT_TEXT),  # no link: its own text is the story
]
ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Valley Courier (Atom)</title><id>urn:example:courier</id>
  <updated>2031-03-05T08:00:00Z</updated>
  <entry><title>Customers buy the bakery</title><id>urn:example:bakery</id>
    <link rel="alternate" href="{base}/articles/bakery"/>
    <updated>2031-03-05T08:00:00Z</updated><summary>Teaser.</summary></entry>
  <entry><title>Railway choir sings</title><id>urn:example:choir</id>
    <link rel="alternate" href="{base}/articles/choir"/>
    <published>2031-03-04T18:00:00Z</published><summary>Teaser.</summary></entry>
</feed>"""


# ---------------------------------------------------------------------------------------
# The server


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a handler still sleeping must not hold up teardown

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.log: list[tuple[str, dict[str, str]]] = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def record(self, path: str, headers: dict[str, str]) -> None:
        with self.lock:
            self.log.append((path, headers))

    def paths(self) -> list[str]:
        with self.lock:
            return [path for path, _ in self.log]

    def handle_error(self, request, client_address) -> None:  # type: ignore[override]
        pass  # clients that hang up early (timeouts, size caps) are expected here


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        split = urlsplit(self.path)
        self.server.record(split.path, dict(self.headers.items()))
        # Clients that give up early (timeouts, size caps) hang up mid-response.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._route(split.path, parse_qs(split.query))

    def _send(self, body: bytes, ctype: str, status: int = 200, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _route(self, path: str, query: dict[str, list[str]]) -> None:
        base = self.server.base
        html = "text/html; charset=utf-8"
        if path == "/feeds/main.rss":
            items = [(t, base + link, d) for t, link, d in MAIN_ITEMS]
            self._send(rss(items).encode(), "application/rss+xml; charset=utf-8")
        elif path == "/feeds/mixed.rss":
            items = [(t, base + link if link else "", d) for t, link, d in MIXED_ITEMS]
            self._send(rss(items).encode(), "application/rss+xml")
        elif path == "/feeds/broken.rss":
            items = [("Gone", f"{base}/missing/one", "x"), ("Also gone", f"{base}/missing/2", "y")]
            self._send(rss(items).encode(), "application/rss+xml")
        elif path == "/feeds/untitled.rss":
            items = [("", f"{base}/articles/untitled", "Teaser."), ("", "", ALLOTMENT_TEXT)]
            self._send(rss(items).encode(), "application/rss+xml")
        elif path == "/articles/untitled":
            self._send(UNTITLED_PAGE.encode(), html)
        elif path == "/feeds/main.atom":
            self._send(ATOM.format(base=base).encode(), "application/atom+xml")
        elif path == "/feeds/garbage.xml":
            self._send(b"this is <<not>> xml &&& at all\x00", "application/rss+xml")
        elif path == "/feeds/page.html":
            self._send(article_page(*STORIES["market"]).encode(), html)
        elif path == "/feeds/notes.txt":
            self._send(b"Remember to buy milk.", "text/plain")
        elif path == "/slow":
            self.server.stop.wait(SLOW_SECONDS)
            self._send(rss([]).encode(), "application/rss+xml")
        elif path.startswith("/missing/"):
            self._send(b"<html><body><p>Not found</p></body></html>", html, status=404)
        elif path == "/huge":  # no Content-Length: the body is streamed until the client quits
            self.send_response(200)
            self.send_header("Content-Type", html)
            self.end_headers()
            chunk = b"<p>" + b"padding words " * 4000 + b"</p>"
            sent = 0
            while sent < HUGE_BYTES and not self.server.stop.is_set():
                self.wfile.write(chunk)
                sent += len(chunk)
        elif path == "/huge-declared":
            self.send_response(200)
            self.send_header("Content-Type", html)
            self.send_header("Content-Length", str(HUGE_BYTES))
            self.end_headers()
            self.wfile.write(b"<p>" + b"x" * 1000)
        elif path == "/bomb":  # a tiny gzip body that inflates to 3 MB
            body = gzip.compress(b" " * 3_000_000)
            self._send(body, html, Content_Encoding="gzip")
        elif path == "/files/report.pdf":
            self._send(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "application/pdf")
        elif path == "/files/photo.png":
            self._send(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")
        elif path.startswith("/redirect/"):
            left = int(path.rsplit("/", 1)[1])
            target = query["to"][0]
            self._redirect(target if left <= 1 else f"/redirect/{left - 1}?to={target}")
        elif path == "/to-file":
            self._redirect("file:///etc/hostname")
        elif unquote(path) == "/articles/café-prices":
            self._send(article_page(*STORIES["market"]).encode(), html)
        elif path.startswith("/articles/") and path.rsplit("/", 1)[1] in STORIES:
            slug = path.rsplit("/", 1)[1]
            canonical = "/stories/lighthouse-keeper/?utm_campaign=spring&page=1"
            page = article_page(
                *STORIES[slug], canonical=canonical if slug == "lighthouse" else None
            )
            if slug == "tram":
                self._send(gzip.compress(page.encode()), html, Content_Encoding="gzip")
            else:
                self._send(page.encode(), html)
        else:
            self._send(b"<html><body><p>Not found</p></body></html>", html, status=404)


@pytest.fixture(scope="module")
def server() -> Iterator[_Server]:
    httpd = _Server()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield httpd
    finally:
        httpd.stop.set()  # wakes the slow route
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture
def web(server: _Server) -> _Server:
    """The server with an empty request log."""
    with server.lock:
        server.log.clear()
    return server


_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxy, and a hard stop for any connection that is not to the loopback address."""
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("no_proxy", "*")
    real = socket.create_connection

    def guarded(address, *args, **kwargs):  # type: ignore[no-untyped-def]
        assert address[0] in _LOOPBACK, f"test tried to reach {address}"
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", guarded)


def feed(server: _Server, path: str, **kwargs) -> SourceSpec:  # type: ignore[no-untyped-def]
    return SourceSpec(kind="feed", location=server.base + path, **kwargs)


def page(server: _Server, path: str, **kwargs) -> SourceSpec:  # type: ignore[no-untyped-def]
    return SourceSpec(kind="url", location=server.base + path, **kwargs)


def reasons(result: Gathered) -> dict[str, str]:
    return {failure.source: failure.reason for failure in result.failures}


def text_of(article: Article) -> str:
    return " ".join(article.paragraphs)


# ---------------------------------------------------------------------------------------
# Feeds


@pytest.mark.slow
def test_rss_feed_gives_clean_articles_in_feed_order(web: _Server) -> None:
    spec = feed(web, "/feeds/main.rss", name="Courier")
    result = gather([spec], NET)

    assert result.failures == ()
    assert result.per_source == (("Courier", 4),)
    assert [a.title for a in result.articles] == [t for t, _, _ in MAIN_ITEMS]
    ferry, lighthouse, orchard, tram = result.articles
    for article, slug in zip(
        result.articles, ("ferry", "lighthouse", "orchard", "tram"), strict=True
    ):
        body = text_of(article)
        assert STORIES[slug][1][0] in body and STORIES[slug][1][-1] in body
        assert not any(junk in body for junk in BOILERPLATE)
        assert STORIES[slug][0] not in article.paragraphs  # the headline is not read twice
    base = web.base
    assert ferry.url == f"{base}/articles/ferry"
    assert ferry.source == f"{base}/articles/ferry"
    assert lighthouse.url == f"{base}/stories/lighthouse-keeper?page=1"  # canonical, cleaned
    assert orchard.url == f"{base}/articles/orchard"  # the final URL after three redirects
    assert "Trams will run through the night" in text_of(tram)  # served gzip-compressed
    assert [a.date.day for a in result.articles if a.date] == [4, 3, 2, 1]


@pytest.mark.slow
def test_atom_feed(web: _Server) -> None:
    result = gather([feed(web, "/feeds/main.atom")], NET)

    assert result.failures == ()
    assert [a.title for a in result.articles] == ["Customers buy the bakery", "Railway choir sings"]
    assert [a.url for a in result.articles] == [
        f"{web.base}/articles/bakery",
        f"{web.base}/articles/choir",
    ]
    assert [str(a.date) for a in result.articles] == ["2031-03-05", "2031-03-04"]
    assert "four hundred people" in text_of(result.articles[0])


@pytest.mark.slow
def test_limit_counts_only_new_stories_and_known_ones_are_not_fetched(web: _Server) -> None:
    known = normalise_url(f"{web.base}/articles/ferry")
    calls: list[Article] = []

    def is_new(article: Article) -> bool:
        calls.append(article)
        return article.url != known

    result = gather([feed(web, "/feeds/main.rss", limit=2)], NET, is_new=is_new)

    assert [a.title for a in result.articles] == [
        "Lighthouse museum opens",
        "Hundredth tree for the orchard",
    ]
    fetched = web.paths()
    assert "/articles/ferry" not in fetched  # known from its link: no download
    assert "/articles/tram" not in fetched  # the limit was reached before it
    # is_new saw a stub (no text) and then the full article for each story taken.
    assert [bool(a.paragraphs) for a in calls] == [False, False, True, False, True]
    assert calls[0].url == known and calls[0].title == "Ferry back on the water"


@pytest.mark.slow
def test_is_new_sees_the_canonical_url_of_the_full_article(web: _Server) -> None:
    canonical = f"{web.base}/stories/lighthouse-keeper?page=1"
    result = gather(
        [feed(web, "/feeds/main.rss", limit=2)], NET, is_new=lambda a: a.url != canonical
    )

    assert [a.title for a in result.articles] == [
        "Ferry back on the water",
        "Hundredth tree for the orchard",
    ]
    assert "/articles/lighthouse" in web.paths()  # the link alone did not give it away


def test_limit_zero_fetches_nothing(web: _Server) -> None:
    result = gather([feed(web, "/feeds/main.rss", name="None today", limit=0)], NET)
    assert result.per_source == (("None today", 0),) and result.failures == ()
    assert web.paths() == []


@pytest.mark.slow
def test_bad_entries_are_warned_about_and_the_rest_of_the_feed_still_works(web: _Server) -> None:
    warnings: list[str] = []
    result = gather([feed(web, "/feeds/mixed.rss", name="Mixed")], NET, warn=warnings.append)

    assert result.failures == ()
    assert [a.title for a in result.articles] == [
        "New roof for the market",
        "Bus depot to become sports hall",
        "Allotments for every street",
    ]
    depot = result.articles[1]  # its page is gone; the feed's own long summary stands in
    assert "climbing wall" in text_of(depot) and len(depot.paragraphs) == 2
    assert depot.url == f"{web.base}/missing/vanished"
    assert warnings == [
        f"Mixed: {web.base}/files/report.pdf: skipped: not a web page (application/pdf)",
        f"Mixed: {web.base}/missing/vanished: HTTP 404; using the feed's own text instead",
        f"Mixed: {web.base}/missing/short: skipped: HTTP 404",
        f"Mixed: {web.base}/files/photo.png: skipped: not a web page (image/png)",
        "Mixed: Allotments for every street: no link to an article page; "
        "using the feed's own text instead",
    ]
    allotments = result.articles[2]
    assert allotments.url is None and allotments.source == f"{web.base}/feeds/mixed.rss#entry-6"
    assert allotments.paragraphs == (ALLOTMENT_TEXT,)


@pytest.mark.slow
def test_a_feed_whose_entries_all_fail_is_a_failed_source(web: _Server) -> None:
    warnings: list[str] = []
    result = gather([feed(web, "/feeds/broken.rss", name="Broken")], NET, warn=warnings.append)
    assert result.failures == (
        SourceFailure("Broken", "none of its 2 entries could be read (HTTP 404)"),
    )
    assert len(warnings) == 2 and result.per_source == (("Broken", 0),)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/feeds/garbage.xml", "not a valid RSS or Atom feed"),
        ("/feeds/page.html", "not a valid RSS or Atom feed"),
        ("/feeds/notes.txt", "not a feed (text/plain)"),
        ("/missing/feed.xml", "HTTP 404"),
    ],
)
def test_unusable_feeds(web: _Server, path: str, reason: str) -> None:
    result = gather([feed(web, path, name="F")], NET)
    assert result.failures == (SourceFailure("F", reason),)
    assert result.articles == ()


# ---------------------------------------------------------------------------------------
# Single pages and failures


def test_url_source_with_canonical_link_and_tracking_params(web: _Server) -> None:
    spec = page(web, "/articles/lighthouse?utm_medium=email&fbclid=abc")
    result = gather([spec], NET)

    (article,) = result.articles
    assert article.title == "Keeper's cottage opens as a museum"  # from the page itself
    assert article.url == f"{web.base}/stories/lighthouse-keeper?page=1"
    assert article.source == spec.location
    assert not any(junk in text_of(article) for junk in BOILERPLATE)


def test_ingest_reads_the_page_when_trafilatura_finds_nothing(
    web: _Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    import trafilatura

    monkeypatch.setattr(trafilatura, "extract", lambda *args, **kwargs: None)
    result = gather([page(web, "/articles/ferry")], NET)

    (article,) = result.articles
    assert article.title == "Harbour ferry returns after restoration"
    assert article.paragraphs == tuple(STORIES["ferry"][1])  # boilerplate left out


@pytest.mark.slow
def test_entries_and_pages_without_a_headline_get_none(web: _Server) -> None:
    result = gather([feed(web, "/feeds/untitled.rss")], NET)

    assert result.failures == ()
    page_story, own_text = result.articles
    # No headline is cut from the lead (it would be read twice); chapters use the label.
    assert (page_story.title, own_text.title) == ("", "")
    assert page_story.label == (
        "The county library service will open on Sundays from next month, after…"
    )
    assert own_text.label.startswith("Every street in the old town will get a share")
    # The page's structure is not read: no subheads, no caption; <br><br> ends a sentence.
    assert page_story.paragraphs == UNTITLED_READ


def test_ingest_fallback_reads_the_same_structure(
    web: _Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    import trafilatura

    monkeypatch.setattr(trafilatura, "extract", lambda *args, **kwargs: None)
    (article,) = gather([page(web, "/articles/untitled")], NET).articles
    assert article.title == ""
    assert article.paragraphs == UNTITLED_READ


@pytest.mark.slow
def test_slow_source_times_out(web: _Server) -> None:
    started = time.monotonic()
    result = gather([feed(web, "/slow", name="Slow")], SLOW_NET)
    assert result.failures == (SourceFailure("Slow", "timed out after 0.5 s"),)
    assert time.monotonic() - started < SLOW_SECONDS - 0.5


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/huge", "/huge-declared", "/bomb"])
def test_enormous_responses_are_cut_off(web: _Server, path: str) -> None:
    result = gather([page(web, path, name="Big")], NET)
    assert result.failures == (SourceFailure("Big", "response larger than 0.2 MB"),)


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/missing/story", "HTTP 404"),
        ("/files/report.pdf", "not a web page (application/pdf)"),
        ("/redirect/6?to=/articles/ferry", "too many redirects (more than 5)"),
        ("/to-file", "redirected to a non-web address (file)"),
    ],
)
def test_url_source_failures(web: _Server, path: str, reason: str) -> None:
    result = gather([page(web, path, name="P")], NET)
    assert result.failures == (SourceFailure("P", reason),)


@pytest.mark.slow
def test_one_failing_source_does_not_affect_the_others(web: _Server, tmp_path: Path) -> None:
    (tmp_path / "note.txt").write_text(
        "Pool reopens\n\nThe swimming pool reopened on Monday with a new roof.\n", "utf-8"
    )
    specs = [
        feed(web, "/slow", name="slow"),
        page(web, "/missing/x", name="gone"),
        feed(web, "/feeds/main.rss", name="courier", limit=1),
        SourceSpec(kind="folder", location=str(tmp_path), name="desk"),
        page(web, "/articles/market", name="market"),
    ]
    result = gather(specs, SLOW_NET)

    assert reasons(result) == {"slow": "timed out after 0.5 s", "gone": "HTTP 404"}
    assert [a.title for a in result.articles] == [
        "Ferry back on the water",
        "Pool reopens",
        "Covered market gets a new roof",
    ]
    assert result.per_source == (
        ("slow", 0),
        ("gone", 0),
        ("courier", 1),
        ("desk", 1),
        ("market", 1),
    )


def test_the_same_story_from_two_sources_is_taken_once(web: _Server) -> None:
    specs = [feed(web, "/feeds/main.rss", limit=1), page(web, "/articles/ferry?utm_source=x")]
    result = gather(specs, NET)
    assert len(result.articles) == 1
    assert result.per_source[1][1] == 0


def test_requests_carry_the_user_agent_and_accept_headers(web: _Server) -> None:
    gather([feed(web, "/feeds/main.rss", limit=1)], NET)

    log = dict(web.log)
    assert {headers["User-Agent"] for _, headers in web.log} == {NET.user_agent}
    assert log["/feeds/main.rss"]["Accept"] == FEED_ACCEPT
    assert log["/articles/ferry"]["Accept"].startswith("text/html")
    assert log["/articles/ferry"]["Accept-Encoding"] == "gzip"


# ---------------------------------------------------------------------------------------
# fetch


def test_fetch_follows_redirects_and_inflates_gzip(web: _Server) -> None:
    fetched = fetch(f"{web.base}/redirect/5?to=/articles/tram", NET, accept="text/html")
    assert fetched.url == f"{web.base}/articles/tram"
    assert fetched.content_type == "text/html" and fetched.charset == "utf-8"
    assert fetched.body.startswith(b"<!doctype html>")
    assert b"Night trams to run on Fridays" in fetched.body


def test_fetch_sends_non_ascii_links_percent_encoded(web: _Server) -> None:
    fetched = fetch(f"{web.base}/articles/café-prices", NET, accept="text/html")
    assert fetched.url == f"{web.base}/articles/caf%C3%A9-prices"
    assert b"Covered market gets a new roof" in fetched.body


@pytest.mark.parametrize("url", ["file:///etc/hostname", "ftp://127.0.0.1/x", "data:,hello"])
def test_fetch_refuses_other_schemes_without_connecting(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("no connection expected")

    monkeypatch.setattr(socket, "create_connection", refuse)
    with pytest.raises(FetchError, match=r"^not an http or https URL \("):
        fetch(url, NET, accept="*/*")


def test_fetch_connection_refused() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError) as caught:
        fetch(f"http://127.0.0.1:{port}/", NET, accept="*/*")
    assert caught.value.reason == "cannot connect (connection refused)"


# ---------------------------------------------------------------------------------------
# Folders


def _news_folder(root: Path) -> Path:
    folder = root / "news"
    folder.mkdir()
    (folder / "a-pool.md").write_text(
        "---\ntitle: Pool reopens\nurl: https://example.com/pool?utm_source=x\n---\n\n"
        "The swimming pool reopened on Monday after a winter of repairs to its roof.\n",
        "utf-8",
    )
    (folder / "b-park.txt").write_text(
        "Park gets new benches\n\nTwenty new benches were put up in the park this week.\n",
        "utf-8",
    )
    (folder / "c-empty.html").write_text("<html><body><nav>Home</nav></body></html>", "utf-8")
    (folder / "d-zoo.md").write_text(
        "# Zoo welcomes twin otters\n\nTwo otter cubs were born at the zoo last month.\n",
        "utf-8",
    )
    return folder


def test_folder_sources_never_touch_the_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _news_folder(tmp_path)
    attempts: list[object] = []

    def no_network(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise AssertionError("folder sources must not connect")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    warnings: list[str] = []
    specs = [
        SourceSpec(kind="folder", location=str(folder), name="desk"),
        SourceSpec(kind="folder", location="news/*.md", name="glob"),
        SourceSpec(kind="folder", location="nowhere", name="typo"),
        SourceSpec(kind="folder", location="nowhere/*.md", name="typo-glob"),
    ]
    result = gather(specs, NET, warn=warnings.append, base_dir=tmp_path)

    assert attempts == []
    assert [a.title for a in result.articles] == [
        "Pool reopens",
        "Park gets new benches",
        "Zoo welcomes twin otters",
    ]
    assert result.articles[0].source == str(folder / "a-pool.md")
    assert reasons(result) == {"typo": "no such folder", "typo-glob": "no files match"}
    # The glob's files were all taken already by the first source: nothing twice.
    assert result.per_source == (("desk", 3), ("glob", 0), ("typo", 0), ("typo-glob", 0))
    assert len(warnings) == 1 and "c-empty.html: skipped" in warnings[0]


def test_folder_limit_applies_after_is_new(tmp_path: Path) -> None:
    folder = _news_folder(tmp_path)
    spec = SourceSpec(kind="folder", location=str(folder), limit=1)
    result = gather([spec], NET, is_new=lambda a: a.title != "Pool reopens")
    assert [a.title for a in result.articles] == ["Park gets new benches"]


def test_folder_without_usable_articles_is_a_failure(tmp_path: Path) -> None:
    (tmp_path / "only.html").write_text("<html><body><nav>Home</nav></body></html>", "utf-8")
    result = gather([SourceSpec(kind="folder", location=str(tmp_path), name="d")], NET)
    assert result.failures == (SourceFailure("d", "no usable articles"),)


# ---------------------------------------------------------------------------------------
# normalise_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "HTTP://Example.COM/News/Story/?utm_source=x&b=2&a=1#comments",
            "http://example.com/News/Story?a=1&b=2",
        ),
        ("https://example.com:443/", "https://example.com/"),
        ("http://example.com:80", "http://example.com/"),
        ("http://example.com:8080/a/", "http://example.com:8080/a"),
        ("https://example.com/", "https://example.com/"),
        (
            "https://example.com/a?fbclid=1&gclid=2&mc_cid=3&mc_eid=4&UTM_Medium=5&utm_x",
            "https://example.com/a",
        ),
        (
            "https://example.com/s?q=space%20news&lang=en",
            "https://example.com/s?lang=en&q=space%20news",
        ),
        ("https://example.com/?z=1&a=2&&", "https://example.com/?a=2&z=1"),
        ("https://[2001:DB8::1]:443/x/", "https://[2001:db8::1]/x"),
        ("https://reader@Example.com/a#b", "https://reader@example.com/a"),
        ("  https://example.com/a/b/  ", "https://example.com/a/b"),
    ],
)
def test_normalise_url(url: str, expected: str) -> None:
    assert normalise_url(url) == expected
    assert normalise_url(expected) == expected  # idempotent


# ---------------------------------------------------------------------------------------
# Web pages named on the command line, and the settings' [[sources]] for build and script


def spacecast(*args: object):
    from click.testing import CliRunner

    from spacecast.cli import cli

    return CliRunner().invoke(cli, [str(a) for a in args])


def test_a_url_on_the_command_line_is_read_as_a_source(
    web: _Server, tone_voices: Path, tmp_path: Path
) -> None:
    url = web.base + "/articles/ferry"
    result = spacecast("script", url, "--voices-dir", tone_voices, "--date", "2026-11-24")
    assert result.exit_code == 0, result.stderr
    assert "## story: Harbour ferry returns after restoration\n" in result.stdout
    assert f"source: {url}\n" in result.stdout
    assert "Most read" not in result.stdout  # the page's furniture is not read
    assert web.paths() == ["/articles/ferry"]
    request_headers = web.log[0][1]
    assert request_headers["User-Agent"].startswith("spacecast (")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/missing/page", "HTTP 404"),
        ("/files/report.pdf", "not a web page (application/pdf)"),
        ("/huge", "response larger than 0.2 MB"),
    ],
)
def test_a_url_that_cannot_be_read_is_one_line_as_for_a_url_source(
    web: _Server, tone_voices: Path, tmp_path: Path, path: str, reason: str
) -> None:
    config = tmp_path / "spacecast.toml"
    config.write_text("[network]\nmax_bytes = 200000\ntimeout = 2\n", encoding="utf-8")
    url = web.base + path
    out = tmp_path / "x.mp3"
    result = spacecast("build", url, "--config", config, "--voices-dir", tone_voices, "-o", out)
    assert (result.exit_code, result.stderr) == (1, f"Error: {url}: {reason}\n")
    assert gather([page(web, path)], SMALL_NET).failures == (SourceFailure(url, reason),)
    assert not out.exists()


def test_a_pdf_file_on_the_command_line_is_not_read(tone_voices: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "minutes.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n")
    result = spacecast("build", pdf, "--voices-dir", tone_voices, "-o", tmp_path / "x.mp3")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {pdf}: a PDF document, not an article: spacecast reads text, Markdown and "
        "HTML files (.txt, .md, .html), folders of them, http(s) URLs of web pages, and - for "
        "stdin\n"
    )


@pytest.mark.slow
def test_build_and_script_without_sources_read_the_settings_sources(
    web: _Server, tone_voices: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _news_folder(tmp_path)
    config = tmp_path / "show" / "spacecast.toml"
    config.parent.mkdir()
    config.write_text(
        f'[[sources]]\nfolder = "{folder}"\n\n'
        f'[[sources]]\nname = "Ferry page"\nurl = "{web.base}/articles/ferry"\n\n'
        '[[sources]]\nname = "Gone"\nurl = "' + web.base + '/missing/gone"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)  # no seeds/ here: the settings' sources are read
    result = spacecast("script", "--config", config, "--voices-dir", tone_voices)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        f"Warning: {folder / 'c-empty.html'}: skipped: no article text found in the HTML page\n"
        "Warning: Gone: HTTP 404\n"
    )
    stories = [line[10:] for line in result.stdout.splitlines() if line.startswith("## story: ")]
    assert stories == [  # the folder's articles, then the page, in the file's order
        "Pool reopens",
        "Park gets new benches",
        "Zoo welcomes twin otters",
        "Harbour ferry returns after restoration",
    ]
    out = tmp_path / "x.mp3"
    built = spacecast("build", "--config", config, "--voices-dir", tone_voices, "-o", out, "-q")
    assert built.exit_code == 0, built.stderr
    assert out.stat().st_size > 10_000
    # Without [[sources]] in the file: ./seeds, as before.
    config.write_text('[show]\ntitle = "No sources"\n', encoding="utf-8")
    plain = spacecast("script", "--config", config, "--voices-dir", tone_voices)
    assert (plain.exit_code, plain.stderr) == (1, "Error: seeds: no such file or directory\n")
    for command in ("build", "script"):
        shown = " ".join(spacecast(command, "--help").stdout.split())
        assert (
            "With no SOURCES: the [[sources]] of the settings file (spacecast.toml, see "
            "--config) when it has any, else seeds/."
        ) in shown, command
