"""Evaluate spacecast's condenser against Lead and TextRank with ROUGE, story by story.

    python bench/evaluate.py DATA.jsonl [--budgets 30,58,100] [--half 1|2] [--json]

DATA has one JSON object a line: ``id``, ``article`` (paragraphs separated by blank lines) and
``summary`` (a reference summary: one sentence a line, or running text), and optionally
``title`` and ``category``. The primary set is CNN/DailyMail with its editors' highlights
(``cnndm-dev.jsonl``); the BBC set's references were themselves extracted by centrality, so it
is a secondary check only (docs/condenser.md). Needs the ``bench`` extra (``rouge-score``).

Each budget is words per story, the share a briefing gives a story (about 30, 58 and 100 in
1-, 5- and 10-minute briefings of ten stories). For every article and budget:

- *spacecast*: ``condense(article, budget)``, what a briefing would read.
- *lead-words*: the article's first N words, cut mid-sentence if need be, where N is the
  number of words spacecast read for that article: the same words, story by story. This is
  "simply reading the first N words", the strongest form of Lead.
- *lead-budget*: the article's first words, as many as the budget (more words than spacecast
  reads, which mostly stops short of the budget at a sentence's end).
- *lead*: the article's first whole sentences that fit the budget (at least one).
- *textrank*: TextRank (Mihalcea & Tarau 2004) sentences by rank, skipping any that does not
  fit, under the budget, put back in article order (the top sentence alone if none fits).

Every system splits sentences with ``spacecast.text.sentences.split_sentences`` (per paragraph)
and counts words with ``spacecast.text.condense.word_count``. ``--half`` keeps the odd (1) or
even (2) lines only, to show a result holds on each half.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from spacecast.text.article import Article
from spacecast.text.condense import condense, word_count
from spacecast.text.sentences import split_paragraphs, split_sentences

try:
    from nltk.stem.porter import PorterStemmer
    from rouge_score import rouge_scorer
except ImportError:  # pragma: no cover - the message is the point
    sys.exit("bench/evaluate.py needs rouge-score: pip install -e . --group bench")

SYSTEMS = ("spacecast", "lead-words", "lead-budget", "lead", "textrank")
LONG_SENTENCE = 25
_OPENERS_TEXT = (
    "He She It They This These Those That However But Also Meanwhile And So Its Their His Her"
)
DANGLING_OPENERS = frozenset(_OPENERS_TEXT.split())
_OPENER = re.compile(r"[\"'“‘(\[]*([A-Za-z]+)")
# A pronoun in an attribution: "she said", "said he".
_PRONOUN_SPEAKER = re.compile(
    r"[,\"'”’]\s*(?:he|she|they)\s+(?:said|says|added|told|explained|insisted|claimed"
    r"|admitted|warned)\b"
    r"|\bsaid\s+(?:he|she|they)\s*[,.;:!?]",
    re.I,
)
_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")

# TextRank: a standard English stopword list; tokens are lowercased and Porter-stemmed.
_STOPWORDS_TEXT = """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself
    yourselves"""
_STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
_TR_TOKEN = re.compile(r"[a-z0-9]+")
_STEMMER = PorterStemmer()


@dataclass(frozen=True)
class Doc:
    id: str
    category: str
    article: Article
    body: str
    """The article's text, paragraphs separated by blank lines."""
    sentences: tuple[str, ...]
    """Every sentence of the body, in order (split per paragraph)."""
    reference: tuple[str, ...]
    """The reference summary, one sentence an entry."""


def load(path: Path, half: int | None = None) -> list[Doc]:
    docs = []
    with path.open(encoding="utf-8") as f:
        lines = [line for line in f if line.strip()]
    for number, line in enumerate(lines, start=1):
        if half is not None and number % 2 != half % 2:
            continue
        row = json.loads(line)
        paragraphs = tuple(split_paragraphs(row["article"]))
        summary = row["summary"]
        reference = (
            [s.strip() for s in summary.splitlines() if s.strip()]
            if "\n" in summary.strip()
            else split_sentences(summary)
        )
        docs.append(
            Doc(
                id=row["id"],
                category=row.get("category", ""),
                article=Article(
                    source=row["id"], title=row.get("title", ""), paragraphs=paragraphs
                ),
                body="\n\n".join(paragraphs),
                sentences=tuple(s for p in paragraphs for s in split_sentences(p)),
                reference=tuple(reference),
            )
        )
    return docs


# --- systems -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """What a system reads: each sentence as read, and its index in ``Doc.sentences``."""

    read: tuple[str, ...]
    index: tuple[int | None, ...]
    """None for text that is not a whole sentence's position (lead-words' last words)."""


def spacecast_choice(doc: Doc, budget: int) -> Choice:
    story = condense(doc.article, budget)
    index: list[int | None] = []
    start = 0
    for original in story.originals:
        for i in range(start, len(doc.sentences)):
            if original in doc.sentences[i]:
                index.append(i)
                start = i + 1
                break
        else:
            raise AssertionError(f"{doc.id}: chosen sentence not found: {original[:60]!r}")
    return Choice(story.sentences, tuple(index))


