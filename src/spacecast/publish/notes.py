"""Show notes: the stories with their start times and source links, in Markdown and HTML.

A story other outlets reported too names them after its own link, each linked to its report:
"Also reported by [Byte Signal](…) and [Orbit Weekly](…)"."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from spacecast.models import Chapter, Credit


def clock(seconds: float) -> str:
    """``M:SS``, or ``H:MM:SS`` from an hour on, as players show times: to the nearest
    second. The one formatter for show notes, the listening page and the command line."""
    hours, rest = divmod(max(0, round(seconds)), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def stories_count(count: int) -> str:
    """``1 story``, ``3 stories``: the one way the command line and the log count them."""
    return f"{count} story" if count == 1 else f"{count} stories"


def _stories(marks: Sequence[Chapter]) -> list[Chapter]:
    return [m for m in marks if m.kind == "story"]


def also_line(credits: Sequence[Credit], name: Callable[[Credit], str]) -> str:
    """``Also reported by A, B and C``, each credit written by ``name``, or ``""``: the one
    sentence the notes, the transcript and the page credit other outlets with."""
    if not credits:
        return ""
    names = [name(credit) for credit in credits]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f"Also reported by {listed}"


def _also_markdown(credits: Sequence[Credit]) -> str:
    line = also_line(credits, lambda c: f"[{c.outlet}]({c.url})" if c.url else c.outlet)
    return f". {line}" if line else ""


def also_html(credits: Sequence[Credit]) -> str:
    """``Also reported by <a …>A</a> and <a …>B</a>`` (each outlet linked to its report,
    titled with its headline), or ``""``."""

    def name(credit: Credit) -> str:
        outlet = html.escape(credit.outlet)
        if not credit.url:
            return outlet
        href, title = html.escape(credit.url), html.escape(credit.title)
        return f'<a href="{href}" title="{title}">{outlet}</a>'

    return also_line(credits, name)


def also_text(credits: Sequence[Credit]) -> str:
    """``Also reported by A (link) and B (link)`` in plain text, or ``""``."""
    return also_line(credits, lambda c: f"{c.outlet} ({c.url})" if c.url else c.outlet)


def notes_markdown(title: str, intro: str, marks: Sequence[Chapter]) -> str:
    lines = [f"# {title}", "", intro, ""]
    for mark in _stories(marks):
        link = f" ([source]({mark.url}))" if mark.url else ""
        also = _also_markdown(mark.also)
        lines.append(f"- {clock(mark.start)} {mark.title}{link}{also}")
    lines.append("")
    lines.append("Made offline by spacecast.")
    return "\n".join(lines) + "\n"


def notes_html_fragment(marks: Sequence[Chapter]) -> str:
    """The story list alone, for the feed's ``content:encoded``."""
    items = []
    for mark in _stories(marks):
        title = html.escape(mark.title)
        link = f' (<a href="{html.escape(mark.url)}">source</a>)' if mark.url else ""
        also = also_html(mark.also)
        items.append(f"<li>{clock(mark.start)} {title}{link}{f'. {also}' if also else ''}</li>")
    return "<ol>" + "".join(items) + "</ol>"


def notes_html(title: str, intro: str, marks: Sequence[Chapter]) -> str:
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n</head>\n<body>\n"
        f"<h1>{html.escape(title)}</h1>\n<p>{html.escape(intro)}</p>\n"
        f"{notes_html_fragment(marks)}\n"
        "<p>Made offline by spacecast.</p>\n</body>\n</html>\n"
    )
