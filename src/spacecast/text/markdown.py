"""Markdown articles: front matter (title, url, date), headings, lists, quotes and inline
syntax reduced to the words a listener should hear."""

from __future__ import annotations

import datetime as dt
import html
import re

from spacecast.text.plaintext import (
    LIST_ITEM,
    TITLE_MAX_WORDS,
    as_sentence,
    clean_text,
    drop_html_comments,
    parse_date,
    split_title,
    text_body,
)

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")

_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")

_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-{2,})[ \t]*$")

_HORIZONTAL_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")

_QUOTE_MARKER = re.compile(r"^ {0,3}>[ \t]?")

_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*\S+")

_TABLE_DIVIDER = re.compile(
    r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$"
)

_TABLE_ROW = re.compile(r"^[ \t]*\|(.*)\|[ \t]*$")

_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")

_ESCAPE_SENTINEL = re.compile("[\ue000-\ue07f]")

# Bracketed text stops at the next bracket, so an unclosed "[" cannot make a scan quadratic.
_IMAGE = re.compile(r"!\[[^\[\]]*\](?:\((?:[^()\n]|\([^()\n]*\))*\)|\[[^\[\]\n]*\])")

_INLINE_LINK = re.compile(r"\[([^\[\]]*)\]\((?:[^()\n]|\([^()\n]*\))*\)")

_FOOTNOTE_REF = re.compile(r"\[\^[^\[\]\n]+\]")

_REFERENCE_LINK = re.compile(r"\[([^\[\]]+)\]\[[^\[\]\n]*\]")

_AUTOLINK = re.compile(r"<(?:mailto:)?([^<>\s]+(?:://|@)[^<>\s]+)>")

_INLINE_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")

_CODE_SPAN = re.compile(r"`+([^`]*?)`+")

_STRONG_STARS = re.compile(r"\*\*([^\s*](?:[^*]*?[^\s*])?)\*\*")

_STRONG_UNDERSCORES = re.compile(r"(?<!\w)__([^\s_](?:[^_]*?[^\s_])?)__(?!\w)")

_EM_STAR = re.compile(r"\*([^\s*](?:[^*]*?[^\s*])?)\*")

_EM_UNDERSCORE = re.compile(r"(?<!\w)_([^\s_](?:[^_]*?[^\s_])?)_(?!\w)")

_STRIKE = re.compile(r"~~([^\s~](?:[^~]*?[^\s~])?)~~")

_FRONT_MATTER_LINE = re.compile(r"^([A-Za-z][\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*$")


def _strip_inline_markdown(text: str) -> str:
    """Markdown inline syntax out, the words in: links keep their text, images go.

    Line breaks survive (each line is cleaned on its own), so a paragraph can be stripped
    as a whole, with links and emphasis that wrap across lines, and still be split into
    its lines afterwards.
    """
    escaped = "\\" in text
    if escaped:  # \* and friends stand for themselves: hide them from the rules below
        text = _ESCAPED.sub(lambda m: chr(0xE000 + ord(m.group(1))), text)
    if "[" in text:
        text = _IMAGE.sub("", text)
        text = _INLINE_LINK.sub(r"\1", text)
        text = _FOOTNOTE_REF.sub("", text)
        text = _REFERENCE_LINK.sub(r"\1", text)
    if "<" in text:
        text = _AUTOLINK.sub(r"\1", text)
        text = _INLINE_TAG.sub("", text)
    if "`" in text:
        text = _CODE_SPAN.sub(r"\1", text)
    if "*" in text:
        text = _STRONG_STARS.sub(r"\1", text)
        text = _EM_STAR.sub(r"\1", text)
        text = _STRONG_STARS.sub(r"\1", text)  # bold around an emphasised word
    if "_" in text:
        text = _STRONG_UNDERSCORES.sub(r"\1", text)
        text = _EM_UNDERSCORE.sub(r"\1", text)
    if "~" in text:
        text = _STRIKE.sub(r"\1", text)
    if escaped:
        text = _ESCAPE_SENTINEL.sub(lambda m: chr(ord(m.group()) - 0xE000), text)
    return "\n".join(clean_text(line) for line in html.unescape(text).split("\n"))


