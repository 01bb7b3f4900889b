"""The kinds of value a setting holds, each with its checks and its one-line problems.

A kind checks a value wherever it came from (``spacecast.toml``, an environment variable or
a command-line flag) and converts it (a path from the file is taken from the file's folder).
A problem is reported through the value's ``Source``, which names what the user gave:
``spacecast.toml: line 2: briefing.minutes: must be at most 600``, or ``--minutes: 700 is
too long: give at most 600``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, Protocol

from spacecast.limits import MAX_TITLE_CHARS
from spacecast.publish.feed import base_url_problem, check_base_url
from spacecast.sources.urls import parse_host_port
from spacecast.text.compose import placeholder_problem
from spacecast.weburl import web_url_parts

MAX_SETTING_CHARS = 10_000
"""The longest string setting (a phrase, a description): longer ones are mistakes."""


class Source(Protocol):
    """Where a value came from: it names the value in errors and places its paths."""

    in_file: bool
    """True for ``spacecast.toml`` (TOML types; paths from the file's folder)."""

    def fail(self, problem: str, *, given: str | None = None) -> NoReturn:
        """Raise the error for this value. ``given``: the wording for a value typed on the
        command line or in the environment, when it should differ from the file's."""

    def path(self, text: str) -> Path:
        """``text`` as a path: ``~`` expanded, relative ones placed."""


class Kind:
    """A kind of setting value: ``check`` returns it converted, or fails through ``at``."""

    def check(self, value: Any, at: Source) -> Any:
        raise NotImplementedError

    def show(self, value: Any) -> str:
        """``value`` as TOML, for the starter file and the README."""
        return _toml(value)


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if isinstance(value, Path):
        return _toml(str(value))
    return str(value)


@dataclass(frozen=True)
class String(Kind):
    """A string; ``empty``: may be ``""`` (``optional``: which then means none)."""

    empty: bool = True
    optional: bool = False
    max_chars: int = MAX_SETTING_CHARS

    def check(self, value: Any, at: Source) -> Any:
        if not isinstance(value, str):
            at.fail("expected a string")
        if len(value) > self.max_chars:
            at.fail(
                f"is {len(value):,} characters long: at most {self.max_chars:,}",
                given=f"{len(value):,} characters is too long: give at most {self.max_chars:,}",
            )
        if not self.empty and not value.strip():
            at.fail("must not be empty")
        if self.optional:
            return value or None
        return value

    def show(self, value: Any) -> str:
        return _toml("" if value is None else value)


@dataclass(frozen=True)
class Title(String):
    """The show's name: spoken in every greeting, drawn on the cover."""

    empty: bool = False
    max_chars: int = MAX_TITLE_CHARS

    def check(self, value: Any, at: Source) -> Any:
        if isinstance(value, str) and len(value) > self.max_chars:
            at.fail(
                f"is {len(value):,} characters long: at most {self.max_chars}",
                given=f"{len(value):,} characters is too long for a show's name: give at "
                f"most {self.max_chars}",
            )
        return super().check(value, at)


@dataclass(frozen=True)
class Flag(Kind):
    def check(self, value: Any, at: Source) -> Any:
        if not isinstance(value, bool):
            at.fail("expected true or false")
        return value


@dataclass(frozen=True)
class Number(Kind):
    """A number above ``above`` and at most ``at_most``, or from ``low`` to ``high``.

    ``what``: what the number measures, for a value given on the command line that is not
    one (``700 is not a length``)."""

    above: float | None = None
    at_most: float | None = None
    low: float | None = None
    high: float | None = None
    what: str = "number"

    def check(self, value: Any, at: Source) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float):
            at.fail("expected a number")
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if at.in_file and not math.isfinite(number):
            at.fail("expected a number")
        if self.above is not None and not number > self.above:  # NaN-safe
            at.fail(
                f"must be more than {self.above:g}",
                given=f"{value} is not a {self.what}: give a number of {self.unit} above "
                f"{self.above:g}",
            )
        if self.at_most is not None and number > self.at_most:
            at.fail(
                f"must be at most {self.at_most:g}",
                given=f"{number:g} is too long: give at most {self.at_most:g}",
            )
        if self.low is not None and self.high is not None and not self.low <= number <= self.high:
            at.fail(f"must be between {self.low:g} and {self.high:g}")
        return number

    @property
    def unit(self) -> str:
        return {"length": "minutes"}.get(self.what, "units")


@dataclass(frozen=True)
class Whole(Kind):
    """A whole number from ``low`` to ``high``, or one of ``choices``."""

    low: int | None = None
    high: int | None = None
    choices: tuple[int, ...] = ()

    def check(self, value: Any, at: Source) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            at.fail("expected a whole number")
        if self.choices and value not in self.choices:
            listed = ", ".join(str(choice) for choice in self.choices[:-1])
            at.fail(f"must be {listed} or {self.choices[-1]}")
        if self.low is not None and self.high is not None and not self.low <= value <= self.high:
            at.fail(f"must be a whole number from {self.low:,} to {self.high:,}")
        return value


