"""Sentence and paragraph splitting: each tricky case and the exact split expected."""

from __future__ import annotations

import pytest

from spacecast.text.sentences import (
    has_end_punctuation,
    iter_sentences,
    split_paragraphs,
    split_sentences,
)

SPLITS = [
    pytest.param(
        "The council met on Monday. It agreed a new plan.",
        ["The council met on Monday.", "It agreed a new plan."],
        id="plain",
    ),
    pytest.param(
        "Did they agree? Nobody knows! The vote is next week.",
        ["Did they agree?", "Nobody knows!", "The vote is next week."],
        id="question-exclamation",
    ),
    pytest.param(
        "Mr. Lane and Dr. Okafor visited St. Ives. They left at noon.",
        ["Mr. Lane and Dr. Okafor visited St. Ives.", "They left at noon."],
        id="titles",
    ),
    pytest.param(
        "Mrs. Patel met Prof. Grey, Gov. Hale, Sen. Ruiz and Gen. Marsh. Talks went well.",
        ["Mrs. Patel met Prof. Grey, Gov. Hale, Sen. Ruiz and Gen. Marsh.", "Talks went well."],
        id="more-titles",
    ),
    pytest.param(
        "The climbers reached Mt. Kenya on Jan. 4 and left on Feb. 2. Snow fell later.",
        ["The climbers reached Mt. Kenya on Jan. 4 and left on Feb. 2.", "Snow fell later."],
        id="months-before-numbers",
    ),
    pytest.param(
        "Sales at Brightwater Inc. and Harbour Ltd. rose, as did Fenwick Co. The rest fell.",
        [
            "Sales at Brightwater Inc. and Harbour Ltd. rose, as did Fenwick Co.",
            "The rest fell.",
        ],
        id="company-suffixes-mid-sentence",
    ),
    pytest.param(
        "Fruit, e.g. apples, and grains, i.e. wheat, were cheaper. Prices vs. wages matter.",
        ["Fruit, e.g. apples, and grains, i.e. wheat, were cheaper.", "Prices vs. wages matter."],
        id="eg-ie-vs",
    ),
    pytest.param(
        "Pens, paper, etc. Were all sold out? Yes.",
        ["Pens, paper, etc.", "Were all sold out?", "Yes."],
        id="etc-ends-before-capital",
    ),
    pytest.param(
        "She lives at No. 7 on the hill. No. The answer was no.",
        ["She lives at No. 7 on the hill.", "No.", "The answer was no."],
        id="number-abbreviation",
    ),
    pytest.param(
        "The train left at 9 a.m. and arrived at 4 p.m. Nobody was late.",
        ["The train left at 9 a.m. and arrived at 4 p.m.", "Nobody was late."],
        id="am-pm",
    ),
    pytest.param(
        "The novel by J. K. Rowling sold well. A. A. Milne wrote earlier.",
        ["The novel by J. K. Rowling sold well.", "A. A. Milne wrote earlier."],
        id="initials",
    ),
    pytest.param(
        "Output grew 3.5% to $1.13bn in the year. It was 0.5 points better.",
        ["Output grew 3.5% to $1.13bn in the year.", "It was 0.5 points better."],
        id="decimals",
    ),
    pytest.param(
        "Details are at www.example.org/news today. Thanks.",
        ["Details are at www.example.org/news today.", "Thanks."],
        id="web-address",
    ),
    pytest.param(
        "He paused... and then went on. Wait… Then it started.",
        ["He paused... and then went on.", "Wait…", "Then it started."],
        id="ellipses",
    ),
    pytest.param(
        'He said "no." Then he left.',
        ['He said "no."', "Then he left."],
        id="closing-quote-after-stop",
    ),
    pytest.param(
        "“It is over.” The crowd went home.",
        ["“It is over.”", "The crowd went home."],
        id="curly-closing-quote",
    ),
    pytest.param(
        "(The vote was close.) Both sides claimed victory.",
        ["(The vote was close.)", "Both sides claimed victory."],
        id="closing-bracket",
    ),
    pytest.param(
        '"Why now?" she asked. "Because!" he replied.',
        ['"Why now?" she asked.', '"Because!" he replied.'],
        id="question-inside-quote-no-split",
    ),
    pytest.param(
        'The plan worked. "We are delighted," said the mayor.',
        ["The plan worked.", '"We are delighted," said the mayor.'],
        id="next-sentence-opens-with-quote",
    ),
    pytest.param(
        "The firm is based in the U.S. The company employs 40 staff.",
        ["The firm is based in the U.S.", "The company employs 40 staff."],
        id="abbreviation-ends-sentence-before-opener",
    ),
    pytest.param(
        "The U.S. Navy and the U.K. Treasury disagreed. It was awkward.",
        ["The U.S. Navy and the U.K. Treasury disagreed.", "It was awkward."],
        id="dotted-abbreviation-before-name",
    ),
    pytest.param(
        "Yields on U.S. 10-year bonds rose. Traders shrugged.",
        ["Yields on U.S. 10-year bonds rose.", "Traders shrugged."],
        id="dotted-abbreviation-before-number",
    ),
    pytest.param(
        "He moved to Salem, Mass. The job paid well.",
        ["He moved to Salem, Mass.", "The job paid well."],
        id="state-abbreviation-ends-sentence",
    ),
    pytest.param(
        "Pack these:\n1. A torch\n2. Some water\n3. A map",
        ["Pack these:", "1. A torch", "2. Some water", "3. A map"],
        id="numbered-list-lines",
    ),
    pytest.param(
        "Bring:\n- boots\n* a coat\n• gloves",
        ["Bring:", "- boots", "* a coat", "• gloves"],
        id="bulleted-list-lines",
    ),
    pytest.param(
        "1. Preheat the oven. 2. Mix the batter.",
        ["1. Preheat the oven.", "2. Mix the batter."],
        id="numbered-item-marker-not-a-sentence",
    ),
    pytest.param(
        "Do this: 1. Stir well. 2. Serve hot.",
        ["Do this: 1. Stir well.", "2. Serve hot."],
        id="numbered-items-after-colon",
    ),
    pytest.param(
        "a line without a stop\ncontinues here\n\nA new paragraph starts",
        ["a line without a stop\ncontinues here", "A new paragraph starts"],
        id="single-newline-joins-blank-line-splits",
    ),
    pytest.param(
        "Headline without punctuation\n\nBody sentence one. Body two.",
        ["Headline without punctuation", "Body sentence one.", "Body two."],
        id="paragraph-break-ends-unpunctuated-line",
    ),
    pytest.param(
        "The total rose in 2023. 2024 was calmer.",
        ["The total rose in 2023.", "2024 was calmer."],
        id="number-then-number",
    ),
    pytest.param(
        "Roe v. Wade was cited. Really?! Yes.",
        ["Roe v. Wade was cited.", "Really?!", "Yes."],
        id="v-and-mixed-run",
    ),
    pytest.param(
        "Take vitamin C. The dose is small. The hall dates from c. 1850.",
        ["Take vitamin C.", "The dose is small.", "The hall dates from c. 1850."],
        id="single-letters",
    ),
    pytest.param(
        "World War I. The next war came later.",
        ["World War I.", "The next war came later."],
        id="roman-numeral",
    ),
    pytest.param("", [], id="empty"),
    pytest.param("   \n\n  ", [], id="whitespace-only"),
    pytest.param("No terminal punctuation here", ["No terminal punctuation here"], id="no-stop"),
    pytest.param(
        "Rescued: the pony in its new field The pony was found on the moor on Sunday.",
        ["Rescued: the pony in its new field", "The pony was found on the moor on Sunday."],
        id="run-in-caption",
    ),
    pytest.param(
        "The keeper feeds the cubs at dawn A keeper said the cubs were healthy.",
        ["The keeper feeds the cubs at dawn", "A keeper said the cubs were healthy."],
        id="run-in-a",
    ),
    pytest.param(
        "Crews cleared the road (pictured) After the storm, the road reopened.",
        ["Crews cleared the road (pictured)", "After the storm, the road reopened."],
        id="run-in-after-bracket",
    ),
]

