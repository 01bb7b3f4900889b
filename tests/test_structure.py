"""Page structure is not prose: subheads, captions and line breaks, as the listener gets them.

Each test writes a small article of its own and asserts the paragraphs that reach the
condenser (``Article.paragraphs``), which is everything the briefing can read.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from spacecast.cli import cli
from spacecast.text.ingest import parse_article
from spacecast.text.structure import (
    heads_block,
    is_caption,
    label_from_text,
    looks_like_subhead,
    readable_paragraphs,
    repeats_lead,
)

P1 = "The valley railway reopened on Monday after a landslide closed it for six weeks."
P2 = "Engineers built a new retaining wall and replaced a long stretch of the track."
P3 = "Passengers on the first train cheered as it crossed the repaired embankment."
P4 = "The operator said timetables would return to normal by the end of the month."


def txt(text: str) -> tuple[str, ...]:
    return parse_article(text.encode(), source="a.txt", kind="txt").paragraphs


def md(text: str) -> tuple[str, ...]:
    return parse_article(text.encode(), source="a.md", kind="md").paragraphs


def html(text: str) -> tuple[str, ...]:
    return parse_article(text.encode(), source="a.html", kind="html").paragraphs


# --- captions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Big group: the family gathered on the steps of the town hall",
        "Happy couple: Anna and Tom outside the chapel after the service",
        "Gruesome find: police officers at the back of the farmhouse",
        "Sleepy village: the high street on a quiet Sunday morning.",
        "'Best day ever': the winners lift the cup in front of their fans",
        "Moved out: the singer left the house in the spring",
        "Pictured: the new library lit up at night",
        "PICTURED: the new library lit up at night",
        "Photo: Jane Doe/Northern Press",
        "Photograph: Jane Doe for the Valley Courier",
        "Image: a drone view of the flooded fields",
        "Image caption The crowd outside the court on Friday",
        "From left: Ben, Carla, Dev and Erin at the finish line",
        "(Getty Images)",
        "Jane Doe/Reuters",
        "AFP via Getty Images",
    ],
)
def test_captions_and_credits_are_recognised(text: str) -> None:
    assert is_caption(text)


@pytest.mark.parametrize(
    "text",
    [
        "The minister said: we will act on the report this week.",
        "He added: 'It was a long night for everyone.'",
        "Police confirmed: the road will stay closed until Friday.",
        "Mr Okafor told reporters: the money has already been spent.",
        "The upshot: fares will rise again in March.",
        "There's the money question: who pays for the repairs?",
        "Q: When will the bridge reopen to traffic?",
        "Monday: talks resume in the capital after a weekend break.",
        "Update: the road has reopened and traffic is moving again.",
        "PREDICTION: Home win.",
        "Smith: 'We will rebuild the hall, whatever it costs.'",
        "Result: 2-1",
        "The council voted to keep the library open.",
        "Just look at the numbers in this year's report: more than half the trains ran late.",
    ],
)
def test_sentences_with_a_colon_are_not_captions(text: str) -> None:
    assert not is_caption(text)


def test_caption_paragraphs_are_not_read_in_plain_text() -> None:
    paragraphs = txt(
        f"Railway reopens after landslide\n\n{P1}\n\n"
        "Back on track: the first train leaves the station on Monday\n\n"
        f"{P2}\n\nPhotograph: Jane Doe/Valley Pictures\n\n{P3}\n"
    )
    assert paragraphs == (P1, P2, P3)


def test_a_long_paragraph_that_starts_like_a_caption_is_read() -> None:
    # An article pasted as one paragraph may start with its picture's caption; the story
    # after it must not go with it.
    glued = f"Pictured: the first train on the mended line {P1} {P2} {P3} {P4} {P1} {P2}"
    assert readable_paragraphs([glued]) == [glued]
    assert readable_paragraphs([P1, "Pictured: the first train on the mended line"]) == [P1]


def test_a_transcript_keeps_its_speakers() -> None:
    # Two labels that each start several paragraphs are speakers, not captions.
    paragraphs = txt(
        f"Interview with the station master\n\n{P1}\n\n"
        "Host: how did the team keep the trains moving during the closure?\n\n"
        "Guest: buses ran on the old road and we added extra carriages later on.\n\n"
        "Host: and what happens to the temporary platform now it is finished?\n\n"
        "Guest: it stays for the summer festival and then the crews take it down.\n"
    )
    assert len(paragraphs) == 5 and paragraphs[1].startswith("Host: how did")


def test_a_dateline_with_a_colon_opening_the_story_is_read() -> None:
    lead = "Northbridge: The county council voted on Tuesday to buy the old mill for the town."
    paragraphs = txt(f"Council buys the mill\n\n{lead}\n\n{P2}\n")
    assert paragraphs == (lead, P2)


# --- subheads -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "The Moment of Despair",
        "What happens next",
        "A long road back",
        "'We were all in shock'",
        "Why the council changed its mind",
        "2024 in numbers",
    ],
)
def test_subhead_shapes(line: str) -> None:
    assert looks_like_subhead(line)


@pytest.mark.parametrize(
    "line",
    [
        "The council voted to keep the library open.",  # a sentence
        "Is this the end?",
        "The plan has three steps:",  # a lead-in
        "- Bring a towel",  # a list item
        "and then the rain came",  # a sentence carried on
        "The new budget runs until the end of",  # broken off mid-sentence
        "Rain. More rain on the way",  # two sentences
        "1,375",
        "A much longer line that goes on well past the ten words a subhead ever has",
    ],
)
def test_not_subhead_shapes(line: str) -> None:
    assert not looks_like_subhead(line)


def test_plain_text_subheads_between_paragraphs_are_not_read() -> None:
    paragraphs = txt(
        f"Railway reopens after landslide\n\n{P1}\n\n{P2}\n\n"
        f"The Moment of Relief\n\n{P3}\n\nWhat happens next\n\n{P4}\n"
    )
    assert paragraphs == (P1, P2, P3, P4)


def test_a_subhead_right_above_its_paragraph_is_not_read() -> None:
    # No blank line between the subhead and its paragraph: it must not run into it.
    paragraphs = txt(f"Railway reopens after landslide\n\n{P1}\n\nThe Moment of Relief\n{P3}\n")
    assert paragraphs == (P1, P3)


def test_a_hard_wrapped_paragraph_keeps_its_first_line() -> None:
    paragraphs = txt(
        "Railway reopens after landslide\n\n"
        f"{P1}\n\n"
        "Engineers built a new retaining wall and replaced\n"
        "Section Four of the track, the operator said.\n"
    )
    assert paragraphs[1] == (
        "Engineers built a new retaining wall and replaced Section Four of the track, "
        "the operator said."
    )
    assert heads_block("The Moment of Relief", P3)
    assert not heads_block("Engineers built a new wall and then", "Section Four of the track.")


def test_short_lines_that_are_not_subheads_are_read() -> None:
    ending = "The operator expects the first through train next week"
    paragraphs = txt(
        f"Railway reopens after landslide\n\n{P1}\n\n"
        "Services resume.\n\n"  # a short real sentence
        f"{P2}\n\n"
        "- Tickets bought for the closure will be refunded\n\n"  # a list item, read
        f"{P3}\n\n"
        f"{ending}\n"  # a last line without its full stop: a sentence, not a subhead
    )
    assert paragraphs == (
        P1,
        "Services resume.",
        P2,
        "Tickets bought for the closure will be refunded.",
        P3,
        ending,
    )


def test_plain_text_lists_are_sentences_not_one_run_on_line() -> None:
    paragraphs = txt(
        f"Railway reopens after landslide\n\n{P1}\n\n"
        "The operator listed three changes:\n"
        "- Trains every half hour\n"
        "- A later last train\n"
        "  on Fridays and Saturdays\n"
        "- Step-free access at the new platform\n\n"
        "What passengers get next:\n\n"
        "1. New ticket machines\n2. Longer trains in the summer\n"
    )
    assert paragraphs == (
        P1,
        "The operator listed three changes:",
        "Trains every half hour. A later last train on Fridays and Saturdays. "
        "Step-free access at the new platform.",
        "What passengers get next:",
        "New ticket machines. Longer trains in the summer.",
    )


def test_two_short_lines_in_a_row_are_not_taken_for_subheads() -> None:
    paragraphs = txt(
        f"Railway reopens after landslide\n\n{P1}\n\nMonday to Friday\n\nEvery half hour\n\n{P2}\n"
    )
    assert paragraphs == (P1, "Monday to Friday", "Every half hour", P2)


def test_a_paragraph_that_carries_on_a_broken_sentence_is_joined_to_it() -> None:
    paragraphs = txt(
        "Railway reopens after landslide\n\n"
        f"{P1}\n\n"
        "Crews from three counties\n\n"
        "worked through the night to clear the line.\n\n"
        f"{P2}\n"
    )
    assert paragraphs == (
        P1,
        "Crews from three counties worked through the night to clear the line.",
        P2,
    )


def test_markdown_without_heading_markup_drops_bold_subheads() -> None:
    paragraphs = md(f"# Railway reopens\n\n{P1}\n\n**The Moment of Relief**\n\n{P3}\n")
    assert paragraphs == (P1, P3)


# --- HTML: block boundaries -----------------------------------------------------------------

PAGE = """<html><head><title>Railway reopens | Valley News</title></head><body><article>
<h1>Railway reopens after landslide</h1>
<p>The valley railway reopened on Monday after a landslide closed it for six weeks</p>
<p>Engineers built a new retaining wall and replaced a long stretch of the track.</p>
<h2>A long wait for commuters</h2>
<p>Commuters faced a bus journey of an hour each way while the line was shut<br><br>
Some said they had started cycling to work instead.</p>
<p><strong>The Moment of Relief</strong></p>
<p>Passengers on the first train cheered as it crossed the repaired embankment.</p>
<p>Happy crowd: passengers wave from the first train on Monday morning</p>
<p>Tickets cost the same as before.<br>Season tickets are extended by six
<br>weeks for everyone who held one.</p>
<blockquote><p>It was worth the wait</p></blockquote>
<ul><li>Trains every half hour</li><li>Last train at midnight</li></ul>
<p>The operator said timetables would return to normal by the end of the month.</p>
</article></body></html>"""


def test_html_blocks_and_line_breaks_end_sentences_and_structure_is_not_read() -> None:
    assert html(PAGE) == (
        "The valley railway reopened on Monday after a landslide closed it for six weeks",
        P2,
        "Commuters faced a bus journey of an hour each way while the line was shut",
        "Some said they had started cycling to work instead.",
        P3,
        "Tickets cost the same as before.",
        "Season tickets are extended by six weeks for everyone who held one.",
        "It was worth the wait",  # a quotation, not a subhead
        "Trains every half hour",
        "Last train at midnight",
        P4,
    )


def test_html_heading_inside_a_list_item_is_not_read() -> None:
    page = (
        "<html><body><main><ul><li><h3>Road closures</h3>"
        "The high street is closed to cars until the end of the summer festival.</li>"
        "</ul></main></body></html>"
    )
    assert html(page) == (
        "The high street is closed to cars until the end of the summer festival.",
    )


# --- helpers used by the script ------------------------------------------------------------


def test_readable_paragraphs_keeps_marked_blocks() -> None:
    texts = [P1, "It was worth the wait", P2]
    assert readable_paragraphs(texts) == [P1, P2]
    assert readable_paragraphs(texts, [False, True, False]) == texts


def test_label_and_repeated_leads() -> None:
    lead = (
        "The valley railway reopened on Monday after a landslide closed it for six weeks, "
        "the operator said."
    )
    label = label_from_text(lead)
    assert label == "The valley railway reopened on Monday after a landslide closed it…"
    assert repeats_lead(label, lead)
    assert repeats_lead("THE VALLEY RAILWAY REOPENED", lead)
    assert not repeats_lead("Valley railway reopens after landslide", lead)
    assert not repeats_lead("", lead)


# --- what `spacecast script` reads -------------------------------------------------------------


def test_script_reads_headline_less_articles_once_and_skips_their_structure(
    tmp_path: Path, tone_voices: Path
) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    # A .txt whose first line is a sentence, with a subhead and a caption in it.
    (folder / "a-railway.txt").write_text(
        f"{P1}\n\n{P2}\n\nThe Moment of Relief\n\n{P3}\n\n"
        "Happy crowd: passengers wave from the first train\n\n"
        f"{P4}\n",
        encoding="utf-8",
    )
    # A Markdown file without a heading.
    (folder / "b-mill.md").write_text(
        "The old mill by the river was sold on Friday to a trust set up by villagers.\n\n"
        "The trust plans to restore the water wheel and open a bakery on the ground floor.\n",
        encoding="utf-8",
    )
    # An HTML page without <title> or <h1>.
    (folder / "c-ferry.html").write_text(
        "<html><body><article>"
        "<p>The island ferry sailed again on Friday after a week of storms kept it in port</p>"
        "<p>Crews checked the hull and the loading ramps before the first crossing.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli,
        ["script", str(folder), "--voices-dir", str(tone_voices), "--format", "json",
         "--minutes", "3", "--date", "2026-11-26"],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    stories = [s for s in json.loads(result.stdout)["segments"] if s["kind"] == "story"]
    assert [s["text"].split("\n\n")[0].split(".")[0] for s in stories] == [
        "The valley railway reopened on Monday after a landslide closed it for six weeks",
        "The old mill by the river was sold on Friday to a trust set up by villagers",
        "The island ferry sailed again on Friday after a week of storms kept it in port",
    ]
    assert [s["title"] for s in stories] == [
        "The valley railway reopened on Monday after a landslide closed it…",
        "The old mill by the river was sold on Friday…",
        "The island ferry sailed again on Friday after a week of storms…",
    ]
    railway = stories[0]["text"]
    assert railway.count("The valley railway reopened") == 1
    assert "Moment of Relief" not in railway and "Happy crowd" not in railway
    # The HTML paragraph without a full stop is a sentence of its own.
    assert stories[2]["text"].startswith(
        "The island ferry sailed again on Friday after a week of storms kept it in port\n\n"
    )
