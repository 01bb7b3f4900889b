"""Reading ``spacecast.toml``: its TOML, the line of every key, and each value checked by
the schema.

Unknown keys and wrong types are errors naming the file, the line and the key path
(``spacecast.toml: line 7: sources[2].url: expected a string``; sources count from 0).
Relative paths are taken from the file's folder.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NoReturn

from spacecast.settings.model import ConfigFileError, Origin
from spacecast.settings.schema import (
    FILE_SECTIONS,
    SHOW_NAME,
    SHOW_SECTIONS,
    SHOW_TABLE_KEYS,
    SOURCE_KEYS,
    SOURCE_KINDS,
    section_keys,
    show_section_keys,
)
from spacecast.sources.gather import SourceSpec

CONFIG_NAME = "spacecast.toml"


@dataclass(frozen=True)
class FileShow:
    """One ``[[shows]]`` table: its name, and what it sets over the top-level settings."""

    name: str
    where: str
    """How errors name the table: ``spacecast.toml: line 12: shows[1]``."""
    values: dict[str, Any] = field(default_factory=dict)
    origins: dict[str, Origin] = field(default_factory=dict)
    sources: tuple[SourceSpec, ...] | None = None
    """Its own ``sources``; ``None``: the top-level ``[[sources]]``."""


@dataclass(frozen=True)
class FileSettings:
    """What one settings file sets: checked values by key, with where each was set."""

    path: Path
    """The file, absolute."""
    values: dict[str, Any] = field(default_factory=dict)
    origins: dict[str, Origin] = field(default_factory=dict)
    sources: tuple[SourceSpec, ...] | None = None
    """The ``[[sources]]`` tables; ``None`` when the file has none."""
    shows: tuple[FileShow, ...] = ()
    """The ``[[shows]]`` tables, in order; none: one show, of the top-level settings."""


def read_settings_file(path: Path) -> FileSettings:
    """The settings in ``path``, checked; any problem is a one-line ``ConfigFileError``
    naming the file, the line and the key path."""
    text = _read(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigFileError(_syntax_message(str(path), str(exc))) from None
    except RecursionError:
        raise ConfigFileError(
            f"{path}: arrays or tables nested too deeply for a settings file: fix the TOML"
        ) from None
    return _Reader(path, text).read(data)


def _read(path: Path) -> str:
    name = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigFileError(
            f"{name}: no such config file: run spacecast init to write one"
        ) from None
    except IsADirectoryError:
        raise ConfigFileError(
            f"{name}: is a folder, not a config file: give the path of a {CONFIG_NAME} file"
        ) from None
    except PermissionError:
        raise ConfigFileError(
            f"{name}: cannot read the config file: permission denied (check its permissions)"
        ) from None
    except OSError as exc:
        raise ConfigFileError(
            f"{name}: cannot read the config file: {exc.strerror or exc}"
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigFileError(
            f"{name}: line {line}: not UTF-8 text: save the file as UTF-8"
        ) from None
    return text.removeprefix("\ufeff")  # a byte order mark, as some Windows editors write


_AT_LINE = re.compile(r"\s*\(at line (\d+), column \d+\)$")
_AT_END = "(at end of document)"


def _syntax_message(name: str, message: str) -> str:
    """tomllib's ``Invalid value (at line 4, column 9)`` as ``name: line 4: Invalid value: …``."""
    if found := _AT_LINE.search(message):
        return f"{name}: line {found[1]}: {message[: found.start()]}: fix the TOML syntax"
    if message.endswith(_AT_END):
        message = message.removesuffix(_AT_END).rstrip() + " at the end of the file"
    return f"{name}: {message}: fix the TOML syntax"


# Key paths: ``show.title``, ``sources[0].limit`` (0-based, as in Python and JSON); a key that
# is not a bare TOML key is shown quoted, ``show."odd key"``.

_BARE = r"[A-Za-z0-9_-]+"
_QUOTED = r'"(?:[^"\\]|\\.)*"|\'[^\']*\''
_PART = rf"\s*(?:{_BARE}|{_QUOTED})\s*"
_DOTTED = rf"{_PART}(?:\.{_PART})*"
_TABLE_LINE = re.compile(rf"^\s*(\[\[?)({_DOTTED})\]\]?\s*(?:#.*)?$")
_KEY_LINE = re.compile(rf"^({_DOTTED})=(.*)$")
_PARTS = re.compile(rf"{_BARE}|{_QUOTED}")


