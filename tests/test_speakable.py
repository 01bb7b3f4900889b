"""speakable(): every class of rewrite, exact output expected; text it must leave alone;
idempotence. Lexicon: matching rules and the errors a bad lexicon file gives."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from spacecast.errors import ConfigError
from spacecast.speakable import (
    Lexicon,
    load_lexicon,
    number_words,
    ordinal_words,
    speakable,
    year_words,
)

BUNDLED_LEXICON = Path(__file__).resolve().parents[1] / "voices" / "lexicon.toml"

# (input, exact output)
CHANGES = [
    # numbers with units, and number-unit compounds
    ("The 18-meter rocket stood ready.", "The eighteen-meter rocket stood ready."),
    ("It flew 5km, then 5 km more.", "It flew five kilometers, then five kilometers more."),
    ("A 5km run.", "A five-kilometer run."),
    (
        "It weighs 150kg and is 2m wide, 30cm deep and 4mm thick.",
        "It weighs one hundred fifty kilograms and is two meters wide, thirty centimeters deep"
        " and four millimeters thick.",
    ),
    (
        "Top speed is 100 km/h or 62 mph.",
        "Top speed is one hundred kilometers per hour or sixty-two miles per hour.",
    ),
    (
        "Highs of 30°C, lows of -5°C and 86°F.",
        "Highs of thirty degrees Celsius, lows of minus five degrees Celsius and eighty-six"
        " degrees Fahrenheit.",
    ),
    (
        "The plant makes 500 MW, grids use 2 GW, homes 3 kWh.",
        "The plant makes five hundred megawatts, grids use two gigawatts, homes three"
        " kilowatt-hours.",
    ),
    ("It stores 4 GB, or 2 TB.", "It stores four gigabytes, or two terabytes."),
    ("An 18m-tall rocket.", "An eighteen-meter-tall rocket."),
    ("The rocket is 18m tall.", "The rocket is eighteen meters tall."),
    ("It serves 5m people.", "It serves five million people."),
    ("A 1 km hike.", "A one-kilometer hike."),
    ("It walked 1 km.", "It walked one kilometer."),
    ("The rocket rose 1.5km.", "The rocket rose one point five kilometers."),
    ("Orbit at 7.8 km/s.", "Orbit at seven point eight kilometers per second."),
    ("It runs 10x faster.", "It runs ten times faster."),
    ("A 5-10 km hike.", "A five to ten kilometer hike."),
    # currency, with scales and small amounts
    ("Space One raised $1.13bn.", "Space One raised one point one three billion dollars."),
    ("It cost £600m.", "It cost six hundred million pounds."),
    ("A ticket is €5.", "A ticket is five euros."),
    ("Japan set aside ¥5 trillion.", "Japan set aside five trillion yen."),
    ("Revenue was $639m.", "Revenue was six hundred thirty-nine million dollars."),
    ("Debt hit $10.9bn.", "Debt hit ten point nine billion dollars."),
    ("Aid of US$3 million arrived.", "Aid of three million U S dollars arrived."),
    ("A coffee is $2.50.", "A coffee is two dollars fifty."),
    ("A stamp costs £0.75.", "A stamp costs seventy-five pence."),
    ("It cost $1.", "It cost one dollar."),
    ("Shares fell to $0.01.", "Shares fell to one cent."),
    ("Bids of $5-10 million came in.", "Bids of five to ten million dollars came in."),
    ("It won a $5m deal.", "It won a five million dollar deal."),
    ("It paid 100 yen ($0.67).", "It paid one hundred yen."),
    # percentages
    ("Turnout was 76%.", "Turnout was seventy-six percent."),
    ("Prices rose 2.5%.", "Prices rose two point five percent."),
    ("Support is 76 per cent.", "Support is seventy-six per cent."),
    ("Growth of 5-10% is forecast.", "Growth of five to ten percent is forecast."),
    # years, decades, and counts that look like years
    ("It opened in 1990.", "It opened in nineteen ninety."),
    ("It closed in 2005.", "It closed in two thousand five."),
    ("It launched in 2024.", "It launched in twenty twenty-four."),
    ("It was built in 1905.", "It was built in nineteen oh five."),
    ("It was built in 1900.", "It was built in nineteen hundred."),
    ("Columbus sailed in 1492.", "Columbus sailed in fourteen ninety-two."),
    ("The 2024 season was long.", "The twenty twenty-four season was long."),
    ("The 1990s were calm.", "The nineteen nineties were calm."),
    ("The 2000s were busy.", "The two thousands were busy."),
    ("The 2010s were busier.", "The twenty tens were busier."),
    ("Music of the '90s.", "Music of the nineties."),
    ("About 2000 people came.", "About two thousand people came."),
    ("Some 1500 years ago.", "Some one thousand five hundred years ago."),
    # cardinals, decimals, ordinals
    ("A crowd of 464,000 watched.", "A crowd of four hundred sixty-four thousand watched."),
    ("There were 1,500 seats.", "There were one thousand five hundred seats."),
    ("It rose 3.5 points.", "It rose three point five points."),
    ("Agent 007 waited.", "Agent zero zero seven waited."),
    ("He came 1st.", "He came first."),
    ("She came 22nd.", "She came twenty-second."),
    ("They came 3rd.", "They came third."),
    ("A 21st-century rocket.", "A twenty-first-century rocket."),
    ("The 3-year-old rocket.", "The three-year-old rocket."),
    ("Version 1.2.3 shipped.", "Version one point two point three shipped."),
    # ranges
    ("From 2010-2015 it grew.", "From twenty ten to twenty fifteen it grew."),
    ("From 2010–2015 it grew.", "From twenty ten to twenty fifteen it grew."),
    ("The 2024-25 season.", "The twenty twenty-four to twenty twenty-five season."),
    ("It took 5-10 minutes.", "It took five to ten minutes."),
    # times and dates
    ("Doors open at 10:30.", "Doors open at ten thirty."),
    ("Doors open at 10.30am.", "Doors open at ten thirty a-m."),
    ("Doors open at 3pm.", "Doors open at three p m."),
    ("Doors open at 3 p.m. today.", "Doors open at three p m today."),
    ("We met at 9 a.m. Police said so.", "We met at nine a-m. Police said so."),
    ("It lifted off at 11:01am.", "It lifted off at eleven oh one a-m."),
    ("The news is at 14:00.", "The news is at fourteen hundred."),
    ("She won in 2:01:09.", "She won in two hours one minute nine seconds."),
    (
        "It launched on 13 March 2024.",
        "It launched on the thirteenth of March twenty twenty-four.",
    ),
    ("It launched on March 13, 2024.", "It launched on March thirteenth, twenty twenty-four."),
    ("It launched on Jan. 5.", "It launched on January fifth."),
    ("It launched on 2024-03-13.", "It launched on March thirteenth, twenty twenty-four."),
    ("It ran 13-15 March.", "It ran the thirteenth to fifteenth of March."),
    ("It opened in March 2024.", "It opened in March twenty twenty-four."),
    # titles and abbreviations
    ("Dr Smith spoke.", "Doctor Smith spoke."),
    ("Dr. Smith spoke.", "Doctor Smith spoke."),
    ("Mr Jones and Mrs Brown met Ms White.", "Mister Jones and Missus Brown met Miz White."),
    ("He visited St. Louis.", "He visited Saint Louis."),
    ("She lives on Baker St.", "She lives on Baker Street."),
    ("They climbed Mt. Fuji.", "They climbed Mount Fuji."),
    (
        "Gov. Newsom, Sen. Warren and Rep. Pelosi met.",
        "Governor Newsom, Senator Warren and Representative Pelosi met.",
    ),
    ("Prof. Hawking and Gen. Patton.", "Professor Hawking and General Patton."),
    ("Lt. Col. Smith and Capt. Kirk.", "Lieutenant Colonel Smith and Captain Kirk."),
    ("Acme Inc. and Widgets Ltd merged.", "Acme Incorporated and Widgets Limited merged."),
    ("As did Fenwick Co. The rest fell.", "As did Fenwick Company. The rest fell."),
    ("Smith & Co. grew.", "Smith and Company grew."),
    ("Cats vs. dogs.", "Cats versus dogs."),
    ("Cats vs dogs.", "Cats versus dogs."),
    ("Rockets, e.g. Kairos.", "Rockets, for example Kairos."),
    ("One rocket, i.e. Kairos.", "One rocket, that is Kairos."),
    ("Rockets, satellites, etc.", "Rockets, satellites, et cetera."),
    ("Rockets etc. The end.", "Rockets et cetera. The end."),
    ("It weighs approx. 5 kg.", "It weighs approximately five kilograms."),
    ("It is No. 5 on the list.", "It is number five on the list."),
    # acronyms, and the full stop a dotted one may share with its sentence
    ("He lives in the U.S.", "He lives in the U S."),
    ("He lives in the U.S. The house is big.", "He lives in the U S. The house is big."),
    ("The U.K. government agreed.", "The U K government agreed."),
    ("The U.S. President spoke.", "The U S President spoke."),
    ("Made in the U.S., sold abroad.", "Made in the U S, sold abroad."),
    ("The FBI and the BBC.", "The F B I and the B B C."),
    ("The CEO spoke to the SEC.", "The C E O spoke to the S E C."),
    ("AOL was sold.", "A-O L was sold."),
    ("The US and the UK.", "The U S and the U K."),
    ("The EU and the UN.", "The E U and the U N."),
    ("A new AI model.", "A new A-I model."),
    ("CEOs met.", "C E O's met."),
    ("The GPS failed.", "The G P S failed."),
    ("R&D spending rose.", "R and D spending rose."),
    ("AT&T grew.", "A-T and T grew."),
    # symbols
    ("It lasts 5+ years.", "It lasts five plus years."),
    ("The #1 hit.", "The number one hit."),
    ("It took ~5 hours.", "It took about five hours."),
    ("Salt & pepper.", "Salt and pepper."),
    ("He/she must sign.", "He or she must sign."),
    ("Call and/or write.", "Call and or write."),
    ("Half of 1/2 and 3/4.", "Half of one half and three quarters."),
    ("Open 24/7.", "Open twenty-four seven."),
    # URLs and e-mail addresses
    ("Visit https://example.com/x for more.", "Visit for more."),
    ("See www.example.com for more.", "See for more."),
    ("https://example.com has it.", "has it."),
    ("Write to press@example.com today.", "Write to press at example dot com today."),
    ("Write to j.doe@example.co.uk.", "Write to j dot doe at example dot co dot uk."),
    # parentheses and brackets
    (
        "The Securities and Exchange Commission (SEC) agreed.",
        "The Securities and Exchange Commission agreed.",
    ),
    (
        "Space One raised $800m (£600m) last year.",
        "Space One raised eight hundred million dollars last year.",
    ),
    ("The rocket (the first of its kind) failed.", "The rocket, the first of its kind, failed."),
    ("The rocket (Kairos), it said.", "The rocket, Kairos, it said."),
    ("It failed [1] twice.", "It failed twice."),
    ("(AP) The rocket flew.", "The rocket flew."),
    ("It flew (see Figure 2).", "It flew."),
    # dashes used as punctuation
    ("The launch — the first — failed.", "The launch, the first, failed."),
    ("The launch – the first – failed.", "The launch, the first, failed."),
    ("The launch - the first - failed.", "The launch, the first, failed."),
    ("He said -- wait -- no.", "He said, wait, no."),
    # several at once, over two paragraphs
    (
        "Space One's Kairos rocket cost ¥1bn ($6.7m).\n\nIt flew for 3 minutes at 11:01am.",
        "Space One's Kairos rocket cost one billion yen.\n\n"
        "It flew for three minutes at eleven oh one a-m.",
    ),
]

UNCHANGED = [
    "The quick brown fox jumps over the lazy dog.",
    "Space One is a Tokyo start-up.",
    "The Kairos rocket exploded seconds after lift-off.",
    "Kairos's second flight went higher.",
    'It was, she said, "a good day"; nobody disagreed! Why not? Because: rockets fly.',
    "Really? Yes! Well... maybe.",
    "First paragraph.\n\nSecond paragraph, with a comma.",
    "NASA and JAXA worked with NATO.",
    "Apollo XI and World War II.",
    "BREAKING NEWS FROM THE ISS",
    "A well-known co-founder.",
    "Gen Z workers said no.",
    "No one came. Jan said May was warm.",
    "I think so. A cat sat.",
    "Support fell by ten per cent.",
    "The H3 rocket and 5G phones.",
    # already normalised
    "Doctor Smith paid one point one three billion dollars in twenty twenty-four.",
    "He lives in the U S. The house is big.",
    "The F B I met at ten thirty a-m and left at three p m.",
    "C E O's and A-I firms met on March thirteenth, twenty twenty-four.",
]

CASES = [pytest.param(text, expected, id=text[:40]) for text, expected in CHANGES]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_rewrites(text: str, expected: str) -> None:
    assert speakable(text) == expected


@pytest.mark.parametrize("text", UNCHANGED, ids=[t[:40] for t in UNCHANGED])
def test_leaves_alone(text: str) -> None:
    assert speakable(text) == text


ALL_INPUTS = [text for text, _ in CHANGES] + UNCHANGED


@pytest.mark.parametrize("text", ALL_INPUTS, ids=[t[:40] for t in ALL_INPUTS])
def test_idempotent(text: str) -> None:
    once = speakable(text)
    assert speakable(once) == once


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_rewrites_leave_no_digits(text: str, expected: str) -> None:
    assert not re.search(r"\d", speakable(text))


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "zero"),
        (7, "seven"),
        (13, "thirteen"),
        (21, "twenty-one"),
        (100, "one hundred"),
        (101, "one hundred one"),
        (464_000, "four hundred sixty-four thousand"),
        (1_000_001, "one million one"),
        (2_500_000_000, "two billion five hundred million"),
        (-5, "minus five"),
    ],
)
def test_number_words(n: int, words: str) -> None:
    assert number_words(n) == words


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (1, "first"),
        (2, "second"),
        (3, "third"),
        (4, "fourth"),
        (5, "fifth"),
        (8, "eighth"),
        (9, "ninth"),
        (12, "twelfth"),
        (20, "twentieth"),
        (22, "twenty-second"),
        (100, "one hundredth"),
        (101, "one hundred first"),
    ],
)
def test_ordinal_words(n: int, words: str) -> None:
    assert ordinal_words(n) == words


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (1100, "eleven hundred"),
        (1492, "fourteen ninety-two"),
        (1900, "nineteen hundred"),
        (1905, "nineteen oh five"),
        (1990, "nineteen ninety"),
        (2000, "two thousand"),
        (2005, "two thousand five"),
        (2010, "twenty ten"),
        (2024, "twenty twenty-four"),
        (2100, "twenty-one hundred"),
    ],
)
def test_year_words(n: int, words: str) -> None:
    assert year_words(n) == words


# --------------------------------------------------------------------------- lexicon

KAIROS = Lexicon({"Kairos": "Kyross"})


@pytest.mark.parametrize(
    ("lexicon", "text", "expected"),
    [
        pytest.param(KAIROS, "The Kairos rocket.", "The Kyross rocket.", id="word"),
        pytest.param(KAIROS, "Kairoses and Kairos.", "Kairoses and Kyross.", id="whole-word"),
        pytest.param(KAIROS, "AKairos", "AKairos", id="not-a-suffix"),
        pytest.param(KAIROS, "Kairos's flight.", "Kyross's flight.", id="possessive"),
        pytest.param(KAIROS, "Kairos’s flight.", "Kyross’s flight.", id="curly-possessive"),
        pytest.param(KAIROS, "Kairos-2 flew.", "Kyross-2 flew.", id="hyphenated"),
        pytest.param(KAIROS, "kairos and KAIROS", "kairos and KAIROS", id="capital-key-exact"),
        pytest.param(
            Lexicon({"kii": "Kee"}), "Kii, kii, KII", "Kee, Kee, Kee", id="lowercase-key-any-case"
        ),
        pytest.param(
            Lexicon({"Space": "Spaze", "Space One": "Spays Wun"}),
            "Space One left Space.",
            "Spays Wun left Spaze.",
            id="longest-first",
        ),
        pytest.param(
            Lexicon({"Space One": "Spays Wun"}),
            "Space\nOne and Space  One",
            "Spays Wun and Spays Wun",
            id="multi-word-any-space",
        ),
        pytest.param(
            Lexicon({"Wakayama": "[[w,A:k@j'A:m@]]"}),
            "Wakayama's coast.",
            "[[w,A:k@j'A:m@]]'s coast.",
            id="phonemes-verbatim",
        ),
        pytest.param(
            Lexicon({"x": r"\1 \g<0>"}), "a x b", r"a \1 \g<0> b", id="no-template-escapes"
        ),
        pytest.param(Lexicon({"a": "b", "b": "c"}), "a b", "b c", id="one-pass"),
        pytest.param(Lexicon({"C++": "C plus plus"}), "C++ code", "C plus plus code", id="regex"),
        pytest.param(Lexicon(), "Kairos", "Kairos", id="empty"),
    ],
)
def test_lexicon_apply(lexicon: Lexicon, text: str, expected: str) -> None:
    assert lexicon.apply(text) == expected


def test_lexicon_exact_case_key_beats_lowercase_key() -> None:
    lexicon = Lexicon({"kairos": "generic", "Kairos": "Kyross"})
    assert lexicon.apply("Kairos, KAIROS") == "Kyross, generic"


def test_lexicon_merged_other_wins_and_originals_stay() -> None:
    base = Lexicon({"Kairos": "Kyross", "Kii": "Kee"})
    merged = base.merged(Lexicon({"Kairos": "Kai-ross"}))
    assert dict(merged.entries) == {"Kairos": "Kai-ross", "Kii": "Kee"}
    assert base.apply("Kairos") == "Kyross"


def test_lexicon_is_immutable_value() -> None:
    source = {"Kairos": "Kyross"}
    lexicon = Lexicon(source)
    source["Kairos"] = "changed"
    assert lexicon.apply("Kairos") == "Kyross"
    assert lexicon == Lexicon({"Kairos": "Kyross"})
    assert hash(lexicon) == hash(Lexicon({"Kairos": "Kyross"}))
    assert Lexicon().entries == {}


def test_load_lexicon(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.toml"
    path.write_text(
        '# comment\n[words]\nKairos = "Kyross"\n"Space One" = "Spays Wun"\n'
        'Wakayama = "[[w,A:k@j\'A:m@]]"\n',
        encoding="utf-8",
    )
    lexicon = load_lexicon(path)
    assert lexicon.apply("Space One's Kairos, Wakayama") == ("Spays Wun's Kyross, [[w,A:k@j'A:m@]]")


def test_bundled_lexicon_covers_launch_names() -> None:
    lexicon = load_lexicon(BUNDLED_LEXICON)
    for name in ("Kairos", "Wakayama", "Kushimoto", "Kii", "JAXA"):
        assert name in lexicon.entries
    assert "Kairos" not in lexicon.apply(speakable("The Kairos rocket."))


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        pytest.param('[words]\nKairos = "Kyross"\nbad = \n', "line 3: ", id="syntax"),
        pytest.param('[words]\na = "b"\na = "c"\n', "line 3: ", id="duplicate-key"),
        pytest.param("", "no [words] table", id="empty-file"),
        pytest.param('words = "Kairos"\n', "no [words] table", id="words-not-table"),
        pytest.param('Kairos = "Kyross"\n[words]\n', "'Kairos' is outside", id="outside"),
        pytest.param('[word]\nKairos = "Kyross"\n', "unknown table [word]", id="typo-table"),
        pytest.param("[words]\nKairos = 5\n", "'Kairos' is not a string", id="number"),
        pytest.param('[words]\n[words.Kairos]\nx = "y"\n', "'Kairos' is not a string", id="table"),
        pytest.param('[words]\nKairos = ""\n', "'Kairos' is empty", id="empty-value"),
        pytest.param('[words]\nKairos = "[[kai"\n', "unbalanced [[ ]]", id="open-phonemes"),
    ],
)
def test_load_lexicon_errors_name_the_file(tmp_path: Path, content: str, fragment: str) -> None:
    path = tmp_path / "bad.lexicon.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_lexicon(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert fragment in message
    assert " — " in message  # says what to do
    assert "\n" not in message


def test_load_lexicon_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.toml"
    with pytest.raises(ConfigError, match=re.escape(f"{path}: cannot read")):
        load_lexicon(path)


def test_load_lexicon_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('[words]\nCafé = "Cafay"\n'.encode("latin-1"))
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_lexicon(path)
