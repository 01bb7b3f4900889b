"""The script on disk: a human-editable Markdown form and a complete JSON form.

Markdown (what ``spacecast script`` writes by default)::

    ---
    title: Spacecast
    date: 2026-11-26
    ---

    ## story: Kairos rocket explodes seconds after liftoff
    profile: correspondent
    source: seeds/01-kairos-launch-failure.md

    Kairos rocket explodes seconds after liftoff.

    Space One's Kairos rocket exploded ...

Each ``## kind: title`` heading starts a segment; ``key: value`` lines right under it set
its voice profile and source (``voice:``, the name earlier versions wrote, is read as
``profile:``), and credit other outlets' reports of the same event, one a line, as
``also: Outlet | Title <link>``; the paragraphs after them are exactly what is spoken. Lines
that are HTML comments (``<!-- … -->``) are ignored. The JSON form holds the same plus each
story's ``source_sentences``.

Stories left out to fit the length are listed in the front matter, one a line, as
``roundup: Title <source>`` (named in the round-up) or ``left_out: Title <source>``; the
episode's metadata records them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from spacecast.errors import InputError
from spacecast.models import SEGMENT_KINDS, Credit, LeftOutStory, Script, Segment

_HEADING = re.compile(r"^##\s+(?P<kind>[A-Za-z]+)\s*:\s*(?P<title>.*\S)\s*$")
_FIELD = re.compile(r"^(?P<key>[A-Za-z_]+)\s*:\s*(?P<value>.*?)\s*$")
_SEGMENT_FIELDS = ("profile", "source", "also")
# Earlier versions wrote a segment's profile as ``voice``: such scripts still read.
_OLD_FIELDS = {"voice": "profile"}
# The outlet ends at the first "|" that is not written "\|" (an outlet's own "|").
_CREDIT = re.compile(
    r"^(?P<outlet>(?:\\\||[^|])*?)\s*\|\s*(?P<title>.*?)(?:\s*<(?P<url>[^<>]*)>)?$"
)
_LEFT_OUT_KEYS = ("roundup", "left_out")  # front matter: named in the round-up, or not
_LEFT_OUT = re.compile(r"^(?P<title>.*?)(?:\s*<(?P<source>[^<>]*)>)?$")


def script_format(path: Path, explicit: str | None = None) -> str:
    """``json`` or ``markdown``: ``explicit`` if given, else by the file's extension."""
    if explicit:
        return explicit
    return "json" if path.suffix.lower() == ".json" else "markdown"


# --- writing -------------------------------------------------------------------------------


def to_markdown(script: Script) -> str:
    lines = ["---", f"title: {script.title}", f"date: {script.date.isoformat()}"]
    for story in script.left_out:
        source = f" <{story.source}>" if story.source else ""
        key = "roundup" if story.roundup else "left_out"
        lines.append(f"{key}: {story.title}{source}")
    lines += ["---", ""]
    for segment in script.segments:
        lines.append(f"## {segment.kind}: {segment.title}")
        lines.append(f"profile: {segment.profile}")
        if segment.source:
            lines.append(f"source: {segment.source}")
        for credit in segment.also:
            link = f" <{credit.url}>" if credit.url else ""
            outlet = credit.outlet.replace("|", "\\|")
            lines.append(f"also: {outlet} | {credit.title}{link}")
        lines.append("")
        lines.extend(f"{paragraph}\n" for paragraph in _paragraphs(segment.text))
    return "\n".join(lines).rstrip("\n") + "\n"


def to_json(script: Script) -> str:
    data = {
        "title": script.title,
        "date": script.date.isoformat(),
        "segments": [
            {
                "kind": s.kind,
                "title": s.title,
                "profile": s.profile,
                "text": s.text,
                **({"source": s.source} if s.kind == "story" or s.source else {}),
                **({"source_sentences": list(s.source_sentences)} if s.kind == "story" else {}),
                **({"also": [asdict(c) for c in s.also]} if s.also else {}),
            }
            for s in script.segments
        ],
    }
    if script.left_out:
        # Scripts are about the length: ``reason`` (daily's max_stories) stays out of them.
        data["left_out"] = [
            {"title": s.title, "source": s.source, "roundup": s.roundup} for s in script.left_out
        ]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def dump_script(script: Script, fmt: str) -> str:
    return to_json(script) if fmt == "json" else to_markdown(script)


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


# --- reading -------------------------------------------------------------------------------


