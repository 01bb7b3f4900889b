"""Topic shows: several ``[[shows]]`` in one spacecast.toml, built by one ``spacecast daily``,
each into its own folder with its own feed and memory, sharing the speech cache."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import socket
import subprocess
from dataclasses import replace
from pathlib import Path

import feedparser
import pytest

from conftest import EXE, daily, write_voice
from spacecast.settings.model import ConfigFileError
from spacecast.settings.resolve import resolve_shows


def article(folder: Path, name: str, title: str, body: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(f"{title}\n\n{body}\n", encoding="utf-8")


SHARED = (
    "Shared launch delayed",
    "The crew of the research flight will wait another week for their launch. Engineers "
    "found a worn seal in a fuel line during the final checks on Sunday.",
)
SPACE_ONLY = (
    "Telescope finds icy moon",
    "Astronomers reported a small icy moon around a distant planet. The moon was seen in "
    "images taken over three nights in October.",
)
WEATHER_ONLY = (
    "Storm heads for the coast",
    "Forecasters expect strong winds along the coast on Thursday night. Ferries may stop "
    "running for a day while the storm passes.",
)

TOP = """\
[show]
base_url = "https://example.com/pod/"

[briefing]
minutes = 3
voices_dir = "voices"

[output]
cache_dir = "cache"
"""

SPACE = """
[[shows]]
name = "space"
show.title = "Space Desk"
output.folder = "space"
sources = [{ folder = "news/space" }]
"""

WEATHER = """
[[shows]]
name = "weather"

[shows.show]
title = "Weather Desk"
base_url = "https://example.com/weather/"

[shows.phrases]
links = ["Moving on."]

[shows.output]
folder = "weather"

[[shows.sources]]
folder = "news/weather"
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """Two topic shows, one story in both, tone voices and one speech cache."""
    root = tmp_path / "shows"
    write_voice(root / "voices", "anchor", "tone", "low", 300)
    write_voice(root / "voices", "correspondent", "tone", "high", 300)
    article(root / "news" / "space", "a.txt", *SHARED)
    article(root / "news" / "space", "b.txt", *SPACE_ONLY)
    article(root / "news" / "weather", "a.txt", *SHARED)
    article(root / "news" / "weather", "b.txt", *WEATHER_ONLY)
    (root / "spacecast.toml").write_text(TOP + SPACE + WEATHER, encoding="utf-8")
    return root


def by_name(proc: subprocess.CompletedProcess[str]) -> dict[str, dict]:
    return {show["name"]: show for show in json.loads(proc.stdout)["shows"]}


def feed(folder: Path) -> feedparser.FeedParserDict:
    parsed = feedparser.parse((folder / "feed.xml").read_bytes())
    assert parsed.bozo == 0
    return parsed


@pytest.mark.slow
def test_two_shows_publish_two_feeds_and_a_shared_story_is_synthesized_once(root: Path):
    proc = daily(root, "--date", "2026-11-23", "--json")
    assert proc.returncode == 0, proc.stderr
    shows = by_name(proc)
    assert list(shows) == ["space", "weather"]
    space, weather = shows["space"], shows["weather"]
    assert (space["status"], weather["status"]) == ("published", "published")
    # The story both shows carry is read in both: each show remembers what it read itself.
    assert space["stories"] == [SHARED[0], SPACE_ONLY[0]]
    assert weather["stories"] == [SHARED[0], WEATHER_ONLY[0]]
    # Intro, story, link, story, sign-off: five takes each. The weather show's greeting,
    # link and sign-off are its own; its take of the shared story is the space show's.
    assert (space["synthesized"], space["cached"]) == (5, 0)
    assert (weather["synthesized"], weather["cached"]) == (4, 1)
    for name, title, base in (
        ("space", "Space Desk", "https://example.com/pod/"),
        ("weather", "Weather Desk", "https://example.com/weather/"),
    ):
        folder = root / name
        assert shows[name]["episode"] == str(folder / "spacecast-2026-11-23.mp3")
        assert {"feed.xml", "index.html", "cover.jpg", "spacecast.db", "spacecast.log"} <= {
            p.name for p in folder.iterdir()
        }
        parsed = feed(folder)
        assert parsed.feed.title == title
        assert [e.enclosures[0].href for e in parsed.entries] == [f"{base}spacecast-2026-11-23.mp3"]
    assert "space: 2026-11-23: published" in (root / "space" / "spacecast.log").read_text()
    assert not (root / "briefings").exists()  # the top-level folder is no show's


