"""Speed without chipmunks: WSOLA time-stretching, and plain resampling.

Playing a recording at 1.5x or 2x by resampling would raise every voice by a
fifth or an octave. WSOLA (waveform-similarity overlap-add) instead cuts the
signal into short overlapping frames and re-joins them closer together,
choosing each next frame within a small tolerance where it lines up best with
the previous one, so pitch stays put and speech stays intelligible. Artefacts
are mild on speech at 1.5x and audible but acceptable at 2x (docs/audio.md).
"""

from __future__ import annotations

import numpy as np

from agentapp.audio.dsp import Block

FRAME_S = 0.03  # 30 ms frames: about three pitch periods of a low voice
TOLERANCE_S = 0.008


def wsola(samples: Block, speed: float, samplerate: int) -> Block:
    """``samples`` (frames x channels) played ``speed`` times faster, same pitch."""
    if speed == 1.0 or samples.shape[0] == 0:
        return samples
    frame = max(16, int(FRAME_S * samplerate) // 2 * 2)
    synth_hop = frame // 2
    analysis_hop = synth_hop * speed
    tolerance = max(1, int(TOLERANCE_S * samplerate))
    total = samples.shape[0]
    pad = tolerance + 2 * frame
    padded = np.concatenate([np.zeros((pad, samples.shape[1]), np.float32), samples,
                             np.zeros((pad + frame, samples.shape[1]), np.float32)])
    mono = padded.mean(axis=1)
    window = np.hanning(frame).astype(np.float32)
    count = int(total / analysis_hop) + 1
    out = np.zeros((count * synth_hop + frame, samples.shape[1]), np.float32)
    weight = np.zeros(out.shape[0], np.float32)
    delta = 0
    for k in range(count):
        start = pad + int(k * analysis_hop) + delta
        out[k * synth_hop:k * synth_hop + frame] += padded[start:start + frame] * window[:, None]
        weight[k * synth_hop:k * synth_hop + frame] += window
        natural = mono[start + synth_hop:start + synth_hop + frame]
        centre = pad + int((k + 1) * analysis_hop)
        region = mono[centre - tolerance:centre + tolerance + frame]
        if region.shape[0] < 2 * tolerance + frame or not natural.any():
            delta = 0
            continue
        delta = int(np.argmax(np.correlate(region, natural, "valid"))) - tolerance
    out /= np.maximum(weight, 1e-3)[:, None]
    return out[: round(total / speed)].astype(np.float32, copy=False)


def resample(samples: Block, source_rate: int, target_rate: int) -> Block:
    """Linear-interpolation resampling (speech recordings to the device's rate).

    Good enough for 8-16 kHz telephone audio going *up* to 44.1/48 kHz; going
    down it would alias, which recordings never need.
    """
    if source_rate == target_rate or samples.shape[0] == 0:
        return samples
    length = round(samples.shape[0] * target_rate / source_rate)
    positions = np.arange(length) * (source_rate / target_rate)
    source = np.arange(samples.shape[0])
    return np.stack([np.interp(positions, source, samples[:, c])
                     for c in range(samples.shape[1])], axis=1).astype(np.float32)