def read_script(path: Path, fmt: str | None = None) -> Script:
    """Load a script file; syntax errors name the file and line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: no such script file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a script file") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not a UTF-8 text file: save the script as UTF-8") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read the script ({exc.strerror})") from None
    if script_format(path, fmt) == "json":
        return parse_json(text, str(path))
    return parse_markdown(text, str(path))


def parse_markdown(text: str, name: str) -> Script:
    lines = text.splitlines()
    meta, body_start = _front_matter(lines, name)
    segments: list[Segment] = []
    current: dict[str, Any] | None = None
    in_fields = False
    for number, line in enumerate(lines[body_start:], start=body_start + 1):
        stripped = line.strip()
        if stripped.startswith("<!--") and stripped.endswith("-->"):
            continue
        heading = _HEADING.match(stripped)
        if stripped.startswith("## ") or heading:
            if current is not None:
                segments.append(_finish(current, name))
            if not heading:
                raise InputError(f"{name}: line {number}: expected '## kind: title' here")
            kind = heading["kind"].lower()
            if kind not in SEGMENT_KINDS:
                raise InputError(
                    f"{name}: line {number}: unknown segment kind {heading['kind']!r}: "
                    f"use one of {', '.join(SEGMENT_KINDS)}"
                )
            current = {"kind": kind, "title": heading["title"], "line": number, "body": []}
            in_fields = True
            continue
        if current is None:
            if stripped:
                raise InputError(
                    f"{name}: line {number}: text before the first segment: "
                    "start each segment with '## kind: title'"
                )
            continue
        if in_fields:
            field = _FIELD.match(stripped)
            key = _OLD_FIELDS.get(field["key"], field["key"]) if field else None
            if field and key == "also":
                credit = _CREDIT.match(field["value"])
                if credit is None or not credit["outlet"] or not credit["title"]:
                    raise InputError(
                        f"{name}: line {number}: expected 'also: Outlet | Title <link>'"
                    )
                url = (credit["url"] or "").strip() or None
                current.setdefault("also", []).append(
                    Credit(credit["outlet"].replace("\\|", "|"), credit["title"], url)
                )
                continue
            if field and key in _SEGMENT_FIELDS:
                current[key] = field["value"]
                continue
            if field and _looks_like_field(stripped):
                raise InputError(
                    f"{name}: line {number}: unknown field {field['key']!r}: "
                    f"use {' or '.join(_SEGMENT_FIELDS)}, then a blank line before the text"
                )
            in_fields = False
        current["body"].append(line)
    if current is not None:
        segments.append(_finish(current, name))
    if not segments:
        raise InputError(f"{name}: the script has no segments: add '## story: title' sections")
    return Script(
        title=meta["title"], date=meta["date"], segments=tuple(segments), left_out=meta["left_out"]
    )


def _looks_like_field(line: str) -> bool:
    # "Update: the launch slipped" is a sentence, not a field: fields are one lowercase word.
    key = line.split(":", 1)[0]
    return key.islower() and key.isidentifier()


def _front_matter(lines: list[str], name: str) -> tuple[dict[str, Any], int]:
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None or lines[start].strip() != "---":
        raise InputError(f"{name}: line 1: the script must start with '---' front matter")
    meta: dict[str, Any] = {}
    left_out: list[LeftOutStory] = []
    for i in range(start + 1, len(lines)):
        line = lines[i].strip()
        if line == "---":
            break
        field = _FIELD.match(line)
        if not field:
            raise InputError(f"{name}: line {i + 1}: expected 'key: value' in the front matter")
        if field["key"] in _LEFT_OUT_KEYS:
            story = _LEFT_OUT.match(field["value"])
            assert story is not None  # the pattern matches any line
            if story["title"]:
                left_out.append(
                    LeftOutStory(
                        title=story["title"],
                        source=(story["source"] or "").strip() or None,
                        roundup=field["key"] == "roundup",
                    )
                )
            continue
        meta[field["key"]] = field["value"]
    else:
        raise InputError(f"{name}: line {start + 1}: front matter is not closed with '---'")
    for key in ("title", "date"):
        if not meta.get(key):
            raise InputError(f"{name}: front matter: missing {key!r}")
    meta["date"] = _parse_date(meta["date"], f"{name}: front matter: date")
    meta["left_out"] = tuple(left_out)
    return meta, i + 1


def _finish(current: dict[str, Any], name: str) -> Segment:
    text = "\n\n".join(_paragraphs("\n".join(current["body"])))
    where = f"{name}: line {current['line']}"
    if not text:
        raise InputError(f"{where}: segment {current['title']!r} has no text to speak")
    if "profile" not in current:
        raise InputError(f"{where}: segment {current['title']!r} has no 'profile:' line")
    return Segment(
        kind=current["kind"],
        title=current["title"],
        profile=current["profile"],
        text=text,
        source=current.get("source") or None,
        also=tuple(current.get("also", ())),
    )


def _parse_date(value: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip().strip("\"'"))
    except ValueError:
        raise InputError(f"{where}: {value!r} is not a date: use YYYY-MM-DD") from None


def parse_json(text: str, name: str) -> Script:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{name}: line {exc.lineno}: {exc.msg}: fix the JSON syntax") from None
    _expect(data, dict, name, "top level", "an object")
    _expect(data.get("title"), str, name, "title", "a string")
    _expect(data.get("date"), str, name, "date", "a string (YYYY-MM-DD)")
    date = _parse_date(data["date"], f"{name}: date")
    raw_segments = data.get("segments")
    _expect(raw_segments, list, name, "segments", "a list")
    segments = []
    for i, raw in enumerate(raw_segments):
        where = f"segments[{i}]"
        _expect(raw, dict, name, where, "an object")
        raw = {_OLD_FIELDS.get(key, key): value for key, value in raw.items()}
        unknown = set(raw) - {f for f in asdict(_EXAMPLE_SEGMENT)}
        if unknown:
            raise InputError(f"{name}: {where}: unknown key {sorted(unknown)[0]!r}")
        for key in ("kind", "title", "profile", "text"):
            _expect(raw.get(key), str, name, f"{where}.{key}", "a string")
        if raw["kind"] not in SEGMENT_KINDS:
            raise InputError(
                f"{name}: {where}.kind: unknown segment kind {raw['kind']!r}: "
                f"use one of {', '.join(SEGMENT_KINDS)}"
            )
        if not raw["text"].strip():
            raise InputError(f"{name}: {where}.text: empty: write what should be spoken")
        source = raw.get("source")
        if source is not None:
            _expect(source, str, name, f"{where}.source", "a string")
        sentences = raw.get("source_sentences", [])
        _expect(sentences, list, name, f"{where}.source_sentences", "a list of strings")
        if not all(isinstance(s, str) for s in sentences):
            raise InputError(f"{name}: {where}.source_sentences: expected a list of strings")
        segments.append(
            Segment(
                kind=raw["kind"],
                title=raw["title"],
                profile=raw["profile"],
                text=raw["text"],
                source=source,
                source_sentences=tuple(sentences),
                also=_credits_of(raw.get("also", []), name, f"{where}.also"),
            )
        )
    if not segments:
        raise InputError(f"{name}: segments: the script has no segments")
    return Script(
        title=data["title"],
        date=date,
        segments=tuple(segments),
        left_out=_left_out_of(data.get("left_out", []), name),
    )


def _objects(
    raw: Any, name: str, where: str, keys: set[str]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each item of the list ``raw`` (at ``where``), checked to be an object with no key
    but ``keys``, with where it stands (``where[i]``)."""
    _expect(raw, list, name, where, "a list")
    for i, item in enumerate(raw):
        at = f"{where}[{i}]"
        _expect(item, dict, name, at, "an object")
        unknown = set(item) - keys
        if unknown:
            raise InputError(f"{name}: {at}: unknown key {sorted(unknown)[0]!r}")
        yield at, item