@pytest.mark.slow
def test_the_count_is_the_caches_doing_a_show_alone_synthesizes_every_take(root: Path):
    proc = daily(root, "--date", "2026-11-23", "--json", "--show", "weather")
    assert proc.returncode == 0, proc.stderr
    weather = by_name(proc)["weather"]
    assert (weather["synthesized"], weather["cached"]) == (5, 0)


@pytest.mark.slow
def test_the_next_day_each_show_reads_only_its_new_stories(root: Path):
    assert daily(root, "--date", "2026-11-23", "-q").returncode == 0
    frost = "Frost is expected inland tonight. Gardeners were told to cover young plants."
    article(root / "news" / "weather", "c.txt", "Frost expected inland", frost)
    proc = daily(root, "--date", "2026-11-24")
    assert proc.returncode == 0, proc.stderr
    space, weather = proc.stderr.splitlines()
    assert space == "space: No new stories: no episode for 2026-11-24"
    assert weather.startswith(
        f"weather: Published {root / 'weather' / 'spacecast-2026-11-24.mp3'} ("
    )
    assert weather.endswith("asked: every story is read in full, 1 story)")
    assert len(feed(root / "space").entries) == 1
    assert [e.title for e in feed(root / "weather").entries] == [
        "Weather Desk – Tuesday 24 November 2026",
        "Weather Desk – Monday 23 November 2026",
    ]
    assert "Frost expected inland" in feed(root / "weather").entries[0].description


@pytest.mark.slow
def test_show_flag_builds_one_show_only(root: Path):
    proc = daily(root, "--date", "2026-11-23", "--show", "space", "-q")
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")
    assert (root / "space" / "spacecast-2026-11-23.mp3").exists()
    assert not (root / "weather").exists()


@pytest.mark.slow
def test_an_unknown_show_is_one_line_listing_the_names_exit_2(root: Path):
    proc = daily(root, "--show", "sport")
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == 'Error: --show: no show named "sport": use one of space, weather\n'
    assert not (root / "space").exists()


def test_show_flag_without_shows_in_the_file_is_an_error(root: Path):
    (root / "spacecast.toml").write_text(TOP + '\n[[sources]]\nfolder = "news/space"\n')
    proc = daily(root, "--show", "space")
    assert proc.returncode == 2
    assert proc.stderr == (
        f"Error: --show: {root / 'spacecast.toml'} has no [[shows]] tables: leave out --show "
        "to build its show\n"
    )


@pytest.mark.slow
def test_one_show_failing_does_not_stop_the_other_and_the_exit_code_names_it(root: Path):
    (root / "spacecast.toml").write_text(
        TOP + SPACE + WEATHER.replace('folder = "news/weather"', 'folder = "news/gone"')
    )
    proc = daily(root, "--date", "2026-11-23", "-q")
    assert (proc.returncode, proc.stdout) == (1, "")
    gone = root / "news" / "gone"
    assert proc.stderr == (
        f"Warning: weather: {gone}: no such folder\n"
        'Error: show "weather" failed: every source failed (see the warnings above): no '
        "episode for 2026-11-23; run spacecast doctor to check each source\n"
    )
    assert (root / "space" / "spacecast-2026-11-23.mp3").exists()
    as_json = daily(root, "--date", "2026-11-23", "--json", "-q")
    shows = by_name(as_json)
    assert (shows["space"]["status"], shows["weather"]["status"]) == (
        "up-to-date",
        "sources-failed",
    )
    assert shows["weather"]["failed_sources"] == [{"source": str(gone), "reason": "no such folder"}]


@pytest.mark.slow
def test_every_show_failing_for_its_sources_keeps_exit_69(root: Path):
    broken = (TOP + SPACE + WEATHER).replace("news/space", "news/x")
    (root / "spacecast.toml").write_text(broken.replace("news/weather", "news/y"))
    proc = daily(root, "--date", "2026-11-23", "-q")
    assert proc.returncode == 69
    assert proc.stderr.splitlines()[-1] == (
        "Error: all 2 sources of the 2 shows failed (see the warnings above): no episode "
        "for 2026-11-23; run spacecast doctor to check each source"
    )


