"""Make article text speakable by eSpeak NG.

`speakable` rewrites what eSpeak (English) would read badly: numbers, money, units, dates,
times, abbreviations, acronyms, symbols, URLs and bracketed asides. It is idempotent and leaves
plain prose alone. Sentence-final punctuation survives, because a later stage splits sentences
on it.

How particular words sound (names) is the pronunciation lexicon's job
(``speech.lexicon``), applied after this at synthesis time.

Spelled-out letters are separated by spaces ("F B I", "three p m"), except that a letter A
is joined to the next letter with a hyphen ("A-I", "ten a-m"): on its own, eSpeak reads "A"
as the article "uh". A plural keeps its "s" on the last letter ("MPs" -> "M Ps"); eSpeak
reads "Ps" as "P S", which the bundled lexicon respells ("Ps" -> "Pees").
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = [
    "number_words",
    "ordinal_words",
    "speakable",
    "year_words",
]

# --------------------------------------------------------------------------- number words


def _split(words: str) -> tuple[str, ...]:
    """A word list written as one string, for tables that read better that way."""
    return tuple(words.split())


_ONES = _split(
    """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen"""
)
_TENS = _split("_ _ twenty thirty forty fifty sixty seventy eighty ninety")
_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (10**3, "thousand"))
_IRREGULAR_ORDINALS = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}
_MONTHS = _split(
    "January February March April May June July August September October November December"
)
_MONTH_ABBREVIATIONS = {m[:3]: m for m in _MONTHS if m != "May"} | {"Sept": "September"}
_MONTH_RE = "|".join(_MONTHS)


def _under_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    parts = [f"{_ONES[hundreds]} hundred"] if hundreds else []
    if rest >= 20:
        tens, ones = divmod(rest, 10)
        parts.append(_TENS[tens] + (f"-{_ONES[ones]}" if ones else ""))
    elif rest or not parts:
        parts.append(_ONES[rest])
    return " ".join(parts)


def _digits(s: str) -> str:
    return " ".join(_ONES[int(d)] for d in s)


def number_words(n: int) -> str:
    """Say an integer in US style, without "and": 464000 -> "four hundred sixty-four thousand".

    Numbers of a quadrillion or more are read digit by digit.
    """
    if n < 0:
        return f"minus {number_words(-n)}"
    if n >= 10**15:
        return _digits(str(n))
    if n < 1000:
        return _under_thousand(n)
    parts = []
    for size, name in _SCALES:
        count, n = divmod(n, size)
        if count:
            parts.append(f"{_under_thousand(count)} {name}")
    if n:
        parts.append(_under_thousand(n))
    return " ".join(parts)


def ordinal_words(n: int) -> str:
    """Say an ordinal: 22 -> "twenty-second", 100 -> "one hundredth"."""
    words = number_words(n)
    head, sep, last = max(words.rpartition(" "), words.rpartition("-"), key=lambda p: len(p[0]))
    if last in _IRREGULAR_ORDINALS:
        last = _IRREGULAR_ORDINALS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return head + sep + last


def year_words(n: int) -> str:
    """Say a year as a newsreader does: 1990 "nineteen ninety", 1905 "nineteen oh five",
    2005 "two thousand five", 2024 "twenty twenty-four"."""
    if not 1000 <= n <= 9999 or n % 1000 < 10:
        return number_words(n)  # "two thousand", "two thousand five"
    century, rest = divmod(n, 100)
    if rest == 0:
        return f"{number_words(century)} hundred"
    if rest < 10:
        return f"{number_words(century)} oh {_ONES[rest]}"
    return f"{number_words(century)} {number_words(rest)}"


def _plural_word(words: str) -> str:
    """Pluralise the last word: "nineteen ninety" -> "nineteen nineties"."""
    return words[:-1] + "ies" if words.endswith("y") else words + "s"


def _num(text: str) -> str:
    """Words for a numeral as written: "464,000", "3.5", "007"."""
    whole, _, frac = text.replace(",", "").partition(".")
    if (len(whole) > 1 and whole.startswith("0")) or len(whole) > 15:
        words = _digits(whole)  # codes and serials, not quantities
    else:
        words = number_words(int(whole))
    return f"{words} point {_digits(frac)}" if frac else words


def _is_year_shaped(text: str) -> bool:
    return re.fullmatch(r"1[1-9]\d\d|20\d\d", text) is not None


def _num_or_year(text: str) -> str:
    return year_words(int(text)) if _is_year_shaped(text) else _num(text)


# --------------------------------------------------------------------------- shared patterns

_NUM = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_RANGE_SEP = r"(?:[ \t]?[-–][ \t]?|[ \t]+to[ \t]+)"
_NOT_AFTER_NUMBERISH = r"(?<![\w.,$£€¥])"
# Put before a pattern that starts with blanks: it may start only where a run of blanks
# starts, or each blank of a long run would rescan the rest of it (quadratic time).
_RUN = r"(?<![ \t])"

# Words that may start a sentence: after an abbreviation's full stop they mean the stop also
# ends the sentence ("in the U.S. The ..."), while "the U.S. President" keeps going.
_STARTERS = frozenset(
    _split(
        """A After Also An And As At Before But By During Earlier For From He Her His However I
        If In It Its Last Later Meanwhile My No Not Now On One Our She Since So Some That The
        Their Then There These They This Those Though Thus To Today We What When Where While
        Who Why Yet You"""
    )
)
_SENTENCE_BREAK = re.compile(r"""["”’')\]]*(?:[ \t]*(?:\n|$)|[ \t]+["“‘']?([A-Z][a-z]*))""")


def _before(m: re.Match[str], width: int = 80) -> str:
    """The text just before a match; a bounded window keeps every rule linear."""
    return m.string[max(0, m.start() - width) : m.start()]


def _ends_sentence(text: str, pos: int, *, any_capital: bool = False) -> bool:
    """Whether a full stop ending at ``pos`` in ``text`` also ends the sentence."""
    m = _SENTENCE_BREAK.match(text, pos)
    if m is None:
        return False
    word = m.group(1)
    return word is None or any_capital or word in _STARTERS


def _stop(m: re.Match[str], dot: str | None, *, any_capital: bool = False) -> str:
    """A full stop if the one an abbreviation consumed also ended the sentence, else ""."""
    return "." if dot and _ends_sentence(m.string, m.end(), any_capital=any_capital) else ""


def _spell(letters: str) -> str:
    """Letters to be said one by one: "FBI" -> "F B I", "AOL" -> "A-O L" (see module doc)."""
    out: list[str] = []
    for i, ch in enumerate(letters):
        if out and letters[i - 1].upper() == "A":
            out[-1] += f"-{ch}"
        else:
            out.append(ch)
    return " ".join(out)


def _capitalise_like(source: str, words: str) -> str:
    return words[0].upper() + words[1:] if source[:1].isupper() else words


Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str] | str]


