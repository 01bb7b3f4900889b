"""A real seed build read back as podcast apps read it: ID3 chapters and art, the chapters
file, transcripts, show notes, the feed (two real parsers) and where speech really starts."""

from __future__ import annotations

import email.utils
import json
from array import array
from pathlib import Path

import feedparser
import podcastparser
import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3
from PIL import Image

from spacecast.audio.ffmpeg import run_ffmpeg
from spacecast.publish.episode import complete_records, sidecar_path

BASE = "https://example.com/pod/"


# A real build, read back as podcast apps read it: the slow tests.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(seed_build):
    out, *_ = seed_build
    folder = out.parent
    record = complete_records(folder)[0]
    return out, folder, record


def id3_chapters(path: Path) -> list[tuple[float, float, str, str | None]]:
    tags = ID3(path)
    chapters = []
    for frame in tags.getall("CHAP"):
        title = str(frame.sub_frames["TIT2"])
        links = frame.sub_frames.getall("WXXX")
        chapters.append(
            (frame.start_time / 1000, frame.end_time / 1000, title, links[0].url if links else None)
        )
    return sorted(chapters)  # mutagen keeps frames in size order, not time order


def test_id3_chapters_have_a_toc_titles_and_links(built):
    out, _, record = built
    tags = ID3(out)
    (toc,) = tags.getall("CTOC")
    assert toc.flags & 0x03 == 0x03  # top level, ordered
    chapters = id3_chapters(out)
    assert len(toc.child_element_ids) == len(chapters) == len(record.chapters)
    kinds = [m.kind for m in record.chapters]
    assert kinds[0] == "intro" and kinds[-1] == "outro" and kinds.count("story") == 4
    assert chapters[1][2] == "Japan's first private orbital rocket explodes seconds after liftoff"
    assert chapters[1][3] == "https://example.com/spacecast/kairos"
    assert chapters[0][0] == 0
    assert chapters[-1][1] == pytest.approx(MP3(out).info.length, abs=0.1)


def test_chapters_agree_three_ways(built):
    out, folder, record = built
    in_mp3 = id3_chapters(out)
    in_json = json.loads((folder / record.files.chapters).read_text())["chapters"]
    feed = podcastparser.parse(BASE + "feed.xml", (folder / "feed.xml").open("rb"))
    (episode,) = feed["episodes"]
    assert episode["chapters_json_url"] == BASE + record.files.chapters
    assert len(in_mp3) == len(in_json) == len(record.chapters)
    for (start, end, title, url), item, mark in zip(in_mp3, in_json, record.chapters, strict=True):
        assert abs(start - item["startTime"]) <= 0.05 and abs(start - mark.start) <= 0.05
        assert abs(end - item["endTime"]) <= 0.05
        assert title == item["title"] == mark.title
        assert url == item.get("url") == mark.url


def _decoded_pcm(path: Path, rate: int = 8000) -> array:
    raw = run_ffmpeg(
        ["-i", str(path), "-f", "s16le", "-ac", "1", "-ar", str(rate), "pipe:1"], what="decode"
    )
    samples = array("h")
    samples.frombytes(raw)
    return samples


def test_story_chapters_start_where_their_speech_starts(built):
    """Silence just before each story's chapter start, speech within 50 ms after it."""
    out, _, record = built
    rate = 8000
    samples = _decoded_pcm(out, rate)

    def level(start: float, end: float) -> int:
        return max(abs(x) for x in samples[int(start * rate) : int(end * rate)])

    for mark in (m for m in record.chapters if m.kind == "story"):
        assert level(mark.start - 0.25, mark.start - 0.05) < 300, mark.title
        assert level(mark.start, mark.start + 0.05) > 1000, mark.title


def test_transcripts_are_timed_to_the_audio(built):
    out, folder, record = built
    vtt = (folder / record.files.vtt).read_text()
    srt = (folder / record.files.srt).read_text()
    text = (folder / record.files.text).read_text()
    assert vtt.startswith("WEBVTT\n")
    assert "<v Sam>" in vtt and "<v Alex>" in vtt  # the voices' on-air names
    cues = [line for line in vtt.splitlines() if "-->" in line]
    assert len(cues) == len([line for line in srt.splitlines() if "-->" in line]) > 20
    last_end = cues[-1].split(" --> ")[1]
    h, m, s = last_end.split(":")
    assert int(h) * 3600 + int(m) * 60 + float(s) <= MP3(out).info.length
    assert "Space One" in text


def test_show_notes_list_stories_with_times_and_links(built):
    _, folder, record = built
    notes = (folder / record.files.notes_md).read_text()
    story = next(m for m in record.chapters if m.kind == "story")
    minutes, seconds = divmod(int(story.start), 60)
    assert f"- {minutes}:{seconds:02d} {story.title} ([source]({story.url}))" in notes
    assert story.title.replace("'", "&#x27;") in (folder / record.files.notes_html).read_text()


def test_cover_art_is_embedded_and_referenced(built):
    out, folder, record = built
    (apic,) = ID3(out).getall("APIC")
    assert apic.mime == "image/jpeg" and apic.type == 3
    assert apic.data == (folder / "cover.jpg").read_bytes()
    with Image.open(folder / "cover.jpg") as image:
        assert image.mode == "RGB" and image.size[0] == image.size[1] >= 1400
    assert record.files.cover == "cover.jpg"


def test_feed_in_both_podcast_parsers(built):
    out, folder, record = built
    raw = (folder / "feed.xml").read_bytes()
    pp = podcastparser.parse(BASE + "feed.xml", (folder / "feed.xml").open("rb"))
    fp = feedparser.parse(raw)
    assert fp.bozo == 0
    assert pp["title"] == fp.feed.title == "Spacecast"
    assert pp["cover_url"] == BASE + "cover.jpg"
    (episode,) = pp["episodes"]
    (entry,) = fp.entries
    size = out.stat().st_size
    assert episode["enclosures"][0] == {
        "url": BASE + "briefing.mp3",
        "file_size": size,
        "mime_type": "audio/mpeg",
    }
    assert int(entry.enclosures[0].length) == size
    assert episode["guid"] == entry.id == record.guid
    assert episode["title"] == "Spacecast – Thursday 26 November 2026"
    assert episode["total_time"] == round(MP3(out).info.length)
    assert episode["transcript_url"] == BASE + record.files.vtt
    published = email.utils.parsedate_to_datetime(entry.published)
    assert published == record.published
    assert ID3(out)["TGID"].text[0] == record.guid
    assert ID3(out)["WFED"].url == BASE + "feed.xml"


def test_sidecar_records_loudness_and_size(built):
    out, _, _ = built
    data = json.loads(sidecar_path(out).read_text())
    assert data["audio_bytes"] == out.stat().st_size
    assert data["duration"] == round(MP3(out).info.length, 3)  # what players show
    assert -17 <= data["integrated_lufs"] <= -15 and data["true_peak_dbtp"] <= -1.0
    assert (out.parent / "index.html").is_file()


def test_lufs_target_is_configurable(tmp_path, articles):
    from click.testing import CliRunner

    from spacecast.audio.loudness import measure
    from spacecast.cli import cli

    out = tmp_path / "quiet.mp3"
    result = CliRunner().invoke(
        cli,
        ["build", str(articles), "-o", str(out), "--lufs", "-20", "--no-cache", "--minutes", "1"],
    )
    assert result.exit_code == 0, result.stderr
    loudness = measure(out)
    assert -21 <= loudness.integrated <= -19 and loudness.true_peak <= -1.0
