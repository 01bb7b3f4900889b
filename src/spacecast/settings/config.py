"""``spacecast.toml``: the settings of a show, for ``spacecast daily`` and friends.

The settings are plain frozen dataclasses; ``load_config`` reads and checks a file (unknown
keys and wrong types are errors naming the key path and line), and every command-line option
that has a key here overrides it.
"""

from __future__ import annotations

import difflib
import json
import math
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

import platformdirs

from spacecast.errors import ConfigError
from spacecast.limits import MAX_MINUTES, MAX_STORIES, MAX_TITLE_CHARS
from spacecast.publish.feed import Channel, base_url_problem, check_base_url
from spacecast.sources.fetch import NetworkSettings
from spacecast.sources.gather import SourceKind, SourceSpec
from spacecast.text.compose import STYLES, Phrases, Style, placeholder_problem


@dataclass(frozen=True)
class ShowSettings:
    title: str = Channel.title
    description: str = Channel.description
    author: str = Channel.author
    email: str = Channel.owner_email
    language: str = Channel.language
    category: str = Channel.category
    subcategory: str | None = Channel.subcategory
    explicit: bool = Channel.explicit
    base_url: str = Channel.base_url
    cover: Path | None = None


@dataclass(frozen=True)
class BriefingSettings:
    minutes: float = 5.0
    minutes_from: str | None = field(default=None, compare=False)
    """The file, line and key that set ``minutes``, for errors about it (``None``: not set
    in a file)."""
    max_stories: int = 8
    voices_dir: Path | None = None
    style: Style = "bulletin"
    anchor: str = "anchor"
    correspondent: tuple[str, ...] = ("correspondent",)
    """The voice profiles that read the stories, in turn."""
    bitrate: int = 64
    lufs: float = -16.0
    intro: Path | None = None
    outro: Path | None = None
    transition: Path | None = None


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    """The file these settings came from (``None``: built-in defaults)."""
    show: ShowSettings = field(default_factory=ShowSettings)
    briefing: BriefingSettings = field(default_factory=BriefingSettings)
    phrases: Phrases = field(default_factory=Phrases)
    sources: tuple[SourceSpec, ...] = (SourceSpec(kind="folder", location="seeds"),)
    sources_given: bool = field(default=False, compare=False)
    """Whether the file has ``[[sources]]`` tables (``build`` and ``script`` with no SOURCES
    then read them, not ``./seeds``)."""
    network: NetworkSettings = field(default_factory=NetworkSettings)
    output: Path = Path("briefings")
    keep: int = 30
    """How many episodes the output folder keeps; older ones leave the feed and the folder."""
    cache_dir: Path | None = None
    """Default: the user cache folder."""
    log_file: Path | None = None
    """Default: ``spacecast.log`` in the output folder."""


# --- finding, reading and checking spacecast.toml ------------------------------------------

CONFIG_NAME = "spacecast.toml"
ENV_VAR = "SPACECAST_CONFIG"


class ConfigFileError(ConfigError):
    """A ``spacecast.toml`` that cannot be found, read or used (exit 78: sysexits EX_CONFIG)."""

    exit_code = 78


def user_config_path() -> Path:
    """The settings file in the user config folder: ``~/.config/spacecast/spacecast.toml`` on
    Linux (``$XDG_CONFIG_HOME`` moves it), where a cron job finds it from any folder."""
    return platformdirs.user_config_path("spacecast") / CONFIG_NAME


def find_config(explicit: Path | None) -> Path | None:
    """The config file to use: ``explicit`` (``--config``), else ``$SPACECAST_CONFIG``, else
    ``./spacecast.toml``, else the user config folder's (``user_config_path``), else ``None``
    (the built-in defaults).

    A file named by ``--config`` or the environment is returned even when it is missing, so
    that ``load_config`` reports it; the other two are used only when they exist.
    """
    if explicit is not None:
        return explicit
    named = os.environ.get(ENV_VAR, "")
    if named.strip():
        return Path(named).expanduser()
    for candidate in (Path(CONFIG_NAME), user_config_path()):
        if candidate.exists():
            return candidate
    return None


