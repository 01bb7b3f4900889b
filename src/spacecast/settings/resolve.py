"""One function for every command: the settings file, the environment and the flags given,
made into the run's ``Settings``.

A flag wins over an environment variable, which wins over the file, which wins over the
default (``schema.SETTINGS``). Every value is checked where it came from, and an error
names what the user gave: ``spacecast.toml: line 2: briefing.minutes: …`` (exit 78),
``--minutes: …`` or ``SPACECAST_BASE_URL: …`` (exit 2).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, NoReturn

import platformdirs

from spacecast.errors import ConfigError
from spacecast.settings.model import (
    Briefing,
    ConfigFileError,
    Origin,
    Output,
    Run,
    Serve,
    Settings,
    Show,
)
from spacecast.settings.schema import BY_KEY, DEFAULT_SOURCES, SETTINGS
from spacecast.settings.tomlfile import CONFIG_NAME, FileSettings, FileShow, read_settings_file
from spacecast.sources.fetch import NetworkSettings
from spacecast.sources.gather import SourceSpec
from spacecast.text.compose import Phrases

ENV_VAR = "SPACECAST_CONFIG"


def user_config_path() -> Path:
    """The settings file in the user config folder: ``~/.config/spacecast/spacecast.toml`` on
    Linux (``$XDG_CONFIG_HOME`` moves it), where a cron job finds it from any folder."""
    return platformdirs.user_config_path("spacecast") / CONFIG_NAME


def find_config(explicit: Path | None, environ: Mapping[str, str] = os.environ) -> Path | None:
    """The settings file to use: ``explicit`` (``--config``), else ``$SPACECAST_CONFIG``,
    else ``./spacecast.toml``, else the user config folder's (``user_config_path``), else
    ``None`` (the built-in defaults).

    A file named by ``--config`` or the environment is returned even when it is missing, so
    that reading it reports it; the other two are used only when they exist.
    """
    if explicit is not None:
        return explicit
    named = environ.get(ENV_VAR, "")
    if named.strip():
        return Path(named).expanduser()
    for candidate in (Path(CONFIG_NAME), user_config_path()):
        if candidate.exists():
            return candidate
    return None


def require_config(explicit: Path | None, environ: Mapping[str, str] = os.environ) -> Path:
    """``find_config``'s file; when there is none, a ``ConfigFileError`` that says where it
    looked, in order, and how to write one."""
    found = find_config(explicit, environ)
    if found is not None:
        return found
    local = Path(os.path.abspath(CONFIG_NAME))
    raise ConfigFileError(
        f"no settings file found: looked for --config, then ${ENV_VAR}, then {local}, then "
        f"{user_config_path()}: run spacecast init --user to write one there "
        "(or spacecast init for one in this folder)"
    )


class _Given:
    """A value typed on the command line or in the environment: errors name the flag or the
    variable, and relative paths are taken from the working folder."""

    in_file = False

    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, problem: str, *, given: str | None = None) -> NoReturn:
        raise ConfigError(f"{self.name}: {given or problem}")

    def path(self, text: str) -> Path:
        return Path(text).expanduser()


def resolve_settings(
    *,
    config: Path | None = None,
    flags: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] = os.environ,
    require_file: bool = False,
    use_file: bool = True,
) -> Settings:
    """The run's settings: ``flags`` (values the user gave, by key: ``{"briefing.minutes":
    3.0}``), over the environment, over the settings file (``config``, else found as
    ``find_config`` says; ``require_file``: having none is an error), over the defaults.

    The top-level settings: a file's ``[[shows]]`` tables are ``resolve_shows``'."""
    flags = _checked_flags(flags)
    from_file = _file(config, environ, require_file=require_file, use_file=use_file)
    return _resolve(flags, environ, from_file, None)


def resolve_shows(
    *,
    config: Path | None = None,
    flags: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] = os.environ,
    require_file: bool = False,
    only: str | None = None,
) -> tuple[Settings, ...]:
    """The settings of each show to build, in the file's order: one per ``[[shows]]``
    table (its own values over the top-level ones; the flags and the environment over
    both, for every show), else the one show of ``resolve_settings``.

    ``only``: the name of the one show to build (``daily --show``). Two shows named alike
    or writing into one output folder are errors (exit 78).
    """
    flags = _checked_flags(flags)
    from_file = _file(config, environ, require_file=require_file, use_file=True)
    if from_file is None or not from_file.shows:
        if only is not None:
            where = from_file.path if from_file is not None else "the settings"
            raise ConfigError(
                f"--show: {where} has no [[shows]] tables: leave out --show to build its show"
            )
        return (_resolve(flags, environ, from_file, None),)
    shows = tuple(_resolve(flags, environ, from_file, show) for show in from_file.shows)
    _one_folder_each(shows, from_file)
    if only is None:
        _one_address_each(shows)
        return shows
    chosen = tuple(settings for settings in shows if settings.name == only)
    if not chosen:
        names = ", ".join(str(settings.name) for settings in shows)
        raise ConfigError(f'--show: no show named "{only}": use one of {names}')
    return chosen


def _checked_flags(flags: Mapping[str, Any] | None) -> Mapping[str, Any]:
    flags = flags or {}
    unknown = sorted(set(flags) - set(BY_KEY))
    if unknown:
        raise ValueError(f"not settings: {', '.join(unknown)}")
    return flags


def _file(
    config: Path | None, environ: Mapping[str, str], *, require_file: bool, use_file: bool
) -> FileSettings | None:
    if not use_file:
        return None
    if require_file:
        path: Path | None = require_config(config, environ)
    else:
        path = find_config(config, environ)
    return read_settings_file(path) if path is not None else None


def _resolve(
    flags: Mapping[str, Any],
    environ: Mapping[str, str],
    from_file: FileSettings | None,
    show: FileShow | None,
) -> Settings:
    """One show's settings: a flag, else the environment, else its ``[[shows]]`` table
    (``show``), else the file's top level, else the default."""
    in_file: dict[str, Any] = {}
    file_origins: dict[str, Origin] = {}
    if from_file is not None:
        in_file |= from_file.values
        file_origins |= from_file.origins
    if show is not None:
        in_file |= show.values
        file_origins |= show.origins
    values: dict[str, Any] = {}
    origins: dict[str, Origin] = {}
    for setting in SETTINGS:
        key = setting.key
        raw_env = environ.get(setting.env, "") if setting.env else ""
        if key in flags:
            name = setting.flags[0]
            values[key] = setting.kind.check(flags[key], _Given(name))
            origins[key] = Origin("flag", name)
        elif raw_env.strip():
            values[key] = setting.kind.check(raw_env, _Given(setting.env or key))
            origins[key] = Origin("env", setting.env or key)
        elif key in in_file:
            values[key] = in_file[key]
            origins[key] = file_origins[key]
        else:
            values[key] = _default(setting.default_value(), from_file)
    settings = _settings(values, origins, from_file)
    if show is None:
        return settings
    if show.sources is not None:
        settings = replace(settings, sources=show.sources, sources_given=True)
    return replace(settings, name=show.name)


