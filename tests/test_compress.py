"""Sentence compression: what a listener is spared, and the shorter forms that still parse.

Every sentence here is made up."""

from __future__ import annotations

import pytest

from spacecast.text.compress import clause_cuts, compress_sentence, is_quotation


@pytest.mark.parametrize(
    ("sentence", "read"),
    [
        pytest.param(
            "The ferry pier will open in June, the harbour board said.",
            "The ferry pier will open in June.",
            id="closing-said",
        ),
        pytest.param(
            "Ticket prices will rise by a fifth next spring, according to a report by the"
            " transport authority.",
            "Ticket prices will rise by a fifth next spring.",
            id="closing-according-to",
        ),
        pytest.param(
            "The mayor once ran a bakery on the high street in Merrow, it has emerged.",
            "The mayor once ran a bakery on the high street in Merrow.",
            id="it-has-emerged",
        ),
        pytest.param(
            "Two hundred homes lost power after the storm on Sunday, the Merrow Gazette reported.",
            "Two hundred homes lost power after the storm on Sunday.",
            id="outlet-reported",
        ),
        pytest.param(
            "The plant will close by the end of the year, she said.",
            "The plant will close by the end of the year.",
            id="she-said",
        ),
        pytest.param(
            "The new pier, she said, will be the longest on this stretch of coast.",
            "The new pier will be the longest on this stretch of coast.",
            id="she-said-inside",
        ),
        pytest.param(
            "The firm told investors on Tuesday that profits had doubled, analysts told Reuters.",
            "The firm told investors on Tuesday that profits had doubled.",
            id="told-outlet",
        ),
        pytest.param(
            "According to the county survey, one pupil in five walks to school every day.",
            "One pupil in five walks to school every day.",
            id="opening-according-to",
        ),
        pytest.param(
            "Worryingly, the river rose another metre overnight near the old mill.",
            "The river rose another metre overnight near the old mill.",
            id="opening-colour",
        ),
        pytest.param(
            "Keeper Rosa Lind (pictured) fed the cubs by hand for the first week.",
            "Keeper Rosa Lind fed the cubs by hand for the first week.",
            id="bracket-aside",
        ),
        pytest.param(
            "Crews from six towns – more than half the county – joined the search on Friday.",
            "Crews from six towns joined the search on Friday.",
            id="dash-aside",
        ),
        pytest.param(
            "The bridge -- closed since the floods -- reopens to traffic on Monday morning.",
            "The bridge reopens to traffic on Monday morning.",
            id="double-hyphen-aside",
        ),
    ],
)
def test_what_carries_no_news_is_left_out(sentence: str, read: str) -> None:
    assert compress_sentence(sentence) == read


@pytest.mark.parametrize(
    "sentence",
    [
        pytest.param('"We will rebuild the pier by June," the chair said.', id="quotation"),
        pytest.param("'It was the hardest winter we have seen,' she told reporters.", id="single"),
        pytest.param("Fire crews said the blaze started in a kitchen.", id="said-that-is-news"),
        pytest.param("The council said.", id="too-short"),
        pytest.param("Prices rose, he said.", id="would-leave-too-little"),
        pytest.param("The vote (held on Friday was close.", id="unbalanced"),
    ],
)
def test_what_is_kept(sentence: str) -> None:
    """A quotation keeps its speaker; a rule that would leave too little is not applied."""
    assert compress_sentence(sentence) == sentence


def test_quotation_is_told_from_an_apostrophe() -> None:
    assert is_quotation("'We are ready,' she said.")
    assert is_quotation("He called it “a fresh start” for the town.")
    assert not is_quotation("The town's mayor didn't attend the council's meeting.")


@pytest.mark.parametrize(
    ("sentence", "forms"),
    [
        pytest.param(
            "The coastal rail line reopened on Monday after engineers repaired the flood damage.",
            ["The coastal rail line reopened on Monday."],
            id="after",
        ),
        pytest.param(
            "Police arrested a man on Friday, who was later released on bail pending inquiries.",
            ["Police arrested a man on Friday."],
            id="who",
        ),
        pytest.param(
            "Fighters from many nations have joined the war, turning the region into a"
            " training ground, as officials warned on Monday.",
            [
                "Fighters from many nations have joined the war, turning the region into a"
                " training ground.",
                "Fighters from many nations have joined the war.",
            ],
            id="longest-first",
        ),
        pytest.param(
            "The keeper will stay in goal for the final - and is putting the first choice under"
            " pressure.",
            ["The keeper will stay in goal for the final."],
            id="dash-and",
        ),
    ],
)
def test_clause_cuts(sentence: str, forms: list[str]) -> None:
    assert clause_cuts(sentence) == forms


@pytest.mark.parametrize(
    "sentence",
    [
        pytest.param(
            "A man who won a prize in the lottery gave it all to the animal shelter.",
            id="restrictive-who",
        ),
        pytest.param(
            "She may be the youngest in the team, but she is already its top scorer this year.",
            id="but-carries-the-point",
        ),
        pytest.param(
            "He died on Friday in a hospital in Merrow, five days after he was admitted.",
            id="five-days-after",
        ),
        pytest.param(
            "The dog and the cat can be seen chasing after one another around the garden.",
            id="chasing-after",
        ),
        pytest.param(
            "The cost of a divorce can hurt a pension many years after the marriage ends.",
            id="years-after",
        ),
        pytest.param(
            "The coach will be named on Friday - exactly eight weeks after he took charge.",
            id="weeks-after-a-dash",
        ),
        pytest.param(
            "The professor now being investigated after sending the email was once on a quiz.",
            id="no-finite-verb-before",
        ),
        pytest.param(
            "The team has struggled lately and its captain Wood, who says rivals smell blood,"
            " is keen to win.",
            id="relative-before-the-verb",
        ),
        pytest.param(
            "Crews found shelters, food banks, and warm rooms for the families.",
            id="list",
        ),
        pytest.param(
            "In a town where most people walk to work, the self-styled car club, with its"
            " vintage saloons, is a curiosity.",
            id="verb-only-in-the-opening-clause",
        ),
        pytest.param(
            "The keeper beat the champion - who is fit again after a foot injury kept him out"
            " - in two sets.",
            id="inside-a-dash-aside",
        ),
    ],
)
def test_no_cut_that_would_not_parse(sentence: str) -> None:
    assert clause_cuts(sentence) == []
