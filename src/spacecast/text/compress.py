"""Sentence compression: say the same news in fewer words, and shorter forms that still parse.

The condenser reads whole sentences, but not every word of a news sentence carries news. A
listener loses nothing when these are left out, and the words saved go to more news:

- asides in brackets ("(pictured)", "(left)", "(file photo)") and between paired dashes
  ("Fighters from 100 nations – more than half the countries in the world – have joined");
- an attribution closing a sentence that is not a quotation (", police said.", ", according
  to a report by the United Nations.", ", it has emerged.", ", the newspaper reported."):
  a briefing reports what outlets report; the words are the least likely to be news
  (docs/condenser.md measures them), and with them goes a "she said" whose "she" the
  listener may never have met (also from inside: "The plant, she said, will close.");
- "According to X," opening a sentence, and evaluative openers ("Worryingly,",
  "Incredibly,") that colour the news without adding to it.

A quotation keeps its attribution: without it, the listener cannot tell who is speaking.

`clause_cuts` gives shorter forms of a sentence for when the whole one does not fit the words
left: the sentence up to a clause boundary ("..., which ...", "... after ...", "...,
turning ...", "... - and ..."), closed with a full stop. Each form keeps the sentence's
opening, where news writing puts its subject and main verb, and is only offered when that
part still has a verb, balanced quotes and brackets, and does not end on a function word.

Every rule is a regular expression over one sentence: linear, and no model.
"""

from __future__ import annotations

import re

__all__ = ["clause_cuts", "compress_sentence", "is_quotation"]

_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")

MIN_WORDS_LEFT = 6
"""A rule that would leave fewer words than this is not applied."""

_BRACKET_ASIDE = re.compile(r"[^\S\n]*\((?:[^()]{0,80})\)(?=[\s,.;:!?'’\"”]|\Z)")
_DASH_ASIDE = re.compile(
    r"[^\S\n]+(?:--|[–—-])[^\S\n]+([^–—\n]{1,100}?)[^\S\n]+(?:--|[–—-])[^\S\n]+"
)
_ATTRIBUTION_VERB = (
    r"(?:said|says|say|reported|reports|report|added|adds|claimed|claims|revealed|reveals"
    r"|found|finds|warned|warns|explained|confirmed|confirms|announced|announces|stated"
    r"|believes|believe|suggested|suggests|insisted|insists|admitted|admits|noted|notes"
    r"|told\s+(?:[\w’'.\-]+\s+){0,4}?[\w’'.\-]+)"
)
_TRAILING_ATTRIBUTION = re.compile(
    r",\s+(?:"
    r"according\s+to\s+[^,;:]{1,80}?"
    r"|it\s+(?:has|had)\s+(?:emerged|been\s+(?:reported|claimed|revealed|confirmed|announced))"
    r"|it\s+(?:is|was)\s+(?:reported|revealed|claimed|understood|believed|thought)"
    r"|(?:[\w’'.\-]+\s+){0,7}?" + _ATTRIBUTION_VERB + r"(?:\s+on\s+\w+)?"
    r")(?P<end>[.!?])\s*\Z"
)
_PRONOUN_ASIDE = re.compile(
    r",\s+(?:he|she|they)\s+(?:said|says|added|adds|explained|insisted|claimed|warned),\s+"
)
_OPENING_ACCORDING = re.compile(r"\AAccording\s+to\s+[^,;:]{1,80},\s+(?=[\w\"'“‘])")
_OPENING_COLOUR = re.compile(
    r"\A(?:Worryingly|Alarmingly|Interestingly|Incredibly|Amazingly|Astonishingly"
    r"|Remarkably|Surprisingly|Unsurprisingly|Shockingly|Sadly|Tragically|Ironically"
    r"|Luckily|Fortunately|Unfortunately|Crucially|Notably|Bizarrely|Curiously|Oddly"
    r"|Strangely|Thankfully|Happily|Predictably|Inevitably),\s+(?=[\w\"'“‘])"
)
_QUOTE_MARKS = re.compile(r"[\"“”‘]|(?<![\w])'|'(?![\w])")

