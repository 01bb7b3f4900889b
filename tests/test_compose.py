"""The script around the stories: greeting, links, sign-off, voices and the length budget."""

from __future__ import annotations

import datetime as dt

from spacecast.text.article import Article
from spacecast.text.compose import Phrases, ShowFormat, compose, placeholder_problem
from spacecast.text.condense import word_count

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
    voices = {s.kind: s.profile for s in script.segments}
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
    assert {h.profile for h in handovers} == {"anchor"}
    # The handover carries the story's title and link, so its chapter is the story's.
    assert (
        handovers[0].title == "Council story 1" and handovers[0].source == "https://example.com/1"
    )
    # The reader does not repeat the headline the anchor has just said.
    first_story = script.segments[2]
    assert first_story.profile == "correspondent"
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
    said = [(s.kind, s.profile, s.text.split("\n\n")[0]) for s in script.segments]
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
    kinds = [(s.kind, s.profile) for s in script.segments]
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


# --- stories without a headline ------------------------------------------------------------

LEAD = (
    "The valley railway reopened on Monday after a landslide closed it for six weeks, "
    "the operator said."
)
REST = (
    "Engineers built a new retaining wall and replaced a long stretch of the track. "
    "Passengers on the first train cheered as it crossed the embankment."
)


def headless(title: str = "") -> Article:
    return Article(source="railway.txt", title=title, paragraphs=(LEAD, REST))


def test_a_story_without_a_headline_starts_with_its_lead_said_once():
    script = compose([article(1), headless()], date=DATE, story_words=500)
    story = [s for s in script.segments if s.kind == "story"][1]
    assert story.text.startswith("The valley railway reopened on Monday after a landslide")
    assert story.text.count("The valley railway reopened") == 1
    # Chapters and notes still have a name for it.
    assert story.title == "The valley railway reopened on Monday after a landslide closed it…"


def test_a_headline_that_only_repeats_the_lead_is_not_said():
    # Feeds often title an entry with its first sentence cut short.
    for title in (
        "The valley railway reopened on Monday after a landslide…",
        "The valley railway reopened on Monday after a landslide closed it for six weeks",
    ):
        script = compose([headless(title)], date=DATE, story_words=500)
        story = next(s for s in script.segments if s.kind == "story")
        assert story.text.startswith("The valley railway reopened on Monday")
        assert story.text.count("The valley railway reopened") == 1
        assert story.title == title
    # A headline of its own is still said, even when it shares words with the lead.
    script = compose([headless("Valley railway reopens")], date=DATE, story_words=500)
    story = next(s for s in script.segments if s.kind == "story")
    assert story.text.startswith("Valley railway reopens.\n\nThe valley railway reopened")


def test_two_host_handover_without_a_headline_names_only_the_reader():
    script = compose(
        [article(1), headless(), article(3)], date=DATE, story_words=500, show=TWO_HOST
    )
    handovers = [s.text for s in script.segments if s.kind == "handover"]
    assert handovers == [
        "First. Council story one. Sam has the story.",
        "Next. Sam has the story.",
        "And finally. Council story three. Sam has the story.",
    ]
    story = script.segments[4]
    assert story.kind == "story" and story.text.startswith("The valley railway reopened")


def test_two_host_phrases_for_a_story_without_a_headline_are_configurable():
    phrases = Phrases(
        handover="{link} {headline}: over to {correspondent}.",
        handover_no_headline="{link} Over to {correspondent}.",
        hand_back="Thanks, {correspondent}, for the story on {headline}.",
    )
    show = ShowFormat(style="two-host", phrases=phrases, speakers={"correspondent": "Sam"})
    script = compose([headless(), article(2)], date=DATE, story_words=500, show=show)
    said = [(s.kind, s.text.split("\n\n")[0]) for s in script.segments[1:-1]]
    assert said == [
        ("handover", "First. Over to Sam."),
        ("story", LEAD.replace(", the operator said.", ".")),  # the attribution is not read
        # No hand-back naming a headline the story does not have.
        ("handover", "Next. Council story two: over to Sam."),
        ("story", "Story number two began on Monday when the council met in the town hall."),
        ("handback", "Thanks, Sam, for the story on Council story two."),
    ]
    # A handover without {headline} serves every story; the reader says a real headline.
    show = ShowFormat(style="two-host", phrases=Phrases(handover="{link} Here's {correspondent}."))
    script = compose([headless(), article(2)], date=DATE, story_words=500, show=show)
    stories = [s.text for s in script.segments if s.kind == "story"]
    assert stories[0].startswith(LEAD[:30]) and stories[1].startswith("Council story two.")


def test_handover_no_headline_cannot_name_the_headline():
    assert placeholder_problem("handover_no_headline", "{link} {correspondent}.") is None
    assert placeholder_problem("handover_no_headline", "{headline}. {correspondent}.") == (
        "unknown placeholder {headline} (this phrase can use: {anchor}, {correspondent}, "
        "{link}, {show})"
    )
