"""Deterministic, news-like English text for the speed benchmark.

Nothing is downloaded or copied: sentences are assembled from the word lists below with a
seeded ``random.Random``, so the same seed and length always give the same articles, byte
for byte. The text is plausible enough for spacecast's condenser and speech rewriting to do
their usual work (headlines, datelines-free paragraphs, numbers, percentages, money, years,
acronyms, quotes), which is what a timing run needs; it is not meant to make sense.

Use it as a module (``articles(words, seed)``, ``write_articles(folder, words, seed)``, or
by count: ``articles_by_count(n, seed)``, ``write_articles(folder, count=n)``) or run it:
``python bench/textgen.py --words 9000 -o /tmp/articles`` (``--count 100`` for 100 articles).
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from pathlib import Path

SEED = 20241126

_ORGS = (
    "the city council",
    "the health ministry",
    "the central bank",
    "the regional water board",
    "the transport authority",
    "the national weather service",
    "the port authority",
    "the teachers' union",
    "the energy regulator",
    "the space agency",
    "the European Commission",
    "the UN refugee agency",
    "the state railway",
    "the largest carmaker",
    "a coalition of farmers",
    "the football association",
    "the science academy",
    "the coast guard",
    "the housing office",
    "the statistics bureau",
    "a group of hospital doctors",
    "the airport operator",
    "the parliament's finance committee",
    "the electricity grid operator",
    "NASA",
    "the WHO",
)
_PEOPLE = (
    "Maria Lindqvist",
    "Daniel Okafor",
    "Priya Raman",
    "Tomas Novak",
    "Aiko Tanaka",
    "Helen Brooks",
    "Samuel Mensah",
    "Lucia Ferreira",
    "Jonas Weber",
    "Fatima Haddad",
    "Oliver Grant",
    "Chen Wei",
    "Sofia Marin",
    "Rahul Mehta",
    "Ingrid Solberg",
    "Marcus Cole",
    "Elena Petrova",
    "Kwame Asante",
    "Laura Jensen",
    "Yusuf Demir",
)
_ROLES = (
    "the finance minister",
    "a senior economist",
    "the mayor",
    "a spokesperson",
    "the chief executive",
    "the head of research",
    "an independent analyst",
    "the governor",
    "a union representative",
    "the project director",
    "a local resident",
    "the lead scientist",
)
_PLACES = (
    "the northern provinces",
    "the capital",
    "the coastal towns",
    "the river valley",
    "the industrial south",
    "three neighbouring countries",
    "the mountain districts",
    "the old harbour district",
    "rural communities",
    "the eastern suburbs",
    "the island chain",
    "the border region",
    "the university town",
    "the western plains",
)
_TOPICS = (
    "the new budget",
    "the flood defences",
    "the rail strike",
    "the vaccination campaign",
    "the satellite launch",
    "the housing shortage",
    "interest rates",
    "the drought",
    "the wind farm project",
    "the school reforms",
    "fuel prices",
    "the bridge repairs",
    "the trade agreement",
    "the heatwave",
    "the election results",
    "the data breach",
    "the wildfire season",
    "the hospital waiting lists",
    "the new metro line",
    "the fishing quotas",
    "the pension plan",
    "the chip factory",
    "the ceasefire talks",
)
_VERBS_PAST = (
    "announced",
    "approved",
    "rejected",
    "delayed",
    "expanded",
    "criticised",
    "defended",
    "postponed",
    "unveiled",
    "reviewed",
    "welcomed",
    "questioned",
    "funded",
    "suspended",
)
_OUTCOMES = (
    "rose",
    "fell",
    "climbed",
    "dropped",
    "jumped",
    "slipped",
    "recovered",
    "stalled",
)
_MEASURES = (
    "unemployment",
    "inflation",
    "ticket sales",
    "rainfall",
    "electricity demand",
    "house prices",
    "exports",
    "hospital admissions",
    "passenger numbers",
    "crop yields",
    "tourist arrivals",
    "average wages",
    "river levels",
    "broadband coverage",
)
_WHEN = (
    "on Monday",
    "on Tuesday",
    "on Wednesday",
    "on Thursday",
    "on Friday",
    "over the weekend",
    "last month",
    "earlier this week",
    "late on Sunday",
    "this morning",
    "in the spring",
    "by the end of the year",
    "within two years",
    "after months of talks",
)
_ADJ = (
    "cautious",
    "sharp",
    "unexpected",
    "modest",
    "welcome",
    "controversial",
    "long-awaited",
    "temporary",
    "significant",
    "gradual",
    "costly",
    "ambitious",
    "widely expected",
)
_REASONS = (
    "higher costs",
    "the dry summer",
    "weaker demand",
    "a shortage of skilled workers",
    "new safety rules",
    "stronger exports",
    "a cold winter",
    "delays in the supply chain",
    "the end of a subsidy",
    "record investment",
    "a series of storms",
    "lower energy prices",
)
_HEAD_NOUNS = (
    "plan",
    "deal",
    "vote",
    "warning",
    "report",
    "strike",
    "record",
    "delay",
    "rescue",
    "inquiry",
    "launch",
    "reform",
    "surge",
    "slump",
    "breakthrough",
)
_HEAD_VERBS = (
    "sparks debate",
    "wins support",
    "faces delay",
    "divides opinion",
    "goes ahead",
    "raises hopes",
    "draws criticism",
    "sets new record",
    "stalls again",
    "gets green light",
)


def _pick(rng: random.Random, items: tuple[str, ...]) -> str:
    return items[rng.randrange(len(items))]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _number(rng: random.Random) -> str:
    kind = rng.randrange(6)
    if kind == 0:
        return f"{rng.randrange(2, 99)} percent"
    if kind == 1:
        return f"{rng.randrange(2, 40)}.{rng.randrange(10)}%"
    if kind == 2:
        return f"${rng.randrange(2, 900)} million"
    if kind == 3:
        return f"€{rng.randrange(1, 9)}.{rng.randrange(10, 99)}bn"
    if kind == 4:
        return f"{rng.randrange(1200, 98000):,} people"
    return f"{rng.randrange(3, 60)} kilometres"


def sentence(rng: random.Random) -> str:
    """One news-like sentence, ending in a full stop."""
    form = rng.randrange(10)
    org, topic, when = _pick(rng, _ORGS), _pick(rng, _TOPICS), _pick(rng, _WHEN)
    if form == 0:
        text = f"{org} {_pick(rng, _VERBS_PAST)} {topic} {when}"
    elif form == 1:
        text = (
            f"{_pick(rng, _MEASURES)} {_pick(rng, _OUTCOMES)} by {_number(rng)} in "
            f"{_pick(rng, _PLACES)} {when}, largely because of {_pick(rng, _REASONS)}"
        )
    elif form == 2:
        text = (
            f"{_pick(rng, _PEOPLE)}, {_pick(rng, _ROLES)}, said the {_pick(rng, _ADJ)} change "
            f"to {topic} would affect {_number(rng)} across {_pick(rng, _PLACES)}"
        )
    elif form == 3:
        quote = (
            f"We have waited long enough for {topic}, and people in "
            f"{_pick(rng, _PLACES)} deserve a clear answer"
        )
        text = f'"{quote}," said {_pick(rng, _PEOPLE)}, {_pick(rng, _ROLES)}'
    elif form == 4:
        text = (
            f"the cost of {topic} is now estimated at {_number(rng)}, up from an earlier "
            f"forecast made in {rng.randrange(1995, 2024)}"
        )
    elif form == 5:
        text = (
            f"critics argue that {org} has moved too slowly, while supporters point to "
            f"{_pick(rng, _REASONS)} as the main obstacle"
        )
    elif form == 6:
        text = (
            f"a report published {when} found that {_pick(rng, _MEASURES)} in "
            f"{_pick(rng, _PLACES)} had {_pick(rng, _OUTCOMES)} for the third year running"
        )
    elif form == 7:
        text = (
            f"officials expect a {_pick(rng, _ADJ)} decision on {topic} {_pick(rng, _WHEN)}, "
            f"although {_pick(rng, _ORGS)} has asked for more time"
        )
    elif form == 8:
        text = (
            f"{_pick(rng, _PEOPLE)} told reporters that {topic} was "
            f"{_pick(rng, _ADJ)} but necessary, given {_pick(rng, _REASONS)}"
        )
    else:
        text = (
            f"in {_pick(rng, _PLACES)}, residents described the mood as {_pick(rng, _ADJ)} "
            f"as {org} prepared for {topic}"
        )
    return _cap(text) + "."


def headline(rng: random.Random) -> str:
    topic = _pick(rng, _TOPICS).removeprefix("the ")
    return _cap(f"{topic} {_pick(rng, _HEAD_NOUNS)} {_pick(rng, _HEAD_VERBS)}")


@dataclass(frozen=True)
class GeneratedArticle:
    title: str
    paragraphs: tuple[str, ...]

    @property
    def words(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)

    def text(self) -> str:
        """As a .txt article: the headline on its own line, then blank-line paragraphs."""
        return self.title + "\n\n" + "\n\n".join(self.paragraphs) + "\n"


def article(rng: random.Random, words: int) -> GeneratedArticle:
    """One article of about ``words`` words (never fewer), in paragraphs of 2 to 4 sentences."""
    paragraphs: list[str] = []
    count = 0
    while count < words:
        para = " ".join(sentence(rng) for _ in range(rng.randrange(2, 5)))
        paragraphs.append(para)
        count += len(para.split())
    return GeneratedArticle(title=headline(rng), paragraphs=tuple(paragraphs))


def articles(total_words: int, seed: int = SEED) -> list[GeneratedArticle]:
    """Articles of 300 to 500 words each, about ``total_words`` words in all."""
    rng = random.Random(seed)
    result: list[GeneratedArticle] = []
    remaining = total_words
    while remaining > 0:
        size = rng.randrange(300, 501)
        if remaining - size < 300:  # the last one takes the rest, within 300..500 if it can
            size = max(300, min(remaining, 500))
        item = article(rng, size)
        result.append(item)
        remaining -= item.words
    return result


def articles_by_count(count: int, seed: int = SEED) -> list[GeneratedArticle]:
    """``count`` articles of 300 to 500 words each."""
    rng = random.Random(seed)
    return [article(rng, rng.randrange(300, 501)) for _ in range(count)]


def write_articles(
    folder: Path, total_words: int = 0, seed: int = SEED, *, count: int | None = None
) -> list[Path]:
    """Write :func:`articles` (or, given ``count``, :func:`articles_by_count`) as
    ``NNN-article.txt`` files into ``folder``, in order; return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    items = articles(total_words, seed) if count is None else articles_by_count(count, seed)
    paths = []
    for index, item in enumerate(items, start=1):
        path = folder / f"{index:03d}-article.txt"
        path.write_text(item.text(), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=2000, help="total words (default 2000)")
    parser.add_argument("--count", type=int, help="this many articles instead (300-500 words)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("-o", "--output", type=Path, required=True, help="folder to write")
    args = parser.parse_args()
    paths = write_articles(args.output, args.words, args.seed, count=args.count)
    print(f"{len(paths)} articles written to {args.output}")


if __name__ == "__main__":
    main()