# Clause boundaries a sentence may be cut at: a comma, dash or semicolon before a word that
# opens a subordinate clause or a participle; or, without a comma, before a conjunction that
# only ever opens an adverbial clause. Not before "but" (what follows it is usually the
# point) nor "and"/"or" after a comma (often the last item of a list).
_CLAUSE_OPENERS = (
    r"who|which|whose|where|while|whilst|after|before|as|when|because|since|although|though"
    r"|with|including|despite|following|amid|according|until|unless|whereas"
    r"|meaning|leaving|prompting|sparking|forcing|causing|making|bringing|adding|saying"
)
_CUT = re.compile(
    r"(?:,|;)[^\S\n]+(?=(?:" + _CLAUSE_OPENERS + r")\b|[a-z]+ing\b)"
    r"|[^\S\n]+(?:--|[–—-])[^\S\n]+(?=(?:" + _CLAUSE_OPENERS + r"|and|but)\b|[a-z]+ing\b)"
    r"|(?P<bare>[^\S\n]+)(?=(?:after|because|despite|amid|although|though|whereas|whilst"
    r"|while|until)\b)"
)
# "chasing after", "five days after", "many years after": without a comma, "after" here
# belongs to the phrase before it, and the cut would leave that phrase hanging.
_TIME_WORDS = frozenset(
    {
        "days", "weeks", "months", "years", "hours", "minutes", "seconds", "moments", "shortly",
        "soon", "just", "long", "right", "even", "only", "straight", "day", "week", "month",
        "year", "hour", "minute", "time",
    }
)  # fmt: skip
# A finite verb: an auxiliary, "said", or a past tense: an -ed word, but not after "being",
# "been", "be" or "having" (a participle: "now being investigated") nor after an article or
# a possessive (an adjective: "the respected professor").
_FINITE_VERB = re.compile(
    r"\b(?:is|was|were|are|am|has|have|had|will|would|can|could|may|might|must|shall"
    r"|should|did|does|do|says|said)\b"
    r"|(?<!\bbeing )(?<!\bbeen )(?<!\bbe )(?<!\bhaving )"
    r"(?<!\bthe )(?<!\ba )(?<!\ban )(?<!\bhis )(?<!\bher )(?<!\bits )(?<!\btheir )"
    r"(?<![\w\-])[a-z]{2,}ed\b"  # not "self-styled"
)
# A sentence opening with a subordinate clause ("In a town where most people walk, ...")
# has its main verb after the first comma.
_OPENING_CLAUSE = re.compile(
    r"(?:In\s+a\s+\w+\s+where|When|Whenever|While|Whilst|As|After|Before|Although|Though"
    r"|If|Unless|Because|Since|Until|Once|Despite|Having|With|Without)\b[^,]*,\s+"
)
_SPACED_DASH = re.compile(r"\s(?:--|[–—-])\s")
_CLAUSE_SPLIT = re.compile(r",\s+|\s+(?:and|but|or)\s+")
_FUNCTION_WORDS = frozenset(
    {
        "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with",
        "by", "from", "as", "that", "this", "his", "her", "their", "its", "our", "my", "your",
        "is", "was", "were", "are", "be", "been", "has", "have", "had", "not", "than", "into",
        "onto", "over", "under", "about", "who", "which", "very", "more", "most", "so",
    }
)  # fmt: skip


def _words(text: str) -> int:
    return sum(1 for _ in _WORD.finditer(text))


def is_quotation(sentence: str) -> bool:
    """Whether ``sentence`` quotes someone (quotation marks, not apostrophes)."""
    return bool(_QUOTE_MARKS.search(sentence))


def compress_sentence(sentence: str) -> str:
    """``sentence`` without the words that carry no news (see the module doc).

    The result keeps the sentence's own final punctuation and starts with a capital; it is
    ``sentence`` itself when no rule applies or a rule would leave too little.
    """
    text = sentence
    shorter = _BRACKET_ASIDE.sub("", text)
    shorter = _DASH_ASIDE.sub(" ", shorter)
    shorter = _OPENING_ACCORDING.sub("", shorter)
    shorter = _OPENING_COLOUR.sub("", shorter)
    if not is_quotation(shorter):
        shorter = _PRONOUN_ASIDE.sub(" ", shorter)
        m = _TRAILING_ATTRIBUTION.search(shorter)
        if m and _words(shorter[: m.start()]) >= MIN_WORDS_LEFT:
            shorter = shorter[: m.start()] + m.group("end")
    shorter = " ".join(shorter.split())
    if _words(shorter) < MIN_WORDS_LEFT or not _balanced(shorter):
        return sentence
    return _capitalised(shorter)


def clause_cuts(sentence: str) -> list[str]:
    """Shorter forms of ``sentence``, each cut at a clause boundary; longest first.

    Each form ends with a full stop and keeps at least MIN_WORDS_LEFT words with a finite
    verb in its main clause (after an opening "When ...," or "In a town where ...,").
    """
    forms = []
    for m in _CUT.finditer(sentence):
        head = sentence[: m.start()].rstrip(" ,;:–—-")
        words = head.split()
        if len(words) < MIN_WORDS_LEFT or _words(head) < MIN_WORDS_LEFT:
            continue
        last = words[-1].strip("\"'“”‘’()").lower()
        if last in _FUNCTION_WORDS or not _balanced(head):
            continue
        if m.group("bare") and (last.endswith("ing") or last in _TIME_WORDS):
            continue
        opening = _OPENING_CLAUSE.match(head)
        main = head[opening.end() :] if opening else head[len(words[0]) :]
        if not _FINITE_VERB.search(main.lower()):
            continue
        if len(_SPACED_DASH.findall(head)) % 2 and len(_SPACED_DASH.findall(sentence)) > 1:
            continue  # the cut falls inside an aside between dashes
        # Before "who"/"which", the clause being closed must have its own verb: in "... and
        # flanker Wood, who claims ..., is keen", Wood's verb comes after the relative clause.
        last_clause = _CLAUSE_SPLIT.split(head)[-1]
        relative = sentence[m.end() : m.end() + 6].lower().startswith(("who ", "which "))
        if relative and not _FINITE_VERB.search(last_clause.lower()):
            continue
        forms.append(head + ".")
    forms.reverse()
    return forms


def _balanced(text: str) -> bool:
    if text.count("(") != text.count(")") or text.count('"') % 2:
        return False
    return text.count("“") == text.count("”")


def _capitalised(text: str) -> str:
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1 :] if ch.islower() else text
        if ch.isdigit():
            return text
    return text