def _apply(rules: list[Rule], text: str) -> str:
    for pattern, repl in rules:
        text = pattern.sub(repl, text)
    return text


# --------------------------------------------------------------------------- links and asides

_EMAIL = re.compile(
    r"(?:mailto:)?(?<![\w.%+-])([A-Za-z0-9._%+-]+)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)\b"
)
_URL = re.compile(r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"]+([ \t]*)", re.IGNORECASE)
_LOCAL_PART_SYMBOLS = {".": " dot ", "_": " underscore ", "-": " dash ", "+": " plus "}


def _email(m: re.Match[str]) -> str:
    local = re.sub(r"[._+-]", lambda s: _LOCAL_PART_SYMBOLS[s.group()], m.group(1))
    return f"{local} at {m.group(2).lower().replace('.', ' dot ')}"


# "Amazon.com", "gov.uk/guidance": a web address without a scheme is said, path dropped
_DOMAIN = re.compile(
    r"(?<![\w@./-])((?:[A-Za-z0-9-]+\.)+(?:com|org|net|gov|edu|io|ai|uk|jp|de|fr|eu|info|tv|news))"
    r"(?:/[^\s<>\"]*[^\s<>\".,;:!?)\]'’”])?(?![\w@/-]|\.\w)"
)


def _domain(m: re.Match[str]) -> str:
    return m.group(1).replace(".", " dot ")


def _at_line_start(m: re.Match[str]) -> bool:
    return m.start() == 0 or m.string[m.start() - 1] == "\n"


def _drop_url(m: re.Match[str]) -> str:
    url, space = m.group()[: m.start(1) - m.start()], m.group(1)
    kept = url.rstrip(".,;:!?)]}'\"”’")  # sentence punctuation after a link is not the link
    tail = url[len(kept) :]
    return tail + ("" if _at_line_start(m) and not tail else space)


_REFERENCE = re.compile(r"\[\s*(?:\d+(?:\s*[,–-]\s*\d+)*|[a-z]|citation needed|edit)\s*\]")
_PAREN = re.compile(rf"{_RUN}[ \t]*\(([^()]*)\)([ \t]*)")
_ABBREVIATION_ASIDE = re.compile(r"[A-Z][A-Z0-9&./-]{0,9}[A-Z.]s?")  # (SEC), (U.S.), (NASA)
_REFERENCE_ASIDE = re.compile(
    r"(?:see|cf\.?|ref\.?|fig\.?|figure|table|source|sources|via|pictured|photo|file photo"
    r"|image|credit|above|below|left|right|center|centre)\b.*|.*\bet al\b.*|[\d,\s–-]+"
    r"|[a-z]|[ivx]{1,4}",
    re.IGNORECASE,
)
_CURRENCY_SYMBOL = r"(?:[A-Z]{1,2}\$|\$(?:US)?|£|€|¥|₹|₩)"
_AMOUNT = (
    rf"(?:{_CURRENCY_SYMBOL}\s?\d[\d,.]*(?:\s?(?:bn|mn|tn|trn|m|k|b|thousand|million|billion"
    r"|trillion)\b)?|\d[\d,.]*\s?(?:bn|m|thousand|million|billion|trillion)?\s?(?:dollars?"
    r"|pounds?|euros?|yen|yuan|rupees?|won)\b)"
)
_AMOUNT_BEFORE = re.compile(rf"{_AMOUNT}[ \t]*$")
_CONVERSION_ASIDE = re.compile(
    rf"(?:(?:about|around|approximately|approx\.?|roughly|some|nearly|almost|over|under|c\.|~)"
    rf"\s*)?{_AMOUNT}(?:\s*[;,/]\s*{_AMOUNT})*",
    re.IGNORECASE,
)


def _paren(m: re.Match[str]) -> str:
    inner = m.group(1).strip()
    dropped = "" if _at_line_start(m) else m.group(2)
    if not inner or _ABBREVIATION_ASIDE.fullmatch(inner) or _REFERENCE_ASIDE.fullmatch(inner):
        return dropped
    # "$800m (£600m)": the conversion repeats the amount just said
    if _CONVERSION_ASIDE.fullmatch(inner) and _AMOUNT_BEFORE.search(_before(m)):
        return dropped
    return f", {inner.rstrip('.,;:')}, "


def _asides(text: str) -> str:
    text = _REFERENCE.sub("", text)
    text = re.sub(r"[\[\]]", "", text)  # editorial insertions: "[the company] said"
    for _ in range(8):  # innermost first; eight levels of nesting is plenty for prose
        text, count = _PAREN.subn(_paren, text)
        if not count:
            break
    return re.sub(r"[()]", " ", text)


_DASH_RULES: list[Rule] = [
    (re.compile(r"(?<=\d)[ \t]*[–—][ \t]*(?=[$£€¥]?\d)|(?<=\d) - (?=[$£€¥]?\d)"), "-"),
    (re.compile(r"(?<=[A-Za-z])–(?=[A-Za-z])"), " to "),  # "London–Paris flight"
    (re.compile(rf"{_RUN}[ \t]*(?:—|–|--+)[ \t]*|(?<=\S)[ \t]+-[ \t]+(?=\S)"), ", "),
]

# --------------------------------------------------------------------------- numbers

_MONTH_ABBR_RE = "|".join(sorted(_MONTH_ABBREVIATIONS, key=len, reverse=True))


def _month_abbreviation(m: re.Match[str]) -> str:
    return _MONTH_ABBREVIATIONS[m.group(1)] + _stop(m, m.group(2))


def _cued_month(m: re.Match[str]) -> str:
    return m.group(1) + _MONTH_ABBREVIATIONS[m.group(2)] + _stop(m, ".", any_capital=True)


_MONTH_RULES: list[Rule] = [
    (re.compile(rf"\b({_MONTH_ABBR_RE})\.?(?=[ \t]+\d)"), lambda m: _MONTH_ABBREVIATIONS[m[1]]),
    (re.compile(rf"(?<=\d[ \t])({_MONTH_ABBR_RE})\b(\.)?"), _month_abbreviation),
    # "closed in Feb.", "since Sept.", "mid-Oct.": a word that means a time comes first
    # (a bare "Jan." may be a name: "He met Jan.")
    (
        re.compile(
            rf"((?<![\w-])(?:[Ii]n|[Ss]ince|[Uu]ntil|[Tt]ill|[Ee]arly|[Ll]ate|[Ll]ast|[Nn]ext"
            rf"|[Dd]uring|[Tt]hrough)[ \t]+|(?<![\w-])[Mm]id-)({_MONTH_ABBR_RE})\."
        ),
        _cued_month,
    ),
]


