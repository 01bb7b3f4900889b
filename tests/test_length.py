"""The length holds with many stories: the most newsworthy stories that fit are read, the
next headlines are said in a round-up, the rest are left out, and the user is told which.

The tone engine (exact, instant) stands in for speech here; test_end_to_end.py has the same
promise with the real voice and the real MP3.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from mutagen.mp3 import MP3

from spacecast.audio.mix import Pacing, layout_seconds
from spacecast.audio.stingers import load_stingers
from spacecast.cli import cli
from spacecast.cli import left_out_line as cli_left_out_line
from spacecast.models import LeftOutStory
from spacecast.pipeline import open_speech, script_from_articles
from spacecast.settings.resolve import settings_of
from spacecast.speech.length import take_seconds
from spacecast.speech.profiles import load_voices
from spacecast.speech.session import SpeechSession
from spacecast.text.ingest import load_articles
from spacecast.text.scriptfile import parse_markdown
from spacecast.text.speakable import speakable


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def real_seconds(script, voices: Path) -> float:
    """The mixed briefing's exact length (the layout is the mix's, to the sample)."""
    with SpeechSession(load_voices(voices), cache_dir=None) as speech:
        report = speech.synthesize(script)
        seconds = [take_seconds(take, Pacing()) for take in report.takes]
    return layout_seconds(script, seconds, load_stingers(), Pacing())


@pytest.mark.parametrize(("count", "minutes"), [(12, 1), (12, 2), (50, 5), (100, 2)])
def test_many_stories_fit_the_minutes(tone_voices, generated, tmp_path, count, minutes):
    articles = load_articles([str(generated(count))])
    settings = settings_of(
        {
            "briefing.minutes": minutes,
            "briefing.voices_dir": tone_voices,
            "output.cache_dir": tmp_path / "cache",
        }
    )
    with open_speech(settings) as speech:
        script = script_from_articles(articles, settings, speech)
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


def test_the_left_out_line_names_the_first_three_then_counts_the_rest():
    stories = [LeftOutStory(f"Story {n}", f"{n}.txt", roundup=n < 3) for n in range(1, 6)]
    assert cli_left_out_line(stories, 7, 2, every=False) == (
        "Left out 5 of 12 stories to fit 2:00 (2 of them named in the round-up): "
        '"Story 1", "Story 2", "Story 3" and 2 more'
    )
    assert cli_left_out_line(stories[2:], 1, 0.5, every=True) == (
        'Left out 3 of 4 stories to fit 0:30: "Story 3", "Story 4", "Story 5"'
    )
    assert cli_left_out_line(stories[:1], 1, 60, every=False) == (
        'Left out 1 of 2 stories to fit 1:00:00 (1 of them named in the round-up): "Story 1"'
    )


def left_out_line(left_out: list[dict], read: int, *, every: bool = False) -> str:
    """The line on stderr, as a user reads it, from the stories the sidecar lists."""
    names = [f'"{s["title"]}"' for s in left_out]
    listed = ", ".join(names if every else names[:3])
    if not every and len(names) > 3:
        listed += f" and {len(names) - 3} more"
    named = sum(s["roundup"] for s in left_out)
    roundup = f" ({named} of them named in the round-up)" if named else ""
    total = read + len(left_out)
    return f"Left out {len(left_out)} of {total} stories to fit 2:00{roundup}: {listed}"


def test_build_says_what_was_left_out_and_records_it(tone_voices, generated, tmp_path):
    folder, out = generated(12), tmp_path / "out" / "briefing.mp3"
    out.parent.mkdir()
    args = ["build", folder, "--voices-dir", tone_voices, "--no-cache", "-o", out]
    result = run(*args, "--minutes", "2", "--date", "2026-11-26")
    assert result.exit_code == 0, result.stderr
    assert MP3(out).info.length == pytest.approx(120, rel=0.05)
    record = json.loads((out.parent / "briefing.episode.json").read_text())
    read, left_out = record["stories"], record["left_out"]
    titles = [a.title for a in load_articles([str(folder)])]
    assert read + [s["title"] for s in left_out] == titles  # the first ones read, in order
    assert len(read) > 1 and len(left_out) > 3
    assert left_out[0]["source"] == str(folder / f"{len(read) + 1:03d}-article.txt")
    named = sum(s["roundup"] for s in left_out)
    assert [s["roundup"] for s in left_out] == [True] * named + [False] * (len(left_out) - named)
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    assert re.fullmatch(rf"Wrote {re.escape(str(out))} \(\d:\d\d, {len(read)} stories\)", lines[0])
    assert lines[1] == left_out_line(left_out, len(read))
    kinds = [c["kind"] for c in record["chapters"]]
    assert kinds == ["intro", *["story"] * len(read), *(["roundup"] if named else []), "outro"]


def test_verbose_names_every_story_left_out_and_quiet_none(tone_voices, generated, tmp_path):
    args = ["script", generated(12), "--voices-dir", tone_voices, "--minutes", "2"]
    args += ["-o", tmp_path / "script.json"]
    verbose = run(*args, "-v")
    assert verbose.exit_code == 0, verbose.stderr
    script = json.loads((tmp_path / "script.json").read_text())
    read = sum(1 for s in script["segments"] if s["kind"] == "story")
    assert verbose.stderr.splitlines()[0] == left_out_line(script["left_out"], read, every=True)
    quiet = run(*args, "-q")
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "", "")


def test_script_lists_what_was_left_out(tone_voices, generated):
    folder = generated(12)
    result = run(
        "script", folder, "--voices-dir", tone_voices, "--minutes", "2", "--date", "2026-11-26"
    )
    assert result.exit_code == 0, result.stderr
    script = parse_markdown(result.stdout, "-")
    read = [s.title for s in script.segments if s.kind == "story"]
    left_out = [s.title for s in script.left_out]
    assert read + left_out == [a.title for a in load_articles([str(folder)])]
    front = result.stdout.split("\n---\n")[0].splitlines()[3:]
    assert front == [
        f"{'roundup' if s.roundup else 'left_out'}: {s.title} <{s.source}>" for s in script.left_out
    ]
    assert result.stderr.startswith(f"Left out {len(left_out)} of 12 stories to fit 2:00")


ROUNDUP_SCRIPT = """\
---
title: Test Show
date: 2026-11-26
roundup: Ferry timetable changes <https://example.com/ferry>
left_out: Park benches replaced <news/park.txt>
---

