"""The starter ``spacecast.toml`` that ``spacecast init`` writes, made from the schema.

Every setting of the file appears with its default and its help: the few a new show sets
are switched on, the others commented out. It works as written in a clone of the
repository (its sources are ``seeds/``, its output ``briefings/``).
"""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

from spacecast.settings.model import ConfigFileError
from spacecast.settings.schema import FILE_SECTIONS, SETTINGS, Setting
from spacecast.settings.tomlfile import CONFIG_NAME

WIDTH = 92
COMMENT_COLUMN = 35

_HEADER = """\
# spacecast.toml: the settings of your show, for spacecast daily and the other commands.
#
# spacecast uses the file given with --config, else the one named by $SPACECAST_CONFIG,
# else spacecast.toml in the current folder, else the one in your user config folder
# (~/.config/spacecast/spacecast.toml on Linux: spacecast init --user writes it there),
# else its built-in defaults (spacecast daily then stops and says where it looked).
# An environment variable overrides the setting here, and a command-line option overrides
# both for that run: spacecast daily --minutes 3 makes a 3-minute briefing whatever
# [briefing] minutes says.
# Relative paths are relative to the folder this file is in (so a cron job, which runs in
# your home folder, finds them); ~ is your home folder.
# Every section and key is optional: a key left out, or commented out, takes the default
# shown. A mistake is reported with its line and key, such as
#   spacecast.toml: line 40: briefing.minutes: must be more than 0
# and sources are counted from 0: sources[0] is the first [[sources]] table.
"""

_BEFORE_SECTION = {
    "phrases": """\
# The anchor's words. {show}, {date}, {count}, {stories}, {headline}, {headlines}, {link},
# {anchor} and {correspondent} are filled in (the speakers' names are the voice profiles'
# speaker keys); each phrase says which it can use.
""",
}
_ON_SECTION = {"network": "for feed and url sources"}

_SOURCES = """\
# Where the stories come from: one [[sources]] table each, read in this order. Each gives
# exactly one of
#   folder = "path or glob"   article files (.txt, .md, .html): a folder or a glob
#   feed = "https://..."      an RSS or Atom feed
#   url = "https://..."       one web page
# and may add name (a label for messages and the outlet credited in show notes), limit (at
# most this many stories from it per episode, 1 to 250), weight (how much its report of an
# event counts when events are ranked: 1 by default, 2 counts double) and allow_private
# (see below). Leave out every [[sources]] table to read seeds/.
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
# weight = 1
# allow_private = []               # host:port addresses on your network its links may use

# [[sources]]
# name = "Today's long read"
# url = "https://www.example.com/news/long-read.html"
"""


_SHOWS = """\
# Topic shows: to publish several shows from this one file, add a [[shows]] table for each,
# with a name (spacecast daily --show NAME builds that one alone) and what the show sets for
# itself over the settings above: its own show, briefing, phrases and output sections (an
# output folder of its own: each show keeps its episodes, feed, page, log and memory of
# what it read there, served at an address of its own, show.base_url) and its own sources
# (else it reads the [[sources]] above). The shows share the speech cache ([output]
# cache_dir) and the [network] limits, so a story two shows read in the same words is
# spoken once. spacecast daily builds every show:
#
#   [[shows]]
#   name = "space"
#   show.title = "Space Desk"
#   show.base_url = "https://www.example.com/space/"
#   briefing.minutes = 3
#   output.folder = "space"
#   sources = [{ folder = "news/space" }]
#
#   [[shows]]
#   name = "weather"
#   show.title = "Weather Desk"
#   show.base_url = "https://www.example.com/weather/"
#   briefing.correspondent = ["anchor"]
#   output.folder = "weather"
#   sources = [{ folder = "news/weather" }, { feed = "https://www.example.com/weather.xml" }]
"""


def _value(setting: Setting) -> str:
    default = setting.default_value()
    if default is None:
        return setting.kind.show(setting.example)
    if isinstance(default, str) and "\n" in default:
        return "'''\n" + default + "'''"
    return setting.kind.show(default)


def _help(setting: Setting) -> str:
    text = setting.help
    if setting.default_value() is None and setting.default_text:
        text += f" (default: {setting.default_text})"
    return text


def _lines(setting: Setting) -> list[str]:
    """The setting as the starter shows it: ``key = value  # help``, commented out unless
    a new show sets it, the help wrapped in its column."""
    assignment = f"{setting.name} = {_value(setting)}".split("\n")
    prefix = "" if setting.starter else "# "
    lines = [prefix + line if line else prefix.rstrip() for line in assignment]
    last = lines[-1]
    if len(last) < COMMENT_COLUMN - 1:
        first_width = WIDTH - COMMENT_COLUMN - 2
        start = last.ljust(COMMENT_COLUMN)
    elif len(last) + 4 < WIDTH - 20:
        first_width = WIDTH - len(last) - 4
        start = last + "  "
    else:
        first_width = WIDTH - COMMENT_COLUMN - 2
        start = None
    words = _help(setting)
    first = textwrap.wrap(words, first_width)[0]
    rest = textwrap.wrap(words[len(first) :].strip(), WIDTH - COMMENT_COLUMN - 2)
    if start is None:
        lines.append(" " * COMMENT_COLUMN + "# " + first)
    else:
        lines[-1] = start + "# " + first
    lines += [" " * COMMENT_COLUMN + "# " + line for line in rest]
    return lines


def _starter_text() -> str:
    parts = [_HEADER]
    for section in FILE_SECTIONS:
        block = [_BEFORE_SECTION[section].rstrip("\n")] if section in _BEFORE_SECTION else []
        header = f"[{section}]"
        if section in _ON_SECTION:
            header = header.ljust(COMMENT_COLUMN) + "# " + _ON_SECTION[section]
        block.append(header)
        ours = [setting for setting in SETTINGS if setting.section == section and setting.in_file]
        for setting in sorted(ours, key=lambda setting: not setting.starter):  # set ones first
            block += _lines(setting)
        parts.append("\n".join(block) + "\n")
    parts.append(_SOURCES)
    parts.append(_SHOWS)
    return "\n".join(parts)


_STARTER = _starter_text()
_STARTER_FOLDER = re.compile(r'(?m)^folder = "(seeds|briefings)" *(?=#)')


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
