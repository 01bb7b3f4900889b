"""Extractive condensing: pick the sentences of each article that the briefing reads aloud.

No language model. The aim is what a newsreader does with a wire story: say the news that is
at the top, in fewer words, and never a sentence that leans on one not read. The measures
(ROUGE against editors' summaries, at equal words with Lead) and what did not help are in
docs/condenser.md; bench/evaluate.py reruns them.

Cleaning. Page furniture (bylines, datelines, links, calls to action, credits) and photo
captions are dropped: a caption's label ("Rescued: ..."), or a caption that ran into the
next sentence without a full stop, as text copied from a page does.

Compression (spacecast.text.compress). Each sentence is read without what carries no news:
asides in brackets and between dashes, a closing attribution (", police said."), an opening
"According to X,". A sentence that does not fit whole may be read up to a clause boundary.

Choice. Sentences near the top compete (those starting within ``min(WINDOW * budget, budget
+ WINDOW_EXTRA)`` words): real news puts the news first. Each is worth, per word read, the
mean probability of its words in the article (SumBasic; Nenkova & Vanderwende 2005) times
its centrality (PageRank over the Jaccard overlap of sentences' words, relative to the
article's mean) times exp(-position / POSITION_DECAY). The best that fits
is taken, its words' probabilities are squared so that repeating it is worth less, and so on
until nothing fits; the result is read in article order.

Antecedents. A sentence that opens with a pronoun or connective ("He", "This", "Such"...),
or carries "she said" with no name for "she", is taken only together with the sentence
before it (and that one's own, up to two sentences back), the group counting at the mean of
its values. A sentence that merely opens with a connective ("However,", "But") is read
without it when the sentence before is not read: "But the firm said" becomes "The firm said".

Long articles: only the first 400 cleaned sentences are considered, which keeps a 5 MB text
to a second or so (the text past the cap is never even split).
"""

from __future__ import annotations

import functools
import math
import operator
import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacecast.errors import InputError
from spacecast.text.article import Article
from spacecast.text.compress import clause_cuts, compress_sentence, is_quotation
from spacecast.text.sentences import has_end_punctuation, iter_sentences
from spacecast.text.structure import is_caption

__all__ = ["CondensedStory", "condense", "condense_all", "word_count"]

MAX_CANDIDATES = 400
"""How many cleaned sentences of one article are considered (see the module doc)."""

MIN_WORDS = 4
"""Shorter fragments are dropped, unless the article has fewer than two longer sentences."""

DAMPING = 0.85
"""PageRank's damping factor, the usual one (Brin & Page; Mihalcea & Tarau)."""

WINDOW = 2.0
WINDOW_EXTRA = 15
"""Sentences that start within the first ``min(WINDOW * budget, budget + WINDOW_EXTRA)``
words (as read) compete to be read: the news is at the top."""

MIN_WINDOW = 2

MAX_SENTENCE_WORDS = 55
"""A longer sentence is hard to follow by ear (and, in text copied from a page, is often
captions run together): it is read only up to a clause boundary that leaves no more."""
"""However small the budget, the first MIN_WINDOW sentences compete."""

POSITION_DECAY = 4.5
"""Each sentence down the article is worth exp(-1 / POSITION_DECAY), about 0.8, of the one
before it, before its words and centrality are counted (`_value`)."""
"""However small the budget, the first MIN_WINDOW sentences compete."""

CENTRALITY_EXPONENT = 1.0
"""How much a sentence's centrality counts in its value (`_value`)."""

MAX_UNIT = 3
"""A sentence brings along at most two sentences before it that it depends on."""


@dataclass(frozen=True)
class CondensedStory:
    """The sentences of one article chosen for the briefing."""

    article: Article
    sentences: tuple[str, ...]
    """Chosen sentences, in article order, as read: compressed (spacecast.text.compress), less
    an opening connective when the sentence before is not read, or cut at a clause
    boundary to fit."""
    paragraph_of: tuple[int, ...]
    """For each chosen sentence, the index of its paragraph in ``article.paragraphs``."""
    originals: tuple[str, ...] = ()
    """For each chosen sentence, the sentence as it stood in the article (a substring of
    its paragraph, less a dateline at the start)."""

    @property
    def words(self) -> int:
        return sum(word_count(s) for s in self.sentences)


