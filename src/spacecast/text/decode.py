"""Bytes to text, for every article spacecast reads: files, stdin and web pages.

One decoder with one set of rules, in this order: a byte order mark (UTF-8 or UTF-16) wins;
then the charset the web server declared, if Python knows it; then UTF-8; then, for HTML,
the charset the page declares in a ``<meta>`` tag; else Windows-1252, with Latin-1 for the
five bytes Windows-1252 leaves undefined. Decoding never fails.
"""

from __future__ import annotations

import codecs
import re

_CP1252_HOLES = re.compile(rb"([\x81\x8d\x8f\x90\x9d])")

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def decode_text(data: bytes, *, html: bool = False, declared: str | None = None) -> str:
    """``data`` as text, by the rules in the module doc; never fails.

    ``html``: the page's own ``<meta>`` charset is tried before Windows-1252. ``declared``:
    the charset a web server sent with the page (``Content-Type``), which is taken at its
    word (bytes it cannot decode become U+FFFD) unless a byte order mark says otherwise or
    Python does not know the name.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif declared:
        try:
            return data.decode(declared, errors="replace")
        except LookupError:
            pass  # an unknown charset name: guess as if none was sent
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if html:
        meta = _META_CHARSET.search(data[:4096])
        if meta:
            try:
                return data.decode(meta.group(1).decode("ascii"))
            except (LookupError, UnicodeDecodeError):
                pass
    # Windows-1252 leaves five bytes undefined; those (and only those) are read as Latin-1.
    parts = _CP1252_HOLES.split(data)
    return "".join(
        part.decode("latin-1" if index % 2 else "cp1252") for index, part in enumerate(parts)
    )
