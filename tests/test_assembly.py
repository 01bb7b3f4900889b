"""Assembly with the exact-length tone engine: where speech, pauses and stingers fall."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from spacecast.audio.mix import MIX_RATE, Pacing, mix
from spacecast.audio.stingers import load_stingers
from spacecast.models import Script, Segment
from spacecast.speech.profiles import load_voices
from spacecast.speech.session import SpeechSession

WORD = 0.5  # seconds per word at the tone voices' rate


def script() -> Script:
    return Script(
        title="Test Show",
        date=dt.date(2026, 11, 26),
        segments=(
            Segment("intro", "Welcome", "anchor", "Good morning everyone, hello."),
            Segment(
                "story", "Bridge", "correspondent", "Bridge reopens.\n\nCars cross again. Slowly."
            ),
            Segment("transition", "Next story", "anchor", "Next."),
            Segment("story", "Library", "correspondent", "Library opens today."),
            Segment("outro", "Sign-off", "anchor", "Goodbye."),
        ),
    )


def synthesize(voices: Path, the_script: Script, cache: Path):
    """The script's takes, in a session of their own, kept in ``cache`` (which outlives it)."""
    with SpeechSession(load_voices(voices), cache_dir=cache) as speech:
        return speech.synthesize(the_script)


def test_takes_have_exact_sentence_lengths(tone_voices: Path, tmp_path: Path):
    report = synthesize(tone_voices, script(), tmp_path / "cache")
    story = report.takes[1]
    assert story.sample_rate == MIX_RATE
    lengths = [(s.text, (s.end - s.start) / MIX_RATE, s.paragraph) for s in story.sentences]
    assert lengths == [
        ("Bridge reopens.", 2 * WORD, 0),
        ("Cars cross again.", 3 * WORD, 1),
        ("Slowly.", 1 * WORD, 1),
    ]


def test_timeline_places_stingers_speech_and_pauses(tone_voices: Path, tmp_path: Path):
    pacing = Pacing()
    stingers = load_stingers()
    report = synthesize(tone_voices, script(), tmp_path / "cache")
    timeline = mix(script().segments, report.takes, stingers, pacing)
    intro_len = stingers.intro.frame_count() / MIX_RATE
    transition_len = stingers.transition.frame_count() / MIX_RATE
    outro_len = stingers.outro.frame_count() / MIX_RATE

    intro, story1, transition, story2, outro = timeline.segments
    assert intro.start == 0
    greeting_start = intro_len - pacing.intro_overlap
    assert intro.sentences[0].start == pytest.approx(greeting_start, abs=1e-6)
    greeting_end = greeting_start + 4 * WORD
    assert story1.start == pytest.approx(greeting_end + pacing.segment_gap, abs=1e-6)
    # Headline, a paragraph pause, then two sentences with a sentence pause between.
    s = story1.sentences
    assert s[1].start - s[0].end == pytest.approx(pacing.paragraph_pause, abs=1e-6)
    assert s[2].start - s[1].end == pytest.approx(pacing.sentence_pause, abs=1e-6)
    story1_end = s[2].end
    assert transition.start == pytest.approx(story1_end + pacing.segment_gap, abs=1e-6)
    link_start = transition.start + transition_len - pacing.transition_overlap
    assert transition.sentences[0].start == pytest.approx(link_start, abs=1e-6)
    assert story2.start == pytest.approx(link_start + WORD + pacing.segment_gap, abs=1e-6)
    assert outro.start == pytest.approx(story2.start + 3 * WORD + pacing.segment_gap, abs=1e-6)
    expected_total = outro.start + WORD + pacing.outro_lead + outro_len
    assert timeline.audio.frame_count() / MIX_RATE == pytest.approx(expected_total, abs=1e-6)
    assert outro.end == pytest.approx(expected_total, abs=1e-6)
    # Chapters tile the timeline.
    for before, after in zip(timeline.segments, timeline.segments[1:], strict=False):
        assert before.end == after.start


def test_speech_really_starts_where_the_chapter_says(tone_voices: Path, tmp_path: Path):
    report = synthesize(tone_voices, script(), tmp_path / "cache")
    timeline = mix(script().segments, report.takes, load_stingers())
    story = timeline.segments[1]
    at = round(story.start * 1000)
    before = timeline.audio[at - 200 : at - 10]
    after = timeline.audio[at : at + 200]
    assert before.max == 0  # the gap before a story is silent
    assert after.max > 1000