_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")


def word_count(text: str) -> int:
    """Words as a listener hears them: "U.S.", "$1.13bn", "don't", "well-known" count once."""
    return sum(1 for _ in _WORD.finditer(text))


def condense(article: Article, max_words: int) -> CondensedStory:
    """Choose the sentences of ``article`` to read, at most ``max_words`` words in all.

    When the budget holds no more than the lead (the first cleaned sentence), the lead alone
    is chosen, even if it is longer than the budget: a news lead is written to stand alone.
    """
    return _select(_prepare(article), max_words)


def condense_all(articles: Sequence[Article], total_words: int) -> list[CondensedStory]:
    """Condense every article, sharing ``total_words`` between them.

    Every story gets an equal share, as a newsreader gives each story similar airtime: at
    least its lead sentence and at most its whole cleaned length (a short article is not
    padded; what it does not use goes to the others). The total is exceeded only when the
    lead sentences alone exceed it.
    """
    prepared = [_prepare(a) for a in articles]
    if not prepared:
        return []
    lengths = [p.length for p in prepared]
    floors = [min(p.lead_words, p.length) for p in prepared]
    shares = _share(max(0, total_words), lengths, floors)
    stories = [_select(p, s) for p, s in zip(prepared, shares, strict=True)]

    # Greedy choice rarely fills a share exactly: hand the leftover on, story by story.
    used = [s.words for s in stories]
    for _ in range(3):
        changed = False
        for i, p in enumerate(prepared):
            leftover = total_words - sum(used)
            if leftover <= 0:
                break
            if used[i] >= p.length:
                continue
            better = _select(p, used[i] + leftover)
            if better.words > used[i]:
                stories[i], used[i], changed = better, better.words, True
        if not changed:
            break
    return stories


# --- sharing -------------------------------------------------------------------------------


def _share(total: int, lengths: list[int], floors: list[int]) -> list[int]:
    """Integer shares ``clamp(lam, floor, length)`` summing to ``total`` if possible."""
    if sum(floors) >= total:
        return list(floors)
    if sum(lengths) <= total:
        return list(lengths)

    def shares_at(lam: float) -> list[float]:
        return [min(max(lam, f), n) for n, f in zip(lengths, floors, strict=True)]

    lo, hi = 0.0, float(max(lengths))
    for _ in range(60):
        mid = (lo + hi) / 2
        if sum(shares_at(mid)) > total:
            hi = mid
        else:
            lo = mid
    exact = shares_at(lo)
    result = [math.floor(x) for x in exact]
    spare = total - sum(result)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - result[i]), i))
    for i in order:
        if spare <= 0:
            break
        if result[i] < lengths[i]:
            result[i] += 1
            spare -= 1
    return result


# --- cleaning ------------------------------------------------------------------------------