def _part(name: str) -> str:
    return name if re.fullmatch(_BARE, name) else json.dumps(name)


def _names(dotted: str) -> tuple[str, ...]:
    return tuple(token[1:-1] if token[0] in "\"'" else token for token in _PARTS.findall(dotted))


def _key_lines(text: str) -> dict[str, int]:
    """The line of each table header and ``key =`` line, by key path (first occurrence).

    A plain line scanner, not a TOML parser: it skips the body of multi-line strings, and
    keys inside inline tables and multi-line arrays are not found (their errors then name
    the nearest enclosing key that was).
    """
    lines: dict[str, int] = {}
    arrays: dict[tuple[str, ...], int] = {}  # [[name]] headers seen so far, by name
    table = ""
    closing: str | None = None  # the delimiter of the multi-line string being skipped
    for number, line in enumerate(text.split("\n"), 1):
        if closing:
            if closing in line:
                closing = None
            continue
        if header := _TABLE_LINE.match(line):
            names = _names(header[2])
            if header[1] == "[[":
                arrays[names] = arrays.get(names, 0) + 1
                # A new [[shows]] table starts its own [[shows.sources]] from 0.
                for inner in [key for key in arrays if key[: len(names)] == names]:
                    if len(inner) > len(names):
                        del arrays[inner]
            parts = []
            for depth, name in enumerate(names, 1):
                count = arrays.get(names[:depth])
                parts.append(_part(name) + (f"[{count - 1}]" if count else ""))
            table = ".".join(parts)
            lines.setdefault(table, number)
        elif assignment := _KEY_LINE.match(line):
            key = ".".join(_part(name) for name in _names(assignment[1]))
            lines.setdefault(f"{table}.{key}" if table else key, number)
            value = assignment[2].lstrip()
            for quote in ('"""', "'''"):
                if value.startswith(quote) and quote not in value[3:]:
                    closing = quote
    return lines


_TOP_LEVEL = [*FILE_SECTIONS, "sources", "shows"]


class _At:
    """One key of the file: its errors name the file, the line and the key path."""

    in_file = True

    def __init__(self, reader: _Reader, key: str) -> None:
        self.reader = reader
        self.key = key

    def fail(self, problem: str, *, given: str | None = None) -> NoReturn:
        self.reader.fail(self.key, problem)

    def path(self, text: str) -> Path:
        return self.reader.resolve(text)


