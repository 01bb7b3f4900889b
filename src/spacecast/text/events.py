"""Events, not articles: the day's stories grouped by the happening they report, and ranked.

On a news day the same event arrives from several outlets in several wordings. ``group``
puts articles about one event together; ``plan_events`` turns a day's articles (and those
read on the days before) into events ranked by the news, each read once from its best
article with every other outlet credited. Pure text: words in, groups out.

Grouping (``group``) is incremental clustering in time order, as in topic detection and
tracking: each article is a TF-IDF vector of the content words of its headline and lead
(the first ``LEAD_WORDS`` words); it joins the event whose centroid it is most similar to
(cosine) when that is at least ``THRESHOLD``, the event began at most ``WINDOW_HOURS``
before it and has no report from the same outlet yet; else it starts a new event. The
method, the parameters and how they were chosen are in ``docs/events.md``;
``bench/events.py`` measures them.

Ranking (``event_score``): coverage x recency, where coverage is the sum over the distinct
outlets that report the event of each outlet's ``weight`` (``[[sources]] weight``, 1 by
default) and recency halves for every ``HALF_LIFE_DAYS`` between the run's date and the
event's newest report. Ties keep the order the articles came in (the sources' order).

Memory (``plan_events(read=...)``): articles read on earlier days take part in the grouping.
A new report that joins an event read before is the same happening told again: a repeat,
not read. A real new development is a new happening that began more than ``WINDOW_HOURS``
after an event read before and is at least ``FOLLOW_THRESHOLD`` similar to it
(``event_links``): it is read, introduced as an update of that story. Counting a report's
new words cannot tell the two apart: another outlet's wording of the same happening brings
as many new words as a development does (see ``docs/events.md``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from spacecast.models import Credit
from spacecast.text.article import Article
from spacecast.text.condense import content_words

LEAD_WORDS = 40
"""Words of an article's text (after its headline) that describe it for grouping: the lead
says what happened; later paragraphs drift into background shared with other events."""
WINDOW_HOURS = 36.0
"""An article joins an event only within this many hours of the event's first report."""
THRESHOLD = 0.10
"""Least cosine similarity to an event's centroid for an article to join it."""
TITLE_REPEAT = 1
"""The headline's words count this many times: it names the event most precisely."""
HALF_LIFE_DAYS = 1.0
"""An event's score halves for every this many days since its newest report."""
FOLLOW_THRESHOLD = 0.33
"""Least cosine similarity between two events' centroids for the later one to be read as
an update of the earlier."""
BACKGROUND = 20
"""Documents of other news counted into every word's idf. Without them a quiet day's few
articles, all about one event, would make that event's own words look common (in every
document) and weigh nothing; with hundreds of articles they change little."""
BRIEF_WORDS = 100
"""A shorter article (a radio bulletin, a wire short) counts in proportion to its length
when the report to read is chosen: it has less to tell."""


@dataclass(frozen=True)
class Report:
    """One article as the grouping sees it."""

    title: str
    text: str
    when: float
    """When it was published, in seconds (any epoch, the same for all)."""
    outlet: str = ""
    """Who published it: an event has one report per outlet (``""``: unknown)."""


def group(
    reports: Sequence[Report],
    *,
    threshold: float = THRESHOLD,
    window_hours: float = WINDOW_HOURS,
    lead_words: int = LEAD_WORDS,
    vectors: Sequence[dict[str, float]] | None = None,
) -> list[tuple[int, ...]]:
    """The events among ``reports``: tuples of their indices, each in time order, the events
    in the order of their first report. Deterministic: ties go to the earlier index.
    ``vectors``: the reports' ``_vectors``, when the caller has them already."""
    if vectors is None:
        vectors = _vectors(reports, lead_words)
    order = sorted(range(len(reports)), key=lambda i: (reports[i].when, i))
    window = window_hours * 3600
    clusters: list[_Cluster] = []
    postings: dict[str, list[int]] = {}  # word -> clusters whose centroid has it
    for i in order:
        vector, when, outlet = vectors[i], reports[i].when, reports[i].outlet
        dots: dict[int, float] = {}
        for word, weight in vector.items():
            for c in postings.get(word, ()):
                dots[c] = dots.get(c, 0.0) + weight * clusters[c].sums[word]
        best, best_score = -1, 0.0
        for c, dot in sorted(dots.items()):  # the earlier event wins a tie
            cluster = clusters[c]
            if when - cluster.first > window or (outlet and outlet in cluster.outlets):
                continue
            score = dot / cluster.norm
            if score >= threshold and (best < 0 or score > best_score):
                best, best_score = c, score
        if best < 0:
            best = len(clusters)
            clusters.append(_Cluster(first=when))
        clusters[best].outlets.add(outlet)
        for word in clusters[best].add(i, vector):
            postings.setdefault(word, []).append(best)
    return [tuple(cluster.members) for cluster in clusters]