NO_SPLIT = [
    pytest.param("Dr. Amara Osei spoke first.", id="title"),
    pytest.param("It cost $4.75 per head, about 3.2% more.", id="decimals"),
    pytest.param("The author J. R. Hartley was found.", id="initials"),
    pytest.param('"Is it true?" asked the clerk quietly.', id="quoted-question"),
    pytest.param("She waited... and waited.", id="ellipsis-before-lowercase"),
    pytest.param("Items, e.g. Lamps, were listed.", id="eg-before-capital"),
    pytest.param("He lives at No. 10 in the square.", id="no-before-number"),
    pytest.param("The case of Smith vs. Jones resumed.", id="vs"),
    pytest.param("The U.S. Senate voted.", id="us-before-name"),
    pytest.param("Prices rose in Jan. 2020 sharply.", id="month-before-year"),
    pytest.param("Visit example.com/a.b for more.", id="dots-without-space"),
    pytest.param("SAN JOSE, Calif. (Reuters) - A firm grew.", id="state-before-agency"),
    pytest.param("She met Mr. (now Sir) Alan Reed.", id="title-before-bracket"),
    pytest.param("one line\nand the next line", id="single-newline"),
    pytest.param("The crews went from A to B and back again.", id="from-a-to-b"),
    pytest.param("She got grade A marks and plan A worked.", id="label-letter-a"),
    pytest.param("The witness known as Nurse A said she saw it.", id="capitalised-label"),
    pytest.param("He read The Times on the train to work.", id="title-of-a-paper"),
    pytest.param("He said I would win and I did.", id="pronoun-i"),
]