@dataclass(frozen=True)
class Word(Kind):
    """One of a few words."""

    choices: tuple[str, ...]

    def check(self, value: Any, at: Source) -> Any:
        if value not in self.choices:
            listed = ", ".join(f'"{choice}"' for choice in self.choices)
            at.fail(f"must be one of {listed}")
        return value


_DASK_ADDRESS = re.compile(
    r"^dask://(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(?P<port>\d{1,5})$"
)


def executor_problem(value: str) -> str | None:
    """Why ``value`` is not an executor setting, or ``None`` when it is one."""
    if value == "local":
        return None
    found = _DASK_ADDRESS.match(value)
    if not found:
        return 'must be "local" or dask://HOST:PORT (the Dask scheduler: dask://127.0.0.1:8786)'
    if not 0 < int(found["port"]) < 65536:
        return f"has port {found['port']}: give a port from 1 to 65535"
    return None


@dataclass(frozen=True)
class Executor(Kind):
    """Where speech runs: ``local`` or ``dask://HOST:PORT``."""

    def check(self, value: Any, at: Source) -> Any:
        text = String(empty=False).check(value, at)
        problem = executor_problem(text)
        if problem:
            at.fail(problem, given=f"{text!r} {problem}")
        return text


@dataclass(frozen=True)
class ShowName(Kind):
    """A show's name in ``[[shows]]``: typed after ``daily --show``, so letters, digits,
    ``-`` and ``_`` only."""

    max_chars: int = 40

    def check(self, value: Any, at: Source) -> Any:
        if not isinstance(value, str):
            at.fail("expected a string")
        if not re.fullmatch(rf"[A-Za-z0-9_-]{{1,{self.max_chars}}}", value):
            at.fail(
                f"{value[:60]!r} is not a show name: use 1 to {self.max_chars} letters, digits, "
                '- or _ ("space-news")'
            )
        return value


@dataclass(frozen=True)
class PathKind(Kind):
    """A file or folder; relative to the settings file's folder when set there."""

    def check(self, value: Any, at: Source) -> Any:
        if isinstance(value, Path):
            return at.path(str(value))
        return at.path(String(empty=False).check(value, at))

    def show(self, value: Any) -> str:
        return _toml(str(value))


@dataclass(frozen=True)
class Url(Kind):
    """An absolute http(s) URL."""

    example: str

    def check(self, value: Any, at: Source) -> Any:
        value = String(empty=False).check(value, at)
        if web_url_parts(value) is None:
            at.fail(f"expected an absolute http(s) URL, like {self.example}")
        return value


@dataclass(frozen=True)
class BaseUrl(Kind):
    """The address the show's folder is served at (``publish.feed.check_base_url``)."""

    def check(self, value: Any, at: Source) -> Any:
        value = String(empty=False).check(value, at)
        if problem := base_url_problem(value):
            at.fail(problem)
        return check_base_url(value)


@dataclass(frozen=True)
class ProfileNames(Kind):
    """One voice profile's name, or a list of them."""

    def check(self, value: Any, at: Source) -> Any:
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list | tuple) or not names:
            names = None
        if names is None or not all(isinstance(n, str) for n in names):
            at.fail('expected a voice profile\'s name, or a list of them: ["sam", "jo"]')
        if not all(name.strip() for name in names):
            at.fail("a voice profile's name must not be empty")
        return tuple(names)

    def show(self, value: Any) -> str:
        return _toml(value[0] if len(value) == 1 else value)


@dataclass(frozen=True)
class Phrase(Kind):
    """A phrase template of ``[phrases]`` (``text.compose.PLACEHOLDERS`` says which
    placeholders it can use)."""

    name: str
    required: bool = False

    def check(self, value: Any, at: Source) -> Any:
        value = String(empty=not self.required).check(value, at)
        if problem := placeholder_problem(self.name, value):
            at.fail(problem)
        return value


@dataclass(frozen=True)
class PhraseList(Kind):
    """A list of phrases said in turn (``[phrases] links``)."""

    name: str

    def check(self, value: Any, at: Source) -> Any:
        if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
            at.fail('expected a list of strings: ["Next.", "In other news."]')
        for item in value:
            if problem := placeholder_problem(self.name, item):
                at.fail(problem)
        return tuple(item for item in value if item.strip())


@dataclass(frozen=True)
class HostPorts(Kind):
    """``allow_private``: a list of ``"host:port"`` strings."""

    def check(self, value: Any, at: Source) -> Any:
        example = 'a list of "host:port" strings: ["192.168.1.20:8080"]'
        if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
            at.fail(f"expected {example}")
        for item in value:
            if parse_host_port(item) is None:
                at.fail(f"{item!r} is not a host:port: expected {example}")
        return tuple(value)


@dataclass(frozen=True)
class Anything(Kind):
    """A value only the command line gives, already converted (a date, a switch)."""

    convert: Callable[[Any], Any] | None = None

    def check(self, value: Any, at: Source) -> Any:
        return self.convert(value) if self.convert else value
