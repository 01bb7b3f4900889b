"""Extractive condensing: pick the sentences of each article that the briefing reads aloud.

No language model: sentences are cleaned of page furniture, scored by how central they are
to the article, and chosen greedily under a word budget, never leaving a pronoun or a
connective without the sentence it leans on. docs/condenser.md has the measurements behind
each choice (and what did not help); bench/evaluate.py reruns them.

Scoring. Each cleaned sentence is a node of a graph whose edges weigh the Jaccard overlap of
two sentences' content words (lowercase, a small stopword list, plural ``s`` folded);
PageRank (damping 0.85) on that graph gives the sentence's centrality, the TextRank family
of methods (Mihalcea & Tarau 2004) with the similarity that normalises for length best.
Jaccard slightly under-rates longer sentences, which carry more of the story per sentence
read, so the score is ``centrality * words ** 0.15``, and ``* 0.95`` for a quote that does
not say who is speaking (no "she said" or "told" in it, including the later sentences of a
quote running on).

Selection is greedy by score under the word budget, and the result is put back in article
order. A sentence that opens with a pronoun or connective ("He", "This", "Such"...) is taken
only together with the sentence before it (and that one's own, up to two sentences back),
the group counting at the word-weighted mean of its scores. A sentence that merely opens
with a connective ("However,", "But", "Meanwhile,") that cannot stand alone is read without
it when the sentence before is not read, so "But the firm said" becomes "the firm said".

Chosen sentences are read exactly as they stood in the article, or as the part of it left
after a dateline at the very start or such an opening connective: always a substring.

Long articles: only the first 400 cleaned sentences are considered. A news article puts
what matters first, so the choice rarely reaches that far, and the cap keeps a 5 MB text
to a second or so (the text past the cap is never even split).
"""

from __future__ import annotations

import functools
import math
import operator
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .errors import InputError
from .models import Article
from .sentences import iter_sentences

__all__ = ["CondensedStory", "condense", "condense_all", "word_count"]

MAX_CANDIDATES = 400
"""How many cleaned sentences of one article are considered (see the module doc)."""

MIN_WORDS = 4
"""Shorter fragments are dropped, unless the article has fewer than two longer sentences."""

DAMPING = 0.85
"""PageRank's damping factor, the usual one (Brin & Page; Mihalcea & Tarau)."""

LENGTH_EXPONENT = 0.15
"""Score = centrality * words ** LENGTH_EXPONENT (see the module doc)."""

UNATTRIBUTED_QUOTE_FACTOR = 0.95

MAX_UNIT = 3
"""A sentence brings along at most two sentences before it that it depends on."""


@dataclass(frozen=True)
class CondensedStory:
    """The sentences of one article chosen for the briefing."""

    article: Article
    sentences: tuple[str, ...]
    """Chosen sentences, in article order, as read: each a substring of its paragraph (the
    whole sentence, or the sentence less a dateline or an opening connective such as
    "However," cut from its start; see the module doc)."""
    paragraph_of: tuple[int, ...]
    """For each chosen sentence, the index of its paragraph in ``article.paragraphs``."""

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
_QUOTE_OPEN = "\"“‘'"
_ATTRIBUTION = re.compile(
    r"\b(?:said|says|say|told|tells|according|added|adds|asked|explained|warned|stated|wrote"
    r"|insisted|claimed|argued|noted|admitted|announced|declared|replied|commented)\b",
    re.I,
)


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
    paragraph: int
    words: int
    score: float
    dangling: bool
    """Opens with a pronoun or connective: read only after the sentence before it."""
    trimmed: str | None
    """The sentence without its opening connective, read when the one before is not."""
    trimmed_words: int


@dataclass(frozen=True)
class _Prepared:
    article: Article
    candidates: tuple[_Candidate, ...]
    length: int

    @property
    def lead_words(self) -> int:
        return self.candidates[0].words


# The length fit condenses the same articles many times over with different budgets; the
# cleaning and scoring do not depend on the budget, so each article is prepared once.
@functools.lru_cache(maxsize=256)
def _prepare(article: Article) -> _Prepared:
    """Clean the article's sentences and score them."""
    raw = _clean(article)
    if not raw:
        raw = [_fallback(article)]
    texts = [t for t, _, _ in raw]
    scores = _score(texts, [q for _, _, q in raw])
    candidates = []
    for i, (text, score) in enumerate(zip(texts, scores, strict=True)):
        trimmed = _trim_connective(text) if i > 0 else None
        candidates.append(
            _Candidate(
                text=text,
                paragraph=raw[i][1],
                words=word_count(text),
                score=score,
                dangling=i > 0 and trimmed is None and _first_word(text) in _DANGLING,
                trimmed=trimmed,
                trimmed_words=word_count(trimmed) if trimmed else 0,
            )
        )
    return _Prepared(article, tuple(candidates), sum(c.words for c in candidates))


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
    return rest


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
        for sentence in iter_sentences(paragraph):
            continues_quote = inside_quote
            inside_quote = _quote_open_after(sentence, inside_quote)
            if not kept:
                sentence = _strip_dateline(sentence)
            if _is_furniture(sentence):
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


def _score(texts: list[str], in_quote: list[bool]) -> list[float]:
    """Each sentence's score (see the module doc). The title plays no part: scoring by title
    overlap did not help (docs/condenser.md)."""
    centrality = _centrality([frozenset(_tokens(t)) for t in texts])
    scores = []
    for text, quote, c in zip(texts, in_quote, centrality, strict=True):
        score = c * max(word_count(text), 1) ** LENGTH_EXPONENT
        if (quote or text[:1] in _QUOTE_OPEN) and not _ATTRIBUTION.search(text):
            score *= UNATTRIBUTED_QUOTE_FACTOR
        scores.append(score)
    return scores


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
    cands = prepared.candidates
    budget = max(0, max_words)
    chosen: set[int] = set()
    used = 0
    if budget <= cands[0].words:
        budget = 0  # room for the lead at most: read the lead (below)
    while True:
        pick: tuple[float, int] | None = None  # (-score, index) of the best option
        pick_unit: list[int] = []
        for i in range(len(cands)):
            if i in chosen:
                continue
            unit = _unit(cands, i, chosen)
            if unit is None or used + _cost(cands, unit, chosen) > budget:
                continue
            if len(unit) == 1:
                score = cands[i].score
            else:
                score = sum(cands[j].score * cands[j].words for j in unit) / sum(
                    cands[j].words for j in unit
                )
            key = (-score, i)
            if pick is None or key < pick:
                pick, pick_unit = key, unit
        if pick is None:
            break
        used += _cost(cands, pick_unit, chosen)
        chosen.update(pick_unit)
    if not chosen:
        chosen.add(0)  # the lead: written to stand alone
    order = sorted(chosen)
    return CondensedStory(
        article=prepared.article,
        sentences=tuple(_as_read(cands, i, chosen) for i in order),
        paragraph_of=tuple(cands[i].paragraph for i in order),
    )


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
    return c.trimmed if c.trimmed and i - 1 not in chosen else c.text