def test_cache_reuses_unchanged_segments(tone_voices: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    first = synthesize(tone_voices, script(), cache)
    assert (first.synthesized, first.cached) == (5, 0)
    again = synthesize(tone_voices, script(), cache)
    assert (again.synthesized, again.cached) == (0, 5)
    assert list(again.takes) == list(first.takes)
    edited = list(script().segments)
    edited[3] = replace(edited[3], text="Library opens tomorrow instead.")
    third = synthesize(tone_voices, replace(script(), segments=tuple(edited)), cache)
    assert (third.synthesized, third.cached) == (1, 4)


def test_changing_a_voice_setting_misses_the_cache(tone_voices: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    synthesize(tone_voices, script(), cache)
    text = (tone_voices / "anchor.toml").read_text().replace("pitch = 50", "pitch = 40")
    (tone_voices / "anchor.toml").write_text(text)
    report = synthesize(tone_voices, script(), cache)
    assert (report.synthesized, report.cached) == (3, 2)


def test_truncated_cache_entry_is_made_again(tone_voices: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    synthesize(tone_voices, script(), cache)
    victim = next((tmp_path / "cache").rglob("*.pcm"))
    victim.write_bytes(victim.read_bytes()[:100])
    report = synthesize(tone_voices, script(), cache)
    assert report.synthesized == 1


def test_predicted_layout_matches_the_mix_exactly(tone_voices: Path, tmp_path: Path):
    from spacecast.audio.mix import layout_seconds
    from spacecast.speech.length import take_seconds

    pacing = Pacing()
    stingers = load_stingers()
    report = synthesize(tone_voices, script(), tmp_path / "cache")
    timeline = mix(script().segments, report.takes, stingers, pacing)
    speech = [take_seconds(take, pacing) for take in report.takes]
    predicted = layout_seconds(script(), speech, stingers, pacing)
    assert predicted == pytest.approx(timeline.audio.frame_count() / MIX_RATE, abs=1e-3)


def test_calibrated_rate_of_the_tone_engine(tone_voices: Path):
    setup = load_voices(tone_voices)
    with SpeechSession(setup, cache_dir=None, workers=1) as speech:
        rate = speech.calibrate([setup.profiles["anchor"]])["anchor"]
    # Tone words last 0.5 s each: seconds grow with the text and the fit says so.
    assert rate.sentence_seconds("one two three four") < rate.sentence_seconds(
        "one two three four five six seven eight nine ten eleven twelve"
    )


def two_host_script() -> Script:
    return Script(
        title="Test Show",
        date=dt.date(2026, 11, 26),
        segments=(
            Segment("intro", "Welcome", "anchor", "Good morning everyone, hello."),
            Segment("handover", "Bridge", "anchor", "First. Bridge reopens. Sam reports.", "b.md"),
            Segment("story", "Bridge", "correspondent", "Cars cross again.", "b.md"),
            Segment("handback", "Bridge", "anchor", "Thanks, Sam."),
            Segment("handover", "Library", "anchor", "Next. Library opens. Sam reports.", "l.md"),
            Segment("story", "Library", "correspondent", "Doors open today.", "l.md"),
            Segment("outro", "Sign-off", "anchor", "Goodbye."),
        ),
    )


def test_two_host_layout_stinger_before_each_later_handover(tone_voices: Path, tmp_path: Path):
    from spacecast.audio.mix import layout_seconds
    from spacecast.publish.chapters import chapter_marks
    from spacecast.speech.length import take_seconds

    pacing = Pacing()
    stingers = load_stingers()
    report = synthesize(tone_voices, two_host_script(), tmp_path / "cache")
    speakers = {"anchor": "Alex", "correspondent": "Sam"}
    timeline = mix(two_host_script().segments, report.takes, stingers, pacing, speakers=speakers)
    transition_len = stingers.transition.frame_count() / MIX_RATE
    intro, hand1, story1, thanks, hand2, _, _ = timeline.segments
    # Straight after the greeting: a gap, then the first handover, no stinger.
    assert hand1.sentences[0].start == pytest.approx(hand1.start, abs=1e-6)
    assert hand1.start == pytest.approx(intro.sentences[-1].end + pacing.segment_gap, abs=1e-6)
    # Before a later handover: the gap, the transition stinger, the voice over its tail.
    assert hand2.start == pytest.approx(thanks.sentences[-1].end + pacing.segment_gap, abs=1e-6)
    link = hand2.start + transition_len - pacing.transition_overlap
    assert hand2.sentences[0].start == pytest.approx(link, abs=1e-6)
    # The speakers are named by their on-air names.
    assert {s.speaker for s in hand1.sentences} == {"Alex"} and story1.speaker == "Sam"
    # The length the fit predicts is the length the mix makes.
    speech = [take_seconds(take, pacing) for take in report.takes]
    predicted = layout_seconds(two_host_script(), speech, stingers, pacing)
    assert predicted == pytest.approx(timeline.frames / MIX_RATE, abs=1e-3)
    # Chapters: the handover opens each story's chapter, which names its reader; the
    # anchor's thanks stays inside the story's chapter.
    marks = chapter_marks(timeline.segments, timeline.duration)
    assert [(m.kind, m.title) for m in marks] == [
        ("intro", "Welcome"),
        ("story", "Bridge — Sam"),
        ("story", "Library — Sam"),
        ("outro", "Sign-off"),
    ]
    assert marks[1].start == pytest.approx(hand1.start) and marks[1].end == hand2.start
    assert marks[2].start == pytest.approx(hand2.start)


def test_the_rate_fit_separates_length_from_pauses_at_breaks():
    from spacecast.speech.length import NEWS_SLOWER, SpeechRate, _fit

    truth = SpeechRate(per_char=0.05, per_break=0.25, per_sentence=0.2)
    sentences = [
        "Talks resume.",
        "The council met on Tuesday, as planned.",
        "Ships, lorries and trains were delayed; some for days.",
        "A much longer sentence without any break in it at all goes on and on here.",
        "At noon, the minister, who is new, spoke: briefly.",
    ]

    def plain(text: str) -> float:
        return truth.sentence_seconds(text) / NEWS_SLOWER

    fitted = _fit([(text, plain(text)) for text in sentences])
    assert fitted.per_char == pytest.approx(0.05, abs=1e-6)
    assert fitted.per_break == pytest.approx(0.25, abs=1e-6)
    assert fitted.per_sentence == pytest.approx(0.2, abs=1e-6)
    # One sentence (or all alike) cannot be fitted: the mean sentence stands in.
    single = _fit([("Talks resume.", 1.2)])
    assert single.sentence_seconds("Anything at all.") == pytest.approx(1.2 * NEWS_SLOWER)
