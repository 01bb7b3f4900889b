"""spacecast.toml: finding, loading, checking, and the starter file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from spacecast.errors import ConfigError
from spacecast.settings.model import Briefing, ConfigFileError, Output, Settings, Show
from spacecast.settings.resolve import (
    ENV_VAR,
    find_config,
    require_config,
    resolve_settings,
    settings_of,
    user_config_path,
)
from spacecast.settings.schema import FILE_SECTIONS, SETTINGS, SOURCE_KEYS
from spacecast.settings.starter import starter_config, write_starter_config
from spacecast.settings.tomlfile import CONFIG_NAME
from spacecast.sources.fetch import NetworkSettings
from spacecast.sources.gather import SourceSpec
from spacecast.text.compose import Phrases

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in an empty folder, with no config named by the environment."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(ENV_VAR, raising=False)
    return tmp_path


def load_config(path: Path | None) -> Settings:
    """The settings of the file ``path`` alone (no environment, no flags)."""
    return resolve_settings(config=path, environ={}) if path else settings_of()


def load_text(text: str) -> Settings:
    """Load ``text`` as ./spacecast.toml, so messages start with ``spacecast.toml:``."""
    Path(CONFIG_NAME).write_text(text, encoding="utf-8")
    return load_config(Path(CONFIG_NAME))


def error_of(text: str) -> str:
    with pytest.raises(ConfigFileError) as caught:
        load_text(text)
    return str(caught.value)


def test_the_error_is_a_config_error_with_exit_code_78() -> None:
    assert issubclass(ConfigFileError, ConfigError)
    assert ConfigFileError.exit_code == 78


def test_no_file_means_the_built_in_defaults(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(here / "xdg"))
    assert resolve_settings(environ={}) == settings_of()


def test_a_full_file_maps_to_the_settings(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(here / "home"))
    folder = here / "show"
    folder.mkdir()
    (folder / CONFIG_NAME).write_text(
        """
[show]
title = "Morning Orbit"
description = "Space news."
author = "Ada"
email = "ada@example.org"
language = "en-GB"
category = "Science"
subcategory = ""
explicit = true
base_url = "https://pods.example.org/orbit"
cover = "art/cover.png"

[briefing]
minutes = 3
max_stories = 4
voices_dir = "../voices"
style = "two-host"
anchor = "host"
correspondent = ["reporter", "host"]
bitrate = 128
lufs = -19.5
intro = "stingers/in.wav"
outro = "/srv/stingers/out.wav"
transition = "~/stingers/next.wav"

[phrases]
greeting = '''
Hello from {show}.

I'm {anchor}.'''
first_link = ""
links = ["Now.", "", "Then."]
last_link = "Lastly."
handover = "{link} {headline}. Over to {correspondent}."
handover_no_headline = "{link} Over to {correspondent}."
hand_back = "Thanks, {correspondent}."
sign_off = "Bye."

[output]
folder = "out"
keep = 7
cache_dir = "~/cache"
log_file = "logs/run.log"

[network]
timeout = 4
max_bytes = 1000
user_agent = "test-agent"

[[sources]]
folder = "news/*.md"
name = "Local"

[[sources]]
feed = "https://www.example.com/rss.xml"
limit = 3

