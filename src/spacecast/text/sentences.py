"""English sentence and paragraph splitting for news text.

Used by the condenser (to pick sentences) and by the speech stage (to time each sentence),
so it is deterministic and linear: one regular-expression scan finds every place where a
sentence could end, and each candidate is judged by looking at a bounded window around it
(the word before the full stop and the word after it). A 5 MB text splits in about a second.

Sentences are returned exactly as they stand in the text (only stripped of surrounding
whitespace), so each one is a substring of the input.

The rules, in order:

- A blank line (paragraph break) always ends a sentence. A single line break does not,
  except before a list item (a line starting ``1.``, ``2)``, ``-``, ``*`` or ``•``).
- ``?``, ``!``, an ellipsis (``...`` or ``…``) and a full stop end a sentence when they are
  followed by whitespace (or the end of the text) and the next word does not start with a
  lowercase letter. Closing quotes and brackets right after the punctuation belong to the
  sentence that ends (``He said "no." Then`` splits after the quote). So decimals
  (``3.5``, ``$1.13bn``) and web addresses never split, and neither does ``"Why?" she asked``.
- A full stop after a known abbreviation is judged by kind:

  * never a sentence end: ``e.g.``, ``i.e.``, ``vs.``, ``cf.``, ``approx.``;
  * before a number only, not an end: ``No. 10``, ``p. 5``, ``Vol. 2``;
  * titles (``Mr.``, ``Dr.``, ``St.``, ``Gen.``...), months (``Jan.``...), US states
    (``Calif.``, ``Mass.``), company words (``Inc.``, ``Co.``, ``Corp.``), dotted
    abbreviations (``U.S.``, ``U.K.``, ``Ph.D.``) and initials (``J. K. Rowling``):
    usually followed by a name or a number, so they end a sentence only
    when the next word is a common sentence opener, a capitalised function word such as
    ``The``, ``He``, ``It``, ``But``, ``In`` (or an opening quote). Names follow these
    abbreviations ("U.S. Army", "Mr. Smith"), function words start new sentences
    ("in the U.S. The firm"), so this choice rarely errs either way.
  * ``etc.``, ``a.m.``, ``p.m.``, ``Ltd.``, ``Jr.`` behave like ordinary words: a capitalised
    next word starts a new sentence ("at 9 a.m. Police said").
- A number of one or two digits with a full stop is a list marker, not a sentence, when it
  starts a line or follows a sentence end or a colon (``1. Mix. 2. Bake``).
- A sentence that lost its full stop still ends where a lowercase word (or a digit or a
  closing bracket) is followed by a capitalised sentence opener (``The``, ``A``, ``He``,
  ``After``, ``Despite``...) and then a lowercase word: "was jailed on Friday The court
  heard". Text copied from a web page runs a photo caption into the article this way
  ("Rescued: the dog in its new home The dog was found..."); in edited prose these words
  are never capitalised mid-sentence. ``A`` after a
  label ("plan A", "grade A students", "from A to B") is not such an end: the word before
  it must not be a label noun, and the word after it must not be a function word.
  `has_end_punctuation` tells a sentence ended this way from one that ends properly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["has_end_punctuation", "iter_sentences", "split_paragraphs", "split_sentences"]

# Capitalised words that open a sentence and never stand mid-sentence before a lowercase word
# ("I" and titles such as "Mr" do, so they are not here).
_RUN_IN_OPENERS = (
    "The", "A", "An", "He", "She", "They", "It", "We", "His", "Her", "Their", "Its", "This",
    "These", "Those", "There", "Now", "After", "Before", "Despite", "Although", "While",
    "When", "But", "However", "Meanwhile", "During", "Following", "Some", "Many", "Most",
)  # fmt: skip
# Blank line | line break before a list item | terminal punctuation (+ closers) before space
# | a space where a sentence ran on without its full stop (see `_runs_in`).
_BOUNDARY = re.compile(
    r"(?P<para>\n[^\S\n]*\n\s*)"
    r"|(?P<item>\n(?=[^\S\n]*(?:\d{1,3}[.)]|[-*•▪◦‣])[^\S\n]))"
    r"|(?P<stop>[.!?…]+)(?P<close>[\"'”’»)\]}]*)(?=\s|\Z)"
    r"|(?<=[a-z0-9%)])(?P<runin>[^\S\n]+)(?=(?:" + "|".join(_RUN_IN_OPENERS) + r")[^\S\n]+[a-z])"
)
# Before "A": labels that take a letter ("plan A"); after it, words that follow such a label.
_LETTER_LABELS = frozenset(
    {
        "plan", "grade", "type", "vitamin", "class", "category", "group", "section", "part",
        "block", "row", "level", "option", "route", "point", "exhibit", "wing", "stand",
        "division", "league", "side", "team", "player", "nurse", "patient", "witness", "person",
        "suspect", "building", "gate", "terminal", "hall", "floor", "unit", "ward", "schedule",
        "tier", "lot", "size", "cup", "model", "series", "company", "woman", "man", "boy",
        "girl", "child", "victim", "officer", "doctor", "teacher", "pupil", "student", "road",
    }
)  # fmt: skip
_AFTER_LETTER = frozenset(
    {
        "to", "and", "or", "is", "was", "were", "are", "has", "had", "have", "will", "would",
        "can", "could", "said", "says", "told", "of", "in", "on", "at", "for", "with", "by",
        "as", "from", "but", "if", "than", "then", "that", "who", "which", "be", "been",
        "did", "does", "do", "may", "might", "must", "should", "shall", "not", "also",
    }
)  # fmt: skip
_RUN_IN_NEXT = re.compile(r"(\w+)\s+([a-z]+)")
_TERMINAL = re.compile(r"[.!?…:;][\"'”’»)\]}]*\Z")
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
_NEXT = re.compile(r"\s*(?P<open>[\"'“‘«(\[]*)(?P<word>\S{0,40})")
_LEADING_WORD = re.compile(r"[A-Za-z]+")
_DOTTED = re.compile(r"(?:[A-Za-z]{1,2}\.)+[A-Za-z]{1,2}")
_OPENING_PUNCT = "\"'“‘«([{"

# Abbreviations are stored lowercase, without their final full stop.
_NEVER_ENDS = frozenset({"e.g", "i.e", "vs", "cf", "viz", "approx", "ca", "incl", "esp"})
_NEVER_ENDS_LOWER = frozenset({"v", "c"})  # "Roe v. Wade", "c. 1850"; but "Vitamin C. The"
_BEFORE_NUMBER = frozenset(
    {"no", "nos", "vol", "vols", "pp", "p", "fig", "figs", "art", "ch", "para", "sec", "op"}
)
_TITLES = frozenset(
    {
        "mr", "mrs", "ms", "messrs", "mme", "dr", "prof", "st", "mt", "ft", "gov", "sen",
        "rep", "gen", "lt", "col", "maj", "capt", "cmdr", "sgt", "cpl", "pvt", "adm", "brig",
        "rev", "fr", "hon", "pres", "supt", "insp", "det", "cllr",
    }
)  # fmt: skip
_PLACES = frozenset(
    {
        "ala", "ariz", "ark", "calif", "colo", "conn", "del", "fla", "ga", "ill", "ind", "kan",
        "ky", "la", "md", "mass", "mich", "minn", "miss", "mo", "mont", "neb", "nev", "okla",
        "ore", "pa", "penn", "tenn", "tex", "va", "vt", "wash", "wis", "wyo",
    }
)  # fmt: skip
_MONTHS = frozenset(
    {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
)
_USUALLY_MID = frozenset({"inc", "co", "corp", "bros", "dept", "univ", "assn", "ave", "rd", "al"})
_ORDINARY = frozenset({"etc", "a.m", "p.m", "jr", "sr", "ltd", "plc", "llc"})
_OPENERS = frozenset(
    {
        "The", "A", "An", "He", "She", "It", "They", "We", "I", "You", "This", "That",
        "These", "Those", "There", "Here", "His", "Her", "Its", "Their", "Our", "My", "Your",
        "But", "And", "Or", "So", "Yet", "However", "Meanwhile", "Still", "Also", "Then",
        "Now", "Later", "Earlier", "In", "On", "At", "As", "After", "Before", "When", "While",
        "If", "Although", "Though", "Since", "Because", "For", "With", "Some", "Many", "Most",
        "All", "Both", "Each", "Such", "What", "Why", "How", "Who", "Where", "Mr", "Mrs", "Ms",
    }
)  # fmt: skip


def split_paragraphs(text: str) -> list[str]:
    """Split ``text`` at blank lines; paragraphs come back stripped, empty ones dropped."""
    return [p.strip() for p in _PARAGRAPH_BREAK.split(text) if p.strip()]


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences, each a stripped substring of ``text`` (see module doc)."""
    return list(iter_sentences(text))


