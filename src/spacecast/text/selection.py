"""Which stories a briefing reads when not all of them fit its length.

Every story read keeps at least its lead sentence: less is not news. When the leads of all
the stories (with their headlines, links, stingers and pauses) cannot fit ``--minutes``,
the briefing does what an editor does: it reads the most newsworthy stories that fit, says
the headlines of the next ones in a short round-up at the end ("Also today: …") while time
allows, and leaves the rest out. How long a line-up runs is the caller's business (see
``pipeline``): this module only chooses, given a test of whether a line-up fits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from spacecast.text.article import Article


@dataclass(frozen=True)
class Lineup:
    """The stories a briefing reads, and those it leaves out, most newsworthy first."""

    read: tuple[Article, ...]
    left_out: tuple[Article, ...] = ()
    roundup: int = 0
    """How many of the left-out stories that have a headline the round-up names (the first
    ones, in order)."""


def choose_lineup(
    ranked: Sequence[Article],
    fits: Callable[[Lineup], bool],
    *,
    has_headline: Callable[[Article], bool] = lambda _: True,
    roundup: bool = True,
) -> Lineup | None:
    """The line-up that reads the most stories, in ``ranked`` order, that ``fits``.

    ``fits`` says whether a line-up fits the length with every story read at its shortest
    (its lead); it must grow no more likely to fit as stories are added. All the stories are
    read when they fit. Otherwise the first stories that fit are read (never a story while a
    more newsworthy one is left out) and, with ``roundup``, the round-up names as many of
    the next headlines as still fit. ``None`` when not even the first story fits.
    """
    ranked = tuple(ranked)
    everything = Lineup(read=ranked)
    if not ranked or fits(everything):
        return everything

    def reading(count: int, named: int = 0) -> Lineup:
        return Lineup(read=ranked[:count], left_out=ranked[count:], roundup=named)

    # Binary search for the most stories that fit: ``fitting`` stories fit (none: nothing
    # to test), ``too_many`` do not (all of them: tested above).
    fitting, too_many = 0, len(ranked)
    while too_many - fitting > 1:
        middle = (fitting + too_many) // 2
        if fits(reading(middle)):
            fitting = middle
        else:
            too_many = middle
    if fitting == 0:
        return None
    named = 0
    if roundup:
        # The round-up fills what is left, which is less than one more story's lead.
        headlines = sum(1 for article in ranked[fitting:] if has_headline(article))
        while named < headlines and fits(reading(fitting, named + 1)):
            named += 1
    return reading(fitting, named)


def one_more_headline(
    lineup: Lineup, has_headline: Callable[[Article], bool] = lambda _: True
) -> Lineup | None:
    """``lineup`` with the round-up naming one more headline, or ``None`` if none is left."""
    headlines = sum(1 for article in lineup.left_out if has_headline(article))
    if lineup.roundup >= headlines:
        return None
    return Lineup(read=lineup.read, left_out=lineup.left_out, roundup=lineup.roundup + 1)
