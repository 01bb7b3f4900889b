"""The command line: exact error lines, exit codes, and what goes to stdout and stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from mutagen.id3 import ID3

from spacecast import __version__
from spacecast.cli import cli


def run(*args: object, input: bytes | str | None = None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "out.mp3"


def tone_build(voices: Path, *args: object, input: bytes | None = None):
    return run("build", "--voices-dir", voices, "--no-cache", *args, input=input)


def test_every_command_has_help_with_an_example():
    for name, command in cli.commands.items():
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert "Example:" in result.output, name
        assert command.help


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.startswith("spacecast, version ")


def test_python_dash_m_runs_the_command_line(tmp_path: Path):
    # Where the ``spacecast`` script is not on PATH, ``python -m spacecast`` is the command.
    run = [sys.executable, "-m", "spacecast"]
    done = subprocess.run([*run, "--version"], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (
        0,
        f"spacecast, version {__version__}\n",
        "",
    )
    missing = tmp_path / "nope.md"
    args = [*run, "render", str(missing), "-o", str(tmp_path / "x.mp3")]
    done = subprocess.run(args, capture_output=True, text=True, check=False, cwd=tmp_path)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"Error: {missing}: no such script file\n"


def test_build_writes_the_mp3_and_says_so_on_stderr(tone_voices, articles, out):
    result = tone_build(tone_voices, articles, "-o", out, "-v")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert f"Wrote {out} (" in result.stderr
    assert "3 stories" in result.stderr
    assert "Segments: 7 synthesized, 0 from the cache" in result.stderr
    assert out.stat().st_size > 10_000


def test_segments_made_while_fitting_the_length_count_as_synthesized_once(
    tone_voices, articles, out, tmp_path
):
    """A cold build speaks every segment while fitting the length, into the cache, and
    renders from there: those are synthesized, not "from the cache"."""
    cache = tmp_path / "cache"
    args = ("build", articles, "--voices-dir", tone_voices, "--cache-dir", cache, "-o", out, "-v")
    cold = run(*args)
    assert cold.exit_code == 0, cold.stderr
    assert "Segments: 7 synthesized, 0 from the cache" in cold.stderr
    warm = run(*args)
    assert "Segments: 0 synthesized, 7 from the cache" in warm.stderr


def test_quiet_prints_nothing(tone_voices, articles, out):
    result = tone_build(tone_voices, articles, "-o", out, "-q")
    assert result.exit_code == 0
    assert (result.stdout, result.stderr) == ("", "")


def test_script_to_stdout_then_render(tone_voices, articles, tmp_path, out):
    result = run("script", articles, "--voices-dir", tone_voices, "--date", "2026-11-26")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("---\ntitle: Spacecast\ndate: 2026-11-26\n---\n")
    script = tmp_path / "script.md"
    script.write_text(result.stdout.replace("Harbour bridge", "Harbour crossing"))
    rendered = run("render", script, "-o", out, "--voices-dir", tone_voices, "--no-cache")
    assert rendered.exit_code == 0, rendered.stderr
    assert rendered.stderr.startswith(f"Wrote {out} (")
    # The edit reached the episode: the story's chapter carries the new headline.
    titles = [str(frame.sub_frames["TIT2"]) for frame in ID3(out).getall("CHAP")]
    assert "Harbour crossing reopens after repairs" in titles
    assert not any("Harbour bridge" in title for title in titles)


def test_script_json_by_extension(tone_voices, articles, tmp_path):
    target = tmp_path / "s.json"
    result = run("script", articles, "--voices-dir", tone_voices, "-o", target)
    assert result.exit_code == 0, result.stderr
    assert target.read_text().lstrip().startswith("{")
    assert result.stderr == f"Wrote {target} (3 stories)\n"


# --- bad input: one line, exact text, right exit code, nothing written ---------------------


def error_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_missing_path(tone_voices, tmp_path, out):
    result = tone_build(tone_voices, tmp_path / "nope.md", "-o", out)
    assert result.exit_code == 1
    assert error_line(result) == f"Error: {tmp_path / 'nope.md'}: no such file or directory"
    assert not out.exists()


def test_unusable_files_warn_and_skip(tone_voices, tmp_path, out):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a-empty.txt").write_text("")
    (folder / "b-binary.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "c-word.txt").write_text("Hello")
    (folder / "d-nav.html").write_text("<html><body><nav>Home</nav></body></html>")
    (folder / "e-good.txt").write_text(
        "Ferry service resumes\n\nThe island ferry resumed sailing on Tuesday after a storm "
        "kept it in port for three days.\n"
    )
    result = tone_build(tone_voices, folder, "-o", out)
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert len(warnings) == 4
    for name in ("a-empty.txt", "b-binary.txt", "c-word.txt", "d-nav.html"):
        assert any(name in w and "skipped" in w for w in warnings), name


def test_nothing_usable_is_an_error(tone_voices, tmp_path, out):
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n")
    result = tone_build(tone_voices, empty, "-o", out)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith("Error: no usable articles")
    assert not out.exists()


def test_windows_1252_text_is_decoded(tone_voices, tmp_path):
    article = tmp_path / "cafe.txt"
    article.write_bytes(
        "Caf\u00e9 reopens\n\nThe \u201cold\u201d caf\u00e9 on the square reopened on "
        "Friday after a long renovation.\n".encode("cp1252")
    )
    result = run("script", article, "--voices-dir", tone_voices, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "caf\u00e9 on the square" in result.stdout


def test_huge_article_is_condensed(tone_voices, tmp_path):
    article = tmp_path / "huge.txt"
    paragraph = (
        "The regional council met again on Thursday to discuss the budget for roads. "
        "Members argued about potholes and bus lanes for several hours. "
    )
    article.write_text("Council budget talks drag on\n\n" + (paragraph + "\n\n") * 36_000)
    assert article.stat().st_size > 5_000_000
    result = run("script", article, "--voices-dir", tone_voices, "--minutes", "1")
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.split()) < 400


@pytest.mark.parametrize("value", ["0", "-2", "abc", "nan"])
def test_bad_minutes(tone_voices, articles, out, value):
    result = tone_build(tone_voices, articles, "-o", out, "--minutes", value)
    assert result.exit_code == 2
    line = error_line(result)
    assert line.startswith("Error: ")
    assert "--minutes" in line


def test_output_folder_missing(tone_voices, articles, tmp_path):
    target = tmp_path / "no" / "such" / "out.mp3"
    result = tone_build(tone_voices, articles, "-o", target)
    assert result.exit_code == 1
    assert error_line(result) == (
        f"Error: {target.parent}: output folder does not exist: create it first"
    )


def test_output_is_a_directory(tone_voices, articles, tmp_path):
    result = tone_build(tone_voices, articles, "-o", tmp_path)
    assert result.exit_code == 1
    assert error_line(result).startswith(f"Error: {tmp_path}: is a directory")


def test_output_folder_not_writable(tone_voices, articles):
    # /proc refuses new files even to root, which a chmod'ed folder would not.
    result = tone_build(tone_voices, articles, "-o", "/proc/out.mp3")
    assert result.exit_code == 1
    assert error_line(result).startswith("Error: /proc: output folder is not writable")


def test_failed_build_keeps_the_old_file(tone_voices, articles, out, tmp_path):
    out.write_bytes(b"a good old briefing")
    result = tone_build(tone_voices, articles, "-o", out, "--intro", tmp_path / "missing.wav")
    assert result.exit_code == 1
    assert out.read_bytes() == b"a good old briefing"
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("flag", ["--profile", "--voice"])  # --voice: the earlier name
def test_unknown_voice(tone_voices, articles, out, flag):
    result = tone_build(tone_voices, articles, "-o", out, flag, "anchr")
    assert result.exit_code == 2
    assert error_line(result) == "Error: unknown voice profile 'anchr': did you mean anchor?"


def test_unknown_engine(tone_voices, articles, out):
    (tone_voices / "anchor.toml").write_text('engine = "festival"\nengine_voice = "x"\n')
    result = tone_build(tone_voices, articles, "-o", out)
    assert result.exit_code == 2
    assert error_line(result) == (
        f"Error: {tone_voices / 'anchor.toml'}: engine: unknown engine 'festival': "
        "use one of piper, pyttsx3, tone"
    )


def test_unknown_engine_voice_id(tone_voices, articles, out):
    (tone_voices / "anchor.toml").write_text('engine = "tone"\nengine_voice = "lowe"\nrate = 120\n')
    result = tone_build(tone_voices, articles, "-o", out)
    assert result.exit_code == 2
    assert error_line(result) == (
        f"Error: {tone_voices / 'anchor.toml'}: engine_voice: unknown tone voice id 'lowe': "
        "did you mean low?"
    )


def test_stinger_missing_or_not_audio(tone_voices, articles, out, tmp_path):
    missing = tmp_path / "nope.wav"
    result = tone_build(tone_voices, articles, "-o", out, "--intro", missing)
    assert result.exit_code == 1
    assert error_line(result) == f"Error: {missing}: stinger file not found"
    fake = tmp_path / "fake.mp3"
    fake.write_text("not audio at all")
    result = tone_build(tone_voices, articles, "-o", out, "--outro", fake)
    assert result.exit_code == 1
    assert error_line(result).startswith(f"Error: {fake}: not an audio file ffmpeg can read")


def test_script_syntax_error_names_the_line(tone_voices, tmp_path, out):
    script = tmp_path / "s.md"
    script.write_text(
        "---\ntitle: T\ndate: 2026-01-02\n---\n\n## stroy: A\nprofile: anchor\n\nHi.\n"
    )
    result = run("render", script, "-o", out, "--voices-dir", tone_voices)
    assert result.exit_code == 1
    assert error_line(result).startswith(f"Error: {script}: line 6: unknown segment kind 'stroy'")


def test_script_voice_not_in_profiles(tone_voices, tmp_path, out):
    script = tmp_path / "s.md"
    script.write_text(
        "---\ntitle: T\ndate: 2026-01-02\n---\n\n## story: A\nprofile: anchorr\n\nHi."
    )
    result = run("render", script, "-o", out, "--voices-dir", tone_voices)
    assert result.exit_code == 1
    assert error_line(result) == (
        "Error: segment 'A': unknown voice profile 'anchorr': did you mean anchor?"
    )


def test_build_from_stdin(tone_voices, out):
    article = (
        "Night train returns\n\nThe night train to the coast returned on Friday after a "
        "ten-year break, with every sleeper berth sold out.\n"
    )
    result = tone_build(tone_voices, "-", "-o", out, input=article.encode())
    assert result.exit_code == 0, result.stderr
    assert result.stderr.endswith(", 1 story)\n")


def test_voices_lists_profiles_and_engine_ids(tone_voices):
    result = run("voices", "--voices-dir", tone_voices)
    assert result.exit_code == 0, result.stderr
    assert "anchor" in result.stdout and "tone:low" in result.stdout
    assert "Engine pyttsx3 (available)" in result.stdout
    assert "gmw/en-us" in result.stdout
    assert "Engine tone (available)" in result.stdout


def test_doctor_reports_every_part():
    result = run("doctor")
    assert result.exit_code == 0, result.output
    for label in ("eSpeak NG", "eSpeak NG data", "engine pyttsx3", "ffmpeg", "voice profiles"):
        assert f"ok   {label} " in result.stdout, label
    # No settings file here nor in the (empty) user config folder: daily would need one.
    assert "ok   settings         built-in defaults (no settings file found: looked for " in (
        result.stdout
    )


def test_doctor_fails_on_a_missing_ffmpeg(monkeypatch):
    from spacecast.audio import ffmpeg as tools

    tools.ffmpeg_path.cache_clear()
    monkeypatch.setenv("SPACECAST_FFMPEG", "/nonexistent/ffmpeg")
    try:
        result = run("doctor")
    finally:
        tools.ffmpeg_path.cache_clear()
    assert result.exit_code == 1
    assert "BAD  ffmpeg           SPACECAST_FFMPEG=/nonexistent/ffmpeg: not an executable" in (
        result.stdout
    )
    assert result.stderr == "Error: 1 problem(s) found: see the lines marked BAD above\n"


def test_say_writes_a_wav_preview(tone_voices, tmp_path):
    target = tmp_path / "preview.wav"
    result = run("say", "Three short words.", "-o", target, "--voices-dir", tone_voices)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"Wrote {target} (1.5 s)\n"


def test_an_mp3_name_with_characters_ffmpeg_treats_specially(tone_voices, tmp_path):
    from mutagen.mp3 import MP3

    folder = tmp_path / "news [daily]|it's"
    folder.mkdir()
    target = folder / "a|b [c]'d.mp3"
    result = run("say", "Three short words.", "-o", target, "--voices-dir", tone_voices)
    assert result.exit_code == 0, result.stderr
    assert MP3(target).info.length == pytest.approx(1.5, abs=0.1)
    assert sorted(p.name for p in folder.iterdir()) == [target.name]


def test_say_with_nothing_to_say(tone_voices, tmp_path):
    result = run("say", "  ", "-o", tmp_path / "x.wav", "--voices-dir", tone_voices)
    assert result.exit_code == 1
    assert error_line(result) == "Error: TEXT: nothing to say: give some words"


EPISODE_FILES = [
    "spacecast-2026-11-26.chapters.json",
    "spacecast-2026-11-26.episode.json",
    "spacecast-2026-11-26.html",
    "spacecast-2026-11-26.md",
    "spacecast-2026-11-26.mp3",
    "spacecast-2026-11-26.srt",
    "spacecast-2026-11-26.txt",
    "spacecast-2026-11-26.vtt",
]


def test_build_publishes_sidecars_feed_and_page(tone_voices, articles, tmp_path):
    out = tmp_path / "site" / "spacecast-2026-11-26.mp3"
    out.parent.mkdir()
    result = tone_build(tone_voices, articles, "-o", out, "--date", "2026-11-26", "--publish")
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in out.parent.iterdir())
    assert names == ["cover.jpg", "feed.xml", "index.html", *EPISODE_FILES]


def test_build_into_the_show_folder_publishes_it(tone_voices, articles, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = tone_build(tone_voices, articles, "--date", "2026-11-26")
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "briefings").iterdir())
    assert names == ["cover.jpg", "feed.xml", "index.html", *EPISODE_FILES]


def test_build_elsewhere_writes_only_the_episode_and_its_sidecars(
    tone_voices, articles, tmp_path, monkeypatch
):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    out = work / "x" / "spacecast-2026-11-26.mp3"
    out.parent.mkdir()
    result = tone_build(tone_voices, articles, "-o", out, "--date", "2026-11-26")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.parent.iterdir()) == EPISODE_FILES
    assert sorted(p.name for p in work.iterdir()) == ["x"]  # no briefings/ either
    record = json.loads((out.parent / "spacecast-2026-11-26.episode.json").read_text())
    assert record["files"]["cover"] is None
    tags = ID3(out)
    assert tags.getall("APIC")[0].data[:3] == b"\xff\xd8\xff"  # the drawn cover, embedded
    assert not tags.getall("WFED")  # no feed lists it


def test_render_writes_only_the_episode_and_its_sidecars(tone_voices, articles, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    script = work / "s.md"
    made = run("script", articles, "--voices-dir", tone_voices, "-o", script,
               "--date", "2026-11-26")  # fmt: skip
    assert made.exit_code == 0, made.stderr
    (work / "x").mkdir()
    out = work / "x" / "edited.mp3"
    result = run("render", script, "-o", out, "--voices-dir", tone_voices, "--no-cache")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.parent.iterdir()) == [
        name.replace("spacecast-2026-11-26", "edited") for name in EPISODE_FILES
    ]
    assert sorted(p.name for p in work.iterdir()) == ["s.md", "x"]
    published = run("render", script, "-o", out, "--voices-dir", tone_voices, "--publish")
    assert published.exit_code == 0, published.stderr
    assert {"cover.jpg", "feed.xml", "index.html"} <= {p.name for p in out.parent.iterdir()}


def test_feed_command_rebuilds_from_the_folder(tone_voices, articles, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    for day in ("2026-11-25", "2026-11-26"):
        target = site / f"spacecast-{day}.mp3"
        built = tone_build(tone_voices, articles, "-o", target, "--date", day)
        assert built.exit_code == 0, built.stderr
    assert not (site / "feed.xml").exists()  # built elsewhere: the folder is not published
    result = run("feed", "--dir", site, "--base-url", "https://example.org/pod", "--title", "X")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"Wrote {site / 'feed.xml'}\n"
    feed = (site / "feed.xml").read_text()
    assert feed.count("<item>") == 2
    assert feed.index("2026-11-26.mp3") < feed.index("2026-11-25.mp3")  # newest first
    assert 'url="https://example.org/pod/spacecast-2026-11-26.mp3"' in feed


def test_feed_command_errors(tmp_path):
    result = run("feed", "--dir", tmp_path / "none")
    assert result.exit_code == 1
    assert error_line(result) == (
        f"Error: {tmp_path / 'none'}: no such folder: build an episode first"
    )
    result = run("feed", "--dir", tmp_path, "--base-url", "ftp://x")
    assert result.exit_code == 2
    assert error_line(result).startswith("Error: --base-url: 'ftp://x' is not an http(s) URL")


def test_serve_command_serves_until_stopped(tmp_path):
    import http.client
    import signal
    import subprocess
    import sys

    (tmp_path / "feed.xml").write_text("<rss/>")
    exe = Path(sys.executable).parent / "spacecast"
    proc = subprocess.Popen(
        [str(exe), "serve", "--dir", str(tmp_path), "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stderr.readline()
        assert line.startswith(f"Serving {tmp_path} at http://127.0.0.1:")
        port = int(line.split(":")[2].split("/")[0])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/feed.xml")
        response = connection.getresponse()
        assert (response.status, response.read()) == (200, b"<rss/>")
        assert response.getheader("Content-Type") == "application/rss+xml"
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
    assert proc.returncode == 0


def test_doctor_checks_settings_output_and_sources(tmp_path):
    config = tmp_path / "spacecast.toml"
    config.write_text('[[sources]]\nfolder = "missing-news"\n\n[[sources]]\nfolder = "news"\n')
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a.txt").write_text(
        "Harbour bridge reopens\n\nThe harbour bridge reopened to traffic on Monday.\n"
    )
    result = run("doctor", "--config", config)
    assert result.exit_code == 1
    assert f"ok   settings         {config}" in result.stdout
    assert f"ok   output folder    {tmp_path / 'briefings'}: writable (will be created)" in (
        result.stdout
    )
    assert f"BAD  source           {tmp_path / 'missing-news'}: no such folder" in result.stdout
    assert f"ok   source           {tmp_path / 'news'}: readable (Harbour bridge reopens)" in (
        result.stdout
    )


def test_build_lands_near_minutes_or_says_the_articles_ran_out(tone_voices, articles, out):
    long_enough = tone_build(tone_voices, articles, "-o", out, "--minutes", "1.5")
    assert long_enough.exit_code == 0, long_enough.stderr
    assert "asked" not in long_enough.stderr
    assert "Left out" not in long_enough.stderr
    too_long = tone_build(tone_voices, articles, "-o", out, "--minutes", "30")
    assert too_long.exit_code == 0, too_long.stderr
    assert "of 30:00 asked: every story is read in full, 3 stories)" in too_long.stderr


def test_init_user_writes_to_the_user_config_folder_and_says_where(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "xdg" / "spacecast" / "spacecast.toml"
    result = run("init", "--user")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == (
        f"Wrote {target}: edit the show and the sources, then run spacecast daily\n"
    )
    assert 'folder = "~/briefings"' in target.read_text(encoding="utf-8")
    again = run("init", "--user")
    assert again.exit_code == 78
    assert again.stderr == (
        f"Error: {target} already exists: edit it, or remove it to start again\n"
    )
    both = run("init", "--user", "--dir", tmp_path)
    assert (both.exit_code, both.stderr) == (2, "Error: give --dir or --user, not both\n")
    assert not (tmp_path / "spacecast.toml").exists()