class _Cluster:
    """An event being grouped: its members and the sum of their vectors (the centroid)."""

    def __init__(self, first: float) -> None:
        self.first = first
        self.members: list[int] = []
        self.outlets: set[str] = set()
        self.sums: dict[str, float] = {}
        self._square = 0.0

    @property
    def norm(self) -> float:
        return math.sqrt(self._square) or 1.0

    def add(self, index: int, vector: dict[str, float]) -> list[str]:
        """Add a member; the words new to the centroid."""
        self.members.append(index)
        fresh = []
        for word, weight in vector.items():
            old = self.sums.get(word)
            if old is None:
                fresh.append(word)
                old = 0.0
            self.sums[word] = old + weight
            self._square += 2 * old * weight + weight * weight
        return fresh


def _words(report: Report, lead_words: int) -> list[str]:
    lead = " ".join(report.text.split()[:lead_words])
    return content_words(report.title) * TITLE_REPEAT + content_words(lead)


def _vectors(reports: Sequence[Report], lead_words: int) -> list[dict[str, float]]:
    """Unit TF-IDF vectors (log term frequency; idf over ``reports`` and ``BACKGROUND``
    documents that share no word with them)."""
    counts = [Counter(_words(r, lead_words)) for r in reports]
    df = Counter(word for c in counts for word in c)
    n = len(reports)
    vectors = []
    for c in counts:
        v = {
            w: (1 + math.log(k)) * math.log((n + BACKGROUND) / (df[w] + 0.5)) for w, k in c.items()
        }
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vectors.append({w: x / norm for w, x in v.items()})
    return vectors


# --- the day's events ------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    """One happening and every report of it."""

    articles: tuple[Article, ...]
    """The new reports, the one to read first."""
    score: float = 0.0
    """Coverage x recency (see the module's docstring)."""
    outlets: tuple[str, ...] = ()
    """The distinct outlets that report it (new reports and those read before)."""
    read_before: tuple[Article, ...] = ()
    """Reports of this very happening read on earlier days: the event is a repeat."""
    follows: Article | None = None
    """A story read on an earlier day that this event develops: it is read as an update."""

    @property
    def lead(self) -> Article:
        """The article read for the event."""
        return self.articles[0]

    @property
    def repeat(self) -> bool:
        """Read before: not read again."""
        return bool(self.read_before)

    def story(self) -> Article:
        """The lead article as the briefing reads it: crediting the other reports, and naming
        the story it updates, if any."""
        credits = tuple(credit_of(a) for a in self.articles[1:])
        # Its headline, never its label: a story without one is not named (a label made
        # from the text is never spoken).
        update_of = (self.follows.title or None) if self.follows is not None else None
        return replace(self.lead, also=credits, update_of=update_of)


def credit_of(article: Article) -> Credit:
    """``article`` as a report credited where another is read: outlet, title, link."""
    return Credit(outlet=outlet_of(article), title=article.label, url=article.url or article.source)


def outlet_of(article: Article) -> str:
    """Who published ``article``: its source's name, else its link's host, else its path."""
    if article.outlet:
        return article.outlet
    if article.url:
        host = urlsplit(article.url).hostname or ""
        if host:
            return host.removeprefix("www.")
    return article.source


def event_score(
    outlets: Sequence[str], newest: dt.date, date: dt.date, weight: Callable[[str], float]
) -> float:
    """Coverage (the outlets' summed weights) halved for every ``HALF_LIFE_DAYS`` between
    ``newest`` (the event's newest report) and ``date`` (the run's)."""
    age = max(0, (date - newest).days)
    return sum(weight(o) for o in dict.fromkeys(outlets)) * 0.5 ** (age / HALF_LIFE_DAYS)