_URL = re.compile(
    r"https?://|\bwww\.\w|^\S+\.(?:com|org|net|gov|edu|io|news|co\.uk)(?:/\S*)?$"
    r"|\b[\w-]+\.(?:[\w-]+\.)*(?:com|org|net|gov|edu|io|news|uk)/\S",
    re.I,
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_CAPTION = re.compile(
    r"^(?:(?:file\s+)?(?:photo(?:graph)?s?|pictures?|pics?|images?|video|illustration|graphic"
    r"|media|credit|source)\s*(?:caption|copyright|credit|source)?\s*[:|/]"
    r"|(?:image|media|video|photo|picture)\s+(?:caption|copyright|source|credit)\b"
    r"|(?:watch|listen)\s*:)",
    re.I,
)
_CREDIT = re.compile(
    r"\bAP Photo\s*/|\b(?:Getty Images|Shutterstock|Alamy)\W*$"
    r"|\([^()]{0,40}\b(?:getty|shutterstock|alamy|photo|photograph|images|credit)\b[^()]{0,40}\)",
    re.I,
)
_BYLINE = re.compile(
    r"^By\s+[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|der|la|and|&"
    r"|correspondent|editor|reporter|writer|columnist|staff)){1,6}"
    r"\s*(?:(?:[,|–—-]|\s+in\s+)[^.!?]{0,60})?$"
)
_CALL_TO_ACTION = re.compile(
    r"\bclick here\b|\bread more\b|\bshare this (?:article|story|page|post|video)\b"
    r"|\bfollow us\b|\bscroll down for\b|\ball rights reserved\b|©"
    r"|\b(?:sign up|subscribe)\b.{0,40}\b(?:newsletters?|alerts|podcast|channel|updates)\b"
    r"|\bsubscribe to (?:our|us)\b|\bsign up (?:to|for) our\b"
    r"|^(?:sign up\b|subscribe\b|share (?:this|on|via)\b|follow (?:us|me|@)"
    r"|related\b[\w ]{0,20}:|see also\b|also read\b|more on this story\b"
    r"|(?:advertisement|advert|sponsored(?: content)?)\W*$"
    r"|story continues below|continue reading|listen to this article"
    r"|copyright\s*(?:\(c\)|\d{4})|\(c\)\s*\d{4}"
    r"|(?:published|updated|last (?:updated|modified))(?:\s+(?:on|at))?\s*:?\s*"
    r"(?:\d|mon|tue|wed|thu|fri|sat|sun))",
    re.I,
)
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z.'’\-]+(?:\s+[A-Z][A-Z.'’\-]*){0,3}"  # TOKYO, NEW YORK, ST. LOUIS
    r"(?:,\s*(?:\d{1,2}\s+)?[A-Z][A-Za-z.]*(?:\s+\d{1,2})?(?:,\s*\d{4})?)?"  # , March 13
    r"(?:\s*\([^()]{1,30}\))?"  # (Reuters)
    r"|[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){0,3}"  # Tokyo (Reuters)
    r"(?:,\s*[A-Z][A-Za-z.]*(?:\s+\d{1,2})?)?"
    r"\s*\((?:Reuters|AP|AFP|PA|UPI|Bloomberg|dpa|CNN|BBC|Xinhua|Kyodo|IANS|PTI)\))"
    r"\s*[-–—]{1,2}\s+"
    # A wire's name in brackets, glued to the first word: "(CNN)Kayahan", "Boston (CNN)The"
    r"|(?:[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){0,3}\s*)?"
    r"\((?:Reuters|AP|AFP|PA|UPI|Bloomberg|dpa|CNN|BBC|Xinhua|Kyodo|IANS|PTI)\)(?=[A-Z\"'“‘])"
)
_LETTERS = re.compile(r"[^\W\d_]")


def _is_furniture(s: str) -> bool:
    """Whether sentence (or line) ``s`` is page furniture rather than something to read."""
    if _URL.search(s) or _CALL_TO_ACTION.search(s):
        return True
    if _CAPTION.match(s) or _CREDIT.search(s) or _BYLINE.match(s):
        return True
    words = word_count(s)
    if words == 0:
        return True
    if words <= 8 and _EMAIL.search(s):
        return True
    letters = _LETTERS.findall(s)
    return words <= 8 and len(letters) >= 2 and all(c.isupper() for c in letters)


def _is_caption(sentence: str, paragraph: str, end: int) -> bool:
    """Whether ``sentence`` (ending at ``end`` in ``paragraph``) is a photo caption.

    Either it has a caption's shape (``structure.is_caption``: "Pictured: ...", "Happy
    couple: the pair outside the church"), or it ran into the next sentence on the same
    line without punctuation of its own, as captions copied with a page's text do
    (spacecast.text.sentences splits them off).
    """
    if is_caption(sentence):
        return True
    if has_end_punctuation(sentence):
        return False
    rest = paragraph[end:]
    return bool(rest.strip()) and "\n" not in rest[: len(rest) - len(rest.lstrip())]


