"""Which stories a briefing reads when not all of them fit: the most newsworthy that do."""

from __future__ import annotations

from spacecast.text.article import Article
from spacecast.text.selection import Lineup, choose_lineup


def story(title: str, lead_words: int) -> Article:
    return Article(source=f"{title}.txt", title=title, paragraphs=("word " * lead_words,))


# A made-up clock for the choice alone: the greeting and sign-off take 20 s, each story read
# at its shortest 2 s of link plus a second per word of its lead, the round-up 3 s plus 2 s
# per headline. (The real lengths come from the voices; see test_length.py.)
def seconds(lineup: Lineup) -> float:
    stories = sum(2 + len(a.paragraphs[0].split()) for a in lineup.read)
    return 20 + stories + (3 + 2 * lineup.roundup if lineup.roundup else 0)


def within(limit: float):
    return lambda lineup: seconds(lineup) <= limit


STORIES = [story(name, 10) for name in "ABCDEFGHIJ"]  # 12 s each


def titles(articles) -> list[str]:
    return [a.title for a in articles]


def test_everything_is_read_when_every_lead_fits():
    assert choose_lineup(STORIES, within(20 + 10 * 12)) == Lineup(read=tuple(STORIES))


def test_the_first_stories_that_fit_are_read_and_the_roundup_takes_what_is_left():
    # 100 s: 20 + 6 stories (72 s) = 92 s; a seventh would need 12 s, a round-up 3 + 2 per
    # headline: two headlines (7 s) fit in the 8 s left, three (9 s) do not.
    lineup = choose_lineup(STORIES, within(100))
    assert titles(lineup.read) == list("ABCDEF")
    assert titles(lineup.left_out) == list("GHIJ")
    assert lineup.roundup == 2
    assert seconds(lineup) == 99


def test_without_a_roundup_the_rest_is_simply_left_out():
    lineup = choose_lineup(STORIES, within(100), roundup=False)
    assert (titles(lineup.read), lineup.roundup) == (list("ABCDEF"), 0)


def test_the_roundup_counts_only_stories_with_a_headline():
    # 103 s: six stories (92 s), and 11 s left for up to four headlines; but G has none,
    # so the round-up names H alone.
    lineup = choose_lineup(STORIES[:8], within(103), has_headline=lambda a: a.title != "G")
    assert titles(lineup.left_out) == list("GH")
    assert lineup.roundup == 1


def test_a_story_is_never_read_while_a_more_newsworthy_one_is_left_out():
    long_lead = [story("A", 10), story("B", 40), story("C", 5), story("D", 5)]
    # A (12 s) fits in 40 s with the greeting; B (42 s) does not, and C and D after it,
    # which would, are left out too: the round-up names B and C in the 8 s left.
    lineup = choose_lineup(long_lead, within(40))
    assert titles(lineup.read) == ["A"]
    assert titles(lineup.left_out) == ["B", "C", "D"]
    assert lineup.roundup == 2


def test_none_when_not_even_the_first_story_fits():
    assert choose_lineup(STORIES, within(31)) is None
    assert choose_lineup(STORIES[:1], within(31)) is None
    assert titles(choose_lineup(STORIES, within(32)).read) == ["A"]


def test_no_stories_is_an_empty_lineup():
    assert choose_lineup([], within(0)) == Lineup(read=())


def test_many_stories_take_few_tests():
    asked: list[Lineup] = []

    def fits(lineup: Lineup) -> bool:
        asked.append(lineup)
        return seconds(lineup) <= 300

    many = [story(f"S{n}", 10) for n in range(1000)]
    lineup = choose_lineup(many, fits)
    assert len(lineup.read) == 23  # 20 + 23 * 12 = 296 s
    assert len(asked) < 20  # a binary search, then the round-up (none fits in 4 s)
