"""Page structure that is not prose: subheads, photo captions and headlines.

A page shows its reader things that only work for the eye: subheads between paragraphs,
captions under pictures, a headline that is the first sentence cut short. Read aloud as
sentences they confuse a listener, so the readers of each format (``ingest``, ``sources``)
take them out of an article's paragraphs, and the script never speaks a headline that only
repeats the lead.

The rules are shapes of text, written to keep false positives low (a sentence of the story
dropped is worse than a caption read):

- A **subhead** is a short line (at most ``SUBHEAD_MAX_WORDS`` words) that starts like a
  title, has no final punctuation, is not a list item, and stands alone between two
  paragraphs that end a sentence. The same line at the very end of an article, or next to
  a paragraph that carries on a sentence, is kept: it is more likely a sentence that lost
  its full stop.
- A **caption** names the picture it sits under: ``Pictured: ...``, ``Photo: ...``,
  ``Image: ...``, a credit (``Photograph: Jane Doe/Agency``, ``(Getty Images)``), or
  ``Label: description`` where the label is a short phrase with no verb or pronoun in it
  ("Big group: the family on the steps", not "The minister said: we will act"). A page
  where two labels each start several paragraphs is a transcript ("Host: ...",
  "Guest: ..."), and its labels are speakers, not captions.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from spacecast.text.sentences import iter_sentences

__all__ = [
    "SUBHEAD_MAX_WORDS",
    "ends_sentence",
    "heads_block",
    "is_caption",
    "label_from_text",
    "lines_as_paragraphs",
    "looks_like_subhead",
    "readable_paragraphs",
    "repeats_lead",
]

SUBHEAD_MAX_WORDS = 10
"""A subhead has at most this many words."""

LABEL_WORDS = 12
"""A display label cut from an article's first sentence keeps at most this many words."""
_LABEL_CHARS = 150  # a label of twelve words is shorter than this
_LABEL_SCAN = 5000  # the first sentence is looked for in this much of the text