def lead_words(doc: Doc, words: int) -> Choice:
    """The first ``words`` words of the body, split into sentences (for ROUGE-Lsum)."""
    found = list(_WORD.finditer(doc.body))
    text = doc.body if len(found) <= words else doc.body[: found[max(words, 1) - 1].end()]
    read = tuple(s for p in split_paragraphs(text) for s in split_sentences(p))
    return Choice(read, tuple(range(len(read))))


def lead_sentences(doc: Doc, budget: int) -> Choice:
    out: list[int] = []
    used = 0
    for i, s in enumerate(doc.sentences):
        w = word_count(s)
        if out and used + w > budget:
            break
        out.append(i)
        used += w
    return _whole(doc, out)


def textrank_scores(sentences: tuple[str, ...], d: float = 0.85) -> list[float]:
    """TextRank (Mihalcea & Tarau 2004): weighted PageRank over sentence similarity.

    similarity(i, j) = |common words| / (log |S_i| + log |S_j|), words lowercased, stopwords
    removed, Porter-stemmed; |S| is the sentence's length in words.
    """
    bags = []
    lengths = []
    for s in sentences:
        words = _TR_TOKEN.findall(s.lower())
        lengths.append(len(words))
        bags.append({_STEMMER.stem(w) for w in words if w not in _STOPWORDS})
    n = len(sentences)
    weights = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            denom = math.log(max(lengths[i], 1)) + math.log(max(lengths[j], 1))
            common = len(bags[i] & bags[j])
            if common and denom > 0:
                weights[i][j] = weights[j][i] = common / denom
    out_sum = [sum(row) for row in weights]
    scores = [1.0] * n
    for _ in range(200):
        new = [
            (1 - d)
            + d * sum(weights[j][i] / out_sum[j] * scores[j] for j in range(n) if weights[j][i])
            for i in range(n)
        ]
        delta = max((abs(a - b) for a, b in zip(new, scores, strict=True)), default=0.0)
        scores = new
        if delta < 1e-8:
            break
    return scores


@functools.cache
def _ranked(sentences: tuple[str, ...]) -> list[int]:
    scores = textrank_scores(sentences)
    return sorted(range(len(scores)), key=lambda i: (-scores[i], i))


def textrank_choice(doc: Doc, budget: int) -> Choice:
    out: list[int] = []
    used = 0
    for i in _ranked(doc.sentences):
        w = word_count(doc.sentences[i])
        if used + w > budget:
            continue
        out.append(i)
        used += w
    if not out and doc.sentences:  # nothing fits: the top sentence alone, as Lead does
        out.append(_ranked(doc.sentences)[0])
    return _whole(doc, sorted(out))


def _whole(doc: Doc, indices: list[int]) -> Choice:
    return Choice(tuple(doc.sentences[i] for i in indices), tuple(indices))


# --- measures ------------------------------------------------------------------------------


def _leaning(choice: Choice, readable: tuple[int, ...]) -> list[str]:
    """Sentences read whose sentence before is not read.

    "Before" skips what a system never reads: for spacecast, page furniture and captions
    that it drops (a pronoun after a caption leans on the sentence before the caption).
    """
    picked = set(choice.index)
    before = dict(zip(readable, (None, *readable[:-1]), strict=True))
    return [
        text
        for i, text in zip(choice.index, choice.read, strict=True)
        if i is not None and before.get(i) is not None and before[i] not in picked
    ]


def dangling(choice: Choice, readable: tuple[int, ...]) -> int:
    """Sentences read that open with a pronoun or connective, the sentence before unread."""
    openers = (_OPENER.match(text) for text in _leaning(choice, readable))
    return sum(1 for m in openers if m and m.group(1) in DANGLING_OPENERS)


def unresolved_speakers(choice: Choice, readable: tuple[int, ...]) -> int:
    """Sentences read with "she said" (or the like) and the sentence before unread, unless a
    name comes before the pronoun in the sentence itself."""
    count = 0
    for text in _leaning(choice, readable):
        m = _PRONOUN_SPEAKER.search(text)
        leading = text[: m.start()].split()[1:] if m else []  # a name: capitalised, not first
        count += bool(m) and not any(w[:1].isupper() for w in leading)
    return count


