"""One source of truth for settings: the schema, and everything made from it or held to it
(the run's Settings, the flags, the environment, the README's table), and errors that name
what the user gave."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from spacecast.cli import cli
from spacecast.settings.model import ConfigFileError, Settings
from spacecast.settings.resolve import resolve_settings, resolve_shows, settings_of
from spacecast.settings.schema import (
    BY_KEY,
    FILE_SECTIONS,
    SETTINGS,
    SHOW_SECTIONS,
    SHOW_TABLE_KEYS,
    SOURCE_KEYS,
)

REPO = Path(__file__).resolve().parents[1]
EXE = str(Path(sys.executable).with_name("spacecast"))


def test_every_setting_is_a_field_of_its_section_and_every_field_a_setting():
    sections = {f.name: f for f in dataclasses.fields(Settings)}
    defaults = settings_of()
    for section in {setting.section for setting in SETTINGS}:
        keys = {s.name for s in SETTINGS if s.section == section}
        fields = {f.name for f in dataclasses.fields(getattr(defaults, section))}
        assert keys == fields, section
        assert section in sections


def test_the_defaults_are_the_schemas():
    defaults = settings_of()
    for setting in SETTINGS:
        if setting.key == "run.date":
            continue  # today, whenever the test runs
        value = getattr(getattr(defaults, setting.section), setting.name)
        assert value == setting.default_value(), setting.key


def _commands_options() -> dict[str, dict[str, click.Option]]:
    return {
        name: {p.name: p for p in command.params if isinstance(p, click.Option)}
        for name, command in cli.commands.items()
    }


def test_every_flag_in_the_schema_is_an_option_made_from_it():
    seen = set()
    for options in _commands_options().values():
        for name, option in options.items():
            if "__" not in name:
                continue
            setting = BY_KEY[name.replace("__", ".")]
            assert set(option.opts) == set(setting.flags)
            assert option.default is None  # so a value given is told from one not given
            seen.add(setting.key)
    assert seen == {s.key for s in SETTINGS if s.flags}


def test_the_options_ranges_and_choices_come_from_the_schema():
    build = _commands_options()["build"]
    assert list(build["briefing__bitrate"].type.choices) == ["64", "96", "128"]
    assert (build["briefing__lufs"].type.min, build["briefing__lufs"].type.max) == (-30, -10)
    assert (build["run__workers"].type.min, build["run__workers"].type.max) == (1, 32)
    assert list(build["briefing__style"].type.choices) == ["bulletin", "two-host"]
    assert "Default: [briefing] minutes, else 5." in build["briefing__minutes"].help


def _readme_table() -> dict[str, str]:
    """The README's settings table: the key cell (``[show] author``, ``email``), by each key
    it names, to the default cell."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    table = text[text.index("| key | default | meaning |") :].split("\n\n")[0]
    rows = {}
    for line in table.splitlines()[2:]:
        cells = [cell.strip() for cell in line.strip("|").split(" | ")]
        section = re.match(r"`\[\[?(\w+)\]\]?", cells[0])
        assert section, line
        names = re.findall(r"(\w+)`", cells[0])
        values = re.findall(r"`[^`]*`", cells[1]) if len(names) > 1 else [cells[1]]
        if len(values) != len(names):  # one default described for all the keys
            values = [cells[1]] * len(names)
        for name, value in zip(names, values, strict=True):
            rows[f"{section[1]}.{name}"] = value
    return rows


def test_the_readme_table_lists_every_setting_with_its_default():
    rows = _readme_table()
    for setting in SETTINGS:
        if not setting.in_file:
            continue
        assert setting.key in rows, f"README's settings table has no {setting.key}"
        shown = " ".join(rows[setting.key].replace("`", "").split())
        if setting.default_value() is None:
            continue  # described in words ("drawn for the title", "generated")
        default = " ".join(setting.kind.show(setting.default_value()).split())
        default = default.replace("'''", '"').replace('\\"', '"')
        if "…" in shown:  # shortened: `spacecast (…)`
            cut = shown.split("…")[0].rstrip("(").strip()
            assert cut and default.strip('"').startswith(cut), setting.key
        else:  # a note may follow the value: `""` (none)
            assert shown.split(" (")[0] == default, f"{setting.key}: README {shown}, not {default}"
    for key in SOURCE_KEYS:
        assert f"sources.{key}" in rows
    for key in SHOW_TABLE_KEYS:
        assert f"shows.{key}" in rows, f"README's settings table has no [[shows]] {key}"


def _shows(tmp_path: Path, text: str) -> tuple[Settings, ...]:
    path = tmp_path / "spacecast.toml"
    path.write_text(text, encoding="utf-8")
    return resolve_shows(config=path, environ={})


