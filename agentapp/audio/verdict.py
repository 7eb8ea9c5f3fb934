"""Honest verdicts from meter readings: what the agent reads after a check.

Thresholds (docs/audio.md): a microphone whose loudest sample stays below
-60 dBFS is not hearing anything (a muted or disconnected mic reads -90 or
less; a quiet room with a live mic reads -60..-45); any sample at full scale
is clipping. Everything else is OK.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from agentapp.audio.dsp import FLOOR_DBFS, Level

NO_SIGNAL = "No signal from microphone"
CLIPPING = "Clipping"
OK = "OK"
SILENT_BELOW_DBFS = -60.0


def verdict(levels: Iterable[Level]) -> str:
    readings = list(levels)
    if not readings or max(r.peak_dbfs for r in readings) < SILENT_BELOW_DBFS:
        return NO_SIGNAL
    if any(r.is_clipping for r in readings):
        return CLIPPING
    return OK


def explain(word: str) -> str:
    """The sentence shown next to the verdict."""
    return {
        NO_SIGNAL: "No signal from microphone: check that the headset is plugged in, "
                   "not muted, and chosen above.",
        CLIPPING: "Clipping: your voice is too loud for the microphone; lower its input "
                  "volume or move it away from your mouth.",
        OK: "OK: the microphone hears you at a good level.",
    }.get(word, word)


class RollingVerdict:
    """The verdict over the last ``window`` readings (about 2 s at 30 readings/s)."""

    def __init__(self, window: int = 60) -> None:
        self._levels: deque[Level] = deque(maxlen=window)

    def add(self, level: Level) -> str:
        self._levels.append(level)
        return verdict(self._levels)

    def clear(self) -> None:
        self._levels.clear()

    @property
    def loudest_dbfs(self) -> float:
        return max((r.peak_dbfs for r in self._levels), default=FLOOR_DBFS)