def iter_sentences(text: str) -> Iterator[str]:
    """Yield the sentences of ``text`` lazily, in order (same rules as `split_sentences`)."""
    start = 0
    for m in _BOUNDARY.finditer(text):
        kind = m.lastgroup  # "close" for terminal punctuation (its last group), "para", "item"
        if kind == "runin":
            if not _runs_in(text, m.start(), m.end()):
                continue
            cut, resume = m.start(), m.end()
        elif kind == "close":
            if not _ends_sentence(text, m.start(), m.end(), m.group("stop")):
                continue
            cut, resume = m.end(), m.end()
        elif kind == "para":
            cut, resume = m.start(), m.end()
        else:  # a line break before a list item
            cut, resume = m.start(), m.start() + 1
        sentence = text[start:cut].strip()
        if sentence:
            yield sentence
        start = resume
    sentence = text[start:].strip()
    if sentence:
        yield sentence


def has_end_punctuation(sentence: str) -> bool:
    """Whether ``sentence`` ends with punctuation of its own; a run-in caption, a list item
    or a paragraph cut short does not."""
    return bool(_TERMINAL.search(sentence))


def _runs_in(text: str, start: int, end: int) -> bool:
    """Whether the space at ``start``-``end`` ends a sentence that lost its full stop."""
    nxt = _RUN_IN_NEXT.match(text, end)
    assert nxt is not None  # the boundary pattern looked ahead for it
    if nxt.group(1) not in ("A", "An"):
        return True
    before = text[max(0, start - 40) : start].split()
    return (
        bool(before)
        and before[-1].lower() not in _LETTER_LABELS
        and (nxt.group(2) not in _AFTER_LETTER)
    )