def test_a_show_may_set_every_setting_of_its_sections_but_the_runs(tmp_path: Path):
    """What a [[shows]] table accepts is the schema's: every per-show key, no other."""
    from spacecast.settings.kinds import _toml

    for setting in SETTINGS:
        if not setting.in_file:
            continue
        value = setting.default_value() if setting.default_value() is not None else setting.example
        shown = json.dumps(str(value)) if isinstance(value, str | Path) else _toml(value)
        line = f"{setting.section}.{setting.name} = {shown}"
        text = f'[[shows]]\nname = "a"\n{line}\n'
        if setting.section in SHOW_SECTIONS and setting.per_show:
            (show,) = _shows(tmp_path, text)
            assert show.origin(setting.key).name.endswith(f"shows[0].{setting.key}")
        else:
            with pytest.raises(ConfigFileError, match="one value for every show"):
                _shows(tmp_path, text)
    assert set(FILE_SECTIONS) - set(SHOW_SECTIONS) == {"network", "run"}


# --- precedence and errors that name what the user gave --------------------------------------


def test_a_flag_wins_over_the_environment_which_wins_over_the_file(tmp_path: Path):
    config = tmp_path / "spacecast.toml"
    config.write_text('[show]\nbase_url = "http://file.example/"\n', encoding="utf-8")
    env = {"SPACECAST_BASE_URL": "http://env.example/"}
    from_file = resolve_settings(config=config, environ={})
    from_env = resolve_settings(config=config, environ=env)
    from_flag = resolve_settings(
        config=config, environ=env, flags={"show.base_url": "http://flag.example"}
    )
    assert from_file.show.base_url == "http://file.example/"
    assert from_env.show.base_url == "http://env.example/"
    assert from_flag.show.base_url == "http://flag.example/"
    assert from_file.origin("show.base_url").name == f"{config}: line 2: show.base_url"
    assert from_env.origin("show.base_url").name == "SPACECAST_BASE_URL"
    assert from_flag.origin("show.base_url").name == "--base-url"


def run(*args: object, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [EXE, *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "HOME": str(cwd), "XDG_CONFIG_HOME": str(cwd), **env},
        check=False,
        timeout=120,
    )


@pytest.mark.slow
@pytest.mark.parametrize("command", [["build"], ["script"], ["daily"], ["render", "s.md"]])
def test_minutes_700_in_the_file_is_one_line_naming_briefing_minutes_exit_78(
    tmp_path: Path, command: list[str]
):
    (tmp_path / "spacecast.toml").write_text("[briefing]\nminutes = 700\n", encoding="utf-8")
    done = run(*command, cwd=tmp_path)
    assert (done.returncode, done.stdout) == (78, "")
    assert done.stderr == "Error: spacecast.toml: line 2: briefing.minutes: must be at most 600\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spacecast.toml"]


@pytest.mark.slow
def test_an_environment_variable_with_a_bad_value_is_named(tmp_path: Path):
    done = run("build", "-o", tmp_path / "x.mp3", cwd=tmp_path, SPACECAST_BASE_URL="ftp://x")
    assert done.returncode == 2
    assert done.stderr.startswith("Error: SPACECAST_BASE_URL: 'ftp://x' is not an http(s) URL")
    assert len(done.stderr.splitlines()) == 1


@pytest.mark.slow
def test_a_flag_with_a_bad_value_is_named_not_the_file(tmp_path: Path):
    (tmp_path / "spacecast.toml").write_text("[briefing]\nminutes = 3\n", encoding="utf-8")
    done = run("script", "--minutes", "700", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (
        2,
        "Error: --minutes: 700 is too long: give at most 600\n",
    )


def test_the_stages_own_defaults_agree_with_the_schema():
    """A stage's dataclass keeps defaults for library callers; where it also has one of the
    schema's (the show's name for the greeting), they are the same."""
    from spacecast.audio.loudness import LoudnessTarget
    from spacecast.publish.feed import Channel
    from spacecast.sources.fetch import NetworkSettings
    from spacecast.text.compose import Phrases, ShowFormat

    default = {s.key: s.default_value() for s in SETTINGS}
    show = ShowFormat()
    assert (show.show, show.anchor, show.correspondents, show.style) == (
        default["show.title"],
        default["briefing.anchor"],
        default["briefing.correspondent"],
        default["briefing.style"],
    )
    assert show.phrases == Phrases() == settings_of().phrases
    assert NetworkSettings() == settings_of().network
    assert LoudnessTarget().integrated == default["briefing.lufs"]
    assert Channel() == settings_of().show.channel