def _minutes(mm: str) -> str:
    return f"oh {_ONES[int(mm)]}" if mm.startswith("0") else number_words(int(mm))


def _time_ampm(m: re.Match[str]) -> str:
    hour, minutes, half, dotted, final_dot = m.groups()
    words = number_words(int(hour))
    if minutes and minutes != "00":
        words += f" {_minutes(minutes)}"
    suffix = "a-m" if half.lower() == "a" else "p m"
    # "p.m." owns its last dot; "pm." is followed by a real full stop
    end = _stop(m, final_dot, any_capital=True) if dotted else (final_dot or "")
    return f"{words} {suffix}{end}"


def _time_24h(m: re.Match[str]) -> str:
    hour, minutes = int(m.group(1)), m.group(2)
    if minutes != "00":
        return f"{number_words(hour)} {_minutes(minutes)}"
    if hour == 0:
        return "midnight"
    return f"{number_words(hour)} " + ("o'clock" if hour <= 12 else "hundred")


def _duration(m: re.Match[str]) -> str:
    parts = []
    for value, unit in zip(m.groups(), ("hour", "minute", "second"), strict=True):
        n = int(value)
        if n:
            parts.append(f"{number_words(n)} {unit}{'' if n == 1 else 's'}")
    return " ".join(parts) or "zero seconds"


_TIME_RULES: list[Rule] = [
    (re.compile(r"(?<![\d:.])(\d{1,2}):([0-5]\d):([0-5]\d)(?![\d:])"), _duration),
    (
        re.compile(
            r"(?<![\w.:])(1[0-2]|0?[1-9])(?:[:.]([0-5]\d))?[ \t]?([ap])(\.?)[ \t]?m\b(\.)?",
            re.IGNORECASE,
        ),
        _time_ampm,
    ),
    (re.compile(r"(?<![\w.:])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])"), _time_24h),
]


def _month_day_year(month: int, day: int, year: str | None) -> str:
    words = f"{_MONTHS[month - 1]} {ordinal_words(day)}"
    return f"{words}, {year_words(int(year))}" if year else words


def _iso_date(m: re.Match[str]) -> str:
    return _month_day_year(int(m[2]), int(m[3]), m[1])


def _slash_date(m: re.Match[str]) -> str:
    first, second, year = int(m[1]), int(m[2]), m[3]
    # US order (the project speaks US English) unless the first part cannot be a month
    month, day = (second, first) if first > 12 else (first, second)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return m.group()
    if len(year) == 2:
        year = f"20{year}"
    return _month_day_year(month, day, year)


def _day_month(m: re.Match[str]) -> str:
    day, last_day, month, year = m.groups()
    if not 1 <= int(day) <= 31:
        return m.group()
    words = ordinal_words(int(day))
    if last_day:
        words += f" to {ordinal_words(int(last_day))}"
    the = "" if re.search(r"\bthe[ \t]+$", _before(m), re.IGNORECASE) else "the "
    words = f"{the}{words} of {month}"
    return f"{words} {year_words(int(year))}" if year else words


def _month_day(m: re.Match[str]) -> str:
    month, day, last_day, year = m.groups()
    if not 1 <= int(day) <= 31:
        return m.group()
    words = f"{month} {ordinal_words(int(day))}"
    if last_day:
        words += f" to {ordinal_words(int(last_day))}"
    return f"{words}, {year_words(int(year))}" if year else words


_ORD = r"(?:st|nd|rd|th)?"
_DATE_RULES: list[Rule] = [
    (re.compile(r"\b(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b"), _iso_date),
    (re.compile(r"(?<![\w/.])(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?![\w/])"), _slash_date),
    (
        re.compile(
            rf"(?<![\w.,])(\d{{1,2}}){_ORD}(?:[-–](\d{{1,2}}){_ORD})?[ \t]+({_MONTH_RE})\b"
            r"(?:,?[ \t]+(\d{4})\b)?"
        ),
        _day_month,
    ),
    (
        re.compile(
            rf"\b({_MONTH_RE})[ \t]+(\d{{1,2}}){_ORD}(?:[-–](\d{{1,2}}){_ORD})?\b"
            r"(?![.,:]\d|[ \t]?%)(?:,?[ \t]+(\d{4})\b)?"
        ),
        _month_day,
    ),
]


def _fraction(m: re.Match[str]) -> str:
    top, bottom = int(m[1]), int(m[2])
    name = {2: "half", 4: "quarter"}.get(bottom) or ordinal_words(bottom)
    if top == 1:
        return f"one {name}"
    return f"{number_words(top)} {'halves' if bottom == 2 else name + 's'}"


_UNICODE_FRACTIONS = {
    "½": ("a half", "one half"),
    "¼": ("a quarter", "one quarter"),
    "¾": ("three quarters", "three quarters"),
    "⅓": ("a third", "one third"),
    "⅔": ("two thirds", "two thirds"),
}


def _unicode_fraction(m: re.Match[str]) -> str:
    after_whole, alone = _UNICODE_FRACTIONS[m.group(2)]
    return f"{_num(m.group(1))} and {after_whole}" if m.group(1) else alone


_SENTENCE_START = re.compile(r"(?:^|[.!?][\"”’')\]]*[ \t]+|\n[ \t]*)[\"“‘'(]*$")
_COUNTED = re.compile(r"(\d+)[ \t]+([a-z]+)\b")


def _at_sentence_start(m: re.Match[str]) -> bool:
    return _SENTENCE_START.search(_before(m, 8)) is not None


def _number_sign(m: re.Match[str]) -> str:
    """Say "number" for "No. 10" and "No 1 seed", capitalised where a sentence starts; keep
    the word in "No 2 cases are alike" (a plural noun after the count, and no full stop)."""
    starts = _at_sentence_start(m)
    if m.group(1) is None and starts and m.group().startswith("No"):
        counted = _COUNTED.match(m.string, m.end())  # "No 2 cases": the word "no",
        if counted and counted[1] != "10" and _is_plural_noun(counted[2]):  # not No 10
            return m.group()
    return "Number " if starts else "number "