def require_config(explicit: Path | None) -> Path:
    """``find_config``'s file; when there is none, a ``ConfigFileError`` that says where it
    looked, in order, and how to write one."""
    found = find_config(explicit)
    if found is not None:
        return found
    local = Path(os.path.abspath(CONFIG_NAME))
    raise ConfigFileError(
        f"no settings file found: looked for --config, then ${ENV_VAR}, then {local}, then "
        f"{user_config_path()}: run spacecast init --user to write one there "
        "(or spacecast init for one in this folder)"
    )


def load_config(path: Path | None) -> Config:
    """The settings in ``path`` (``None``: the built-in defaults), checked.

    Relative paths in the file are resolved against the file's folder. Any problem raises a
    one-line :class:`ConfigFileError` naming the file, the line and the key path.
    """
    if path is None:
        return Config()
    text = _read(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigFileError(_syntax_message(str(path), str(exc))) from None
    except RecursionError:
        raise ConfigFileError(
            f"{path}: arrays or tables nested too deeply for a settings file: fix the TOML"
        ) from None
    return _Reader(path, text).config(data)


def starter_config(folders_in: Path | None = None) -> str:
    """The text of a commented ``spacecast.toml`` that works as written in a clone of the repo.

    ``folders_in``: the file will live elsewhere (the user config folder), so the folders it
    names (the sources and the output) are written as absolute paths in ``folders_in``.
    """
    if folders_in is None:
        return _STARTER

    def absolute(line: re.Match[str]) -> str:
        setting = f'folder = "{_home_relative(folders_in / line[1])}"'
        return setting.ljust(len(line[0]) - 2) + "  "  # the comments stay aligned if they can

    return _STARTER_FOLDER.sub(absolute, _STARTER)


_STARTER_FOLDER = re.compile(r'(?m)^folder = "(seeds|briefings)" *(?=#)')


def _home_relative(path: Path) -> str:
    """``path`` with the home folder written ``~``, as the settings file allows."""
    path = Path(os.path.abspath(path))
    home = Path.home()
    if path.is_relative_to(home) and path != home:
        return f"~/{path.relative_to(home)}"
    return str(path)


def write_starter_config(folder: Path, *, folders_in: Path | None = None) -> Path:
    """Write the starter file as ``folder/spacecast.toml``; never replace an existing one.

    ``folders_in``: see ``starter_config`` (for a file written away from its folders).
    """
    target = folder / CONFIG_NAME
    exists = ConfigFileError(f"{target} already exists: edit it, or remove it to start again")
    if target.exists() or target.is_symlink():
        raise exists
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(target, "x", encoding="utf-8")  # noqa: SIM115 - removed if writing fails
    except FileExistsError:
        raise exists from None
    except OSError as exc:
        raise ConfigFileError(f"{target}: cannot write it: {exc.strerror or exc}") from None
    try:
        with handle:
            handle.write(starter_config(folders_in))
    except OSError as exc:
        target.unlink(missing_ok=True)
        raise ConfigFileError(f"{target}: cannot write it: {exc.strerror or exc}") from None
    return target


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


_Check = Callable[["_Reader", str, Any], Any]


MAX_SETTING_CHARS = 10_000
"""The longest string setting (a phrase, a description): longer ones are mistakes."""


def _string(reader: _Reader, key: str, value: Any) -> str:
    if not isinstance(value, str):
        reader.fail(key, "expected a string")
    if len(value) > MAX_SETTING_CHARS:
        reader.fail(key, f"is {len(value):,} characters long: at most {MAX_SETTING_CHARS:,}")
    return value


def _text(reader: _Reader, key: str, value: Any) -> str:
    """A string that is not empty."""
    value = _string(reader, key, value)
    if not value.strip():
        reader.fail(key, "must not be empty")
    return value


def _title(reader: _Reader, key: str, value: Any) -> str:
    """The show's name: spoken in every greeting, drawn on the cover."""
    if isinstance(value, str) and len(value) > MAX_TITLE_CHARS:
        reader.fail(key, f"is {len(value):,} characters long: at most {MAX_TITLE_CHARS}")
    return _text(reader, key, value)


def _optional_text(reader: _Reader, key: str, value: Any) -> str | None:
    """A string; ``""`` means none."""
    return _string(reader, key, value) or None


def _flag(reader: _Reader, key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        reader.fail(key, "expected true or false")
    return value


def _number(reader: _Reader, key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        reader.fail(key, "expected a number")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        reader.fail(key, "expected a number")
    return number


def _whole(reader: _Reader, key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        reader.fail(key, "expected a whole number")
    return value


def _path(reader: _Reader, key: str, value: Any) -> Path:
    return reader.resolve(_text(reader, key, value))


def _url(example: str) -> _Check:
    def check(reader: _Reader, key: str, value: Any) -> str:
        value = _text(reader, key, value)
        try:
            parts = urlsplit(value)
        except ValueError:
            parts = None
        if (
            parts is None
            or parts.scheme.lower() not in ("http", "https")
            or not parts.hostname
            or any(char.isspace() for char in value)
        ):
            reader.fail(key, f"expected an absolute http(s) URL, like {example}")
        return value

    return check


def _base_url(reader: _Reader, key: str, value: Any) -> str:
    """Checked by the same rules as ``--base-url`` (``feed.check_base_url``)."""
    value = _text(reader, key, value)
    if problem := base_url_problem(value):
        reader.fail(key, problem)
    return check_base_url(value)


def _more_than(limit: float, check: _Check) -> _Check:
    def more(reader: _Reader, key: str, value: Any) -> Any:
        value = check(reader, key, value)
        if not value > limit:
            reader.fail(key, f"must be more than {limit:g}")
        return value

    return more


def _at_least(limit: int) -> _Check:
    def least(reader: _Reader, key: str, value: Any) -> int:
        value = _whole(reader, key, value)
        if value < limit:
            reader.fail(key, f"must be at least {limit}")
        return value

    return least


def _whole_between(low: int, high: int) -> _Check:
    def between(reader: _Reader, key: str, value: Any) -> int:
        value = _whole(reader, key, value)
        if not low <= value <= high:
            reader.fail(key, f"must be a whole number from {low:,} to {high:,}")
        return value

    return between


def _up_to(high: float, check: _Check) -> _Check:
    """``check``, then at most ``high``: numbers no real show needs are refused, not let
    loose on the build (a timeout of 1e300 s, minutes = 1e308)."""

    def up_to(reader: _Reader, key: str, value: Any) -> Any:
        value = check(reader, key, value)
        if value > high:
            reader.fail(key, f"must be at most {high:g}")
        return value

    return up_to


def _host_ports(reader: _Reader, key: str, value: Any) -> tuple[str, ...]:
    """``allow_private``: a list of ``"host:port"`` strings."""
    from spacecast.sources.urls import parse_host_port

    example = 'a list of "host:port" strings: ["192.168.1.20:8080"]'
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        reader.fail(key, f"expected {example}")
    for item in value:
        if parse_host_port(item) is None:
            reader.fail(key, f"{item!r} is not a host:port: expected {example}")
    return tuple(value)


def _between(low: float, high: float) -> _Check:
    def between(reader: _Reader, key: str, value: Any) -> float:
        value = _number(reader, key, value)
        if not low <= value <= high:
            reader.fail(key, f"must be between {low:g} and {high:g}")
        return value

    return between


def _profile_names(reader: _Reader, key: str, value: Any) -> tuple[str, ...]:
    """One voice profile's name, or a list of them."""
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        reader.fail(key, 'expected a voice profile\'s name, or a list of them: ["sam", "jo"]')
    if not all(name.strip() for name in names):
        reader.fail(key, "a voice profile's name must not be empty")
    return tuple(names)


def _word(*choices: str) -> _Check:
    def word(reader: _Reader, key: str, value: Any) -> str:
        if value not in choices:
            listed = ", ".join(f'"{choice}"' for choice in choices)
            reader.fail(key, f"must be one of {listed}")
        return value

    return word


def _phrase(name: str, *, required: bool = False) -> _Check:
    def phrase(reader: _Reader, key: str, value: Any) -> str:
        value = _text(reader, key, value) if required else _string(reader, key, value)
        if problem := placeholder_problem(name, value):
            reader.fail(key, problem)
        return value

    return phrase


def _phrase_list(reader: _Reader, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        reader.fail(key, 'expected a list of strings: ["Next.", "In other news."]')
    for item in value:
        if problem := placeholder_problem("links", item):
            reader.fail(key, problem)
    return tuple(item for item in value if item.strip())


def _one_of(*choices: int) -> _Check:
    def one_of(reader: _Reader, key: str, value: Any) -> int:
        value = _whole(reader, key, value)
        if value not in choices:
            listed = ", ".join(str(choice) for choice in choices[:-1])
            reader.fail(key, f"must be {listed} or {choices[-1]}")
        return value

    return one_of


# Each section's keys, checked and converted to the dataclass field of the same name
# (``[output]`` keys go to Config fields, see _OUTPUT_FIELDS).
_SECTIONS: dict[str, dict[str, _Check]] = {
    "show": {
        "title": _title,
        "description": _string,
        "author": _string,
        "email": _string,
        "language": _text,
        "category": _string,
        "subcategory": _optional_text,
        "explicit": _flag,
        "base_url": _base_url,
        "cover": _path,
    },
    "briefing": {
        "minutes": _up_to(MAX_MINUTES, _more_than(0, _number)),
        "max_stories": _whole_between(1, MAX_STORIES),
        "voices_dir": _path,
        "style": _word(*STYLES),
        "anchor": _text,
        "correspondent": _profile_names,
        "bitrate": _one_of(64, 96, 128),
        "lufs": _between(-30, -10),
        "intro": _path,
        "outro": _path,
        "transition": _path,
    },
    "phrases": {
        "greeting": _phrase("greeting", required=True),
        "first_link": _phrase("first_link"),
        "links": _phrase_list,
        "last_link": _phrase("last_link"),
        "handover": _phrase("handover"),
        "handover_no_headline": _phrase("handover_no_headline"),
        "hand_back": _phrase("hand_back"),
        "sign_off": _phrase("sign_off"),
        "roundup": _phrase("roundup"),
    },
    "output": {
        "folder": _path,
        "keep": _whole_between(1, 100_000),
        "cache_dir": _path,
        "log_file": _path,
    },
    "network": {
        "timeout": _up_to(600, _more_than(0, _number)),
        "max_bytes": _whole_between(1, 100_000_000),
        "user_agent": _text,
        "max_pages": _whole_between(1, 1000),
        "budget": _up_to(3600, _more_than(0, _number)),
    },
}
_OUTPUT_FIELDS = {
    "folder": "output",
    "keep": "keep",
    "cache_dir": "cache_dir",
    "log_file": "log_file",
}
_SOURCE_KINDS: tuple[SourceKind, ...] = ("folder", "feed", "url")
_SOURCE_KEYS: dict[str, _Check] = {
    "folder": _path,
    "feed": _url("https://www.example.com/rss.xml"),
    "url": _url("https://www.example.com/news/story.html"),
    "name": _string,
    "limit": _whole_between(1, MAX_STORIES),
    "allow_private": _host_ports,
}
_TOP_LEVEL = [*_SECTIONS, "sources"]


class _Reader:
    """Checks the parsed TOML of one file and builds its Config; knows where each key is."""

    def __init__(self, path: Path, text: str) -> None:
        self.name = str(path)
        self.file = Path(os.path.abspath(path))
        self.base = self.file.parent
        self.lines = _key_lines(text)

    def fail(self, key: str, message: str) -> NoReturn:
        line = self.line_of(key)
        at = f"line {line}: " if line else ""
        raise ConfigFileError(f"{self.name}: {at}{key}: {message}")

    def line_of(self, key: str) -> int | None:
        """The line of ``key``, else of the nearest enclosing key found, else ``None``."""
        while key:
            if key in self.lines:
                return self.lines[key]
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
        homes = [section for section, keys in _SECTIONS.items() if name in keys]
        if homes:
            self.fail(key, f"unknown key (put it under [{homes[0]}])")
        self.fail(key, "unknown key (keys go under a section: [show], [briefing], [output] …)")

    def section(self, name: str, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(name, f"expected a table, like [{name}]")
        checks = _SECTIONS[name]
        values = {}
        for key, item in value.items():
            where = f"{name}.{_part(key)}"
            if key not in checks:
                self.unknown(where, key, list(checks))
            values[key] = checks[key](self, where, item)
        return values

    def sources(self, value: Any) -> tuple[SourceSpec, ...]:
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.fail("sources", "expected [[sources]] tables (double brackets), one per source")
        if not value:
            self.fail("sources", "expected at least one [[sources]] table")
        return tuple(self.source(index, table) for index, table in enumerate(value))

    def source(self, index: int, table: dict[str, Any]) -> SourceSpec:
        where = f"sources[{index}]"
        for key in table:
            if key not in _SOURCE_KEYS:
                self.unknown(f"{where}.{_part(key)}", key, list(_SOURCE_KEYS))
        kinds = [kind for kind in _SOURCE_KINDS if kind in table]
        if len(kinds) != 1:
            self.fail(where, "give exactly one of folder, feed or url")
        values = {
            key: _SOURCE_KEYS[key](self, f"{where}.{key}", item) for key, item in table.items()
        }
        return SourceSpec(
            kind=kinds[0],
            location=str(values[kinds[0]]),
            name=values.get("name", ""),
            limit=values.get("limit"),
            allow_private=values.get("allow_private", ()),
        )

    def config(self, data: dict[str, Any]) -> Config:
        sections: dict[str, dict[str, Any]] = {}
        sources: tuple[SourceSpec, ...] | None = None
        for name, value in data.items():
            if name == "sources":
                sources = self.sources(value)
            elif name in _SECTIONS:
                sections[name] = self.section(name, value)
            else:
                self.unknown_top_level(name, value)
        given = sources is not None
        if sources is None:  # the default sources, found beside the file like everything else
            sources = tuple(
                SourceSpec(kind=spec.kind, location=str(self.resolve(spec.location)))
                for spec in Config.sources
            )
        briefing = sections.get("briefing", {})
        if "minutes" in briefing:
            line = self.line_of("briefing.minutes")
            at = f"line {line}: " if line else ""
            briefing["minutes_from"] = f"{self.name}: {at}briefing.minutes"
        output = {_OUTPUT_FIELDS[key]: value for key, value in sections.get("output", {}).items()}
        output.setdefault("output", self.base / Config.output)
        return Config(
            path=self.file,
            show=ShowSettings(**sections.get("show", {})),
            briefing=BriefingSettings(**briefing),
            phrases=Phrases(**sections.get("phrases", {})),
            sources=sources,
            sources_given=given,
            network=NetworkSettings(**sections.get("network", {})),
            **output,
        )


_STARTER = """\
# spacecast.toml: the settings of your show, for spacecast daily and the other commands.
#
# spacecast uses the file given with --config, else the one named by $SPACECAST_CONFIG,
# else spacecast.toml in the current folder, else the one in your user config folder
# (~/.config/spacecast/spacecast.toml on Linux: spacecast init --user writes it there),
# else its built-in defaults (spacecast daily then stops and says where it looked).
# A command-line option overrides the setting here for that run: spacecast daily --minutes 3
# makes a 3-minute briefing whatever [briefing] minutes says.
# Relative paths are relative to the folder this file is in (so a cron job, which runs in
# your home folder, finds them); ~ is your home folder.
# Every section and key is optional: a key left out, or commented out, takes the default
# shown. A mistake is reported with its line and key, such as
#   spacecast.toml: line 40: briefing.minutes: must be more than 0
# and sources are counted from 0: sources[0] is the first [[sources]] table.

[show]
title = "Spacecast"                # the show's name, spoken in the greeting and shown in apps
base_url = "http://127.0.0.1:8000/"  # the address the output folder is served at (spacecast
                                   # serve's); the feed's links start with it
# description = "The day's news, read aloud by spacecast."  # the feed's description
# author = "Spacecast"             # the feed's author
# email = "spacecast@example.com"  # the feed owner's e-mail address
# language = "en"                  # the feed's language code
# category = "News"                # the podcast category
# subcategory = "Daily News"       # the podcast subcategory ("" for none)
# explicit = false                 # true marks the show as explicit
# cover = "cover.jpg"              # your cover art, a square JPEG or PNG of 1400-3000 px
                                   # (default: drawn for the title)

[briefing]
minutes = 5                        # the briefing's target length in minutes (more than 0)
# max_stories = 8                  # at most this many stories per episode (1 to 250)
# style = "bulletin"               # "bulletin": the anchor links, the correspondent reads
                                   # each headline and story; "two-host": the anchor
                                   # introduces each story and hands over by name
# anchor = "anchor"                # the voice profile of the greeting, links and sign-off
# correspondent = "correspondent"  # the voice profile that reads the stories, or a list
                                   # that takes them in turn: ["correspondent", "anchor"]
# voices_dir = "voices"            # voice profiles and lexicon (default: ./voices, else the
                                   # profiles spacecast ships)
# bitrate = 64                     # MP3 bitrate in kbit/s: 64, 96 or 128
# lufs = -16                       # loudness target in LUFS, -30 to -10
# intro = "stingers/intro.wav"     # your own intro stinger (WAV, MP3, OGG or FLAC)
# outro = "stingers/outro.wav"     # your own outro stinger
# transition = "stingers/transition.wav"  # your own stinger between stories

# The anchor's words. {show}, {date}, {count}, {stories}, {headline}, {headlines}, {link},
# {anchor} and {correspondent} are filled in (the speakers' names are the voice profiles'
# speaker keys); each phrase says which it can use.
[phrases]
# greeting = '''
# Good morning. This is {show}, your news briefing for {date}.
#
# Today, {count} {stories}.'''       # a blank line starts a new paragraph
# first_link = "First."            # two-host: before the first story
# links = ["Next.", "In other news.", "Also today.", "Turning to another story."]
                                   # in turn before each later story ([] for none)
# last_link = "And finally."       # before the last of three or more stories
# handover = "{link} {headline}. {correspondent} has the story."
                                   # two-host: the anchor's words before each story; when
                                   # they include {headline}, the reader does not repeat it
# handover_no_headline = "{link} {correspondent} has the story."
                                   # two-host: the handover of a story without a headline
                                   # (the article had none, or it only repeated the lead)
# hand_back = ""                   # two-host: after each story, e.g. "Thanks, {correspondent}."
# sign_off = "That's the briefing for today. You've been listening to {show}. Thanks for listening."
# roundup = "Also today: {headlines}."  # before the sign-off, the headlines of stories left
                                   # out to fit the minutes ("" to leave them out unsaid)

[output]
folder = "briefings"               # where the episodes, feed.xml and index.html go
keep = 30                          # how many episodes to keep; older ones leave the feed
                                   # and the folder
# cache_dir = "~/.cache/spacecast"  # the speech cache (default: the user cache folder)
# log_file = "briefings/spacecast.log"  # each run's log (default: in the output folder)

[network]                          # for feed and url sources
# timeout = 15                     # seconds for each request (more than 0, at most 600)
# max_bytes = 5000000              # a larger response is cut off and the source reported
# max_pages = 25                   # at most this many new article pages fetched from each
                                   # source per run; the others wait for the next run
# budget = 180                     # seconds all of a run's fetching may take; then the run
                                   # goes on with the stories it has
# user_agent = "spacecast (offline news briefing; +https://example.com/spacecast)"
                                   # how spacecast introduces itself to web servers

# Where the stories come from: one [[sources]] table each, read in this order. Each gives
# exactly one of
#   folder = "path or glob"   article files (.txt, .md, .html): a folder or a glob
#   feed = "https://..."      an RSS or Atom feed
#   url = "https://..."       one web page
# and may add name (a label for messages), limit (at most this many stories from it per
# episode, 1 to 250) and allow_private (see below). Leave out every [[sources]] table to
# read seeds/.
# A feed or page on your own network is fetched as written, but links inside a feed, and
# redirects, that lead to a private or local address other than the source's own (its host
# and port) are refused, unless allow_private lists them:
#   allow_private = ["192.168.1.20:8080"]

[[sources]]
folder = "seeds"                   # the sample articles in this repository

# [[sources]]
# name = "Example News"
# feed = "https://www.example.com/rss.xml"
# limit = 3
# allow_private = []               # host:port addresses on your network its links may use

# [[sources]]
# name = "Today's long read"
# url = "https://www.example.com/news/long-read.html"
"""
