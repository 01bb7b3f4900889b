"""Transcripts, chapters and show notes from a timeline's chapters."""

from __future__ import annotations

import json

from spacecast.models import PlacedSegment, TimedSentence
from spacecast.publish.chapters import chapter_marks, chapters_json
from spacecast.publish.notes import clock, notes_html, notes_markdown
from spacecast.publish.transcript import MAX_CUE_CHARS, plain_text, srt, webvtt


def timeline() -> tuple[PlacedSegment, ...]:
    def s(text, start, end, speaker):
        return TimedSentence(text=text, start=start, end=end, speaker=speaker)

    return (
        PlacedSegment(
            "intro", "Welcome", 0.0, 6.0, None, (s("Good morning.", 3.0, 4.2, "anchor"),)
        ),
        PlacedSegment(
            "story",
            "Rocket <explodes> & burns",
            6.0,
            20.0,
            "https://example.com/kairos",
            (
                s("Rocket explodes.", 6.0, 7.5, "correspondent"),
                s("It was destroyed after five seconds.", 8.0, 11.0, "correspondent"),
            ),
        ),
        PlacedSegment(
            "transition", "Next story", 20.0, 22.0, None, (s("Next.", 21.0, 21.5, "anchor"),)
        ),
        PlacedSegment(
            "story",
            "Library opens",
            22.0,
            3700.0,
            "seeds/b.txt",
            (s("Library opens.", 22.0, 3699.5, "correspondent"),),
        ),
        PlacedSegment(
            "outro", "Sign-off", 3700.0, 3710.0, None, (s("Goodbye.", 3700, 3701, "anchor"),)
        ),
    )


def test_chapter_marks_drop_transitions_and_tile_the_episode():
    marks = chapter_marks(timeline(), duration=3715.0)
    assert [(m.kind, m.start, m.end) for m in marks] == [
        ("intro", 0.0, 6.0),
        ("story", 6.0, 22.0),
        ("story", 22.0, 3700.0),
        ("outro", 3700.0, 3715.0),
    ]
    assert marks[1].url == "https://example.com/kairos"
    assert marks[2].url is None  # a file path is not a link


def test_chapters_json_is_podcasting_2_0():
    data = json.loads(chapters_json(chapter_marks(timeline(), 3715.0)))
    assert data["version"] == "1.2.0"
    assert data["chapters"][1] == {
        "startTime": 6.0,
        "endTime": 22.0,
        "title": "Rocket <explodes> & burns",
        "url": "https://example.com/kairos",
    }


def test_webvtt_cues_name_the_speaker_and_escape():
    text = webvtt(timeline())
    assert text.startswith("WEBVTT\n\n1\n00:00:03.000 --> 00:00:04.200\n<v anchor>Good morning.\n")
    assert "01:01:39.500" in text  # an hour in, exact to the millisecond
    assert "<v correspondent>Library opens." in text


def test_srt_uses_commas_and_no_voice_tags():
    text = srt(timeline())
    assert text.startswith("1\n00:00:03,000 --> 00:00:04,200\nGood morning.\n\n2\n")
    assert "<v" not in text


def test_long_sentences_become_several_cues_in_order():
    long = "word " * 60
    chapters = (
        PlacedSegment(
            "story", "Long", 0, 30, None, (TimedSentence(long.strip(), 10.0, 40.0, "anchor"),)
        ),
    )
    lines = [line for line in srt(chapters).splitlines() if "-->" in line]
    assert len(lines) == 3
    assert lines[0].startswith("00:00:10,000") and lines[-1].endswith("00:00:40,000")
    cues = [line for line in srt(chapters).splitlines() if line.startswith("word")]
    assert all(len(cue) <= MAX_CUE_CHARS for cue in cues)
    assert " ".join(cues) == long.strip()


def test_plain_text_is_the_spoken_words():
    assert plain_text(timeline()).startswith(
        "Good morning.\n\nRocket explodes. It was destroyed after five seconds.\n\nNext.\n\n"
    )


def test_show_notes_list_stories_with_times_and_links():
    marks = chapter_marks(timeline(), 3715.0)
    md = notes_markdown("Spacecast – Thursday", "Spacecast for Thursday.", marks)
    assert "- 0:06 Rocket <explodes> & burns ([source](https://example.com/kairos))" in md
    assert "- 0:22 Library opens\n" in md
    page = notes_html("Spacecast – Thursday", "Spacecast for Thursday.", marks)
    assert "Rocket &lt;explodes&gt; &amp; burns" in page
    assert '<a href="https://example.com/kairos">source</a>' in page
    assert clock(3725) == "1:02:05"
