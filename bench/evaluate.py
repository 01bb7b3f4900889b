"""Evaluate spacecast's condenser against Lead-N and TextRank with ROUGE.

    python bench/evaluate.py ../shared/eval/bbc-news-dev.jsonl [--budget ref|N] [--json]

The data file has one JSON object a line: ``id``, ``category``, ``title``, ``article`` (body,
paragraphs separated by blank lines) and ``summary`` (a reference summary). Needs the
``bench`` extra (``pip install -e '.[bench]'``, that is ``rouge-score``). See bench/README.md.

Every system splits sentences with ``spacecast.sentences.split_sentences`` (per paragraph) and
counts words with ``spacecast.condense.word_count``. Two length regimes:

(a) ``sentences``: Lead and TextRank take as many sentences as spacecast chose;
(b) ``words``: every system gets the same word budget (the reference summary's word count,
    or ``--budget N``) and never exceeds it, except with a single first choice that alone is
    longer. Lead takes the longest prefix of the article that fits; TextRank takes sentences
    by rank, skipping one that does not fit, as spacecast does.

Spacecast's summary is the same in both regimes (it always runs under the word budget).
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

from spacecast.condense import condense, word_count
from spacecast.models import Article
from spacecast.sentences import split_paragraphs, split_sentences

try:
    from nltk.stem.porter import PorterStemmer
    from rouge_score import rouge_scorer
except ImportError:  # pragma: no cover - the message is the point
    sys.exit("bench/evaluate.py needs rouge-score: pip install -e '.[bench]'")

SYSTEMS = ("spacecast", "lead", "textrank")
REGIMES = ("sentences", "words")
LONG_SENTENCE = 25
_OPENERS_TEXT = (
    "He She It They This These Those That However But Also Meanwhile And So Its Their His Her"
)
DANGLING_OPENERS = frozenset(_OPENERS_TEXT.split())
_OPENER = re.compile(r"[\"'“‘(\[]*([A-Za-z]+)")

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
    sentences: tuple[str, ...]
    """Every sentence of the body, in order (split per paragraph)."""
    paragraph_of: tuple[int, ...]
    reference: tuple[str, ...]
    """The reference summary, split into sentences."""


def load(path: Path) -> list[Doc]:
    docs = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            row = json.loads(line)
            paragraphs = tuple(split_paragraphs(row["article"]))
            sentences: list[str] = []
            paragraph_of: list[int] = []
            for p, paragraph in enumerate(paragraphs):
                for s in split_sentences(paragraph):
                    sentences.append(s)
                    paragraph_of.append(p)
            docs.append(
                Doc(
                    id=row["id"],
                    category=row["category"],
                    article=Article(source=row["id"], title=row["title"], paragraphs=paragraphs),
                    sentences=tuple(sentences),
                    paragraph_of=tuple(paragraph_of),
                    reference=tuple(split_sentences(row["summary"])),
                )
            )
    return docs


# --- systems -------------------------------------------------------------------------------


def spacecast_choice(doc: Doc, budget: int) -> list[tuple[int, str]]:
    """Spacecast's choice: (index into ``doc.sentences``, text read) for each sentence.

    The text read is the article's sentence, or a part of it (a dateline or a connective
    such as "However," cut from its start).
    """
    story = condense(doc.article, budget)
    out: list[tuple[int, str]] = []
    start = 0
    for sentence, p in zip(story.sentences, story.paragraph_of, strict=True):
        for i in range(start, len(doc.sentences)):
            if doc.paragraph_of[i] == p and sentence in doc.sentences[i]:
                out.append((i, sentence))
                start = i + 1
                break
        else:
            raise AssertionError(f"{doc.id}: chosen sentence not found: {sentence[:60]!r}")
    return out


def lead_by_count(doc: Doc, n: int) -> list[int]:
    return list(range(min(n, len(doc.sentences))))


def lead_by_words(doc: Doc, budget: int) -> list[int]:
    out: list[int] = []
    used = 0
    for i, s in enumerate(doc.sentences):
        w = word_count(s)
        if out and used + w > budget:
            break
        out.append(i)
        used += w
    return out


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


def _ranked(doc: Doc, cache: dict[str, list[int]]) -> list[int]:
    if doc.id not in cache:
        scores = textrank_scores(doc.sentences)
        cache[doc.id] = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    return cache[doc.id]


def textrank_by_count(doc: Doc, n: int, cache: dict[str, list[int]]) -> list[int]:
    return sorted(_ranked(doc, cache)[:n])


def textrank_by_words(doc: Doc, budget: int, cache: dict[str, list[int]]) -> list[int]:
    out: list[int] = []
    used = 0
    for i in _ranked(doc, cache):
        w = word_count(doc.sentences[i])
        if out and used + w > budget:
            continue
        out.append(i)
        used += w
    return sorted(out)


# --- measures ------------------------------------------------------------------------------


def dangling(chosen: list[tuple[int, str]]) -> int:
    """Chosen sentences opening with a pronoun or connective whose predecessor was not chosen."""
    picked = {i for i, _ in chosen}
    count = 0
    for i, text in chosen:
        m = _OPENER.match(text)
        if i > 0 and m and m.group(1) in DANGLING_OPENERS and i - 1 not in picked:
            count += 1
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

    def add(self, scores: dict, lengths: list[int], dangling: int) -> None:
        self.docs += 1
        self.r1 += scores["rouge1"].fmeasure
        self.r2 += scores["rouge2"].fmeasure
        self.rl += scores["rougeLsum"].fmeasure
        self.words += sum(lengths)
        self.sentences += len(lengths)
        self.max_words = max([self.max_words, *lengths])
        self.long += sum(1 for n in lengths if n > LONG_SENTENCE)
        self.dangling += dangling

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
        }


def _whole(doc: Doc, indices: list[int]) -> list[tuple[int, str]]:
    return [(i, doc.sentences[i]) for i in indices]


def make_scorer() -> rouge_scorer.RougeScorer:
    """The standard scorer, with its tokenizer memoised (same results, several times faster)."""
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    tokenizer = scorer._tokenizer
    tokenize = functools.lru_cache(maxsize=None)(lambda text: tuple(tokenizer.tokenize(text)))
    scorer._tokenizer = SimpleNamespace(tokenize=lambda text: list(tokenize(text)))
    return scorer


def evaluate(docs: list[Doc], budget: str) -> dict:
    scorer = make_scorer()
    cache: dict[str, list[int]] = {}
    tallies: dict[tuple[str, str, str], Tally] = defaultdict(Tally)
    for doc in docs:
        reference = "\n".join(doc.reference)
        words = word_count(" ".join(doc.reference)) if budget == "ref" else int(budget)
        ours = spacecast_choice(doc, words)
        n = len(ours)
        picks = {
            ("sentences", "spacecast"): ours,
            ("sentences", "lead"): _whole(doc, lead_by_count(doc, n)),
            ("sentences", "textrank"): _whole(doc, textrank_by_count(doc, n, cache)),
            ("words", "spacecast"): ours,
            ("words", "lead"): _whole(doc, lead_by_words(doc, words)),
            ("words", "textrank"): _whole(doc, textrank_by_words(doc, words, cache)),
        }
        scored: dict[tuple[tuple[int, str], ...], dict] = {}
        for (regime, system), chosen in picks.items():
            texts = [t for _, t in chosen]
            key = tuple(chosen)
            if key not in scored:
                scored[key] = scorer.score(reference, "\n".join(texts))
            scores = scored[key]
            lengths = [word_count(t) for t in texts]
            for group in (doc.category, "overall"):
                tallies[(regime, group, system)].add(scores, lengths, dangling(chosen))
    categories = sorted({d.category for d in docs})
    return {
        "budget": budget,
        "articles": len(docs),
        "categories": {c: sum(1 for d in docs if d.category == c) for c in categories},
        "results": {
            regime: {
                group: {system: tallies[(regime, group, system)].row() for system in SYSTEMS}
                for group in ["overall", *categories]
            }
            for regime in REGIMES
        },
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
)
TITLES = {
    "sentences": "(a) same number of sentences as spacecast",
    "words": "(b) same word budget",
}


def markdown(report: dict) -> str:
    budget = report["budget"]
    budget_text = "the reference summary's word count" if budget == "ref" else f"{budget} words"
    lines = [
        f"{report['articles']} articles; word budget per article: {budget_text}. "
        "ROUGE F1 ×100 (rouge-score, Porter stemmer); `words`, `sents`: mean per summary; "
        "`dangling`: chosen sentences opening with a pronoun or connective whose preceding "
        "sentence was not chosen (count).",
    ]
    for regime in REGIMES:
        lines += ["", f"### {TITLES[regime]}", ""]
        lines.append("| set | system | " + " | ".join(t for _, t in COLUMNS) + " |")
        lines.append("|---|---|" + "---:|" * len(COLUMNS))
        for group, systems in report["results"][regime].items():
            label = group if group == "overall" else f"{group} ({report['categories'][group]})"
            for system, row in systems.items():
                cells = " | ".join(str(row[k]) for k, _ in COLUMNS)
                lines.append(f"| {label} | {system} | {cells} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="a JSON-lines file of articles and summaries")
    parser.add_argument(
        "--budget",
        default="ref",
        help="words per summary: 'ref' (the reference summary's length, default) or a number",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    args = parser.parse_args(argv)
    if args.budget != "ref" and not args.budget.isdigit():
        parser.error("--budget must be 'ref' or a whole number of words")
    report = evaluate(load(args.data), args.budget)
    print(json.dumps(report, indent=2) if args.json else markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
