"""Writing the script: condensed stories plus the anchor's greeting, links and sign-off.

Two styles of show:

- ``bulletin`` (the default): the anchor greets, says a short link ("In other news.") over
  the transition stinger before each story after the first, and signs off; the
  correspondent reads each story, headline first.
- ``two-host``: the anchor greets, then introduces each story by its headline and hands
  over to the correspondent by name ("Next. Kairos rocket explodes. Sam has the story."),
  the correspondent reads it, the anchor may thank them, and the anchor signs off.

A story without a headline (the article had none) or whose headline is only the start of
its first sentence read is introduced without one: the correspondent starts with the lead,
and the two-host anchor says ``handover_no_headline`` ("Next. Sam has the story.") instead,
so the listener never hears the same words twice in a row. Chapters, notes and feeds still
name such a story by ``Article.label``.

Every phrase is a template (``Phrases``) with ``{placeholders}``; stories can go to several
correspondents in turn.

When not every story fits the briefing's length (``selection`` chooses), the anchor may name
the headlines of some of the stories left out in a round-up before the sign-off ("Also
today: rail strike goes ahead; and drought deal sets new record.").
"""

from __future__ import annotations

import datetime as dt
import functools
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from spacecast.models import LeftOutStory, Script, Segment
from spacecast.text.article import Article
from spacecast.text.condense import CondensedStory, condense_all
from spacecast.text.speakable import speakable
from spacecast.text.structure import repeats_lead

Style = Literal["bulletin", "two-host"]
STYLES: tuple[Style, ...] = ("bulletin", "two-host")

# Headlines in quotation marks ("'No-one can define new hunt ban'") are read without them.
QUOTES = " \"'\u2018\u2019\u201c\u201d"
NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
# The length fit composes the same stories and links many times over: each text is
# rewritten for speech once.
speakable = functools.lru_cache(maxsize=1024)(speakable)


@dataclass(frozen=True)
class Phrases:
    """The anchor's words. ``{name}`` placeholders are filled in; see ``PLACEHOLDERS``."""

    greeting: str = (
        "Good morning. This is {show}, your news briefing for {date}.\n\nToday, {count} {stories}."
    )
    first_link: str = "First."
    """Two-host: the link before the first story (bulletin: the first story has none)."""
    links: tuple[str, ...] = ("Next.", "In other news.", "Also today.", "Turning to another story.")
    """Said in turn before each story after the first."""
    last_link: str = "And finally."
    """Before the last of three or more stories."""
    handover: str = "{link} {headline}. {correspondent} has the story."
    """Two-host: the anchor introduces a story and hands over to its reader."""
    handover_no_headline: str = "{link} {correspondent} has the story."
    """Two-host: the handover for a story without a headline to say, when ``handover``
    names ``{headline}``."""
    hand_back: str = ""
    """Two-host: the anchor after each story (``"Thanks, {correspondent}."``); empty: none.
    One that names ``{headline}`` is not said after a story without a headline."""
    sign_off: str = (
        "That's the briefing for today. You've been listening to {show}. Thanks for listening."
    )
    update: str = "An update on {story}."
    """Before a story that develops one read on an earlier day (``{story}``: that story's
    headline); empty: said like any other story."""
    roundup: str = "Also today: {headlines}."
    """Before the sign-off, the headlines of stories left out to fit the length; empty: no
    round-up (those stories are left out unsaid)."""


# Which placeholders each phrase may use.
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "greeting": frozenset({"show", "date", "count", "stories", "anchor"}),
    "first_link": frozenset(),
    "links": frozenset(),
    "last_link": frozenset(),
    "handover": frozenset({"link", "headline", "correspondent", "anchor", "show"}),
    "handover_no_headline": frozenset({"link", "correspondent", "anchor", "show"}),
    "hand_back": frozenset({"headline", "correspondent", "anchor", "show"}),
    "sign_off": frozenset({"show", "anchor"}),
    "roundup": frozenset({"headlines", "show", "anchor"}),
    "update": frozenset({"story", "show", "anchor"}),
}


def _placeholders(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]


