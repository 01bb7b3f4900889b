"""The script around the stories: greeting, links, sign-off, voices and the length budget."""

from __future__ import annotations

import datetime as dt

from spacecast.compose import Phrases, ShowFormat, compose, placeholder_problem
from spacecast.condense import word_count
from spacecast.models import Article

DATE = dt.date(2026, 11, 26)


def article(n: int) -> Article:
    body = (
        f"Story number {n} began on Monday when the council met in the town hall. ",
        "Members debated the plan for several hours before voting. ",
        "The result surprised many residents who had followed the debate closely. ",
    )
    return Article(
        source=f"story{n}.txt",
        title=f"Council story {n}",
        paragraphs=tuple(body),
        url=f"https://example.com/{n}" if n % 2 else None,
    )


def test_briefing_shape_and_voices():
    script = compose([article(1), article(2), article(3)], date=DATE, story_words=500)
    kinds = [s.kind for s in script.segments]
    assert kinds == ["intro", "story", "transition", "story", "transition", "story", "outro"]
    voices = {s.kind: s.voice for s in script.segments}
    assert voices == {
        "intro": "anchor",
        "story": "correspondent",
        "transition": "anchor",
        "outro": "anchor",
    }
    assert script.title == "Spacecast" and script.date == DATE


def test_greeting_names_show_and_date_and_outro_signs_off():
    show = ShowFormat(show="Morning Orbit")
    script = compose([article(1), article(2)], date=DATE, story_words=500, show=show)
    greeting = script.segments[0].text
    assert "This is Morning Orbit" in greeting
    assert "Thursday, November twenty-sixth, twenty twenty-six" in greeting
    assert "Today, two stories." in greeting
    assert "Morning Orbit" in script.segments[-1].text


def test_story_starts_with_its_headline_and_credits_its_source():
    script = compose([article(1), article(2)], date=DATE, story_words=500)
    first, second = (s for s in script.segments if s.kind == "story")
    assert first.text.startswith("Council story one.\n\n")
    assert first.title == "Council story 1"
    assert first.source == "https://example.com/1"
    assert second.source == "story2.txt"  # no URL: the file it came from
    assert first.source_sentences[0].startswith("Story number 1 began")


def test_last_link_says_finally():
    script = compose([article(n) for n in range(1, 5)], date=DATE, story_words=900)
    links = [s.text for s in script.segments if s.kind == "transition"]
    assert len(links) == 3 and links[-1] == Phrases().last_link
    assert len(set(links)) == 3


def test_budget_is_shared_and_every_story_keeps_a_sentence():
    script = compose([article(n) for n in range(1, 4)], date=DATE, story_words=20)
    stories = [s for s in script.segments if s.kind == "story"]
    assert all(len(s.source_sentences) >= 1 for s in stories)
    roomy = compose([article(n) for n in range(1, 4)], date=DATE, story_words=1000)
    assert sum(word_count(" ".join(s.source_sentences)) for s in roomy.segments) > sum(
        word_count(" ".join(s.source_sentences)) for s in script.segments
    )


# --- two hosts -------------------------------------------------------------------------------

TWO_HOST = ShowFormat(
    style="two-host", speakers={"anchor": "Alex", "correspondent": "Sam"}, show="Morning Orbit"
)


def test_two_host_anchor_introduces_each_story_and_hands_over_by_name():
    script = compose([article(n) for n in range(1, 4)], date=DATE, story_words=500, show=TWO_HOST)
    kinds = [s.kind for s in script.segments]
    assert kinds == ["intro", *["handover", "story"] * 3, "outro"]
    handovers = [s for s in script.segments if s.kind == "handover"]
    assert [h.text for h in handovers] == [
        "First. Council story one. Sam has the story.",
        "Next. Council story two. Sam has the story.",
        "And finally. Council story three. Sam has the story.",
    ]
    assert {h.voice for h in handovers} == {"anchor"}
    # The handover carries the story's title and link, so its chapter is the story's.
    assert (
        handovers[0].title == "Council story 1" and handovers[0].source == "https://example.com/1"
    )
    # The reader does not repeat the headline the anchor has just said.
    first_story = script.segments[2]
    assert first_story.voice == "correspondent"
    assert first_story.text.startswith("Story number one began")


def test_two_host_phrasing_and_order_are_configurable():
    phrases = Phrases(
        greeting="Hello from {show}. I'm {anchor}.",
        first_link="",
        links=("Now.",),
        handover="{link} Here's {correspondent}.",
        hand_back="Thanks, {correspondent}.",
        sign_off="Goodbye from {anchor}.",
    )
    show = ShowFormat(
        style="two-host",
        correspondents=("correspondent", "reporter"),
        phrases=phrases,
        speakers={"anchor": "Alex", "correspondent": "Sam", "reporter": "Jo"},
    )
    script = compose([article(n) for n in range(1, 4)], date=DATE, story_words=500, show=show)
    said = [(s.kind, s.voice, s.text.split("\n\n")[0]) for s in script.segments]
    assert said == [
        ("intro", "anchor", "Hello from Spacecast. I'm Alex."),
        ("handover", "anchor", "Here's Sam."),
        ("story", "correspondent", "Council story one."),  # no {headline}: the reader says it
        ("handback", "anchor", "Thanks, Sam."),
        ("handover", "anchor", "Now. Here's Jo."),
        ("story", "reporter", "Council story two."),
        ("handback", "anchor", "Thanks, Jo."),
        ("handover", "anchor", "And finally. Here's Sam."),
        ("story", "correspondent", "Council story three."),
        ("handback", "anchor", "Thanks, Sam."),
        ("outro", "anchor", "Goodbye from Alex."),
    ]


def test_two_host_story_read_by_the_anchor_has_no_handover_to_itself():
    show = ShowFormat(style="two-host", correspondents=("correspondent", "anchor"))
    script = compose([article(n) for n in range(1, 3)], date=DATE, story_words=500, show=show)
    kinds = [(s.kind, s.voice) for s in script.segments]
    assert kinds == [
        ("intro", "anchor"),
        ("handover", "anchor"),
        ("story", "correspondent"),
        ("transition", "anchor"),
        ("story", "anchor"),
        ("outro", "anchor"),
    ]
    assert script.segments[4].text.startswith("Council story two.")


def test_bulletin_without_a_sign_off_ends_on_the_last_story():
    script = compose(
        [article(1)], date=DATE, story_words=500, show=ShowFormat(phrases=Phrases(sign_off=""))
    )
    assert [s.kind for s in script.segments] == ["intro", "story"]


def test_placeholder_problems_name_what_each_phrase_can_use():
    assert placeholder_problem("handover", "{link} {headline}. {correspondent}.") is None
    problem = placeholder_problem("sign_off", "Bye from {correspondent}.")
    assert problem == "unknown placeholder {correspondent} (this phrase can use: {anchor}, {show})"
    assert "brace" in placeholder_problem("greeting", "Hello {show")