def _is_furniture_paragraph(p: str) -> bool:
    """Captions and credits usually fill their own short paragraph: drop all of it."""
    if _CAPTION.match(p) or _BYLINE.match(p):
        return True
    return word_count(p) <= 30 and bool(_CREDIT.search(p))


def _strip_dateline(s: str) -> str:
    m = _DATELINE.match(s)
    if m is None:
        return s
    rest = s[m.end() :]
    if word_count(rest) >= 3 and (rest[:1].isalnum() or rest[:1] in "\"'“‘"):
        return rest
    return s


def _norm(s: str) -> str:
    return " ".join(s.lower().split())


# --- scoring -------------------------------------------------------------------------------

_STOPWORDS = frozenset(
    {
        "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and",
        "any", "are", "aren't", "as", "at", "be", "because", "been", "before", "being", "below",
        "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down",
        "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he",
        "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in",
        "into", "is", "it", "its", "itself", "just", "let", "me", "more", "most", "my",
        "myself", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other",
        "our", "ours", "out", "over", "own", "said", "same", "say", "says", "she", "should",
        "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "themselves",
        "then", "there", "these", "they", "this", "those", "through", "to", "too", "under",
        "until", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while",
        "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself", "mr",
        "mrs", "ms", "one", "two", "told", "year", "years", "new",
    }
)  # fmt: skip
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_DANGLING = frozenset(
    {
        "he", "she", "it", "they", "this", "these", "those", "that", "his", "her", "its",
        "their", "him", "them", "however", "but", "also", "meanwhile", "and", "yet", "still",
        "so", "then", "moreover", "furthermore", "instead", "nevertheless", "such",
        "nonetheless", "besides", "thus", "hence",
    }
)  # fmt: skip
_FIRST_WORD = re.compile(r"[\"'“‘(\[]*([A-Za-z]+)")
# Connectives that can be left out when the sentence they link to is not read: "But" and
# "And" before any word; the others only with their comma ("So far" and "Still, " differ).
_CONNECTIVE = re.compile(
    r"(?:But|And|Yet)\s+(?=[^\W\d_])"
    r"|(?:However|Meanwhile|Moreover|Furthermore|Nevertheless|Nonetheless|Also|Still|Besides"
    r"|So|Yet|But|And|Instead|Thus|Hence),\s+(?=[^\W\d_])"
)
# "..., she said." on a quotation: who "she" is was said before, if anywhere.
_PRONOUN_ATTRIBUTION = re.compile(
    r"[,\"'”’]\s*(?:he|she|they)\s+(?:said|says|added|adds|told|tells|explained|insisted"
    r"|claimed|admitted|warned|continued|recalled|wrote|asked)\b"
    r"|\b(?:said|added|explained|continued|asked)\s+(?:he|she|they)\s*[,.;:!?]",
    re.I,
)


def content_words(text: str) -> list[str]:
    """The words of ``text`` that carry its content: lowercased, without stop words or a
    plural or possessive ``s`` (what sentence scoring and event grouping compare)."""
    return _tokens(text)


def _tokens(text: str) -> list[str]:
    out = []
    for t in _TOKEN.findall(text.lower().replace("’", "'")):
        if t.endswith("'s"):
            t = t[:-2]
        if len(t) < 2 or t in _STOPWORDS:
            continue
        if len(t) > 4 and t.endswith("ies"):
            t = t[:-3] + "y"
        elif len(t) > 3 and t.endswith("s") and not t.endswith(("ss", "us", "is")):
            t = t[:-1]
        out.append(t)
    return out