def placeholder_problem(phrase: str, template: str) -> str | None:
    """Why ``template`` cannot be used as ``phrase``, or ``None`` when it can.

    Placeholders are plain names: a format spec or conversion (``{show:>9999999999}``, which
    would ask for gigabytes of padding) is refused."""
    allowed = PLACEHOLDERS[phrase]
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError as exc:
        return f"{exc}: write a brace as {{{{ or }}}}"
    for _, name, spec, conversion in fields:
        if name is not None and (spec or conversion):
            shown = "{" + name + (f"!{conversion}" if conversion else "")
            shown += (f":{spec}" if spec else "") + "}"
            return f"{shown}: placeholders take no format or conversion: write {{{name}}}"
    names = [name for _, name, _, _ in fields if name is not None]
    for name in names:
        if name not in allowed:
            known = ", ".join("{" + n + "}" for n in sorted(allowed)) or "none"
            return f"unknown placeholder {{{name}}} (this phrase can use: {known})"
    return None


@dataclass(frozen=True)
class ShowFormat:
    """Who says what, and the words around the stories."""

    show: str = "Spacecast"
    anchor: str = "anchor"
    """Voice profile for the greeting, links and sign-off."""
    correspondents: tuple[str, ...] = ("correspondent",)
    """Voice profiles that read the stories, in turn."""
    style: Style = "bulletin"
    phrases: Phrases = Phrases()
    speakers: Mapping[str, str] = field(default_factory=dict)
    """On-air names by voice profile, for ``{anchor}`` and ``{correspondent}``."""

    def speaker(self, profile: str) -> str:
        return self.speakers.get(profile) or profile

    def reader(self, index: int) -> str:
        return self.correspondents[index % len(self.correspondents)]


def story_segment(
    story: CondensedStory, profile: str, *, with_headline: bool = True, intro: str = ""
) -> Segment:
    """A story read aloud: ``intro`` (an update's "An update on …"), its headline (unless
    already said, or there is none to say; see ``headline_of``), then the chosen sentences.
    The segment is titled ``Article.label`` and credits the other outlets' reports."""
    paragraphs: list[list[str]] = []
    last = None
    for sentence, paragraph in zip(story.sentences, story.paragraph_of, strict=True):
        if paragraph != last:
            paragraphs.append([])
            last = paragraph
        paragraphs[-1].append(sentence)
    body = "\n\n".join(" ".join(group) for group in paragraphs)
    headline = headline_of(story) if with_headline else ""
    spoken = "\n\n".join(part for part in (intro, f"{headline}." if headline else "", body) if part)
    return Segment(
        kind="story",
        title=story.article.label,
        profile=profile,
        text=speakable(spoken),
        source=story.article.url or story.article.source,
        source_sentences=story.sentences,
        also=story.article.also,
    )


def update_intro(article: Article, show: ShowFormat) -> str:
    """What introduces a story that develops one read on an earlier day ("An update on …"),
    or ``""``."""
    story = spoken_headline(article.update_of or "")
    if story is None or not show.phrases.update:
        return ""
    return fill(show.phrases.update, story=story, show=show.show, anchor=show.speaker(show.anchor))


def headline_of(story: CondensedStory) -> str:
    """The headline to say before the story, or ``""`` when there is none to say: the
    article has no headline, or its headline is only the start of the first sentence read
    ("Locke to be confirmed as manager…" before "Locke to be confirmed as manager on ...")."""
    headline = story.article.title.strip(QUOTES).rstrip(".!?")
    if not headline.strip(" .…"):
        return ""
    if story.sentences and repeats_lead(headline, story.sentences[0]):
        return ""
    return headline


def fill(template: str, **values: object) -> str:
    """A phrase with its placeholders filled; spaces tidied within each paragraph."""
    text = template.format(**values)
    paragraphs = (" ".join(p.split()) for p in text.split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)