_SYMBOL_RULES: list[Rule] = [
    (re.compile(r"(?<![\w/])24/7(?![\w/])"), "twenty-four seven"),
    (re.compile(r"(?<![\w/.,])([1-9])/([2-9]|10)(?![\w/])"), _fraction),
    (re.compile(r"(?<!\d)(?:(\d+)[ \t]?)?([½¼¾⅓⅔])"), _unicode_fraction),
    (re.compile(r"#[ \t]?(?=\d)"), "number "),
    (re.compile(r"\bNo(\.)?[ \t]?(?=\d)|\bno\.(?=\d)"), _number_sign),
    (re.compile(r"~[ \t]?(?=[\d$£€¥₹])"), "about "),
    (re.compile(r"(?<=\d)[ \t]?\+[ \t]?(?=\d)"), " plus "),
    (re.compile(r"(?<![\w+])\+(?=[\d$£€¥₹])"), "plus "),
    (re.compile(r"(?<=\d)\+(?![\w+])"), " plus"),
    (re.compile(r"(?<=\d)[ \t]?×[ \t]?(?=\d)"), " times "),
    (
        re.compile(r"(?<![\w.'’])([1-9])['’′][ \t]?(1[01]|[0-9])(?:\"|”|″|'')"),
        lambda m: f"{_ONES[int(m[1])]} foot {_ONES[int(m[2])]}",  # 6'2" -> six foot two
    ),
]

# symbol -> (one, many, minor one, minor many); a minor unit of "" means none is said
_CURRENCIES: dict[str, tuple[str, str, str, str]] = {
    "$": ("dollar", "dollars", "cent", "cents"),
    "US$": ("U S dollar", "U S dollars", "cent", "cents"),
    "$US": ("U S dollar", "U S dollars", "cent", "cents"),
    "A$": ("Australian dollar", "Australian dollars", "cent", "cents"),
    "AU$": ("Australian dollar", "Australian dollars", "cent", "cents"),
    "C$": ("Canadian dollar", "Canadian dollars", "cent", "cents"),
    "CA$": ("Canadian dollar", "Canadian dollars", "cent", "cents"),
    "HK$": ("Hong Kong dollar", "Hong Kong dollars", "cent", "cents"),
    "NZ$": ("New Zealand dollar", "New Zealand dollars", "cent", "cents"),
    "S$": ("Singapore dollar", "Singapore dollars", "cent", "cents"),
    "£": ("pound", "pounds", "penny", "pence"),
    "€": ("euro", "euros", "cent", "cents"),
    "¥": ("yen", "yen", "", ""),
    "₹": ("rupee", "rupees", "paisa", "paise"),
    "₩": ("won", "won", "", ""),
    "Rs": ("rupee", "rupees", "paisa", "paise"),
    "Rs.": ("rupee", "rupees", "paisa", "paise"),
    "USD": ("U S dollar", "U S dollars", "cent", "cents"),
    "EUR": ("euro", "euros", "cent", "cents"),
    "GBP": ("pound", "pounds", "penny", "pence"),
    "JPY": ("yen", "yen", "", ""),
    "INR": ("rupee", "rupees", "paisa", "paise"),
}
_SCALE_WORDS = {
    "k": "thousand",
    "m": "million",
    "mn": "million",
    "mln": "million",
    "b": "billion",
    "bn": "billion",
    "t": "trillion",
    "tn": "trillion",
    "trn": "trillion",
}
# one-letter scales must touch the number ("$5m"); "$5 m" is too unclear to guess
_SCALE = r"(?:[ \t]?(?:thousand|million|billion|trillion|bn|mn|mln|tn|trn)|(?:k|m|b|t))(?![A-Za-z])"
_CURRENCY_KEYS = "|".join(re.escape(k) for k in sorted(_CURRENCIES, key=len, reverse=True))
_CURRENCY = re.compile(
    rf"(?<![\w$£€¥₹₩])(?P<sym>{_CURRENCY_KEYS})[ \t]?(?P<a>{_NUM})(?P<sa>{_SCALE})?"
    rf"(?:{_RANGE_SEP}(?:{_CURRENCY_KEYS})?[ \t]?(?P<b>{_NUM})(?P<sb>{_SCALE})?)?"
)


def _scale_word(raw: str | None) -> str:
    raw = (raw or "").strip()
    return _SCALE_WORDS.get(raw, raw)


def _money(m: re.Match[str]) -> str:
    one, many, minor_one, minor_many = _CURRENCIES[m["sym"]]
    a, b = m["a"], m["b"]
    scale_a, scale_b = _scale_word(m["sa"]), _scale_word(m["sb"])
    noun = one if _attributive(m) else many  # "a five million dollar deal"
    if b:
        first = _num(a) + (f" {scale_a}" if scale_a and scale_a != scale_b else "")
        second = _num(b) + (f" {scale_b}" if scale_b else "")
        return f"{first} to {second} {noun}"
    if scale_a:
        return f"{_num(a)} {scale_a} {noun}"
    whole, _, cents = a.replace(",", "").partition(".")
    if len(cents) == 2 and minor_one:
        units, minor = int(whole), int(cents)
        if units == 0:
            return f"{number_words(minor)} {minor_one if minor == 1 else minor_many}"
        said = f"{number_words(units)} {one if units == 1 else many}"
        return f"{said} {number_words(minor)}" if minor else said  # "two dollars fifty"
    return f"{_num(a)} {one if a == '1' else noun}"


# "412p", "50c": pence and cents written after the number, alone or in a range ("400-412p")
_MINOR_UNITS = {"p": ("penny", "pence"), "c": ("cent", "cents")}
_MINOR_MONEY = re.compile(
    rf"{_NOT_AFTER_NUMBERISH}(?P<a>{_NUM})(?:(?P<ua>[pc])?[ \t]?[-–][ \t]?(?P<b>{_NUM}))?"
    r"(?P<u>[pc])(?!\w|\.\d)"
)
# "1080p" and its kind are video resolutions, not prices
_RESOLUTIONS = frozenset(_split("240 360 480 576 720 1080 1440 2160 4320"))


def _minor_money(m: re.Match[str]) -> str:
    a, b, unit = m["a"], m["b"], m["u"]
    if m["ua"] and m["ua"] != unit:
        return m.group()
    if unit == "p" and not b and a in _RESOLUTIONS:  # "1080p" -> "ten eighty p"
        return f"{number_words(int(a) // 100)} {number_words(int(a) % 100)} p"
    one, many = _MINOR_UNITS[unit]
    if b:
        return f"{_num(a)} to {_num(b)} {many}"
    # "a 50c coffee" is a fifty cent coffee, but "a 10p coin" is a ten pence coin
    singular = a == "1" or (unit == "c" and _attributive(m))
    return f"{_num(a)} {one if singular else many}"


_PERCENT = re.compile(
    rf"{_NOT_AFTER_NUMBERISH}(?P<sign>(?<![\w])-)?(?P<a>{_NUM})%?"
    rf"(?:{_RANGE_SEP}(?P<b>{_NUM}))?[ \t]?%"
)


