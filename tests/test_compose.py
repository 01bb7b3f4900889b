"""The script around the stories: greeting, links, sign-off, voices and the length budget."""

from __future__ import annotations

import datetime as dt

from spacecast.compose import LAST_LINK, ShowFormat, compose
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
    assert len(links) == 3 and links[-1] == LAST_LINK
    assert len(set(links)) == 3


def test_budget_is_shared_and_every_story_keeps_a_sentence():
    script = compose([article(n) for n in range(1, 4)], date=DATE, story_words=20)
    stories = [s for s in script.segments if s.kind == "story"]
    assert all(len(s.source_sentences) >= 1 for s in stories)
    roomy = compose([article(n) for n in range(1, 4)], date=DATE, story_words=1000)
    assert sum(word_count(" ".join(s.source_sentences)) for s in roomy.segments) > sum(
        word_count(" ".join(s.source_sentences)) for s in script.segments
    )
