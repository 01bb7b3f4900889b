"""Every setting in one table: its key, kind (checks and ranges), default and help.

The rest is derived from this table: checking ``spacecast.toml`` (``tomlfile``), the
command-line flags and environment variables (``cli`` builds its options from it), the
starter file that ``spacecast init`` writes (``starter``), and the run's ``Settings``
(``resolve``). The README's settings table is tested against it.

A default that a stage owns (the anchor's words in ``text.compose.Phrases``, the fetching
limits in ``sources.fetch.NetworkSettings``, the feed's text in ``publish.feed.Channel``) is
read from that stage's dataclass, so each default is written once.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacecast.audio.loudness import LoudnessTarget
from spacecast.audio.mp3 import BITRATES
from spacecast.limits import MAX_MINUTES, MAX_STORIES
from spacecast.publish.feed import Channel
from spacecast.settings.kinds import (
    Anything,
    BaseUrl,
    Executor,
    Flag,
    HostPorts,
    Kind,
    Number,
    PathKind,
    Phrase,
    PhraseList,
    ProfileNames,
    ShowName,
    String,
    Title,
    Url,
    Whole,
    Word,
)
from spacecast.sources.fetch import NetworkSettings
from spacecast.sources.gather import SourceKind
from spacecast.text.compose import STYLES, Phrases, ShowFormat


@dataclass(frozen=True)
class Setting:
    key: str
    """``section.name``; the sections ``run`` and ``serve`` are command-line only (but for
    the settings marked ``file``)."""
    kind: Kind
    default: Any
    """The value when nothing sets it; a callable is called for it (today's date)."""
    help: str
    """One line: the flag's help, the starter file's comment, the README's meaning."""
    flags: tuple[str, ...] = ()
    """Command-line flags that set it (the first is the one errors name)."""
    env: str | None = None
    """An environment variable that sets it (a flag wins over it, it wins over the file)."""
    example: str | None = None
    """For the starter file, a value to show when the default is none (``cover.jpg``)."""
    starter: bool = False
    """Set (not commented out) in the starter file."""
    default_text: str | None = None
    """How the default is described where it is not a value (``the user cache folder``)."""
    file: bool = False
    """Also in ``spacecast.toml`` although its section is otherwise the command line's."""
    per_show: bool = True
    """A file setting a ``[[shows]]`` table may set for its show; ``False``: one value for
    the whole run (the speech cache the shows share, the log, the network limits)."""

    @property
    def section(self) -> str:
        return self.key.partition(".")[0]

    @property
    def name(self) -> str:
        return self.key.partition(".")[2]

    @property
    def in_file(self) -> bool:
        if self.section == "run":  # a run's own settings; a few may also be in the file
            return self.file
        return self.section in FILE_SECTIONS

    def default_value(self) -> Any:
        return self.default() if callable(self.default) else self.default

    def described_default(self) -> str:
        """The default as the help and the README say it."""
        if self.default_text:
            return self.default_text
        return self.kind.show(self.default_value())


def _workers() -> int:
    return min(2, os.cpu_count() or 1)


def _date(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


FILE_SECTIONS = ("show", "briefing", "phrases", "output", "network", "run")
"""The sections of ``spacecast.toml`` (of ``[run]``, only the settings marked ``file``)."""
SHOW_SECTIONS = ("show", "briefing", "phrases", "output")
"""The sections a ``[[shows]]`` table may set for its show (``network`` is the run's)."""

SETTINGS: tuple[Setting, ...] = (
    # [show]
    Setting("show.title", Title(), Channel.title, "the show's name, spoken in the greeting and "
            "shown in podcast apps", ("--title",), starter=True),
    Setting("show.description", String(), Channel.description, "the feed's description",
            ("--description",)),
    Setting("show.author", String(), Channel.author, "the feed's author", ("--author",)),
    Setting("show.email", String(), Channel.owner_email, "the feed owner's e-mail address",
            ("--email",)),
    Setting("show.language", String(empty=False), Channel.language, "the feed's language code",
            ("--language",)),
    Setting("show.category", String(), Channel.category, "the podcast category"),
    Setting("show.subcategory", String(optional=True), Channel.subcategory,
            'the podcast subcategory ("" for none)'),
    Setting("show.explicit", Flag(), Channel.explicit, "true marks the show as explicit"),
    Setting("show.base_url", BaseUrl(), Channel.base_url, "the address the output folder is "
            "served at (spacecast serve's): the feed's links start with it", ("--base-url",),
            env="SPACECAST_BASE_URL", starter=True),
    Setting("show.cover", PathKind(), None, "your cover art, a square JPEG or PNG of "
            "1400-3000 px", ("--cover",), example="cover.jpg",
            default_text="drawn for the title"),
    # [briefing]
    Setting("briefing.minutes", Number(above=0, at_most=MAX_MINUTES, what="length"), 5.0,
            f"the briefing's target length in minutes (more than 0, at most {MAX_MINUTES})",
            ("--minutes",), starter=True),
    Setting("briefing.max_stories", Whole(1, MAX_STORIES), 8,
            f"at most this many stories per episode (1 to {MAX_STORIES})"),
    Setting("briefing.style", Word(STYLES), ShowFormat.style, '"bulletin": the anchor links, '
            'the correspondent reads each headline and story; "two-host": the anchor '
            "introduces each story and hands over by name", ("--style",)),
    Setting("briefing.anchor", String(empty=False), ShowFormat.anchor,
            "the voice profile of the greeting, links and sign-off"),
    Setting("briefing.correspondent", ProfileNames(), ShowFormat.correspondents,
            "the voice profile that reads the stories, or a list that takes them in turn: "
            '["correspondent", "anchor"]'),
    Setting("briefing.voices_dir", PathKind(), None, "voice profiles and lexicon",
            ("--voices-dir",), env="SPACECAST_VOICES", example="voices",
            default_text="./voices, else the profiles spacecast ships"),
    Setting("briefing.bitrate", Whole(choices=BITRATES), 64, "MP3 bitrate in kbit/s: "
            + ", ".join(map(str, BITRATES[:-1])) + f" or {BITRATES[-1]}", ("--bitrate",)),
    Setting("briefing.lufs", Number(low=-30, high=-10), LoudnessTarget.integrated,
            "loudness target in LUFS, -30 to -10 (true peaks stay at or below -1 dBTP)",
            ("--lufs",)),
    Setting("briefing.intro", PathKind(), None, "your own intro stinger (WAV, MP3, OGG or "
            "FLAC)", ("--intro",), example="stingers/intro.wav", default_text="generated"),
    Setting("briefing.outro", PathKind(), None, "your own outro stinger", ("--outro",),
            example="stingers/outro.wav", default_text="generated"),
    Setting("briefing.transition", PathKind(), None, "your own stinger between stories",
            ("--transition",), example="stingers/transition.wav", default_text="generated"),
    # [phrases]
    Setting("phrases.greeting", Phrase("greeting", required=True), Phrases.greeting,
            "the anchor's greeting; a blank line starts a new paragraph"),
    Setting("phrases.first_link", Phrase("first_link"), Phrases.first_link,
            "two-host: before the first story"),
    Setting("phrases.links", PhraseList("links"), Phrases.links,
            "in turn before each later story ([] for none)"),
    Setting("phrases.last_link", Phrase("last_link"), Phrases.last_link,
            "before the last of three or more stories"),
    Setting("phrases.handover", Phrase("handover"), Phrases.handover,
            "two-host: the anchor's words before each story; when they include {headline}, "
            "the reader does not repeat it"),
    Setting("phrases.handover_no_headline", Phrase("handover_no_headline"),
            Phrases.handover_no_headline, "two-host: the handover of a story without a "
            "headline (the article had none, or it only repeated the lead)"),
    Setting("phrases.hand_back", Phrase("hand_back"), Phrases.hand_back,
            'two-host: after each story, e.g. "Thanks, {correspondent}."'),
    Setting("phrases.sign_off", Phrase("sign_off"), Phrases.sign_off,
            'the anchor\'s last words ("" to end on the last story)'),
    Setting("phrases.roundup", Phrase("roundup"), Phrases.roundup, "before the sign-off, the "
            'headlines of stories left out to fit the minutes ("" to leave them out unsaid)'),
    Setting("phrases.update", Phrase("update"), Phrases.update, "before a story that "
            "develops one read on an earlier day, whose headline is {story}"),
    # [output]
    Setting("output.folder", PathKind(), Path("briefings"), "where the episodes, feed.xml and "
            "index.html go", ("--dir",), starter=True),
    Setting("output.keep", Whole(1, 100_000), 30, "how many episodes to keep; older ones leave "
            "the feed and the folder", starter=True),
    Setting("output.cache_dir", PathKind(), None, "the speech cache", ("--cache-dir",),
            env="SPACECAST_CACHE_DIR", example="~/.cache/spacecast",
            default_text="the user cache folder", per_show=False),
    Setting("output.log_file", PathKind(), None, "each run's log", example="briefings/"
            "spacecast.log", default_text="spacecast.log in the output folder",
            per_show=False),
    # [network]
    Setting("network.timeout", Number(above=0, at_most=600), NetworkSettings.timeout,
            "seconds for each request (more than 0, at most 600)"),
    Setting("network.max_bytes", Whole(1, 100_000_000), NetworkSettings.max_bytes,
            "a larger response is cut off and the source reported"),
    Setting("network.user_agent", String(empty=False), NetworkSettings.user_agent,
            "how spacecast introduces itself to web servers"),
    Setting("network.max_pages", Whole(1, 1000), NetworkSettings.max_pages,
            "at most this many new article pages fetched from each source per run; the "
            "others wait for the next runs"),
    Setting("network.budget", Number(above=0, at_most=3600), NetworkSettings.budget,
            "seconds all of a run's fetching may take; then the run goes on with the stories "
            "it has"),
    # the command line only
    Setting("run.date", Anything(_date), dt.date.today, "the briefing's date (YYYY-MM-DD)",
            ("--date",), default_text="today"),
    Setting("run.profile", String(empty=False, optional=True), None,
            "speak every segment with this voice profile (--voice is its old name)",
            ("--profile", "--voice"),
            default_text="the anchor and the correspondents"),
    Setting("run.workers", Whole(1, 32), _workers, "speech worker processes", ("--workers",),
            default_text="2, or 1 on a one-core machine"),
    Setting("run.executor", Executor(), "local", 'where speech is synthesized: "local" (this '
            'machine\'s workers) or "dask://HOST:PORT", a Dask scheduler whose workers share '
            "the cache folder and, for daily with several shows, build whole shows (pip "
            "install 'spacecast[dask]')", ("--executor",),
            env="SPACECAST_EXECUTOR", file=True, per_show=False),
    Setting("run.cache", Flag(), True, "keep synthesized speech in the cache and use it",
            ("--no-cache",)),
    Setting("serve.host", String(empty=False), "127.0.0.1", "the address to listen on",
            ("--host",)),
    Setting("serve.port", Whole(0, 65535), 8000, "the port to listen on", ("--port",)),
)  # fmt: skip

BY_KEY: dict[str, Setting] = {setting.key: setting for setting in SETTINGS}

# [[sources]]: one table per source, exactly one of folder, feed or url each.
SOURCE_KINDS: tuple[SourceKind, ...] = ("folder", "feed", "url")
SOURCE_KEYS: dict[str, Kind] = {
    "folder": PathKind(),
    "feed": Url("https://www.example.com/rss.xml"),
    "url": Url("https://www.example.com/news/story.html"),
    "name": String(),
    "limit": Whole(1, MAX_STORIES),
    "allow_private": HostPorts(),
    "weight": Number(above=0, at_most=100),
}
DEFAULT_SOURCES = ("seeds",)
"""The folder ``build``, ``script`` and ``daily`` read when nothing names a source."""


# [[shows]]: one table per show, each with a name, and the sections and sources it sets for
# itself over the top-level ones (``shows[1].briefing.minutes``).
SHOW_NAME = ShowName()
SHOW_TABLE_KEYS = ("name", *SHOW_SECTIONS, "sources")


def section_keys(section: str) -> dict[str, Setting]:
    """The settings of one ``spacecast.toml`` section, by name."""
    return {s.name: s for s in SETTINGS if s.section == section and s.in_file}


def show_section_keys(section: str) -> dict[str, Setting]:
    """The settings of one section that a ``[[shows]]`` table may set, by name."""
    if section not in SHOW_SECTIONS:
        return {}
    return {name: s for name, s in section_keys(section).items() if s.per_show}


def flag_of(key: str) -> str:
    """The flag that sets ``key`` (errors about a flag's value name it)."""
    return BY_KEY[key].flags[0]
