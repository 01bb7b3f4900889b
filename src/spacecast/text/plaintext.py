"""Plain-text articles, and the line and paragraph rules Markdown and HTML share with them.

Paragraphs are split on blank lines and hard-wrapped lines joined with spaces; the first
line is the headline when it looks like one; list markers go and each item ends a sentence.
"""

from __future__ import annotations

import datetime as dt
import re

from spacecast.text.structure import heads_block, readable_paragraphs

TITLE_MAX_WORDS = 20  # a first line this long or longer is a sentence, not a headline


def word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Soft hyphens, zero-width characters and control characters that are not whitespace.
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff\x00-\x08\x0e-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """Whitespace collapsed to single spaces, invisible characters gone, ends stripped."""
    return " ".join(_INVISIBLE.sub("", text).split())


def looks_like_title(line: str) -> bool:
    """A headline: short, and not ending the way a sentence or a clause does."""
    if not line or len(line.split()) >= TITLE_MAX_WORDS:
        return False
    end = line.rstrip("\"'”’)]")
    if end.endswith((",", ";", ":")):
        return False
    return not (end.endswith(".") and not end.endswith(".."))


def split_title(paragraphs: list[list[str]]) -> tuple[str, list[str]]:
    """Title and body paragraphs from paragraphs given as lists of lines.

    The first line is the title if it looks like one, stands on its own (a paragraph of
    its own, or followed by a line that does not carry on its sentence in lower case) and
    something follows it. Otherwise the article has no headline (``""``): none is made up
    from its first sentence, which the listener would then hear twice.
    """
    first = paragraphs[0]
    line = clean_text(first[0])
    rest_of_first = first[1:]
    carries_on = bool(rest_of_first) and rest_of_first[0].lstrip()[:1].islower()
    has_more = bool(rest_of_first) or len(paragraphs) > 1
    if looks_like_title(line) and has_more and not carries_on:
        body_lines = [rest_of_first, *paragraphs[1:]] if rest_of_first else paragraphs[1:]
        return line, text_body(body_lines)
    return "", text_body(paragraphs)


def text_body(blocks: list[list[str]]) -> list[str]:
    """The readable paragraphs of plain text (or Markdown) given as blocks of lines.

    A block whose first line is a subhead with the paragraph right under it ("The Long
    Night" then "It was after ten when ...") is two blocks, as a blank line would make it;
    list items ("- ...", "* ...", "1. ...") lose their markers and each ends a sentence, as
    in Markdown; a paragraph that starts in lower case after one that ends mid-sentence
    carries that sentence on and is joined to it. Then subheads and captions go
    (``structure.readable_paragraphs``).
    """
    paragraphs: list[str] = []
    for lines in blocks:
        lines = [line for line in lines if line.strip()]
        if not lines:
            continue
        if len(lines) > 1 and heads_block(lines[0], lines[1]):
            paragraphs.append(clean_text(lines[0]))
            lines = lines[1:]
        for part in _split_list(lines):
            text = clean_text(part)
            if text and paragraphs and _carries_on(paragraphs[-1], text):
                paragraphs[-1] = f"{paragraphs[-1]} {text}"
            elif text:
                paragraphs.append(text)
    return readable_paragraphs(paragraphs)


def _split_list(lines: list[str]) -> list[str]:
    """A block's lines as its text: the lines before a list, then the list's items (markers
    off, each ending a sentence) as one paragraph. A number that carries on a line ("the
    end of" / "2025. Ministers ...") is not a list unless it is 1."""
    prose: list[str] = []
    items: list[list[str]] = []
    for line in lines:
        item = LIST_ITEM.match(line)
        if item and (items or not prose or item.group(1) in (None, "1")):
            items.append([item.group(2)])
        elif items:
            items[-1].append(line)  # a continuation of the item
        else:
            prose.append(line)
    parts = [" ".join(prose)] if prose else []
    if items:
        parts.append(" ".join(as_sentence(clean_text(" ".join(i))) for i in items))
    return parts


_LOWER_WORD = re.compile(r"[a-z]+\b")


def _carries_on(before: str, text: str) -> bool:
    """Whether ``text`` continues the sentence ``before`` left open ("... the old" / "mill
    closed."): it starts with a lower-case word (not "iPhone") and ``before`` has no end."""
    end = before.rstrip("\"'”’)]")[-1:]
    return bool(_LOWER_WORD.match(text)) and (end.isalnum() or end in ",;-–—")


_RULE_LINE = re.compile(r"^\s*([-=_*~#+])\1{2,}\s*$")


def parse_text(text: str) -> tuple[str, list[str]]:
    """Paragraphs split on blank lines; hard-wrapped lines joined with spaces."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.splitlines():
        if not line.strip() or _RULE_LINE.match(line):
            if current:
                blocks.append(current)
                current = []
        else:
            current.append(line)
    if current:
        blocks.append(current)
    if not blocks:
        return "", []
    return split_title(blocks)


LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+•]|(\d{1,9})[.)])[ \t]+(.*)$")

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def as_sentence(item: str) -> str:
    """A list item that reads as a sentence: ends in punctuation."""
    if item and item[-1] not in ".!?…:;\"'”’)":
        return item + "."
    return item


def drop_html_comments(text: str) -> str:
    """``<!-- ... -->`` removed in one linear pass; an unclosed one runs to the end."""
    parts: list[str] = []
    pos = 0
    while True:
        start = text.find("<!--", pos)
        if start < 0:
            parts.append(text[pos:])
            break
        parts.append(text[pos:start])
        end = text.find("-->", start + 4)
        if end < 0:
            break
        pos = end + 3
    return "".join(parts)


def parse_date(value: str) -> dt.date | None:
    match = _DATE.match(value.strip())
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None