def _percent(m: re.Match[str]) -> str:
    words = ("minus " if m["sign"] else "") + _num(m["a"])
    if m["b"]:
        words += f" to {_num(m['b'])}"
    return f"{words} percent"


# abbreviation -> (one, many)
_UNITS: dict[str, tuple[str, str]] = {
    "km/h": ("kilometer per hour", "kilometers per hour"),
    "km/hr": ("kilometer per hour", "kilometers per hour"),
    "kph": ("kilometer per hour", "kilometers per hour"),
    "km/s": ("kilometer per second", "kilometers per second"),
    "m/s": ("meter per second", "meters per second"),
    "mph": ("mile per hour", "miles per hour"),
    "km²": ("square kilometer", "square kilometers"),
    "sq km": ("square kilometer", "square kilometers"),
    "m²": ("square meter", "square meters"),
    "sq ft": ("square foot", "square feet"),
    "km": ("kilometer", "kilometers"),
    "m": ("meter", "meters"),
    "cm": ("centimeter", "centimeters"),
    "mm": ("millimeter", "millimeters"),
    "kg": ("kilogram", "kilograms"),
    "g": ("gram", "grams"),
    "mg": ("milligram", "milligrams"),
    "lb": ("pound", "pounds"),
    "lbs": ("pound", "pounds"),
    "oz": ("ounce", "ounces"),
    "ft": ("foot", "feet"),
    "mi": ("mile", "miles"),
    "°C": ("degree Celsius", "degrees Celsius"),
    "ºC": ("degree Celsius", "degrees Celsius"),
    "°F": ("degree Fahrenheit", "degrees Fahrenheit"),
    "ºF": ("degree Fahrenheit", "degrees Fahrenheit"),
    "°": ("degree", "degrees"),
    "kW": ("kilowatt", "kilowatts"),
    "MW": ("megawatt", "megawatts"),
    "GW": ("gigawatt", "gigawatts"),
    "kWh": ("kilowatt-hour", "kilowatt-hours"),
    "MWh": ("megawatt-hour", "megawatt-hours"),
    "GWh": ("gigawatt-hour", "gigawatt-hours"),
    "TWh": ("terawatt-hour", "terawatt-hours"),
    "KB": ("kilobyte", "kilobytes"),
    "kB": ("kilobyte", "kilobytes"),
    "MB": ("megabyte", "megabytes"),
    "GB": ("gigabyte", "gigabytes"),
    "TB": ("terabyte", "terabytes"),
    "Mbps": ("megabit per second", "megabits per second"),
    "Gbps": ("gigabit per second", "gigabits per second"),
    "Hz": ("hertz", "hertz"),
    "kHz": ("kilohertz", "kilohertz"),
    "MHz": ("megahertz", "megahertz"),
    "GHz": ("gigahertz", "gigahertz"),
    "ms": ("millisecond", "milliseconds"),
    "min": ("minute", "minutes"),
    "mins": ("minute", "minutes"),
    "hr": ("hour", "hours"),
    "hrs": ("hour", "hours"),
    "h": ("hour", "hours"),
    "yr": ("year", "years"),
    "yrs": ("year", "years"),
    "bn": ("billion", "billion"),
    "tn": ("trillion", "trillion"),
    "trn": ("trillion", "trillion"),
    "x": ("times", "times"),
    "in": ("inch", "inches"),
}
_ATTACHED_ONLY = frozenset({"x", "h", "g", "in", "bn", "tn", "trn"})
_UNIT_KEYS = "|".join(re.escape(k) for k in sorted(_UNITS, key=len, reverse=True))
_UNIT = re.compile(
    rf"{_NOT_AFTER_NUMBERISH}(?P<sign>(?<![\w])-)?(?P<a>{_NUM})(?:{_RANGE_SEP}(?P<b>{_NUM}))?"
    rf"(?P<sp>[ \t]?|-)(?P<u>{_UNIT_KEYS})(?![A-Za-z0-9²])(?P<hy>-(?=[A-Za-z]))?"
)
# After "18m" these words mean metres; otherwise a plural noun ("5m people") means million.
_METER_CONTEXT = re.compile(
    r"[ \t]+(?:tall|long|wide|high|deep|away|above|below|across|high|under|in (?:diameter|length"
    r"|height|width))\b"
)
_PLURALS = frozenset({"people", "men", "women", "children", "staff", "feet", "police", "fish"})
# Third-person verbs and other s-words that follow a year rather than count it.
_NOT_PLURAL = frozenset(
    _split(
        """is was has does as its this thus plus saw sees marks makes looks seems promises begins
        starts ends remains gets shows means proves becomes comes goes holds turns brings sets
        takes needs wants"""
    )
)


def _is_plural_noun(word: str) -> bool:
    if word in _PLURALS:
        return True
    return word.endswith("s") and not word.endswith(("ss", "us", "is")) and word not in _NOT_PLURAL


_NEXT_LOWERCASE_WORD = re.compile(r"[ \t]+([a-z]+)\b")


def _next_lowercase_word(m: re.Match[str]) -> str | None:
    """The word right after a match, when it is lowercase with nothing in between."""
    following = _NEXT_LOWERCASE_WORD.match(m.string, m.end())
    return following.group(1) if following else None


_SCALE_UNITS = frozenset({"bn", "tn", "trn", "mn", "x"})
_DETERMINERS = frozenset(_split("a an the this that its their his her our every each"))
# "It's", "there's": a possessive-looking word that is really a verb.
_NOT_POSSESSIVE = frozenset(_split("it's that's there's here's what's who's he's she's let's"))
# Words that may stand between a determiner and an amount: "a record $1.2bn deal".
_PREMODIFIERS = frozenset(
    _split(
        """record further extra additional total planned proposed new initial estimated
        whopping mere potential combined annual first second final"""
    )
)
# Nouns that an amount right before them modifies, with or without a determiner, as in the
# headline "Halvorsen agrees $1.2bn deal".
_ATTRIBUTIVE_HEADS = frozenset(
    _split(
        """deal contract bid offer loan fund package plan project programme program scheme
        budget investment acquisition takeover merger purchase sale settlement fine bailout
        stake order grant payout bonus valuation facility bond expansion upgrade prize award
        race run walk"""
    )
)
# Words after an amount that show it is not modifying a noun: "the 5km from here",
# "the $5m came from donors".
_NOT_A_NOUN = frozenset(
    _split(
        """of per in on at for from to into away long tall wide high deep across above below
        and or but was is are were will would could can has have had more less than further
        farther a an the up down off out over under ago later earlier be been being do does did
        may might must shall should came come comes went go goes got get gets each apiece
        annually yesterday today tomorrow now then this that these those so too as if when
        while because since until till after before instead already yet still just only also
        even net gross"""
    )
)
_TWO_WORDS_BEFORE = re.compile(r"(?:([A-Za-z'’]+)[ \t]+)?([A-Za-z'’]+)[ \t]+$")