@dataclass(frozen=True)
class _Candidate:
    text: str
    """The sentence as it stood (less a dateline at the start of the article)."""
    paragraph: int
    read: str
    """The sentence as read, compressed (see spacecast.text.compress)."""
    words: int
    trimmed: str | None
    """``read`` without its opening connective, read when the sentence before is not."""
    trimmed_words: int
    cuts: tuple[str, ...]
    """Shorter forms, cut at a clause boundary (longest first), of the sentence as read alone."""
    dangling: bool
    """Leans on the sentence before it (an opening pronoun or connective, or "she said" with
    no name for "she"): read only after that sentence."""
    tokens: tuple[str, ...]
    centrality: float
    """PageRank centrality, relative to the article's mean (1.0)."""

    @property
    def alone(self) -> str:
        """The sentence as read when the one before it is not."""
        return self.trimmed or self.read


@dataclass(frozen=True)
class _Prepared:
    article: Article
    candidates: tuple[_Candidate, ...]
    length: int
    starts: tuple[int, ...]
    """Words read before each candidate, were every one read whole."""

    @property
    def lead_words(self) -> int:
        """The fewest words a story can be read in: its lead, or the lead's shortest form."""
        lead = self.candidates[0]
        return min([lead.words, *(word_count(c) for c in lead.cuts)])


# The length fit condenses the same articles many times over with different budgets; the
# cleaning and scoring do not depend on the budget, so each article is prepared once.
@functools.lru_cache(maxsize=256)
def _prepare(article: Article) -> _Prepared:
    """Clean, compress and score the article's sentences."""
    raw = _clean(article)
    if not raw:
        raw = [_fallback(article)]
    reads = [compress_sentence(t) for t, _, _ in raw]
    bags = [frozenset(_tokens(r)) for r in reads]
    centrality = _centrality(bags)
    mean = sum(centrality) / len(centrality) or 1.0
    candidates = []
    starts = []
    total = 0
    for i, ((text, paragraph, in_quote), read) in enumerate(zip(raw, reads, strict=True)):
        trimmed = _trim_connective(read) if i > 0 else None
        alone = trimmed or read
        leans = _first_word(read) in _DANGLING and trimmed is None
        quoted = in_quote or is_quotation(alone)  # a quotation is read whole
        candidates.append(
            _Candidate(
                text=text,
                paragraph=paragraph,
                read=read,
                words=word_count(read),
                trimmed=trimmed,
                trimmed_words=word_count(trimmed) if trimmed else 0,
                cuts=tuple(clause_cuts(alone)) if not quoted else (),
                dangling=i > 0 and (leans or bool(_PRONOUN_ATTRIBUTION.search(alone))),
                tokens=tuple(_tokens(read)),
                centrality=centrality[i] / mean,
            )
        )
        starts.append(total)
        total += candidates[-1].words
    return _Prepared(article, tuple(candidates), total, tuple(starts))


def _first_word(text: str) -> str:
    m = _FIRST_WORD.match(text)
    return m.group(1).lower() if m else ""


def _trim_connective(text: str) -> str | None:
    """``text`` without an opening connective that only links it to the sentence before.

    None when there is none, or when what is left still leans on something before it ("But
    he said": "he" needs the sentence before as much as "But" did).
    """
    m = _CONNECTIVE.match(text)
    if m is None:
        return None
    rest = text[m.end() :]
    if word_count(rest) < MIN_WORDS - 1 or _first_word(rest) in _DANGLING:
        return None
    return rest[:1].upper() + rest[1:]  # a sentence of its own now: "But the firm" -> "The firm"