## intro: Welcome
profile: anchor

Good morning, this is the test show.

## story: Harbour bridge reopens
profile: correspondent
source: https://example.com/bridge

Harbour bridge reopens. Cars crossed again on Monday.

## roundup: Also today
profile: anchor

Also today: ferry timetable changes.

## outro: Sign-off
profile: anchor

Goodbye.
"""


def test_a_roundup_is_a_chapter_after_the_stinger_and_the_episode_records_it(tone_voices, tmp_path):
    (tmp_path / "script.md").write_text(ROUNDUP_SCRIPT, encoding="utf-8")
    out = tmp_path / "briefing.mp3"
    result = run("render", tmp_path / "script.md", "--voices-dir", tone_voices, "-o", out)
    assert result.exit_code == 0, result.stderr
    record = json.loads((tmp_path / "briefing.episode.json").read_text())
    assert record["left_out"] == [
        {
            "title": "Ferry timetable changes",
            "source": "https://example.com/ferry",
            "roundup": True,
            "reason": "length",
        },
        {
            "title": "Park benches replaced",
            "source": "news/park.txt",
            "roundup": False,
            "reason": "length",
        },
    ]
    assert [c["kind"] for c in record["chapters"]] == ["intro", "story", "roundup", "outro"]
    roundup = record["chapters"][2]
    assert (roundup["title"], roundup["url"]) == ("Also today", None)
    # As a link does, the round-up comes after a gap and the transition stinger.
    pacing, transition = Pacing(), load_stingers().transition.duration_seconds
    vtt = (tmp_path / "briefing.vtt").read_text()
    story_ends, said = cue(vtt, "Cars crossed again")[1], cue(vtt, "Also today:")[0]
    assert roundup["start"] == pytest.approx(story_ends + pacing.segment_gap, abs=0.002)
    assert said == pytest.approx(
        roundup["start"] + transition - pacing.transition_overlap, abs=0.002
    )


def cue(vtt: str, starting: str) -> tuple[float, float]:
    """The start and end, in seconds, of the WebVTT cue whose words start so."""

    def seconds(stamp: str) -> float:
        hours, minutes, rest = stamp.split(":")
        return int(hours) * 3600 + int(minutes) * 60 + float(rest)

    for block in vtt.split("\n\n")[1:]:
        lines = block.splitlines()
        if lines[2].split(">", 1)[1].startswith(starting):
            start, end = lines[1].split(" --> ")
            return seconds(start), seconds(end)
    raise AssertionError(f"no cue starts {starting!r}")


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