def _is_determiner(word: str | None) -> bool:
    if word is None:
        return False
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):  # "Halvorsen's"
        return word not in _NOT_POSSESSIVE
    return word in _DETERMINERS


def _attributive(m: re.Match[str]) -> bool:
    """Whether an amount modifies the noun after it ("a 5km run", "the $5m deal",
    "Halvorsen's $1.2bn deal", "agrees $1.2bn deal"), so its unit is said in the singular."""
    following = _next_lowercase_word(m)
    if following is None or following in _NOT_A_NOUN:
        return False
    if following in _ATTRIBUTIVE_HEADS or following.removesuffix("s") in _ATTRIBUTIVE_HEADS:
        return True
    if following.endswith("ed") and not following.endswith("eed"):
        return False  # "the $5m raised last year"
    before = _TWO_WORDS_BEFORE.search(_before(m, 40))
    if before is None:
        return False
    previous, last = before.groups()
    if _is_determiner(last):
        return True
    return last.lower() in _PREMODIFIERS and _is_determiner(previous)


def _unit(m: re.Match[str]) -> str:
    unit, attached = m["u"], not m["sp"]
    if unit in _ATTACHED_ONLY and not attached:
        return m.group()
    if unit == "m" and attached and not m["hy"] and not _METER_CONTEXT.match(m.string, m.end()):
        following = _next_lowercase_word(m)
        if following and _is_plural_noun(following):
            unit = "mn"  # "5m people": million, not metres
    one, many = _UNITS[unit] if unit != "mn" else ("million", "million")
    words = ("minus " if m["sign"] else "") + _num(m["a"])
    if m["b"]:
        words += f" to {_num(m['b'])}"
    if m["hy"]:  # compound adjective: "18m-tall" -> "eighteen-meter-tall"
        return f"{words}{' ' if m['b'] else '-'}{one}-"
    if m["sp"] == "-":  # "a 500-MW plant" -> "a five hundred-megawatt plant"
        return f"{words}{' ' if m['b'] else '-'}{one}"
    if unit not in _SCALE_UNITS and _attributive(m):  # "a 5km run" -> "a five-kilometer run"
        return f"{words}{' ' if m['b'] else '-'}{one}"
    return f"{words} {one if m['a'] == '1' and not m['b'] else many}"


def _digit_groups(m: re.Match[str]) -> str:
    text = m.group()
    if "." in text:  # version-like "1.2.3"
        return " point ".join(_num(part) for part in text.split("."))
    return ", ".join(_digits(part) for part in text.split("-"))  # phone-like


def _range(m: re.Match[str]) -> str:
    a, b = m["a"], m["b"]
    if _is_year_shaped(a) and _is_year_shaped(b) and int(a) < int(b):
        return f"{year_words(int(a))} to {year_words(int(b))}"
    if _is_year_shaped(a) and len(b) == 2 and int(a) % 100 < int(b):
        return f"{year_words(int(a))} to {year_words(int(a) // 100 * 100 + int(b))}"
    return f"{_num(a)} to {_num(b)}"


def _slashed(m: re.Match[str]) -> str:
    a, b = m["a"], m["b"]
    if _is_year_shaped(a) and (b == f"{(int(a) + 1) % 100:02d}" or b == str(int(a) + 1)):
        return _range(m)  # "the 2024/25 season", like "2024-25"
    if a == b:
        return f"{_num(a)}-{_num(b)}"  # "50/50" -> "fifty-fifty"
    return f"{_num(a)} {_num(b)}"  # "9/11" -> "nine eleven"; not "nine or eleven"


def _decade(m: re.Match[str]) -> str:
    return _plural_word(year_words(int(f"{m[1]}{m[2]}0")))  # "1990s" -> "nineteen nineties"


def _short_decade(m: re.Match[str]) -> str:
    return _plural_word(number_words(int(m[1]) * 10))  # "'90s" -> "nineties"


# Year rule: a 4-digit number from 1100 to 2099 is a year unless a plural noun follows it
# ("2000 people", "1500 years"); from 1100 to 1899 it also needs a cue word before it
# ("in 1492", "March 1850"), since bare numbers that size are more often counts. Commas,
# currency and units were taken by earlier rules, so "1,500" and "$2000" never get here.
_YEAR_CUES = frozenset(
    _split(
        """in since by from until till through during of year before after around circa c early
        late mid summer winter spring autumn fall fiscal fy season class"""
    )
) | {m.lower() for m in _MONTHS}


def _year_or_count(m: re.Match[str]) -> str:
    n = int(m.group())
    following = _next_lowercase_word(m)
    if following and _is_plural_noun(following):
        return number_words(n)
    previous = re.search(r"([A-Za-z]+)\W*$", _before(m, 30))
    cued = previous is not None and previous.group(1).lower() in _YEAR_CUES
    return year_words(n) if cued or n >= 1900 else number_words(n)


# A unit after a number in words ("16.96 million km²", "a few km"): only the abbreviations
# that cannot be anything else.
_WORDED_UNITS = _split("km km² kg cm mm mph kph lb lbs kW MW GW kWh MWh GWh TWh GB TB MB")
_NUMBER_WORD_RE = "|".join(
    sorted({*_ONES[1:], *_TENS[2:], "hundred", "dozen", "few", "several", "many"}, key=len)[::-1]
    + [name for _, name in _SCALES]
)
_WORDED_UNIT = re.compile(
    rf"\b((?i:{_NUMBER_WORD_RE}))[ \t]+"
    rf"({'|'.join(re.escape(u) for u in sorted(_WORDED_UNITS, key=len, reverse=True))})"
    r"(?![\w/²])"
)


def _worded_unit(m: re.Match[str]) -> str:
    one, many = _UNITS[m.group(2)]
    single = m.group(1).lower() == "one" and not re.search(r"(?:-|point )$", _before(m, 6))
    return f"{m.group(1)} {one if single else many}"


def _ordinal(m: re.Match[str]) -> str:
    return ordinal_words(int(m.group(1).replace(",", "")))