def _one_folder_each(shows: tuple[Settings, ...], from_file: FileSettings) -> None:
    """Each show publishes its own folder (its feed, its memory): two in one is an error
    naming the second show's folder setting, or its table when it did not set one."""
    taken: dict[str, int] = {}
    for index, settings in enumerate(shows):
        folder = os.path.realpath(settings.output.folder)
        if folder not in taken:
            taken[folder] = index
            continue
        first = f"shows[{taken[folder]}]"
        origin = settings.origin("output.folder")
        if f"shows[{index}]." in origin.name:
            raise origin.error(f"{first} writes into this folder too: give each show its own")
        where = from_file.shows[index].where
        raise ConfigFileError(
            f"{where}: writes into {settings.output.folder}, as {first} does: give each show "
            "its own output.folder"
        )


def _one_address_each(shows: tuple[Settings, ...]) -> None:
    """Each show's folder is served at its own address: two feeds at one address set for
    them would point their episodes at each other's files. An error naming where the
    second show's address came from (``--base-url`` and ``SPACECAST_BASE_URL`` set it for
    every show)."""
    taken: dict[str, int] = {}
    for index, settings in enumerate(shows):
        address = settings.show.base_url
        origin = settings.origin("show.base_url")
        # The built-in default is where `spacecast serve --show NAME` serves any one show.
        if not address or origin.kind == "default":
            continue
        if address not in taken:
            taken[address] = index
            continue
        if origin.kind in ("flag", "env"):
            raise origin.error(
                f"every show would be published at {address}: give each [[shows]] table its "
                "own show.base_url, or build one show with --show NAME"
            )
        raise origin.error(
            f"shows[{taken[address]}] is published at {address} too: give each show its own address"
        )


def settings_of(values: Mapping[str, Any] | None = None) -> Settings:
    """The built-in defaults with ``values`` (by key: ``{"briefing.minutes": 3.0}``) set and
    checked as flags would be: no settings file, no environment. For library callers."""
    return resolve_settings(config=None, flags=values, environ={}, use_file=False)


def _default(value: Any, from_file: FileSettings | None) -> Any:
    """A default folder is beside the settings file, like everything the file names."""
    if isinstance(value, Path) and from_file is not None and not value.is_absolute():
        return from_file.path.parent / value
    return value


def _section(values: Mapping[str, Any], section: str) -> dict[str, Any]:
    prefix = section + "."
    return {key[len(prefix) :]: value for key, value in values.items() if key.startswith(prefix)}


def _settings(
    values: Mapping[str, Any], origins: dict[str, Origin], from_file: FileSettings | None
) -> Settings:
    sources = from_file.sources if from_file is not None else None
    given = sources is not None
    if sources is None:  # the default sources, found beside the file like everything else
        sources = tuple(
            SourceSpec(kind="folder", location=str(_default(Path(folder), from_file)))
            if from_file is not None
            else SourceSpec(kind="folder", location=folder)
            for folder in DEFAULT_SOURCES
        )
    return Settings(
        file=from_file.path if from_file is not None else None,
        show=Show(**_section(values, "show")),
        briefing=Briefing(**_section(values, "briefing")),
        phrases=Phrases(**_section(values, "phrases")),
        output=Output(**_section(values, "output")),
        network=NetworkSettings(**_section(values, "network")),
        run=Run(**_section(values, "run")),
        serve=Serve(**_section(values, "serve")),
        sources=sources,
        sources_given=given,
        origins=origins,
    )
