"""The two-host show, built for real: the anchor hands each story to a named correspondent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from mutagen.id3 import ID3

from spacecast.cli import cli
from spacecast.publish.episode import complete_records


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.mark.slow
def test_two_host_build_names_the_reader_in_chapters_and_transcript(tmp_path: Path, articles):
    out = tmp_path / "show" / "two.mp3"
    out.parent.mkdir()
    result = run(
        "build", articles, "-o", out, "--style", "two-host", "--minutes", "1.5",
        "--date", "2026-11-26", "--cache-dir", tmp_path / "cache",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    record = complete_records(out.parent)[0]
    titles = [m.title for m in record.chapters]
    assert titles[0] == "Welcome" and titles[-1] == "Sign-off"
    assert len(titles) == 5
    assert all(title.endswith(" — Sam") for title in titles[1:-1])
    tags = ID3(out)
    in_mp3 = sorted(
        (f.start_time, str(f.sub_frames["TIT2"])) for f in tags.getall("CHAP")
    )  # mutagen keeps frames in size order
    assert [title for _, title in in_mp3] == titles
    vtt = (out.parent / record.files.vtt).read_text()
    assert "<v Alex>" in vtt and "<v Sam>" in vtt
    assert "Sam has the story." in vtt  # the anchor's handover, in the anchor's voice span
    handover = next(line for line in vtt.splitlines() if "Sam has the story." in line)
    assert handover.startswith("<v Alex>")


@pytest.mark.slow
def test_style_and_phrases_from_the_settings_file(tmp_path: Path, articles, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))  # the fit's takes
    (tmp_path / "spacecast.toml").write_text(
        '[briefing]\nstyle = "two-host"\n\n'
        '[phrases]\nhandover = "{link} Over to {correspondent} for {headline}."\n'
        'hand_back = "Thank you, {correspondent}."\n',
        encoding="utf-8",
    )
    result = run(
        "script", articles, "--format", "json", "--minutes", "2", "--date", "2026-11-26",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    segments = json.loads(result.stdout)["segments"]
    kinds = [s["kind"] for s in segments]
    assert kinds == ["intro", *["handover", "story", "handback"] * 3, "outro"]
    assert segments[1]["text"].startswith("First. Over to Sam for ")
    assert segments[3]["text"] == "Thank you, Sam."
    # The option overrides the file: the bulletin has links and no handovers.
    bulletin = run(
        "script", articles, "--format", "json", "--minutes", "2", "--date", "2026-11-26",
        "--style", "bulletin",
    )  # fmt: skip
    assert "handover" not in {s["kind"] for s in json.loads(bulletin.stdout)["segments"]}


def test_a_bad_phrase_is_one_line_naming_the_key(tmp_path: Path, articles, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "spacecast.toml").write_text(
        '[phrases]\nhandover = "{link} {headline}. {reporter} has it."\n', encoding="utf-8"
    )
    result = run("script", articles)
    assert result.exit_code == 78
    assert result.stderr == (
        "Error: spacecast.toml: line 2: phrases.handover: unknown placeholder {reporter} "
        "(this phrase can use: {anchor}, {correspondent}, {headline}, {link}, {show})\n"
    )