def front_matter_end(lines: list[str]) -> int | None:
    """Index of the closing ``---`` of front matter that opens on the first line."""
    if not lines or lines[0].strip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return index
    return None


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _parse_front_matter(lines: list[str]) -> dict[str, str]:
    """``key: value`` lines, keys lower-cased, quotes stripped; anything else ignored."""
    fields: dict[str, str] = {}
    for line in lines:
        if line[:1] in (" ", "\t", "#", "-"):
            continue  # nested YAML, comments and list entries are not ours
        match = _FRONT_MATTER_LINE.match(line)
        if match:
            fields.setdefault(match.group(1).lower(), _unquote(match.group(2)))
    return fields


def parse_markdown(
    text: str,
) -> tuple[str, list[str], str | None, dt.date | None]:
    lines = text.splitlines()
    fields: dict[str, str] = {}
    end = front_matter_end(lines)
    if end is not None:
        fields = _parse_front_matter(lines[1:end])
        lines = lines[end + 1 :]
    lines = drop_html_comments("\n".join(lines)).splitlines()

    blocks: list[list[str]] = []  # paragraphs as lines, for the first-line title rule
    headings: list[tuple[int, str, bool]] = []  # level, text, whether body text came first
    paragraph: list[str] = []
    items: list[list[str]] = []
    fence = ""

    def flush() -> None:
        if paragraph:
            blocks.append(_strip_inline_markdown("\n".join(paragraph)).split("\n"))
            paragraph.clear()
        if items:
            sentences = [
                as_sentence(clean_text(_strip_inline_markdown(" ".join(i)))) for i in items
            ]
            blocks.append([" ".join(s for s in sentences if s)])
            items.clear()

    for raw in lines:
        if fence:
            if raw.strip().startswith(fence):
                fence = ""
            continue
        opening = _FENCE.match(raw)
        if opening:
            flush()
            fence = opening.group(1)[0] * 3
            continue
        line = raw
        while _QUOTE_MARKER.match(line):
            line = _QUOTE_MARKER.sub("", line, count=1)
        if not line.strip():
            flush()
            continue
        heading = _ATX_HEADING.match(line)
        if heading:
            flush()
            headings.append((len(heading.group(1)), heading.group(2) or "", bool(blocks)))
            continue
        underline = _SETEXT_UNDERLINE.match(line)
        if (
            underline
            and len(paragraph) == 1
            and not items
            and len(paragraph[0].split()) < TITLE_MAX_WORDS
        ):
            level = 1 if underline.group(1)[0] == "=" else 2
            headings.append((level, paragraph.pop(), bool(blocks)))
            continue
        if _HORIZONTAL_RULE.match(line) or (underline and underline.group(1)[0] == "="):
            flush()
            continue
        if _LINK_DEFINITION.match(line) or ("|" in line and _TABLE_DIVIDER.match(line)):
            continue
        row = _TABLE_ROW.match(line)
        if row:
            line = ", ".join(cell.strip() for cell in row.group(1).split("|") if cell.strip())
        item = LIST_ITEM.match(line)
        if item and paragraph and item.group(1) not in (None, "1"):
            item = None  # "2024. The year..." wrapped onto a new line is not a list
        if item:
            if paragraph:
                flush()
            items.append([item.group(2)])
        elif items:
            items[-1].append(line)  # a continuation of the list item
        else:
            paragraph.append(line)
    flush()

    blocks = [[line for line in block if line] for block in blocks]
    blocks = [block for block in blocks if block]
    title = clean_text(_strip_inline_markdown(fields.get("title", "")))
    if not title:
        # The headline is a # or ## heading above the text, else the first # heading; a ##
        # further down is a subheading, never the title.
        wanted = [t for n, t, late in headings if n <= 2 and not late]
        wanted += [t for n, t, _ in headings if n == 1]
        title = next((t for t in map(clean_text, map(_strip_inline_markdown, wanted)) if t), "")
    if title:
        paragraphs = text_body(blocks)
    elif blocks:
        title, paragraphs = split_title(blocks)
    else:
        paragraphs = []

    url = next(
        (
            fields[key]
            for key in ("url", "canonical_url", "link", "source")
            if fields.get(key, "").startswith(("http://", "https://"))
        ),
        None,
    )
    return title, paragraphs, url, parse_date(fields.get("date", ""))
