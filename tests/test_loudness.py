"""The loudness correction: a new gain when the level is off, harder limiting when the
peaks are what keep the level off."""

from __future__ import annotations

import math

import pytest

from spacecast.audio.loudness import (
    LIMIT,
    Loudness,
    LoudnessTarget,
    corrected_gain,
    dynamics,
    lower_limit,
)

TARGET = LoudnessTarget(integrated=-16.0, true_peak=-1.0)


def test_a_quiet_file_with_room_under_the_ceiling_only_needs_more_gain():
    result = Loudness(integrated=-17.0, true_peak=-3.0)
    assert lower_limit(LIMIT, 2.0, result, TARGET) is None
    assert corrected_gain(2.0, result, TARGET) == pytest.approx(3.0)


def test_peaks_over_the_ceiling_call_for_harder_limiting():
    # Piper-like speech: on the level, but the true peak is over -1 dBTP.
    result = Loudness(integrated=-16.0, true_peak=-0.5)
    limit = lower_limit(LIMIT, 1.65, result, TARGET)
    assert limit is not None and limit < LIMIT
    lowered_db = 20 * math.log10(LIMIT / limit)
    assert lowered_db == pytest.approx(0.5 + 0.2 + 0.5)  # the excess, the margin, and more
    # A gain alone would have to leave the level 0.7 LU short.
    assert corrected_gain(1.65, result, TARGET) == pytest.approx(1.65 - 0.7)


def test_peaks_just_over_the_ceiling_only_need_a_little_less_gain():
    # Lowering the gain by 0.4 dB leaves the level at -16.4 LUFS: inside the window, and
    # far cheaper than limiting again.
    result = Loudness(integrated=-16.0, true_peak=-0.8)
    assert lower_limit(LIMIT, 1.0, result, TARGET) is None
    assert corrected_gain(1.0, result, TARGET) == pytest.approx(0.6)


def test_a_level_short_only_because_of_the_peaks_is_limited_not_left_short():
    result = Loudness(integrated=-16.8, true_peak=-1.1)
    # The level wants +0.8 dB, the peaks allow -0.1 dB: 0.9 dB short, beyond the window.
    assert corrected_gain(1.0, result, TARGET) == pytest.approx(0.9)
    limit = lower_limit(LIMIT, 1.0, result, TARGET)
    assert limit == pytest.approx(LIMIT * 10 ** (-(0.9 + 0.5) / 20))


def test_the_limiter_ceiling_is_in_the_filter_chain():
    assert "alimiter=limit=0.5500" in dynamics()
    assert "alimiter=limit=0.5000" in dynamics(0.5)
    assert "aresample" not in dynamics()


def test_true_peak_limiting_works_at_four_times_the_rate_and_comes_back():
    chain = dynamics(0.6, rate=44100)
    assert "aresample=176400,alimiter=limit=0.6000" in chain
    assert chain.endswith(",aresample=44100")