@pytest.mark.slow
def test_a_show_that_errors_is_reported_and_the_others_publish(root: Path):
    # A voice profile the show's folder does not have: that show's error, not the run's.
    (root / "spacecast.toml").write_text(
        TOP + SPACE + WEATHER.replace("[shows.phrases]", '[shows.briefing]\nanchor = "nobody"'
                                      "\n\n[shows.phrases]")
    )  # fmt: skip
    proc = daily(root, "--date", "2026-11-23", "--json", "-q")
    assert proc.returncode == 2
    shows = by_name(proc)
    assert shows["space"]["status"] == "published"
    assert shows["weather"]["status"] == "failed"
    assert shows["weather"]["error"] == (
        "unknown voice profile 'nobody': use one of anchor, correspondent"
    )
    assert proc.stderr == f'Error: show "weather" failed: {shows["weather"]["error"]}\n'


@pytest.mark.slow
def test_a_single_show_file_keeps_its_summary_and_folder(root: Path):
    (root / "spacecast.toml").write_text(TOP + '\n[[sources]]\nfolder = "news/space"\n')
    proc = daily(root, "--date", "2026-11-23", "--json")
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert list(summary) == [
        "status", "date", "episode", "duration", "stories", "left_out", "failed_sources",
        "pruned", "events",
    ]  # fmt: skip
    assert summary["episode"] == str(root / "briefings" / "spacecast-2026-11-23.mp3")
    assert proc.stderr == ""
    proc = daily(root, "--date", "2026-11-23")
    assert (proc.returncode, proc.stderr) == (
        0,
        f"Nothing new: {summary['episode']} is up to date\n",
    )


# --- the settings of each show ----------------------------------------------------------------


def shows_of(tmp_path: Path, text: str, **flags):
    path = tmp_path / "spacecast.toml"
    path.write_text(text, encoding="utf-8")
    return resolve_shows(config=path, flags=flags, environ={})


def test_a_show_sets_what_it_names_over_the_top_level(tmp_path: Path):
    space, weather = shows_of(tmp_path, TOP + '[[sources]]\nfolder = "top-news"\n' + SPACE
                              + WEATHER.replace("[shows.output]", "[shows.briefing]\nminutes = 2"
                                                "\n\n[shows.output]"))  # fmt: skip
    assert (space.name, space.show.title, space.briefing.minutes) == ("space", "Space Desk", 3)
    assert (weather.name, weather.show.title, weather.briefing.minutes) == (
        "weather",
        "Weather Desk",
        2,
    )
    assert space.output.folder == tmp_path / "space"
    assert space.output.cache_dir == weather.output.cache_dir == tmp_path / "cache"
    assert [s.location for s in space.sources] == [str(tmp_path / "news/space")]
    assert weather.phrases.links == ("Moving on.",)
    assert space.phrases.links != weather.phrases.links
    assert weather.origin("briefing.minutes").name == (
        f"{tmp_path / 'spacecast.toml'}: line 30: shows[1].briefing.minutes"
    )
    # A flag is for every show built.
    assert {s.briefing.minutes for s in shows_of(tmp_path, TOP + SPACE + WEATHER,
                                                 **{"briefing.minutes": 1.5})} == {1.5}  # fmt: skip


def test_a_show_without_sources_reads_the_top_level_ones(tmp_path: Path):
    (only,) = shows_of(tmp_path, TOP + '[[sources]]\nfolder = "top-news"\n'
                       '[[shows]]\nname = "all"\n')  # fmt: skip
    assert only.name == "all"
    assert [s.location for s in only.sources] == [str(tmp_path / "top-news")]
    assert only.output.folder == tmp_path / "briefings"