_CLOSERS = "\"'”’»)]}"
_OPENERS = "\"'“‘«([{"
_TERMINAL = ".!?…"
_LIST_MARKER = re.compile(r"^(?:[-*+•▪◦‣–]|\d{1,3}[.)])\s")
_WORD = re.compile(r"[^\W\d_]{2,}")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words a title never ends on, but a line broken off mid-sentence often does.
_OPEN_ENDINGS = _words(
    "a an the of to in on at for from with by and or but nor as than that which who"
)
_INNER_STOP = re.compile(r"[.!?…][\"'”’)]*\s+[\"'“‘(]*[A-Z]")


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends the way a sentence does (``.``, ``!``, ``?``, ``…``, closers)."""
    return text.rstrip().rstrip(_CLOSERS)[-1:] in tuple(_TERMINAL)


def looks_like_subhead(line: str) -> bool:
    """Whether one line has a subhead's shape: short, title-like, no final punctuation.

    Shape only; whether it *is* a subhead depends on what stands around it (see
    ``readable_paragraphs``).
    """
    text = line.strip()
    words = text.split()
    if not words or len(words) > SUBHEAD_MAX_WORDS or _LIST_MARKER.match(text):
        return False
    first = text.lstrip(_OPENERS)[:1]
    if not (first.isupper() or first.isdigit()):
        return False
    last = text.rstrip(_CLOSERS)[-1:]
    if not last or not (last.isalnum() or last in "%)]'’\""):
        return False  # a full stop, a comma, a colon or a dash: a sentence or a lead-in
    if _INNER_STOP.search(text):
        return False  # two sentences, the second without its full stop
    if words[-1] in _OPEN_ENDINGS:
        return False  # "... until the end of": a sentence broken off, not a title
    return bool(_WORD.search(text))


def heads_block(line: str, next_line: str) -> bool:
    """Whether ``line`` is a subhead written right above its paragraph's first line
    (``next_line``) rather than the first line of a hard-wrapped paragraph: it has a
    subhead's shape, the next line starts a sentence with a capital letter, and it is much
    shorter than that line (a wrapped line fills the width)."""
    first = next_line.lstrip().lstrip(_OPENERS)[:1]
    return (
        looks_like_subhead(line)
        and first.isupper()
        and len(line.strip()) <= 0.6 * len(next_line.strip())
    )


# --- captions --------------------------------------------------------------------------

# Words that say what a picture shows or who took it; "Photograph: Jane Doe/Agency".
_PICTURE_LABEL = re.compile(
    r"^[\s\"'“‘(\[]*(?:main\s+|top\s+|file\s+|above\s+|inset\s+)?"
    r"(?:pictured|pictures?|photo(?:graph)?s?|images?|pics?|video|illustration|graphic"
    r"|caption|credit|courtesy|watch|listen|above|below|inset|left|right|top|bottom"
    r"|(?:clockwise\s+)?from\s+(?:left|right|top)|(?:left|right|top|bottom)\s+to\s+\w+)"
    r"(?:\s+(?:above|below|left|right|top|here|inset|caption|copyright|credit|source))?"
    r"\s*(?::|\|)\s*\S",
    re.IGNORECASE,
)
# "Image copyright Jane Doe", "Image caption The crowd at ...", "Photo by Jane Doe".
_PICTURE_PREFIX = re.compile(
    r"^(?:image|media|video|photo|picture)\s+(?:caption|copyright|source|credit)\b"
    r"|^(?:photo(?:graph)?|picture|image)s?\s+(?:by|courtesy\s+of)\s+[A-Z]",
    re.IGNORECASE,
)
_AGENCIES = (
    r"Getty(?:\s+Images)?|Shutterstock|Alamy|Reuters|AFP|AP(?:\s+Photo)?|PA(?:\s+Media|\s+Wire)?"
    r"|EPA(?:-EFE)?|Bloomberg|Rex(?:\s+Features)?|SWNS|Xinhua|ANSA|Pool|NurPhoto|Sipa"
)
# A line that is nothing but a credit: "(Getty Images)", "Jane Doe/Reuters", "AFP via Getty".
_CREDIT_LINE = re.compile(
    r"^[\s(\[]*(?:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}\s*/\s*)?"
    rf"(?:{_AGENCIES})(?:\s*(?:/|via)\s*(?:{_AGENCIES}|[A-Z][\w.'’-]*))*[\s)\]]*\.?$"
)
_LABEL = re.compile(r"^[\"'“‘]?(?P<label>[A-Z][^:.!?\"“”]{0,48}?)[\"'”’]?:\s+(?P<rest>\S.*)$")


# A label with one of these words in it is the start of a sentence ("Police said:").
_VERBS = _words(
    """am is are was were be been being has have had do does did will would shall should
    can could may might must said says say told tells tell added adds add continued continues
    explained explains wrote writes tweeted tweets posted posts read reads asked asks warned
    warns insisted insists claimed claims argued argues noted notes stated states declared
    declares announced announces replied replies responded responds recalled recalls admitted
    admits concluded concludes went goes thought thinks believes believe know knows knew want
    wants wanted urged urges revealed reveals confirmed confirms put puts"""
)
_PRONOUNS = _words("i he she it we they you one this that there")
# A label that starts with a determiner is the start of a sentence ("The upshot: ..."), and
# these label words start notes and timelines, which are read.
_NOT_LABELS = _words(
    """the a an this that these those his her their our my its some every each no
    update updated correction clarification note warning question answer q a
    monday tuesday wednesday thursday friday saturday sunday january february march
    april may june july august september october november december"""
)
_LABEL_MAX_WORDS = 4
_CAPTION_MAX_WORDS = 60


def caption_label(text: str) -> str | None:
    """The label of a ``Label: description`` line, lower-cased, or ``None``."""
    match = _LABEL.match(text.strip())
    if match is None:
        return None
    label = match.group("label").strip()
    words = label.split()
    if not words or len(words) > _LABEL_MAX_WORDS or len(label) < 2:
        return None
    return label.lower()


def is_caption(text: str) -> bool:
    """Whether a line, paragraph or sentence is a photo caption or credit, not prose.

    ``Pictured: ...``, ``Photo: ...``, ``Image caption ...``, credits such as
    ``Photograph: Jane Doe/Agency`` or ``(Getty Images)``, and ``Label: description`` whose
    label (at most four words, capitalised, not all capitals) has no verb, pronoun or
    leading article in it: "Happy couple: the pair outside the church" is a caption, "The
    minister said: we will act" and "He added: ..." are not. A dateline with a colon
    ("Springfield: The council ...") has the same shape, so a caller should not ask about
    an article's first paragraph with the label rule in mind (``readable_paragraphs`` does
    not).
    """
    text = text.strip()
    if not text:
        return False
    return _is_picture_caption(text) or _is_label_caption(text)


def _is_picture_caption(text: str) -> bool:
    return bool(
        _PICTURE_LABEL.match(text) or _PICTURE_PREFIX.match(text) or _CREDIT_LINE.match(text)
    )


def _is_label_caption(text: str) -> bool:
    match = _LABEL.match(text.strip())
    if match is None or len(text.split()) > _CAPTION_MAX_WORDS:
        return False
    label, rest = match.group("label").strip(), match.group("rest")
    words = label.replace(",", " ").split()
    if not words or len(words) > _LABEL_MAX_WORDS or len(label) < 2:
        return False
    letters = [c for c in label if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return False  # "PREDICTION: Home win.": a fact box's field, not a picture's caption
    if any(c in label for c in "()[]/"):
        return False
    lowered = [re.split(r"['’]", w.strip("'’\"").lower())[0] for w in words]
    if lowered[0] in _NOT_LABELS or any(w in _PRONOUNS or w in _VERBS for w in lowered):
        return False
    # "Police confirmed:": a word after the first ending in -ed is a verb after its subject.
    if any(w.endswith("ed") and len(w) > 3 for w in lowered[1:]):
        return False
    # "Smith: 'We will act.'" quotes a speaker; a caption describes in a few words at least.
    return rest[:1] not in _OPENERS[:4] and len(rest.split()) >= 3


# --- paragraphs --------------------------------------------------------------------------


def lines_as_paragraphs(lines: Sequence[str]) -> list[str]:
    """The lines of one page block split by explicit line breaks (``<br>``), as paragraphs.

    A break on a page ends what comes before it, as the end of the block does: each line
    is a paragraph of its own, so one without a full stop cannot run into the next when it
    is read. A line that starts in lower case carries on the line before (a break inside a
    sentence) and is joined to it. Whitespace is collapsed; empty lines go.
    """
    out: list[str] = []
    for line in lines:
        text = " ".join(line.split())
        if not text:
            continue
        if out and text[:1].islower():
            out[-1] = f"{out[-1]} {text}"
        else:
            out.append(text)
    return out


def readable_paragraphs(paragraphs: Sequence[str], marked: Sequence[bool] = ()) -> list[str]:
    """The paragraphs a listener should hear: captions and subheads left out.

    ``paragraphs`` are an article's body paragraphs in order (the headline already taken
    out); ``marked`` says, for each, whether the page's markup makes it a list item or a
    quotation, which is never a subhead. The first paragraph is never taken for a
    ``Label: description`` caption, which a dateline resembles.
    """
    flags = list(marked) + [False] * (len(paragraphs) - len(marked))
    labels = Counter(label for p in paragraphs if (label := caption_label(p)))
    transcript = sum(1 for count in labels.values() if count >= 2) >= 2
    kept: list[tuple[str, bool]] = []
    for index, paragraph in enumerate(paragraphs):
        text = paragraph.strip()
        if not text:
            continue
        # A caption fills a short paragraph of its own; a long one only starts like one.
        if len(text.split()) <= _CAPTION_MAX_WORDS and (
            _is_picture_caption(text) or (index and not transcript and _is_label_caption(text))
        ):
            continue
        kept.append((text, flags[index]))
    out: list[str] = []
    for index, (text, is_marked) in enumerate(kept):
        if (
            not is_marked
            and 0 < index < len(kept) - 1
            and looks_like_subhead(text)
            and _is_prose(kept[index - 1])
            and _is_prose(kept[index + 1])
        ):
            continue
        out.append(text)
    return out


def _is_prose(entry: tuple[str, bool]) -> bool:
    text, is_marked = entry
    return not is_marked and ends_sentence(text) and len(text.split()) > 3


# --- headlines ---------------------------------------------------------------------------

_TOKEN = re.compile(r"\w+(?:['’]\w+)*")


def label_from_text(text: str) -> str:
    """A display label cut from the first sentence of ``text``: at most ``LABEL_WORDS``
    words (then ``…``, after the last word that is not "of", "the"...), no final full stop.
    For chapters, notes and feeds; never spoken."""
    words = next(iter_sentences(text[:_LABEL_SCAN]), text[:_LABEL_SCAN]).split()
    if len(words) > LABEL_WORDS or sum(map(len, words)) > _LABEL_CHARS:
        words = words[:LABEL_WORDS]
        while len(words) > 1 and words[-1].lower() in _OPEN_ENDINGS:
            words.pop()  # "... sold on Friday to a…" reads as "... sold on Friday…"
        label = " ".join(words)
        if len(label) > _LABEL_CHARS:  # a word longer than any real one
            label = label[:_LABEL_CHARS]
        return label.rstrip(",;:-–—") + "…"
    label = " ".join(words)
    if label.endswith(".") and not label.endswith(".."):
        label = label[:-1]
    return label


def repeats_lead(headline: str, sentence: str) -> bool:
    """Whether ``headline`` is only the start of ``sentence`` (case and punctuation aside),
    as a headline cut from the lead is: speaking both would say the same words twice."""
    head = _TOKEN.findall(headline.rstrip(" .…").lower())
    if not head:
        return False
    return _TOKEN.findall(sentence.lower())[: len(head)] == head