_NUMBER_RULES: list[Rule] = [
    (_CURRENCY, _money),
    (_MINOR_MONEY, _minor_money),
    (_PERCENT, _percent),
    (_UNIT, _unit),
    (
        re.compile(r"(?<![\w.,-])\d+(?:-\d+){2,}(?![\w-])|(?<![\w.])\d+(?:\.\d+){2,}(?!\w|\.\d)"),
        _digit_groups,
    ),
    (re.compile(rf"(?<![\w.,-])(?P<a>{_NUM})[ \t]?[-–][ \t]?(?P<b>{_NUM})(?![\w]|[.,]\d)"), _range),
    (re.compile(r"(?<![\w/.,])(?P<a>\d{1,4})/(?P<b>\d{1,4})(?![\w/]|[.,]\d)"), _slashed),
    (re.compile(r"(?<![\w'’])(1[1-9]|20)(\d)0['’]?s\b"), _decade),
    (re.compile(r"(?<![\w'’])['’]?([1-9])0['’]?s\b"), _short_decade),
    (re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(?:st|nd|rd|th)\b", re.IGNORECASE), _ordinal),
    (re.compile(rf"(?<![\w.,])({_NUM})-(?=[A-Za-z])"), lambda m: _num_or_year(m[1]) + "-"),
    (re.compile(r"(?<![\w.,$£€¥#])(?:1[1-9]\d\d|20\d\d)(?![\w]|[.,]\d)"), _year_or_count),
    (re.compile(r"(?<![^\s,;:(\[])-(?=\d)"), "minus "),
    (re.compile(r"(?<![\w.])\.(\d+)\b"), lambda m: f"point {_digits(m[1])}"),
    (re.compile(rf"(?<![\w.]){_NUM}(?![\w])"), lambda m: _num(m.group())),
    (_WORDED_UNIT, _worded_unit),
]


# --------------------------------------------------------------------------- words

_TITLES = {
    "Gov": "Governor",
    "Sen": "Senator",
    "Rep": "Representative",
    "Prof": "Professor",
    "Gen": "General",
    "Lt": "Lieutenant",
    "Col": "Colonel",
    "Capt": "Captain",
    "Sgt": "Sergeant",
    "Maj": "Major",
    "Cmdr": "Commander",
    "Adm": "Admiral",
    "Pres": "President",
    "Rev": "Reverend",
    "Fr": "Father",
    "Mt": "Mount",
    "Ft": "Fort",
}
_HONORIFICS = {"Mr": "Mister", "Mrs": "Missus", "Ms": "Miz"}
_AFTER_NAMES = {
    "Inc": "Incorporated",
    "Ltd": "Limited",
    "Corp": "Corporation",
    "Bros": "Brothers",
    "Jr": "Junior",
    "Sr": "Senior",
    "Ave": "Avenue",
    "Blvd": "Boulevard",
}
_NAME_AHEAD = r"(?=[ \t]+[A-Z][A-Za-z'’-])"
_NAME_AHEAD_RE = re.compile(_NAME_AHEAD)


# After these, any capitalised word starts a new sentence ("Harbour Ltd. Police said");
# the others are usually followed by more of a name ("Acme Inc. Chief Executive ...").
_ORDINARY_STOPS = frozenset({"Ltd", "Jr", "Sr"})


def _after_name(m: re.Match[str]) -> str:
    word = m.group(1)
    return _AFTER_NAMES[word] + _stop(m, m.group(2), any_capital=word in _ORDINARY_STOPS)


def _is_name_before(before: str) -> bool:
    """Whether ``before`` ends with a capitalised word that is part of a name, not a
    sentence's first word: "Baker St" is a street, "Yesterday St Louis" is not."""
    m = re.search(r"(?:^|([.!?]\s+)|\s)([A-Z][a-z]+|\d+)[ \t]+$", before)
    return m is not None and m.group(1) is None and m.group(2) not in _STARTERS


def _saint_or_street(m: re.Match[str]) -> str:
    word, dot = m.group(1), m.group(2)
    title, place = ("Doctor", "Drive") if word == "Dr" else ("Saint", "Street")
    name_after = _NAME_AHEAD_RE.match(m.string, m.end()) is not None
    if _is_name_before(_before(m)) or (word == "St" and not name_after):
        return place + _stop(m, dot)
    return title


def _company(m: re.Match[str]) -> str:
    # "Co." or "& Co" is a company; a bare "Co" may be anything ("Co Durham")
    if m.group(1) or re.search(r"&[ \t]?$", _before(m, 2)):
        return "Company" + _stop(m, m.group(1))
    return m.group()


def _phd(m: re.Match[str]) -> str:
    dotted, plural, dot = m.groups()
    # "Ph.D." owns its last dot; after "PhD" a dot is a full stop
    return f"P H D{plural}" + (_stop(m, dot) if dotted and not plural else dot or "")


_PERIODS = {"y": "year", "q": "quarter", "m": "month"}


def _period_on_period(m: re.Match[str]) -> str:
    period = _PERIODS[m.group()[0].lower()]
    return f"{period} on {period}"  # "y/y" -> "year on year"


def _etc(m: re.Match[str]) -> str:
    return "et cetera" + _stop(m, m.group(1), any_capital=True)


_WORD_RULES: list[Rule] = [
    # not after a spelled letter: "A-T Ms" is the plural of ATM, not "Ms"
    (re.compile(r"(?<![A-Z] )\b(Mr|Mrs|Ms)\b\.?(?=[ \t,])"), lambda m: _HONORIFICS[m[1]]),
    (re.compile(rf"\b({'|'.join(_TITLES)})\b\.?{_NAME_AHEAD}"), lambda m: _TITLES[m[1]]),
    (re.compile(r"\b(Dr|St)\b(\.)?"), _saint_or_street),
    (re.compile(rf"\b({'|'.join(_AFTER_NAMES)})\b(\.)?"), _after_name),
    (re.compile(r"\bCo\b(\.)?"), _company),
    (re.compile(r"\b([Ee])\.g\.(?!\w)"), lambda m: _capitalise_like(m[1], "for example")),
    (re.compile(r"\b([Ii])\.e\.(?!\w)"), lambda m: _capitalise_like(m[1], "that is")),
    (re.compile(r"\betc\b(\.)?"), _etc),
    (re.compile(r"\bvs\b\.?|(?<=[a-z] )v\.(?= [A-Z])"), "versus"),
    (re.compile(r"\b([Aa])pprox\b\.?"), lambda m: _capitalise_like(m[1], "approximately")),
    (re.compile(r"\b[Aa]\.k\.a\.?|\b[Aa]ka\b"), lambda m: _capitalise_like(m[0], "also known as")),
    (re.compile(r"\b([Ii])ncl\b\.?"), lambda m: _capitalise_like(m[1], "including")),
    (re.compile(r"\bPh(\.)?D(s?)\b(\.)?"), _phd),
    (re.compile(r"(?<![\w/])([yqm])/\1(?![\w/])|\b(?:YoY|yoy|QoQ|qoq)\b"), _period_on_period),
    (re.compile(r"\bplc\b"), "P L C"),
]

_DOTTED_ACRONYM = re.compile(r"(?<![\w.])([A-Z](?:\.[A-Z])+)(\.)?(?!\w)")
_AMPERSAND_ACRONYM = re.compile(r"\b([A-Z]{1,3})&([A-Z]{1,3})\b")
_CAPS = re.compile(r"\b([A-Z]{2,5})(s?)\b")
# Acronyms eSpeak should say as words even though they look spellable.
_SAID_AS_WORDS = frozenset(
    _split(
        """NASA NATO JAXA OPEC AIDS ASAP ESA ISRO CERN FIFA UEFA NAFTA ASEAN LASER RADAR SCUBA
        COVID NOAA ISIS SWAT NIMBY OSHA SARS MERS GIF PIN RAM ROM SIM ICE UNESCO UNICEF FEMA
        NASDAQ"""
    )
)
# Acronyms with vowels that are still said letter by letter.
_SAID_AS_LETTERS = frozenset(
    _split(
        """AI AOL AP CEO CFO COO CIA EU EV FBI SEC IAEA ICBM IMF IOC IPO ISS UAE UFO UK UN
        UNSC US USA USAF USB OECD ABC AFP EPA ECB IEA IAU ULA IHI UTC EST EDT CET JST AEST
        ATM NGO IOU ISP ICU IED IRS IVF UAV SUV ESG EIB UNHCR WHO"""
    )
)
_ROMAN = re.compile(r"[IVX]+")


_SLASH_UNITS = {"km/h": "kilometers per hour", "m/s": "meters per second"}

_SYMBOL_WORD_RULES: list[Rule] = [
    (re.compile(r"(?<![\w/])(km/h|m/s)(?![\w/])"), lambda m: _SLASH_UNITS[m[1]]),
    (re.compile(r"\band/or\b"), "and or"),
    (re.compile(r"(?<=[A-Za-z])/(?=[A-Za-z])"), " or "),
    (re.compile(rf"{_RUN}[ \t]*&[ \t]*"), " and "),
    (re.compile(rf"{_RUN}[ \t]*@[ \t]*"), " at "),
    (re.compile(r"#(?=[A-Za-z])|~"), ""),
]


# "KUSHIMOTO, Japan, A rocket ...": a capitalised place opening a paragraph (the dashes
# after it are commas by now) is said as a name, so lexicon entries for it apply.
_DATELINE = re.compile(
    r"^([A-Z][A-Z'’-]*[A-Z](?:[ \t]+[A-Z][A-Z'’-]*[A-Z]){0,2})(?=,[ \t][^\n]*[a-z])",
    re.MULTILINE,
)


def _dateline(m: re.Match[str]) -> str:
    words = m.group(1).split()
    acronym = any(
        w in _SAID_AS_WORDS or w in _SAID_AS_LETTERS or not re.search(r"[AEIOUY]", w) for w in words
    )
    if acronym or (len(words) == 1 and len(words[0]) < 4):
        return m.group()
    return " ".join(re.sub(r"[A-Z]+", lambda p: p[0].capitalize(), w) for w in words)


def _dotted_acronym(m: re.Match[str]) -> str:
    return _spell(m.group(1).replace(".", "")) + _stop(m, m.group(2))


def _caps(m: re.Match[str]) -> str:
    word, plural = m.group(1), m.group(2)
    if word in _SAID_AS_WORDS or _ROMAN.fullmatch(word):
        return m.group()
    if word in _SAID_AS_LETTERS or not re.search(r"[AEIOU]", word):
        return _spell(word) + plural  # "MPs" -> "M Ps": a plural, not a possessive
    return m.group()


def _acronyms(text: str) -> str:
    text = _DOTTED_ACRONYM.sub(_dotted_acronym, text)
    text = _AMPERSAND_ACRONYM.sub(lambda m: f"{_spell(m[1])} and {_spell(m[2])}", text)
    # symbols become words first, so the shouting test below sees the final letters
    text = _apply(_SYMBOL_WORD_RULES, text)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        # a line with no lowercase at all is shouted, not made of acronyms ("WE ARE BACK")
        if re.search(r"[a-z]", line) or len(line.split()) < 2:
            lines[i] = _CAPS.sub(_caps, line)
    return "\n".join(lines)


_TIDY_RULES: list[Rule] = [
    (re.compile(r"[ \t]{2,}"), " "),
    (re.compile(rf"{_RUN}[ \t]+(?=[,;:!?]|\.(?!\d))"), ""),  # not before ".5"
    (re.compile(r",(?:[ \t]*,)+"), ","),
    (re.compile(r",[ \t]*(?=[.;:!?])"), ""),
    (re.compile(rf"^[ \t]*,[ \t]*|{_RUN}[ \t]+$", re.MULTILINE), ""),
]


def _settle(rules: list[Rule], text: str) -> str:
    """Apply ``rules`` until nothing changes: one match can expose another ("— - ")."""
    for _ in range(4):
        settled = _apply(rules, text)
        if settled == text:
            break
        text = settled
    return text


def _tidy(text: str) -> str:
    return _settle(_TIDY_RULES, text)


def speakable(text: str) -> str:
    """Rewrite ``text`` so eSpeak NG (English) reads it as a newsreader would.

    Numbers, money, units, percentages, dates, times, abbreviations, acronyms, symbols,
    e-mail addresses, bare domains ("Amazon.com") and bracketed asides become words; links
    with a scheme or "www." are dropped, and an all-capitals dateline becomes a name. Plain
    prose is returned unchanged, ``speakable(speakable(x)) == speakable(x)``, and the time
    taken grows linearly with the text.
    """
    text = re.sub(r"[\u00a0\u2007\u202f\u2009]", " ", text)  # no-break and thin spaces
    text = re.sub(r"[\u200b\u200c\u200d\ufeff]", "", text)
    text = text.replace("\u2212", "-").replace("&amp;", "&")
    text = _EMAIL.sub(_email, text)
    text = _URL.sub(_drop_url, text)
    text = _DOMAIN.sub(_domain, text)
    text = _asides(text)
    text = _tidy(_settle(_DASH_RULES, text))  # settle the commas asides and dashes left
    text = _DATELINE.sub(_dateline, text)
    text = _apply(_MONTH_RULES, text)
    text = _apply(_TIME_RULES, text)
    text = _apply(_DATE_RULES, text)
    text = _apply(_SYMBOL_RULES, text)
    text = _apply(_NUMBER_RULES, text)
    text = _apply(_WORD_RULES, text)
    text = _acronyms(text)
    return _tidy(text)