SHOW_ERRORS = [
    (
        "minutes out of range in the third show",
        '[[shows]]\nname = "a"\noutput.folder = "a"\n\n[[shows]]\nname = "b"\n'
        'output.folder = "b"\n\n[[shows]]\nname = "c"\noutput.folder = "c"\n\n'
        "[shows.briefing]\nminutes = 700\n",
        "line 14: shows[2].briefing.minutes: must be at most 600",
    ),
    (
        "two shows with one name",
        '[[shows]]\nname = "a"\noutput.folder = "a"\n\n[[shows]]\nname = "a"\n'
        'output.folder = "b"\n',
        'line 6: shows[1].name: "a" is the name of shows[0] too: give each show its own name',
    ),
    (
        "two shows in one folder",
        '[[shows]]\nname = "a"\noutput.folder = "same"\n\n[[shows]]\nname = "b"\n'
        'output.folder = "same/"\n',
        "line 7: shows[1].output.folder: shows[0] writes into this folder too: give each "
        "show its own",
    ),
    (
        "two shows in the top-level folder",
        '[[shows]]\nname = "a"\n\n[[shows]]\nname = "b"\n',
        "line 4: shows[1]: writes into {root}/briefings, as shows[0] does: give each show "
        "its own output.folder",
    ),
    (
        "a show without a name",
        '[[shows]]\noutput.folder = "a"\n',
        'line 1: shows[0]: give the show a name (name = "space-news"): daily --show uses it',
    ),
    (
        "a name that cannot be typed after --show",
        '[[shows]]\nname = "space news"\n',
        "line 2: shows[0].name: 'space news' is not a show name: use 1 to 40 letters, "
        'digits, - or _ ("space-news")',
    ),
    (
        "the run's cache set for one show",
        '[[shows]]\nname = "a"\n[shows.output]\ncache_dir = "c"\n',
        "line 4: shows[0].output.cache_dir: one value for every show: put it under [output] "
        "at the top",
    ),
    (
        "network settings for one show",
        '[[shows]]\nname = "a"\nnetwork.timeout = 3\n',
        "line 3: shows[0].network: one value for every show: put it under [network] at the top",
    ),
    (
        "an unknown key in a show",
        '[[shows]]\nname = "a"\ntitle = "A"\n',
        "line 3: shows[0].title: unknown key (use one of name, show, briefing, phrases, "
        "output, sources)",
    ),
    (
        "a misspelt key in a show's section",
        '[[shows]]\nname = "a"\n[shows.show]\ntitel = "A"\n',
        "line 4: shows[0].show.titel: unknown key (did you mean title?)",
    ),
    (
        "a bad source of the second show counts its sources from 0",
        '[[shows]]\nname = "a"\n[[shows.sources]]\nfolder = "x"\n\n[[shows]]\nname = "b"\n'
        "[[shows.sources]]\nfeed = 3\n",
        "line 9: shows[1].sources[0].feed: expected a string",
    ),
    (
        "shows as one table",
        '[shows]\nname = "a"\n',
        "line 1: shows: expected [[shows]] tables (double brackets), one per show",
    ),
    (
        "a show's section that is not a table",
        '[[shows]]\nname = "a"\nbriefing = 3\n',
        "line 3: shows[0].briefing: expected a table, like [shows.briefing]",
    ),
]


@pytest.mark.parametrize(
    ("text", "message"), [e[1:] for e in SHOW_ERRORS], ids=[e[0] for e in SHOW_ERRORS]
)
def test_bad_shows_are_one_line_naming_the_key(tmp_path: Path, text: str, message: str):
    path = tmp_path / "spacecast.toml"
    with pytest.raises(ConfigFileError) as caught:
        shows_of(tmp_path, text)
    assert str(caught.value) == f"{path}: " + message.format(root=tmp_path)
    assert caught.value.exit_code == 78


@pytest.mark.slow
def test_a_bad_show_stops_daily_with_exit_78_before_anything_is_written(root: Path):
    config = root / "spacecast.toml"
    config.write_text(TOP + SPACE + WEATHER + '\n[[shows]]\nname = "x"\nbriefing.minutes = 700\n')
    proc = daily(root)
    assert (proc.returncode, proc.stdout) == (78, "")
    where = f"{config}: line 35: shows[2].briefing.minutes"
    assert proc.stderr == f"Error: {where}: must be at most 600\n"
    assert not (root / "space").exists()


def test_the_starter_files_shows_example_loads(tmp_path: Path):
    from spacecast.settings.starter import starter_config

    text = starter_config()
    block = text.split("spacecast daily builds every show:\n")[1]
    example = "\n".join(line.removeprefix("#").removeprefix("   ") for line in block.splitlines())
    space, weather = shows_of(tmp_path, text + "\n" + example + "\n")
    assert (space.name, space.show.title, space.briefing.minutes) == ("space", "Space Desk", 3)
    assert (weather.name, weather.briefing.correspondent) == ("weather", ("anchor",))
    assert [(s.kind, s.location) for s in weather.sources] == [
        ("folder", str(tmp_path / "news" / "weather")),
        ("feed", "https://www.example.com/weather.xml"),
    ]
    assert {space.output.folder, weather.output.folder} == {
        tmp_path / "space",
        tmp_path / "weather",
    }