def _left_out_of(raw: Any, name: str) -> tuple[LeftOutStory, ...]:
    stories = []
    for where, item in _objects(raw, name, "left_out", {"title", "source", "roundup"}):
        _expect(item.get("title"), str, name, f"{where}.title", "a string")
        source = item.get("source")
        if source is not None:
            _expect(source, str, name, f"{where}.source", "a string")
        roundup = item.get("roundup", False)
        _expect(roundup, bool, name, f"{where}.roundup", "true or false")
        stories.append(LeftOutStory(title=item["title"], source=source, roundup=roundup))
    return tuple(stories)


def _credits_of(raw: Any, name: str, where: str) -> tuple[Credit, ...]:
    credits = []
    for at, item in _objects(raw, name, where, {"outlet", "title", "url"}):
        _expect(item.get("outlet"), str, name, f"{at}.outlet", "a string")
        _expect(item.get("title"), str, name, f"{at}.title", "a string")
        url = item.get("url")
        if url is not None:
            _expect(url, str, name, f"{at}.url", "a string")
        credits.append(Credit(item["outlet"], item["title"], url))
    return tuple(credits)


_EXAMPLE_SEGMENT = Segment(kind="story", title="", profile="", text="")


def _expect(value: Any, kind: type, name: str, where: str, what: str) -> None:
    if not isinstance(value, kind):
        raise InputError(f"{name}: {where}: expected {what}")