def _ends_sentence(text: str, p_start: int, end: int, punct: str) -> bool:
    """Whether the punctuation run ``punct`` at ``p_start`` (closers up to ``end``) ends one."""
    nxt = _NEXT.match(text, end)
    assert nxt is not None  # the pattern can match the empty string
    word = nxt.group("word")
    opening_quote = bool(nxt.group("open").strip("(["))  # a quotation mark, not a bracket
    if not word:
        return True  # end of text
    first = word[0]
    if first.islower():
        return False  # a continuation: "e.g. the", '"Why?" she asked', "wait... and"
    if punct != ".":
        return True  # ?, !, an ellipsis or a mixed run such as "?!"

    token = _token_before(text, p_start)
    if not token:
        return True
    low = token.lower()
    if low in _NEVER_ENDS or token in _NEVER_ENDS_LOWER:
        return False
    if low in _BEFORE_NUMBER and first.isdigit():
        return False
    if token.isdigit() and len(token) <= 2 and _starts_item(text, p_start - len(token)):
        return False  # a list marker: "1. Buy milk", "Mix. 2. Bake"
    if low in _ORDINARY:
        return True
    capitalised = token[0].isupper()
    if (
        (capitalised and (low in _TITLES or low in _MONTHS or low in _PLACES))
        or low in _USUALLY_MID
        or (len(token) == 1 and capitalised)  # an initial
        or _DOTTED.fullmatch(token)
    ):
        return _opens_sentence(word, opening_quote)
    return True


def _token_before(text: str, pos: int) -> str:
    """The word just before ``pos`` (back to whitespace), without opening punctuation."""
    window = text[max(0, pos - 40) : pos]
    if not window or window[-1].isspace():
        return ""
    token = window.split()[-1]
    return token.lstrip(_OPENING_PUNCT)


def _starts_item(text: str, pos: int) -> bool:
    """Whether ``pos`` starts a line or follows a sentence end or colon (spaces between)."""
    i = pos - 1
    limit = max(-1, pos - 20)
    while i > limit and text[i] in " \t":
        i -= 1
    if i < 0 or text[i] in "\n:;!?":
        return True
    if text[i] != ".":
        return False
    before = _token_before(text, i)  # "Feb. 2." is a date, "oven. 2." a list
    return bool(before) and not _is_abbreviation(before.rstrip("."))


def _is_abbreviation(token: str) -> bool:
    low = token.lower()
    if (
        low in _NEVER_ENDS
        or token in _NEVER_ENDS_LOWER
        or low in _BEFORE_NUMBER
        or low in _USUALLY_MID
        or low in _ORDINARY
    ):
        return True
    if token[:1].isupper() and (
        low in _TITLES or low in _MONTHS or low in _PLACES or len(token) == 1
    ):
        return True
    return bool(_DOTTED.fullmatch(token))


def _opens_sentence(word: str, opening_quote: bool) -> bool:
    """Whether ``word`` (after an abbreviation) most likely starts a new sentence."""
    if opening_quote:
        return True  # 'in the U.S. "We', but not 'Calif. (Reuters)'
    m = _LEADING_WORD.match(word)
    if m is None:
        return False  # a number or a symbol: "U.S. 10-year", "Jan. 5"
    w = m.group()
    if len(w) == 1 and word[1:2] == ".":
        return False  # another initial: "J. K. Rowling", "A. A. Milne"
    return w in _OPENERS
