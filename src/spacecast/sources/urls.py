"""Rules about URLs: the form that recognises the same story twice, hosts and ports, and
which addresses are private."""

from __future__ import annotations

import ipaddress
import re
import urllib.parse

_TRACKING_PARAMS = frozenset({"fbclid", "gclid"})

_TRACKING_PREFIXES = ("utm_", "mc_")

_DEFAULT_PORTS = {"http": 80, "https": 443}


def host_port(url: str) -> tuple[str, int] | None:
    """``(host, port)`` of an http(s) URL: the host lower case, IDNA-encoded, without IPv6
    brackets; the port the scheme's default when none is written. ``None`` if it has none."""
    try:
        parts = urllib.parse.urlsplit(as_uri(url))
        port = parts.port
    except (ValueError, UnicodeError):
        return None
    if not parts.hostname:
        return None
    return parts.hostname.lower(), port or _DEFAULT_PORTS.get(parts.scheme.lower(), 80)


def parse_host_port(entry: str) -> tuple[str, int] | None:
    """An ``allow_private`` entry, ``"host:port"`` (``"[::1]:8080"`` for IPv6), as
    ``(host, port)``; ``None`` when it is not one."""
    entry = entry.strip()
    if not entry or any(c in entry for c in "/?#@ ") or entry.isdigit():
        return None
    found = host_port(f"http://{entry}")
    if found is None or not re.search(r":\d+$", entry):
        return None
    return found


def private_kind(address: str) -> str | None:
    """What makes ``address`` (an IP address) one that is not on the public internet:
    ``loopback``, ``link-local``, ``private``, ``multicast``, ``reserved``, ``unspecified``
    or ``non-global``; ``None`` for a public address. IPv4 inside IPv6 (``::ffff:a.b.c.d``,
    6to4) is judged as the IPv4 address it carries."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # no IPv6 zone
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour
        if inner is not None:
            return private_kind(str(inner))
    for kind, flag in (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        ("non-global", not ip.is_global),
    ):
        if flag:
            return kind
    return None


def plain_address(address: str) -> str:
    """An address as one spelling: IPv4 inside IPv6 (``::ffff:a.b.c.d``) as IPv4."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ip)


def as_uri(url: str) -> str:
    """``url`` with a non-ASCII host in IDNA and other non-ASCII characters %-encoded.

    Feeds link to such addresses (``/wiki/Köln``); ``http.client`` only sends ASCII.
    """
    parts = urllib.parse.urlsplit(url.strip())
    netloc = parts.netloc
    if not netloc.isascii():  # an IPv6 literal is ASCII, so the first ":" starts the port
        userinfo, at, hostport = netloc.rpartition("@")
        host, colon, port = hostport.partition(":")
        netloc = userinfo + at + host.encode("idna").decode("ascii") + colon + port
    safe = "/%:@!$&'()*+,;=?#[]~"
    return urllib.parse.urlunsplit(
        (
            parts.scheme,
            netloc,
            urllib.parse.quote(parts.path, safe=safe),
            urllib.parse.quote(parts.query, safe=safe),
            urllib.parse.quote(parts.fragment, safe=safe),
        )
    )


def scheme_of(url: str) -> str:
    return urllib.parse.urlsplit(url.strip()).scheme.lower()


def normalise_url(url: str) -> str:
    """The form of ``url`` used to recognise the same story twice.

    Lower-case scheme and host, no fragment, no tracking parameters (``utm_*``, ``mc_*``,
    ``fbclid``, ``gclid``), no default port, no trailing slash on the path (the root stays
    ``/``), the remaining query parameters sorted. Parameters keep their own encoding.
    """
    parts = urllib.parse.urlsplit(url.strip())
    scheme = parts.scheme.lower()
    netloc = parts.netloc
    if parts.hostname is not None:
        host = parts.hostname  # already lower case
        if ":" in host:
            host = f"[{host}]"  # IPv6
        try:
            port = parts.port
        except ValueError:  # a port that is not a number: leave the address alone
            port = None
            host = parts.netloc.rpartition("@")[2].lower()
        if port is not None and port != _DEFAULT_PORTS.get(scheme):
            host = f"{host}:{port}"
        userinfo = parts.netloc.rpartition("@")[0]
        netloc = f"{userinfo}@{host}" if userinfo else host
    path = parts.path
    if netloc and not path:
        path = "/"
    elif len(path) > 1:
        path = path.rstrip("/") or "/"
    query = "&".join(sorted(p for p in parts.query.split("&") if p and not _is_tracking(p)))
    return urllib.parse.urlunsplit((scheme, netloc, path, query, ""))


def _is_tracking(param: str) -> bool:
    name = urllib.parse.unquote_plus(param.split("=", 1)[0]).lower()
    return name in _TRACKING_PARAMS or name.startswith(_TRACKING_PREFIXES)
