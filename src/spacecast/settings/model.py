"""The run's settings: one frozen object, every value checked, and where each came from.

``resolve.resolve_settings`` makes it from ``spacecast.toml``, the environment and the
command-line flags; every command uses it. Each section is a dataclass whose fields are the
section's keys in ``schema.SETTINGS`` (a test holds them equal).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import platformdirs

from spacecast.audio.loudness import LoudnessTarget
from spacecast.errors import ConfigError, SpacecastError
from spacecast.publish.feed import Channel
from spacecast.sources.fetch import NetworkSettings
from spacecast.sources.gather import SourceSpec
from spacecast.text.compose import Phrases, Style


class ConfigFileError(ConfigError):
    """A ``spacecast.toml`` that cannot be found, read or used (exit 78: sysexits EX_CONFIG)."""

    exit_code = 78


@dataclass(frozen=True)
class Origin:
    """Where a setting's value came from."""

    kind: Literal["file", "env", "flag", "default"]
    name: str
    """What errors call it: ``spacecast.toml: line 9: briefing.minutes``, ``--minutes``,
    ``SPACECAST_BASE_URL``, or the key for a default."""

    def error(self, problem: str) -> SpacecastError:
        """``name: problem``, as a settings-file error (exit 78) or a usage error (exit 2)."""
        cls = ConfigFileError if self.kind == "file" else ConfigError
        return cls(f"{self.name}: {problem}")


@dataclass(frozen=True)
class Show:
    title: str
    base_url: str
    description: str
    author: str
    email: str
    language: str
    category: str
    subcategory: str | None
    explicit: bool
    cover: Path | None

    @property
    def channel(self) -> Channel:
        """The show as the feed describes it."""
        return Channel(
            title=self.title,
            description=self.description,
            base_url=self.base_url,
            language=self.language,
            author=self.author,
            owner_name=self.author,
            owner_email=self.email,
            category=self.category,
            subcategory=self.subcategory,
            explicit=self.explicit,
        )


@dataclass(frozen=True)
class Briefing:
    minutes: float
    max_stories: int
    style: Style
    anchor: str
    correspondent: tuple[str, ...]
    """The voice profiles that read the stories, in turn."""
    voices_dir: Path | None
    bitrate: int
    lufs: float
    intro: Path | None
    outro: Path | None
    transition: Path | None

    @property
    def loudness(self) -> LoudnessTarget:
        return LoudnessTarget(integrated=self.lufs)


@dataclass(frozen=True)
class Output:
    folder: Path
    keep: int
    """How many episodes the folder keeps; older ones leave the feed and the folder."""
    cache_dir: Path | None
    """``None``: the user cache folder."""
    log_file: Path | None
    """``None``: ``spacecast.log`` in the folder."""


@dataclass(frozen=True)
class Run:
    """What only the command line sets, for one run."""

    date: dt.date
    profile: str | None
    """One voice profile for every segment, instead of the anchor and correspondents."""
    workers: int
    cache: bool
    """False with ``--no-cache``: the speech cache is neither read nor written."""


@dataclass(frozen=True)
class Serve:
    host: str
    port: int


@dataclass(frozen=True)
class Settings:
    file: Path | None
    """The settings file read (``None``: none was found, the built-in defaults)."""
    show: Show
    briefing: Briefing
    phrases: Phrases
    output: Output
    network: NetworkSettings
    run: Run
    serve: Serve
    sources: tuple[SourceSpec, ...]
    sources_given: bool
    """Whether the file has ``[[sources]]`` tables (``build`` and ``script`` with no SOURCES
    then read them, not ``./seeds``)."""
    origins: Mapping[str, Origin] = field(default_factory=dict, compare=False, repr=False)

    def origin(self, key: str) -> Origin:
        """Where the value of ``key`` (``briefing.minutes``) came from."""
        return self.origins.get(key) or Origin("default", key)

    @property
    def cache_folder(self) -> Path | None:
        """Where speech is cached; ``None`` with ``--no-cache``."""
        if not self.run.cache:
            return None
        return self.output.cache_dir or Path(platformdirs.user_cache_dir("spacecast"))

    @property
    def log_path(self) -> Path:
        return self.output.log_file or self.output.folder / "spacecast.log"

    def episode_path(self, date: dt.date | None = None) -> Path:
        """Where the show's folder keeps the episode of ``date`` (default: the run's)."""
        return self.output.folder / f"spacecast-{(date or self.run.date).isoformat()}.mp3"
