from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest

from spacecast.errors import InputError
from spacecast.models import LeftOutStory, Script, Segment
from spacecast.text.scriptfile import parse_json, parse_markdown, read_script, to_json, to_markdown

SCRIPT = Script(
    title="Spacecast",
    date=dt.date(2026, 11, 26),
    segments=(
        Segment("intro", "Welcome", "anchor", "Good morning.\n\nThree stories today."),
        Segment(
            "story",
            "Kairos rocket explodes",
            "correspondent",
            "Kairos rocket explodes.\n\nThe rocket was destroyed five seconds after liftoff.",
            source="https://example.com/kairos",
            source_sentences=("The rocket was destroyed 5 seconds after liftoff.",),
        ),
        Segment("transition", "Next story", "anchor", "Next."),
        Segment("outro", "Sign-off", "anchor", "Goodbye."),
    ),
)


def test_markdown_round_trip_keeps_what_is_spoken():
    back = parse_markdown(to_markdown(SCRIPT), "script.md")
    assert back.title == SCRIPT.title and back.date == SCRIPT.date
    assert [(s.kind, s.title, s.profile, s.text, s.source) for s in back.segments] == [
        (s.kind, s.title, s.profile, s.text, s.source) for s in SCRIPT.segments
    ]


def test_json_round_trip_is_complete():
    text = to_json(SCRIPT)
    data = json.loads(text)
    story = data["segments"][1]
    assert set(story) == {"kind", "title", "profile", "text", "source", "source_sentences"}
    assert story["source_sentences"] == ["The rocket was destroyed 5 seconds after liftoff."]
    assert parse_json(text, "s.json") == SCRIPT


def test_markdown_layout_is_what_the_readme_shows():
    text = to_markdown(SCRIPT)
    assert text.startswith("---\ntitle: Spacecast\ndate: 2026-11-26\n---\n\n## intro: Welcome\n")
    assert "## story: Kairos rocket explodes\nprofile: correspondent\n" in text
    assert "source: https://example.com/kairos\n\nKairos rocket explodes.\n\nThe rocket" in text


def test_an_edited_line_is_what_gets_spoken():
    text = to_markdown(SCRIPT).replace("five seconds", "about five seconds")
    back = parse_markdown(text, "script.md")
    assert back.segments[1].text.endswith("about five seconds after liftoff.")


def test_comments_and_prose_with_colons():
    text = (
        "---\ntitle: T\ndate: 2026-01-02\n---\n\n## story: A\nprofile: anchor\n"
        "<!-- checked by the editor -->\nUpdate: the launch slipped a day.\n"
    )
    script = parse_markdown(text, "s.md")
    assert script.segments[0].text == "Update: the launch slipped a day."


LEFT_OUT = (
    LeftOutStory("Rail strike goes ahead", "https://example.com/rail", roundup=True),
    LeftOutStory("Ferry timetable changes", "news/ferry.txt"),
    LeftOutStory("Library opens", None),
)


def test_markdown_lists_the_stories_left_out_in_the_front_matter():
    script = replace(SCRIPT, left_out=LEFT_OUT)
    text = to_markdown(script)
    assert text.startswith(
        "---\ntitle: Spacecast\ndate: 2026-11-26\n"
        "roundup: Rail strike goes ahead <https://example.com/rail>\n"
        "left_out: Ferry timetable changes <news/ferry.txt>\n"
        "left_out: Library opens\n---\n"
    )
    assert parse_markdown(text, "s.md").left_out == LEFT_OUT