def _clean(article: Article) -> list[tuple[str, int, bool]]:
    """The article's readable sentences: (text, paragraph index, starts inside a quote).

    At most MAX_CANDIDATES sentences of MIN_WORDS words or more are kept (see module doc).
    """
    title = _norm(article.title)
    kept: list[tuple[str, int, bool, bool]] = []  # text, paragraph, in quote, short
    seen: set[str] = set()
    long_count = 0
    for p_index, paragraph in enumerate(article.paragraphs):
        if long_count >= MAX_CANDIDATES or len(kept) >= 2 * MAX_CANDIDATES:
            break
        paragraph = paragraph.strip()
        if not paragraph or _norm(paragraph) == title or _is_furniture_paragraph(paragraph):
            continue
        inside_quote = False  # news style: a quote running on never spans a paragraph break
        end = 0
        for sentence in iter_sentences(paragraph):
            end = paragraph.index(sentence, end) + len(sentence)
            continues_quote = inside_quote
            inside_quote = _quote_open_after(sentence, inside_quote)
            if not kept:
                sentence = _strip_dateline(sentence)
            if _is_furniture(sentence) or _is_caption(sentence, paragraph, end):
                continue
            key = _norm(sentence)
            if key in seen:
                continue
            seen.add(key)
            short = word_count(sentence) < MIN_WORDS
            long_count += not short
            kept.append((sentence, p_index, continues_quote, short))
            if long_count >= MAX_CANDIDATES or len(kept) >= 2 * MAX_CANDIDATES:
                break
    keep_short = long_count < 2  # a tiny article keeps its fragments
    return [(t, p, q) for t, p, q, short in kept if keep_short or not short]


def _quote_open_after(sentence: str, inside: bool) -> bool:
    """Whether a double quotation is still open after ``sentence``."""
    for ch in sentence:
        if ch == '"':
            inside = not inside
        elif ch == "“":
            inside = True
        elif ch == "”":
            inside = False
    return inside


def _fallback(article: Article) -> tuple[str, int, bool]:
    """The first sentence of the raw text, for an article that cleaning emptied."""
    for p_index, paragraph in enumerate(article.paragraphs):
        for sentence in iter_sentences(paragraph):
            return sentence, p_index, False
    if article.title.strip():
        return article.title.strip(), 0, False
    raise InputError(f"{article.source}: the article has no text to read; check the file")


def _centrality(bags: list[frozenset[str]]) -> list[float]:
    """PageRank over the sentences, edges weighted by the Jaccard overlap of their words."""
    n = len(bags)
    neighbours: list[list[int]] = [[] for _ in range(n)]
    weights: list[list[float]] = [[] for _ in range(n)]
    sizes = [len(b) for b in bags]
    for i in range(n):
        a, size_a = bags[i], sizes[i]
        if not size_a:
            continue
        for j in range(i + 1, n):
            common = len(a & bags[j])
            if common:
                w = common / (size_a + sizes[j] - common)
                neighbours[i].append(j)
                weights[i].append(w)
                neighbours[j].append(i)
                weights[j].append(w)
    strength = [sum(ws) for ws in weights]
    rank = [1.0] * n
    for _ in range(100):
        share = [r / s if s else 0.0 for r, s in zip(rank, strength, strict=True)]
        new = [
            (1 - DAMPING) + DAMPING * sum(map(operator.mul, ws, map(share.__getitem__, js)))
            for js, ws in zip(neighbours, weights, strict=True)
        ]
        done = max((abs(x - y) for x, y in zip(new, rank, strict=True)), default=0.0) < 1e-6
        rank = new
        if done:
            break
    return rank


# --- selection -----------------------------------------------------------------------------