def compose(
    articles: Sequence[Article],
    *,
    date: dt.date,
    story_words: int,
    show: ShowFormat = ShowFormat(),
    left_out: Sequence[Article] = (),
    roundup: int = 0,
) -> Script:
    """The whole briefing in words, ready to edit or to speak.

    ``articles`` are read, sharing ``story_words``; ``left_out`` are not (to fit the length,
    see ``selection``), and the round-up names the headlines of the first ``roundup`` of
    them that have one (none when the round-up phrase is empty).
    """
    stories = condense_all(articles, story_words)
    phrases = show.phrases
    anchor = show.speaker(show.anchor)
    count = NUMBER_WORDS[len(stories)] if len(stories) < len(NUMBER_WORDS) else str(len(stories))
    greeting = fill(
        phrases.greeting,
        show=show.show,
        date=f"{date:%A}, {date:%B} {date.day}, {date.year}",
        count=count,
        stories="story" if len(stories) == 1 else "stories",
        anchor=anchor,
    )
    segments = [Segment("intro", "Welcome", show.anchor, speakable(greeting))]
    for index, story in enumerate(stories):
        link = _link(phrases, index, len(stories), show.style)
        reader = show.reader(index)
        if show.style == "two-host" and reader != show.anchor:
            segments.extend(_two_host_story(story, link, reader, show))
            continue
        if index and link:
            segments.append(Segment("transition", "Next story", show.anchor, speakable(link)))
        segments.append(story_segment(story, reader, intro=update_intro(story.article, show)))
    named = [a for a in left_out if roundup_headline(a)][:roundup] if phrases.roundup else []
    if named:
        headlines = headline_list([roundup_headline(a) or "" for a in named])
        said = fill(phrases.roundup, headlines=headlines, show=show.show, anchor=anchor)
        segments.append(Segment("roundup", "Also today", show.anchor, speakable(said)))
    sign_off = fill(phrases.sign_off, show=show.show, anchor=anchor)
    if sign_off:
        segments.append(Segment("outro", "Sign-off", show.anchor, speakable(sign_off)))
    left = tuple(
        LeftOutStory(a.label, a.url or a.source, roundup=any(a is n for n in named))
        for a in left_out
    )
    return Script(title=show.show, date=date, segments=tuple(segments), left_out=left)


def roundup_headline(article: Article) -> str | None:
    """The headline the round-up says for a story left out, or ``None`` when the article
    has none to say (the round-up then leaves it out unsaid).

    The one place the round-up takes its headlines from.
    """
    return spoken_headline(article.title)


def spoken_headline(title: str) -> str | None:
    """``title`` as said aloud (no quotes around it, no closing stop), or ``None`` when
    there is nothing to say."""
    return title.strip(QUOTES).rstrip(".!?").strip() or None


def headline_list(headlines: Sequence[str]) -> str:
    """``"one; two; and three"``: semicolons, as headlines often hold commas and "and"s."""
    if len(headlines) < 2:
        return "".join(headlines)
    return "; ".join(headlines[:-1]) + "; and " + headlines[-1]


def _link(phrases: Phrases, index: int, count: int, style: Style) -> str:
    if index == 0:
        return phrases.first_link if style == "two-host" else ""
    if index == count - 1 and index > 1 and phrases.last_link:
        return phrases.last_link
    return phrases.links[(index - 1) % len(phrases.links)] if phrases.links else ""


def _two_host_story(
    story: CondensedStory, link: str, reader: str, show: ShowFormat
) -> list[Segment]:
    """The anchor's handover, the correspondent's story, and the anchor's thanks if any."""
    source = story.article.url or story.article.source
    label = story.article.label
    headline = headline_of(story)
    phrases = show.phrases
    values = {
        "link": link,
        "headline": headline,
        "correspondent": show.speaker(reader),
        "anchor": show.speaker(show.anchor),
        "show": show.show,
    }
    template = phrases.handover
    if not headline and "headline" in _placeholders(template):
        template = phrases.handover_no_headline
    handover = fill(template, **values)
    parts = []
    if handover:
        parts.append(Segment("handover", label, show.anchor, speakable(handover), source))
    # The reader skips the headline when the anchor has just said it.
    said_headline = "headline" in _placeholders(template)
    intro = update_intro(story.article, show)
    parts.append(story_segment(story, reader, with_headline=not said_headline, intro=intro))
    values.pop("link")
    thanks = phrases.hand_back
    if not headline and "headline" in _placeholders(thanks):
        thanks = ""  # "Thanks for the story on ." says nothing
    if thanks := fill(thanks, **values):
        parts.append(Segment("handback", label, show.anchor, speakable(thanks)))
    return parts