def event_links(
    reports: Sequence[Report],
    groups: Sequence[Sequence[int]],
    *,
    earlier: Sequence[int] | None = None,
    threshold: float = FOLLOW_THRESHOLD,
    window_hours: float = WINDOW_HOURS,
    vectors: Sequence[dict[str, float]] | None = None,
) -> dict[int, int]:
    """Which event each of ``groups`` develops: ``{group: earlier group}`` for the groups at
    least ``threshold`` similar to an event that began more than ``window_hours`` before
    it (the most similar; ``earlier``: only among these). Two events are as similar as
    their centroids, or as their two most similar reports when those are closer (a
    development often retells one report's lead). ``vectors``: as for ``group``."""
    if vectors is None:
        vectors = _vectors(reports, LEAD_WORDS)
    centroids = [_centroid([vectors[i] for i in g]) for g in groups]
    firsts = [min(reports[i].when for i in g) for g in groups]
    allowed = range(len(groups)) if earlier is None else earlier
    links = {}
    for g in range(len(groups)):
        best, best_score = -1, threshold
        for e in allowed:
            if e == g or firsts[g] - firsts[e] <= window_hours * 3600:
                continue
            score = max(
                _cosine(centroids[g], centroids[e]),
                max(_cosine(vectors[i], vectors[j]) for i in groups[g] for j in groups[e]),
            )
            if score >= best_score:
                best, best_score = e, score
        if best >= 0:
            links[g] = best
    return links


def _centroid(vectors: Sequence[dict[str, float]]) -> dict[str, float]:
    """The unit mean of ``vectors``."""
    total: dict[str, float] = {}
    for vector in vectors:
        for word, weight in vector.items():
            total[word] = total.get(word, 0.0) + weight
    norm = math.sqrt(sum(x * x for x in total.values())) or 1.0
    return {word: x / norm for word, x in total.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(word, 0.0) for word, x in a.items())


def plan_events(
    articles: Sequence[Article],
    *,
    date: dt.date,
    read: Sequence[tuple[Article, dt.date]] = (),
    weight: Callable[[str], float] = lambda outlet: 1.0,
) -> list[Event]:
    """The events of ``articles`` (the candidates, in the sources' order), best first.

    ``read``: articles read on earlier days, each with the date of its episode (each
    episode's in the order read, the story read for an event before the reports it
    credited). An event
    with one of them in it is a repeat (``Event.repeat``: not to be read); an event that
    develops one read more than ``WINDOW_HOURS`` earlier ``follows`` it. An article with no
    date counts as published on ``date``. ``weight``: each outlet's weight.
    """
    everything = [*articles, *(a for a, _ in read)]
    days = [a.date or date for a in articles] + [a.date or day for a, day in read]
    noon = dt.time(12, tzinfo=dt.UTC)
    reports = [
        Report(a.title, a.text, dt.datetime.combine(d, noon).timestamp(), outlet_of(a))
        for a, d in zip(everything, days, strict=True)
    ]
    count = len(articles)
    vectors = _vectors(reports, LEAD_WORDS)  # once, for grouping, linking and choosing
    groups = group(reports, vectors=vectors)
    memory = [g for g, members in enumerate(groups) if min(members) >= count]
    links = event_links(reports, groups, earlier=memory, vectors=vectors)
    events = []
    for g, members in enumerate(groups):
        new = sorted(i for i in members if i < count)
        if not new:
            continue  # only what was read before
        best = max(new, key=lambda i: (_merit(i, members, vectors, everything, weight), -i))
        outlets = tuple(dict.fromkeys(outlet_of(everything[i]) for i in members))
        follows = None
        if g in links:
            # The story read: the first report of the earliest episode that read the event
            # (``read`` lists each episode's stories in the order read, its lead first).
            first = min(groups[links[g]], key=lambda i: (read[i - count][1], i))
            follows = everything[first]
        event = Event(
            articles=tuple(everything[i] for i in [best, *(i for i in new if i != best)]),
            score=event_score(outlets, max(days[i] for i in new), date, weight),
            outlets=outlets,
            read_before=tuple(everything[i] for i in members if i >= count),
            follows=follows,
        )
        events.append((min(new), event))
    events.sort(key=lambda pair: (-pair[1].score, pair[0]))
    return [event for _, event in events]


def _merit(
    i: int,
    members: Sequence[int],
    vectors: Sequence[dict[str, float]],
    articles: Sequence[Article],
    weight: Callable[[str], float],
) -> float:
    """How well article ``i`` tells its event: its similarity to the other reports' centroid
    (the version that covers what they all say), times its outlet's weight, times its share
    of ``BRIEF_WORDS`` for a brief."""
    others = [m for m in members if m != i]
    similarity = _cosine(vectors[i], _centroid([vectors[m] for m in others])) if others else 1.0
    article = articles[i]
    length = min(1.0, len(article.text.split()) / BRIEF_WORDS)
    return similarity * weight(outlet_of(article)) * length