def test_the_readmes_example_loads(tmp_path: Path):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Topic shows") :]
    example = section.split("```toml\n")[1].split("```")[0]
    space, weather = shows_of(tmp_path, example)
    assert (space.name, space.briefing.minutes, len(space.sources)) == ("space", 4, 2)
    assert (weather.name, weather.briefing.correspondent) == ("weather", ("anchor",))
    assert space.output.cache_dir == weather.output.cache_dir
    assert space.show.base_url == "http://192.168.1.20:8000/space/"


@pytest.mark.slow
def test_a_show_is_built_by_one_call_with_plain_values_in_and_out(root: Path):
    """``run_show`` needs nothing but the show's settings, and its result is plain data:
    both survive pickling, so a show can be built in another process."""
    import pickle

    from spacecast.daily.run import run_show

    shows = resolve_shows(
        config=root / "spacecast.toml", flags={"run.date": dt.date(2026, 11, 23)}, environ={}
    )
    assert pickle.loads(pickle.dumps(shows)) == shows
    result = run_show(pickle.loads(pickle.dumps(shows[1])))
    assert pickle.loads(pickle.dumps(result)) == result
    assert (result.name, result.status, result.synthesized, result.cached) == (
        "weather",
        "published",
        5,
        0,
    )
    assert result.episode == root / "weather" / "spacecast-2026-11-23.mp3"
    assert not (root / "space").exists()