@pytest.mark.parametrize(("text", "expected"), SPLITS)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize("text", NO_SPLIT)
def test_does_not_split(text: str) -> None:
    assert split_sentences(text) == [text]


@pytest.mark.parametrize(("text", "expected"), SPLITS)
def test_sentences_are_substrings_and_iterator_agrees(text: str, expected: list[str]) -> None:
    assert list(iter_sentences(text)) == split_sentences(text)
    for sentence in split_sentences(text):
        assert sentence in text
        assert sentence == sentence.strip()


@pytest.mark.parametrize(
    ("sentence", "ends"),
    [
        ("The pony was found.", True),
        ("Was it found?", True),
        ('"It was found," she said.', True),
        ("He said: 'It was found.'", True),
        ("Rescued: the pony in its new field", False),
        ("Crews cleared the road (pictured)", False),
    ],
)
def test_has_end_punctuation(sentence: str, ends: bool) -> None:
    assert has_end_punctuation(sentence) is ends


def test_split_paragraphs() -> None:
    text = "\n\n  First para,\nstill first.  \n \t\n\nSecond para.\r\n\r\nThird.\n\n\n"
    assert split_paragraphs(text) == ["First para,\nstill first.", "Second para.", "Third."]
    assert split_paragraphs("") == []
    assert split_paragraphs("only one") == ["only one"]


@pytest.mark.slow
def test_large_text_is_linear() -> None:
    block = (
        "Mr. Reyes said the U.S. plan cost $2.5bn in Jan. and Feb. The firm, Acme Inc., "
        'disagreed. "Why?" he asked. J. K. Moss was not there... Nobody was.\n\n'
    )
    text = block * (5_000_000 // len(block))
    sentences = split_sentences(text)
    per_block = split_sentences(block)
    assert per_block == [
        "Mr. Reyes said the U.S. plan cost $2.5bn in Jan. and Feb.",
        "The firm, Acme Inc., disagreed.",
        '"Why?" he asked.',
        "J. K. Moss was not there...",
        "Nobody was.",
    ]
    assert len(sentences) == len(per_block) * (5_000_000 // len(block))