def test_json_lists_the_stories_left_out():
    script = replace(SCRIPT, left_out=LEFT_OUT)
    text = to_json(script)
    assert json.loads(text)["left_out"][0] == {
        "title": "Rail strike goes ahead",
        "source": "https://example.com/rail",
        "roundup": True,
    }
    assert parse_json(text, "s.json") == script
    assert "left_out" not in json.loads(to_json(SCRIPT))
    bad = json.loads(text)
    bad["left_out"][1]["roundup"] = "yes"
    with pytest.raises(InputError) as caught:
        parse_json(json.dumps(bad), "s.json")
    assert str(caught.value) == "s.json: left_out[1].roundup: expected true or false"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: T\n", "s.md: line 1: the script must start with '---' front matter"),
        (
            "---\ntitle: T\ndate: 2026-01-02\n",
            "s.md: line 1: front matter is not closed with '---'",
        ),
        ("---\ntitle: T\ndate: soon\n---\n", "s.md: front matter: date: 'soon' is not a date"),
        ("---\ndate: 2026-01-02\n---\n", "s.md: front matter: missing 'title'"),
        (
            "---\ntitle: T\ndate: 2026-01-02\n---\n\n## stroy: A\nprofile: anchor\n\nHi.\n",
            "s.md: line 6: unknown segment kind 'stroy': "
            "use one of intro, story, transition, handover, handback, roundup, outro",
        ),
        (
            "---\ntitle: T\ndate: 2026-01-02\n---\n\nHello\n",
            "s.md: line 6: text before the first segment",
        ),
        (
            "---\ntitle: T\ndate: 2026-01-02\n---\n\n## story A\n",
            "s.md: line 6: expected '## kind: title' here",
        ),
        (
            "---\ntitle: T\ndate: 2026-01-02\n---\n\n## story: A\nprofile: anchor\n"
            "voise: x\n\nHi.\n",
            "s.md: line 8: unknown field 'voise'",
        ),
        (
            "---\ntitle: T\ndate: 2026-01-02\n---\n\n## story: A\nprofile: anchor\n\n",
            "s.md: line 6: segment 'A' has no text to speak",
        ),
        (
            "---\ntitle: T\ndate: 2026-01-02\n---\n\n## story: A\n\nHi there.\n",
            "s.md: line 6: segment 'A' has no 'profile:' line",
        ),
        ("---\ntitle: T\ndate: 2026-01-02\n---\n", "s.md: the script has no segments"),
    ],
)
def test_markdown_errors_name_the_line(text: str, message: str):
    with pytest.raises(InputError) as caught:
        parse_markdown(text, "s.md")
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ('{"title": "T",\n "date": 2026}', "s.json: date: expected a string"),
        ('{"title": "T",\n "date": "2026-01-02",\n}', "s.json: line 3: Expecting property name"),
        (
            '{"title": "T", "date": "2026-01-02", "segments": [{"kind": "story"}]}',
            "s.json: segments[0].title: expected a string",
        ),
        (
            '{"title": "T", "date": "2026-01-02", "segments": [{"kind": "song", "title": "A",'
            ' "profile": "v", "text": "x"}]}',
            "s.json: segments[0].kind: unknown segment kind 'song'",
        ),
        (
            '{"title": "T", "date": "2026-01-02", "segments": [{"kind": "story", "title": "A",'
            ' "profile": "v", "text": "x", "mood": 1}]}',
            "s.json: segments[0]: unknown key 'mood'",
        ),
    ],
)
def test_json_errors_name_the_place(data: str, message: str):
    with pytest.raises(InputError) as caught:
        parse_json(data, "s.json")
    assert str(caught.value).startswith(message)


def test_read_script_picks_the_format_by_extension(tmp_path: Path):
    (tmp_path / "a.json").write_text(to_json(SCRIPT))
    (tmp_path / "a.md").write_text(to_markdown(SCRIPT))
    assert read_script(tmp_path / "a.json") == SCRIPT
    assert read_script(tmp_path / "a.md").segments[1].text == SCRIPT.segments[1].text
    with pytest.raises(InputError, match="no such script file"):
        read_script(tmp_path / "missing.md")


def test_a_story_without_a_headline_round_trips_through_both_formats():
    from spacecast.text.article import Article
    from spacecast.text.compose import compose

    lead = "The ferry to the island ran again on Friday after a week of storms."
    article = Article(
        source="ferry.txt",
        title="",
        paragraphs=(lead, "Crews checked the hull and the ramps before the first crossing."),
    )
    script = compose([article], date=dt.date(2026, 11, 26), story_words=200)
    story = next(s for s in script.segments if s.kind == "story")
    assert story.title == "The ferry to the island ran again on Friday after a week…"
    assert story.text.startswith(lead)  # no headline, and the lead is said once
    for back in (
        parse_markdown(to_markdown(script), "script.md"),
        parse_json(to_json(script), "script.json"),
    ):
        again = next(s for s in back.segments if s.kind == "story")
        assert (again.title, again.text) == (story.title, story.text)


def test_scripts_of_earlier_versions_still_read():
    # Earlier versions wrote a segment's voice profile as ``voice``.
    markdown = "---\ntitle: T\ndate: 2026-01-02\n---\n\n## story: A\nvoice: anchor\n\nHi there.\n"
    assert parse_markdown(markdown, "s.md").segments[0].profile == "anchor"
    data = (
        '{"title": "T", "date": "2026-01-02", "segments": [{"kind": "story", "title": "A",'
        ' "voice": "anchor", "text": "Hi there."}]}'
    )
    assert parse_json(data, "s.json").segments[0].profile == "anchor"
    assert "profile: anchor\n" in to_markdown(parse_markdown(markdown, "s.md"))
