"""The listening page: ``briefings/index.html``, one static page for every episode in the folder.

The page is self-contained (inline CSS and a small inline script, nothing fetched from
elsewhere), so it works offline, from ``file://`` or over ``spacecast``'s local server.
Each episode gets its player with captions, its chapters as buttons that seek the player,
the story sources, the transcript (embedded at render time) and links to its other files.
Everything taken from a sidecar is escaped; file names become quoted relative URLs.

Opened from ``file://``, Chromium-based browsers refuse to load ``<track>`` captions (each
file is its own origin); playback, chapters and the embedded transcript still work, and
everything works when the folder is served over HTTP.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from spacecast.atomic import write_bytes
from spacecast.errors import OutputError, io_reason
from spacecast.models import Chapter
from spacecast.publish.episode import EpisodeRecord, complete_records
from spacecast.publish.notes import also_line, clock
from spacecast.weburl import web_url_parts

INDEX_NAME = "index.html"
# A transcript larger than this is linked rather than embedded (a normal one is ~20 kB).
MAX_EMBEDDED_TRANSCRIPT = 2_000_000

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _href(name: str) -> str:
    """A file name as an escaped relative URL: every character that could end or redirect
    the URL (``:``, ``?``, ``#``, spaces, quotes) is percent-encoded."""
    return _e(quote(name, safe="/"))


def _external(url: str | None) -> str | None:
    """``url`` when it is a web link a page may point at (http or https), else None."""
    if not url or web_url_parts(url.strip()) is None:
        return None
    return url.strip()


def _iso_duration(seconds: float) -> str:
    """The ``datetime`` attribute of a ``<time>`` holding a duration (``PT1M30S``)."""
    total = max(0, round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"PT{hours}H{minutes}M{secs}S" if hours else f"PT{minutes}M{secs}S"


def _long_date(date: dt.date) -> str:
    """``Thursday 26 November 2026``, in English whatever the locale."""
    return f"{_DAYS[date.weekday()]} {date.day} {_MONTHS[date.month - 1]} {date.year}"


def _seconds_attr(seconds: float) -> str:
    """A ``data-start`` value: seconds with at most three decimals (``0``, ``4``, ``61.25``)."""
    return f"{max(0.0, seconds):.3f}".rstrip("0").rstrip(".")


def _read_transcript(folder: Path, name: str) -> str | None:
    """The text of the transcript ``name`` in ``folder``, or None when it cannot be embedded.

    A name that leads outside the folder (a hand-edited sidecar) is never read: the page
    may be served to the local network.
    """
    root = folder.resolve()
    try:
        path = (root / name).resolve(strict=True)
        if not path.is_relative_to(root) or not path.is_file():
            return None
        if path.stat().st_size > MAX_EMBEDDED_TRANSCRIPT:
            return None
        return path.read_text(encoding="utf-8", errors="replace")
    except (OSError, RuntimeError, ValueError):
        return None


def _chapter_item(chapter: Chapter, index: int) -> str:
    start = _seconds_attr(chapter.start)
    title = chapter.title.strip() or f"Chapter {index}"
    label = f"Play from {clock(chapter.start)}: {title}"
    parts = [
        f'<li class="chapter kind-{_e(chapter.kind)}">'
        f'<button type="button" class="seek" data-start="{start}" aria-label="{_e(label)}">'
        f'<span class="at">{clock(chapter.start)}</span> '
        f'<span class="name">{_e(title)}</span></button>'
    ]
    url = _external(chapter.url)
    if url:
        parts.append(
            f' <a class="source" href="{_e(url)}" rel="noopener noreferrer external"'
            f' aria-label="{_e(f"Source of {title}")}">source</a>'
        )
    also = also_line(
        [c for c in chapter.also if _external(c.url)],
        lambda c: (
            f'<a class="source" href="{_e(_external(c.url) or "")}" rel="noopener '
            f'noreferrer external" title="{_e(c.title)}">{_e(c.outlet)}</a>'
        ),
    )
    if also:
        parts.append(f' <span class="also">{also}</span>')
    parts.append("</li>")
    return "".join(parts)


def _episode(record: EpisodeRecord, number: int, transcript: str | None) -> str:
    files = record.files
    ident = f"ep{number}"
    title = record.title.strip() or _long_date(record.date)
    out = [
        f'<article class="episode" id="{_e(record.stem or ident)}" aria-labelledby="{ident}-t">',
        f'<h2 id="{ident}-t">{_e(title)}</h2>',
        '<p class="meta">'
        f'<time datetime="{record.date.isoformat()}">{_e(_long_date(record.date))}</time>'
        ' <span aria-hidden="true">·</span> '
        f'<time datetime="{_iso_duration(record.duration)}"'
        f' aria-label="Duration {clock(record.duration)}">'
        f"{clock(record.duration)}</time></p>",
        f'<audio controls preload="metadata" id="{ident}-audio"'
        f' aria-label="{_e(f"Play {title}")}">'
        f'<source src="{_href(files.audio)}" type="audio/mpeg">'
        f'<track kind="captions" srclang="en" label="English" src="{_href(files.vtt)}" default>'
        f'<p>Your browser cannot play this audio: <a href="{_href(files.audio)}">'
        "download the MP3</a>.</p></audio>",
    ]
    if record.chapters:
        out.append(f'<h3 id="{ident}-ch">Chapters</h3>')
        out.append(f'<ol class="chapters" aria-labelledby="{ident}-ch">')
        out.extend(_chapter_item(chapter, i) for i, chapter in enumerate(record.chapters, 1))
        out.append("</ol>")
    out.append('<details class="transcript">')
    out.append("<summary>Transcript</summary>")
    if transcript is not None and transcript.strip():
        out.append(f'<div class="text" tabindex="0">{_e(transcript.strip())}</div>')
    else:
        out.append(
            f'<p class="text">The transcript is in <a href="{_href(files.text)}">'
            f"{_e(Path(files.text).name)}</a>.</p>"
        )
    out.append("</details>")
    links = [
        (files.notes_html, "Show notes"),
        (files.audio, "MP3"),
        (files.chapters, "Chapters (JSON)"),
        (files.text, "Transcript (text)"),
        (files.vtt, "Captions (WebVTT)"),
        (files.srt, "Subtitles (SRT)"),
    ]
    out.append(f'<nav class="files" aria-label="{_e(f"Files of {title}")}"><ul>')
    out.extend(f'<li><a href="{_href(name)}">{label}</a></li>' for name, label in links if name)
    out.append("</ul></nav>")
    out.append("</article>")
    return "\n".join(out)


_CSS = """
:root{color-scheme:light;--ink:#1c1d21;--muted:#5a5d66;--line:#dcdde3;--bg:#f7f7f4;
--card:#fff;--accent:#1f4fa8;--accent-ink:#fff}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);
font:1.0625rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
.wrap{max-width:46rem;margin:0 auto;padding:1.25rem 1rem 3rem}
header.show{display:flex;gap:1rem;align-items:center;flex-wrap:wrap;margin-bottom:1.25rem}
header.show img{width:6rem;height:6rem;object-fit:cover;border-radius:.5rem;
border:1px solid var(--line)}
h1{font-size:1.75rem;line-height:1.2;margin:0}
h2{font-size:1.3rem;line-height:1.3;margin:0 0 .25rem}
h3{font-size:1rem;margin:1rem 0 .4rem}
a{color:var(--accent)}
a:focus-visible,button:focus-visible,summary:focus-visible,input:focus-visible,
.text:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.subscribe{background:var(--card);border:1px solid var(--line);border-radius:.6rem;
padding:.8rem 1rem;margin-bottom:1.5rem}
.subscribe p{margin:.2rem 0}
.subscribe label{display:block;font-weight:600;margin:.4rem 0 .2rem}
.copy{display:flex;gap:.5rem;flex-wrap:wrap}
.copy input{flex:1 1 16rem;min-width:0;font:inherit;font-size:.95rem;padding:.35rem .5rem;
border:1px solid var(--line);border-radius:.35rem;background:#fbfbfa;color:var(--ink)}
button{font:inherit;cursor:pointer}
.copy button{padding:.35rem .9rem;border-radius:.35rem;border:1px solid var(--accent);
background:var(--accent);color:var(--accent-ink)}
.hint{color:var(--muted);font-size:.9rem}
.episode{background:var(--card);border:1px solid var(--line);border-radius:.6rem;
padding:1rem;margin:0 0 1.25rem}
.meta{color:var(--muted);margin:0 0 .75rem}
audio{width:100%;display:block}
.chapters{list-style:none;margin:0;padding:0}
.chapters li{display:flex;align-items:baseline;gap:.5rem;border-top:1px solid var(--line)}
.chapters li:first-child{border-top:0}
.seek{flex:1;display:flex;gap:.75rem;text-align:left;background:none;border:0;
padding:.45rem .25rem;color:var(--ink);border-radius:.3rem}
.seek:hover{background:#eef1f8}
.seek[aria-current="true"]{background:#e3eaf8;font-weight:600}
.seek .at{color:var(--muted);font-variant-numeric:tabular-nums;min-width:3.2rem}
.source{font-size:.9rem;white-space:nowrap}
details.transcript{margin-top:1rem}
summary{cursor:pointer;font-weight:600;padding:.25rem 0}
.transcript .text{white-space:pre-wrap;max-height:24rem;overflow:auto;margin-top:.4rem;
padding:.75rem;background:#fbfbfa;border:1px solid var(--line);border-radius:.35rem}
.files ul{list-style:none;display:flex;flex-wrap:wrap;gap:.4rem 1rem;padding:0;margin:1rem 0 0}
.files a{font-size:.95rem}
.empty{background:var(--card);border:1px dashed var(--line);border-radius:.6rem;
padding:2rem 1rem;text-align:center}
footer{color:var(--muted);font-size:.85rem;margin-top:2rem}
@media (max-width:30rem){body{font-size:1rem}h1{font-size:1.45rem}
.wrap{padding:1rem .75rem 2rem}.episode{padding:.8rem}}
"""

# Chapters: find the button's episode, seek its player and play when the browser allows
# (a rejected play() -- autoplay policy, no audio device -- leaves the player at the chapter).
# Subscribe: show the feed's full address when served over http(s) and copy it on request.
_SCRIPT = """
(function(){
"use strict";
function seek(audio,t){
  var go=function(){audio.currentTime=t;var p=audio.play();
    if(p&&p.catch){p.catch(function(){});}};
  if(audio.readyState>0){go();}
  else{audio.addEventListener("loadedmetadata",go,{once:true});audio.load();}
}
document.addEventListener("click",function(ev){
  var b=ev.target.closest?ev.target.closest("button.seek"):null;
  if(!b){return;}
  var ep=b.closest("article.episode");var audio=ep&&ep.querySelector("audio");
  var t=parseFloat(b.getAttribute("data-start"));
  if(audio&&isFinite(t)){seek(audio,t);}
});
Array.prototype.forEach.call(document.querySelectorAll("article.episode"),function(ep){
  var audio=ep.querySelector("audio");
  var buttons=Array.prototype.slice.call(ep.querySelectorAll("button.seek"));
  if(!audio||!buttons.length){return;}
  audio.addEventListener("timeupdate",function(){
    var now=audio.currentTime,current=null;
    buttons.forEach(function(b){if(parseFloat(b.getAttribute("data-start"))<=now+0.05){current=b;}});
    buttons.forEach(function(b){
      if(b===current){b.setAttribute("aria-current","true");}else{b.removeAttribute("aria-current");}
    });
  });
});
var input=document.getElementById("feed-url"),copy=document.getElementById("copy-feed");
var status=document.getElementById("copy-status");
function say(m){if(status){status.textContent=m;}}
if(input&&/^https?:$/.test(location.protocol)){
  input.value=new URL(input.getAttribute("data-feed"),location.href).href;
}else if(input){
  say("Open this page through the briefings server to get an address a podcast app can reach.");
}
if(input&&copy){
  copy.addEventListener("click",function(){
    var done=function(){say("Feed address copied.");};
    var fallback=function(){input.focus();input.select();
      try{if(document.execCommand("copy")){done();return;}}catch(e){}
      say("Select the address and copy it.");};
    if(navigator.clipboard&&window.isSecureContext){
      navigator.clipboard.writeText(input.value).then(done,fallback);
    }else{fallback();}
  });
}
})();
"""


def _subscribe(feed_file: str) -> str:
    href = _href(feed_file)
    return (
        '<section class="subscribe" aria-labelledby="sub-h">'
        '<h2 id="sub-h">Subscribe</h2>'
        "<p>Add this show to a podcast app with the feed address below.</p>"
        '<label for="feed-url">Feed address</label>'
        '<div class="copy">'
        f'<input id="feed-url" type="text" readonly value="{href}" data-feed="{href}"'
        ' spellcheck="false" aria-describedby="copy-status">'
        '<button type="button" id="copy-feed">Copy</button></div>'
        '<p id="copy-status" class="hint" role="status" aria-live="polite"></p>'
        f'<p><a href="{href}" type="application/rss+xml">Open the RSS feed</a></p>'
        "</section>"
    )


def render_index(
    records: Sequence[EpisodeRecord],
    show: str,
    feed_file: str = "feed.xml",
    *,
    folder: Path | None = None,
) -> str:
    """The listening page for ``records`` (shown newest first) of the show ``show``.

    With ``folder``, each episode's transcript is read from it and embedded in the page;
    without, the page links to the transcript files instead.
    """
    ordered = sorted(records, key=lambda r: (r.date, r.published), reverse=True)
    cover = next((r.files.cover for r in ordered if r.files.cover), None)
    show_name = show.strip() or "spacecast"
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="spacecast">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{_e(show_name)}</title>",
        f'<link rel="alternate" type="application/rss+xml" title="{_e(show_name)}"'
        f' href="{_href(feed_file)}">',
        # The cover as the tab's icon, or none: no request for a /favicon.ico that is not there.
        f'<link rel="icon" href="{_href(cover) if cover else "data:,"}">',
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        '<div class="wrap">',
        '<header class="show">',
    ]
    if cover:
        head.append(f'<img src="{_href(cover)}" alt="{_e(f"Cover art of {show_name}")}">')
    count = len(ordered)
    summary = f'<p class="hint">{count} episode{"s" if count != 1 else ""}</p>' if count else ""
    head.append(f"<div><h1>{_e(show_name)}</h1>{summary}</div>")
    head.append("</header>")
    body = ['<main id="episodes">']
    if ordered:
        body.append(_subscribe(feed_file))
        for number, record in enumerate(ordered, 1):
            transcript = _read_transcript(folder, record.files.text) if folder else None
            body.append(_episode(record, number, transcript))
    else:
        body.append(
            '<section class="empty" aria-labelledby="empty-h">'
            '<h2 id="empty-h">No episodes yet</h2>'
            "<p>Episodes appear here as soon as a briefing has been built into this folder."
            "</p></section>"
        )
    body.append("</main>")
    body.append(
        "<footer><p>Made with spacecast. Everything on this page works offline.</p></footer>"
    )
    body.append("</div>")
    body.append(f"<script>{_SCRIPT}</script>")
    body.append("</body>")
    body.append("</html>")
    return "\n".join(head + body) + "\n"


def write_index(folder: Path, show: str) -> Path:
    """Rebuild ``folder/index.html`` from the complete episodes in ``folder``; return its path.

    The page depends only on the folder's contents, so running this twice writes the same
    bytes; an unchanged page is left untouched (its date and ETag stay the same).
    """
    path = folder / INDEX_NAME
    page = render_index(complete_records(folder), show, folder=folder).encode("utf-8")
    try:
        if path.read_bytes() == page:
            return path
    except OSError:
        pass
    try:
        write_bytes(path, page)
    except OSError as exc:
        raise OutputError(f"cannot write the page {path}: {io_reason(exc)}") from None
    return path
