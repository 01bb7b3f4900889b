"""Real speech, real MP3: the default engine (pyttsx3 + eSpeak NG) and ffmpeg's encoder."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from mutagen.id3 import ID3
from mutagen.mp3 import MP3, BitrateMode

from spacecast.audio.loudness import measure
from spacecast.cli import cli
from spacecast.speech.profiles import CHECKOUT_VOICES
from spacecast.text.ingest import load_articles

REPO = Path(__file__).resolve().parents[1]


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_mp3_format(seed_build):
    """Read back as players read it: mono, 44.1 kHz, 64 kbit/s CBR with an Info header."""
    out, *_ = seed_build
    info = MP3(out).info
    assert info.sample_rate == 44100
    assert info.channels == 1
    assert info.bitrate == 64000
    assert info.bitrate_mode == BitrateMode.CBR
    with out.open("rb") as handle:  # the Info header that makes durations exact
        handle.seek(ID3(out).size)  # the first frame follows the tags
        assert b"Info" in handle.read(1024)


def test_length_lands_within_5_percent_of_minutes(seed_build):
    out, *_ = seed_build  # built with --minutes 3
    assert 0.95 * 180 <= MP3(out).info.length <= 1.05 * 180


def test_tags(seed_build):
    out, *_ = seed_build
    tags = ID3(out)
    assert tags.version == (2, 3, 0)
    assert str(tags["TIT2"]) == "Spacecast – Thursday 26 November 2026"
    assert str(tags["TPE1"]) == str(tags["TALB"]) == "Spacecast"
    assert str(tags["TCON"]) == "Podcast"
    assert str(tags["TDRC"]).startswith("2026")
    description = str(tags.getall("COMM")[0])
    assert "1. Japan's first private orbital rocket explodes seconds after liftoff" in description
    assert description.count("\n") >= 3


def test_rebuild_comes_from_the_cache(seed_build):
    _, cache, args, first = seed_build
    synthesized = int(first.stderr.split("Segments: ")[1].split()[0])
    assert synthesized > 5
    again = run(*args, "--cache-dir", cache, "-v")
    assert again.exit_code == 0, again.stderr
    assert f"Segments: 0 synthesized, {synthesized} from the cache" in again.stderr


def test_loudness_meets_the_podcast_target(seed_build):
    """Measured on the final MP3: -16 LUFS integrated (±1 LU), true peak at most -1 dBTP."""
    out, *_ = seed_build
    result = measure(out)
    assert -17.0 <= result.integrated <= -15.0
    assert result.true_peak <= -1.0


def test_an_up_to_date_mp3_is_kept(seed_build, tmp_path):
    out, cache, args, _ = seed_build
    before = out.stat().st_mtime_ns
    again = run(*args, "--cache-dir", cache, "-v")
    assert "(the MP3 was already up to date)" in again.stderr
    assert out.stat().st_mtime_ns == before
    # A changed setting makes a new file even where an up-to-date one stood.
    copy = tmp_path / "copy.mp3"  # elsewhere: the shared build's folder keeps one episode
    shutil.copyfile(out, copy)
    args = [a if a != out else copy for a in args]
    louder = run(*args, "--cache-dir", cache, "-v", "--bitrate", "96")
    assert louder.exit_code == 0, louder.stderr
    assert "already up to date" not in louder.stderr
    assert MP3(copy).info.bitrate == 96000


def test_real_engine_rejects_unknown_voice_id(tmp_path, articles):
    voices = tmp_path / "voices"
    voices.mkdir()
    for name in ("anchor", "correspondent"):
        (voices / f"{name}.toml").write_text(
            f'engine = "pyttsx3"\nvoice = "{"gmw/en-uss" if name == "anchor" else "gmw/en-us"}"\n'
        )
    result = run("build", articles, "-o", tmp_path / "x.mp3", "--voices-dir", voices, "--no-cache")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"Error: {voices / 'anchor.toml'}: engine_voice: unknown pyttsx3 voice id 'gmw/en-uss': "
        "did you mean gmw/en-us, gmw/en-us-nyc, gmw/en-shaw?"
    )


def test_say_applies_the_lexicon(tmp_path):
    voices = tmp_path / "voices"
    voices.mkdir()
    for name in ("anchor", "correspondent"):
        (voices / f"{name}.toml").write_text((CHECKOUT_VOICES / f"{name}.toml").read_text())
    plain = tmp_path / "plain.wav"
    assert run("say", "Zork.", "-o", plain, "--voices-dir", voices).exit_code == 0
    (voices / "lexicon.toml").write_text(
        '[words]\nZork = "a very long way of saying something quite different"\n'
    )
    respelled = tmp_path / "respelled.wav"
    result = run("say", "Zork.", "-o", respelled, "--voices-dir", voices)
    assert result.exit_code == 0, result.stderr
    assert respelled.stat().st_size > 3 * plain.stat().st_size


def test_json_script_keeps_source_sentences(tmp_path):
    target = tmp_path / "s.json"
    result = run("script", REPO / "seeds", "-o", target, "--date", "2026-11-26")
    assert result.exit_code == 0, result.stderr
    data = json.loads(target.read_text())
    stories = [s for s in data["segments"] if s["kind"] == "story"]
    assert len(stories) >= 3
    articles = {a.url or a.source: a for a in load_articles([str(REPO / "seeds")])}
    for story in stories:
        assert story["source_sentences"]
        body = articles[story["source"]].text
        for sentence in story["source_sentences"]:
            # Taken from the article: whole, or with words left out (never words added).
            words = iter(re.findall(r"\w+", body.lower()))
            assert all(w in words for w in re.findall(r"\w+", sentence.lower())), sentence


def test_console_script_runs_without_stdout_noise(tmp_path):
    """The installed command, as cron would run it: -q prints nothing at all."""
    out = tmp_path / "cron.mp3"
    exe = Path(sys.executable).parent / "spacecast"
    proc = subprocess.run(
        [str(exe), "say", "Good morning.", "-o", str(out), "-q"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert (proc.stdout, proc.stderr) == ("", "")
    assert MP3(out).info.length > 0.5


def test_a_voice_lexicon_applies_to_that_voice_only(tmp_path):
    voices = tmp_path / "voices"
    voices.mkdir()
    for name in ("anchor", "correspondent"):
        (voices / f"{name}.toml").write_text((CHECKOUT_VOICES / f"{name}.toml").read_text())
    (voices / "anchor.lexicon.toml").write_text(
        '[words]\nZork = "a very long way of saying something quite different"\n'
    )
    sizes = {}
    for voice in ("anchor", "correspondent"):
        out = tmp_path / f"{voice}.wav"
        result = run("say", "Zork.", "-o", out, "--voices-dir", voices, "--voice", voice)
        assert result.exit_code == 0, result.stderr
        sizes[voice] = out.stat().st_size
    assert sizes["anchor"] > 3 * sizes["correspondent"]


def test_a_lexicon_for_an_unknown_voice_is_an_error(tmp_path):
    voices = tmp_path / "voices"
    voices.mkdir()
    for name in ("anchor", "correspondent"):
        (voices / f"{name}.toml").write_text((CHECKOUT_VOICES / f"{name}.toml").read_text())
    (voices / "anchr.lexicon.toml").write_text('[words]\nKairos = "Kyross"\n')
    result = run("say", "Hello.", "-o", tmp_path / "x.wav", "--voices-dir", voices)
    assert result.exit_code == 2
    assert "anchr.lexicon.toml" in result.stderr and "did you mean anchor?" in result.stderr


def test_two_minutes_of_twelve_stories_lands_and_names_what_was_left_out(tmp_path, generated):
    """The real voice and encoder: the most newsworthy stories that fit are read, the
    length holds, and what was left out is said on stderr and kept in the sidecar."""
    folder = generated(12)
    out = tmp_path / "briefing.mp3"
    result = run("build", folder, "--minutes", "2", "-o", out, "--cache-dir", tmp_path / "c")
    assert result.exit_code == 0, result.stderr
    assert 0.95 * 120 <= MP3(out).info.length <= 1.05 * 120
    record = json.loads((tmp_path / "briefing.episode.json").read_text())
    titles = [a.title for a in load_articles([str(folder)])]
    read, left_out = record["stories"], record["left_out"]
    assert 1 < len(read) < 12
    assert read + [s["title"] for s in left_out] == titles  # the first ones read, in order
    assert left_out[0]["source"] == str(folder / f"{len(read) + 1:03d}-article.txt")
    line = result.stderr.splitlines()[1]
    assert line.startswith(f"Left out {len(left_out)} of 12 stories to fit 2:00")
    assert f': "{left_out[0]["title"]}", ' in line
    named = sum(s["roundup"] for s in left_out)
    if named:
        assert f"({named} of them named in the round-up)" in line