class _Reader:
    """Checks the parsed TOML of one file; knows where each key is."""

    def __init__(self, path: Path, text: str) -> None:
        self.name = str(path)
        self.file = Path(os.path.abspath(path))
        self.base = self.file.parent
        self.lines = _key_lines(text)

    def where(self, key: str) -> str:
        line = self.line_of(key)
        at = f"line {line}: " if line else ""
        return f"{self.name}: {at}{key}"

    def fail(self, key: str, message: str) -> NoReturn:
        raise ConfigFileError(f"{self.where(key)}: {message}")

    def line_of(self, key: str) -> int | None:
        """The line of ``key``, else of the nearest enclosing key found, else ``None``."""
        while key:
            if key in self.lines:
                return self.lines[key]
            # A table given only by dotted keys (network.timeout = 3): its first key's line.
            inside = [line for name, line in self.lines.items() if name.startswith(key + ".")]
            if inside:
                return min(inside)
            cut = max(key.rfind("."), key.rfind("["))
            key = key[:cut] if cut > 0 else ""
        return None

    def resolve(self, value: str) -> Path:
        path = Path(value).expanduser()
        return path if path.is_absolute() else self.base / path

    def unknown(self, key: str, name: str, known: list[str]) -> NoReturn:
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]}?" if close else f"use one of {', '.join(known)}"
        self.fail(key, f"unknown key ({hint})")

    def unknown_top_level(self, name: str, value: Any) -> NoReturn:
        key = _part(name)
        close = difflib.get_close_matches(name, _TOP_LEVEL, n=1, cutoff=0.6)
        if isinstance(value, dict | list) or close:
            hint = f"did you mean {close[0]}?" if close else f"use one of {', '.join(_TOP_LEVEL)}"
            self.fail(key, f"unknown section ({hint})")
        homes = [section for section in FILE_SECTIONS if name in section_keys(section)]
        if homes:
            self.fail(key, f"unknown key (put it under [{homes[0]}])")
        self.fail(key, "unknown key (keys go under a section: [show], [briefing], [output] …)")

    def section(
        self,
        name: str,
        value: Any,
        settings: FileSettings | FileShow,
        *,
        show: str = "",
    ) -> None:
        """Check one section's keys into ``settings``; ``show``: the section of a
        ``[[shows]]`` table (``shows[1]``), which sets only what a show may."""
        at = f"{show}.{name}" if show else name
        if not isinstance(value, dict):
            header = f"[{show.split('[')[0]}.{name}]" if show else f"[{name}]"
            self.fail(at, f"expected a table, like {header}")
        known = section_keys(name)
        own = show_section_keys(name) if show else known
        for key, item in value.items():
            where = f"{at}.{_part(key)}"
            if key not in known:
                self.unknown(where, key, list(own))
            if key not in own:
                self.fail(where, f"one value for every show: put it under [{name}] at the top")
            setting = known[key]
            settings.values[setting.key] = setting.kind.check(item, _At(self, where))
            settings.origins[setting.key] = Origin("file", self.where(where))

    def shows(self, value: Any) -> tuple[FileShow, ...]:
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.fail("shows", "expected [[shows]] tables (double brackets), one per show")
        if not value:
            self.fail("shows", "expected at least one [[shows]] table")
        shows: list[FileShow] = []
        for index, table in enumerate(value):
            show = self.show(index, table)
            for other in shows:
                if other.name == show.name:
                    first = other.where.rsplit(": ", 1)[-1]
                    self.fail(
                        f"shows[{index}].name",
                        f'"{show.name}" is the name of {first} too: give each show its own name',
                    )
            shows.append(show)
        return tuple(shows)

    def show(self, index: int, table: dict[str, Any]) -> FileShow:
        where = f"shows[{index}]"
        for key in table:
            if key not in SHOW_TABLE_KEYS:
                if key in FILE_SECTIONS:  # network
                    self.fail(
                        f"{where}.{_part(key)}",
                        f"one value for every show: put it under [{key}] at the top",
                    )
                self.unknown(f"{where}.{_part(key)}", key, list(SHOW_TABLE_KEYS))
        if "name" not in table:
            self.fail(where, 'give the show a name (name = "space-news"): daily --show uses it')
        name = SHOW_NAME.check(table["name"], _At(self, f"{where}.name"))
        show = FileShow(name=name, where=self.where(where))
        for section in SHOW_SECTIONS:
            if section in table:
                self.section(section, table[section], show, show=where)
        if "sources" in table:
            show = replace(show, sources=self.sources(table["sources"], f"{where}.sources"))
        return show

    def sources(self, value: Any, where: str = "sources") -> tuple[SourceSpec, ...]:
        header = f"[[{where.split('[')[0]}.sources]]" if where != "sources" else "[[sources]]"
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.fail(where, f"expected {header} tables (double brackets), one per source")
        if not value:
            self.fail(where, f"expected at least one {header} table")
        return tuple(self.source(f"{where}[{i}]", table) for i, table in enumerate(value))

    def source(self, where: str, table: dict[str, Any]) -> SourceSpec:
        for key in table:
            if key not in SOURCE_KEYS:
                self.unknown(f"{where}.{_part(key)}", key, list(SOURCE_KEYS))
        kinds = [kind for kind in SOURCE_KINDS if kind in table]
        if len(kinds) != 1:
            self.fail(where, "give exactly one of folder, feed or url")
        values = {
            key: SOURCE_KEYS[key].check(item, _At(self, f"{where}.{key}"))
            for key, item in table.items()
        }
        return SourceSpec(
            kind=kinds[0],
            location=str(values[kinds[0]]),
            name=values.get("name", ""),
            limit=values.get("limit"),
            allow_private=values.get("allow_private", ()),
            weight=float(values.get("weight", 1.0)),
        )

    def read(self, data: dict[str, Any]) -> FileSettings:
        settings = FileSettings(path=self.file)
        sources: tuple[SourceSpec, ...] | None = None
        shows: tuple[FileShow, ...] = ()
        for name, value in data.items():
            if name == "sources":
                sources = self.sources(value)
            elif name == "shows":
                shows = self.shows(value)
            elif name in FILE_SECTIONS:
                self.section(name, value, settings)
            else:
                self.unknown_top_level(name, value)
        return FileSettings(settings.path, settings.values, settings.origins, sources, shows)
