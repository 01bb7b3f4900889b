"""What counts as a web address: one rule for the settings, the feed and the page."""

from __future__ import annotations

import urllib.parse

WEB_SCHEMES = ("http", "https")


def web_url_parts(text: str) -> urllib.parse.SplitResult | None:
    """``text`` split into its parts when it is an absolute http(s) URL: a host, a port (if
    any) that is a number in range, and no white space; else ``None``."""
    if any(char.isspace() for char in text):
        return None
    try:
        parts = urllib.parse.urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return None
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.hostname:
        return None
    return parts
