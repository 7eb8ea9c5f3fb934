"""Meter maths: levels of known signals, properties that must hold for any block."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from agentapp.audio import dsp
from agentapp.audio.verdict import CLIPPING, NO_SIGNAL, OK, RollingVerdict, verdict

RATE = 48000


@given(amp=st.floats(0.001, 1.0), freq=st.floats(50.0, 1000.0))
def test_a_sine_reads_its_textbook_rms_level(amp: float, freq: float) -> None:
    level_dbfs = 20 * math.log10(amp)
    # up to 1 kHz: >= 48 samples a period, so the sampled peak is within 0.02 dB of A
    block = dsp.tone(freq, level_dbfs, RATE, 1.0)
    reading = dsp.measure(block)
    assert reading.rms_dbfs == pytest.approx(20 * math.log10(amp / math.sqrt(2)), abs=0.05)
    assert reading.peak_dbfs == pytest.approx(level_dbfs, abs=0.05)
    assert reading.rms_dbfs == pytest.approx(dsp.sine_rms_dbfs(amp), abs=0.05)


@given(arrays(np.float32, st.integers(1, 4000), elements=st.floats(-1.0, 1.0, width=32)))
def test_peak_is_never_below_rms_and_levels_stay_in_range(block: np.ndarray) -> None:
    reading = dsp.measure(block)
    assert reading.peak_dbfs >= reading.rms_dbfs - 1e-6
    assert dsp.FLOOR_DBFS <= reading.rms_dbfs <= 0.0 + 1e-6
    assert reading.clipped == int(np.count_nonzero(np.abs(block) >= dsp.CLIP_THRESHOLD))


def test_silence_reads_the_floor_not_minus_infinity() -> None:
    reading = dsp.measure(np.zeros((1600, 1), dtype=np.float32))
    assert reading.rms_dbfs == reading.peak_dbfs == dsp.FLOOR_DBFS
    assert not reading.is_clipping
    assert dsp.dbfs(float("nan")) == dsp.FLOOR_DBFS
    assert dsp.measure(np.zeros((0, 1), dtype=np.float32)).rms_dbfs == dsp.FLOOR_DBFS


@given(st.floats(-60.0, 0.0))
def test_dbfs_and_amplitude_are_inverse(level: float) -> None:
    assert dsp.dbfs(dsp.amplitude(level)) == pytest.approx(level, abs=1e-9)


def test_tone_blocks_join_without_a_click() -> None:
    gen = dsp.ToneGenerator(1000.0, -6.0, RATE)
    joined = np.concatenate([gen.next_block(n) for n in (100, 333, 1600, 7)])
    whole = dsp.tone(1000.0, -6.0, RATE, joined.shape[0] / RATE)
    assert np.allclose(joined, whole, atol=1e-5)


def test_left_right_tone_fills_only_the_chosen_channel() -> None:
    right = dsp.ToneGenerator(440.0, -12.0, RATE, channels=2, active=(1,)).next_block(4800)
    assert dsp.peak(right[:, 0]) == 0.0
    assert dsp.dbfs(dsp.peak(right[:, 1])) == pytest.approx(-12.0, abs=0.01)


def test_tone_frequency_must_fit_the_sample_rate() -> None:
    with pytest.raises(ValueError):
        dsp.ToneGenerator(30000.0, -6.0, RATE)


@given(st.floats(-40.0, 0.0))
def test_limit_never_exceeds_its_ceiling(ceiling: float) -> None:
    loud = dsp.tone(300.0, 0.0, RATE, 0.1) * 1.5
    assert dsp.peak(dsp.limit(loud, ceiling)) <= dsp.amplitude(ceiling) + 1e-6


def test_to_channels_mixes_down_and_duplicates() -> None:
    stereo = np.stack([np.ones(10), -np.ones(10)], axis=1).astype(np.float32)
    assert np.allclose(dsp.to_channels(stereo, 1), 0.0)
    mono = np.ones((10, 1), dtype=np.float32)
    assert dsp.to_channels(mono, 2).shape == (10, 2)


def test_verdicts() -> None:
    quiet = dsp.measure(dsp.tone(1000.0, -80.0, RATE, 0.05))
    speech = dsp.measure(dsp.tone(1000.0, -20.0, RATE, 0.05))
    hot = dsp.measure(np.clip(dsp.tone(1000.0, 0.0, RATE, 0.05) * 2, -1, 1))
    assert verdict([]) == NO_SIGNAL
    assert verdict([quiet, quiet]) == NO_SIGNAL
    assert verdict([quiet, speech]) == OK
    assert verdict([speech, hot]) == CLIPPING
    rolling = RollingVerdict(window=2)
    assert rolling.add(hot) == CLIPPING
    rolling.add(speech)
    assert rolling.add(speech) == OK  # the clipped reading left the window


def test_retuning_continues_the_phase() -> None:
    first = dsp.ToneGenerator(1000.0, -6.0, RATE)
    head = first.next_block(123)
    second = dsp.ToneGenerator(1000.0, -6.0, RATE).continuing(first)
    joined = np.concatenate([head, second.next_block(200)])
    assert np.allclose(joined, dsp.tone(1000.0, -6.0, RATE, 323 / RATE), atol=1e-5)
