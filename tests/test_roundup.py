"""The round-up: the anchor names the headlines of stories left out to fit the length."""

from __future__ import annotations

import datetime as dt

from spacecast.models import LeftOutStory
from spacecast.text.article import Article
from spacecast.text.compose import (
    Phrases,
    ShowFormat,
    compose,
    placeholder_problem,
    roundup_headline,
)

DATE = dt.date(2026, 11, 26)
TWO_HOST = ShowFormat(
    style="two-host", speakers={"anchor": "Alex", "correspondent": "Sam"}, show="Morning Orbit"
)


def article(n: int) -> Article:
    body = (
        f"Story number {n} began on Monday when the ferry crew met in the harbour office. ",
        "The crew talked about the new timetable for several hours before agreeing. ",
    )
    return Article(
        source=f"story{n}.txt",
        title=f"Harbour story {n}",
        paragraphs=tuple(body),
        url=f"https://example.com/{n}" if n % 2 else None,
    )


def test_the_roundup_names_left_out_headlines_before_the_sign_off():
    script = compose(
        [article(1), article(2)],
        date=DATE,
        story_words=500,
        left_out=[article(3), article(4), article(5)],
        roundup=2,
    )
    kinds = [s.kind for s in script.segments]
    assert kinds == ["intro", "story", "transition", "story", "roundup", "outro"]
    roundup = script.segments[4]
    assert (roundup.title, roundup.profile) == ("Also today", "anchor")
    assert roundup.text == "Also today: Harbour story three; and Harbour story four."
    assert "Today, two stories." in script.segments[0].text  # the stories read
    assert script.left_out == (
        LeftOutStory("Harbour story 3", "https://example.com/3", roundup=True),
        LeftOutStory("Harbour story 4", "story4.txt", roundup=True),
        LeftOutStory("Harbour story 5", "https://example.com/5", roundup=False),
    )


def test_roundup_lists_read_as_a_listener_expects():
    def said(count: int) -> str:
        left = [article(n) for n in range(2, 2 + count)]
        script = compose([article(1)], date=DATE, story_words=500, left_out=left, roundup=count)
        return next(s.text for s in script.segments if s.kind == "roundup")

    assert said(1) == "Also today: Harbour story two."
    assert said(3) == (
        "Also today: Harbour story two; Harbour story three; and Harbour story four."
    )


def test_roundup_phrase_is_a_template_and_empty_means_none():
    left = [article(2), article(3)]
    show = ShowFormat(phrases=Phrases(roundup="{anchor} has more: {headlines}. That's all."))
    script = compose([article(1)], date=DATE, story_words=500, show=show, left_out=left, roundup=1)
    assert script.segments[-2].text == "anchor has more: Harbour story two. That's all."
    silent = ShowFormat(phrases=Phrases(roundup=""))
    script = compose(
        [article(1)], date=DATE, story_words=500, show=silent, left_out=left, roundup=2
    )
    assert [s.kind for s in script.segments] == ["intro", "story", "outro"]
    assert [s.roundup for s in script.left_out] == [False, False]
    assert [s.title for s in script.left_out] == ["Harbour story 2", "Harbour story 3"]


def test_the_roundup_skips_stories_without_a_headline():
    untitled = Article(source="untitled.txt", title="", paragraphs=("A ferry sank.",))
    script = compose(
        [article(1)], date=DATE, story_words=500, left_out=[untitled, article(2)], roundup=1
    )
    assert script.segments[-2].text == "Also today: Harbour story two."
    assert [s.roundup for s in script.left_out] == [False, True]


def test_the_roundup_says_the_headline_as_a_headline():
    def titled(title: str) -> Article:
        return Article(source="x.txt", title=title, paragraphs=("Text.",))

    assert (
        roundup_headline(titled("\u201cNo-one can define the ban\u201d"))
        == "No-one can define the ban"
    )
    assert roundup_headline(titled("Rail strike ends!")) == "Rail strike ends"
    assert roundup_headline(titled(" ")) is None


def test_two_host_roundup_follows_the_last_story():
    script = compose(
        [article(1), article(2)],
        date=DATE,
        story_words=500,
        show=TWO_HOST,
        left_out=[article(3)],
        roundup=1,
    )
    said = [(s.kind, s.profile) for s in script.segments]
    assert said[-3:] == [("story", "correspondent"), ("roundup", "anchor"), ("outro", "anchor")]
    assert script.segments[-2].text == "Also today: Harbour story three."


def test_roundup_placeholders():
    assert placeholder_problem("roundup", "In brief: {headlines}.") is None
    assert placeholder_problem("roundup", "{headline}.") == (
        "unknown placeholder {headline} (this phrase can use: {anchor}, {headlines}, {show})"
    )
