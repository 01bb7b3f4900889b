"""The length holds with many stories: the most newsworthy stories that fit are read, the
next headlines are said in a round-up, the rest are left out, and the user is told which.

The tone engine (exact, instant) stands in for speech here; test_end_to_end.py has the same
promise with the real voice and the real MP3.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from mutagen.mp3 import MP3

from spacecast.cli import cli
from spacecast.ingest import load_articles
from spacecast.mix import Pacing
from spacecast.pipeline import (
    MIX_RATE,
    Options,
    StingerFiles,
    load_stingers,
    load_voice_setup,
    script_from_articles,
)
from spacecast.speakable import speakable
from spacecast.synthesize import synthesize_script
from spacecast.timing import layout_seconds, take_seconds


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def real_seconds(script, voices: Path) -> float:
    """The mixed briefing's exact length (the layout is the mix's, to the sample)."""
    setup = load_voice_setup(voices)
    report = synthesize_script(
        script, setup.profiles, setup.lexicons, mix_rate=MIX_RATE, cache=None
    )
    speech = [take_seconds(take, Pacing()) for take in report.takes]
    return layout_seconds(script, speech, load_stingers(StingerFiles()), Pacing())


@pytest.mark.parametrize(("count", "minutes"), [(12, 1), (12, 2), (50, 5), (100, 2)])
def test_many_stories_fit_the_minutes(tone_voices, generated, tmp_path, count, minutes):
    articles = load_articles([str(generated(count))])
    options = Options(minutes=minutes, voices_dir=tone_voices, cache_dir=tmp_path / "cache")
    script = script_from_articles(articles, options)
    assert real_seconds(script, tone_voices) == pytest.approx(minutes * 60, rel=0.05)
    read = [s.title for s in script.segments if s.kind == "story"]
    left_out = [s.title for s in script.left_out]
    # The first stories are read, the rest left out, in their order.
    assert read + left_out == [a.title for a in articles]
    assert left_out, "too many stories for the minutes: some are left out"
    stories = "story" if len(read) == 1 else "stories"
    assert script.segments[0].text.endswith(speakable(f"Today, {len(read)} {stories}."))
    named = [s.title for s in script.left_out if s.roundup]
    assert named == left_out[: len(named)]
    roundup = [s.text for s in script.segments if s.kind == "roundup"]
    assert len(roundup) == (1 if named else 0)


def test_build_says_what_was_left_out_and_records_it(tone_voices, generated, tmp_path):
    out = tmp_path / "out" / "briefing.mp3"
    out.parent.mkdir()
    args = ["build", generated(12), "--voices-dir", tone_voices, "--no-cache", "-o", out]
    result = run(*args, "--minutes", "2", "--date", "2026-11-26")
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == f"Wrote {out} (1:57, 4 stories)"
    assert lines[1] == (
        "Left out 8 of 12 stories to fit 2:00 (3 of them named in the round-up): "
        '"Wildfire season rescue faces delay", "Satellite launch record gets green light", '
        '"Housing shortage deal sparks debate" and 5 more'
    )
    assert len(lines) == 2
    assert MP3(out).info.length == pytest.approx(120, rel=0.05)
    record = json.loads((out.parent / "briefing.episode.json").read_text())
    assert len(record["stories"]) == 4
    assert record["left_out"][0] == {
        "title": "Wildfire season rescue faces delay",
        "source": str(generated(12) / "005-article.txt"),
        "roundup": True,
    }
    assert [s["roundup"] for s in record["left_out"]] == [True] * 3 + [False] * 5
    chapters = [(c["kind"], c["title"]) for c in record["chapters"]]
    assert chapters[-2:] == [("roundup", "Also today"), ("outro", "Sign-off")]
    assert "Also today: Wildfire season rescue faces delay; Satellite launch record " in (
        (out.parent / "briefing.txt").read_text()
    )


def test_verbose_names_every_story_left_out_and_quiet_none(tone_voices, generated, tmp_path):
    args = ["script", generated(12), "--voices-dir", tone_voices, "--minutes", "2"]
    args += ["-o", tmp_path / "script.md"]
    verbose = run(*args, "-v")
    assert verbose.exit_code == 0, verbose.stderr
    line = verbose.stderr.splitlines()[0]
    assert line.startswith("Left out 8 of 12 stories to fit 2:00")
    assert line.count('", "') == 7 and "more" not in line
    quiet = run(*args, "-q")
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "", "")


def test_script_lists_what_was_left_out(tone_voices, generated, tmp_path):
    result = run(
        "script", generated(12), "--voices-dir", tone_voices, "--minutes", "2",
        "--date", "2026-11-26",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("Left out 8 of 12 stories to fit 2:00")
    front = result.stdout.split("\n---\n")[0]
    source = generated(12) / "005-article.txt"
    assert f"\nroundup: Wildfire season rescue faces delay <{source}>\n" in front
    assert front.count("\nroundup: ") == 3 and front.count("\nleft_out: ") == 5
    assert "## roundup: Also today\nvoice: anchor\n\nAlso today: " in result.stdout
    # Rendered as written, the episode records what the script says was left out.
    (tmp_path / "script.md").write_text(result.stdout, encoding="utf-8")
    out = tmp_path / "briefing.mp3"
    rendered = run("render", tmp_path / "script.md", "--voices-dir", tone_voices, "-o", out)
    assert rendered.exit_code == 0, rendered.stderr
    record = json.loads((tmp_path / "briefing.episode.json").read_text())
    assert record["left_out"][0] == {
        "title": "Wildfire season rescue faces delay",
        "source": str(source),
        "roundup": True,
    }
    assert len(record["left_out"]) == 8


def test_a_length_too_short_for_one_story_is_an_error(tone_voices, generated, tmp_path):
    args = ["build", generated(12), "--voices-dir", tone_voices, "-o", tmp_path / "b.mp3"]
    result = run(*args, "--minutes", "0.3")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: --minutes: 0.3 minutes is too short for the greeting, one story and the "
        "sign-off (about 0:47): give --minutes 0.8 or more\n"
    )
    assert not (tmp_path / "b.mp3").exists()
    enough = run(*args, "--minutes", "0.8")
    assert enough.exit_code == 0, enough.stderr
    assert ", 1 story)" in enough.stderr


def test_a_setting_too_short_for_one_story_names_the_key(tone_voices, generated, tmp_path):
    config = tmp_path / "spacecast.toml"
    config.write_text("[briefing]\nminutes = 0.3\n", encoding="utf-8")
    args = ["script", generated(12), "--voices-dir", tone_voices, "--config", config]
    result = run(*args)
    assert result.exit_code == 78
    assert result.stderr == (
        f"Error: {config}: line 2: briefing.minutes: 0.3 minutes is too short for the "
        "greeting, one story and the sign-off (about 0:47): give 0.8 or more\n"
    )
    overridden = run(*args, "--minutes", "0.3")  # the option is at fault, not the file
    assert overridden.exit_code == 2
    assert overridden.stderr.startswith("Error: --minutes: 0.3 minutes is too short")


def test_without_a_roundup_phrase_the_rest_is_left_out_unsaid(tone_voices, generated, tmp_path):
    config = tmp_path / "spacecast.toml"
    config.write_text('[phrases]\nroundup = ""\n', encoding="utf-8")
    result = run(
        "script", generated(12), "--voices-dir", tone_voices, "--config", config,
        "--minutes", "2", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    script = json.loads(result.stdout)
    assert "roundup" not in {s["kind"] for s in script["segments"]}
    assert not any(s["roundup"] for s in script["left_out"])
    assert "named in the round-up" not in result.stderr