[[sources]]
url = "http://example.net/page.html"
""",
        encoding="utf-8",
    )
    # A relative config path: paths still resolve against the file's folder, made absolute.
    config = load_config(Path("show") / CONFIG_NAME)
    home = here / "home"
    assert config.file == folder / CONFIG_NAME
    assert (
        config.show,
        config.briefing,
        config.phrases,
        config.sources,
        config.network,
        config.output,
    ) == (
        Show(
            title="Morning Orbit",
            description="Space news.",
            author="Ada",
            email="ada@example.org",
            language="en-GB",
            category="Science",
            subcategory=None,
            explicit=True,
            base_url="https://pods.example.org/orbit/",
            cover=folder / "art/cover.png",
        ),
        Briefing(
            minutes=3.0,
            max_stories=4,
            voices_dir=folder / "../voices",
            style="two-host",
            anchor="host",
            correspondent=("reporter", "host"),
            bitrate=128,
            lufs=-19.5,
            intro=folder / "stingers/in.wav",
            outro=Path("/srv/stingers/out.wav"),
            transition=home / "stingers/next.wav",
        ),
        Phrases(
            greeting="Hello from {show}.\n\nI'm {anchor}.",
            first_link="",
            links=("Now.", "Then."),
            last_link="Lastly.",
            handover="{link} {headline}. Over to {correspondent}.",
            handover_no_headline="{link} Over to {correspondent}.",
            hand_back="Thanks, {correspondent}.",
            sign_off="Bye.",
        ),
        (
            SourceSpec(kind="folder", location=str(folder / "news/*.md"), name="Local"),
            SourceSpec(kind="feed", location="https://www.example.com/rss.xml", limit=3),
            SourceSpec(kind="url", location="http://example.net/page.html"),
        ),
        NetworkSettings(timeout=4.0, max_bytes=1000, user_agent="test-agent"),
        Output(
            folder=folder / "out",
            keep=7,
            cache_dir=home / "cache",
            log_file=folder / "logs/run.log",
        ),
    )
    assert isinstance(config.briefing.minutes, float)
    assert isinstance(config.network.timeout, float)


def test_an_empty_file_keeps_the_defaults_but_finds_seeds_and_output_beside_it(
    here: Path,
) -> None:
    config = load_text("# nothing yet\n")
    assert config.sources == (SourceSpec(kind="folder", location=str(here / "seeds")),)
    assert config.output.folder == here / "briefings"
    assert config.file == here / CONFIG_NAME
    defaults = settings_of()
    assert (config.show, config.briefing, config.phrases, config.network) == (
        defaults.show,
        defaults.briefing,
        defaults.phrases,
        defaults.network,
    )
    assert (config.output.keep, config.output.cache_dir, config.output.log_file) == (30, None, None)


@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000/"),
        ("http://127.0.0.1:8000/", "http://127.0.0.1:8000/"),
        ("HTTPS://Example.com/pods", "https://Example.com/pods/"),  # as the feed writes it
    ],
)
def test_base_url_ends_with_a_slash(here: Path, base_url: str, expected: str) -> None:
    assert load_text(f'[show]\nbase_url = "{base_url}"\n').show.base_url == expected


def test_a_byte_order_mark_is_accepted(here: Path) -> None:
    Path(CONFIG_NAME).write_bytes('\ufeff[show]\ntitle = "BOM"\n'.encode())
    assert load_config(Path(CONFIG_NAME)).show.title == "BOM"


# --- find_config ---------------------------------------------------------------------------


USER_FILE = "xdg/spacecast/spacecast.toml"


@pytest.mark.parametrize(
    ("explicit", "env", "local", "user", "expected"),
    [
        ("given.toml", "env.toml", True, True, "given.toml"),
        ("missing.toml", None, False, True, "missing.toml"),
        (None, "env.toml", True, True, "env.toml"),
        (None, "env-missing.toml", False, True, "env-missing.toml"),
        (None, "", True, True, CONFIG_NAME),
        (None, None, True, True, CONFIG_NAME),
        (None, None, False, True, USER_FILE),
        (None, "", False, True, USER_FILE),
        (None, None, False, False, None),
    ],
)
def test_find_config_precedence(
    here: Path,
    monkeypatch: pytest.MonkeyPatch,
    explicit: str | None,
    env: str | None,
    local: bool,
    user: bool,
    expected: str | None,
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(here / "xdg"))
    for name in ("given.toml", "env.toml"):
        (here / name).write_text("", encoding="utf-8")
    if local:
        (here / CONFIG_NAME).write_text("", encoding="utf-8")
    if user:
        (here / USER_FILE).parent.mkdir(parents=True)
        (here / USER_FILE).write_text("", encoding="utf-8")
    if env is not None:
        monkeypatch.setenv(ENV_VAR, env)
    found = find_config(Path(explicit) if explicit else None)
    if expected == USER_FILE:
        assert found == here / USER_FILE
    else:
        assert found == (Path(expected) if expected else None)


def test_the_user_config_folder_is_the_platform_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", "/home/someone")
    assert user_config_path() == Path("/home/someone/.config/spacecast/spacecast.toml")


def test_no_config_anywhere_says_where_it_looked_and_what_to_do(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(here / "xdg"))
    with pytest.raises(ConfigFileError) as caught:
        require_config(None)
    assert str(caught.value) == (
        f"no settings file found: looked for --config, then ${ENV_VAR}, then "
        f"{here / CONFIG_NAME}, then {here / USER_FILE}: run spacecast init --user to write "
        "one there (or spacecast init for one in this folder)"
    )
    assert caught.value.exit_code == 78
    (here / CONFIG_NAME).write_text("", encoding="utf-8")
    assert require_config(None) == Path(CONFIG_NAME)


def test_relative_paths_in_the_user_file_resolve_beside_it(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(here / "xdg"))
    (here / USER_FILE).parent.mkdir(parents=True)
    (here / USER_FILE).write_text('[output]\nfolder = "episodes"\n', encoding="utf-8")
    config = load_config(find_config(None))
    assert config.output.folder == here / "xdg" / "spacecast" / "episodes"


# --- errors --------------------------------------------------------------------------------

ERRORS = [
    (
        "wrong type in the third source",
        '[[sources]]\nfolder = "a"\n\n[[sources]]\nfeed = "https://example.com/rss"\n'
        "[[sources]]\nurl = 3\n",
        "spacecast.toml: line 7: sources[2].url: expected a string",
    ),
    (
        "misspelt key",
        '[show]\n# the name\ntitel = "x"\n',
        "spacecast.toml: line 3: show.titel: unknown key (did you mean title?)",
    ),
    (
        "unknown key, nothing close",
        "[network]\nproxy = 1\n",
        "spacecast.toml: line 2: network.proxy: unknown key "
        "(use one of timeout, max_bytes, user_agent, max_pages, budget)",
    ),
    (
        "misspelt source key",
        '[[sources]]\nfolder = "a"\nlimt = 2\n',
        "spacecast.toml: line 3: sources[0].limt: unknown key (did you mean limit?)",
    ),
    (
        "misspelt section",
        '[shwo]\ntitle = "x"\n',
        "spacecast.toml: line 1: shwo: unknown section (did you mean show?)",
    ),
    (
        "unknown section",
        "[mixer]\ngain = 1\n",
        "spacecast.toml: line 1: mixer: unknown section "
        "(use one of show, briefing, phrases, output, network, run, sources, shows)",
    ),
    (
        "key outside its section",
        "\nminutes = 5\n",
        "spacecast.toml: line 2: minutes: unknown key (put it under [briefing])",
    ),
    (
        "quoted odd key",
        '[show]\n"bad key" = 1\n',
        'spacecast.toml: line 2: show."bad key": unknown key (use one of title, description, '
        "author, email, language, category, subcategory, explicit, base_url, cover)",
    ),
    (
        "section that is not a table",
        "show = 3\n",
        "spacecast.toml: line 1: show: expected a table, like [show]",
    ),
    (
        "string for a number",
        '[briefing]\nminutes = "five"\n',
        "spacecast.toml: line 2: briefing.minutes: expected a number",
    ),
    (
        "boolean for a number",
        "[network]\ntimeout = true\n",
        "spacecast.toml: line 2: network.timeout: expected a number",
    ),
    (
        "nan for a number",
        "[briefing]\nminutes = nan\n",
        "spacecast.toml: line 2: briefing.minutes: expected a number",
    ),
    (
        "string for a boolean",
        '[show]\nexplicit = "yes"\n',
        "spacecast.toml: line 2: show.explicit: expected true or false",
    ),
    (
        "fraction for a whole number",
        "[briefing]\nmax_stories = 2.5\n",
        "spacecast.toml: line 2: briefing.max_stories: expected a whole number",
    ),
    (
        "number for a string",
        "[show]\ntitle = 42\n",
        "spacecast.toml: line 2: show.title: expected a string",
    ),
    (
        "number for a path",
        "[show]\ncover = 1\n",
        "spacecast.toml: line 2: show.cover: expected a string",
    ),
    (
        "empty title",
        '[show]\ntitle = " "\n',
        "spacecast.toml: line 2: show.title: must not be empty",
    ),
    (
        "empty path",
        '[output]\nfolder = ""\n',
        "spacecast.toml: line 2: output.folder: must not be empty",
    ),
    (
        "zero minutes",
        "[briefing]\nminutes = 0\n",
        "spacecast.toml: line 2: briefing.minutes: must be more than 0",
    ),
    (
        "zero stories",
        "[briefing]\nmax_stories = 0\n",
        "spacecast.toml: line 2: briefing.max_stories: must be a whole number from 1 to 250",
    ),
    (
        "odd bitrate",
        "[briefing]\nbitrate = 100\n",
        "spacecast.toml: line 2: briefing.bitrate: must be 64, 96 or 128",
    ),
    (
        "loudness out of range",
        "[briefing]\nlufs = -5\n",
        "spacecast.toml: line 2: briefing.lufs: must be between -30 and -10",
    ),
    (
        "unknown style",
        '[briefing]\nstyle = "duo"\n',
        'spacecast.toml: line 2: briefing.style: must be one of "bulletin", "two-host"',
    ),
    (
        "correspondent list with a number",
        '[briefing]\ncorrespondent = ["sam", 3]\n',
        "spacecast.toml: line 2: briefing.correspondent: expected a voice profile's name, "
        'or a list of them: ["sam", "jo"]',
    ),
    (
        "empty correspondent list",
        "[briefing]\ncorrespondent = []\n",
        "spacecast.toml: line 2: briefing.correspondent: expected a voice profile's name, "
        'or a list of them: ["sam", "jo"]',
    ),
    (
        "placeholder a phrase cannot use",
        '[phrases]\nsign_off = "Bye from {correspondent}."\n',
        "spacecast.toml: line 2: phrases.sign_off: unknown placeholder {correspondent} "
        "(this phrase can use: {anchor}, {show})",
    ),
    (
        "a headline for a story without one",
        '[phrases]\nhandover_no_headline = "{link} {headline}. {correspondent}."\n',
        "spacecast.toml: line 2: phrases.handover_no_headline: unknown placeholder {headline} "
        "(this phrase can use: {anchor}, {correspondent}, {link}, {show})",
    ),
    (
        "unclosed brace",
        '[phrases]\nhandover = "{headline"\n',
        "spacecast.toml: line 2: phrases.handover: expected '}' before end of string: "
        "write a brace as {{ or }}",
    ),
    (
        "empty greeting",
        '[phrases]\ngreeting = ""\n',
        "spacecast.toml: line 2: phrases.greeting: must not be empty",
    ),
    (
        "links that are not a list",
        '[phrases]\nlinks = "Next."\n',
        'spacecast.toml: line 2: phrases.links: expected a list of strings: ["Next.", '
        '"In other news."]',
    ),
    (
        "keep nothing",
        "[output]\nkeep = 0\n",
        "spacecast.toml: line 2: output.keep: must be a whole number from 1 to 100,000",
    ),
    (
        "negative timeout",
        "[network]\ntimeout = -1\n",
        "spacecast.toml: line 2: network.timeout: must be more than 0",
    ),
    (
        "no bytes",
        "[network]\nmax_bytes = 0\n",
        "spacecast.toml: line 2: network.max_bytes: must be a whole number from 1 to 100,000,000",
    ),
    (
        "base_url without a scheme",
        '[show]\ntitle = "x"\nbase_url = "example.com/pods"\n',
        "spacecast.toml: line 3: show.base_url: 'example.com/pods' is not an http(s) URL; "
        "give the absolute address the briefings folder is served at, "
        "e.g. https://example.com/briefings/",
    ),
    (
        "base_url with a query (the same rules as --base-url)",
        '[show]\nbase_url = "https://example.com/pods?x=1"\n',
        "spacecast.toml: line 2: show.base_url: 'https://example.com/pods?x=1' is not an "
        "http(s) URL without a query or fragment; give the absolute address the briefings "
        "folder is served at, e.g. https://example.com/briefings/",
    ),
    (
        "feed that is not http",
        '[[sources]]\nfeed = "ftp://example.com/rss.xml"\n',
        "spacecast.toml: line 2: sources[0].feed: expected an absolute http(s) URL, "
        "like https://www.example.com/rss.xml",
    ),
    (
        "relative url",
        '[[sources]]\nurl = "/news/today.html"\n',
        "spacecast.toml: line 2: sources[0].url: expected an absolute http(s) URL, "
        "like https://www.example.com/news/story.html",
    ),
    (
        "zero limit",
        '[[sources]]\nfolder = "a"\nlimit = 0\n',
        "spacecast.toml: line 3: sources[0].limit: must be a whole number from 1 to 250",
    ),
    # Numbers no show needs, and input made to exhaust the machine: refused, in one line.
    (
        "arrays nested 5,000 deep",
        f"[show]\ntitle = {'[' * 5000}{']' * 5000}\n",
        "spacecast.toml: arrays or tables nested too deeply for a settings file: fix the TOML",
    ),
    (
        "a timeout too large for a float",
        "[network]\ntimeout = 1e300\n",
        "spacecast.toml: line 2: network.timeout: must be at most 600",
    ),
    (
        "minutes of the age of the universe",
        "[briefing]\nminutes = 1e308\n",
        "spacecast.toml: line 2: briefing.minutes: must be at most 600",
    ),
    (
        "more stories than an ID3 table of contents holds",
        "[briefing]\nmax_stories = 99999999999999999\n",
        "spacecast.toml: line 2: briefing.max_stories: must be a whole number from 1 to 250",
    ),
    (
        "a budget of a day",
        "[network]\nbudget = 86400\n",
        "spacecast.toml: line 2: network.budget: must be at most 3600",
    ),
    (
        "pages by the million",
        "[network]\nmax_pages = 1000000\n",
        "spacecast.toml: line 2: network.max_pages: must be a whole number from 1 to 1,000",
    ),
    (
        "a format width in a phrase",
        '[phrases]\ngreeting = "{show:>9999999999}"\n',
        "spacecast.toml: line 2: phrases.greeting: {show:>9999999999}: placeholders take no "
        "format or conversion: write {show}",
    ),
    (
        "a conversion in a phrase",
        '[phrases]\nsign_off = "Bye from {show!r}."\n',
        "spacecast.toml: line 2: phrases.sign_off: {show!r}: placeholders take no format or "
        "conversion: write {show}",
    ),
    (
        "a show title of a hundred thousand characters",
        f'[show]\ntitle = "{"Spacecast " * 10_000}"\n',
        "spacecast.toml: line 2: show.title: is 100,000 characters long: at most 300",
    ),
    (
        "a description of a million characters",
        f'[show]\ndescription = "{"x" * 1_000_000}"\n',
        "spacecast.toml: line 2: show.description: is 1,000,000 characters long: at most 10,000",
    ),
    (
        "allow_private that is not a list",
        '[[sources]]\nfeed = "https://example.com/rss"\nallow_private = "10.0.0.2:80"\n',
        'spacecast.toml: line 3: sources[0].allow_private: expected a list of "host:port" '
        'strings: ["192.168.1.20:8080"]',
    ),
    (
        "allow_private without a port",
        '[[sources]]\nfeed = "https://example.com/rss"\nallow_private = ["10.0.0.2"]\n',
        "spacecast.toml: line 3: sources[0].allow_private: '10.0.0.2' is not a host:port: "
        'expected a list of "host:port" strings: ["192.168.1.20:8080"]',
    ),
    (
        "source with none of folder, feed, url",
        '[[sources]]\nfolder = "a"\n\n[[sources]]\nname = "nothing"\n',
        "spacecast.toml: line 4: sources[1]: give exactly one of folder, feed or url",
    ),
    (
        "source with two of folder, feed, url",
        '[[sources]]\nfolder = "a"\nurl = "https://example.com/"\n',
        "spacecast.toml: line 1: sources[0]: give exactly one of folder, feed or url",
    ),
    (
        "sources as one table",
        '[sources]\nfolder = "a"\n',
        "spacecast.toml: line 1: sources: expected [[sources]] tables (double brackets), "
        "one per source",
    ),
    (
        "no sources at all",
        "sources = []\n",
        "spacecast.toml: line 1: sources: expected at least one [[sources]] table",
    ),
    (
        "inline tables: the nearest line found",
        'sources = [\n  { folder = "a" },\n  { feed = 3 },\n]\n',
        "spacecast.toml: line 1: sources[1].feed: expected a string",
    ),
    (
        "a multi-line string does not confuse the line numbers",
        '[show]\ndescription = """\ntitle = 1\n"""\ntitle = 2\n',
        "spacecast.toml: line 5: show.title: expected a string",
    ),
    (
        "syntax error",
        "[show]\ntitle = \n",
        "spacecast.toml: line 2: Invalid value: fix the TOML syntax",
    ),
    (
        "table declared twice",
        '[show]\ntitle = "a"\n[show]\n',
        "spacecast.toml: line 3: Cannot declare ('show',) twice: fix the TOML syntax",
    ),
    (
        "syntax error at the end",
        "[briefing]\nminutes = [1,\n2\n",
        "spacecast.toml: Unclosed array at the end of the file: fix the TOML syntax",
    ),
]


@pytest.mark.parametrize(("text", "message"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_errors_name_the_file_line_and_key(here: Path, text: str, message: str) -> None:
    assert error_of(text) == message


def test_error_names_the_file_as_given(tmp_path: Path) -> None:
    path = tmp_path / "conf.toml"
    path.write_text("[briefing]\nminutes = -1\n", encoding="utf-8")
    with pytest.raises(ConfigFileError) as caught:
        load_config(path)
    assert str(caught.value) == f"{path}: line 2: briefing.minutes: must be more than 0"


def test_missing_file(here: Path) -> None:
    with pytest.raises(ConfigFileError) as caught:
        load_config(Path(CONFIG_NAME))
    assert (
        str(caught.value) == "spacecast.toml: no such config file: run spacecast init to write one"
    )


def test_a_folder_is_not_a_config_file(here: Path) -> None:
    Path(CONFIG_NAME).mkdir()
    with pytest.raises(ConfigFileError) as caught:
        load_config(find_config(None))
    assert str(caught.value) == (
        "spacecast.toml: is a folder, not a config file: give the path of a spacecast.toml file"
    )


def test_not_utf8(here: Path) -> None:
    Path(CONFIG_NAME).write_bytes(b'[show]\n\ntitle = "Caf\xe9"\n')
    with pytest.raises(ConfigFileError) as caught:
        load_config(Path(CONFIG_NAME))
    assert str(caught.value) == "spacecast.toml: line 3: not UTF-8 text: save the file as UTF-8"


def test_unreadable(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Path(CONFIG_NAME).write_text("", encoding="utf-8")

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)  # chmod 000 does not stop root
    with pytest.raises(ConfigFileError) as caught:
        load_config(Path(CONFIG_NAME))
    assert str(caught.value) == (
        "spacecast.toml: cannot read the config file: permission denied (check its permissions)"
    )


# --- the starter file ----------------------------------------------------------------------


def uncommented(text: str) -> str:
    """The starter with every commented-out setting and [[sources]] header switched on."""
    return re.sub(r"(?m)^# (?=\[\[sources\]\]|\w+ = )", "", text)


def test_the_starter_file_loads_and_works_in_the_repository(here: Path) -> None:
    config = load_text(starter_config())
    assert config.sources == (SourceSpec(kind="folder", location=str(here / "seeds")),)
    assert config.output.folder == here / "briefings"
    assert config.output.keep == 30
    assert config.show.title == "Spacecast"
    assert config.show.base_url == "http://127.0.0.1:8000/"
    assert config.briefing.minutes == 5.0
    assert config.network == NetworkSettings()
    # The folders it names are the repository's own, beside where `spacecast init` writes it.
    assert (REPO / "seeds").is_dir()


def test_the_starter_file_documents_every_key_and_the_rules() -> None:
    text = starter_config()
    keys = [*(setting.name for setting in SETTINGS if setting.in_file), *SOURCE_KEYS]
    for key in keys:
        assert re.search(rf"(?m)^(# )?{key} = .*", text), key
    for section in FILE_SECTIONS:
        assert f"[{section}]" in text
    assert "overrides" in text and "--config" in text and ENV_VAR in text
    assert "sources[0] is the first [[sources]] table" in text
    assert max(len(line) for line in text.splitlines()) <= 100


def test_the_starter_file_has_commented_examples_that_load(here: Path) -> None:
    text = starter_config()
    assert '# feed = "https://www.example.com/rss.xml"\n# limit = 3\n' in text
    assert '# url = "https://' in text
    config = load_text(uncommented(text))
    assert [(source.kind, source.limit) for source in config.sources] == [
        ("folder", None),
        ("feed", 3),
        ("url", None),
    ]
    defaults = settings_of()
    # The commented-out values are the real defaults.
    assert config.network == defaults.network
    assert config.briefing.bitrate == defaults.briefing.bitrate
    assert config.briefing.lufs == defaults.briefing.lufs
    assert config.briefing.max_stories == defaults.briefing.max_stories
    assert (config.show.description, config.show.subcategory, config.show.explicit) == (
        defaults.show.description,
        defaults.show.subcategory,
        defaults.show.explicit,
    )


def test_write_starter_config_writes_when_absent(tmp_path: Path) -> None:
    written = write_starter_config(tmp_path / "new")
    assert written == tmp_path / "new" / CONFIG_NAME
    assert written.read_text(encoding="utf-8") == starter_config()


def test_a_starter_file_written_away_from_its_folders_names_them_absolutely(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(here))
    project = here / "news-project"
    written = write_starter_config(here / "xdg" / "spacecast", folders_in=project)
    text = written.read_text(encoding="utf-8")
    assert 'folder = "~/news-project/briefings"  # where the episodes' in text
    assert 'folder = "~/news-project/seeds"    # the sample articles' in text
    # Nothing else changes, and the comments stay in their column where they can.
    starter = starter_config().splitlines()
    changed = [
        (new, old) for new, old in zip(text.splitlines(), starter, strict=True) if new != old
    ]
    assert [old.split("#")[0].strip() for _, old in changed] == [
        'folder = "briefings"',
        'folder = "seeds"',
    ]
    assert changed[1][0].index("#") == changed[1][1].index("#")
    config = load_config(written)
    assert config.output.folder == project / "briefings"
    assert config.sources == (SourceSpec(kind="folder", location=str(project / "seeds")),)
    elsewhere = starter_config(Path("/srv/news"))
    assert re.search(r'(?m)^folder = "/srv/news/briefings" +# where', elsewhere)


def test_write_starter_config_refuses_to_overwrite(here: Path) -> None:
    Path(CONFIG_NAME).write_text("# mine\n", encoding="utf-8")
    with pytest.raises(ConfigFileError) as caught:
        write_starter_config(Path("."))
    assert str(caught.value) == (
        "spacecast.toml already exists: edit it, or remove it to start again"
    )
    assert Path(CONFIG_NAME).read_text(encoding="utf-8") == "# mine\n"