@dataclass
class Tally:
    docs: int = 0
    r1: float = 0.0
    r2: float = 0.0
    rl: float = 0.0
    words: int = 0
    sentences: int = 0
    max_words: int = 0
    long: int = 0
    dangling: int = 0
    speakers: int = 0

    def add(self, scores: dict, lengths: list[int], dangling: int, speakers: int) -> None:
        self.docs += 1
        self.r1 += scores["rouge1"].fmeasure
        self.r2 += scores["rouge2"].fmeasure
        self.rl += scores["rougeLsum"].fmeasure
        self.words += sum(lengths)
        self.sentences += len(lengths)
        self.max_words = max([self.max_words, *lengths])
        self.long += sum(1 for n in lengths if n > LONG_SENTENCE)
        self.dangling += dangling
        self.speakers += speakers

    def row(self) -> dict[str, float | int]:
        n = max(self.docs, 1)
        s = max(self.sentences, 1)
        return {
            "rouge1": round(100 * self.r1 / n, 2),
            "rouge2": round(100 * self.r2 / n, 2),
            "rougeLsum": round(100 * self.rl / n, 2),
            "words_per_summary": round(self.words / n, 1),
            "sentences_per_summary": round(self.sentences / n, 2),
            "words_per_sentence": round(self.words / s, 1),
            "max_words_per_sentence": self.max_words,
            "share_over_25": round(100 * self.long / s, 1),
            "dangling_openers": self.dangling,
            "unresolved_speakers": self.speakers,
        }


def make_scorer() -> rouge_scorer.RougeScorer:
    """The standard scorer, with its tokenizer memoised (same results, several times faster)."""
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    tokenizer = scorer._tokenizer
    tokenize = functools.lru_cache(maxsize=None)(lambda text: tuple(tokenizer.tokenize(text)))
    scorer._tokenizer = SimpleNamespace(tokenize=lambda text: list(tokenize(text)))
    return scorer


def evaluate(docs: list[Doc], budgets: list[str]) -> dict:
    scorer = make_scorer()
    results: dict[str, dict[str, dict[str, dict]]] = {}
    categories = sorted({d.category for d in docs if d.category})
    for budget in budgets:
        tallies: dict[tuple[str, str], Tally] = defaultdict(Tally)
        for doc in docs:
            reference = "\n".join(doc.reference)
            words = word_count(" ".join(doc.reference)) if budget == "ref" else int(budget)
            ours = spacecast_choice(doc, words)
            everything = tuple(range(len(doc.sentences)))
            readable = {"spacecast": spacecast_choice(doc, 10**9).index}
            picks = {
                "spacecast": ours,
                "lead-words": lead_words(doc, word_count(" ".join(ours.read))),
                "lead-budget": lead_words(doc, words),
                "lead": lead_sentences(doc, words),
                "textrank": textrank_choice(doc, words),
            }
            for system, choice in picks.items():
                scores = scorer.score(reference, "\n".join(choice.read))
                lengths = [word_count(t) for t in choice.read]
                seen = readable.get(system, everything)
                for group in ("overall", *([doc.category] if doc.category else [])):
                    tallies[(group, system)].add(
                        scores, lengths, dangling(choice, seen), unresolved_speakers(choice, seen)
                    )
        results[budget] = {
            group: {system: tallies[(group, system)].row() for system in SYSTEMS}
            for group in ["overall", *categories]
        }
    return {
        "articles": len(docs),
        "categories": {c: sum(1 for d in docs if d.category == c) for c in categories},
        "results": results,
    }


COLUMNS = (
    ("rouge1", "R-1"),
    ("rouge2", "R-2"),
    ("rougeLsum", "R-Lsum"),
    ("words_per_summary", "words"),
    ("sentences_per_summary", "sents"),
    ("words_per_sentence", "w/sent"),
    ("max_words_per_sentence", "max w"),
    ("share_over_25", "% >25w"),
    ("dangling_openers", "dangling"),
    ("unresolved_speakers", "who said"),
)


def markdown(report: dict) -> str:
    lines = [
        f"{report['articles']} articles. ROUGE F1 ×100 (rouge-score, Porter stemmer); `words`, "
        "`sents`: mean per story; `dangling`: sentences read that open with a pronoun or "
        "connective while the sentence before is not read; `who said`: sentences read with "
        '"she said" or the like, no name before it and the sentence before not read (counts).'
    ]
    for budget, groups in report["results"].items():
        title = "the reference's length" if budget == "ref" else f"{budget} words a story"
        lines += ["", f"### Budget: {title}", ""]
        lines.append("| set | system | " + " | ".join(t for _, t in COLUMNS) + " |")
        lines.append("|---|---|" + "---:|" * len(COLUMNS))
        for group, systems in groups.items():
            label = group if group == "overall" else f"{group} ({report['categories'][group]})"
            for system, row in systems.items():
                name = f"**{system}**" if system == "spacecast" else system
                cells = " | ".join(str(row[k]) for k, _ in COLUMNS)
                lines.append(f"| {label} | {name} | {cells} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="a JSON-lines file of articles and summaries")
    parser.add_argument(
        "--budgets",
        default="30,58,100",
        help="words per story, comma-separated; 'ref' is the reference summary's length",
    )
    parser.add_argument("--half", type=int, choices=(1, 2), help="odd (1) or even (2) lines only")
    parser.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    args = parser.parse_args(argv)
    budgets = [b.strip() for b in args.budgets.split(",") if b.strip()]
    if not budgets or not all(b == "ref" or b.isdigit() for b in budgets):
        parser.error("--budgets: give whole numbers of words (or 'ref'), comma-separated")
    report = evaluate(load(args.data, args.half), budgets)
    print(json.dumps(report, indent=2) if args.json else markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
