"""Writing the script: condensed stories plus the anchor's greeting, links and sign-off."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from .condense import CondensedStory, condense_all
from .models import Article, Script, Segment
from .speakable import speakable

# Said over the transition stinger before each story after the first; the last link differs.
LINKS = ("Next.", "In other news.", "Also today.", "Turning to another story.")
LAST_LINK = "And finally."
# Headlines in quotation marks ("'No-one can define new hunt ban'") are read without them.
QUOTES = " \"'\u2018\u2019\u201c\u201d"
NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


@dataclass(frozen=True)
class ShowFormat:
    """Who says what, and the words around the stories."""

    show: str = "Spacecast"
    anchor: str = "anchor"
    """Voice profile for the greeting, links and sign-off."""
    correspondent: str = "correspondent"
    """Voice profile for the stories."""


def greeting(show: str, date: dt.date, story_count: int) -> str:
    day = f"{date:%A}, {date:%B} {date.day}, {date.year}"
    count = NUMBER_WORDS[story_count] if story_count < len(NUMBER_WORDS) else str(story_count)
    stories = "story" if story_count == 1 else "stories"
    return f"Good morning. This is {show}, your news briefing for {day}.\n\n" + (
        f"Today, {count} {stories}."
    )


def sign_off(show: str) -> str:
    return f"That's the briefing for today. You've been listening to {show}. Thanks for listening."


def story_segment(story: CondensedStory, voice: str) -> Segment:
    """A story read aloud: its headline, then the chosen sentences with their paragraphs."""
    paragraphs: list[list[str]] = []
    last = None
    for sentence, paragraph in zip(story.sentences, story.paragraph_of, strict=True):
        if paragraph != last:
            paragraphs.append([])
            last = paragraph
        paragraphs[-1].append(sentence)
    headline = story.article.title.strip(QUOTES).rstrip(".!?") + "."
    body = "\n\n".join(" ".join(group) for group in paragraphs)
    return Segment(
        kind="story",
        title=story.article.title,
        voice=voice,
        text=speakable(f"{headline}\n\n{body}"),
        source=story.article.url or story.article.source,
        source_sentences=story.sentences,
    )


def compose(
    articles: Sequence[Article],
    *,
    date: dt.date,
    story_words: int,
    show: ShowFormat = ShowFormat(),
) -> Script:
    """The whole briefing in words, ready to edit or to speak."""
    stories = condense_all(articles, story_words)
    segments = [
        Segment("intro", "Welcome", show.anchor, speakable(greeting(show.show, date, len(stories))))
    ]
    for index, story in enumerate(stories):
        if index:
            link = (
                LAST_LINK
                if index == len(stories) - 1 and index > 1
                else LINKS[(index - 1) % len(LINKS)]
            )
            segments.append(Segment("transition", "Next story", show.anchor, link))
        segments.append(story_segment(story, show.correspondent))
    segments.append(Segment("outro", "Sign-off", show.anchor, speakable(sign_off(show.show))))
    return Script(title=show.show, date=date, segments=tuple(segments))