@pytest.mark.slow
def test_doctor_checks_each_shows_folder_and_sources_once(root: Path):
    (root / "spacecast.toml").write_text(
        TOP + SPACE + WEATHER.replace('folder = "news/weather"', 'folder = "news/gone"')
    )
    proc = subprocess.run(
        [EXE, "doctor", "--config", str(root / "spacecast.toml")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1
    lines = [line for line in proc.stdout.splitlines() if "folder" in line or "source" in line]
    assert lines == [
        f"ok   output folder    space: {root / 'space'}: writable (will be created)",
        f"ok   source           space: {root / 'news/space'}: readable ({SHARED[0]})",
        f"ok   output folder    weather: {root / 'weather'}: writable (will be created)",
        f"BAD  source           weather: {root / 'news/gone'}: no such folder",
    ]


@pytest.mark.slow
def test_a_run_that_finds_one_shows_folder_busy_builds_none(root: Path):
    import fcntl

    (root / "weather").mkdir()
    with open(root / "weather" / ".spacecast.lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.write("4242")
        held.flush()
        proc = daily(root, "--date", "2026-11-23")
    assert proc.returncode == 75
    assert proc.stderr == (
        f"Error: another spacecast run is publishing to {root / 'weather'} (pid 4242): this "
        "one stops; try again later\n"
    )
    assert not (root / "space" / "spacecast-2026-11-23.mp3").exists()
    assert daily(root, "--date", "2026-11-23", "-q").returncode == 0  # released: it goes ahead


@pytest.mark.slow
def test_shows_built_in_one_run_are_byte_for_byte_those_built_one_by_one(root: Path):
    """The shows of one run share a speech session; each MP3 is still exactly the one a
    run of that show alone makes from the same cache."""
    proc = daily(root, "--date", "2026-11-23", "--json", "-q")
    assert proc.returncode == 0, proc.stderr
    counts = {name: (s["synthesized"], s["cached"]) for name, s in by_name(proc).items()}
    assert counts == {"space": (5, 0), "weather": (4, 1)}
    together = {name: (root / name / "spacecast-2026-11-23.mp3").read_bytes() for name in counts}
    for name in counts:
        shutil.rmtree(root / name)
        alone = daily(root, "--date", "2026-11-23", "--json", "-q", "--show", name)
        assert alone.returncode == 0, alone.stderr
        assert (by_name(alone)[name]["synthesized"], by_name(alone)[name]["cached"]) == (0, 5)
        assert (root / name / "spacecast-2026-11-23.mp3").read_bytes() == together[name]


def test_shows_whose_speech_settings_agree_share_one_session(root: Path, tmp_path: Path):
    from spacecast.daily.shows import SharedSpeech

    space, weather = resolve_shows(
        config=root / "spacecast.toml", flags={"run.date": dt.date(2026, 11, 23)}, environ={}
    )
    elsewhere = replace(weather, output=replace(weather.output, cache_dir=tmp_path / "other"))
    with SharedSpeech() as shared:
        with shared.session(space) as first:
            pass
        with shared.session(weather) as second:
            assert second is first
        with shared.session(elsewhere) as third:
            assert third is not first
        # A show that fails in its session ends it: the next show has a new one.
        with pytest.raises(RuntimeError), shared.session(space) as failing:
            assert failing is first
            raise RuntimeError("engine gone")
        with shared.session(weather) as fresh:
            assert fresh is not first
            assert fresh.synthesized == frozenset()


@pytest.mark.parametrize(
    ("text", "flags", "environ", "message"),
    [
        (
            '[[shows]]\nname = "a"\noutput.folder = "a"\n\n[[shows]]\nname = "b"\n'
            'output.folder = "b"\n',
            {"show.base_url": "https://example.com/pod/"},
            {},
            "--base-url: every show would be published at https://example.com/pod/: give each "
            "[[shows]] table its own show.base_url, or build one show with --show NAME",
        ),
        (
            '[[shows]]\nname = "a"\noutput.folder = "a"\n\n[[shows]]\nname = "b"\n'
            'output.folder = "b"\n',
            {},
            {"SPACECAST_BASE_URL": "https://example.com/pod/"},
            "SPACECAST_BASE_URL: every show would be published at https://example.com/pod/: "
            "give each [[shows]] table its own show.base_url, or build one show with --show NAME",
        ),
        (
            '[show]\nbase_url = "https://example.com/pod/"\n\n[[shows]]\nname = "a"\n'
            'output.folder = "a"\n\n[[shows]]\nname = "b"\noutput.folder = "b"\n',
            {},
            {},
            "line 2: show.base_url: shows[0] is published at https://example.com/pod/ too: "
            "give each show its own address",
        ),
    ],
)
def test_two_shows_at_one_address_are_an_error(tmp_path, text, flags, environ, message):
    from spacecast.errors import SpacecastError
    from spacecast.settings.resolve import resolve_shows

    (tmp_path / "spacecast.toml").write_text(text, encoding="utf-8")
    with pytest.raises(SpacecastError) as caught:
        resolve_shows(config=tmp_path / "spacecast.toml", flags=flags, environ=environ)
    assert str(caught.value).endswith(message)
    # One show picked with --show is published at the address given.
    (one,) = resolve_shows(
        config=tmp_path / "spacecast.toml", flags=flags, environ=environ, only="b"
    )
    assert one.show.base_url == "https://example.com/pod/"


@pytest.mark.slow
def test_feed_and_serve_take_one_show_by_name(root: Path):
    assert daily(root, "--date", "2026-11-23", "-q").returncode == 0
    config = ["--config", str(root / "spacecast.toml")]
    feed_run = subprocess.run(
        [EXE, "feed", *config, "--show", "weather", "--base-url", "https://cdn.example.com/w/"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert feed_run.returncode == 0, feed_run.stderr
    assert feed_run.stderr == f"Wrote {root / 'weather' / 'feed.xml'}\n"
    parsed = feed(root / "weather")
    assert parsed.feed.title == "Weather Desk"
    assert [e.enclosures[0].href for e in parsed.entries] == [
        "https://cdn.example.com/w/spacecast-2026-11-23.mp3"
    ]
    assert feed(root / "space").entries[0].enclosures[0].href.startswith("https://example.com/pod/")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    served = subprocess.Popen(
        [EXE, "serve", *config, "--show", "space", "--port", str(port)],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        lines = []
        while line := served.stderr.readline():
            lines.append(line.rstrip("\n"))
            if line.startswith("Serving"):
                break
        assert lines[-1] == f"Serving {root / 'space'} at http://127.0.0.1:{port}/ (Ctrl-C stops)"
    finally:
        served.terminate()
        served.wait(timeout=10)
        served.stderr.close()
    unknown = subprocess.run(
        [EXE, "feed", *config, "--show", "sport"], capture_output=True, text=True, check=False
    )
    assert (unknown.returncode, unknown.stderr) == (
        2,
        'Error: --show: no show named "sport": use one of space, weather\n',
    )


def test_shows_that_set_no_address_keep_the_default_one(tmp_path: Path):
    # Each is served alone at the default address by `spacecast serve --show NAME`.
    a, b = shows_of(
        tmp_path,
        '[[shows]]\nname = "a"\noutput.folder = "a"\n\n[[shows]]\nname = "b"\n'
        'output.folder = "b"\n',
    )
    assert a.show.base_url == b.show.base_url == "http://127.0.0.1:8000/"