def _select(prepared: _Prepared, max_words: int) -> CondensedStory:
    """Greedy choice under the budget, among the sentences near the top of the article.

    Only sentences that start near the top compete (see WINDOW): the news is at the top.
    Each competes by its value per word (`_value`). Once a sentence is chosen, its words'
    probabilities are squared, so a sentence repeating what is read loses value. A sentence
    that does not fit whole may be read up to a clause boundary instead.
    """
    cands = prepared.candidates
    budget = max(0, max_words)
    limit = min(WINDOW * budget, budget + WINDOW_EXTRA)
    window = [i for i, start in enumerate(prepared.starts) if start < limit]
    window = list(range(max(len(window), min(MIN_WINDOW, len(cands)))))
    counts: dict[str, float] = {}
    for c in cands:
        for t in c.tokens:
            counts[t] = counts.get(t, 0) + 1
    total = sum(counts.values()) or 1
    probability = {t: n / total for t, n in counts.items()}

    chosen: set[int] = set()
    cut_of: dict[int, str] = {}  # chosen sentences read up to a clause boundary
    used = 0
    while True:
        best: tuple[float, int] | None = None  # (value, -index)
        best_unit: list[int] = []
        best_cut: str | None = None
        for i in window:
            if i in chosen:
                continue
            unit = _unit(cands, i, chosen)
            if unit is None:
                continue
            if any(cands[j].words > MAX_SENTENCE_WORDS for j in unit[:-1]):
                continue  # an antecedent too long to follow
            cut = None
            too_long = cands[i].words > MAX_SENTENCE_WORDS
            if too_long or used + _cost(cands, unit, chosen) > budget:
                room = min(budget - used, MAX_SENTENCE_WORDS)
                cut = _fitting_cut(cands[i], room) if len(unit) == 1 else None
                if cut is None or (i + 1 in chosen and cands[i + 1].trimmed):
                    continue
            value = sum(_value(cands[j], j, probability) for j in unit) / len(unit)

            key = (value, -i)
            if best is None or key > best:
                best, best_unit, best_cut = key, unit, cut
        if best is None:
            break
        if best_cut is not None:
            cut_of[best_unit[0]] = best_cut
            used += word_count(best_cut)
        else:
            used += _cost(cands, best_unit, chosen)
        chosen.update(best_unit)
        for j in best_unit:
            for t in set(cands[j].tokens):
                probability[t] = probability[t] ** 2
    if not chosen:  # room for no sentence: the lead, as short as it can be read
        chosen.add(0)
        if cands[0].cuts:
            cut_of[0] = cands[0].cuts[-1]
            fitting = _fitting_cut(cands[0], budget)
            if fitting is not None:
                cut_of[0] = fitting
    order = sorted(chosen)
    return CondensedStory(
        article=prepared.article,
        sentences=tuple(cut_of.get(i) or _as_read(cands, i, chosen) for i in order),
        paragraph_of=tuple(cands[i].paragraph for i in order),
        originals=tuple(cands[i].text for i in order),
    )


def _value(c: _Candidate, index: int, probability: dict[str, float]) -> float:
    """What reading sentence ``c`` is worth per word: the mean probability of its words in
    the article (SumBasic; Nenkova & Vanderwende 2005), times its centrality **
    CENTRALITY_EXPONENT, times exp(-index / POSITION_DECAY)."""
    if not c.tokens:
        return 0.0
    mean = sum(probability[t] for t in c.tokens) / len(c.tokens)
    return mean * c.centrality**CENTRALITY_EXPONENT * math.exp(-index / POSITION_DECAY)


def _fitting_cut(c: _Candidate, room: int) -> str | None:
    """The longest shorter form of ``c`` that fits in ``room`` words, if any."""
    return next((cut for cut in c.cuts if word_count(cut) <= room), None)


def _unit(cands: Sequence[_Candidate], i: int, chosen: set[int]) -> list[int] | None:
    """Sentence ``i`` and the sentences before it that it needs and are not chosen yet.

    None if that is more than MAX_UNIT sentences.
    """
    unit = [i]
    while cands[unit[0]].dangling and unit[0] - 1 not in chosen:
        if len(unit) == MAX_UNIT:
            return None
        unit.insert(0, unit[0] - 1)
    return unit


def _cost(cands: Sequence[_Candidate], unit: list[int], chosen: set[int]) -> int:
    """Words that choosing ``unit`` adds (a trimmed sentence is read whole once it is not)."""
    first, last = unit[0], unit[-1]
    cost = sum(cands[j].words for j in unit)
    if cands[first].trimmed and first - 1 not in chosen:
        cost -= cands[first].words - cands[first].trimmed_words
    after = last + 1
    if after in chosen and cands[after].trimmed:
        cost += cands[after].words - cands[after].trimmed_words
    return cost


def _as_read(cands: Sequence[_Candidate], i: int, chosen: set[int]) -> str:
    c = cands[i]
    return c.trimmed if c.trimmed and i - 1 not in chosen else c.read
